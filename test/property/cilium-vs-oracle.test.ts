/**
 * Cilium policies in the tiered evaluator against the naive oracle (test/oracle/cilium.ts): random
 * small clusters with NetworkPolicies and admin-tier policies (admin-arbitraries.ts) plus random
 * CiliumNetworkPolicies / CiliumClusterwideNetworkPolicies with every peer kind (endpoints, entities,
 * CIDRs with exceptions, DNS names, Services), deny rules, L7-filtered ports, named ports, ranges,
 * `{}` rules and enableDefaultDeny both ways.
 *
 * Compared: check() (verdict and both sides; the engine's `conditional` is the oracle's 'unknown'),
 * reach() cells, summary() counts and matrix; and, on clusters where nothing else is uncertain, that the
 * engine says `conditional` exactly where the oracle's doubt comes from conditional rules only.
 *
 * Runs per property: NETGLASS_PROPERTY_RUNS (default 200); seed: NETGLASS_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Analyzer, type PortProbe, type Verdict } from '../../shared/eval/index.ts';
import type {
  CiliumEntity,
  CiliumPeer,
  CiliumPolicy,
  CiliumPort,
  CiliumPortRule,
  CiliumRule,
  CiliumSpec,
  LabelSelector,
  Snapshot,
} from '../../shared/model/snapshot.ts';
import { CILIUM_ENTITIES, ciliumPolicyKey } from '../../shared/model/snapshot.ts';
import { tierPaths } from '../oracle/admin.ts';
import { all, any, triOf, type Tri } from '../oracle/basics.ts';
import { ciliumIsolatingKeys, ciliumRulesMatch, ciliumSubjectHolds } from '../oracle/cilium.ts';
import { isolated, isolating, oracleCheck, type OraclePeer } from '../oracle/naive.ts';
import { ALL_FEATURES, tieredSnapshotArb, type AdminFeatures } from './admin-arbitraries.ts';
import { EXTERNALS, NAMESPACES, PROBES } from './arbitraries.ts';
import { endpoints, expectSummaryMatchesOracle, oracleCell, sideTri } from './compare.ts';
import { propertySettings } from './settings.ts';

const { params, timeout } = propertySettings({
  runs: 200,
  seed: '20261203',
  timeout: { base: 120_000, perRun: 600 },
});

const KEYS = ['app', 'tier'];
const VALUES = ['1', '2'];

const selector: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 1 }),
  matchExpressions: fc.array(
    fc.oneof(
      fc.record({
        key: fc.constantFrom(...KEYS),
        operator: fc.constantFrom('In' as const, 'NotIn' as const),
        values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({
        key: fc.constantFrom(...KEYS),
        operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
        values: fc.constant([]),
      }),
    ),
    { maxLength: 1 },
  ),
});

const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** A namespace selector as the reader produces it: a name, namespace labels, or every namespace. */
const namespaceSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant(EMPTY),
  fc.constantFrom(...NAMESPACES).map((n) => ({
    matchLabels: { 'kubernetes.io/metadata.name': n },
    matchExpressions: [],
  })),
  fc.record({
    matchLabels: fc.dictionary(fc.constant('team'), fc.constantFrom('1', 'x'), { maxKeys: 1 }),
    matchExpressions: fc.constant([]),
  }),
);

const peer: fc.Arbitrary<CiliumPeer> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('endpoints' as const),
      namespaceSelector,
      podSelector: selector,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('entity' as const),
      entity: fc.constantFrom<CiliumEntity>(...CILIUM_ENTITIES),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cidr' as const),
      cidr: fc.constantFrom('10.0.0.0/16', '0.0.0.0/0', '8.8.8.8/32', 'fd00::/64', '::/0'),
      except: fc.uniqueArray(fc.constantFrom('10.0.1.0/24', '10.0.0.1/32', 'fd00::99/128'), { maxLength: 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('fqdn' as const), pattern: fc.constant('*.example.com') }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('service' as const), service: fc.constant('Service a/s') }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('unsupported' as const), field: fc.constant('fromNodes') }),
  },
);

const port: fc.Arbitrary<CiliumPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const) }),
  fc.record({
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
    port: fc.constantFrom(53, 80, 8080),
  }),
  fc.record({
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
    port: fc.constantFrom('http', 'dns'),
  }),
  fc.record({
    protocol: fc.constant('TCP' as const),
    port: fc.constant(80),
    endPort: fc.constantFrom(443, 8080),
  }),
);

