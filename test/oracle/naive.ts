/**
 * The test oracle: a literal transcription of networking.k8s.io/v1 semantics, one connection at a time,
 * scanning every policy. Deliberately shares no code with shared/eval (not even IP parsing) so that a
 * bug in one is not silently the other's.
 *
 * Partial visibility (`snapshot.visibility`), written straight from the rules rather than from the
 * engine's bitsets: every match is three-valued (true, false, 'unknown').
 * - Namespaces unreadable: a namespace is known only by name; a namespaceSelector requirement on
 *   `kubernetes.io/metadata.name` is decided from the name, any other requirement is 'unknown'.
 * - Policies unreadable in the subject's namespace: a side is allowed if a visible rule surely matches,
 *   otherwise 'unknown' (hidden policies might isolate and deny, or allow, or not exist).
 * - The verdict: allowed iff both sides surely allow; denied if a side surely denies; else unknown.
 */
import type {
  ContainerPort,
  IPBlock,
  LabelSelector,
  Labels,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
  Snapshot,
} from '../../shared/model/snapshot.ts';

export type OraclePeer = { kind: 'pod'; pod: Pod } | { kind: 'external'; ip: string };

export function labelsMatch(sel: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (!(k in labels) || labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = k(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key] as string))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key] as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function k(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** [family, 128-bit value as bigint] */
function ipValue(ip: string): [4 | 6, bigint] | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const o = ip.split('.').map(Number);
    if (o.some((x) => x > 255)) return undefined;
    return [4, o.reduce((acc, x) => acc * 256n + BigInt(x), 0n)];
  }
  if (!ip.includes(':')) return undefined;
  let s = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v = ipValue(dotted[1] as string);
    if (!v) return undefined;
    const n = v[1];
    s = s.slice(0, -dotted[1]!.length) + ((n >> 16n).toString(16) + ':' + (n & 0xffffn).toString(16));
  }
  let groups: string[];
  if (s.includes('::')) {
    const [a, b] = s.split('::') as [string, string];
    const left = a === '' ? [] : a.split(':');
    const right = b === '' ? [] : b.split(':');
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  } else groups = s.split(':');
  if (groups.length !== 8) return undefined;
  return [6, groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n)];
}

function inCidr(ip: string, cidr: string): boolean {
  const [addr, bitsText] = cidr.split('/') as [string, string];
  const a = ipValue(ip);
  const c = ipValue(addr);
  if (!a || !c || a[0] !== c[0]) return false;
  const width = a[0] === 4 ? 32n : 128n;
  const shift = width - BigInt(Number(bitsText));
  return a[1] >> shift === c[1] >> shift;
}

export function inBlock(ip: string, block: IPBlock): boolean {
  return inCidr(ip, block.cidr) && !block.except.some((e) => inCidr(ip, e));
}

export function namespaceLabels(snapshot: Snapshot, name: string): Labels {
  return snapshot.namespaces.find((n) => n.name === name)?.labels ?? { 'kubernetes.io/metadata.name': name };
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Three-valued truth: a match that depends on unread objects is 'unknown'. */
export type Tri = boolean | 'unknown';

function all(xs: readonly Tri[]): Tri {
  if (xs.some((x) => x === false)) return false;
  if (xs.some((x) => x === 'unknown')) return 'unknown';
  return true;
}

function any(xs: readonly Tri[]): Tri {
  if (xs.some((x) => x === true)) return true;
  if (xs.some((x) => x === 'unknown')) return 'unknown';
  return false;
}

/** The NetworkPolicies of this namespace could not be listed. */
export function policiesUnreadable(snapshot: Snapshot, namespace: string): boolean {
  const hidden = snapshot.visibility?.policiesUnreadable;
  if (hidden === undefined) return false;
  return hidden === 'all' || hidden.includes(namespace);
}

/** Does the namespace called `name` match? Only its name is known when namespaces could not be listed. */
export function namespaceMatches(snapshot: Snapshot, sel: LabelSelector, name: string): Tri {
  if (!snapshot.visibility?.namespacesUnreadable) return labelsMatch(sel, namespaceLabels(snapshot, name));
  const known: Labels = { [NAME_LABEL]: name };
  const parts: Tri[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels))
    parts.push(key === NAME_LABEL ? known[key] === value : 'unknown');
  for (const e of sel.matchExpressions)
    parts.push(
      e.key === NAME_LABEL ? labelsMatch({ matchLabels: {}, matchExpressions: [e] }, known) : 'unknown',
    );
  return all(parts);
}

