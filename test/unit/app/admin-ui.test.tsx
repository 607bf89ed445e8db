// @vitest-environment happy-dom
/**
 * The app with admin tiers, mounted under happy-dom on the shared fixture cluster: the policy list's
 * tiers and filter, an admin policy's panel (counts from the evaluator, rules with their actions), a
 * pod's policies per tier, and the reach panel's chain worded as `netglass check` words it.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer, formatTierChain } from '../../../shared/eval/index.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { mountSnapshot, settle } from './mount-app.tsx';

const CLUSTER = join(process.cwd(), 'test/fixtures/admin/cluster.yaml');

async function mountCluster() {
  const snapshot = await loadManifests([CLUSTER]);
  return { ...(await mountSnapshot(snapshot)), snapshot };
}

const row = (key: string): HTMLElement =>
  screen.getAllByTestId('policy-row').find((r) => r.getAttribute('data-key') === key) as HTMLElement;

afterEach(() => cleanup());

describe('admin tiers in the app', () => {
  it('lists admin policies by tier with a filter, and counts them in the tab', async () => {
    const { view } = await mountCluster();
    expect(screen.getByTestId('count-policies').textContent).toBe('10');
    fireEvent.click(screen.getByTestId('tab-policies'));
    expect(screen.getAllByTestId('policy-group').map((g) => g.getAttribute('data-tier'))).toEqual([
      'Admin',
      'NetworkPolicy',
      'Baseline',
    ]);
    const filter = screen.getByTestId('tier-filter');
    fireEvent.click(within(filter).getByText('Admin'));
    expect(view.getState().tierFilter).toBe('Admin');
    expect(screen.getAllByTestId('policy-row').map((r) => r.getAttribute('data-key'))).toEqual([
      'accept-monitoring',
      'pass-shop-to-payments',
      'deny-cross-namespace',
    ]);
    expect(screen.getAllByTestId('policy-priority').map((p) => p.textContent)).toEqual(['10', '20', '30']);
  });

  it("shows an admin policy's effect, tier, pods and rules in order with their actions", async () => {
    const { snapshot, view } = await mountCluster();
    fireEvent.click(screen.getByTestId('tab-policies'));
    fireEvent.click(row('deny-cross-namespace'));
    await settle();
    expect(view.getState().selection).toEqual({ kind: 'policy', key: 'deny-cross-namespace' });
    const expected = createAnalyzer(snapshot).policyEffect('deny-cross-namespace');
    const panel = screen.getByTestId('inspector');
    expect(panel.getAttribute('data-kind')).toBe('policy');
    expect(within(panel).getByTestId('effect-denied').textContent).toBe(
      expected.counts.denied.toLocaleString('en-US'),
    );
    expect(within(panel).getByTestId('effect-passed').textContent).toBe(
      expected.counts.passed.toLocaleString('en-US'),
    );
    expect(within(panel).getByTestId('header-priority').textContent).toBe('priority 30');
    expect(
      within(panel)
        .getAllByTestId('pod-link')
        .map((l) => l.getAttribute('data-key')),
    ).toEqual(expected.selects);
    const rules = within(panel).getAllByTestId('rule');
    expect(rules.map((r) => r.getAttribute('data-action'))).toEqual(['Deny', 'Pass', 'Deny']);
    expect(rules.map((r) => within(r).getByTestId('rule-decided').getAttribute('data-count'))).toEqual(
      expected.rules.map((r) => String(r.matched)),
    );
    expect(within(panel).getByTestId('policy-yaml').textContent).toContain('action: Pass');
    const stats = screen.getByTestId('graph-stats');
    expect(Number(stats.getAttribute('data-passed'))).toBeGreaterThan(0);
    expect(Number(stats.getAttribute('data-denied'))).toBeGreaterThan(0);
  });

  it('lists a pod’s admin policies per direction before its NetworkPolicies', async () => {
    const { view } = await mountCluster();
    act(() => view.getState().select({ kind: 'pod', key: 'payments/postgres-0' }));
    await settle();
    const ingress = screen.getByTestId('direction-ingress');
    const lines = [...ingress.querySelectorAll('[data-testid]')]
      .map((e) => e.getAttribute('data-testid'))
      .filter((t) => t === 'admin-ingress' || t === 'isolation-ingress' || t === 'baseline-ingress');
    expect(lines).toEqual(['admin-ingress', 'isolation-ingress', 'baseline-ingress']);
    expect(
      within(screen.getByTestId('admin-ingress'))
        .getAllByTestId('policy-link')
        .map((l) => l.getAttribute('data-key')),
    ).toEqual(['accept-monitoring', 'deny-cross-namespace']);
  });

  it('explains each side of a reach query through the tiers, in the CLI’s words', async () => {
    const { view, snapshot } = await mountCluster();
    const from = { kind: 'pod' as const, key: 'monitoring/prometheus-0' };
    const to = { kind: 'pod' as const, key: 'shop/web-7f9c6b5d4-abcde' };
    act(() => {
      view.getState().openReach(from);
      view.getState().setReach({ to, port: '9100', protocol: 'TCP' });
    });
    await settle();
    const verdict = createAnalyzer(snapshot).check({
      from: { kind: 'pod', namespace: 'monitoring', name: 'prometheus-0' },
      to: { kind: 'pod', namespace: 'shop', name: 'web-7f9c6b5d4-abcde' },
      port: 9100,
      protocol: 'TCP',
    });
    expect(screen.getByTestId('reach-verdict').getAttribute('data-verdict')).toBe('allowed');
    const ingress = screen.getByTestId('side-ingress');
    expect(ingress.getAttribute('data-decided-by')).toBe('Admin');
    expect(ingress.getAttribute('data-chain')).toBe(formatTierChain(verdict.ingress, 'ingress'));
    const rule = within(ingress).getByTestId('chain-admin-rule');
    expect(rule.getAttribute('data-action')).toBe('Accept');
    expect(rule.textContent).toContain('accept-prometheus-scrapes');
    expect(
      within(ingress)
        .getAllByTestId('tier-step')
        .map((s) => `${s.getAttribute('data-tier')}:${s.getAttribute('data-state')}`),
    ).toEqual(['Admin:decided', 'NetworkPolicy:skipped', 'Baseline:skipped', 'default:skipped']);
    // From the chain to the policy.
    fireEvent.click(within(ingress).getByTestId('chain-policy'));
    expect(view.getState().reach.active).toBe(false);
    expect(view.getState().selection).toEqual({ kind: 'policy', key: 'accept-monitoring' });
  });
});
