// @vitest-environment happy-dom
/**
 * New policy drafts from the command palette: typing "new calico", "new cilium" or "new policy" lists
 * the editor's own ways to start a policy ("New Calico policy: <template>"), and choosing one with the
 * keyboard opens the same draft the editor's "New policy" chooser opens for that template.
 */
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import {
  CALICO_TEMPLATES,
  CILIUM_TEMPLATES,
  CLUSTER_TEMPLATES,
  TEMPLATES,
  editorDraftLabel,
  editorDraftToYaml,
  isCalicoDraft,
} from '../../../shared/editor/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { createAnalysisClient, createInProcessTransport } from '../../../renderer/src/analysis/client.ts';
import { App } from '../../../renderer/src/components/App.tsx';
import {
  matchNewPolicyActions,
  NEW_POLICY_ACTIONS,
  newPolicyTitle,
} from '../../../renderer/src/editor/new-policy.ts';
import { createEditorStore } from '../../../renderer/src/editor/store.ts';
import { gridLayout } from '../../../renderer/src/graph/layout.ts';
import { bindAnalysis, createAnalysisStore } from '../../../renderer/src/store/analysis-store.ts';
import { StoresProvider } from '../../../renderer/src/store/context.tsx';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';

let snapshot: Snapshot;

beforeAll(async () => {
  snapshot = await loadManifests([join(process.cwd(), 'test/fixtures/calico-netsets')]);
});

afterEach(() => cleanup());

/** The app with an editor store of its own, on `snapshot`. */
async function mount() {
  const source = createSourceStore();
  const view = createViewStore();
  const analysis = createAnalysisStore();
  bindAnalysis({ client: createAnalysisClient(createInProcessTransport()), source, view, analysis });
  const editor = createEditorStore();
  const controller = {
    openSource: () => Promise.resolve(),
    reload: () => Promise.resolve(),
    listContexts: () => Promise.resolve(),
    dispose: () => undefined,
  };
  render(
    <StoresProvider stores={{ source, view, analysis, controller, editor: { store: editor } }}>
      <App graph={{ headless: true, layout: gridLayout }} />
    </StoresProvider>,
  );
  act(() => {
    source.getState().applyEvent({
      type: 'source',
      status: { state: 'ready', source: snapshot.source, revision: 1, loadedAt: '2026-12-03T09:00:00Z' },
    });
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot });
  });
  await waitFor(() => expect(analysis.getState().status).toBe('ready'));
  return { view, editor };
}

describe('the new-policy actions', () => {
  it('are every template of every kind, once, with the blank NetworkPolicy and ClusterNetworkPolicy', () => {
    const ids = NEW_POLICY_ACTIONS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'new-blank',
      ...TEMPLATES.map((t) => `template:${t.id}`),
      'new-blank-cluster',
      ...CLUSTER_TEMPLATES.map((t) => `template:${t.id}`),
      ...CILIUM_TEMPLATES.map((t) => `template:${t.id}`),
      ...CALICO_TEMPLATES.map((t) => `template:${t.id}`),
    ]);
  });

  it('answer "new calico", "new cilium" and "new policy" with their kind, titled by kind and template', () => {
    const calico = matchNewPolicyActions('new calico');
    expect(calico.map((a) => a.kind)).toEqual(CALICO_TEMPLATES.map(() => 'Calico'));
    expect(calico.map(newPolicyTitle)).toEqual(CALICO_TEMPLATES.map((t) => `New Calico policy: ${t.title}`));
    expect(matchNewPolicyActions('new cilium').map((a) => a.id)).toEqual(
      CILIUM_TEMPLATES.map((t) => `template:${t.id}`),
    );
    expect(matchNewPolicyActions('new policy')).toHaveLength(NEW_POLICY_ACTIONS.length);
    expect(matchNewPolicyActions('NEW   ClusterNetworkPolicy blank').map((a) => a.id)).toEqual([
      'new-blank-cluster',
    ]);
    expect(matchNewPolicyActions('')).toEqual([]);
    expect(matchNewPolicyActions('new calico deny').every((a) => a.kind === 'Calico')).toBe(true);
    expect(matchNewPolicyActions('new nothing-like-this')).toEqual([]);
  });
});

