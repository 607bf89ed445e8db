import { describe, expect, it } from 'vitest';
import { applyDeltas, createAnalyzer, diffConnections } from '../../../shared/eval/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { expectOracle, expectRepresented, peerText } from '../../fixtures/diff/oracle.ts';
import { ns, pod, policy, sel, snapshot } from './build.ts';

const seedBase = (): Snapshot =>
  snapshot(
    [ns('billing', { team: 'payments' }), ns('shop', { team: 'commerce' })],
    [
      pod('billing', 'ledger', { app: 'ledger', access: 'restricted' }, { ips: ['10.244.3.10'] }),
      pod('billing', 'payments', { app: 'payments' }, { ips: ['10.244.3.11'] }),
      pod('shop', 'checkout', { app: 'checkout', access: 'restricted-ui' }, { ips: ['10.244.2.10'] }),
    ],
    [],
  );
const denyRestrictedEgress = policy('billing', 'deny-restricted-egress', {
  podSelector: sel({ access: 'restricted' }),
  policyTypes: ['Egress'],
});

describe('diffConnections', () => {
  it('seed: adding deny-restricted-egress removes exactly the restricted pods’ egress', () => {
    const before = seedBase();
    const after = { ...before, policies: [denyRestrictedEgress] };
    const d = expectOracle(before, after);
    expect(d.counts.added).toBe(0);
    expect(d.counts.removed).toBe(d.universe.ports.length * (2 + d.universe.externals.length));
    expect(new Set(d.removed.map((c) => peerText(c.from)))).toEqual(new Set(['billing/ledger']));
    expect(d.removed.map((c) => peerText(c.to))).toEqual(
      expect.arrayContaining(['billing/payments', 'shop/checkout', ...d.universe.externals]),
    );
    expect(d.policies).toEqual({ added: ['billing/deny-restricted-egress'], removed: [], changed: [] });
    expect(d.attribution).toEqual([
      {
        policy: 'billing/deny-restricted-egress',
        change: 'added',
        added: 0,
        removed: d.counts.removed,
        becameUnknown: 0,
        becameKnown: 0,
      },
    ]);
    // The other way round: the same connections come back.
    const back = expectOracle(after, before);
    expect(back.counts.added).toBe(d.counts.removed);
    expect(back.added.map((c) => [c.from, c.to, c.port])).toEqual(
      d.removed.map((c) => [c.from, c.to, c.port]),
    );
  });

  it('identical states: nothing changes, every connection is unchanged', () => {
    const s = { ...seedBase(), policies: [denyRestrictedEgress] };
    const d = expectOracle(s, s);
    expect(d.counts).toMatchObject({ added: 0, removed: 0, becameUnknown: 0, becameKnown: 0 });
    expect(d.counts.unchanged).toBe(d.counts.total);
    expect(d.counts.total).toBe((3 * 2 + 2 * 3 * d.universe.externals.length) * d.universe.ports.length);
    expect(d.pods).toEqual({ added: [], removed: [], changed: [] });
    expect(d.truncated).toBe(false);
  });

  it('pods in one state only are listed, not compared; a relabelled pod is compared', () => {
    const before = snapshot(
      [ns('x')],
      [pod('x', 'a', { app: 'a' }), pod('x', 'b', { app: 'b' }), pod('x', 'gone', { app: 'a' })],
      [
        policy('x', 'only-a', {
          podSelector: sel({ app: 'b' }),
          ingress: [{ peers: [{ kind: 'selector', podSelector: sel({ app: 'a' }) }], ports: 'any' }],
        }),
      ],
    );
    const after = {
      ...before,
      pods: [pod('x', 'a', { app: 'c' }), pod('x', 'b', { app: 'b' }), pod('x', 'new', { app: 'a' })],
    };
    const d = expectOracle(before, after);
    expect(d.pods).toEqual({ added: ['x/new'], removed: ['x/gone'], changed: ['x/a'] });
    expect(d.universe.pods).toBe(2);
    expect(d.removed.map((c) => `${peerText(c.from)}>${peerText(c.to)}`)).toEqual(['x/a>x/b']);
    expect(d.counts.added).toBe(0);
  });

  it('externals: the common refinement of both states’ ipBlocks (not just the union of representatives)', () => {
    const egress = (cidr: string) =>
      policy('x', 'out', {
        podSelector: sel(),
        policyTypes: ['Egress'],
        egress: [{ peers: [{ kind: 'ipBlock', ipBlock: { cidr, except: [] } }], ports: 'any' }],
      });
    const pods = [pod('x', 'a', {}, { ips: ['192.168.0.1'] })];
    const before = snapshot([ns('x')], pods, [egress('10.0.0.0/8')]);
    const after = snapshot([ns('x')], pods, [egress('10.0.0.0/16')]);
    const d = expectOracle(before, after);
    expect(d.counts.removed).toBeGreaterThan(0);
    expect(d.removed.every((c) => c.to.kind === 'external' && c.to.ip.startsWith('10.'))).toBe(true);
    expect(d.removed.some((c) => c.to.kind === 'external' && !c.to.ip.startsWith('10.0.'))).toBe(true);
    expectRepresented(
      before,
      after,
      d,
      ['10.0.0.5', '10.1.0.1', '10.255.255.255', '11.0.0.1', '8.8.8.8', '192.168.0.1'],
      [{ protocol: 'TCP', port: 80 }],
    );
  });

  it('ports: the union of both universes plus every uncovered class of the common refinement', () => {
    // Before: anyone on TCP 1-100, pod a on anything. After: anyone on TCP 101-65535, pod b on anything.
    // Neither universe alone probes UDP, where a loses and b gains.
    const rules = (range: [number, number], from: string) =>
      policy('x', 'in', {
        podSelector: sel({ app: 'd' }),
        ingress: [
          { peers: 'any', ports: [{ protocol: 'TCP', port: range[0], endPort: range[1] }] },
          { peers: [{ kind: 'selector', podSelector: sel({ app: from }) }], ports: 'any' },
        ],
      });
    const pods = [pod('x', 'a', { app: 'a' }), pod('x', 'b', { app: 'b' }), pod('x', 'd', { app: 'd' })];
    const before = snapshot([ns('x')], pods, [rules([1, 100], 'a')]);
    const after = snapshot([ns('x')], pods, [rules([101, 65535], 'b')]);
    const ub = createAnalyzer(before).universe().ports;
    const ua = createAnalyzer(after).universe().ports;
    const d = expectOracle(before, after);
    for (const p of [...ub, ...ua]) expect(d.universe.ports).toContainEqual(p);
    expect(d.universe.ports.some((p) => p.protocol === 'UDP')).toBe(true);
    expect(d.removed).toContainEqual(
      expect.objectContaining({ from: { kind: 'pod', namespace: 'x', name: 'a' }, protocol: 'UDP' }),
    );
    expectRepresented(
      before,
      after,
      d,
      [],
      [1, 50, 100, 101, 5000, 65535].flatMap((port) =>
        (['TCP', 'UDP', 'SCTP'] as const).map((protocol) => ({ protocol, port })),
      ),
    );
  });

  it('named ports resolve per state; a changed container port counts as a pod change', () => {
    const web = (port: number) =>
      pod('x', 'web', { app: 'web' }, { ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }] });
    const np = policy('x', 'web', {
      podSelector: sel({ app: 'web' }),
      ingress: [{ peers: 'any', ports: [{ protocol: 'TCP', port: 'http' }] }],
    });
    const before = snapshot([ns('x')], [web(8080), pod('x', 'c')], [np]);
    const after = snapshot([ns('x')], [web(9090), pod('x', 'c')], [np]);
    const d = expectOracle(before, after);
    expect(d.pods.changed).toEqual(['x/web']);
    expect(d.added.map((c) => c.port)).toContain(9090);
    expect(d.removed.map((c) => c.port)).toContain(8080);
  });

  it('partial visibility: known → unknown and back are their own classes', () => {
    const before = {
      ...seedBase(),
      policies: [denyRestrictedEgress],
    };
    const after: Snapshot = {
      ...before,
      policies: [],
      source: { kind: 'cluster', context: 't', server: 'https://t.invalid' },
      visibility: { policiesUnreadable: ['billing'], podsUnreadable: [], namespacesUnreadable: false },
    };
    const d = expectOracle(before, after);
    expect(d.universe.partial).toBe(true);
    expect(d.counts.becameUnknown).toBeGreaterThan(0);
    expect(d.becameUnknown.every((c) => c.after === 'unknown' && c.before !== 'unknown')).toBe(true);
    const back = expectOracle(after, before);
    expect(back.counts.becameKnown).toBe(d.counts.becameUnknown);
    expect(back.becameKnown.every((c) => c.before === 'unknown')).toBe(true);
  });

  it('lists are the first `limit` in order, counts stay exact, truncated says so', () => {
    const pods = Array.from({ length: 12 }, (_, i) =>
      pod(i % 2 ? 'y' : 'x', `p${String(i).padStart(2, '0')}`, { app: String(i % 3) }),
    );
    const before = snapshot([ns('x'), ns('y')], pods, []);
    const after = snapshot([ns('x'), ns('y')], pods, [
      policy('y', 'deny', { podSelector: sel(), policyTypes: ['Ingress', 'Egress'] }),
      policy('x', 'same-app', {
        podSelector: sel({ app: '1' }),
        ingress: [{ peers: [{ kind: 'selector', podSelector: sel({ app: '1' }) }], ports: 'any' }],
      }),
    ]);
    const full = expectOracle(before, after);
    for (const limit of [0, 1, 7, 50]) {
      const d = expectOracle(before, after, limit);
      expect(d.counts).toEqual(full.counts);
      expect(d.removed).toEqual(full.removed.slice(0, limit));
      expect(d.truncated).toBe(full.counts.removed > limit);
    }
  });

  it('policies: same spec written differently is unchanged; spec edits are changes', () => {
    const a = policy('x', 'p', { podSelector: sel({ a: '1', b: '2' }), ingress: [] });
    const reordered = { ...a, podSelector: sel({ b: '2', a: '1' }), labels: { note: 'x' } };
    const edited = { ...a, policyTypes: ['Ingress', 'Egress'] as const };
    const s = (p: typeof a) => snapshot([ns('x')], [pod('x', 'q', { a: '1', b: '2' }), pod('x', 'r')], [p]);
    expect(diffConnections(s(a), s(reordered)).policies.changed).toEqual([]);
    const d = expectOracle(s(a), s({ ...edited, policyTypes: [...edited.policyTypes] }));
    expect(d.policies.changed).toEqual(['x/p']);
    expect(d.counts.removed).toBeGreaterThan(0);
  });

  it('applyDeltas gives the snapshot whatIf analyses', () => {
    const before = seedBase();
    const deltas = [{ kind: 'upsertPolicy' as const, policy: denyRestrictedEgress }];
    const after = applyDeltas(before, deltas);
    const viaWhatIf = createAnalyzer(before).whatIf(deltas);
    const direct = createAnalyzer(after);
    const q = {
      from: { kind: 'pod' as const, namespace: 'billing', name: 'ledger' },
      to: { kind: 'pod' as const, namespace: 'shop', name: 'checkout' },
      port: 80,
      protocol: 'TCP' as const,
    };
    expect(direct.check(q).verdict).toBe(viaWhatIf.check(q).verdict);
    expect(direct.summary().allowedPodPairs).toEqual(viaWhatIf.summary().allowedPodPairs);
    expect(
      applyDeltas(after, [{ kind: 'removePolicy', namespace: 'billing', name: 'deny-restricted-egress' }])
        .policies,
    ).toEqual([]);
  });

  it('scales by classes: 2,000 pods in a few classes', () => {
    const pods = Array.from({ length: 2000 }, (_, i) => pod(`n${i % 4}`, `p${i}`, { tier: String(i % 5) }));
    const nss = [0, 1, 2, 3].map((i) => ns(`n${i}`));
    const before = snapshot(nss, pods, []);
    const after = snapshot(nss, pods, [
      policy('n0', 'tier0', {
        podSelector: sel({ tier: '0' }),
        ingress: [{ peers: [{ kind: 'selector', podSelector: sel({ tier: '1' }) }], ports: 'any' }],
      }),
    ]);
    const t = performance.now();
    const d = diffConnections(before, after, { limit: 10 });
    expect(performance.now() - t).toBeLessThan(5000);
    // n0 has 500 pods, 100 of tier 0; they now refuse every source (pods and addresses) but the 100
    // tier-1 pods of n0 (a podSelector alone is namespace-scoped) and, of course, themselves.
    const dst = 100;
    const sources = 2000 - 1 - 100 + d.universe.externals.length;
    expect(d.counts.removed).toBe(dst * sources * d.universe.ports.length);
    expect(d.removed).toHaveLength(10);
    expect(d.truncated).toBe(true);
  });
});
