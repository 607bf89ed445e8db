/**
 * The test oracle: a literal transcription of the Kubernetes network policy semantics, one connection
 * at a time, scanning every policy. Deliberately shares no code with shared/eval (not even IP parsing)
 * so that a bug in one is not silently the other's.
 *
 * Per side (egress at the source, ingress at the destination; DESIGN.md "Tiers"):
 * 1. the Admin tier (oracle/admin.ts): the first matching rule decides; Accept allows, Deny denies,
 *    Pass skips the rest of the tier;
 * 2. the NetworkPolicy tier: Cilium deny rules deny, Cilium allow rules allow (oracle/cilium.ts); then
 *    if a NetworkPolicy or a Cilium rule with default deny isolates the pod in this direction, the union
 *    of the NetworkPolicy allows decides;
 * 3. the Baseline tier: Accept allows, Deny denies, Pass (or no match) falls through;
 * 4. otherwise allowed. External addresses and host-networked pods are never subjects.
 *
 * Partial visibility (`snapshot.visibility`), written straight from the rules rather than from the
 * engine's bitsets: every match is three-valued (true, false, 'unknown').
 * - Namespaces unreadable: a namespace is known only by name; a namespaceSelector requirement on
 *   `kubernetes.io/metadata.name` is decided from the name, any other requirement is 'unknown'.
 * - Policies unreadable in the subject's namespace: a side is allowed if a visible rule surely matches,
 *   otherwise 'unknown' (hidden policies might isolate and deny, or allow, or not exist).
 * - Admin policies unreadable: an unread policy may decide any side of a pod.
 * - The verdict: allowed iff both sides surely allow; denied if a side surely denies; else unknown.
 *
 * Uncertainty (unread objects, `nodes`/`domainNames` peers, equal admin priorities) is handled by
 * listing every way a side may come out ("worlds"): a side is allowed or denied when every world
 * agrees, else 'unknown'.
 */
import type {
  ContainerPort,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
  Snapshot,
} from '../../shared/model/snapshot.ts';
import { tierPaths, type AdminDecision, type Direction, type TierPath } from './admin.ts';
import { ciliumIsolates, ciliumOutcomes } from './cilium.ts';
import {
  all,
  any,
  inBlock,
  labelsMatch,
  namespaceMatches,
  policiesUnreadable,
  possible,
  triOf,
  type OraclePeer,
  type Tri,
} from './basics.ts';

export {
  inBlock,
  labelsMatch,
  namespaceLabels,
  namespaceMatches,
  policiesUnreadable,
  type OraclePeer,
  type Tri,
} from './basics.ts';

/**
 * What the snapshot's CNI profile says where the spec leaves room, restated here from the CNIs'
 * documentation (not read from shared/eval): does an ipBlock hold a pod's address (`pod`) or a
 * host-network pod's node address (`host`), does a selector hold a host-network pod (`selector`).
 */
function cniAnswer(snapshot: Snapshot, what: 'pod' | 'host' | 'selector'): Tri {
  const cni = snapshot.cni ?? { cni: 'upstream' };
  const modes = cni.ciliumCidrMatch ?? [];
  switch (cni.cni) {
    case 'upstream':
      return true;
    case 'generic':
      return 'unknown';
    case 'calico':
      return what !== 'selector';
    case 'cilium':
      return what === 'pod' ? modes.includes('pods') : what === 'host' ? modes.includes('nodes') : false;
    case 'antrea':
    case 'ovn-kubernetes':
      return what === 'pod' ? true : what === 'host' ? 'unknown' : false;
  }
}

function peerMatches(snapshot: Snapshot, policy: NetworkPolicy, peer: PolicyPeer, other: OraclePeer): Tri {
  if (peer.kind === 'ipBlock') {
    if (other.kind === 'external') return inBlock(other.ip, peer.ipBlock);
    if (!other.pod.ips.some((ip) => inBlock(ip, peer.ipBlock))) return false;
    return cniAnswer(snapshot, other.pod.hostNetwork ? 'host' : 'pod');
  }
  if (other.kind === 'external') return false;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const nsOk = peer.namespaceSelector
    ? namespaceMatches(snapshot, peer.namespaceSelector, other.pod.namespace)
    : other.pod.namespace === policy.namespace;
  const podOk = peer.podSelector ? labelsMatch(peer.podSelector, other.pod.labels) : true;
  return all([nsOk, podOk, other.pod.hostNetwork ? cniAnswer(snapshot, 'selector') : true]);
}

