/**
 * Words for people where the evaluator's probes stand for more than themselves: the port that stands
 * for "every port no policy names" and the address that stands for "every address no ipBlock names",
 * rule port lists as written, and near misses. The CLI and the UI both print through these, so the two
 * never disagree on what "1/TCP" or "0.0.0.1" meant.
 */
import { parseCIDR, parseIP, type ParsedIP } from '../net/address.ts';
import type { PolicyPort, Snapshot } from '../model/snapshot.ts';
import { adminIPBlocks } from './admin.ts';
import type { Analyzer, NearMiss, Peer, PortProbe } from './types.ts';

/** What tells a named probe from a stand-in: the ports the policies mention, the CIDRs they name. */
export interface WordingContext {
  readonly mentioned: readonly PortProbe[];
  /** Every ipBlock CIDR and `except`, and admin `networks` CIDRs, of the snapshot(s). */
  readonly cidrs: readonly string[];
  /** The probes compared (the universe's ports): several unnamed ones of a protocol are told apart. */
  readonly ports: readonly PortProbe[];
}

/** Every CIDR the snapshot's policies name: ipBlocks with their `except`s, admin `networks`. */
export function snapshotCidrs(snapshot: Snapshot): string[] {
  const cidrs = new Set<string>();
  for (const policy of snapshot.policies)
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers === 'any') continue;
      for (const peer of rule.peers)
        if (peer.kind === 'ipBlock') [peer.ipBlock.cidr, ...peer.ipBlock.except].forEach((c) => cidrs.add(c));
    }
  for (const policy of snapshot.clusterPolicies) for (const b of adminIPBlocks(policy)) cidrs.add(b.cidr);
  return [...cidrs];
}

/** The context of one or more states (a diff merges both, so a port named in either reads as named). */
export function wordingContext(
  states: readonly { readonly analyzer: Analyzer; readonly snapshot: Snapshot }[],
): WordingContext {
  const mentioned = new Map<string, PortProbe>();
  const ports = new Map<string, PortProbe>();
  const cidrs = new Set<string>();
  for (const { analyzer, snapshot } of states) {
    for (const p of analyzer.mentionedPorts()) mentioned.set(`${p.protocol}/${p.port}`, p);
    for (const p of analyzer.universe().ports) ports.set(`${p.protocol}/${p.port}`, p);
    for (const c of snapshotCidrs(snapshot)) cidrs.add(c);
  }
  return { mentioned: [...mentioned.values()], cidrs: [...cidrs], ports: [...ports.values()] };
}

/** How a named probe is written: the CLI says `443/TCP`, the UI `TCP 443`. */
export type ProbeStyle = 'cli' | 'ui';

function numbered(probe: PortProbe, style: ProbeStyle): string {
  return style === 'cli' ? `${probe.port}/${probe.protocol}` : `${probe.protocol} ${probe.port}`;
}

/** Whether a universe probe is a port a policy names (else it stands for the ports no policy names). */
export function isMentioned(probe: PortProbe, mentioned: readonly PortProbe[]): boolean {
  return mentioned.some((m) => m.port === probe.port && m.protocol === probe.protocol);
}

/**
 * A universe port for people: a named one as a number; a stand-in as "any other port" when it is the
 * universe's only one, else "any other TCP port", or, when several classes of unnamed ports remain
 * for that protocol (say inside and outside a range whose ends are named), "other TCP ports like
 * 8001" so the classes stay apart. Without `universe` a stand-in reads "any other TCP port".
 */
export function probeText(
  probe: PortProbe,
  mentioned: readonly PortProbe[],
  style: ProbeStyle,
  universe?: readonly PortProbe[],
): string {
  if (isMentioned(probe, mentioned)) return numbered(probe, style);
  const standIns = (universe ?? []).filter((p) => !isMentioned(p, mentioned));
  const other = (named: boolean): string => (named ? 'other ' : '');
  // The only stand-in of the universe: every unnamed port of every protocol is in its class (a
  // protocol the rules told apart would have a stand-in of its own).
  if (standIns.length === 1) return `any ${other(mentioned.length > 0)}port`;
  const siblings = standIns.filter((p) => p.protocol === probe.protocol).length;
  if (siblings > 1) return `other ${probe.protocol} ports like ${probe.port}`;
  // No port of the protocol is named at all: the probe stands for every one of them.
  return `any ${other(mentioned.some((m) => m.protocol === probe.protocol))}${probe.protocol} port`;
}

