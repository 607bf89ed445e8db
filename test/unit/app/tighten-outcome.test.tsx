// @vitest-environment happy-dom
/**
 * "Tighten to what was seen" says what it did where the user lands: the editor replaces the policy's
 * details, so the outcome shows over the tightened draft ("Tightened from observed flows: kept …,
 * removed …"), stays with that draft only, and goes when dismissed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { editorDraftOriginKey, newDraft } from '../../../shared/editor/index.ts';
import { createAnalysisClient, createInProcessTransport } from '../../../renderer/src/analysis/client.ts';
import { App } from '../../../renderer/src/components/App.tsx';
import { createEditorStore } from '../../../renderer/src/editor/store.ts';
import { tightenedText } from '../../../renderer/src/flows/tighten-note.tsx';
import { gridLayout } from '../../../renderer/src/graph/layout.ts';
import { bindAnalysis, createAnalysisStore } from '../../../renderer/src/store/analysis-store.ts';
import { StoresProvider } from '../../../renderer/src/store/context.tsx';
import { bindFlows, type FlowFile } from '../../../renderer/src/store/flows-store.ts';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';

const DIR = join(process.cwd(), 'test/fixtures/flows');

afterEach(() => cleanup());

function fileOf(name: string, text: string): FlowFile {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    size: bytes.length,
    slice: (start, end) => ({ arrayBuffer: () => Promise.resolve(bytes.slice(start, end).buffer) }),
  };
}

/** The app with flows and an editor, on the flows fixture's cluster, its Hubble file imported. */
async function mountWithFlows() {
  const source = createSourceStore();
  const view = createViewStore();
  const analysis = createAnalysisStore();
  const client = createAnalysisClient(createInProcessTransport());
  bindAnalysis({ client, source, view, analysis });
  const editor = createEditorStore();
  const flows = bindFlows({ client, source, analysis, editor });
  const controller = {
    openSource: () => Promise.resolve(),
    reload: () => Promise.resolve(),
    listContexts: () => Promise.resolve(),
    dispose: () => undefined,
  };
  render(
    <StoresProvider stores={{ source, view, analysis, controller, editor: { store: editor }, flows }}>
      <App graph={{ headless: true, layout: gridLayout }} />
    </StoresProvider>,
  );
  const snapshot = await loadManifests([join(DIR, 'cluster.yaml')]);
  act(() => {
    source.getState().applyEvent({
      type: 'source',
      status: { state: 'ready', source: snapshot.source, revision: 1, loadedAt: '2026-12-02T09:00:00Z' },
    });
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot });
  });
  await waitFor(() => expect(analysis.getState().status).toBe('ready'));
  await act(() =>
    flows.importFiles([fileOf('hubble.jsonl', readFileSync(join(DIR, 'hubble.jsonl'), 'utf8'))]),
  );
  await screen.findByTestId('flows-panel');
  return { view, editor };
}

describe('the outcome of tightening', () => {
  it('reads as what was kept and what was taken away', () => {
    expect(tightenedText({ flows: 2, removed: 1, narrowed: 0 })).toBe(
      'Tightened from observed flows: kept the 2 seen flows it allowed, removed 1 unused rule. Nothing is saved or applied.',
    );
    expect(tightenedText({ flows: 1, removed: 0, narrowed: 1 })).toMatch(
      /kept the 1 seen flow it allowed, removed 0 unused rules, narrowed 1 open rule /,
    );
  });

  it('shows over the tightened draft in the editor, with that draft only, until dismissed', async () => {
    const { view, editor } = await mountWithFlows();
    act(() => view.getState().select({ kind: 'policy', key: 'shop/checkout' }));
    const button = await screen.findByTestId('flows-tighten', {}, { timeout: 10_000 });
    fireEvent.click(button);

    // The editor took the details' place; the note is in it.
    const note = await screen.findByTestId('tightened-note', {}, { timeout: 10_000 });
    expect(screen.getByTestId('policy-editor').contains(note)).toBe(true);
    expect(screen.queryByTestId('flows-tighten')).toBeNull();
    expect(note.textContent).toMatch(
      /^Tightened from observed flows: kept the 2 seen flows it allowed, removed 1 unused rule\. Nothing is saved or applied\.$/,
    );
    const tightened = editor.getState().drafts.find((d) => d.id === editor.getState().activeId);
    expect(tightened && editorDraftOriginKey(tightened.draft)).toBe('shop/checkout');

    // Another draft on show has no such note; back on the tightened one, it is there again.
    act(() => {
      editor.getState().add(newDraft('shop', ['checkout']));
    });
    await waitFor(() => expect(screen.queryByTestId('tightened-note')).toBeNull());
    act(() => editor.getState().activate(tightened?.id ?? ''));
    const again = await screen.findByTestId('tightened-note');

    fireEvent.click(within(again).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('tightened-note')).toBeNull();
  });
});
