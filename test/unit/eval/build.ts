/** Tiny builders for hand-written evaluator tests. */
import type {
  AdminAction,
  AdminPeer,
  AdminPort,
  AdminRule,
  AdminSubject,
  AdminTier,
  ClusterNetworkPolicy,
  ContainerPort,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  Namespace,
  NetworkPolicy,
  Pod,
  PolicyRule,
  PolicyType,
  Snapshot,
} from '../../../shared/model/snapshot.ts';

export function sel(
  matchLabels: Labels = {},
  matchExpressions: LabelSelectorRequirement[] = [],
): LabelSelector {
  return { matchLabels, matchExpressions };
}

export function ns(name: string, labels: Labels = {}): Namespace {
  return { name, labels: { ...labels, 'kubernetes.io/metadata.name': name }, declared: true };
}

export function pod(
  namespace: string,
  name: string,
  labels: Labels = {},
  opts: { ips?: string[]; ports?: ContainerPort[]; hostNetwork?: boolean } = {},
): Pod {
  return {
    namespace,
    name,
    labels,
    ips: opts.ips ?? [],
    ports: opts.ports ?? [],
    hostNetwork: opts.hostNetwork ?? false,
    fromTemplate: false,
  };
}

export function policy(
  namespace: string,
  name: string,
  spec: {
    podSelector?: LabelSelector;
    policyTypes?: PolicyType[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  },
): NetworkPolicy {
  const ingress = spec.ingress ?? [];
  const egress = spec.egress ?? [];
  return {
    namespace,
    name,
    podSelector: spec.podSelector ?? sel(),
    policyTypes: spec.policyTypes ?? (egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']),
    policyTypesDeclared: spec.policyTypes !== undefined,
    ingress,
    egress,
    labels: {},
    annotations: {},
  };
}

export function snapshot(
  namespaces: Namespace[],
  pods: Pod[],
  policies: NetworkPolicy[],
  clusterPolicies: ClusterNetworkPolicy[] = [],
): Snapshot {
  return {
    source: { kind: 'demo' },
    namespaces,
    pods,
    policies,
    clusterPolicies,
    issues: [],
    skippedKinds: {},
  };
}

/** An admin rule: `action` to/from `peers` on `ports` ('any' when omitted). */
export function arule(
  action: AdminAction,
  peers: AdminPeer[],
  ports: 'any' | AdminPort[] = 'any',
  name?: string,
): AdminRule {
  return { ...(name !== undefined ? { name } : {}), action, peers, ports };
}

export const allNamespaces: AdminPeer = { kind: 'namespaces', namespaceSelector: sel() };

export function nsPeer(matchLabels: Labels): AdminPeer {
  return { kind: 'namespaces', namespaceSelector: sel(matchLabels) };
}

export function tcp(port?: number, endPort?: number): AdminPort {
  return {
    kind: 'port',
    protocol: 'TCP',
    ...(port !== undefined ? { port } : {}),
    ...(endPort !== undefined ? { endPort } : {}),
  };
}

/** A ClusterNetworkPolicy (v1beta1) of a tier and priority; the subject defaults to every namespace. */
export function cnp(
  name: string,
  tier: AdminTier,
  priority: number,
  spec: { subject?: AdminSubject; ingress?: AdminRule[]; egress?: AdminRule[] },
): ClusterNetworkPolicy {
  return {
    kind: 'ClusterNetworkPolicy',
    apiVersion: 'policy.networking.k8s.io/v1beta1',
    name,
    tier,
    priority,
    subject: spec.subject ?? { kind: 'namespaces', namespaceSelector: sel() },
    ingress: spec.ingress ?? [],
    egress: spec.egress ?? [],
    labels: {},
    annotations: {},
  };
}
