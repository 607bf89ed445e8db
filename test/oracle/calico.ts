/**
 * Calico's tiered policy, naively: one connection at a time, every tier and policy scanned in order,
 * written from Calico's documentation (Tier reference "How policy is evaluated", the NetworkPolicy /
 * GlobalNetworkPolicy references, "Get started with policy tiers") and sharing no code with
 * shared/eval. Selectors come as trees built by the property test (`Sel`), each rendered to the text
 * the snapshot carries; `selectors` maps that text back to its tree.
 *
 * Readings (the same as shared/eval/calico.ts states):
 * - tiers by order (none: last), then name; `default` is at 1,000,000; a tier is read for a side only
 *   when one of its policies selects the pod and lists the direction in `types`;
 * - policies by order (none: last), then name; Kubernetes NetworkPolicies stand at order 1000 under
 *   the name `knp.default.`: they allow what any of their rules allows, else evaluation goes on;
 * - the first matching rule decides: Allow, Deny, Pass (next tier); Log goes on;
 * - a tier read to its end applies its default action (Deny unless Pass); past the last tier, allow;
 * - pods on the host network are not Calico endpoints: never selected, never subjects; addresses
 *   (nets, network sets) match them by IP;
 * - a GlobalNetworkSet is in a rule's scope in a GlobalNetworkPolicy without namespaceSelector, or
 *   when the namespaceSelector is true for it with global() true and names global().
 */
import type {
  CalicoEntityRule,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoRule,
  Labels,
  Pod,
  Protocol,
  Snapshot,
} from '../../shared/model/snapshot.ts';
import { inCidr, namespaceLabels, type OraclePeer } from './basics.ts';
import { tierPaths } from './admin.ts';
import { isolating, ruleMatches as npRuleMatches } from './naive.ts';

export type Sel =
  | { readonly op: 'all' }
  | { readonly op: 'global' }
  | { readonly op: 'has'; readonly key: string }
  | { readonly op: 'eq' | 'ne' | 'contains' | 'starts'; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'not'; readonly a: Sel }
  | { readonly op: 'and' | 'or'; readonly a: Sel; readonly b: Sel };

