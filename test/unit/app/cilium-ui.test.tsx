// @vitest-environment happy-dom
/**
 * Cilium policies in the app, mounted under happy-dom on the e2e fixture (test/e2e/manifests-cilium/):
 * the policy list's Cilium group and search, the details view (rules in words, conditional ones marked,
 * default deny, counts from the evaluator), the graph's answer for the selection, the reach panel's
 * conditional verdict, and the key kinds the renderer tells apart (a cluster-wide Cilium key has no
 * slash, like an admin policy's).
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { policyItems } from '../../../renderer/src/components/SidePanel.tsx';
import {
  describeCiliumPolicy,
  policyKeyKind,
  summarizeCiliumPolicies,
} from '../../../renderer/src/model/cilium.ts';
import { buildSearchIndex, search } from '../../../renderer/src/model/search.ts';
import { summarizePolicies } from '../../../renderer/src/model/summary.ts';
import { createAnalysisEngine } from '../../../renderer/src/analysis/engine.ts';
import { mountSnapshot, settle, until } from './mount-app.tsx';

const DIR = join(process.cwd(), 'test/e2e/manifests-cilium');
const CNP = 'CiliumNetworkPolicy:shop/api-ingress';
const CCNP = 'CiliumClusterwideNetworkPolicy:egress-lockdown';

async function mountCilium() {
  const snapshot = await loadManifests([DIR]);
  return { ...(await mountSnapshot(snapshot)), snapshot };
}

const rowKeys = (): (string | null)[] =>
  screen.getAllByTestId('policy-row').map((r) => r.getAttribute('data-key'));

afterEach(() => cleanup());

describe('policy keys', () => {
  it('tells Cilium keys from admin and NetworkPolicy keys', () => {
    expect(policyKeyKind(CCNP)).toBe('cilium');
    expect(policyKeyKind(CNP)).toBe('cilium');
    expect(policyKeyKind('default-deny')).toBe('admin');
    expect(policyKeyKind('AdminNetworkPolicy:x')).toBe('admin');
    expect(policyKeyKind('shop/allow-web')).toBe('network-policy');
  });
});

describe('Cilium rules in words', () => {
  it('words peers, ports, deny-first order and the conditional reasons', async () => {
    const snapshot = await loadManifests([DIR]);
    const cnp = snapshot.ciliumPolicies?.find((p) => p.name === 'api-ingress');
    expect(cnp).toBeDefined();
    if (cnp === undefined) return;
    const [spec] = describeCiliumPolicy(cnp);
    expect(spec?.subject).toBe('pods app=api in namespace shop');
    expect(spec?.defaultDeny).toEqual({ ingress: true, egress: false });
    expect(spec?.rules.map((r) => [r.label, r.action, r.conditional])).toEqual([
      ['spec.ingressDeny[0]', 'deny', []],
      ['spec.ingress[0]', 'allow', ['requests HTTP GET /api/.* (on TCP 8080)']],
      ['spec.ingress[1]', 'allow', []],
    ]);
    expect(spec?.rules[0]?.peers).toEqual([{ text: 'everything (entity all)' }]);
    expect(spec?.rules[0]?.ports).toEqual(['TCP 22']);
    const summaries = summarizeCiliumPolicies(snapshot);
    expect(summaries.map((s) => [s.key, s.directions, s.denies, s.conditional])).toEqual([
      [CCNP, ['Egress'], false, true],
      [CNP, ['Ingress'], true, true],
    ]);
  });

  it('words CIDRs with exceptions, Services and empty rules', () => {
    const s = snapshotFromText(
      `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: out, namespace: shop}
spec:
  endpointSelector: {}
  ingress: [{}]
  egress:
  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}]
  - toServices: [{k8sService: {serviceName: db, namespace: shop}}]
`,
      'm.yaml',
    );
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const policy = s.ciliumPolicies?.[0];
    if (policy === undefined) throw new Error('not loaded');
    const rules = describeCiliumPolicy(policy)[0]?.rules ?? [];
    expect(rules.slice(0, 2).map((r) => [r.label, r.peers])).toEqual([
      ['spec.ingress[0]', 'none'],
      ['spec.egress[0]', [{ text: 'addresses in 10.0.0.0/8 except 10.1.0.0/16 (outside the cluster only)' }]],
    ]);
    expect(rules[2]?.label).toBe('spec.egress[1]');
    expect(rules[2]?.conditional).toEqual(['the endpoints of Service shop/db']);
  });
});

describe('the policy list', () => {
  it('puts Cilium policies in a group of their own between NetworkPolicies and Baseline', async () => {
    const snapshot = await loadManifests([DIR]);
    const items = policyItems(summarizePolicies(snapshot), [], '', 'all', summarizeCiliumPolicies(snapshot));
    expect(items.map((i) => (i.kind === 'group' ? `group:${i.tier}` : i.policy.key))).toEqual([
      'group:Cilium',
      CCNP,
      CNP,
    ]);
    expect(policyItems([], [], '', 'NetworkPolicy', summarizeCiliumPolicies(snapshot))).toEqual([
      { kind: 'group', tier: 'NetworkPolicy', shown: 0, total: 0 },
    ]);
    const found = policyItems([], [], 'ccnp', 'all', summarizeCiliumPolicies(snapshot));
    expect(found.filter((i) => i.kind === 'cilium').map((i) => i.policy.key)).toEqual([CCNP]);
  });
});

describe('the command palette', () => {
  it('finds Cilium policies by name, kind and namespace, and selects them by their key', async () => {
    const snapshot = await loadManifests([DIR]);
    const index = buildSearchIndex(snapshot);
    expect(search(index, 'egress-lockdown').map((i) => i.ref)).toEqual([CCNP]);
    expect(search(index, 'cnp shop').map((i) => i.ref)).toContain(CNP);
    const hit = search(index, 'api-ingress')[0];
    expect(hit).toMatchObject({ kind: 'policy', ref: CNP, detail: 'CiliumNetworkPolicy · shop' });
  });
});

describe('Cilium policies in the app', () => {
  it('lists them, filters them, and shows a policy with the evaluator’s counts and edges', async () => {
    const { view, snapshot } = await mountCilium();
    fireEvent.click(screen.getByTestId('tab-policies'));
    await settle();
    expect(screen.getByTestId('count-policies').getAttribute('data-count')).toBe('2');
    expect(screen.getAllByTestId('policy-group').map((g) => g.getAttribute('data-tier'))).toEqual(['Cilium']);
    expect(rowKeys()).toEqual([CCNP, CNP]);
    fireEvent.change(screen.getByLabelText('Filter policies'), { target: { value: 'api' } });
    await settle();
    expect(rowKeys()).toEqual([CNP]);
    act(() => view.getState().setFilter(''));

    fireEvent.click(
      screen.getAllByTestId('policy-row').find((r) => r.getAttribute('data-key') === CNP) as HTMLElement,
    );
    await until(() => screen.queryByTestId('policy-effect') !== null, 'the policy effect');
    const panel = screen.getByTestId('inspector');
    expect(panel.getAttribute('data-kind')).toBe('policy');
    expect(panel.textContent).toContain('CiliumNetworkPolicy');
    const effect = createAnalyzer(snapshot).policyEffect(CNP);
    for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'unaffected'] as const)
      expect(within(panel).getByTestId(`effect-${k}`).textContent).toBe(
        effect.counts[k].toLocaleString('en-US'),
      );
    expect(within(panel).getByTestId('effect-unknown').textContent).toBe(String(effect.counts.unknown));
    expect(within(panel).getAllByTestId('pod-link')).toHaveLength(effect.selects.length);
    expect(within(panel).getByTestId('cilium-default-deny').textContent).toContain('ingress');
    const rules = within(panel).getAllByTestId('cilium-rule');
    expect(rules.map((r) => r.getAttribute('data-conditional'))).toEqual(['false', 'true', 'false']);
    expect(within(panel).getByTestId('cilium-rule-conditional').textContent).toBe(
      'conditional: only for requests HTTP GET /api/.* (on TCP 8080)',
    );
    // No draft button: the editor has no Cilium form.
    expect(within(panel).queryByTestId('edit-copy')).toBeNull();

    // The graph draws the evaluator's answer for the selection.
    await until(
      () => screen.getByTestId('graph-stats').getAttribute('data-phase') === 'full',
      'the full overlay',
    );
    const stats = screen.getByTestId('graph-stats');
    expect(stats.getAttribute('data-subjects')).toBe('1');
    expect(Number(stats.getAttribute('data-flowing'))).toBeGreaterThan(0);
    expect(Number(stats.getAttribute('data-denied'))).toBeGreaterThan(0);

    // The cluster-wide one is not mistaken for an admin policy.
    act(() => view.getState().select({ kind: 'policy', key: CCNP }));
    await until(() => screen.queryByTestId('cilium-subject') !== null, 'the CCNP details');
    expect(screen.getByTestId('inspector').textContent).toContain('CiliumClusterwideNetworkPolicy');
    expect(screen.queryByTestId('header-priority')).toBeNull();
  });

  it('shows a conditional reach verdict in its own words, with the reason', async () => {
    const { view } = await mountCilium();
    act(() => {
      view.getState().openReach({ kind: 'pod', key: 'shop/web-0' });
      view.getState().setReach({ to: { kind: 'pod', key: 'shop/api-0' }, port: '8080', protocol: 'TCP' });
    });
    await until(() => screen.queryByTestId('reach-verdict') !== null, 'the verdict');
    const verdict = screen.getByTestId('reach-verdict');
    expect(verdict.getAttribute('data-verdict')).toBe('conditional');
    expect(verdict.querySelector('.verdict-word')?.textContent).toBe('Conditional');
    expect(verdict.querySelector('.verdict-banner')?.className).toContain('verdict-conditional');
    expect(screen.getByTestId('verdict-conditional').textContent).toBe(
      'Allowed only for some requests: CiliumNetworkPolicy:shop/api-ingress spec.ingress[0]: allowed only for HTTP GET /api/.*',
    );
    const ingress = screen.getByTestId('side-ingress');
    expect(ingress.querySelector('.side-verdict')?.textContent).toBe('allows some requests');
    expect(within(ingress).getByTestId('side-conditional')).toBeTruthy();
    const stats = screen.getByTestId('graph-stats');
    await until(() => stats.getAttribute('data-phase') === 'full', 'the path overlay');
  });
});

describe('the analysis engine', () => {
  it('analyses a changed Cilium policy afresh', async () => {
    const snapshot = await loadManifests([DIR]);
    const engine = createAnalysisEngine(() => 0);
    engine.handle({ id: 1, method: 'load', params: { snapshot, revision: 1 } });
    const query = {
      from: { kind: 'pod' as const, namespace: 'shop', name: 'web-0' },
      to: { kind: 'pod' as const, namespace: 'shop', name: 'api-0' },
      protocol: 'TCP' as const,
      port: 22,
    };
    expect(engine.analyzer()?.check(query).verdict).toBe('denied');
    const without = {
      ...snapshot,
      ciliumPolicies: (snapshot.ciliumPolicies ?? []).filter((p) => p.name !== 'api-ingress'),
    };
    const r = engine.handle({ id: 2, method: 'load', params: { snapshot: without, revision: 2 } });
    expect(r.ok && (r.value as { mode: string }).mode).toBe('replace');
    expect(engine.analyzer()?.check(query).verdict).toBe('allowed');
  });
});
