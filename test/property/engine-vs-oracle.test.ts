/**
 * The fast engine against the naive oracle on thousands of random small clusters. Runs per property:
 * NETGLASS_PROPERTY_RUNS (default 400); seed: NETGLASS_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAnalyzer,
  type Analyzer,
  type Peer,
  type PortProbe,
  type SnapshotDelta,
} from '../../shared/eval/index.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { effectOf, oracleCheck, type EffectClass, type OraclePeer } from '../oracle/naive.ts';
import { EXTERNALS, podArb, policyArb, PROBES, snapshotArb } from './arbitraries.ts';

const runs = Number(process.env.NETGLASS_PROPERTY_RUNS ?? 400);
const seed =
  process.env.NETGLASS_PROPERTY_SEED === undefined ? undefined : Number(process.env.NETGLASS_PROPERTY_SEED);
/** Scales with the run count; the property runs are not timed assertions, only a hang guard. */
const TIMEOUT = 60_000 + runs * 200;
const params = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };

interface End {
  readonly peer: Peer;
  readonly oracle: OraclePeer;
}

function endpoints(s: Snapshot, externals: readonly string[]): End[] {
  return [
    ...s.pods.map((p): End => ({
      peer: { kind: 'pod', namespace: p.namespace, name: p.name },
      oracle: { kind: 'pod', pod: p },
    })),
    ...externals.map((ip): End => ({ peer: { kind: 'external', ip }, oracle: { kind: 'external', ip } })),
  ];
}

/** Every (src, dst, probe) through check() and reach(), against the oracle. */
function compareAll(a: Analyzer, s: Snapshot, label: string): void {
  const ends = endpoints(s, EXTERNALS);
  const probes: PortProbe[] = [...PROBES, ...a.mentionedPorts()];
  const table = a.reach(
    ends.map((e) => e.peer),
    probes,
  );
  ends.forEach((src, i) =>
    ends.forEach((dst, j) => {
      if (i === j || (src.peer.kind === 'external' && dst.peer.kind === 'external')) return;
      probes.forEach((probe, k) => {
        const o = oracleCheck(s, src.oracle, dst.oracle, probe.protocol, probe.port);
        const cell = table.cell(i, j, k);
        const where = `${label}: ${JSON.stringify(src.peer)} -> ${JSON.stringify(dst.peer)} ${probe.protocol}/${probe.port}`;
        expect(cell, where).toEqual({ allowed: o.allowed, egress: o.egress, ingress: o.ingress });
        const v = a.check({ from: src.peer, to: dst.peer, protocol: probe.protocol, port: probe.port });
        expect(v.verdict, where).toBe(o.allowed ? 'allowed' : 'denied');
        expect(['not-subject', 'not-isolated', 'allowed'].includes(v.egress.kind), where).toBe(o.egress);
        expect(['not-subject', 'not-isolated', 'allowed'].includes(v.ingress.kind), where).toBe(o.ingress);
      });
    }),
  );
}

