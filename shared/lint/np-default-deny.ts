/**
 * Namespaces with pods and no default-deny NetworkPolicy, per direction. A default deny is a policy that
 * selects every pod of the namespace, present and future (`podSelector: {}`), has the direction among its
 * policy types, and has no rule that allows everything. Without one, a pod no other policy selects is
 * open in that direction, and so is every new workload until someone writes its policy.
 *
 * Admin-tier policies are not counted: a Baseline-tier deny is a cluster default, but one CNI may not
 * implement it, and the namespace's own policies are what its owners review.
 *
 * A Cilium policy counts as a default deny when it puts every pod of the namespace in default deny for
 * the direction (the evaluator's isolation answer, so its endpoint and namespace selectors are matched
 * by shared/eval alone) and will do so for new pods too: the rule doing it has an empty pod selector
 * and no rule allowing every peer on every port in that direction. A Calico policy counts the same way:
 * it isolates every pod of the namespace (it applies in a tier whose default action is Deny), its pod
 * selector is `all()` or empty (a GlobalNetworkPolicy may narrow by namespaceSelector), and no rule of
 * the direction allows or passes everything.
 */
import { createAnalyzer } from '../eval/index.ts';
import type { Analyzer } from '../eval/index.ts';
import {
  calicoPolicyKey,
  ciliumPolicyKey,
  type CalicoEntityRule,
  type CalicoPolicy,
  type CalicoRule,
  podKey,
  type CiliumPolicy,
  type CiliumRule,
  type LabelSelector,
  type NetworkPolicy,
  type PolicyType,
  type Snapshot,
  type SourceLocation,
} from '../model/snapshot.ts';
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

const TYPE: Readonly<Record<Direction, PolicyType>> = { ingress: 'Ingress', egress: 'Egress' };

function allowsEverything(rule: CiliumRule): boolean {
  if (rule.toPorts !== 'any') return false;
  return (
    rule.peers === 'all' ||
    (rule.peers !== 'none' && rule.peers.some((p) => p.kind === 'entity' && p.entity === 'all'))
  );
}

/** Cilium policies with a rule that would put every (also future) pod it reaches in default deny. */
function ciliumDefaultDenyKeys(policies: readonly CiliumPolicy[], direction: Direction): Set<string> {
  const keys = new Set<string>();
  for (const p of policies) {
    const denies = p.specs.some(
      (spec) =>
        spec.subject !== undefined &&
        selectsEverything(spec.subject.podSelector) &&
        spec.defaultDeny[direction] &&
        !spec[direction].some(allowsEverything),
    );
    if (denies) keys.add(ciliumPolicyKey(p));
  }
  return keys;
}

function calicoMatchesAll(rule: CalicoRule): boolean {
  const open = (e: CalicoEntityRule): boolean =>
    e.selector === undefined &&
    e.notSelector === undefined &&
    e.namespaceSelector === undefined &&
    e.nets.length === 0 &&
    e.notNets.length === 0 &&
    e.ports.length === 0 &&
    e.notPorts.length === 0 &&
    e.serviceAccounts === undefined &&
    e.services === undefined;
  return (
    rule.action !== 'Deny' &&
    rule.action !== 'Log' &&
    rule.protocol === undefined &&
    rule.notProtocol === undefined &&
    rule.http === undefined &&
    rule.other === undefined &&
    open(rule.source) &&
    open(rule.destination)
  );
}

/** Calico policies that would put every (also future) pod of the namespaces they reach in default deny. */
function calicoDefaultDenyKeys(policies: readonly CalicoPolicy[], direction: Direction): Set<string> {
  const keys = new Set<string>();
  for (const p of policies) {
    const everyPod =
      ['', 'all()'].includes(p.selector.replace(/\s+/g, '')) && p.serviceAccountSelector === undefined;
    const denies =
      !p.staged &&
      everyPod &&
      p.types.includes(TYPE[direction]) &&
      !(direction === 'ingress' ? p.ingress : p.egress).some(calicoMatchesAll);
    if (denies) keys.add(calicoPolicyKey(p));
  }
  return keys;
}

/**
 * Per direction, the namespaces whose every pod on the pod network one of `candidates` isolates,
 * by the evaluator's `isolation` (hostNetwork pods are never isolated, so they are left out as above).
 */
function isolatedNamespaces(
  snapshot: Snapshot,
  analyzer: Analyzer,
  candidates: ReadonlySet<string>,
  direction: Direction,
): Set<string> {
  const common = new Map<string, Set<string>>();
  for (const pod of snapshot.pods) {
    if (pod.hostNetwork) continue;
    const isolating = analyzer.isolation(podKey(pod))[direction].policies.filter((k) => candidates.has(k));
    const before = common.get(pod.namespace);
    common.set(
      pod.namespace,
      before === undefined ? new Set(isolating) : new Set(isolating.filter((k) => before.has(k))),
    );
  }
  return new Set([...common].filter(([, keys]) => keys.size > 0).map(([ns]) => ns));
}

export const noDefaultDeny: LintRule = {
  id: 'ns-no-default-deny',
  severity: 'warning',
  summary:
    'a namespace with pods and no default-deny NetworkPolicy (podSelector {} with the direction in policyTypes), Cilium policy default deny or Calico default-deny policy for ingress or egress',
  check(snapshot) {
    const index = indexFor(snapshot);
    const byNamespace = new Map<string, NetworkPolicy[]>();
    for (const p of snapshot.policies)
      byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
    const cilium = snapshot.ciliumPolicies ?? [];
    const calico = snapshot.calicoPolicies ?? [];
    const analyzer = cilium.length + calico.length > 0 ? createAnalyzer(snapshot) : undefined;
    const cniIsolated = Object.fromEntries(
      DIRECTIONS.map((d) => {
        const keys = new Set([...ciliumDefaultDenyKeys(cilium, d), ...calicoDefaultDenyKeys(calico, d)]);
        return [
          d,
          analyzer === undefined || keys.size === 0
            ? new Set<string>()
            : isolatedNamespaces(snapshot, analyzer, keys, d),
        ];
      }),
    ) as Record<Direction, Set<string>>;
    const out: LintFinding[] = [];
    for (const namespace of index.populatedNamespaces()) {
      const pods = index.podsIn(namespace).filter((p) => !p.hostNetwork);
      if (pods.length === 0 || index.policiesUnread(namespace)) continue;
      const policies = byNamespace.get(namespace) ?? [];
      const location: SourceLocation | undefined =
        index.namespaces.get(namespace)?.location ?? pods.find((p) => p.location)?.location;
      for (const direction of DIRECTIONS) {
        if (policies.some((p) => isDefaultDeny(p, direction))) continue;
        if (cniIsolated[direction].has(namespace)) continue;
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
