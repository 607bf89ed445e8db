/**
 * fast-check arbitraries for small, collision-rich clusters: a tiny label alphabet so selectors hit,
 * IPs drawn from a pool the ipBlocks cut through, named ports that collide across pods on different
 * numbers and protocols, every peer and port form.
 */
import fc from 'fast-check';
import type {
  ContainerPort,
  IPBlock,
  LabelSelector,
  LabelSelectorRequirement,
  Namespace,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  PolicyType,
  Snapshot,
  Visibility,
} from '../../shared/model/snapshot.ts';

export const NAMESPACES = ['a', 'b', 'c'];
const KEYS = ['app', 'tier', 'env'];
const VALUES = ['1', '2'];
export const POD_IPS = ['10.0.0.1', '10.0.0.2', '10.0.1.1', '10.1.0.1', '192.168.0.1', 'fd00::1', 'fd00::2'];
const CIDRS = [
  '10.0.0.0/16',
  '10.0.0.0/24',
  '10.0.0.1/32',
  '0.0.0.0/0',
  '192.168.0.0/16',
  'fd00::/64',
  '::/0',
];
const EXCEPTS = ['10.0.0.0/24', '10.0.1.0/24', '10.0.0.2/32', 'fd00::2/128', '10.0.0.0/8'];
export const EXTERNALS = [
  '10.0.0.1',
  '10.0.5.5',
  '10.0.1.9',
  '8.8.8.8',
  '192.168.3.3',
  'fd00::1',
  'fd00::99',
  '2001:db8::1',
];
export const PROBES = [
  { protocol: 'TCP', port: 53 },
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 81 },
  { protocol: 'TCP', port: 443 },
  { protocol: 'TCP', port: 5000 },
  { protocol: 'TCP', port: 8080 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'UDP', port: 80 },
  { protocol: 'UDP', port: 8080 },
  { protocol: 'SCTP', port: 80 },
] as const;

const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });

const requirement: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...KEYS, 'team'),
    operator: fc.constantFrom('In' as const, 'NotIn' as const),
    values: fc.uniqueArray(fc.constantFrom(...VALUES, 'x', 'y'), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    key: fc.constantFrom(...KEYS, 'team'),
    operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
    values: fc.constant([]),
  }),
);

const selector: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.dictionary(fc.constantFrom(...KEYS, 'team'), fc.constantFrom(...VALUES, 'x'), {
    maxKeys: 1,
  }),
  matchExpressions: fc.array(requirement, { maxLength: 2 }),
});

const namespaceSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  selector,
  fc
    .constantFrom(...NAMESPACES)
    .map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n }, matchExpressions: [] })),
);

const ipBlock: fc.Arbitrary<IPBlock> = fc.record({
  cidr: fc.constantFrom(...CIDRS),
  except: fc.uniqueArray(fc.constantFrom(...EXCEPTS), { maxLength: 2 }),
});

const peer: fc.Arbitrary<PolicyPeer> = fc.oneof(
  fc.record({ kind: fc.constant('selector' as const), podSelector: selector }),
  fc.record({ kind: fc.constant('selector' as const), namespaceSelector }),
  fc.record({ kind: fc.constant('selector' as const), podSelector: selector, namespaceSelector }),
  fc.record({ kind: fc.constant('ipBlock' as const), ipBlock }),
);

const policyPort: fc.Arbitrary<PolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const) }),
  fc.record({
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
    port: fc.constantFrom(53, 80, 443, 8080),
  }),
  fc.record({
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
    port: fc.constantFrom('http', 'dns', 'nope'),
  }),
  fc.record({
    protocol: fc.constant('TCP' as const),
    port: fc.constantFrom(53, 80, 443),
    endPort: fc.constantFrom(80, 443, 8080),
  }),
);

const rule: fc.Arbitrary<PolicyRule> = fc.record({
  peers: fc.oneof(
    { weight: 1, arbitrary: fc.constant('any' as const) },
    { weight: 3, arbitrary: fc.array(peer, { minLength: 1, maxLength: 2 }) },
  ),
  ports: fc.oneof(
    { weight: 1, arbitrary: fc.constant('any' as const) },
    { weight: 2, arbitrary: fc.array(policyPort, { minLength: 1, maxLength: 2 }) },
  ),
});

const namedPort: fc.Arbitrary<ContainerPort> = fc.record({
  name: fc.constantFrom('http', 'dns'),
  containerPort: fc.constantFrom(53, 80, 8080),
  protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
});

