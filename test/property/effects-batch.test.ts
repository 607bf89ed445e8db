/**
 * The report's batch effect counts (`Analyzer.policyEffectTallies`, shared/eval/effects-batch.ts)
 * against the single-policy path (`policyEffect`, limit 0) on random clusters: NetworkPolicies alone,
 * with admin-tier policies of both tiers (ties, unknown peers, host-networked pods), with Cilium
 * policies (deny rules, default deny, entities, CIDRs, conditional DNS peers), and as live sources with
 * partial RBAC would show them. For every NetworkPolicy and admin-tier policy the counts, the rule
 * effects, the selected pod count and the isolated directions must be the same.
 *
 * Runs per property: NETGLASS_PROPERTY_RUNS (default 200); seed: NETGLASS_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../shared/eval/index.ts';
import type {
  CiliumEntity,
  CiliumPeer,
  CiliumPolicy,
  CiliumRule,
  CiliumSpec,
  LabelSelector,
  Snapshot,
} from '../../shared/model/snapshot.ts';
import { CILIUM_ENTITIES, clusterPolicyKey, policyKey } from '../../shared/model/snapshot.ts';
import { ALL_FEATURES, partialTieredViewArb, tieredSnapshotArb } from './admin-arbitraries.ts';
import { NAMESPACES, partialViewArb, snapshotArb } from './arbitraries.ts';
import { propertySettings } from './settings.ts';

const { params, timeout } = propertySettings({
  runs: 200,
  seed: '20261203',
  timeout: { base: 120_000, perRun: 600 },
});

const selector: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('1', '2'), { maxKeys: 1 }),
  matchExpressions: fc.constant([]),
});
const EVERY: LabelSelector = { matchLabels: {}, matchExpressions: [] };

const ciliumPeer: fc.Arbitrary<CiliumPeer> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('endpoints' as const),
      namespaceSelector: fc.oneof(
        fc.constant(EVERY),
        fc.constantFrom(...NAMESPACES).map((n) => ({
          matchLabels: { 'kubernetes.io/metadata.name': n },
          matchExpressions: [],
        })),
      ),
      podSelector: selector,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('entity' as const),
      entity: fc.constantFrom<CiliumEntity>(...CILIUM_ENTITIES),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cidr' as const),
      cidr: fc.constantFrom('10.0.0.0/16', '0.0.0.0/0', '8.8.8.8/32'),
      except: fc.uniqueArray(fc.constantFrom('10.0.1.0/24', '10.0.0.1/32'), { maxLength: 1 }),
    }),
  },
  // A DNS peer makes a rule conditional: its verdicts are unknown, not guessed.
  { weight: 1, arbitrary: fc.constant<CiliumPeer>({ kind: 'fqdn', pattern: '*.example.com' }) },
);

const ciliumRule = (deny: boolean): fc.Arbitrary<CiliumRule> =>
  fc.record({
    peers: fc.oneof(
      { weight: 1, arbitrary: fc.constant('all' as const) },
      {
        weight: 4,
        arbitrary: fc.array(deny ? ciliumPeer.filter((p) => p.kind !== 'fqdn') : ciliumPeer, {
          minLength: 1,
          maxLength: 2,
        }),
      },
    ),
    toPorts: fc.oneof(
      fc.constant('any' as const),
      fc
        .array(
          fc.oneof(
            fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), port: fc.constant(80) }),
            fc.record({ protocol: fc.constant('TCP' as const), port: fc.constant('http') }),
            fc.record({ protocol: fc.constant('UDP' as const) }),
          ),
          { minLength: 1, maxLength: 2 },
        )
        .map((ports) => [{ ports }]),
    ),
  });

const ciliumSpec = (namespace: string | undefined): fc.Arbitrary<CiliumSpec> =>
  fc
    .record({
      podSelector: selector,
      ingress: fc.array(ciliumRule(false), { maxLength: 2 }),
      ingressDeny: fc.array(ciliumRule(true), { maxLength: 1 }),
      egress: fc.array(ciliumRule(false), { maxLength: 2 }),
      egressDeny: fc.array(ciliumRule(true), { maxLength: 1 }),
      ingressDefault: fc.option(fc.boolean(), { nil: undefined }),
      egressDefault: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map((r) => ({
      subject: {
        namespaceSelector:
          namespace === undefined
            ? EVERY
            : { matchLabels: { 'kubernetes.io/metadata.name': namespace }, matchExpressions: [] },
        podSelector: r.podSelector,
      },
      ingress: r.ingress,
      ingressDeny: r.ingressDeny,
      egress: r.egress,
      egressDeny: r.egressDeny,
      defaultDeny: {
        ingress: r.ingressDefault ?? (r.ingress.length > 0 || r.ingressDeny.length > 0),
        egress: r.egressDefault ?? (r.egress.length > 0 || r.egressDeny.length > 0),
      },
    }));

const ciliumPolicyArb = (i: number): fc.Arbitrary<CiliumPolicy> =>
  fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }).chain((namespace) =>
    ciliumSpec(namespace).map((spec): CiliumPolicy => ({
      kind: namespace !== undefined ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy',
      apiVersion: 'cilium.io/v2',
      ...(namespace !== undefined ? { namespace } : {}),
      name: `c${i}`,
      specs: [spec],
      multi: false,
      labels: {},
      annotations: {},
    })),
  );

const withCilium: fc.Arbitrary<Snapshot> = fc
  .tuple(
    tieredSnapshotArb(ALL_FEATURES),
    fc
      .integer({ min: 1, max: 3 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ciliumPolicyArb(i)))),
  )
  .map(([s, ciliumPolicies]) => ({ ...s, ciliumPolicies }));

/** Every NetworkPolicy and admin-tier policy: the batch gives what the single-policy path gives. */
function expectSameEffects(s: Snapshot): void {
  const tallies = createAnalyzer(s).policyEffectTallies();
  const keys = [...new Set([...s.policies.map(policyKey), ...s.clusterPolicies.map(clusterPolicyKey)])];
  expect(tallies.map((t) => t.policy).sort()).toEqual(keys.sort());
  // A separate analyzer, so no cache the batch filled can make the two agree.
  const single = createAnalyzer(s);
  for (const t of tallies) {
    const e = single.policyEffect(t.policy, { limit: 0 });
    expect(t, t.policy).toEqual({
      policy: e.policy,
      tier: e.tier,
      selects: e.selects.length,
      isolates: e.isolates,
      rules: e.rules,
      counts: e.counts,
    });
  }
}

describe('batch policy effect counts equal the single-policy path', () => {
  it(
    'NetworkPolicies',
    () => {
      fc.assert(fc.property(snapshotArb, expectSameEffects), params);
    },
    timeout,
  );

  it(
    'NetworkPolicies with partial visibility (unknowns)',
    () => {
      fc.assert(
        fc.property(partialViewArb, ({ view }) => expectSameEffects(view)),
        params,
      );
    },
    timeout,
  );

  it(
    'with admin-tier policies (ties, unknown peers, host-networked pods)',
    () => {
      fc.assert(fc.property(tieredSnapshotArb(ALL_FEATURES), expectSameEffects), params);
    },
    timeout,
  );

  it(
    'with admin-tier policies and partial visibility',
    () => {
      fc.assert(
        fc.property(partialTieredViewArb(ALL_FEATURES), ({ view }) => expectSameEffects(view)),
        params,
      );
    },
    timeout,
  );

  it(
    'with Cilium policies beside NetworkPolicies and admin-tier policies',
    () => {
      fc.assert(fc.property(withCilium, expectSameEffects), params);
    },
    timeout,
  );
});