export function renderSel(s: Sel): string {
  switch (s.op) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${s.key})`;
    case 'eq':
      return `${s.key} == '${s.value}'`;
    case 'ne':
      return `${s.key} != "${s.value}"`;
    case 'contains':
      return `${s.key} contains '${s.value}'`;
    case 'starts':
      return `${s.key} starts with '${s.value}'`;
    case 'in':
      return `${s.key} in {${s.values.map((v) => `'${v}'`).join(', ')}}`;
    case 'notin':
      return `${s.key} not in {${s.values.map((v) => `'${v}'`).join(',')}}`;
    case 'not':
      return `!(${renderSel(s.a)})`;
    case 'and':
      return `(${renderSel(s.a)}) && (${renderSel(s.b)})`;
    case 'or':
      return `(${renderSel(s.a)}) || (${renderSel(s.b)})`;
  }
}

export function evalSel(s: Sel, labels: Labels, global = false): boolean {
  const v = Object.prototype.hasOwnProperty.call(labels, 'key' in s ? s.key : '')
    ? labels['key' in s ? s.key : '']
    : undefined;
  switch (s.op) {
    case 'all':
      return true;
    case 'global':
      return global;
    case 'has':
      return v !== undefined;
    case 'eq':
      return v === s.value;
    case 'ne':
      return v !== s.value;
    case 'contains':
      return v !== undefined && v.includes(s.value);
    case 'starts':
      return v !== undefined && v.startsWith(s.value);
    case 'in':
      return v !== undefined && s.values.includes(v);
    case 'notin':
      return v === undefined || !s.values.includes(v);
    case 'not':
      return !evalSel(s.a, labels, global);
    case 'and':
      return evalSel(s.a, labels, global) && evalSel(s.b, labels, global);
    case 'or':
      return evalSel(s.a, labels, global) || evalSel(s.b, labels, global);
  }
}

function mentionsGlobal(s: Sel): boolean {
  if (s.op === 'global') return true;
  if (s.op === 'not') return mentionsGlobal(s.a);
  if (s.op === 'and' || s.op === 'or') return mentionsGlobal(s.a) || mentionsGlobal(s.b);
  return false;
}

export type Selectors = ReadonlyMap<string, Sel>;

function sel(selectors: Selectors, text: string | undefined): Sel | undefined {
  if (text === undefined) return undefined;
  if (text === '') return { op: 'all' };
  const s = selectors.get(text);
  if (!s) throw new Error(`oracle: no tree for selector ${text}`);
  return s;
}

function podLabels(snapshot: Snapshot, pod: Pod): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(namespaceLabels(snapshot, pod.namespace))) out[`pcns.${k}`] = v;
  out['pcns.projectcalico.org/name'] = pod.namespace;
  return {
    ...out,
    ...pod.labels,
    'projectcalico.org/namespace': pod.namespace,
    'projectcalico.org/orchestrator': 'k8s',
  };
}

function ipsOf(end: OraclePeer): readonly string[] {
  return end.kind === 'external' ? [end.ip] : end.pod.ips;
}

function nsLabels(snapshot: Snapshot, ns: string): Labels {
  return { ...namespaceLabels(snapshot, ns), 'projectcalico.org/name': ns };
}

/** Is an object of namespace `ns` (undefined: cluster-scoped) in the scope of a rule's selectors? */
function inScope(
  snapshot: Snapshot,
  policy: CalicoPolicy,
  nsSel: Sel | undefined,
  ns: string | undefined,
): boolean {
  if (nsSel)
    return ns === undefined
      ? mentionsGlobal(nsSel) && evalSel(nsSel, {}, true)
      : evalSel(nsSel, nsLabels(snapshot, ns));
  return policy.namespace === undefined || ns === policy.namespace;
}

/** Does an endpoint match a selector within a scope: as a pod, or by address as a network set member? */
function selectorHolds(
  snapshot: Snapshot,
  policy: CalicoPolicy,
  s: Sel,
  nsSel: Sel | undefined,
  end: OraclePeer,
): boolean {
  if (end.kind === 'pod' && !end.pod.hostNetwork && inScope(snapshot, policy, nsSel, end.pod.namespace))
    if (evalSel(s, podLabels(snapshot, end.pod))) return true;
  const sets: readonly CalicoNetworkSet[] = snapshot.calicoNetworkSets ?? [];
  return sets.some(
    (set) =>
      inScope(snapshot, policy, nsSel, set.namespace) &&
      evalSel(s, set.labels, set.namespace === undefined) &&
      ipsOf(end).some((ip) => set.nets.some((n) => inCidr(ip, n))),
  );
}

function entityHolds(
  snapshot: Snapshot,
  selectors: Selectors,
  policy: CalicoPolicy,
  e: CalicoEntityRule,
  end: OraclePeer,
): boolean {
  const nsSel = sel(selectors, e.namespaceSelector);
  if (e.selector !== undefined || nsSel !== undefined) {
    const s = sel(selectors, e.selector) ?? { op: 'all' };
    if (!selectorHolds(snapshot, policy, s, nsSel, end)) return false;
  }
  const ips = ipsOf(end);
  if (e.nets.length > 0 && !ips.some((ip) => e.nets.some((n) => inCidr(ip, n)))) return false;
  if (e.notNets.length > 0 && ips.some((ip) => e.notNets.some((n) => inCidr(ip, n)))) return false;
  const notSel = sel(selectors, e.notSelector);
  if (notSel && selectorHolds(snapshot, policy, notSel, nsSel, end)) return false;
  return true;
}

function portHolds(e: CalicoEntityRule, protocol: Protocol, port: number, dst: OraclePeer): boolean {
  const hit = (p: CalicoEntityRule['ports'][number]): boolean =>
    p.kind === 'range'
      ? p.from <= port && port <= p.to
      : dst.kind === 'pod' &&
        dst.pod.ports.some((c) => c.name === p.name && c.protocol === protocol && c.containerPort === port);
  if (e.ports.length > 0 && !e.ports.some(hit)) return false;
  return !e.notPorts.some(hit);
}

function ruleHolds(
  snapshot: Snapshot,
  selectors: Selectors,
  policy: CalicoPolicy,
  rule: CalicoRule,
  direction: 'Ingress' | 'Egress',
  subject: OraclePeer,
  other: OraclePeer,
  protocol: Protocol,
  port: number,
): boolean {
  if (rule.protocol !== undefined && rule.protocol !== protocol) return false;
  if (rule.notProtocol !== undefined && rule.notProtocol === protocol) return false;
  const src = direction === 'Ingress' ? other : subject;
  const dst = direction === 'Ingress' ? subject : other;
  return (
    entityHolds(snapshot, selectors, policy, rule.source, src) &&
    entityHolds(snapshot, selectors, policy, rule.destination, dst) &&
    portHolds(rule.destination, protocol, port, dst)
  );
}

function selectsPod(snapshot: Snapshot, selectors: Selectors, policy: CalicoPolicy, pod: Pod): boolean {
  if (pod.hostNetwork) return false;
  if (policy.namespace !== undefined && policy.namespace !== pod.namespace) return false;
  const nsSel = sel(selectors, policy.namespaceSelector);
  if (nsSel && !evalSel(nsSel, nsLabels(snapshot, pod.namespace))) return false;
  return evalSel(sel(selectors, policy.selector) ?? { op: 'all' }, podLabels(snapshot, pod));
}

const BUILTIN: Readonly<Record<string, number>> = {
  'kube-admin': 1000,
  default: 1_000_000,
  'kube-baseline': 10_000_000,
};

function byOrder(a: { order?: number; name: string }, b: { order?: number; name: string }): number {
  const oa = a.order ?? Infinity;
  const ob = b.order ?? Infinity;
  if (oa !== ob) return oa < ob ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Whether some enforced Calico policy selects the pod for a direction. */
export function calicoApplies(
  snapshot: Snapshot,
  selectors: Selectors,
  pod: Pod,
  direction: 'Ingress' | 'Egress',
): boolean {
  return (snapshot.calicoPolicies ?? []).some(
    (p) => !p.staged && p.types.includes(direction) && selectsPod(snapshot, selectors, p, pod),
  );
}

/**
 * One side (egress at the source, ingress at the destination) as Calico decides it: every outcome it
 * may have (allowed = true). Several only when an admin tier's outcome is open (admin.ts `tierPaths`:
 * ties, `nodes` / `domainNames` peers): the side is then unknown unless they agree.
 */
export function calicoSideOutcomes(
  snapshot: Snapshot,
  selectors: Selectors,
  direction: 'Ingress' | 'Egress',
  subject: OraclePeer,
  other: OraclePeer,
  protocol: Protocol,
  port: number,
): ReadonlySet<boolean> {
  if (subject.kind === 'external' || subject.pod.hostNetwork) return new Set([true]);
  const pod = subject.pod;
  const policies = (snapshot.calicoPolicies ?? []).filter((p) => !p.staged);
  const declared = new Map((snapshot.calicoTiers ?? []).map((t) => [t.name, t]));
  const names = new Set([
    'default',
    'kube-admin',
    'kube-baseline',
    ...declared.keys(),
    ...policies.map((p) => p.tier),
  ]);
  const tiers = [...names]
    .map((name) => ({
      name,
      order: declared.has(name) ? declared.get(name)?.order : BUILTIN[name],
      // kube-admin and kube-baseline pass what they do not decide (fixed by Calico).
      pass: name === 'kube-admin' || name === 'kube-baseline' || declared.get(name)?.defaultAction === 'Pass',
    }))
    .sort(byOrder);
  const d = direction === 'Ingress' ? 'ingress' : 'egress';
  const dst = direction === 'Ingress' ? subject : other;

  /** Outcomes of tier i and everything after it. */
  const from = (i: number): Set<boolean> => {
    const tier = tiers[i];
    if (!tier) return new Set([true]);
    type Entry = { order?: number; name: string; policy?: CalicoPolicy };
    const entries: Entry[] = policies
      .filter(
        (p) => p.tier === tier.name && p.types.includes(direction) && selectsPod(snapshot, selectors, p, pod),
      )
      .map((p) => ({ ...(p.order !== undefined ? { order: p.order } : {}), name: p.name, policy: p }));
    const nps = tier.name === 'default' ? isolating(snapshot, pod, direction) : [];
    if (nps.length > 0) entries.push({ order: 1000, name: 'knp.default.' });
    entries.sort(byOrder);
    // The tier's Calico policies (and Kubernetes NetworkPolicies): 'allow' | 'deny' | 'pass' | 'none'.
    let result: 'allow' | 'deny' | 'pass' | 'none' = 'none';
    walk: for (const e of entries) {
      if (!e.policy) {
        const allows = nps.some((np) =>
          np[d].some((r) => npRuleMatches(snapshot, np, r, other, protocol, port, dst) === true),
        );
        if (allows) {
          result = 'allow';
          break;
        }
        continue;
      }
      for (const rule of e.policy[d]) {
        if (rule.action === 'Log') continue;
        if (!ruleHolds(snapshot, selectors, e.policy, rule, direction, subject, other, protocol, port))
          continue;
        result = rule.action === 'Allow' ? 'allow' : rule.action === 'Deny' ? 'deny' : 'pass';
        break walk;
      }
    }
    if (result === 'allow') return new Set([true]);
    if (result === 'deny') return new Set([false]);
    if (result === 'none' && entries.length > 0 && !tier.pass) return new Set([false]);
    // The admin tiers' ClusterNetworkPolicies, read after the Calico policies of their tier.
    const admin = result === 'none' && (tier.name === 'kube-admin' || tier.name === 'kube-baseline');
    if (!admin) return from(i + 1);
    const paths = tierPaths(
      snapshot,
      tier.name === 'kube-admin' ? 'Admin' : 'Baseline',
      direction,
      pod,
      other,
      dst,
      protocol,
      port,
    );
    const out = new Set<boolean>();
    for (const path of paths) {
      if (path.outcome === 'Accept') out.add(true);
      else if (path.outcome === 'Deny') out.add(false);
      else for (const o of from(i + 1)) out.add(o);
    }
    return out;
  };
  return from(0);
}