const portRule = (deny: boolean): fc.Arbitrary<CiliumPortRule> =>
  fc
    .record({
      ports: fc.oneof(fc.constant('any' as const), fc.array(port, { minLength: 1, maxLength: 2 })),
      l7: deny ? fc.constant(false) : fc.boolean(),
    })
    .map(({ ports, l7 }) => ({ ports, ...(l7 ? { l7: 'HTTP GET /' } : {}) }));

const rule = (deny: boolean): fc.Arbitrary<CiliumRule> =>
  fc.record({
    peers: fc.oneof(
      { weight: 1, arbitrary: fc.constant('all' as const) },
      { weight: 1, arbitrary: fc.constant('none' as const) },
      {
        weight: 5,
        arbitrary: fc.array(deny ? peer.filter((p) => p.kind !== 'fqdn') : peer, {
          minLength: 1,
          maxLength: 2,
        }),
      },
    ),
    toPorts: fc.oneof(fc.constant('any' as const), fc.array(portRule(deny), { minLength: 1, maxLength: 2 })),
  });

const spec = (namespace: string | undefined): fc.Arbitrary<CiliumSpec> =>
  fc
    .record({
      podSelector: selector,
      namespaceSelector:
        namespace !== undefined
          ? fc.constant({ matchLabels: { 'kubernetes.io/metadata.name': namespace }, matchExpressions: [] })
          : namespaceSelector,
      ingress: fc.array(rule(false), { maxLength: 2 }),
      ingressDeny: fc.array(rule(true), { maxLength: 1 }),
      egress: fc.array(rule(false), { maxLength: 2 }),
      egressDeny: fc.array(rule(true), { maxLength: 1 }),
      ingressDefault: fc.option(fc.boolean(), { nil: undefined }),
      egressDefault: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map((r) => ({
      subject: { namespaceSelector: r.namespaceSelector, podSelector: r.podSelector },
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
    fc.array(spec(namespace), { minLength: 1, maxLength: 2 }).map((specs): CiliumPolicy => ({
      kind: namespace !== undefined ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy',
      apiVersion: 'cilium.io/v2',
      ...(namespace !== undefined ? { namespace } : {}),
      name: `c${i}`,
      specs,
      multi: specs.length > 1,
      labels: {},
      annotations: {},
    })),
  );

function withCilium(f: AdminFeatures): fc.Arbitrary<Snapshot> {
  return fc
    .tuple(
      tieredSnapshotArb(f),
      fc
        .integer({ min: 1, max: 3 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ciliumPolicyArb(i)))),
    )
    .map(([s, ciliumPolicies]) => ({ ...s, ciliumPolicies }));
}

const probes = (): PortProbe[] => PROBES.map((p) => ({ protocol: p.protocol, port: p.port }));
const asOracle = (v: Verdict): Verdict => (v === 'conditional' ? 'unknown' : v);

function compare(a: Analyzer, s: Snapshot): void {
  const ends = endpoints(s, EXTERNALS);
  const ps = probes();
  const table = a.reach(
    ends.map((e) => e.peer),
    ps,
  );
  ends.forEach((from, i) =>
    ends.forEach((to, j) => {
      if (i === j || (from.peer.kind === 'external' && to.peer.kind === 'external')) return;
      ps.forEach((p, k) => {
        const o = oracleCheck(s, from.oracle, to.oracle, p.protocol, p.port);
        const v = a.check({ from: from.peer, to: to.peer, protocol: p.protocol, port: p.port });
        const where = `${JSON.stringify(from.peer)} -> ${JSON.stringify(to.peer)} ${p.protocol}/${p.port}`;
        expect([asOracle(v.verdict), sideTri(v.egress), sideTri(v.ingress)], `check ${where}`).toEqual([
          o.verdict,
          o.egress,
          o.ingress,
        ]);
        expect(table.cell(i, j, k), `reach ${where}`).toEqual(oracleCell(o));
      });
    }),
  );
}

/**
 * Every probe port and address behaves like some port / address of the universe (so the summary, which
 * counts over the universe, speaks for every connection): Cilium's ports and CIDRs are in it.
 */
function expectUniverseCovers(a: Analyzer, s: Snapshot): void {
  const u = a.universe();
  const pods = s.pods.map((pod): OraclePeer => ({ kind: 'pod', pod }));
  const ends = [...pods, ...u.externals.map((ip): OraclePeer => ({ kind: 'external', ip }))];
  const vectorOfProbe = (q: PortProbe): string =>
    pods
      .flatMap((src) =>
        ends.filter((dst) => dst !== src).map((dst) => oracleCheck(s, src, dst, q.protocol, q.port).verdict),
      )
      .join(',');
  const portReps = new Set(u.ports.map(vectorOfProbe));
  for (const q of probes())
    expect(
      portReps.has(vectorOfProbe(q)),
      `probe ${q.protocol}/${q.port} behaves like no universe port`,
    ).toBe(true);
  const vectorOfAddress = (ip: string): string =>
    u.ports
      .flatMap((q) =>
        pods.flatMap((p) => [
          oracleCheck(s, p, { kind: 'external', ip }, q.protocol, q.port).verdict,
          oracleCheck(s, { kind: 'external', ip }, p, q.protocol, q.port).verdict,
        ]),
      )
      .join(',');
  const reps = new Set(u.externals.map(vectorOfAddress));
  // An address some pod holds is that pod, not an outside address: the universe never stands for it.
  const podIPs = new Set(s.pods.flatMap((p) => p.ips));
  // IPv6 addresses are in the universe only when a pod or a CIDR uses IPv6 (ConnectionUniverse).
  const v6 = u.externals.some((x) => x.includes(':'));
  for (const ip of EXTERNALS.filter((x) => !podIPs.has(x) && (v6 || !x.includes(':'))))
    expect(reps.has(vectorOfAddress(ip)), `address ${ip} behaves like no universe address`).toBe(true);
}

/** Admin features that leave nothing uncertain but Cilium's own rules. */
const CERTAIN: AdminFeatures = { ...ALL_FEATURES, unknownPeers: false, unrecognized: false, ties: false };

const unknowable = (s: Snapshot): boolean =>
  (s.ciliumPolicies ?? []).some((p) =>
    p.specs.some(
      (sp) =>
        [...sp.ingress, ...sp.ingressDeny, ...sp.egress, ...sp.egressDeny].some(
          (r) =>
            Array.isArray(r.peers) &&
            (r.peers as readonly CiliumPeer[]).some(
              (x) =>
                x.kind === 'entity' &&
                (x.entity === 'host' || x.entity === 'remote-node' || x.entity === 'kube-apiserver'),
            ),
        ) ||
        // A deny rule towards a Service's endpoints may or may not deny: unknown, not a condition.
        [...sp.ingressDeny, ...sp.egressDeny].some(
          (r) =>
            Array.isArray(r.peers) && (r.peers as readonly CiliumPeer[]).some((x) => x.kind === 'service'),
        ),
    ),
  );

const not = (t: Tri): Tri => (t === 'unknown' ? t : !t);

/**
 * The effect of Cilium policy `key` per the oracle, over the analyzer's universe (effect-cilium.ts's
 * definition): per side of a pod the policy holds, reached = the Admin tier falls through; permitted =
 * reached, no deny rule of any policy matches, an allow rule of P does; denied = reached and a deny rule
 * of P matches, or P alone isolates the pod, no Cilium rule matches and Baseline (or the default)
 * would allow.
 */
function oracleEffect(a: Analyzer, s: Snapshot, key: string): Record<string, number> {
  const u = a.universe();
  const policy = (s.ciliumPolicies ?? []).find((p) => ciliumPolicyKey(p) === key);
  const ends: OraclePeer[] = [
    ...s.pods.map((pod): OraclePeer => ({ kind: 'pod', pod })),
    ...u.externals.map((ip): OraclePeer => ({ kind: 'external', ip })),
  ];
  const counts = { permittedFlowing: 0, permittedBlocked: 0, denied: 0, unknown: 0 };
  const side = (
    direction: 'Ingress' | 'Egress',
    subject: OraclePeer,
    other: OraclePeer,
    dst: OraclePeer,
    q: PortProbe,
  ): { permitted: Tri; denied: Tri } => {
    const none = { permitted: false, denied: false };
    if (!policy || subject.kind === 'external' || subject.pod.hostNetwork) return none;
    const pod = subject.pod;
    if (!policy.specs.some((sp) => ciliumSubjectHolds(s, sp, pod) === true)) return none;
    const paths = (t: 'Admin' | 'Baseline') =>
      tierPaths(s, t, direction, pod, other, dst, q.protocol, q.port);
    const admin = paths('Admin');
    const reached = triOf(new Set(admin.map((p) => p.outcome === 'Fall')));
    const m = (deny: boolean, only?: string): Tri =>
      ciliumRulesMatch(s, direction, pod, other, dst, q.protocol, q.port, deny, only);
    const denyAny = m(true);
    const permitted = all([reached, not(denyAny), m(false, key)]);
    const d = direction === 'Ingress' ? 'ingress' : 'egress';
    const alone =
      policy.specs.some((sp) => sp.defaultDeny[d] && ciliumSubjectHolds(s, sp, pod) === true) &&
      isolating(s, pod, direction).length === 0 &&
      [...ciliumIsolatingKeys(s, pod, direction)].every((k) => k === key);
    const baseline = triOf(new Set(paths('Baseline').map((p) => p.outcome !== 'Deny')));
    const denied = all([
      reached,
      any([m(true, key), alone ? all([not(denyAny), not(m(false)), baseline]) : false]),
    ]);
    return { permitted, denied };
  };
  for (const src of ends)
    for (const dst of ends) {
      if (src === dst || (src.kind === 'external' && dst.kind === 'external')) continue;
      for (const q of u.ports) {
        const e = side('Egress', src, dst, dst, q);
        const i = side('Ingress', dst, src, dst, q);
        if (e.permitted === true || i.permitted === true) {
          const v = oracleCheck(s, src, dst, q.protocol, q.port).verdict;
          if (v === 'allowed') counts.permittedFlowing++;
          else if (v === 'denied') counts.permittedBlocked++;
          else counts.unknown++;
        } else if (e.permitted === 'unknown' || i.permitted === 'unknown') counts.unknown++;
        else if (e.denied === true || i.denied === true) counts.denied++;
        else if (e.denied === 'unknown' || i.denied === 'unknown') counts.unknown++;
      }
    }
  return counts;
}

describe('Cilium policies: engine = oracle', () => {
  it(
    'policyEffect() of each Cilium policy agrees with the oracle',
    () => {
      fc.assert(
        fc.property(withCilium(ALL_FEATURES), (s) => {
          const a = createAnalyzer(s);
          for (const p of s.ciliumPolicies ?? []) {
            const key = ciliumPolicyKey(p);
            const e = a.policyEffect(key);
            const { permittedFlowing, permittedBlocked, denied, unknown } = e.counts;
            expect({ permittedFlowing, permittedBlocked, denied, unknown }, key).toEqual(
              oracleEffect(a, s, key),
            );
          }
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'check() and reach() agree with the oracle (conditional = the oracle\u2019s unknown)',
    () => {
      fc.assert(
        fc.property(withCilium(ALL_FEATURES), (s) => {
          const a = createAnalyzer(s);
          compare(a, s);
          // A what-if copy (the editor's drafts) keeps the Cilium policies.
          compare(a.whatIf([]), s);
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'summary() counts and the namespace matrix agree with the oracle',
    () => {
      fc.assert(
        fc.property(withCilium(ALL_FEATURES), (s) => {
          const a = createAnalyzer(s);
          expectSummaryMatchesOracle(a, s);
          // Isolated pods: a NetworkPolicy or a Cilium rule with default deny selects them.
          const count = (d: 'Ingress' | 'Egress'): number =>
            s.pods.filter((p) => !p.hostNetwork && isolated(s, p, d) === true).length;
          const summary = a.summary();
          expect([summary.isolated.ingress, summary.isolated.egress]).toEqual([
            count('Ingress'),
            count('Egress'),
          ]);
          expect(summary.stats.ciliumPolicies).toBe(s.ciliumPolicies?.length);
          expectUniverseCovers(a, s);
          for (const p of s.pods) {
            const iso = a.isolation(`${p.namespace}/${p.name}`);
            for (const d of ['Ingress', 'Egress'] as const)
              expect(
                iso[d === 'Ingress' ? 'ingress' : 'egress'].isolated,
                `${p.namespace}/${p.name} ${d}`,
              ).toBe(!p.hostNetwork && isolated(s, p, d) === true);
          }
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'with nothing else uncertain, every open verdict is conditional, never unknown',
    () => {
      fc.assert(
        fc.property(
          withCilium(CERTAIN).filter((s) => !unknowable(s)),
          (s) => {
            const a = createAnalyzer(s);
            const ends = endpoints(s, EXTERNALS);
            for (const from of ends)
              for (const to of ends) {
                if (from === to || (from.peer.kind === 'external' && to.peer.kind === 'external')) continue;
                for (const p of probes()) {
                  const v = a.check({ from: from.peer, to: to.peer, protocol: p.protocol, port: p.port });
                  expect(v.verdict, `${JSON.stringify(v.query)}`).not.toBe('unknown');
                }
              }
          },
        ),
        params,
      );
    },
    timeout,
  );
});
