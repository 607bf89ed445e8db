/**
 * Operations on ClusterNetworkPolicy drafts: a new draft, a copy, a free priority, and moving a rule
 * (rules decide in written order, so their order is part of the policy). Each returns new values;
 * none touches a cluster.
 */
import type { AdminTier, ClusterNetworkPolicy } from '../model/snapshot.ts';
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.ts';
import type { AdminRuleDraft, ClusterPolicyDraft } from './cluster-draft.ts';
import { DEFAULT_CLUSTER_POLICY_API_VERSION, MAX_CLUSTER_PRIORITY } from './cluster-draft.ts';
import { uniqueName } from './operations.ts';

/** What a new ClusterNetworkPolicy draft does until rules are added. */
export const NEW_CLUSTER_DRAFT_EXPLANATION =
  'A new ClusterNetworkPolicy applies to the pods of one namespace and has no rules yet, so it changes nothing: unlike a NetworkPolicy, selecting pods does not isolate them.';

/**
 * The first priority from `preferred` up (then down) that no admin policy of `tier` has, so that a
 * new draft's order within its tier is well defined. `preferred` when every priority is taken.
 */
export function freePriority(
  tier: AdminTier,
  preferred: number,
  clusterPolicies: readonly Pick<ClusterNetworkPolicy, 'tier' | 'priority'>[],
): number {
  const taken = new Set(clusterPolicies.filter((p) => p.tier === tier).map((p) => p.priority));
  for (let p = preferred; p <= MAX_CLUSTER_PRIORITY; p++) if (!taken.has(p)) return p;
  for (let p = preferred - 1; p >= 0; p--) if (!taken.has(p)) return p;
  return preferred;
}

/**
 * A new Admin-tier draft for the pods of `namespace` with no rules, at a free priority from 100 up,
 * named `new-cluster-policy` (or `-2`, …) given the names taken.
 */
export function newClusterDraft(
  namespace: string,
  takenNames: Iterable<string> = [],
  clusterPolicies: readonly Pick<ClusterNetworkPolicy, 'tier' | 'priority'>[] = [],
): ClusterPolicyDraft {
  return {
    kind: 'ClusterNetworkPolicy',
    apiVersion: DEFAULT_CLUSTER_POLICY_API_VERSION,
    name: uniqueName('new-cluster-policy', takenNames),
    description: '',
    tier: 'Admin',
    priority: String(freePriority('Admin', 100, clusterPolicies)),
    subject: {
      kind: 'namespaces',
      namespaces: { matchLabels: [{ key: NAMESPACE_NAME_LABEL, value: namespace }], matchExpressions: [] },
    },
    ingress: [],
    egress: [],
    labels: {},
    annotations: {},
  };
}

/** A copy to save as a new policy: `<name>-copy` (or `-copy-2`, …), no origin. */
export function duplicateClusterDraft(
  draft: ClusterPolicyDraft,
  takenNames: Iterable<string> = [],
): ClusterPolicyDraft {
  const { origin: _origin, ...rest } = draft;
  return { ...rest, name: uniqueName(`${draft.name}-copy`, [...takenNames, draft.name]) };
}

/**
 * `rules` with the rule at `index` moved one place up (-1) or down (+1); unchanged at either end.
 * Moving a rule changes which rule decides a connection both match.
 */
export function moveRule(
  rules: readonly AdminRuleDraft[],
  index: number,
  by: -1 | 1,
): readonly AdminRuleDraft[] {
  const to = index + by;
  if (index < 0 || index >= rules.length || to < 0 || to >= rules.length) return rules;
  const out = [...rules];
  const [rule] = out.splice(index, 1);
  if (rule !== undefined) out.splice(to, 0, rule);
  return out;
}
