/** Tiny builders for hand-written evaluator tests. */
import type {
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

export function snapshot(namespaces: Namespace[], pods: Pod[], policies: NetworkPolicy[]): Snapshot {
  return { source: { kind: 'demo' }, namespaces, pods, policies, issues: [], skippedKinds: {} };
}
