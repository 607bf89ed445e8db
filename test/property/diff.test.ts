/**
 * `diffConnections` against the naive oracle on random pairs of states: the second state edits the
 * first (policies kept, dropped, rewritten under the same name, added; pods kept, dropped, relabelled,
 * added), and either state may be a partial view (random RBAC gaps, so `unknown` transitions occur).
 * Checks every count, list and namespace pair cell by cell, and that the universe represents every
 * address and port the arbitraries use. Runs: NETGLASS_PROPERTY_RUNS (default 400, as the engine's
 * property tests); seed: NETGLASS_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { NetworkPolicy, Pod, Snapshot } from '../../shared/model/snapshot.ts';
import { expectOracle, expectRepresented } from '../fixtures/diff/oracle.ts';
import { EXTERNALS, hide, partialViewArb, podArb, policyArb, PROBES } from './arbitraries.ts';
import { propertySettings } from './settings.ts';

const { runs, params, timeout } = propertySettings({
  runs: 400,
  seed: '20261124',
  timeout: { base: 60_000, perRun: 300 },
});

type Fate = 'keep' | 'drop' | 'rewrite';
const fate = fc.constantFrom<Fate>('keep', 'keep', 'drop', 'rewrite');

/** A second state derived from `full`: the edits a policy author or a rollout makes. */
function editedArb(full: Snapshot): fc.Arbitrary<Snapshot> {
  return fc
    .record({
      policyFates: fc.tuple(...full.policies.map(() => fate)),
      rewrites: fc.tuple(...full.policies.map((p) => policyArb(p.name))),
      extraPolicies: fc
        .array(fc.nat(), { maxLength: 2 })
        .chain((xs) =>
          xs.length === 0
            ? fc.constant<NetworkPolicy[]>([])
            : fc.tuple(...xs.map((_, i) => policyArb(`new${i}`))).map((t): NetworkPolicy[] => [...t]),
        ),
      podFates: fc.tuple(...full.pods.map(() => fate)),
      relabels: fc.tuple(...full.pods.map((p) => podArb(p.name))),
      extraPods: fc
        .array(fc.nat(), { maxLength: 2 })
        .chain((xs) =>
          xs.length === 0
            ? fc.constant<Pod[]>([])
            : fc.tuple(...xs.map((_, i) => podArb(`new${i}`))).map((t): Pod[] => [...t]),
        ),
    })
    .map(({ policyFates, rewrites, extraPolicies, podFates, relabels, extraPods }) => {
      const pick = <T>(items: readonly T[], fates: readonly Fate[], others: readonly T[]): T[] =>
        items.flatMap((item, i) => {
          const f = fates[i];
          if (f === 'drop') return [];
          if (f === 'rewrite') return [others[i] as T];
          return [item];
        });
      const policies = [...pick(full.policies, policyFates, rewrites), ...extraPolicies];
      const pods = [...pick(full.pods, podFates, relabels), ...extraPods];
      // Same namespace/name twice (a rewrite moved into a namespace where the name exists): keep the first.
      const unique = <T extends { namespace: string; name: string }>(xs: T[]): T[] => {
        const seen = new Set<string>();
        return xs.filter((x) => {
          const k = `${x.namespace}/${x.name}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
      };
      return { ...full, policies: unique(policies), pods: unique(pods) };
    });
}

const pairArb = fc.tuple(partialViewArb, partialViewArb).chain(([first, other]) =>
  editedArb(first.full).map((afterFull) => ({
    before: first.view,
    after: hide(afterFull, other.view.visibility),
  })),
);

/**
 * Policy edits only, as the editor's what-if makes them: the same pods and the same view, so the diff
 * compares only the pairs an edited policy selects an end of (and must still match the oracle).
 */
const policyEditArb = partialViewArb.chain((first) =>
  editedArb(first.full).map((edited) => ({
    before: first.view,
    after: hide({ ...edited, pods: first.full.pods }, first.view.visibility),
  })),
);

describe('diffConnections vs the oracle', () => {
  it(
    'counts, lists and namespace pairs match a connection-by-connection diff; the universe represents every address and port',
    () => {
      fc.assert(
        fc.property(pairArb, ({ before, after }) => {
          const d = expectOracle(before, after);
          expectRepresented(before, after, d, EXTERNALS, PROBES);
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'policy edits alone (the what-if case) match the oracle too',
    () => {
      fc.assert(
        fc.property(policyEditArb, ({ before, after }) => {
          expectOracle(before, after);
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'a limit keeps the first entries of each list and exact counts',
    () => {
      fc.assert(
        fc.property(pairArb, fc.integer({ min: 0, max: 5 }), ({ before, after }, limit) => {
          expectOracle(before, after, limit);
        }),
        { ...params, numRuns: Math.ceil(runs / 4) },
      );
    },
    timeout,
  );
});