describe('engine = oracle', () => {
  it(
    'check() and reach() agree with the oracle on every (src, dst, port), per side',
    () => {
      fc.assert(
        fc.property(snapshotArb, (s) => {
          compareAll(createAnalyzer(s), s, 'fresh');
        }),
        params,
      );
    },
    TIMEOUT,
  );

  it(
    'policy effect classes agree with the oracle over the universe',
    () => {
      fc.assert(
        fc.property(
          snapshotArb.filter((s) => s.policies.length > 0),
          (s) => {
            const a = createAnalyzer(s);
            const u = a.universe();
            const ends = endpoints(s, u.externals);
            for (const policy of s.policies) {
              const effect = a.policyEffect(`${policy.namespace}/${policy.name}`, { limit: 100000 });
              const counts: Record<EffectClass, number> = {
                permittedFlowing: 0,
                permittedBlocked: 0,
                denied: 0,
                unaffected: 0,
              };
              for (const src of ends) {
                for (const dst of ends) {
                  if (src === dst || (src.peer.kind === 'external' && dst.peer.kind === 'external')) continue;
                  for (const probe of u.ports)
                    counts[effectOf(s, policy, src.oracle, dst.oracle, probe.protocol, probe.port)]++;
                }
              }
              const { total, ...classes } = effect.counts;
              expect(classes, policy.name).toEqual(counts);
              expect(total).toBe(Object.values(counts).reduce((x, y) => x + y, 0));
              expect(
                effect.permittedFlowing.length + effect.permittedBlocked.length + effect.denied.length,
              ).toBe(counts.permittedFlowing + counts.permittedBlocked + counts.denied);
              const matched = effect.rules.reduce((n, r) => n + r.matched, 0);
              expect(matched >= counts.permittedFlowing + counts.permittedBlocked ? true : matched).toBe(
                true,
              );
            }
          },
        ),
        { ...params, numRuns: Math.max(1, Math.floor(runs / 2)) },
      );
    },
    TIMEOUT,
  );

  it(
    'the summary counts the same allowed pod pairs as the oracle',
    () => {
      fc.assert(
        fc.property(snapshotArb, (s) => {
          const a = createAnalyzer(s);
          const summary = a.summary();
          summary.allowedPodPairs.forEach(({ probe, allowed, total }) => {
            let n = 0;
            let t = 0;
            for (const src of s.pods)
              for (const dst of s.pods) {
                if (src === dst) continue;
                t++;
                if (
                  oracleCheck(
                    s,
                    { kind: 'pod', pod: src },
                    { kind: 'pod', pod: dst },
                    probe.protocol,
                    probe.port,
                  ).allowed
                )
                  n++;
              }
            expect(allowed, `${probe.protocol}/${probe.port}`).toBe(n);
            expect(total).toBe(t);
          });
          const cells = summary.matrix.reduce((acc, c) => acc + c.allowed, 0);
          expect(cells).toBe(summary.allowedPodPairs.reduce((acc, p) => acc + p.allowed, 0));
        }),
        params,
      );
    },
    TIMEOUT,
  );
});

const deltaArb = (s: Snapshot): fc.Arbitrary<SnapshotDelta> =>
  fc.oneof(
    fc
      .integer({ min: 0, max: 5 })
      .chain((i) => policyArb(`np${i}`).map((policy): SnapshotDelta => ({ kind: 'upsertPolicy', policy }))),
    fc
      .integer({ min: 0, max: 9 })
      .chain((i) => podArb(`p${i}`).map((pod): SnapshotDelta => ({ kind: 'upsertPod', pod }))),
    fc
      .constantFrom(...(s.policies.length > 0 ? s.policies : [{ namespace: 'a', name: 'none' }]))
      .map((p): SnapshotDelta => ({ kind: 'removePolicy', namespace: p.namespace, name: p.name })),
    fc
      .constantFrom(...s.pods)
      .map((p): SnapshotDelta => ({ kind: 'removePod', namespace: p.namespace, name: p.name })),
  );

function applyDelta(s: Snapshot, d: SnapshotDelta): Snapshot {
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
      // Pod names are unique cluster-wide in these tests, so an upsert may move a pod between namespaces.
      return { ...s, pods: [...s.pods.filter((p) => p.name !== d.pod.name), d.pod] };
    case 'removePod':
      return { ...s, pods: s.pods.filter((p) => !same(p, d)) };
    case 'upsertNamespace':
    case 'removeNamespace':
      return s;
  }
}

describe('incremental updates', () => {
  it(
    'update() after random deltas equals a fresh analysis and the oracle',
    () => {
      fc.assert(
        fc.property(
          snapshotArb.chain((s) =>
            fc.tuple(fc.constant(s), fc.array(deltaArb(s), { minLength: 1, maxLength: 6 })),
          ),
          ([s0, deltas]) => {
            const a = createAnalyzer(s0);
            let s = s0;
            const applied: SnapshotDelta[] = [];
            for (const d of deltas) {
              const step: SnapshotDelta[] = [];
              if (d.kind === 'upsertPod') {
                const moved = s.pods.find((p) => p.name === d.pod.name && p.namespace !== d.pod.namespace);
                if (moved) step.push({ kind: 'removePod', namespace: moved.namespace, name: moved.name });
              }
              step.push(d);
              a.update(step);
              applied.push(...step);
              s = applyDelta(s, d);
              a.universe();
            }
            compareAll(a, s, 'incremental');
            const fresh = createAnalyzer(s);
            expect(a.mentionedPorts()).toEqual(fresh.mentionedPorts());
            expect(a.summary().allowedPodPairs).toEqual(fresh.summary().allowedPodPairs);
            compareAll(createAnalyzer(s0).whatIf(applied), s, 'whatIf');
          },
        ),
        { ...params, numRuns: Math.max(1, Math.floor(runs / 2)) },
      );
    },
    TIMEOUT,
  );
});
