/**
 * Words and YAML for admin-tier policies (ClusterNetworkPolicy and the legacy v1alpha1
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy): list rows ordered as the tiers are evaluated, each
 * rule's action, peers and ports in plain language, the policy as YAML from the normalized model. What a
 * policy applies to comes from the evaluator (the worker's badges and `policyEffect`), never from
 * selector matching here.
 */
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
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import type { Direction } from '../../../shared/eval/index.ts';
import type { PodBadge } from '../analysis/protocol.ts';
import { badgedPodsPerNamespace } from './badges.ts';
import { scalar, selectorField } from './describe.ts';
import { describeSelector, isEmptySelector } from './summary.ts';

/** Short names for the kind badge: the legacy kinds are marked in lists, a ClusterNetworkPolicy is not. */
export const KIND_SHORT: Readonly<Record<AdminPolicyKind, string>> = {
  ClusterNetworkPolicy: 'CNP',
  AdminNetworkPolicy: 'ANP',
  BaselineAdminNetworkPolicy: 'BANP',
};

export const TIER_LABEL: Readonly<Record<AdminTier, string>> = {
  Admin: 'Admin tier',
  Baseline: 'Baseline tier',
};

export const ACTION_HINT: Readonly<Record<AdminAction, string>> = {
  Accept: 'accepts the connection: no later rule, tier or NetworkPolicy can deny this side',
  Deny: 'denies the connection: final for this side',
  Pass: 'skips the rest of this tier: the next tier decides',
};

export function findClusterPolicy(snapshot: Snapshot, key: string): ClusterNetworkPolicy | undefined {
  return snapshot.clusterPolicies.find((p) => clusterPolicyKey(p) === key);
}

export function isLegacyKind(kind: AdminPolicyKind): boolean {
  return kind !== 'ClusterNetworkPolicy';
}

/** `namespaces env=prod`, `pods app=web in every namespace`. */
export function describeSubject(subject: AdminSubject): string {
  if (subject.kind === 'namespaces') {
    return isEmptySelector(subject.namespaceSelector)
      ? 'every namespace'
      : `namespaces ${describeSelector(subject.namespaceSelector)}`;
  }
  return `${podsText(subject.podSelector)} in ${namespacesText(subject.namespaceSelector)}`;
}

function podsText(selector: Parameters<typeof describeSelector>[0]): string {
  return isEmptySelector(selector) ? 'all pods' : `pods ${describeSelector(selector)}`;
}

function namespacesText(selector: Parameters<typeof describeSelector>[0]): string {
  return isEmptySelector(selector) ? 'every namespace' : `namespaces ${describeSelector(selector)}`;
}

export function describeAdminPeer(peer: AdminPeer): string {
  switch (peer.kind) {
    case 'namespaces':
      return `all pods in ${namespacesText(peer.namespaceSelector)}`;
    case 'pods':
      return `${podsText(peer.podSelector)} in ${namespacesText(peer.namespaceSelector)}`;
    case 'networks':
      return `addresses in ${peer.cidrs.join(', ')} (pod addresses included)`;
    case 'nodes':
      return `nodes ${describeSelector(peer.nodeSelector, 'every node')} (node addresses unknown to netglass)`;
    case 'domainNames':
      return `domains ${peer.domainNames.join(', ')} (DNS answers unknown to netglass)`;
    case 'unrecognized':
      return `a peer netglass does not know (${peer.fields.join(', ') || 'no field'}): fails closed`;
  }
}

export function describeAdminPort(port: AdminPort): string {
  if (port.kind === 'named') return `${port.name} (named)`;
  if (port.port === undefined) return `${port.protocol} every port`;
  return port.endPort !== undefined
    ? `${port.protocol} ${port.port}–${port.endPort}`
    : `${port.protocol} ${port.port}`;
}

export interface AdminRuleDescription {
  readonly direction: Direction;
  readonly index: number;
  /** `ingress[0]`, as `RuleEffect` and the CLI name it. */
  readonly label: string;
  readonly name: string | undefined;
  readonly action: AdminAction;
  readonly peers: readonly string[];
  readonly ports: readonly string[];
}

