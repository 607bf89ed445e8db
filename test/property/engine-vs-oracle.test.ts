/**
 * The fast engine against the naive oracle on thousands of random small clusters. Runs per property:
 * NETGLASS_PROPERTY_RUNS (default 400); seed: NETGLASS_PROPERTY_SEED.
 *
 * Clusters come with random partial visibility (about a third read everything): the engine must agree
 * with the oracle on the partial view, and every answer that is not `unknown` must be the answer for the
 * full cluster (unknown is never a guess).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAnalyzer,
  type Analyzer,
  type ConnectionRef,
  type PortProbe,
  type SnapshotDelta,
} from '../../shared/eval/index.ts';
import { CNI_NAMES, type CniProfile, type Snapshot } from '../../shared/model/snapshot.ts';
import { effectOf, isolated, oracleCheck, type EffectClass } from '../oracle/naive.ts';
import { EXTERNALS, partialViewArb, podArb, policyArb, PROBES } from './arbitraries.ts';
import {
  applyDelta,
  endpoints,
  expectSummaryMatchesOracle,
  oracleCell,
  sideTri,
  withMoves,
} from './compare.ts';
import { propertySettings } from './settings.ts';

const { runs, params, timeout } = propertySettings({
  runs: 400,
  seed: '20261124',
  timeout: { base: 60_000, perRun: 200 },
});

/** A definite answer in the partial view must be the full view's answer. */
function expectSound<T>(partial: T | 'unknown', full: T, where: string): void {
  if (partial !== 'unknown') expect(full, `unknown is never a guess: ${where}`).toBe(partial);
}

/**
 * Every (src, dst, probe) through check() and reach(), and every pod through isolation(), against the
 * oracle; with `full`, definite answers are also checked against the full cluster.
 */
function compareAll(a: Analyzer, s: Snapshot, label: string, full?: Snapshot): void {
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
        expect(cell, where).toEqual(oracleCell(o));
        const v = a.check({ from: src.peer, to: dst.peer, protocol: probe.protocol, port: probe.port });
        expect(v.verdict, where).toBe(o.verdict);
        expect(sideTri(v.egress), where).toBe(o.egress);
        expect(sideTri(v.ingress), where).toBe(o.ingress);
        for (const side of [v.egress, v.ingress])
          if (side.kind === 'unknown') expect(side.reason, where).not.toBe('');
        if (full) {
          const f = oracleCheck(full, src.oracle, dst.oracle, probe.protocol, probe.port);
          expectSound(v.verdict, f.verdict, where);
          expectSound(sideTri(v.egress), f.egress, `${where} egress`);
          expectSound(sideTri(v.ingress), f.ingress, `${where} ingress`);
        }
      });
    }),
  );
  for (const pod of s.pods) {
    const iso = a.isolation(`${pod.namespace}/${pod.name}`);
    for (const [direction, got] of [
      ['Ingress', iso.ingress.isolated],
      ['Egress', iso.egress.isolated],
    ] as const) {
      const where = `${label}: isolation ${pod.namespace}/${pod.name} ${direction}`;
      expect(got, where).toBe(isolated(s, pod, direction));
      if (full) expectSound(got, isolated(full, pod, direction), where);
    }
  }
}

const refKey = (c: ConnectionRef): string =>
  `${JSON.stringify(c.from)}>${JSON.stringify(c.to)}:${c.protocol}/${c.port}`;