/** Whether a CIDR names `ip`; a /0 ("anywhere") names no address in particular. */
function contains(cidr: string, ip: ParsedIP): boolean {
  const net = parseCIDR(cidr);
  if (typeof net === 'string' || net.ip.family !== ip.family || net.prefix === 0) return false;
  for (let bit = 0; bit < net.prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((net.ip.bytes[byte] ?? 0) & mask) !== ((ip.bytes[byte] ?? 0) & mask)) return false;
  }
  return true;
}

/** An external address no ipBlock names stands for every such address. */
export function addressText(ip: string, cidrs: readonly string[]): string {
  const parsed = parseIP(ip);
  if (typeof parsed === 'string' || cidrs.some((c) => contains(c, parsed))) return ip;
  // With no ipBlock of the family at all, the probe stands for every address of it.
  const named = cidrs.some((c) => {
    const net = parseCIDR(c);
    return typeof net !== 'string' && net.ip.family === parsed.family;
  });
  return `any ${named ? 'other ' : ''}${parsed.family === 4 ? 'address' : 'IPv6 address'}`;
}

export function peerText(peer: Peer, cidrs: readonly string[]): string {
  return peer.kind === 'pod' ? `${peer.namespace}/${peer.name}` : addressText(peer.ip, cidrs);
}

/**
 * `shop/web -> billing/api 443/TCP` (CLI style); with a stand-in port `... on any other TCP port`, so
 * the words do not run into the address before them.
 */
export function connectionText(
  c: {
    readonly from: Peer;
    readonly to: Peer;
    readonly protocol: PortProbe['protocol'];
    readonly port: number;
  },
  ctx: WordingContext,
): string {
  const probe = { protocol: c.protocol, port: c.port };
  const port = probeText(probe, ctx.mentioned, 'cli', ctx.ports);
  const ends = `${peerText(c.from, ctx.cidrs)} -> ${peerText(c.to, ctx.cidrs)}`;
  return isMentioned(probe, ctx.mentioned) ? `${ends} ${port}` : `${ends} on ${port}`;
}

function policyPortText(p: PolicyPort): string {
  if (p.port === undefined) return `any ${p.protocol} port`;
  if (p.endPort !== undefined && typeof p.port === 'number' && p.endPort > p.port)
    return `${p.protocol} ${p.port}-${p.endPort}`;
  return `${p.protocol} ${p.port}`;
}

/** A rule's `ports:` as written: "TCP 8443", "TCP 8000-8080, UDP dns", "any port". */
export function policyPortsText(ports: 'any' | readonly PolicyPort[]): string {
  return ports === 'any' ? 'any port' : ports.map(policyPortText).join(', ');
}

/**
 * One near miss, naming the other end: "shop/payments-allow-checkout ingress[0] matches shop/checkout
 * but allows only TCP 8443".
 */
export function nearMissText(m: NearMiss, other: Peer, cidrs: readonly string[] = []): string {
  const rule = `${m.policy} ${m.direction}[${m.rule}]`;
  const entry = m.peer === 'any' ? '' : ` ${m.direction === 'ingress' ? 'from' : 'to'}[${m.peer}]`;
  const who = peerText(other, cidrs);
  switch (m.missed) {
    case 'port':
      return `${rule}${entry} matches ${who} but allows only ${policyPortsText(m.ports)}${
        m.resolved && m.resolved.length > 0
          ? ` (${m.resolved.map((p) => `${p.protocol} ${p.port}`).join(', ')} on the destination)`
          : ''
      }`;
    case 'pod':
      return `${rule}${entry} matches the namespace of ${who} but its podSelector does not match that pod`;
    case 'namespace':
      return m.ownNamespace !== undefined
        ? `${rule}${entry} podSelector matches ${who}'s labels but selects only in namespace ${m.ownNamespace} (add a namespaceSelector)`
        : `${rule}${entry} podSelector matches ${who} but its namespaceSelector does not match ${other.kind === 'pod' ? `namespace ${other.namespace}` : 'its namespace'}`;
  }
}
