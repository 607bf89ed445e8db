/**
 * fast-check arbitraries for small clusters with all three tiers: admin policies (ClusterNetworkPolicy
 * of both tiers, and the legacy AdminNetworkPolicy / BaselineAdminNetworkPolicy) with priorities drawn
 * from a handful of values so that ties are common, every subject, action, peer and port form, on top
 * of the NetworkPolicies and pods of arbitraries.ts (pod IPs inside and outside the `networks` CIDRs,
 * some host-networked pods, named ports that collide across pods).
 */
import fc from 'fast-check';
import {
  clusterPolicyKey,
  type AdminAction,
  type AdminPeer,
  type AdminPolicyKind,
  type AdminPort,
  type AdminRule,
  type AdminSubject,
  type AdminTier,
  type ClusterNetworkPolicy,
  type LabelSelector,
  type Snapshot,
  type Visibility,
} from '../../shared/model/snapshot.ts';
import { hide, NAMESPACES, snapshotArb, type PartialView } from './arbitraries.ts';

const KEYS = ['app', 'tier', 'env'];
const VALUES = ['1', '2'];

/** Selectors that hit often: a tiny alphabet, at most one label and one expression. */
const selector: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.dictionary(fc.constantFrom(...KEYS, 'team'), fc.constantFrom(...VALUES, 'x'), {
    maxKeys: 1,
  }),
  matchExpressions: fc.array(
    fc.oneof(
      fc.record({
        key: fc.constantFrom(...KEYS, 'team'),
        operator: fc.constantFrom('In' as const, 'NotIn' as const),
        values: fc.uniqueArray(fc.constantFrom(...VALUES, 'x'), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({
        key: fc.constantFrom(...KEYS, 'team'),
        operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
        values: fc.constant([]),
      }),
    ),
    { maxLength: 1 },
  ),
});

const namespaceSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  selector,
  fc.constant({ matchLabels: {}, matchExpressions: [] }),
  fc
    .constantFrom(...NAMESPACES)
    .map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n }, matchExpressions: [] })),
);

const subject: fc.Arbitrary<AdminSubject> = fc.oneof(
  fc.record({ kind: fc.constant('namespaces' as const), namespaceSelector }),
  fc.record({ kind: fc.constant('pods' as const), namespaceSelector, podSelector: selector }),
);

/** Canonical (masked) CIDRs cutting through the pod IPs of arbitraries.ts and the external addresses. */
export const NETWORKS = [
  '10.0.0.0/16',
  '10.0.0.0/24',
  '10.0.0.1/32',
  '10.0.1.0/24',
  '0.0.0.0/0',
  '8.8.8.0/24',
  '192.168.0.0/16',
  'fd00::/64',
  'fd00::2/128',
  '::/0',
];

const podPeers: fc.Arbitrary<AdminPeer>[] = [
  fc.record({ kind: fc.constant('namespaces' as const), namespaceSelector }),
  fc.record({ kind: fc.constant('pods' as const), namespaceSelector, podSelector: selector }),
];

const networksPeer: fc.Arbitrary<AdminPeer> = fc.record({
  kind: fc.constant('networks' as const),
  cidrs: fc.uniqueArray(fc.constantFrom(...NETWORKS), { minLength: 1, maxLength: 2 }),
});

const nodesPeer: fc.Arbitrary<AdminPeer> = fc.record({
  kind: fc.constant('nodes' as const),
  nodeSelector: selector,
});

const domainNamesPeer: fc.Arbitrary<AdminPeer> = fc.record({
  kind: fc.constant('domainNames' as const),
  domainNames: fc.uniqueArray(fc.constantFrom('example.com', '*.example.org'), {
    minLength: 1,
    maxLength: 2,
  }),
});

const unrecognizedPeer: fc.Arbitrary<AdminPeer> = fc.constant({
  kind: 'unrecognized',
  fields: ['futurePeer'],
});

