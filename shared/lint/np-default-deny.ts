/**
 * Namespaces with pods and no default-deny NetworkPolicy, per direction. A default deny is a policy that
 * selects every pod of the namespace, present and future (`podSelector: {}`), has the direction among its
 * policy types, and has no rule that allows everything. Without one, a pod no other policy selects is
 * open in that direction, and so is every new workload until someone writes its policy.
 *
 * Admin-tier policies are not counted: a Baseline-tier deny is a cluster default, but one CNI may not
 * implement it, and the namespace's own policies are what its owners review.
 */
import type { LabelSelector, NetworkPolicy, SourceLocation } from '../model/snapshot.ts';
import type { Direction } from './np-index.ts';
import { DIRECTIONS, enforces, indexFor, rulesOf } from './np-index.ts';
import type { LintFinding, LintRule } from './types.ts';

function selectsEverything(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function isDefaultDeny(p: NetworkPolicy, direction: Direction): boolean {
  return (
    selectsEverything(p.podSelector) &&
    enforces(p, direction) &&
    !rulesOf(p, direction).some((r) => r.peers === 'any' && r.ports === 'any')
  );
}

const TYPE: Readonly<Record<Direction, string>> = { ingress: 'Ingress', egress: 'Egress' };

export const noDefaultDeny: LintRule = {
  id: 'ns-no-default-deny',
  severity: 'warning',
  summary:
    'a namespace with pods and no default-deny NetworkPolicy (podSelector {} with the direction in policyTypes) for ingress or egress',
  check(snapshot) {
    const index = indexFor(snapshot);
    const byNamespace = new Map<string, NetworkPolicy[]>();
    for (const p of snapshot.policies)
      byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
    const out: LintFinding[] = [];
    for (const namespace of index.populatedNamespaces()) {
      const pods = index.podsIn(namespace).filter((p) => !p.hostNetwork);
      if (pods.length === 0 || index.policiesUnread(namespace)) continue;
      const policies = byNamespace.get(namespace) ?? [];
      const location: SourceLocation | undefined =
        index.namespaces.get(namespace)?.location ?? pods.find((p) => p.location)?.location;
      for (const direction of DIRECTIONS) {
        if (policies.some((p) => isDefaultDeny(p, direction))) continue;
        const way = direction === 'ingress' ? 'accepts connections from' : 'may connect to';
        out.push({
          id: 'ns-no-default-deny',
          severity: 'warning',
          object: namespace,
          ...(location ? { location } : {}),
          message:
            `namespace ${namespace} has ${pods.length} pod${pods.length === 1 ? '' : 's'} and no default-deny ${direction} NetworkPolicy: ` +
            `a pod no policy selects ${way} anywhere, and so does every new workload until its policy is written`,
          fix:
            `add a NetworkPolicy to namespace ${namespace} with podSelector {} and policyTypes [${TYPE[direction]}] and no ${direction} rules, ` +
            'then allow what each workload needs',
        });
      }
    }
    return out;
  },
};