export function podArb(name: string): fc.Arbitrary<Pod> {
  return fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      labels,
      ips: fc.uniqueArray(fc.constantFrom(...POD_IPS), { maxLength: 2 }),
      ports: fc.uniqueArray(namedPort, { maxLength: 2, selector: (p) => p.name }),
      hostNetwork: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    })
    .map((p) => ({ ...p, name, fromTemplate: false }));
}

export function policyArb(name: string): fc.Arbitrary<NetworkPolicy> {
  return fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      podSelector: selector,
      declared: fc.option(fc.subarray<PolicyType>(['Ingress', 'Egress'], { minLength: 1 }), {
        nil: undefined,
      }),
      ingress: fc.array(rule, { maxLength: 2 }),
      egress: fc.array(rule, { maxLength: 2 }),
    })
    .map(({ namespace, podSelector, declared, ingress, egress }) => ({
      namespace,
      name,
      podSelector,
      policyTypes: declared ?? (egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']),
      policyTypesDeclared: declared !== undefined,
      ingress,
      egress,
      labels: {},
      annotations: {},
    }));
}

const namespaceArb = (name: string): fc.Arbitrary<Namespace> =>
  fc
    .record({
      team: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
      env: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
    })
    .map(({ team, env }) => ({
      name,
      labels: { 'kubernetes.io/metadata.name': name, ...(team ? { team } : {}), ...(env ? { env } : {}) },
      declared: true,
    }));

export const snapshotArb: fc.Arbitrary<Snapshot> = fc
  .record({
    namespaces: fc.tuple(...NAMESPACES.map(namespaceArb)),
    pods: fc
      .integer({ min: 1, max: 6 })
      .chain((n) =>
        fc.tuple(...Array.from({ length: n }, (_, i) => podArb(`p${i}`))).map((t): Pod[] => [...t]),
      ),
    policies: fc
      .integer({ min: 0, max: 4 })
      .chain((n) =>
        n === 0
          ? fc.constant<NetworkPolicy[]>([])
          : fc
              .tuple(...Array.from({ length: n }, (_, i) => policyArb(`np${i}`)))
              .map((t): NetworkPolicy[] => [...t]),
      ),
  })
  .map(({ namespaces, pods, policies }) => ({
    source: { kind: 'demo' },
    namespaces: [...namespaces],
    pods: [...pods],
    policies: [...policies],
    issues: [],
    clusterPolicies: [],
    skippedKinds: {},
  }));

/** A cluster as a live source with partial RBAC would show it, with the full cluster it stands for. */
export interface PartialView {
  /** Everything, as a source that could read it all would show it. */
  readonly full: Snapshot;
  /** What a source that could not read everything shows: `full` minus the unread objects. */
  readonly view: Snapshot;
}

const hiddenNamespaces: fc.Arbitrary<'all' | string[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string[]>([]) },
  { weight: 4, arbitrary: fc.subarray(NAMESPACES, { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constant('all' as const) },
);

const visibilityArb: fc.Arbitrary<Visibility | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.record({
      policiesUnreadable: hiddenNamespaces,
      podsUnreadable: fc.oneof(
        { weight: 3, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: fc.subarray(NAMESPACES, { minLength: 1, maxLength: 1 }) },
      ),
      namespacesUnreadable: fc.boolean(),
    }),
  },
);

function hidden(list: 'all' | readonly string[], namespace: string): boolean {
  return list === 'all' || list.includes(namespace);
}

/**
 * Hides what `visibility` says could not be read, as a live source would: the policies and pods of
 * those namespaces are absent; with namespaces unreadable, only namespaces some visible object names are
 * known, by name only (labels stripped to `kubernetes.io/metadata.name`).
 */
export function hide(full: Snapshot, visibility: Visibility | undefined): Snapshot {
  if (!visibility) return full;
  const policies = full.policies.filter((p) => !hidden(visibility.policiesUnreadable, p.namespace));
  const pods = full.pods.filter((p) => !hidden(visibility.podsUnreadable, p.namespace));
  const named = new Set([...policies, ...pods].map((o) => o.namespace));
  const namespaces = visibility.namespacesUnreadable
    ? full.namespaces
        .filter((n) => named.has(n.name))
        .map((n) => ({ name: n.name, labels: { 'kubernetes.io/metadata.name': n.name }, declared: false }))
    : full.namespaces;
  return {
    ...full,
    source: { kind: 'cluster', context: 'test', server: 'https://test.invalid' },
    visibility,
    namespaces,
    pods,
    policies,
  };
}

export const partialViewArb: fc.Arbitrary<PartialView> = fc
  .tuple(snapshotArb, visibilityArb)
  .map(([full, visibility]) => ({ full, view: hide(full, visibility) }));