function portMatches(entry: PolicyPort, protocol: Protocol, port: number, dst: OraclePeer): boolean {
  if (entry.protocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') {
    return entry.endPort === undefined ? port === entry.port : entry.port <= port && port <= entry.endPort;
  }
  if (dst.kind !== 'pod') return false;
  return dst.pod.ports.some(
    (p: ContainerPort) => p.name === entry.port && p.protocol === protocol && p.containerPort === port,
  );
}

export function ruleMatches(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  rule: PolicyRule,
  other: OraclePeer,
  protocol: Protocol,
  port: number,
  dst: OraclePeer,
): Tri {
  const peerOk =
    rule.peers === 'any' ? true : any(rule.peers.map((p) => peerMatches(snapshot, policy, p, other)));
  const portOk = rule.ports === 'any' || rule.ports.some((p) => portMatches(p, protocol, port, dst));
  return all([peerOk, portOk]);
}

export function selects(policy: NetworkPolicy, pod: Pod): boolean {
  return policy.namespace === pod.namespace && labelsMatch(policy.podSelector, pod.labels);
}

/** Visible policies that isolate `pod` in a direction (hostNetwork pods are never isolated). */
export function isolating(snapshot: Snapshot, pod: Pod, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
  if (pod.hostNetwork) return [];
  return snapshot.policies.filter((p) => selects(p, pod) && p.policyTypes.includes(direction));
}

/** Is `pod` isolated in a direction? 'unknown' when no visible policy isolates it but some could not be read. */
export function isolated(snapshot: Snapshot, pod: Pod, direction: 'Ingress' | 'Egress'): Tri {
  if (pod.hostNetwork) return false;
  // A NetworkPolicy, or a Cilium rule with default deny, selects it.
  if (isolating(snapshot, pod, direction).length > 0 || ciliumIsolates(snapshot, pod, direction)) return true;
  return policiesUnreadable(snapshot, pod.namespace) ? 'unknown' : false;
}

/** The tier that decided a side (shared/eval `DecidingTier`). */
export type OracleTier = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';

/** One way a side may come out: whether it allows, which tier decided, and the admin rules that matched. */
export interface SideWorld {
  readonly allows: boolean;
  readonly decidedBy: OracleTier;
  /** The first matching Admin-tier rule (Accept, Deny or Pass), if one matched (and was read). */
  readonly admin?: AdminDecision;
  /** The first matching Baseline-tier rule, when the Baseline tier was read and a rule matched. */
  readonly baseline?: AdminDecision;
}

/** The NetworkPolicy tier for a pod it may isolate: every (isolated, allows) it may come to. */
function networkPolicyWorlds(
  snapshot: Snapshot,
  direction: Direction,
  subject: Pod,
  other: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): { readonly isolated: boolean; readonly allows: boolean }[] {
  const policies = isolating(snapshot, subject, direction);
  const hidden = policiesUnreadable(snapshot, subject.namespace);
  const visible = any(
    policies.flatMap((p) =>
      (direction === 'Egress' ? p.egress : p.ingress).map((r) =>
        ruleMatches(snapshot, p, r, other, protocol, port, dst),
      ),
    ),
  );
  const out: { isolated: boolean; allows: boolean }[] = [];
  // Visible policies isolate: the union of allows decides (unread ones may add allows, never remove them).
  if (policies.length > 0) {
    const allows: Tri = visible === true ? true : hidden ? 'unknown' : visible;
    for (const a of possible(allows)) out.push({ isolated: true, allows: a });
    return out;
  }
  // Unread policies may not select the pod, or isolate it and allow this connection, or not.
  if (hidden) out.push({ isolated: true, allows: true }, { isolated: true, allows: false });
  // A Cilium rule with default deny isolates as a NetworkPolicy does (its allows were read before).
  out.push({ isolated: ciliumIsolates(snapshot, subject, direction), allows: false });
  return out;
}

