/**
 * Calico policies in the tiered evaluator against the naive oracle (test/oracle/calico.ts): random
 * small clusters with Kubernetes NetworkPolicies and ClusterNetworkPolicies of both admin tiers
 * (admin-arbitraries.ts, ties and unknowable peers included) plus random Calico NetworkPolicies
 * and GlobalNetworkPolicies in up to three tiers (declared or not, ordered or not, default action Deny
 * or Pass), random selectors over pod labels, Calico's own labels and namespace labels, nets, notNets,
 * ports, ranges, named ports, notPorts, notSelector, protocols, Allow / Deny / Pass / Log rules, and
 * NetworkSets / GlobalNetworkSets.
 *
 * Compared: check() verdicts and reach() cells on every endpoint pair and probe, for the analyzer and
 * a what-if copy of it.
 *
 * Runs per property: NETGLASS_PROPERTY_RUNS (default 200); seed: NETGLASS_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Analyzer } from '../../shared/eval/index.ts';
import type {
  CalicoEntityRule,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoPort,
  CalicoRule,
  CalicoTier,
  Protocol,
  Snapshot,
} from '../../shared/model/snapshot.ts';
import { triOf } from '../oracle/basics.ts';
import { calicoSideOutcomes, renderSel, type Sel } from '../oracle/calico.ts';
import { ALL_FEATURES, tieredSnapshotArb } from './admin-arbitraries.ts';
import { EXTERNALS, NAMESPACES, PROBES } from './arbitraries.ts';
import { endpoints } from './compare.ts';
import { propertySettings } from './settings.ts';

const { params, timeout } = propertySettings({
  runs: 200,
  seed: '20261203',
  timeout: { base: 120_000, perRun: 600 },
});

const KEYS = ['app', 'tier', 'env', 'projectcalico.org/namespace', 'pcns.team', 'set'];
const VALUES = ['1', '2', 'a', 'b', 'x', 'y'];

const leaf: fc.Arbitrary<Sel> = fc.oneof(
  fc.constant<Sel>({ op: 'all' }),
  fc.record({ op: fc.constant('has' as const), key: fc.constantFrom(...KEYS) }),
  fc.record({
    op: fc.constantFrom('eq' as const, 'ne' as const, 'contains' as const, 'starts' as const),
    key: fc.constantFrom(...KEYS),
    value: fc.constantFrom(...VALUES),
  }),
  fc.record({
    op: fc.constantFrom('in' as const, 'notin' as const),
    key: fc.constantFrom(...KEYS),
    values: fc.uniqueArray(fc.constantFrom(...VALUES), { maxLength: 2 }),
  }),
);

const selArb: fc.Arbitrary<Sel> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: leaf.map((a): Sel => ({ op: 'not', a })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('and' as const, 'or' as const), leaf, leaf)
      .map(([op, a, b]): Sel => ({ op, a, b })),
  },
);

const nsSelArb: fc.Arbitrary<Sel> = fc.oneof(
  fc.constant<Sel>({ op: 'all' }),
  fc.constant<Sel>({ op: 'global' }),
  fc.record({ op: fc.constant('eq' as const), key: fc.constant('team'), value: fc.constantFrom('x', 'y') }),
  fc.record({ op: fc.constant('has' as const), key: fc.constant('env') }),
  fc.record({
    op: fc.constant('eq' as const),
    key: fc.constant('projectcalico.org/name'),
    value: fc.constantFrom(...NAMESPACES),
  }),
  fc.constant<Sel>({ op: 'or', a: { op: 'global' }, b: { op: 'eq', key: 'team', value: 'x' } }),
);

const NETS = ['10.0.0.0/16', '10.0.0.1/32', '0.0.0.0/0', '8.8.8.8/32', 'fd00::/64', '192.168.0.0/16'];

const portArb: fc.Arbitrary<CalicoPort> = fc.oneof(
  fc.constantFrom(53, 80, 443, 8080).map((p): CalicoPort => ({ kind: 'range', from: p, to: p })),
  fc.constant<CalicoPort>({ kind: 'range', from: 80, to: 443 }),
  fc.constantFrom('http', 'dns').map((name): CalicoPort => ({ kind: 'named', name })),
);

/** Selectors render to text; `trees` collects the tree of each text for the oracle. */
function entityArb(trees: Map<string, Sel>, withPorts: boolean): fc.Arbitrary<CalicoEntityRule> {
  const text = (s: Sel): string => {
    const t = renderSel(s);
    trees.set(t, s);
    return t;
  };
  return fc
    .record({
      selector: fc.option(selArb, { nil: undefined, freq: 2 }),
      namespaceSelector: fc.option(nsSelArb, { nil: undefined, freq: 3 }),
      notSelector: fc.option(selArb, { nil: undefined, freq: 5 }),
      nets: fc.uniqueArray(fc.constantFrom(...NETS), { maxLength: 1 }),
      notNets: fc.uniqueArray(fc.constantFrom(...NETS), { maxLength: 1 }),
      ports: withPorts ? fc.array(portArb, { maxLength: 2 }) : fc.constant([]),
      notPorts: withPorts ? fc.array(portArb, { maxLength: 1 }) : fc.constant([]),
    })
    .map((e) => ({
      ...(e.selector ? { selector: text(e.selector) } : {}),
      ...(e.namespaceSelector ? { namespaceSelector: text(e.namespaceSelector) } : {}),
      ...(e.notSelector ? { notSelector: text(e.notSelector) } : {}),
      nets: e.nets,
      notNets: e.notNets,
      ports: e.ports,
      notPorts: e.notPorts,
    }));
}

