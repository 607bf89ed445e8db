/**
 * Partial visibility: what the evaluator makes of `Snapshot.visibility` (a live source whose RBAC
 * forbade listing some objects). The rule throughout: a verdict is `allowed` or `denied` only when it
 * holds whatever the unread objects are; otherwise it is `unknown`. Unknown is never a guess, and with
 * `visibility` absent (or listing nothing) nothing here changes any answer or costs anything.
 *
 * Per side (egress at a source pod S, ingress at a destination pod D; call it the subject):
 *
 * 1. NetworkPolicies unreadable in the subject's namespace (`policiesUnreadable` lists it, or is 'all').
 *    Policies only add up: if a rule of a visible policy selecting the subject in that direction surely
 *    matches, the side is `allowed` (a hidden policy cannot take that away). Otherwise the side is
 *    `unknown`: hidden policies might isolate the subject and allow nothing, might allow the connection,
 *    or might not exist. Isolation in that direction is `true` when a visible policy isolates the
 *    subject, `'unknown'` otherwise. hostNetwork subjects and external addresses stay `not-subject`:
 *    no policy, seen or not, applies to them.
 * 2. Namespaces unreadable (`namespacesUnreadable`): a namespace's labels are unknown except
 *    `kubernetes.io/metadata.name`, known from its name; whatever labels the snapshot carries for
 *    namespaces are ignored. A namespaceSelector is matched three-valued, requirement by requirement
 *    (`selectorMatchesByName`): `{}` and requirements on the name label are decided, any other
 *    requirement is unknown. Peers and rules then have definite matches (`classes`) and possible ones
 *    (`maybe` ⊇ `classes`). A side with no definite match but a possible one is `unknown`; with neither,
 *    it is `denied` as before (when policies are readable).
 * 3. Pods unreadable (`podsUnreadable`): unread pods are absent from the view. A side's verdict depends
 *    only on its subject, the other end and the policies, never on third pods, so verdicts between
 *    visible pods are exact. Whole-cluster answers cover visible pods only and say `partial`.
 * 4. Admin-tier policies unreadable (`clusterPoliciesUnreadable`): an unread Admin rule may accept or
 *    deny any side of a pod before NetworkPolicies are read, so no such side is surely anything: each is
 *    `unknown` (external addresses and hostNetwork pods stay `not-subject`).
 * 5. The connection: `allowed` iff both sides allow; `denied` if either side surely denies; else
 *    `unknown`.
 *
 * In bitset form each side has a "yes" mask (surely allows) and a "maybe" mask (allows in some
 * completion of the unread objects); yes ⊆ maybe, `denied` = not maybe, `unknown` = maybe ∖ yes. For a
 * subject whose namespace's policies are unreadable, yes = what its visible profile surely allows
 * (nothing when no visible policy selects it) and maybe = everything.
 */
import type { Visibility } from '../model/snapshot.ts';

export class View {
  readonly visibility: Visibility | undefined;
  /** Something could not be read (pods, policies or namespaces). */
  readonly partial: boolean;
  /** Some verdict may be unknown: policies of some namespace, or namespace labels, could not be read. */
  readonly uncertain: boolean;
  readonly namespacesHidden: boolean;
  /** Admin-tier policies could not be read: every side of a pod may be decided by one of them. */
  readonly clusterPoliciesHidden: boolean;
  readonly #policiesHidden: 'all' | ReadonlySet<string>;

  constructor(visibility: Visibility | undefined) {
    this.visibility = visibility;
    const policies = visibility?.policiesUnreadable ?? [];
    const pods = visibility?.podsUnreadable ?? [];
    this.#policiesHidden = policies === 'all' ? 'all' : new Set(policies);
    this.namespacesHidden = visibility?.namespacesUnreadable ?? false;
    this.clusterPoliciesHidden = visibility?.clusterPoliciesUnreadable ?? false;
    this.uncertain =
      policies === 'all' || policies.length > 0 || this.namespacesHidden || this.clusterPoliciesHidden;
    this.partial = this.uncertain || pods === 'all' || pods.length > 0;
  }

  /** The NetworkPolicies of this namespace could not be read. */
  policiesHidden(namespace: string): boolean {
    return this.#policiesHidden === 'all' || this.#policiesHidden.has(namespace);
  }

  /** Why a side in `namespace` is unknown because of its policies (for `SideResult.reason`). */
  static policiesReason(namespace: string): string {
    return `NetworkPolicies in namespace ${namespace} could not be read`;
  }

  static clusterPoliciesReason(): string {
    return 'admin network policies (ClusterNetworkPolicy) could not be read: one may decide this side first';
  }

  static namespaceReason(namespaces: readonly string[]): string {
    const list = namespaces.join(', ');
    return `the labels of namespace${namespaces.length === 1 ? '' : 's'} ${list} could not be read (Namespaces could not be listed)`;
  }
}
