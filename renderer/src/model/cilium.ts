/**
 * Cilium policies (CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy) in words, for the side panel
 * and the details view. Only wording: which pods a policy selects and what its rules decide come from
 * the evaluator (the worker's `policyEffect`), never from selector matching here.
 */
import {
  ciliumPolicyKey,
  isCalicoPolicyKey,
  isCiliumPolicyKey,
  isClusterPolicyKey,
  NAMESPACE_NAME_LABEL,
  type CiliumPeer,
  type CiliumPolicy,
  type CiliumPort,
  type CiliumPortRule,
  type CiliumRule,
  type CiliumSpec,
  type LabelSelector,
  type NamespacedPodSelector,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import type { PodBadge } from '../analysis/protocol.ts';
import { badgedPodsPerNamespace, countPerNamespace } from './badges.ts';
import { describeSelector, isEmptySelector } from './summary.ts';

/** What a policy key names: the four key shapes share one namespace of strings. */
export type PolicyKeyKind = 'cilium' | 'calico' | 'admin' | 'network-policy';

/**
 * Cilium and Calico keys first: `CiliumClusterwideNetworkPolicy:name` has no slash, so
 * `isClusterPolicyKey` alone would take it for an admin policy, and a CiliumNetworkPolicy or Calico key
 * (`Calico:NetworkPolicy/ns/tier.name`) for a NetworkPolicy.
 */
export function policyKeyKind(key: string): PolicyKeyKind {
  if (isCiliumPolicyKey(key)) return 'cilium';
  if (isCalicoPolicyKey(key)) return 'calico';
  return isClusterPolicyKey(key) ? 'admin' : 'network-policy';
}

/** A Cilium key's name (`ns/name` or `name`) and short kind, read from the key alone. */
export function ciliumKeyParts(key: string): { readonly name: string; readonly short: string } {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  return {
    name: key.slice(colon + 1),
    short:
      kind === 'CiliumNetworkPolicy'
        ? CILIUM_KIND_SHORT.CiliumNetworkPolicy
        : CILIUM_KIND_SHORT.CiliumClusterwideNetworkPolicy,
  };
}

export function findCiliumPolicy(snapshot: Snapshot, key: string): CiliumPolicy | undefined {
  return snapshot.ciliumPolicies?.find((p) => ciliumPolicyKey(p) === key);
}

/** `CNP` / `CCNP`, as Cilium's own short names. */
export const CILIUM_KIND_SHORT: Readonly<Record<CiliumPolicy['kind'], string>> = {
  CiliumNetworkPolicy: 'CNP',
  CiliumClusterwideNetworkPolicy: 'CCNP',
};

/** The namespace a selector pins by its name label, when that is all it says. */
function pinnedNamespace(selector: LabelSelector): string | undefined {
  const labels = Object.entries(selector.matchLabels);
  if (selector.matchExpressions.length > 0 || labels.length !== 1) return undefined;
  const [key, value] = labels[0] as [string, string];
  return key === NAMESPACE_NAME_LABEL ? value : undefined;
}

/** `pods app=web in namespace shop`, `all pods in every namespace`. */
export function describeEndpoints(sel: NamespacedPodSelector): string {
  const pods = isEmptySelector(sel.podSelector) ? 'all pods' : `pods ${describeSelector(sel.podSelector)}`;
  const ns = pinnedNamespace(sel.namespaceSelector);
  const where =
    ns !== undefined
      ? `namespace ${ns}`
      : isEmptySelector(sel.namespaceSelector)
        ? 'every namespace'
        : `namespaces ${describeSelector(sel.namespaceSelector)}`;
  return `${pods} in ${where}`;
}

const ENTITY_TEXT: Readonly<Record<string, string>> = {
  all: 'everything (entity all)',
  world: 'every address outside the cluster (entity world)',
  'world-ipv4': 'every IPv4 address outside the cluster (entity world-ipv4)',
  'world-ipv6': 'every IPv6 address outside the cluster (entity world-ipv6)',
  cluster: 'every pod of the cluster, host-network ones included (entity cluster)',
  host: 'the local node (entity host)',
  'remote-node': 'other nodes (entity remote-node)',
  'kube-apiserver': 'the Kubernetes API server (entity kube-apiserver)',
};

/** One peer in words; `conditional` when what it allows depends on what netglass cannot see. */
export interface CiliumPeerText {
  readonly text: string;
  readonly conditional?: string;
}

export function describeCiliumPeer(peer: CiliumPeer): CiliumPeerText {
  switch (peer.kind) {
    case 'endpoints':
      return { text: describeEndpoints(peer) };
    case 'entity':
      return { text: ENTITY_TEXT[peer.entity] ?? `entity ${peer.entity} (matches nothing netglass models)` };
    case 'cidr':
      return {
        text: `addresses in ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''} (outside the cluster only)`,
      };
    case 'fqdn':
      return {
        text: `DNS name ${peer.pattern}`,
        conditional: `the addresses DNS returns for ${peer.pattern}`,
      };
    case 'service':
      return {
        // `service` is already worded by the loader: "Service shop/db", "Services app=db".
        text: peer.service,
        conditional: `the endpoints of ${peer.service}`,
      };
    case 'unsupported':
      return { text: `${peer.field}: not modelled, matches nothing` };
  }
}

function describeCiliumPort(port: CiliumPort): string {
  if (port.port === undefined) return `${port.protocol} every port`;
  if (typeof port.port === 'string') return `${port.protocol} ${port.port} (named)`;
  return port.endPort !== undefined
    ? `${port.protocol} ${port.port}–${port.endPort}`
    : `${port.protocol} ${port.port}`;
}

function describePortRule(rule: CiliumPortRule): string[] {
  return rule.ports === 'any' ? ['every port'] : rule.ports.map(describeCiliumPort);
}

export type CiliumRuleList = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';

export interface CiliumRuleDescription {
  /** `spec.ingress[0]`, `specs[1].egressDeny[2]`: where the rule is written, as the evaluator names it. */
  readonly label: string;
  readonly direction: 'ingress' | 'egress';
  readonly action: 'allow' | 'deny';
  /** 'none' for an empty rule (it matches nothing). */
  readonly peers: readonly CiliumPeerText[] | 'any' | 'none';
  readonly peerField?: string;
  readonly ports: readonly string[];
  /** Each reason the rule allows only some requests (L7 rules, DNS names, Service endpoints). */
  readonly conditional: readonly string[];
}

const LISTS: readonly CiliumRuleList[] = ['ingressDeny', 'ingress', 'egressDeny', 'egress'];

function describeRule(label: string, list: CiliumRuleList, rule: CiliumRule): CiliumRuleDescription {
  const peers =
    rule.peers === 'all' ? 'any' : rule.peers === 'none' ? 'none' : rule.peers.map(describeCiliumPeer);
  const ports = rule.toPorts === 'any' ? ['every port'] : rule.toPorts.flatMap(describePortRule);
  const conditional: string[] = [];
  if (peers !== 'any' && peers !== 'none')
    for (const p of peers) if (p.conditional !== undefined) conditional.push(p.conditional);
  if (rule.toPorts !== 'any')
    for (const t of rule.toPorts)
      if (t.l7 !== undefined) conditional.push(`requests ${t.l7} (on ${describePortRule(t).join(', ')})`);
  return {
    label,
    direction: list.startsWith('ingress') ? 'ingress' : 'egress',
    action: list.endsWith('Deny') ? 'deny' : 'allow',
    peers,
    ...(rule.peerField !== undefined ? { peerField: rule.peerField } : {}),
    ports,
    conditional,
  };
}

export interface CiliumSpecDescription {
  /** `spec` or `specs[i]`. */
  readonly label: string;
  /** Which endpoints it applies to, or why it applies to none netglass models. */
  readonly subject: string;
  readonly defaultDeny: CiliumSpec['defaultDeny'];
  readonly description?: string;
  /** Deny rules first (they win over every allow), then allows; ingress before egress. */
  readonly rules: readonly CiliumRuleDescription[];
}

export function describeCiliumPolicy(policy: CiliumPolicy): CiliumSpecDescription[] {
  return policy.specs.map((spec, i) => {
    const label = policy.multi ? `specs[${i}]` : 'spec';
    const rules: CiliumRuleDescription[] = [];
    for (const list of LISTS)
      spec[list].forEach((rule, j) => rules.push(describeRule(`${label}.${list}[${j}]`, list, rule)));
    return {
      label,
      subject:
        spec.subject === undefined
          ? 'nodes (nodeSelector): host policies are not evaluated'
          : describeEndpoints(spec.subject),
      defaultDeny: spec.defaultDeny,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      rules,
    };
  });
}

export interface CiliumPolicySummary {
  readonly key: string;
  readonly kind: CiliumPolicy['kind'];
  readonly name: string;
  readonly namespace: string | undefined;
  readonly subject: string;
  readonly directions: readonly ('Ingress' | 'Egress')[];
  /** Whether some rule denies, and whether some rule allows only some requests. */
  readonly denies: boolean;
  readonly conditional: boolean;
}

export function summarizeCiliumPolicies(snapshot: Snapshot): CiliumPolicySummary[] {
  return (snapshot.ciliumPolicies ?? [])
    .map((policy): CiliumPolicySummary => {
      const specs = describeCiliumPolicy(policy);
      const rules = specs.flatMap((s) => s.rules);
      const directions: ('Ingress' | 'Egress')[] = [];
      if (policy.specs.some((s) => s.defaultDeny.ingress || s.ingress.length + s.ingressDeny.length > 0))
        directions.push('Ingress');
      if (policy.specs.some((s) => s.defaultDeny.egress || s.egress.length + s.egressDeny.length > 0))
        directions.push('Egress');
      return {
        key: ciliumPolicyKey(policy),
        kind: policy.kind,
        name: policy.name,
        namespace: policy.namespace,
        subject: [...new Set(specs.map((s) => s.subject))].join('; '),
        directions,
        denies: rules.some((r) => r.action === 'deny'),
        conditional: rules.some((r) => r.conditional.length > 0),
      };
    })
    .sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
}

/** CiliumNetworkPolicies per namespace (cluster-wide ones belong to none). */
export function ciliumPoliciesPerNamespace(snapshot: Snapshot | undefined): Map<string, number> {
  return countPerNamespace(snapshot?.ciliumPolicies);
}

/**
 * Pods a Cilium policy isolates, per namespace, from the worker's badges (the evaluator's
 * `isolation`, whose isolating policies include Cilium keys).
 */
export function ciliumIsolatedPodsPerNamespace(
  badges: Readonly<Record<string, PodBadge>> | undefined,
): Map<string, number> {
  return badgedPodsPerNamespace(badges, (b) => b.cilium === true);
}