function ruleArb(trees: Map<string, Sel>): fc.Arbitrary<CalicoRule> {
  return fc
    .record({
      action: fc.constantFrom('Allow' as const, 'Deny' as const, 'Pass' as const, 'Log' as const),
      protocol: fc.option(fc.constantFrom<Protocol>('TCP', 'UDP'), { nil: undefined }),
      notProtocol: fc.option(fc.constantFrom<Protocol>('UDP', 'SCTP'), { nil: undefined, freq: 4 }),
      source: entityArb(trees, false),
      destination: entityArb(trees, true),
    })
    .map(({ protocol, notProtocol, destination, ...r }) => {
      // Calico refuses ports without a port protocol.
      const dst = protocol === undefined ? { ...destination, ports: [], notPorts: [] } : destination;
      return {
        ...r,
        destination: dst,
        ...(protocol ? { protocol } : {}),
        ...(notProtocol ? { notProtocol } : {}),
      };
    });
}

function policyArb(trees: Map<string, Sel>, name: string): fc.Arbitrary<CalicoPolicy> {
  return fc
    .record({
      global: fc.boolean(),
      namespace: fc.constantFrom(...NAMESPACES),
      tier: fc.constantFrom('default', 'default', 't1', 't2', 'kube-admin'),
      order: fc.option(fc.constantFrom(10, 1000, 2000), { nil: undefined }),
      selector: selArb,
      namespaceSelector: fc.option(
        nsSelArb.filter((s) => s.op !== 'global'),
        { nil: undefined, freq: 3 },
      ),
      types: fc.option(fc.subarray(['Ingress', 'Egress'] as const, { minLength: 1 }), { nil: undefined }),
      ingress: fc.array(ruleArb(trees), { maxLength: 2 }),
      egress: fc.array(ruleArb(trees), { maxLength: 2 }),
      staged: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    })
    .map((p): CalicoPolicy => {
      const selector = renderSel(p.selector);
      trees.set(selector, p.selector);
      let namespaceSelector: string | undefined;
      if (p.global && p.namespaceSelector) {
        namespaceSelector = renderSel(p.namespaceSelector);
        trees.set(namespaceSelector, p.namespaceSelector);
      }
      const kind = p.global
        ? p.staged
          ? 'StagedGlobalNetworkPolicy'
          : 'GlobalNetworkPolicy'
        : p.staged
          ? 'StagedNetworkPolicy'
          : 'NetworkPolicy';
      const types =
        p.types ??
        (p.egress.length > 0 && p.ingress.length === 0
          ? ['Egress']
          : p.egress.length > 0
            ? ['Ingress', 'Egress']
            : ['Ingress']);
      return {
        kind,
        apiVersion: 'projectcalico.org/v3',
        ...(p.global ? {} : { namespace: p.namespace }),
        name,
        writtenName: name,
        tier: p.tier,
        ...(p.order !== undefined ? { order: p.order } : {}),
        selector,
        ...(namespaceSelector !== undefined ? { namespaceSelector } : {}),
        types: [...types],
        typesDeclared: p.types !== undefined,
        ingress: p.ingress,
        egress: p.egress,
        staged: p.staged,
        labels: {},
        annotations: {},
      };
    });
}