function peerMatches(snapshot: Snapshot, policy: NetworkPolicy, peer: PolicyPeer, other: OraclePeer): Tri {
  if (peer.kind === 'ipBlock') {
    if (other.kind === 'external') return inBlock(other.ip, peer.ipBlock);
    return other.pod.ips.some((ip) => inBlock(ip, peer.ipBlock));
  }
  if (other.kind === 'external') return false;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const nsOk = peer.namespaceSelector
    ? namespaceMatches(snapshot, peer.namespaceSelector, other.pod.namespace)
    : other.pod.namespace === policy.namespace;
  const podOk = peer.podSelector ? labelsMatch(peer.podSelector, other.pod.labels) : true;
  return all([nsOk, podOk]);
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
  if (isolating(snapshot, pod, direction).length > 0) return true;
  return policiesUnreadable(snapshot, pod.namespace) ? 'unknown' : false;
}

/** One side: egress at `src` or ingress at `dst`. */
function sideAllows(
  snapshot: Snapshot,
  direction: 'Ingress' | 'Egress',
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): Tri {
  const subject = direction === 'Egress' ? src : dst;
  const other = direction === 'Egress' ? dst : src;
  if (subject.kind === 'external' || subject.pod.hostNetwork) return true;
  const policies = isolating(snapshot, subject.pod, direction);
  const hidden = policiesUnreadable(snapshot, subject.pod.namespace);
  if (policies.length === 0 && !hidden) return true;
  const visible = any(
    policies.flatMap((p) =>
      (direction === 'Egress' ? p.egress : p.ingress).map((r) =>
        ruleMatches(snapshot, p, r, other, protocol, port, dst),
      ),
    ),
  );
  if (visible === true) return true;
  return hidden ? 'unknown' : visible;
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
interface SideWorld {
  readonly permitted: boolean;
  readonly with: boolean;
  readonly without: boolean;
}

function possible(t: Tri): boolean[] {
  return t === 'unknown' ? [true, false] : [t];
}

/**
 * Every way one side (egress at `src` or ingress at `dst`) may come out, with and without P, over what
 * could not be read: each unknown match may be true or false, and unread policies of the subject's
 * namespace may not touch it, isolate it and allow this connection, or isolate it and not allow it.
 */
function sideWorlds(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  direction: 'Ingress' | 'Egress',
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): SideWorld[] {
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
  const match = (p: NetworkPolicy): Tri =>
    any(
      (direction === 'Egress' ? p.egress : p.ingress).map((r) =>
        ruleMatches(snapshot, p, r, other, protocol, port, dst),
      ),
    );
  const others = isolating(snapshot, subject.pod, direction).filter((p) => p !== policy);
  const unread = policiesUnreadable(snapshot, subject.pod.namespace)
    ? (['none', 'isolate-allow', 'isolate-deny'] as const)
    : (['none'] as const);
  const out: SideWorld[] = [];
  for (const byP of possible(match(policy)))
    for (const byOthers of possible(any(others.map(match))))
      for (const hidden of unread) {
        const othersAllow = byOthers || hidden === 'isolate-allow';
        const othersIsolate = others.length > 0 || hidden !== 'none';
        out.push({ permitted: byP, with: byP || othersAllow, without: !othersIsolate || othersAllow });
      }
  return out;
}

/**
 * The class of a connection for policy P (DESIGN.md "What selecting a policy shows"): permitted by P
 * (flowing or blocked), denied by P (flows without P, not with it), or unaffected. With partial
 * visibility, the class it has in every way the two sides may come out, else 'unknown'.
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
  for (const e of sideWorlds(snapshot, policy, 'Egress', src, dst, protocol, port)) {
    for (const i of sideWorlds(snapshot, policy, 'Ingress', src, dst, protocol, port)) {
      const flows = e.with && i.with;
      const flowsWithout = e.without && i.without;
      if (e.permitted || i.permitted) classes.add(flows ? 'permittedFlowing' : 'permittedBlocked');
      else classes.add(flowsWithout && !flows ? 'denied' : 'unaffected');
    }
  }
  const [only] = classes;
  return classes.size === 1 && only ? only : 'unknown';
}