/** Ingress rules then egress rules, each in written order (the order in which the first match wins). */
export function describeAdminRules(policy: ClusterNetworkPolicy): AdminRuleDescription[] {
  const out: AdminRuleDescription[] = [];
  const add = (direction: Direction, rules: readonly AdminRule[]): void => {
    rules.forEach((rule, index) => {
      out.push({
        direction,
        index,
        label: `${direction}[${index}]`,
        name: rule.name,
        action: rule.action,
        peers: rule.peers.map(describeAdminPeer),
        ports: rule.ports === 'any' ? ['every port'] : rule.ports.map(describeAdminPort),
      });
    });
  };
  add('ingress', policy.ingress);
  add('egress', policy.egress);
  return out;
}

export type AdminNote = 'shared-priority' | 'no-rules';

export interface AdminPolicySummary {
  readonly key: string;
  readonly name: string;
  readonly kind: AdminPolicyKind;
  readonly tier: AdminTier;
  readonly priority: number;
  readonly subject: string;
  readonly directions: readonly ('Ingress' | 'Egress')[];
  readonly actions: readonly AdminAction[];
  /** Other policies of the same tier with the same priority: which goes first is up to the implementation. */
  readonly samePriority: readonly string[];
}

const TIER_ORDER: Readonly<Record<AdminTier, number>> = { Admin: 0, Baseline: 1 };

/** Evaluation order: the Admin tier, then the Baseline tier, each by priority (lower first), then name. */
export function compareAdminPolicies(a: ClusterNetworkPolicy, b: ClusterNetworkPolicy): number {
  return (
    TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
    a.priority - b.priority ||
    clusterPolicyKey(a).localeCompare(clusterPolicyKey(b))
  );
}

export function summarizeAdminPolicies(snapshot: Snapshot): AdminPolicySummary[] {
  const byPriority = new Map<string, string[]>();
  for (const p of snapshot.clusterPolicies) {
    const slot = `${p.tier}/${p.priority}`;
    byPriority.set(slot, [...(byPriority.get(slot) ?? []), clusterPolicyKey(p)]);
  }
  return [...snapshot.clusterPolicies].sort(compareAdminPolicies).map((p) => {
    const key = clusterPolicyKey(p);
    const directions: ('Ingress' | 'Egress')[] = [];
    if (p.ingress.length > 0) directions.push('Ingress');
    if (p.egress.length > 0) directions.push('Egress');
    const actions = [...new Set([...p.ingress, ...p.egress].map((r) => r.action))];
    return {
      key,
      name: p.name,
      kind: p.kind,
      tier: p.tier,
      priority: p.priority,
      subject: describeSubject(p.subject),
      directions,
      actions,
      samePriority: (byPriority.get(`${p.tier}/${p.priority}`) ?? []).filter((k) => k !== key),
    };
  });
}

/** The pods an admin policy applies to, as the worker's badges say (known once the analysis loaded). */
export function adminSubjectPods(
  badges: Readonly<Record<string, PodBadge>> | undefined,
  key: string,
): string[] {
  if (badges === undefined) return [];
  const pods: string[] = [];
  for (const [pod, badge] of Object.entries(badges)) {
    if (badge.admin === undefined) continue;
    if (badge.admin.ingress.includes(key) || badge.admin.egress.includes(key)) pods.push(pod);
  }
  return pods.sort();
}

/** Per namespace: how many of its pods some admin-tier policy applies to (from the badges). */
export function adminPodsPerNamespace(
  badges: Readonly<Record<string, PodBadge>> | undefined,
): Map<string, number> {
  return badgedPodsPerNamespace(badges, (b) => b.admin !== undefined);
}

// ---------- YAML ----------

function subjectYaml(subject: AdminSubject): string[] {
  if (subject.kind === 'namespaces') return selectorField('namespaces', subject.namespaceSelector, '    ');
  return [
    '    pods:',
    ...selectorField('namespaceSelector', subject.namespaceSelector, '      '),
    ...selectorField('podSelector', subject.podSelector, '      '),
  ];
}