const adminPort: fc.Arbitrary<AdminPort> = fc.oneof(
  fc.record({
    kind: fc.constant('port' as const),
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
  }),
  fc.record({
    kind: fc.constant('port' as const),
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
    port: fc.constantFrom(53, 80, 443, 8080),
  }),
  fc
    .record({
      kind: fc.constant('port' as const),
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      range: fc.constantFrom(
        [53, 80] as const,
        [80, 443] as const,
        [443, 8080] as const,
        [81, 5000] as const,
      ),
    })
    .map(({ kind, protocol, range }) => ({ kind, protocol, port: range[0], endPort: range[1] })),
  fc.record({ kind: fc.constant('named' as const), name: fc.constantFrom('http', 'dns', 'nope') }),
);

/** Which of the features the generator draws from; each can be left out to isolate a disagreement. */
export interface AdminFeatures {
  /** `nodes` and `domainNames` peers (unknown against addresses). */
  readonly unknownPeers: boolean;
  /** Peers with no recognized field (fail closed). */
  readonly unrecognized: boolean;
  /** Equal priorities within a tier. */
  readonly ties: boolean;
  /** Host-networked pods (never subjects, never namespaces/pods peers; `nodes` peers may match them). */
  readonly hostNetworkPods: boolean;
}

export const ALL_FEATURES: AdminFeatures = {
  unknownPeers: true,
  unrecognized: true,
  ties: true,
  hostNetworkPods: true,
};

function ruleArb(
  direction: 'ingress' | 'egress',
  tier: AdminTier,
  f: AdminFeatures,
): fc.Arbitrary<AdminRule> {
  // v1alpha1 BaselineAdminNetworkPolicy has no Pass, but Baseline ClusterNetworkPolicy does.
  const action = fc.constantFrom<AdminAction>('Accept', 'Deny', 'Pass');
  const peers: fc.Arbitrary<AdminPeer>[] = [...podPeers];
  // `networks`, `nodes` and `domainNames` are egress-only peers in every API version.
  if (direction === 'egress') peers.push(networksPeer, networksPeer);
  if (direction === 'egress' && f.unknownPeers) peers.push(nodesPeer);
  const peer = fc.oneof(...peers);
  const withExtras = fc.oneof(
    { weight: 12, arbitrary: peer },
    { weight: f.unrecognized ? 1 : 0, arbitrary: unrecognizedPeer },
  );
  return fc
    .record({
      name: fc.option(fc.constantFrom('r-a', 'r-b'), { nil: undefined }),
      action,
      peers: fc.array(withExtras, { minLength: 1, maxLength: 2 }),
      ports: fc.oneof(
        { weight: 2, arbitrary: fc.constant('any' as const) },
        { weight: 3, arbitrary: fc.array(adminPort, { minLength: 1, maxLength: 2 }) },
      ),
      domain:
        direction === 'egress' && f.unknownPeers && tier === 'Admin' ? fc.boolean() : fc.constant(false),
    })
    .chain(({ name, action: a, peers: ps, ports, domain }) =>
      // domainNames: "only supported for Accept rules" (and, since v0.2, the Admin tier only).
      (domain && a === 'Accept' ? domainNamesPeer.map((d) => [...ps, d]) : fc.constant(ps)).map(
        (finalPeers): AdminRule => ({ ...(name ? { name } : {}), action: a, peers: finalPeers, ports }),
      ),
    );
}