describe('engine = oracle', () => {
  it(
    'check(), reach() and isolation() agree with the oracle per side; definite answers hold in the full view',
    () => {
      fc.assert(
        fc.property(partialViewArb, ({ full, view }) => {
          compareAll(createAnalyzer(view), view, 'fresh', view === full ? undefined : full);
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'under every CNI profile, check(), reach() and isolation() agree with the oracle',
    () => {
      const profile: fc.Arbitrary<CniProfile> = fc.oneof(
        fc.constantFrom(...CNI_NAMES).map((cni): CniProfile => ({ cni })),
        fc
          .subarray(['nodes', 'pods'] as const)
          .map((modes): CniProfile => ({ cni: 'cilium', ciliumCidrMatch: modes })),
      );
      fc.assert(
        fc.property(partialViewArb, profile, ({ full, view }, cni) => {
          const v = { ...view, cni };
          compareAll(
            createAnalyzer(v),
            v,
            `cni ${JSON.stringify(cni)}`,
            view === full ? undefined : { ...full, cni },
          );
        }),
        { ...params, numRuns: Math.max(50, Math.round(runs / 2)) },
      );
    },
    timeout,
  );

  it(
    'policy effect classes agree with the oracle over the universe',
    () => {
      fc.assert(
        fc.property(
          partialViewArb.filter(({ view }) => view.policies.length > 0),
          ({ full, view: s }) => {
            const a = createAnalyzer(s);
            const u = a.universe();
            const ends = endpoints(s, u.externals);
            for (const policy of s.policies) {
              const effect = a.policyEffect(`${policy.namespace}/${policy.name}`, { limit: 100000 });
              const counts: Record<EffectClass, number> = {
                permittedFlowing: 0,
                permittedBlocked: 0,
                denied: 0,
                unknown: 0,
                unaffected: 0,
              };
              const listed = {
                permittedFlowing: [],
                permittedBlocked: [],
                denied: [],
                unknown: [],
              } as Record<Exclude<EffectClass, 'unaffected'>, string[]>;
              for (const src of ends) {
                for (const dst of ends) {
                  if (src === dst || (src.peer.kind === 'external' && dst.peer.kind === 'external')) continue;
                  for (const probe of u.ports) {
                    const c = effectOf(s, policy, src.oracle, dst.oracle, probe.protocol, probe.port);
                    counts[c]++;
                    const ref = { from: src.peer, to: dst.peer, ...probe };
                    if (c !== 'unaffected') listed[c].push(refKey(ref));
                    if (s !== full && c !== 'unknown') {
                      const inFull = effectOf(
                        full,
                        policy,
                        src.oracle,
                        dst.oracle,
                        probe.protocol,
                        probe.port,
                      );
                      expect(inFull, `unknown is never a guess: ${policy.name} ${refKey(ref)}`).toBe(c);
                    }
                  }
                }
              }
              const { total, ...classes } = effect.counts;
              // A NetworkPolicy never passes: `passed` belongs to admin-tier Pass rules.
              expect(classes, policy.name).toEqual({ ...counts, passed: 0 });
              expect(effect.passed).toEqual([]);
              expect(effect.tier).toBe('NetworkPolicy');
              expect(total).toBe(Object.values(counts).reduce((x, y) => x + y, 0));
              for (const c of ['permittedFlowing', 'permittedBlocked', 'denied', 'unknown'] as const)
                expect(effect[c].map(refKey).sort(), `${policy.name} ${c}`).toEqual(listed[c].sort());
              const matched = effect.rules.reduce((n, r) => n + r.matched, 0);
              expect(matched >= counts.permittedFlowing + counts.permittedBlocked ? true : matched).toBe(
                true,
              );
              for (const r of effect.rules) {
                expect(r.matchesNothing).toBe(r.matched + r.unknown === 0);
                if (!s.visibility?.namespacesUnreadable) expect(r.unknown).toBe(0);
              }
            }
          },
        ),
        params,
      );
    },
    timeout,
  );

  it(
    'the summary counts the same allowed and unknown pod pairs as the oracle',
    () => {
      fc.assert(
        fc.property(partialViewArb, ({ view: s }) => {
          const a = createAnalyzer(s);
          expectSummaryMatchesOracle(a, s);
          const summary = a.summary();
          const v = s.visibility;
          const partial =
            v !== undefined &&
            (v.namespacesUnreadable ||
              v.policiesUnreadable === 'all' ||
              v.policiesUnreadable.length > 0 ||
              v.podsUnreadable === 'all' ||
              v.podsUnreadable.length > 0);
          expect(summary.partial).toBe(partial);
          expect(summary.universe.partial).toBe(partial);
          expect(summary.visibility).toEqual(v);
        }),
        params,
      );
    },
    timeout,
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
      .constantFrom(...(s.pods.length > 0 ? s.pods : [{ namespace: 'a', name: 'none' }]))
      .map((p): SnapshotDelta => ({ kind: 'removePod', namespace: p.namespace, name: p.name })),
  );

describe('incremental updates', () => {
  it(
    'update() after random deltas equals a fresh analysis and the oracle',
    () => {
      fc.assert(
        fc.property(
          partialViewArb.chain(({ view: s }) =>
            fc.tuple(fc.constant(s), fc.array(deltaArb(s), { minLength: 1, maxLength: 6 })),
          ),
          ([s0, deltas]) => {
            const a = createAnalyzer(s0);
            let s = s0;
            const applied: SnapshotDelta[] = [];
            for (const d of deltas) {
              const step = withMoves(s, d);
              a.update(step);
              applied.push(...step);
              s = applyDelta(s, d);
              a.universe();
            }
            compareAll(a, s, 'incremental');
            const fresh = createAnalyzer(s);
            expect(a.mentionedPorts()).toEqual(fresh.mentionedPorts());
            const [mine, theirs] = [a.summary(), fresh.summary()];
            expect(mine.allowedPodPairs).toEqual(theirs.allowedPodPairs);
            expect(mine.matrix).toEqual(theirs.matrix);
            compareAll(createAnalyzer(s0).whatIf(applied), s, 'whatIf');
          },
        ),
        { ...params, numRuns: Math.max(1, Math.floor(runs / 2)) },
      );
    },
    timeout,
  );
});