/** The Baseline tier, then the default allow, as worlds. */
function baselineWorlds(paths: readonly TierPath[], admin: AdminDecision | undefined): SideWorld[] {
  return paths.map((b) => ({
    allows: b.outcome !== 'Deny',
    decidedBy: b.outcome === 'Fall' ? 'default' : 'Baseline',
    ...(admin ? { admin } : {}),
    ...(b.decision ? { baseline: b.decision } : {}),
  }));
}

/**
 * Every way one side may come out: egress at `src` or ingress at `dst`. `not-subject` for an external
 * address or a host-networked pod (no policy of any tier applies).
 */
export function sideWorlds(
  snapshot: Snapshot,
  direction: Direction,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): SideWorld[] | 'not-subject' {
  const subject = direction === 'Egress' ? src : dst;
  const other = direction === 'Egress' ? dst : src;
  if (subject.kind === 'external' || subject.pod.hostNetwork) return 'not-subject';
  const pod = subject.pod;
  const tier = (t: 'Admin' | 'Baseline') =>
    tierPaths(snapshot, t, direction, pod, other, dst, protocol, port);
  const out: SideWorld[] = [];
  for (const a of tier('Admin')) {
    const admin = a.decision;
    if (a.outcome !== 'Fall') {
      out.push({ allows: a.outcome === 'Accept', decidedBy: 'Admin', ...(admin ? { admin } : {}) });
      continue;
    }
    // The NetworkPolicy tier: Cilium's deny rules, then its allow rules, then isolation.
    for (const c of ciliumOutcomes(snapshot, direction, pod, other, dst, protocol, port)) {
      if (c !== 'Fall') {
        out.push({ allows: c === 'Accept', decidedBy: 'NetworkPolicy', ...(admin ? { admin } : {}) });
        continue;
      }
      for (const np of networkPolicyWorlds(snapshot, direction, pod, other, dst, protocol, port)) {
        if (np.isolated)
          out.push({ allows: np.allows, decidedBy: 'NetworkPolicy', ...(admin ? { admin } : {}) });
        else out.push(...baselineWorlds(tier('Baseline'), admin));
      }
    }
  }
  return out;
}

/** One side as a Tri: allowed or denied when every world agrees. */
function sideAllows(
  snapshot: Snapshot,
  direction: Direction,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): Tri {
  const worlds = sideWorlds(snapshot, direction, src, dst, protocol, port);
  if (worlds === 'not-subject') return true;
  return triOf(new Set(worlds.map((w) => w.allows)));
}

export function egressAllows(
  snapshot: Snapshot,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): Tri {
  return sideAllows(snapshot, 'Egress', src, dst, protocol, port);
}

export function ingressAllows(
  snapshot: Snapshot,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): Tri {
  return sideAllows(snapshot, 'Ingress', src, dst, protocol, port);
}

export interface OracleVerdict {
  readonly egress: Tri;
  readonly ingress: Tri;
  readonly verdict: 'allowed' | 'denied' | 'unknown';
  /** verdict === 'allowed' */
  readonly allowed: boolean;
}

export function oracleCheck(
  snapshot: Snapshot,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): OracleVerdict {
  const egress = egressAllows(snapshot, src, dst, protocol, port);
  const ingress = ingressAllows(snapshot, src, dst, protocol, port);
  const verdict =
    egress === false || ingress === false
      ? 'denied'
      : egress === true && ingress === true
        ? 'allowed'
        : 'unknown';
  return { egress, ingress, verdict, allowed: verdict === 'allowed' };
}

/** Some rule of `policy` matches the connection (only directions in its policy types, never for hostNetwork subjects). */
export function permittedBy(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): Tri {
  const parts: Tri[] = [];
  if (
    dst.kind === 'pod' &&
    !dst.pod.hostNetwork &&
    policy.policyTypes.includes('Ingress') &&
    selects(policy, dst.pod)
  ) {
    for (const r of policy.ingress) parts.push(ruleMatches(snapshot, policy, r, src, protocol, port, dst));
  }
  if (
    src.kind === 'pod' &&
    !src.pod.hostNetwork &&
    policy.policyTypes.includes('Egress') &&
    selects(policy, src.pod)
  ) {
    for (const r of policy.egress) parts.push(ruleMatches(snapshot, policy, r, dst, protocol, port, dst));
  }
  return any(parts);
}

