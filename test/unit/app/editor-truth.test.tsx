// @vitest-environment happy-dom
/**
 * What the user sees is what counts (issue 12, items 1–3 and the editor's part of 11): YAML that does
 * not load makes the whole editor say "invalid" (footer, Copy, Save, what-if), and a form change
 * makes it whole again; a new draft named like an existing policy says which one it replaces, an edit
 * that keeps its name does not; policies the loader refused mark their namespace and turn the status
 * amber, and the status opens the issues list.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { draftFromPolicy, withoutLoadTail } from '../../../shared/editor/index.ts';
import { applyDeltas, diffConnections } from '../../../shared/eval/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { draftStatus } from '../../../renderer/src/editor/validity.ts';
import { enabledDeltas } from '../../../renderer/src/editor/whatif-binding.ts';
import { failedPoliciesByNamespace, loadErrorCount } from '../../../renderer/src/model/load-errors.ts';
import { pillFor } from '../../../renderer/src/store/cluster-model.ts';
import { emitSnapshot, fakeApi, mountApp, mountEditorPanel, settle, whatIfReady } from './mount-app.tsx';

// Under happy-dom import.meta.url is not a file: URL; vitest runs from the repository root.
const DEMO = join(process.cwd(), 'shared/demo/demo-cluster.yaml');
const MISTAKES = join(process.cwd(), 'test/e2e/manifests/shop-with-mistakes.yaml');

/** A host that opens the demo and manifests and can save policies; each saved YAML lands in `saved`. */
const host = (saved: string[] = []) => fakeApi({ capabilities: ['demo', 'manifests'], saved });

function mountPanel(snapshot: Snapshot) {
  const saved: string[] = [];
  const { editor } = mountEditorPanel(host(saved), snapshot);
  return { editor, saved };
}

const footer = () => screen.getByTestId('editor-footer');
const disabled = (id: string) => screen.getByTestId<HTMLButtonElement>(id).disabled;
const field = (path: string) => {
  const el = document.querySelector(`[data-field="${path}"]`);
  if (el === null) throw new Error(`no field ${path}`);
  return el;
};

afterEach(() => cleanup());

describe('one truth of validity in the editor', () => {
  it('YAML that does not load (protocol: TCPX) makes the draft invalid everywhere; a form change wins it back', async () => {
    const snapshot = await loadManifests([DEMO]);
    const existing = snapshot.policies.find((p) => p.name === 'microsvc-users-api-allow');
    if (existing === undefined) throw new Error('the demo lost microsvc-users-api-allow');
    const { editor, saved } = mountPanel(snapshot);
    act(() => {
      editor.getState().add(draftFromPolicy(existing));
    });
    await settle(60);
    expect(footer().getAttribute('data-valid')).toBe('true');
    expect(screen.getByTestId('validation-summary').textContent).toContain('Valid');

    const text = screen.getByTestId<HTMLTextAreaElement>('yaml-text');
    const good = text.value;
    expect(good).toContain('protocol: TCP\n');
    fireEvent.change(text, { target: { value: good.replace('protocol: TCP\n', 'protocol: TCPX\n') } });
    await settle(60);
    expect(footer().getAttribute('data-valid')).toBe('false');
    const summary = screen.getByTestId('validation-summary');
    expect(summary.textContent).not.toContain('Valid');
    expect(summary.getAttribute('data-errors')).toBe('1');
    expect(disabled('copy-yaml')).toBe(true);
    expect(disabled('save-policy')).toBe(true);
    expect(screen.getByTestId('whatif').getAttribute('data-status')).toBe('off');
    // The draft list agrees, and the message has no "… was not loaded" tail.
    expect(within(screen.getByTestId('draft')).getByText('1 error')).toBeTruthy();
    const issue = screen.getByTestId('yaml-issue');
    expect(issue.textContent).toContain('unsupported protocol "TCPX"');
    expect(issue.textContent).not.toContain('was not loaded');
    // Save cannot write the last valid form state behind the user's back.
    fireEvent.click(screen.getByTestId('save-policy'));
    await settle(60);
    expect(saved).toEqual([]);
    // The one function every part asks says the same.
    const entry = editor.getState().drafts[0];
    if (entry === undefined) throw new Error('no draft');
    expect(draftStatus(entry, editor.getState(), snapshot).valid).toBe(false);
    expect(draftStatus(entry, { yamlErrors: undefined }, snapshot).valid).toBe(true);
    expect(enabledDeltas(editor.getState().drafts, editor.getState(), snapshot).invalid).toBe(1);

    // Edited last in the form: the form's draft is the truth again and the YAML shows it.
    fireEvent.change(field('name'), { target: { value: 'users-api-allow-2' } });
    await settle(60);
    expect(footer().getAttribute('data-valid')).toBe('true');
    expect(disabled('save-policy')).toBe(false);
    expect(screen.getByTestId<HTMLTextAreaElement>('yaml-text').value).not.toContain('TCPX');
    await whatIfReady();
  });

  it('form field errors carry no parser tail', async () => {
    const snapshot = await loadManifests([DEMO]);
    mountPanel(snapshot);
    fireEvent.change(screen.getByTestId('chooser-namespace'), { target: { value: 'identity' } });
    fireEvent.click(screen.getByTestId('new-blank'));
    await settle(60);
    fireEvent.change(field('name'), { target: { value: 'Not_Valid' } });
    await settle(60);
    const messages = document.querySelector('[data-issues-for="name"]')?.textContent ?? '';
    expect(messages).not.toBe('');
    expect(messages).not.toContain('was not loaded');
    expect(withoutLoadTail('bad name; NetworkPolicy identity/x was not loaded')).toBe('bad name');
  });
});