export function clusterPolicyArb(
  index: number,
  f: AdminFeatures = ALL_FEATURES,
): fc.Arbitrary<ClusterNetworkPolicy> {
  const kind = fc.constantFrom<AdminPolicyKind>(
    'ClusterNetworkPolicy',
    'ClusterNetworkPolicy',
    'ClusterNetworkPolicy',
    'AdminNetworkPolicy',
    'BaselineAdminNetworkPolicy',
  );
  return kind.chain((k) => {
    const tierArb: fc.Arbitrary<AdminTier> =
      k === 'AdminNetworkPolicy'
        ? fc.constant('Admin')
        : k === 'BaselineAdminNetworkPolicy'
          ? fc.constant('Baseline')
          : fc.constantFrom('Admin', 'Baseline');
    return tierArb.chain((tier) =>
      fc
        .record({
          // Without ties, every policy gets a priority of its own (index-based).
          priority:
            k === 'BaselineAdminNetworkPolicy'
              ? fc.constant(1000)
              : f.ties
                ? fc.constantFrom(0, 1, 2, 1000)
                : fc.constant(10 + index),
          subject,
          ingress: fc.array(ruleArb('ingress', tier, f), { maxLength: 3 }),
          egress: fc.array(ruleArb('egress', tier, f), { maxLength: 3 }),
        })
        .map(({ priority, subject: s, ingress, egress }) => {
          // v1alpha1 BaselineAdminNetworkPolicy: actions Allow (Accept) and Deny only, name `default`.
          const banp = k === 'BaselineAdminNetworkPolicy';
          const noPass = (r: AdminRule): AdminRule =>
            banp && r.action === 'Pass' ? { ...r, action: 'Deny' } : r;
          return {
            kind: k,
            apiVersion:
              k === 'ClusterNetworkPolicy'
                ? 'policy.networking.k8s.io/v1beta1'
                : 'policy.networking.k8s.io/v1alpha1',
            name: banp ? 'default' : `cnp${index}`,
            tier,
            priority: !f.ties && banp ? 1000 + index : priority,
            subject: s,
            ingress: ingress.map(noPass),
            egress: egress.map(noPass),
            labels: {},
            annotations: {},
          };
        }),
    );
  });
}

/** Policies with distinct keys (at most one legacy BaselineAdminNetworkPolicy, always named `default`). */
export function clusterPoliciesArb(
  max: number,
  f: AdminFeatures = ALL_FEATURES,
): fc.Arbitrary<ClusterNetworkPolicy[]> {
  return fc
    .integer({ min: 0, max })
    .chain((n) =>
      n === 0
        ? fc.constant<ClusterNetworkPolicy[]>([])
        : fc.tuple(...Array.from({ length: n }, (_, i) => clusterPolicyArb(i, f))).map((t) => [...t]),
    )
    .map((ps) => {
      const seen = new Set<string>();
      return ps.filter((p) => {
        const key = clusterPolicyKey(p);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    });
}

/** A cluster with NetworkPolicies and admin policies of both tiers (full visibility). */
export function tieredSnapshotArb(f: AdminFeatures = ALL_FEATURES): fc.Arbitrary<Snapshot> {
  return fc.tuple(snapshotArb, clusterPoliciesArb(4, f)).map(([s, clusterPolicies]) => ({
    ...s,
    pods: f.hostNetworkPods ? s.pods : s.pods.map((p) => ({ ...p, hostNetwork: false })),
    clusterPolicies,
  }));
}

/**
 * A tiered cluster as a live source with partial RBAC would show it, with the full cluster: on top of
 * what `hide` leaves out (NetworkPolicies and pods of some namespaces, namespace labels), the admin
 * policies, cluster-scoped, are either all read or none (`clusterPoliciesUnreadable`).
 */
export function partialTieredViewArb(f: AdminFeatures = ALL_FEATURES): fc.Arbitrary<PartialView> {
  const namespaces = fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 2, arbitrary: fc.subarray(NAMESPACES, { minLength: 1, maxLength: 2 }) },
  );
  const visibility: fc.Arbitrary<Visibility | undefined> = fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.record({
        policiesUnreadable: namespaces,
        podsUnreadable: namespaces,
        namespacesUnreadable: fc.boolean(),
        clusterPoliciesUnreadable: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      }),
    },
  );
  return fc.tuple(tieredSnapshotArb(f), visibility).map(([full, v]) => {
    const view = hide(full, v);
    return { full, view: v?.clusterPoliciesUnreadable ? { ...view, clusterPolicies: [] } : view };
  });
}
