/**
 * Helpers the property tests share: endpoints as both the engine and the oracle name them, the reach()
 * cell the oracle calls for, the summary recomputed by the oracle, and snapshot deltas applied by hand.
 */
import { expect } from 'vitest';
import type {
  Analyzer,
  Coverage,
  Peer,
  ReachCell,
  SideResult,
  SnapshotDelta,
  Verdict,
} from '../../shared/eval/index.ts';
import {
  calicoNetworkSetKey,
  calicoPolicyKey,
  ciliumPolicyKey,
  clusterPolicyKey,
  type Snapshot,
} from '../../shared/model/snapshot.ts';
import { isolated, oracleCheck, type OraclePeer, type OracleVerdict, type Tri } from '../oracle/naive.ts';

export interface End {
  readonly peer: Peer;
  readonly oracle: OraclePeer;
}

export function endpoints(s: Snapshot, externals: readonly string[]): End[] {
  return [
    ...s.pods.map((p): End => ({
      peer: { kind: 'pod', namespace: p.namespace, name: p.name },
      oracle: { kind: 'pod', pod: p },
    })),
    ...[...new Set(externals)].map((ip): End => ({
      peer: { kind: 'external', ip },
      oracle: { kind: 'external', ip },
    })),
  ];
}

/** The reach() cell the oracle's verdict calls for. */
/** The reach cell of a verdict: the oracle's, or the engine's (`conditional` cells are unknown in bulk). */
export function oracleCell(o: Omit<OracleVerdict, 'verdict'> & { readonly verdict: Verdict }): ReachCell {
  return {
    allowed: o.verdict === 'allowed',
    egress: o.egress === true,
    ingress: o.ingress === true,
    unknown: o.verdict === 'unknown' || o.verdict === 'conditional',
    egressUnknown: o.egress === 'unknown',
    ingressUnknown: o.ingress === 'unknown',
  };
}

export function sideTri(side: SideResult): Tri {
  if (side.kind === 'denied') return false;
  if (side.kind === 'unknown') return 'unknown';
  return true;
}

/**
 * summary(): allowed and unknown pod pairs per universe port, the namespace matrix, and the isolation
 * counts, all recomputed pod pair by pod pair with the oracle.
 */
export function expectSummaryMatchesOracle(a: Analyzer, s: Snapshot): void {
  const summary = a.summary();
  const cells = new Map<string, { allowed: number; unknown: number; total: number }>();
  summary.allowedPodPairs.forEach(({ probe, allowed, unknown, total }) => {
    let n = 0;
    let u = 0;
    let t = 0;
    for (const src of s.pods)
      for (const dst of s.pods) {
        if (src === dst) continue;
        t++;
        const v = oracleCheck(
          s,
          { kind: 'pod', pod: src },
          { kind: 'pod', pod: dst },
          probe.protocol,
          probe.port,
        ).verdict;
        const key = `${src.namespace}>${dst.namespace}`;
        const cell = cells.get(key) ?? { allowed: 0, unknown: 0, total: 0 };
        cells.set(key, cell);
        cell.total++;
        if (v === 'allowed') {
          n++;
          cell.allowed++;
        }
        if (v === 'unknown') {
          u++;
          cell.unknown++;
        }
      }
    expect(allowed, `${probe.protocol}/${probe.port}`).toBe(n);
    expect(unknown, `${probe.protocol}/${probe.port}`).toBe(u);
    expect(total).toBe(t);
  });
  for (const c of summary.matrix) {
    const o = cells.get(`${c.from}>${c.to}`) ?? { allowed: 0, unknown: 0, total: 0 };
    const denied = o.total - o.allowed - o.unknown;
    const coverage: Coverage =
      o.total === 0
        ? 'empty'
        : o.unknown === 0
          ? o.allowed === 0
            ? 'none'
            : o.allowed === o.total
              ? 'all'
              : 'some'
          : o.allowed > 0 && denied > 0
            ? 'some'
            : 'unknown';
    expect({ ...c }, `${c.from} -> ${c.to}`).toEqual({ from: c.from, to: c.to, ...o, coverage });
  }
  const count = (direction: 'Ingress' | 'Egress', value: Tri) =>
    s.pods.filter((p) => isolated(s, p, direction) === value).length;
  expect(summary.isolated).toEqual({
    ingress: count('Ingress', true),
    egress: count('Egress', true),
    hostNetwork: s.pods.filter((p) => p.hostNetwork).length,
  });
  expect(summary.isolatedUnknown).toEqual({
    ingress: count('Ingress', 'unknown'),
    egress: count('Egress', 'unknown'),
  });
}