describe('new policy drafts from the palette', () => {
  it('opens, from the keyboard, the draft the chooser opens for the same template', async () => {
    const template = CALICO_TEMPLATES[1];
    if (template === undefined) throw new Error('no second Calico template');
    const { view, editor } = await mount();
    act(() => view.getState().setPaletteOpen(true));
    const input = await screen.findByTestId('palette-input');
    fireEvent.change(input, { target: { value: 'new calico' } });
    const entries = screen.getAllByTestId('palette-new');
    expect(entries.map((e) => e.getAttribute('data-action'))).toEqual(
      CALICO_TEMPLATES.map((t) => `template:${t.id}`),
    );
    expect(entries[0]?.textContent).toContain(`New Calico policy: ${CALICO_TEMPLATES[0]?.title ?? ''}`);
    // The first entry is active; one step down is the second template.
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(view.getState().paletteOpen).toBe(false);
    expect(editor.getState().open).toBe(true);
    const drafts = editor.getState().drafts;
    expect(drafts).toHaveLength(1);
    const fromPalette = drafts[0]?.draft;
    if (fromPalette === undefined || !isCalicoDraft(fromPalette)) throw new Error('no Calico draft');
    expect(fromPalette.calicoKind).toBe(template.kind);
    await screen.findByTestId('policy-editor');
    const paletteYaml = editorDraftToYaml(fromPalette);
    cleanup();

    // The chooser, on a fresh app with the same source.
    const second = await mount();
    act(() => second.editor.getState().setChooser(true));
    fireEvent.click(document.querySelector('[data-choice="new-kind"] [data-value="Calico"]') as Element);
    fireEvent.click(screen.getByTestId(`template:${template.id}`));
    const chosen = second.editor.getState().drafts[0]?.draft;
    expect(chosen).toBeDefined();
    expect(editorDraftToYaml(chosen as NonNullable<typeof chosen>)).toBe(paletteYaml);
  });

  it('makes a namespaced draft in the selected namespace, and names a second one apart', async () => {
    const { view, editor } = await mount();
    act(() => view.getState().select({ kind: 'namespace', name: 'shop' }));
    for (let i = 0; i < 2; i++) {
      act(() => view.getState().setPaletteOpen(true));
      const input = await screen.findByTestId('palette-input');
      fireEvent.change(input, { target: { value: 'new networkpolicy blank' } });
      // The blank ClusterNetworkPolicy answers too ("networkpolicy" is in its kind); the NetworkPolicy comes first.
      const entry = screen.getAllByTestId('palette-new')[0] as HTMLElement;
      expect(entry.getAttribute('data-action')).toBe('new-blank');
      expect(entry.textContent).toMatch(/in shop$/);
      fireEvent.keyDown(input, { key: 'Enter' });
    }
    expect(editor.getState().drafts.map((d) => editorDraftLabel(d.draft))).toEqual([
      'shop/new-policy',
      'shop/new-policy-2',
    ]);
  });

  it('lists no new-policy entry before a source is loaded', async () => {
    const view = createViewStore();
    render(
      <StoresProvider
        stores={{
          source: createSourceStore(),
          view,
          analysis: createAnalysisStore(),
          controller: {
            openSource: () => Promise.resolve(),
            reload: () => Promise.resolve(),
            listContexts: () => Promise.resolve(),
            dispose: () => undefined,
          },
        }}
      >
        <App graph={{ headless: true, layout: gridLayout }} />
      </StoresProvider>,
    );
    act(() => view.getState().setPaletteOpen(true));
    const input = await screen.findByTestId('palette-input');
    fireEvent.change(input, { target: { value: 'new policy' } });
    expect(screen.queryAllByTestId('palette-new')).toHaveLength(0);
  });
});
