// @vitest-environment happy-dom
/**
 * The details panel split per selection kind (issue 12 item 12), mounted with the real stores on the
 * demo cluster: a pod lists each peer once with its ports grouped, a workload shows its pods, the
 * policies that apply to them and their isolation, and a label search in the pods tab lights the pods
 * the worker says it selects (and the list shows the same pods).
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import { podKey } from '../../../shared/model/snapshot.ts';
import type { PeerAccess } from '../../../renderer/src/analysis/protocol.ts';
import { groupByPorts } from '../../../renderer/src/components/details/peer-groups.ts';
import { selectorKeys, workloadKey } from '../../../renderer/src/graph/elements.ts';
import { mountSnapshot, until } from './mount-app.tsx';

const DEMO = join(process.cwd(), 'shared/demo/demo-cluster.yaml');

afterEach(() => cleanup());

const pod = (namespace: string, name: string, allowed: number[], unknown: number[] = []): PeerAccess => ({
  peer: { kind: 'pod', namespace, name },
  allowed,
  unknown,
});

describe('peers grouped by their ports', () => {
  it('lists each peer once, under the ports it may use', () => {
    const ports = [
      { protocol: 'TCP' as const, port: 80 },
      { protocol: 'TCP' as const, port: 443 },
      { protocol: 'UDP' as const, port: 53 },
    ];
    const clients = Array.from({ length: 22 }, (_, i) => pod('shop', `client-${i}`, [0, 1]));
    const groups = groupByPorts(
      [...clients, pod('ops', 'probe', [1]), pod('ops', 'dns', [], [2]), pod('ops', 'idle', [])],
      ports,
    );
    // 22 clients on the same two ports: one group, not one list per port.
    expect(
      groups.map((g) => [g.allowed.map((p) => p.port), g.unknown.map((p) => p.port), g.pods.length]),
    ).toEqual([
      [[80, 443], [], 22],
      [[443], [], 1],
      [[], [53], 1],
    ]);
    const names = groups.flatMap((g) => g.pods.map((p) => (p.peer.kind === 'pod' ? p.peer.name : '')));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('details per selection kind', () => {
  it('a pod lists each peer once, with the evaluator’s allowed ports', async () => {
    const snapshot = snapshotFromText(readFileSync(DEMO, 'utf8'), DEMO);
    const { view } = await mountSnapshot(snapshot);
    const analyzer = createAnalyzer(snapshot);
    // The pod with the most distinct inbound peers.
    const target = snapshot.pods.find((p) => p.name.startsWith('users-db')) ?? snapshot.pods[0];
    if (target === undefined) throw new Error('demo has no pod');
    act(() => view.getState().select({ kind: 'pod', key: podKey(target) }));
    const panel = await screen.findByTestId('inspector');
    expect(panel.getAttribute('data-kind')).toBe('pod');
    await until(() => within(panel).queryByTestId('connections-in') !== null, 'connections');
    const inbound = within(panel).getByTestId('connections-in');
    const groups = within(inbound).queryAllByTestId('port-group');
    const shown = within(inbound)
      .queryAllByTestId('port-peer')
      .map((e) => e.textContent);
    expect(new Set(shown).size).toBe(shown.length);
    // Every pod the evaluator lets in on some port is in exactly one group.
    const total = groups.reduce((n, g) => n + Number(g.getAttribute('data-peers')), 0);
    const expected = snapshot.pods.filter(
      (p) =>
        podKey(p) !== podKey(target) &&
        analyzer.check({
          from: { kind: 'pod', namespace: p.namespace, name: p.name },
          to: { kind: 'pod', namespace: target.namespace, name: target.name },
          protocol: 'TCP',
          port: target.ports[0]?.containerPort ?? 80,
        }).verdict === 'allowed',
    ).length;
    expect(total).toBeGreaterThanOrEqual(expected);
  });

  it('a workload shows its pods, the policies that apply to them, and their isolation', async () => {
    const snapshot = snapshotFromText(readFileSync(DEMO, 'utf8'), DEMO);
    const { view } = await mountSnapshot(snapshot);
    const keys = selectorKeys(snapshot);
    const byWorkload = new Map<string, string[]>();
    for (const p of snapshot.pods) {
      const id = workloadKey(p, keys);
      if (id !== undefined) byWorkload.set(id, [...(byWorkload.get(id) ?? []), podKey(p)]);
    }
    // A workload of several replicas that some NetworkPolicy isolates.
    const analyzer = createAnalyzer(snapshot);
    const [id, pods] =
      [...byWorkload].find(
        ([, ps]) => ps.length > 1 && analyzer.isolation(ps[0] ?? '').ingress.isolated === true,
      ) ?? [];
    if (id === undefined || pods === undefined) throw new Error('demo has no isolated workload');
    act(() => view.getState().setGrouping('on'));
    act(() => view.getState().select({ kind: 'workload', id }));
    const panel = await screen.findByTestId('inspector');
    expect(panel.getAttribute('data-kind')).toBe('workload');
    const list = within(panel).getByTestId('workload-pods');
    // Links carry the short name (the replica's suffix is enough to tell them apart).
    for (const key of pods) expect(list.textContent).toContain(key.split('-').pop());
    expect(list.textContent).toContain(`${pods.length} pods`);
    await until(
      () => within(panel).queryByTestId('isolation-ingress')?.getAttribute('data-isolated') === 'true',
      'workload isolation',
    );
    const first = pods[0] ?? '';
    const iso = analyzer.isolation(first);
    const ingress = within(panel).getByTestId('isolation-ingress');
    for (const policy of iso.ingress.policies) expect(ingress.textContent).toContain(policy.split('/')[1]);
    expect(within(panel).getByTestId('isolation-egress').getAttribute('data-isolated')).toBe(
      String(iso.egress.isolated),
    );
    await until(() => within(panel).queryByTestId('connections-in') !== null, 'workload connections');
  });

  it('a label search in the pods tab lights the pods the worker says it selects', async () => {
    const snapshot = snapshotFromText(readFileSync(DEMO, 'utf8'), DEMO);
    await mountSnapshot(snapshot);
    fireEvent.click(screen.getByTestId('tab-pods'));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), {
      target: { value: 'tier=database' },
    });
    const expected = snapshot.pods.filter((p) => p.labels['tier'] === 'database').map(podKey);
    await until(
      () => screen.queryByTestId('label-match')?.getAttribute('data-count') === String(expected.length),
      'label match',
    );
    expect(screen.getByTestId('label-match').textContent).toContain('lit on the graph');
    expect(screen.getAllByTestId('pod-row').map((r) => r.getAttribute('data-key'))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(screen.getAllByTestId('pod-row')).toHaveLength(expected.length);
    const stats = screen.getByTestId('graph-stats');
    await until(() => stats.getAttribute('data-subjects') === String(expected.length), 'lit pods');
    // A plain word stays a text filter and lights nothing.
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), { target: { value: 'users' } });
    await until(() => stats.getAttribute('data-subjects') === '0', 'nothing lit');
    expect(screen.queryByTestId('label-match')).toBeNull();
  });
});