/** The snapshot after one delta, applied by hand (pod names are unique cluster-wide in these tests). */
export function applyDelta(s: Snapshot, d: SnapshotDelta): Snapshot {
  const same = (x: { namespace: string; name: string }, y: { namespace: string; name: string }) =>
    x.namespace === y.namespace && x.name === y.name;
  switch (d.kind) {
    case 'upsertPolicy':
      return {
        ...s,
        policies: [
          ...s.policies.filter((p) => p.name !== d.policy.name || p.namespace !== d.policy.namespace),
          d.policy,
        ],
      };
    case 'removePolicy':
      return { ...s, policies: s.policies.filter((p) => !same(p, d)) };
    case 'upsertPod':
      // An upsert may move a pod between namespaces (the caller removes it from the old one first).
      return { ...s, pods: [...s.pods.filter((p) => p.name !== d.pod.name), d.pod] };
    case 'removePod':
      return { ...s, pods: s.pods.filter((p) => !same(p, d)) };
    case 'upsertClusterPolicy': {
      const key = clusterPolicyKey(d.policy);
      return {
        ...s,
        clusterPolicies: [...s.clusterPolicies.filter((p) => clusterPolicyKey(p) !== key), d.policy],
      };
    }
    case 'removeClusterPolicy':
      return { ...s, clusterPolicies: s.clusterPolicies.filter((p) => clusterPolicyKey(p) !== d.key) };
    case 'upsertCiliumPolicy': {
      const key = ciliumPolicyKey(d.policy);
      const rest = (s.ciliumPolicies ?? []).filter((p) => ciliumPolicyKey(p) !== key);
      return { ...s, ciliumPolicies: [...rest, d.policy] };
    }
    case 'removeCiliumPolicy':
      return { ...s, ciliumPolicies: (s.ciliumPolicies ?? []).filter((p) => ciliumPolicyKey(p) !== d.key) };
    case 'upsertCalicoPolicy': {
      const key = calicoPolicyKey(d.policy);
      const rest = (s.calicoPolicies ?? []).filter((p) => calicoPolicyKey(p) !== key);
      return { ...s, calicoPolicies: [...rest, d.policy] };
    }
    case 'removeCalicoPolicy':
      return { ...s, calicoPolicies: (s.calicoPolicies ?? []).filter((p) => calicoPolicyKey(p) !== d.key) };
    case 'upsertCalicoNetworkSet': {
      const key = calicoNetworkSetKey(d.set);
      const rest = (s.calicoNetworkSets ?? []).filter((n) => calicoNetworkSetKey(n) !== key);
      return { ...s, calicoNetworkSets: [...rest, d.set] };
    }
    case 'removeCalicoNetworkSet':
      return {
        ...s,
        calicoNetworkSets: (s.calicoNetworkSets ?? []).filter((n) => calicoNetworkSetKey(n) !== d.key),
      };
    case 'upsertCalicoTier':
      return { ...s, calicoTiers: [...(s.calicoTiers ?? []).filter((t) => t.name !== d.tier.name), d.tier] };
    case 'removeCalicoTier':
      return { ...s, calicoTiers: (s.calicoTiers ?? []).filter((t) => t.name !== d.name) };
    case 'upsertNamespace':
    case 'removeNamespace':
      return s;
  }
}

/** A pod upsert that moves the pod to another namespace goes with a removal from the old one. */
export function withMoves(s: Snapshot, d: SnapshotDelta): SnapshotDelta[] {
  if (d.kind !== 'upsertPod') return [d];
  const moved = s.pods.find((p) => p.name === d.pod.name && p.namespace !== d.pod.namespace);
  return moved ? [{ kind: 'removePod', namespace: moved.namespace, name: moved.name }, d] : [d];
}
