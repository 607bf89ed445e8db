/**
 * Read-only facts the panels and the graph show, derived from a snapshot without evaluating traffic
 * (that is the evaluator's job, shared/eval, run in a worker later).
 */
import {
  podKey,
  policyKey,
  type LabelSelector,
  type NetworkPolicy,
  type Pod,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';

export const NAMESPACE_PALETTE_SIZE = 8;

export interface NamespaceSummary {
  readonly name: string;
  readonly podCount: number;
  readonly policyCount: number;
  /** A live source could not read this namespace's NetworkPolicies (RBAC): the count is a lower bound. */
  readonly policiesUnreadable: boolean;
  readonly declared: boolean;
  /** A policy selecting every pod isolates this direction with no rules. */
  readonly defaultDenyIngress: boolean;
  readonly defaultDenyEgress: boolean;
  /** Index into the namespace palette (--ns-0 … --ns-7). */
  readonly color: number;
}

export interface PolicySummary {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly types: readonly ('Ingress' | 'Egress')[];
  readonly typesDeclared: boolean;
  readonly selector: string;
  readonly ingressRules: number;
  readonly egressRules: number;
  readonly notes: readonly PolicyNote[];
}

export type PolicyNote =
  'ingress-rules-ignored' | 'egress-rules-ignored' | 'denies-all-ingress' | 'denies-all-egress';

export const POLICY_NOTE_TEXT: Readonly<Record<PolicyNote, string>> = {
  'ingress-rules-ignored': 'Ingress rules ignored: policyTypes has no Ingress',
  'egress-rules-ignored': 'Egress rules ignored: policyTypes has no Egress',
  'denies-all-ingress': 'Denies all ingress to the pods it selects',
  'denies-all-egress': 'Denies all egress from the pods it selects',
};

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

export function describeSelector(selector: LabelSelector, everything = 'all pods'): string {
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

export function policyNotes(policy: NetworkPolicy): PolicyNote[] {
  const notes: PolicyNote[] = [];
  const ingress = policy.policyTypes.includes('Ingress');
  const egress = policy.policyTypes.includes('Egress');
  if (!ingress && policy.ingress.length > 0) notes.push('ingress-rules-ignored');
  if (!egress && policy.egress.length > 0) notes.push('egress-rules-ignored');
  if (ingress && policy.ingress.length === 0) notes.push('denies-all-ingress');
  if (egress && policy.egress.length === 0) notes.push('denies-all-egress');
  return notes;
}

/** Application namespaces first, then the system ones, each alphabetically. */
/** Numbers inside names compare as numbers: app-2 before app-10 (as people count, not as bytes). */
const NATURAL = new Intl.Collator('en', { numeric: true });

export function naturalCompare(a: string, b: string): number {
  return NATURAL.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** System namespaces (kube-*) last, the rest in natural order. */
export function compareNamespaces(a: string, b: string): number {
  const sa = a.startsWith('kube-') ? 1 : 0;
  const sb = b.startsWith('kube-') ? 1 : 0;
  return sa - sb || naturalCompare(a, b);
}

export function namespaceColors(snapshot: Snapshot): Map<string, number> {
  const names = snapshot.namespaces.map((n) => n.name).sort(compareNamespaces);
  return new Map(names.map((name, i) => [name, i % NAMESPACE_PALETTE_SIZE]));
}

export function summarizeNamespaces(snapshot: Snapshot): NamespaceSummary[] {
  const colors = namespaceColors(snapshot);
  const pods = countBy(snapshot.pods, (p) => p.namespace);
  const policies = countBy(snapshot.policies, (p) => p.namespace);
  const unreadable = snapshot.visibility?.policiesUnreadable ?? [];
  return snapshot.namespaces
    .map((ns) => {
      const selectAll = snapshot.policies.filter(
        (p) => p.namespace === ns.name && isEmptySelector(p.podSelector),
      );
      return {
        name: ns.name,
        podCount: pods.get(ns.name) ?? 0,
        policyCount: policies.get(ns.name) ?? 0,
        policiesUnreadable: unreadable === 'all' || unreadable.includes(ns.name),
        declared: ns.declared,
        defaultDenyIngress: selectAll.some(
          (p) => p.policyTypes.includes('Ingress') && p.ingress.length === 0,
        ),
        defaultDenyEgress: selectAll.some((p) => p.policyTypes.includes('Egress') && p.egress.length === 0),
        color: colors.get(ns.name) ?? 0,
      };
    })
    .sort((a, b) => compareNamespaces(a.name, b.name));
}

export function summarizePolicies(snapshot: Snapshot): PolicySummary[] {
  return snapshot.policies
    .map((p) => ({
      key: policyKey(p),
      namespace: p.namespace,
      name: p.name,
      types: p.policyTypes,
      typesDeclared: p.policyTypesDeclared,
      selector: describeSelector(p.podSelector),
      ingressRules: p.ingress.length,
      egressRules: p.egress.length,
      notes: policyNotes(p),
    }))
    .sort((a, b) => compareNamespaces(a.namespace, b.namespace) || naturalCompare(a.name, b.name));
}

export function sortedPods(snapshot: Snapshot): Pod[] {
  return [...snapshot.pods].sort(
    (a, b) => compareNamespaces(a.namespace, b.namespace) || naturalCompare(a.name, b.name),
  );
}

/**
 * A pod's name split for display: the workload, then what tells its replicas apart (the random
 * suffix of a Deployment's or DaemonSet's pod). StatefulSet pods keep their stable name.
 */
export function podDisplayName(pod: Pod): { readonly primary: string; readonly secondary: string } {
  const owner = pod.owner?.name;
  if (owner === undefined || !pod.name.startsWith(`${owner}-`) || pod.name.length <= owner.length + 1) {
    return { primary: pod.name, secondary: '' };
  }
  const rest = pod.name.slice(owner.length + 1);
  if (/^\d+$/.test(rest)) return { primary: pod.name, secondary: '' };
  return { primary: owner, secondary: rest.split('-').pop() ?? rest };
}

export function findPod(snapshot: Snapshot, key: string): Pod | undefined {
  return snapshot.pods.find((p) => podKey(p) === key);
}

export function findPolicy(snapshot: Snapshot, key: string): NetworkPolicy | undefined {
  return snapshot.policies.find((p) => policyKey(p) === key);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