describe('a new draft named like an existing policy', () => {
  it('says "replaces identity/microsvc-users-api-allow", and the what-if shows the replacement', async () => {
    const snapshot = await loadManifests([DEMO]);
    const { editor } = mountPanel(snapshot);
    fireEvent.change(screen.getByTestId('chooser-namespace'), { target: { value: 'identity' } });
    fireEvent.click(screen.getByTestId('new-blank'));
    await settle(60);
    expect(screen.queryByTestId('np-replaces')).toBeNull();
    fireEvent.change(field('name'), { target: { value: 'microsvc-users-api-allow' } });
    await settle(60);
    expect(screen.getByTestId('np-replaces').textContent).toBe('replaces identity/microsvc-users-api-allow');
    expect(screen.getByTestId('draft-replaces').textContent).toBe(
      'replaces identity/microsvc-users-api-allow',
    );
    expect(screen.getByTestId('validation-summary').getAttribute('data-warnings')).toBe('1');
    // Honest: the preview holds the draft in the existing policy's place, not both.
    const deltas = enabledDeltas(editor.getState().drafts, editor.getState(), snapshot).deltas;
    const after = applyDeltas(snapshot, deltas);
    expect(after.policies.length).toBe(snapshot.policies.length);
    const counts = diffConnections(snapshot, after).counts;
    expect(counts.removed).toBeGreaterThan(0);
    const whatIf = screen.getByTestId('whatif');
    await whatIfReady();
    expect(whatIf.getAttribute('data-removed')).toBe(String(counts.removed));
    expect(whatIf.getAttribute('data-added')).toBe(String(counts.added));
  });

  it('an edit of an existing policy keeps its name without a warning', async () => {
    const snapshot = await loadManifests([DEMO]);
    const existing = snapshot.policies.find((p) => p.name === 'microsvc-users-api-allow');
    if (existing === undefined) throw new Error('the demo lost microsvc-users-api-allow');
    const { editor } = mountPanel(snapshot);
    act(() => {
      editor.getState().add(draftFromPolicy(existing));
    });
    await settle(60);
    expect(screen.queryByTestId('np-replaces')).toBeNull();
    expect(screen.queryByTestId('draft-replaces')).toBeNull();
    expect(screen.getByTestId('validation-summary').getAttribute('data-warnings')).toBeNull();
    // Renamed onto another existing policy, the edit does replace that one.
    fireEvent.change(field('name'), { target: { value: 'database-access-api-only' } });
    await settle(60);
    expect(screen.getByTestId('np-replaces').textContent).toBe('replaces identity/database-access-api-only');
  });
});

describe('policies that failed to load', () => {
  it('mark their namespace, turn the status amber with the count, and the status opens the issues', async () => {
    const snapshot = await loadManifests([MISTAKES]);
    const errors = loadErrorCount(snapshot.issues);
    expect(errors).toBeGreaterThan(0);
    expect(snapshot.policies.some((p) => p.name === 'web-allow')).toBe(false);
    expect(
      failedPoliciesByNamespace(snapshot)
        .get('shop')
        ?.map((f) => f.name),
    ).toEqual(['web-allow']);
    const refused = failedPoliciesByNamespace(snapshot).get('shop')?.[0]?.issues[0];
    expect(refused?.location?.file).toBe(MISTAKES);
    expect(refused?.location?.line).toBeGreaterThan(0);

    const { api, emit } = host();
    mountApp(api);
    await emitSnapshot(emit, snapshot);
    const pill = screen.getByTestId('connection-pill');
    expect(pill.getAttribute('data-state')).toBe('loaded-with-errors');
    expect(pill.className).toContain('pill-warning');
    expect(pill.textContent).toBe(`Loaded with ${errors} ${errors === 1 ? 'error' : 'errors'}`);

    const row = screen.getAllByTestId('namespace-row').find((r) => r.getAttribute('data-name') === 'shop');
    if (row === undefined) throw new Error('no shop row');
    expect(row.getAttribute('data-failed')).toBe('1');
    expect(within(row).getByTestId('namespace-failed-tag').textContent).toBe('policies not loaded');
    expect(within(row).queryByText('no policy')).toBeNull();

    expect(screen.queryByTestId('issues-list')).toBeNull();
    fireEvent.click(pill);
    const list = screen.getByTestId('issues-list');
    expect(list.textContent).toContain('NetworkPolicy shop/web-allow');
    expect(list.textContent).toMatch(/shop-with-mistakes\.yaml:\d+/);
  });

  it('a clean load stays green "Loaded"', () => {
    const ready = { state: 'ready', source: { kind: 'demo' }, revision: 1, loadedAt: '' } as const;
    expect(pillFor(ready, false)).toEqual({ tone: 'ok', state: 'loaded', label: 'Loaded' });
    expect(pillFor(ready, false, 2)?.label).toBe('Loaded with 2 errors');
  });
});
