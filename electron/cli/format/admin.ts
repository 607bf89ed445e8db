/**
 * Plain words for admin-tier policies (ClusterNetworkPolicy and the legacy v1alpha1 kinds) in CLI
 * output: selectors, subjects, peers, ports and rules as written. What a policy matches comes from the
 * evaluator; nothing here matches labels.
 */
import type {
  AdminPeer,
  AdminPort,
  AdminRule,
  AdminSubject,
  ClusterNetworkPolicy,
  LabelSelector,
} from '../../../shared/model/snapshot.ts';
import { clusterPolicyKey } from '../../../shared/model/snapshot.ts';

/** `app=web, tier in (a, b), !legacy`; `everything` for an empty selector. */
export function selectorText(selector: LabelSelector, everything: string): string {
  const parts = [
    ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...selector.matchExpressions.map((e) => {
      switch (e.operator) {
        case 'Exists':
          return e.key;
        case 'DoesNotExist':
          return `!${e.key}`;
        case 'In':
          return `${e.key} in (${e.values.join(', ')})`;
        case 'NotIn':
          return `${e.key} notin (${e.values.join(', ')})`;
      }
    }),
  ];
  return parts.length === 0 ? everything : parts.join(', ');
}

function isEmpty(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function namespacesText(selector: LabelSelector): string {
  return isEmpty(selector) ? 'every namespace' : `namespaces ${selectorText(selector, '')}`;
}

function podsText(selector: LabelSelector): string {
  return isEmpty(selector) ? 'all pods' : `pods ${selectorText(selector, '')}`;
}

export function subjectText(subject: AdminSubject): string {
  return subject.kind === 'namespaces'
    ? `all pods in ${namespacesText(subject.namespaceSelector)}`
    : `${podsText(subject.podSelector)} in ${namespacesText(subject.namespaceSelector)}`;
}

export function peerText(peer: AdminPeer): string {
  switch (peer.kind) {
    case 'namespaces':
      return `all pods in ${namespacesText(peer.namespaceSelector)}`;
    case 'pods':
      return `${podsText(peer.podSelector)} in ${namespacesText(peer.namespaceSelector)}`;
    case 'networks':
      return `networks ${peer.cidrs.join(', ')} (pod addresses included)`;
    case 'nodes':
      return `nodes ${selectorText(peer.nodeSelector, '(every node)')} (node addresses are unknown to netglass)`;
    case 'domainNames':
      return `domain names ${peer.domainNames.join(', ')} (DNS answers are unknown to netglass)`;
    case 'unrecognized':
      return `an unrecognized peer (${peer.fields.length > 0 ? peer.fields.join(', ') : 'no field'}): fails closed`;
  }
}

export function portText(port: AdminPort): string {
  if (port.kind === 'named') return `named port ${port.name}`;
  if (port.port === undefined) return `${port.protocol} (every port)`;
  return port.endPort !== undefined
    ? `${port.protocol} ${port.port}-${port.endPort}`
    : `${port.protocol} ${port.port}`;
}

/** `ingress[0] \`name\`` or `ingress[0]`. */
export function ruleLabel(direction: 'ingress' | 'egress', index: number, rule: AdminRule): string {
  return rule.name !== undefined && rule.name !== ''
    ? `${direction}[${index}] \`${rule.name}\``
    : `${direction}[${index}]`;
}

/**
 * `ClusterNetworkPolicy deny-cross-ns`, and for a legacy kind its key too (`AdminNetworkPolicy legacy
 * (key AdminNetworkPolicy:legacy)`), since the key is what other commands accept.
 */
export function policyTitle(policy: ClusterNetworkPolicy): string {
  const key = clusterPolicyKey(policy);
  return `${policy.kind} ${policy.name}${key === policy.name ? '' : ` (key ${key})`}`;
}