/** One peer as a list item at `indent` (`- namespaces: {}`). */
function adminPeerYaml(peer: AdminPeer, indent: string): string[] {
  const rest = `${indent}  `;
  let lines: string[];
  switch (peer.kind) {
    case 'namespaces':
      lines = selectorField('namespaces', peer.namespaceSelector, rest);
      break;
    case 'pods':
      lines = [
        `${rest}pods:`,
        ...selectorField('namespaceSelector', peer.namespaceSelector, `${rest}  `),
        ...selectorField('podSelector', peer.podSelector, `${rest}  `),
      ];
      break;
    case 'networks':
      lines = [`${rest}networks:`, ...peer.cidrs.map((c) => `${rest}  - ${scalar(c)}`)];
      break;
    case 'nodes':
      lines = selectorField('nodes', peer.nodeSelector, rest);
      break;
    case 'domainNames':
      lines = [`${rest}domainNames:`, ...peer.domainNames.map((d) => `${rest}  - ${JSON.stringify(d)}`)];
      break;
    case 'unrecognized':
      lines = [`${rest}# a peer with fields netglass does not know: ${peer.fields.join(', ') || 'none'}`];
      break;
  }
  lines[0] = `${indent}- ${(lines[0] ?? '').slice(rest.length)}`;
  return lines;
}

function adminPortYaml(port: AdminPort, indent: string): string[] {
  if (port.kind === 'named') return [`${indent}- destinationNamedPort: ${scalar(port.name)}`];
  const proto = port.protocol.toLowerCase();
  if (port.port === undefined) return [`${indent}- ${proto}: {} # every ${port.protocol} port`];
  if (port.endPort !== undefined)
    return [
      `${indent}- ${proto}:`,
      `${indent}    destinationPort:`,
      `${indent}      range:`,
      `${indent}        start: ${port.port}`,
      `${indent}        end: ${port.endPort}`,
    ];
  return [`${indent}- ${proto}:`, `${indent}    destinationPort:`, `${indent}      number: ${port.port}`];
}

function adminRulesYaml(direction: Direction, rules: readonly AdminRule[]): string[] {
  if (rules.length === 0) return [];
  const lines = [`  ${direction}:`];
  for (const rule of rules) {
    const body: string[] = [];
    if (rule.name !== undefined) body.push(`name: ${scalar(rule.name)}`);
    body.push(`action: ${rule.action}`);
    lines.push(`    - ${body[0] ?? ''}`, ...body.slice(1).map((l) => `      ${l}`));
    lines.push(`      ${direction === 'ingress' ? 'from' : 'to'}:`);
    for (const peer of rule.peers) lines.push(...adminPeerYaml(peer, '        '));
    if (rule.ports !== 'any') {
      lines.push('      protocols:');
      for (const port of rule.ports) lines.push(...adminPortYaml(port, '        '));
    }
  }
  return lines;
}

/**
 * The policy as a ClusterNetworkPolicy in YAML, from the normalized model. Legacy kinds are shown in
 * that form too (with a comment saying so): it is how netglass reads them.
 */
export function adminPolicyYaml(policy: ClusterNetworkPolicy): string {
  const lines: string[] = [];
  if (isLegacyKind(policy.kind))
    lines.push(
      `# Read from ${policy.kind} (${policy.apiVersion}); shown as the equivalent ClusterNetworkPolicy.`,
      'apiVersion: policy.networking.k8s.io/v1alpha2',
    );
  else lines.push(`apiVersion: ${policy.apiVersion}`);
  lines.push('kind: ClusterNetworkPolicy', 'metadata:', `  name: ${scalar(policy.name)}`);
  for (const [field, map] of [
    ['labels', policy.labels],
    ['annotations', policy.annotations],
  ] as const) {
    const entries = Object.entries(map);
    if (entries.length === 0) continue;
    lines.push(`  ${field}:`);
    for (const [k, v] of entries) lines.push(`    ${scalar(k)}: ${scalar(v)}`);
  }
  lines.push('spec:', `  tier: ${policy.tier}`, `  priority: ${policy.priority}`, '  subject:');
  lines.push(...subjectYaml(policy.subject));
  lines.push(...adminRulesYaml('ingress', policy.ingress));
  lines.push(...adminRulesYaml('egress', policy.egress));
  return `${lines.join('\n')}\n`;
}