export type EffectClass = 'permittedFlowing' | 'permittedBlocked' | 'denied' | 'unknown' | 'unaffected';

/** How one side may come out: whether P's rules match it, and whether it allows with and without P. */
interface EffectWorld {
  readonly permitted: boolean;
  readonly with: boolean;
  readonly without: boolean;
}

/**
 * Every way one side (egress at `src` or ingress at `dst`) may come out, with and without the
 * NetworkPolicy P, over what could not be read: each unknown match may be true or false, and unread
 * policies of the subject's namespace may not touch it, isolate it and allow this connection, or isolate
 * it and not allow it. P has a say only where the NetworkPolicy tier is reached (no Admin-tier rule
 * decided first); without P, a pod no other policy isolates goes on to the Baseline tier.
 */
function effectWorlds(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  direction: Direction,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): EffectWorld[] {
  const subject = direction === 'Egress' ? src : dst;
  const other = direction === 'Egress' ? dst : src;
  if (
    subject.kind === 'external' ||
    subject.pod.hostNetwork ||
    !policy.policyTypes.includes(direction) ||
    !selects(policy, subject.pod)
  ) {
    // P has no say here: the side is the same with and without P.
    return possible(sideAllows(snapshot, direction, src, dst, protocol, port)).map((v) => ({
      permitted: false,
      with: v,
      without: v,
    }));
  }
  const pod = subject.pod;
  const match = (p: NetworkPolicy): Tri =>
    any(
      (direction === 'Egress' ? p.egress : p.ingress).map((r) =>
        ruleMatches(snapshot, p, r, other, protocol, port, dst),
      ),
    );
  const others = isolating(snapshot, pod, direction).filter((p) => p !== policy);
  const unread = policiesUnreadable(snapshot, pod.namespace)
    ? (['none', 'isolate-allow', 'isolate-deny'] as const)
    : (['none'] as const);
  const baseline = tierPaths(snapshot, 'Baseline', direction, pod, other, dst, protocol, port).map(
    (b) => b.outcome !== 'Deny',
  );
  const out: EffectWorld[] = [];
  for (const a of tierPaths(snapshot, 'Admin', direction, pod, other, dst, protocol, port)) {
    if (a.outcome !== 'Fall') {
      const v = a.outcome === 'Accept';
      out.push({ permitted: false, with: v, without: v });
      continue;
    }
    for (const byP of possible(match(policy)))
      for (const byOthers of possible(any(others.map(match))))
        for (const hidden of unread)
          for (const below of baseline) {
            const othersAllow = byOthers || hidden === 'isolate-allow';
            const othersIsolate = others.length > 0 || hidden !== 'none';
            out.push({
              permitted: byP,
              with: byP || othersAllow,
              without: othersIsolate ? othersAllow : below,
            });
          }
  }
  return out;
}

/**
 * The class of a connection for the NetworkPolicy P (DESIGN.md "What selecting a policy shows"):
 * permitted by P (flowing or blocked), denied by P (flows without P, not with it), or unaffected. With
 * partial visibility, the class it has in every way the two sides may come out, else 'unknown'.
 */
export function effectOf(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): EffectClass {
  const classes = new Set<EffectClass>();
  for (const e of effectWorlds(snapshot, policy, 'Egress', src, dst, protocol, port)) {
    for (const i of effectWorlds(snapshot, policy, 'Ingress', src, dst, protocol, port)) {
      const flows = e.with && i.with;
      const flowsWithout = e.without && i.without;
      if (e.permitted || i.permitted) classes.add(flows ? 'permittedFlowing' : 'permittedBlocked');
      else classes.add(flowsWithout && !flows ? 'denied' : 'unaffected');
    }
  }
  const [only] = classes;
  return classes.size === 1 && only ? only : 'unknown';
}
