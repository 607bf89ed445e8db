// @vitest-environment happy-dom
/**
 * The editor panel with Calico drafts, on real stores and the analysis handler in this thread, for a
 * live cluster that allows apply: a template opens YAML only with the library's what-if; apply is not
 * offered (a note says to use calicoctl or kubectl); a loaded policy's details offer "Edit a copy" and
 * "Duplicate", a staged one "Try staged policy", and one with an HTTP match says why it cannot be edited.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { isCalicoDraft } from '../../../shared/editor/index.ts';
import { applyDeltas, diffConnections } from '../../../shared/eval/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { EditCopyButton } from '../../../renderer/src/editor/entry.tsx';
import { enabledDeltas } from '../../../renderer/src/editor/whatif-binding.ts';
import { shopWith } from '../../fixtures/calico-editor/cluster.ts';
import { fakeApi, mountEditorPanel, whatIfReady } from './mount-app.tsx';

const POLICIES = [
  `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api-allow, namespace: shop}
spec:
  selector: app == 'api'
  ingress: [{action: Allow, protocol: TCP, destination: {ports: [8080]}}]
`,
  `apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: {name: api-allow, namespace: shop}
spec:
  selector: app == 'api'
  ingress: [{action: Allow, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: [8080]}}]
`,
  `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api-http, namespace: shop}
spec:
  selector: app == 'api'
  ingress: [{action: Allow, protocol: TCP, http: {methods: [GET]}}]
`,
];

/** The panel (and a policy's editor buttons) for a live cluster whose server offers dry-run and apply. */
function mount(snapshot: Snapshot, policyKey?: string) {
  const before = policyKey !== undefined && <EditCopyButton policyKey={policyKey} />;
  const { editor } = mountEditorPanel(fakeApi({ capabilities: ['dry-run', 'apply'] }), snapshot, { before });
  return { editor };
}

afterEach(cleanup);

const live = (): Snapshot => ({
  ...shopWith(...POLICIES),
  source: { kind: 'cluster', context: 'prod', server: 'https://prod:6443' },
});

describe('Calico drafts in the editor panel', () => {
  it('a template is YAML only, previewed like the library, and not applied: a note says how', async () => {
    const snapshot = live();
    const { editor } = mount(snapshot);
    fireEvent.click(document.querySelector('[data-choice="new-kind"] [data-value="Calico"]') as Element);
    expect(screen.getByTestId('new-policy-chooser').getAttribute('data-kind')).toBe('Calico');
    fireEvent.click(screen.getByTestId('template:calico-global-default-deny'));
    const draft = editor.getState().drafts[0]?.draft;
    expect(draft).toMatchObject({ kind: 'Calico', calicoKind: 'GlobalNetworkPolicy', name: 'default-deny' });
    expect(document.querySelector('form.ed-form')).toBeNull();
    expect(screen.getByTestId('draft').textContent).toContain('Calico GlobalNetworkPolicy');
    await whatIfReady();
    const deltas = enabledDeltas(editor.getState().drafts).deltas;
    const expected = diffConnections(snapshot, applyDeltas(snapshot, deltas)).counts;
    expect(expected.removed).toBeGreaterThan(0);
    expect(screen.getByTestId('whatif').getAttribute('data-removed')).toBe(String(expected.removed));
    await waitFor(() => expect(screen.getByTestId('calico-apply-note').textContent).toMatch(/calicoctl/));
    expect(screen.queryByTestId('dry-run')).toBeNull();
    expect(screen.queryByTestId('cilium-apply-note')).toBeNull();
  });

  it('a loaded policy opens as an edit or as a renamed copy', async () => {
    const { editor } = mount(live(), 'Calico:NetworkPolicy/shop/default.api-allow');
    fireEvent.click(screen.getByTestId('edit-copy'));
    fireEvent.click(screen.getByTestId('edit-copy'));
    // A second click shows the same draft.
    expect(editor.getState().drafts).toHaveLength(1);
    const edit = editor.getState().drafts[0]?.draft;
    expect(edit?.origin).toEqual({
      kind: 'NetworkPolicy',
      namespace: 'shop',
      tier: 'default',
      name: 'api-allow',
    });
    fireEvent.click(screen.getByTestId('duplicate-policy'));
    const copy = editor.getState().drafts[1]?.draft;
    expect(copy).toMatchObject({ kind: 'Calico', name: 'api-allow-copy' });
    expect(copy?.origin).toBeUndefined();
    await whatIfReady();
  });

  it('a staged policy is tried as the enforced kind; one with an HTTP match says why it is not editable', () => {
    const { editor } = mount(live(), 'Calico:StagedNetworkPolicy/shop/default.api-allow');
    expect(screen.queryByTestId('edit-copy')).toBeNull();
    fireEvent.click(screen.getByTestId('try-staged'));
    const tried = editor.getState().drafts[0]?.draft;
    if (tried === undefined || !isCalicoDraft(tried)) throw new Error('no Calico draft');
    expect(tried).toMatchObject({ calicoKind: 'NetworkPolicy', name: 'api-allow' });
    expect(tried.origin).toBeUndefined();
    expect(screen.getByTestId('draft-replaces').textContent).toBe(
      'replaces Calico:NetworkPolicy/shop/default.api-allow',
    );
    cleanup();

    mount(live(), 'Calico:NetworkPolicy/shop/default.api-http');
    const button = screen.getByTestId<HTMLButtonElement>('edit-copy');
    expect(button.disabled).toBe(true);
    expect(button.title).toMatch(/HTTP matches/);
  });
});
