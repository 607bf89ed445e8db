/**
 * The test oracle: a literal transcription of networking.k8s.io/v1 semantics, one connection at a time,
 * scanning every policy. Deliberately shares no code with shared/eval (not even IP parsing) so that a
 * bug in one is not silently the other's.
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

function peerMatches(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  peer: PolicyPeer,
  other: OraclePeer,
): boolean {
  if (peer.kind === 'ipBlock') {
    if (other.kind === 'external') return inBlock(other.ip, peer.ipBlock);
    return other.pod.ips.some((ip) => inBlock(ip, peer.ipBlock));
  }
  if (other.kind === 'external') return false;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const nsOk = peer.namespaceSelector
    ? labelsMatch(peer.namespaceSelector, namespaceLabels(snapshot, other.pod.namespace))
    : other.pod.namespace === policy.namespace;
  const podOk = peer.podSelector ? labelsMatch(peer.podSelector, other.pod.labels) : true;
  return nsOk && podOk;
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
): boolean {
  const peerOk = rule.peers === 'any' || rule.peers.some((p) => peerMatches(snapshot, policy, p, other));
  const portOk = rule.ports === 'any' || rule.ports.some((p) => portMatches(p, protocol, port, dst));
  return peerOk && portOk;
}

export function selects(policy: NetworkPolicy, pod: Pod): boolean {
  return policy.namespace === pod.namespace && labelsMatch(policy.podSelector, pod.labels);
}

/** Policies that isolate `pod` in a direction (hostNetwork pods are never isolated). */
export function isolating(snapshot: Snapshot, pod: Pod, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
  if (pod.hostNetwork) return [];
  return snapshot.policies.filter((p) => selects(p, pod) && p.policyTypes.includes(direction));
}

export function egressAllows(
  snapshot: Snapshot,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): boolean {
  if (src.kind === 'external') return true;
  const policies = isolating(snapshot, src.pod, 'Egress');
  if (policies.length === 0) return true;
  return policies.some((p) => p.egress.some((r) => ruleMatches(snapshot, p, r, dst, protocol, port, dst)));
}

export function ingressAllows(
  snapshot: Snapshot,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): boolean {
  if (dst.kind === 'external') return true;
  const policies = isolating(snapshot, dst.pod, 'Ingress');
  if (policies.length === 0) return true;
  return policies.some((p) => p.ingress.some((r) => ruleMatches(snapshot, p, r, src, protocol, port, dst)));
}

export interface OracleVerdict {
  readonly egress: boolean;
  readonly ingress: boolean;
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
  return { egress, ingress, allowed: egress && ingress };
}

/** Some rule of `policy` matches the connection (only directions in its policy types, never for hostNetwork subjects). */
export function permittedBy(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): boolean {
  if (
    dst.kind === 'pod' &&
    !dst.pod.hostNetwork &&
    policy.policyTypes.includes('Ingress') &&
    selects(policy, dst.pod)
  ) {
    if (policy.ingress.some((r) => ruleMatches(snapshot, policy, r, src, protocol, port, dst))) return true;
  }
  if (
    src.kind === 'pod' &&
    !src.pod.hostNetwork &&
    policy.policyTypes.includes('Egress') &&
    selects(policy, src.pod)
  ) {
    if (policy.egress.some((r) => ruleMatches(snapshot, policy, r, dst, protocol, port, dst))) return true;
  }
  return false;
}

export type EffectClass = 'permittedFlowing' | 'permittedBlocked' | 'denied' | 'unaffected';

export function effectOf(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  src: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): EffectClass {
  const flows = oracleCheck(snapshot, src, dst, protocol, port).allowed;
  if (permittedBy(snapshot, policy, src, dst, protocol, port))
    return flows ? 'permittedFlowing' : 'permittedBlocked';
  const without: Snapshot = { ...snapshot, policies: snapshot.policies.filter((p) => p !== policy) };
  if (!flows && oracleCheck(without, src, dst, protocol, port).allowed) return 'denied';
  return 'unaffected';
}