const tiersArb: fc.Arbitrary<CalicoTier[]> = fc
  .tuple(
    ...['t1', 't2'].map(() =>
      fc.option(
        fc.record({
          order: fc.option(fc.constantFrom(100, 5000, 5_000_000), { nil: undefined }),
          defaultAction: fc.constantFrom('Deny' as const, 'Pass' as const),
        }),
        { nil: undefined, freq: 4 },
      ),
    ),
  )
  .map((ts) =>
    ts.flatMap((t, i): CalicoTier[] =>
      t
        ? [
            {
              name: `t${i + 1}`,
              defaultAction: t.defaultAction,
              ...(t.order !== undefined ? { order: t.order } : {}),
            },
          ]
        : [],
    ),
  );

const setsArb: fc.Arbitrary<CalicoNetworkSet[]> = fc
  .array(
    fc
      .record({
        namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
        set: fc.constantFrom('a', 'b'),
        nets: fc.uniqueArray(fc.constantFrom(...NETS, '10.0.1.0/24'), { minLength: 1, maxLength: 2 }),
      })
      .map(({ namespace, set, nets }) => ({ namespace, set, nets })),
    { maxLength: 2 },
  )
  .map((list) =>
    list.map((s, i): CalicoNetworkSet => ({
      kind: s.namespace === undefined ? 'GlobalNetworkSet' : 'NetworkSet',
      ...(s.namespace !== undefined ? { namespace: s.namespace } : {}),
      name: `set${i}`,
      labels: { set: s.set },
      nets: s.nets,
    })),
  );

interface World {
  readonly snapshot: Snapshot;
  readonly trees: ReadonlyMap<string, Sel>;
}

const worldArb: fc.Arbitrary<World> = fc
  .tuple(tieredSnapshotArb(ALL_FEATURES), fc.integer({ min: 1, max: 4 }), fc.constant(null))
  .chain(([base, n]) => {
    const trees = new Map<string, Sel>();
    return fc
      .record({
        policies: fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(trees, `cp${i}`))),
        tiers: tiersArb,
        sets: setsArb,
      })
      .map(({ policies, tiers, sets }): World => ({
        snapshot: {
          ...base,
          calicoPolicies: [...policies],
          ...(tiers.length > 0 ? { calicoTiers: tiers } : {}),
          ...(sets.length > 0 ? { calicoNetworkSets: sets } : {}),
        },
        trees,
      }));
  });

function compare(a: Analyzer, w: World): void {
  const s = w.snapshot;
  const ends = endpoints(s, EXTERNALS.slice(0, 5));
  const probes = PROBES.map((p) => ({ protocol: p.protocol, port: p.port }));
  const table = a.reach(
    ends.map((e) => e.peer),
    probes,
  );
  ends.forEach((from, i) =>
    ends.forEach((to, j) => {
      if (i === j || (from.peer.kind === 'external' && to.peer.kind === 'external')) return;
      probes.forEach((p, k) => {
        const egress = triOf(
          calicoSideOutcomes(s, w.trees, 'Egress', from.oracle, to.oracle, p.protocol, p.port),
        );
        const ingress = triOf(
          calicoSideOutcomes(s, w.trees, 'Ingress', to.oracle, from.oracle, p.protocol, p.port),
        );
        const want =
          egress === false || ingress === false
            ? 'denied'
            : egress === true && ingress === true
              ? 'allowed'
              : 'unknown';
        const v = a.check({ from: from.peer, to: to.peer, ...p });
        const where = `${JSON.stringify(from.peer)} → ${JSON.stringify(to.peer)} ${p.port}/${p.protocol}`;
        expect([where, v.verdict]).toEqual([where, want]);
        const cell = table.cell(i, j, k);
        expect([where, cell.allowed, cell.unknown]).toEqual([where, want === 'allowed', want === 'unknown']);
      });
    }),
  );
}

describe('Calico policies: engine = oracle', () => {
  it(
    'check() and reach() agree with the oracle',
    () => {
      fc.assert(
        fc.property(worldArb, (w) => {
          const a = createAnalyzer(w.snapshot);
          compare(a, w);
          // A what-if copy (the editor's drafts) keeps the Calico objects.
          compare(a.whatIf([]), w);
        }),
        params,
      );
    },
    timeout,
  );
});
