/**
 * A tightened version of an existing NetworkPolicy from the flows seen in a window: what it allowed
 * that nobody used goes, what it allowed that was used stays. Per rule, by the evaluator's record of
 * which rules admitted each seen flow (`FlowFinding.rules`):
 *
 * - a rule that admitted no seen flow is removed;
 * - a rule open to every peer (`from`/`to` absent) keeps only the peers seen through it: their
 *   workloads (as the generator names them) or their addresses;
 * - a rule open to every port keeps only the ports seen through it (named as the destination pods
 *   name them);
 * - what a rule names explicitly (peers, ports) is kept as written.
 *
 * So the result never allows more than the policy did, and every seen flow the policy admitted is
 * still admitted (property-tested). A seen peer that cannot be named (an unmapped end, a network
 * without addresses) keeps its rule's peers open rather than lose that traffic.
 */
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../model/snapshot.ts';
import { policyKey, type Snapshot } from '../model/snapshot.ts';
import { DESCRIPTION_ANNOTATION } from '../editor/draft.ts';
import type { Direction } from '../eval/types.ts';
import type { MappedEndpoint } from './map.ts';
import type { FlowFinding } from './compare.ts';
import { comparePorts, peerFor, portFor, workloadsOf, type Workload } from './generate.ts';

export type RuleTightening =
  | { readonly kind: 'removed'; readonly direction: Direction; readonly rule: number }
  | {
      readonly kind: 'narrowed';
      readonly direction: Direction;
      readonly rule: number;
      readonly peers: boolean;
      readonly ports: boolean;
      /** The rules it became (one per set of ports when both were open). */
      readonly into: number;
    }
  | { readonly kind: 'kept'; readonly direction: Direction; readonly rule: number };

export interface Tightened {
  readonly policy: NetworkPolicy;
  readonly rules: readonly RuleTightening[];
  /** Seen flows (aggregated) the policy admitted, and the connections they stand for. */
  readonly flows: number;
  readonly connections: number;
}

type Other = Workload | string;

/** The named ends of a mapped endpoint, or undefined when some part of it cannot be named. */
function membersOf(e: MappedEndpoint, workloads: ReadonlyMap<string, Workload>): Other[] | undefined {
  if (e.kind === 'external') return e.by === 'ip' && e.ips.length > 0 ? [...e.ips] : undefined;
  if (e.kind !== 'pods') return undefined;
  const out = new Set<Other>();
  for (const k of e.pods) {
    const w = workloads.get(k);
    if (w === undefined) return undefined;
    out.add(w);
  }
  return [...out];
}

interface Seen {
  /** Peer key → the peer and the ports seen with it; undefined once a peer cannot be named. */
  peers: Map<string, { peer: PolicyPeer; ports: Map<string, PolicyPort> }> | undefined;
  ports: Map<string, PolicyPort>;
  flows: number;
  connections: number;
}

export function tightenPolicy(
  snapshot: Snapshot,
  policy: NetworkPolicy,
  findings: readonly FlowFinding[],
): Tightened {
  const key = policyKey(policy);
  const used = findings.filter((f) => f.observed === 'allowed' && f.rules.some((r) => r.policy === key));
  const namespaces = new Set<string>();
  for (const f of used)
    for (const e of [f.flow.src.endpoint, f.flow.dst.endpoint])
      if (e.kind === 'pods') for (const k of e.pods) namespaces.add(k.slice(0, k.indexOf('/')));
  const workloads = workloadsOf(snapshot, namespaces);
  const seen = new Map<string, Seen>();
  let flows = 0;
  let connections = 0;
  for (const f of used) {
    flows++;
    connections += f.count;
    for (const r of f.rules) {
      if (r.policy !== key) continue;
      const k = `${r.direction}[${r.rule}]`;
      let s = seen.get(k);
      if (!s) seen.set(k, (s = { peers: new Map(), ports: new Map(), flows: 0, connections: 0 }));
      s.flows++;
      s.connections += f.count;
      const [own, other] =
        r.direction === 'ingress'
          ? [f.flow.dst.endpoint, f.flow.src.endpoint]
          : [f.flow.src.endpoint, f.flow.dst.endpoint];
      const dstEnd = r.direction === 'ingress' ? own : other;
      const dsts = membersOf(dstEnd, workloads)?.filter((d): d is Workload => typeof d !== 'string') ?? [];
      const ports = (dsts.length > 0 ? dsts : [undefined]).map((d) =>
        portFor(d, f.flow.protocol, f.flow.port),
      );
      for (const p of ports) s.ports.set(`${p.protocol}/${String(p.port)}`, p);
      const others = membersOf(other, workloads);
      if (others === undefined) {
        s.peers = undefined;
        continue;
      }
      for (const o of others) {
        if (s.peers === undefined) break;
        const [peerKey, peer] = peerFor(policy, o);
        let entry = s.peers.get(peerKey);
        if (!entry) s.peers.set(peerKey, (entry = { peer, ports: new Map() }));
        for (const p of ports) entry.ports.set(`${p.protocol}/${String(p.port)}`, p);
      }
    }
  }

  const changes: RuleTightening[] = [];
  const tighten = (direction: Direction, rules: readonly PolicyRule[]): PolicyRule[] => {
    const out: PolicyRule[] = [];
    rules.forEach((rule, index) => {
      const s = seen.get(`${direction}[${index}]`);
      if (s === undefined) {
        changes.push({ kind: 'removed', direction, rule: index });
        return;
      }
      const openPeers = rule.peers === 'any' && s.peers !== undefined;
      const openPorts = rule.ports === 'any';
      if (!openPeers && !openPorts) {
        changes.push({ kind: 'kept', direction, rule: index });
        out.push(rule);
        return;
      }
      const sorted = (m: ReadonlyMap<string, PolicyPort>) => [...m.values()].sort(comparePorts);
      let into: PolicyRule[];
      if (openPeers && s.peers !== undefined) {
        // Peers seen on the same ports share a rule; with the ports kept, one rule for every peer.
        const byPorts = new Map<string, { peers: PolicyPeer[]; ports: 'any' | readonly PolicyPort[] }>();
        for (const k of [...s.peers.keys()].sort()) {
          const entry = s.peers.get(k);
          if (!entry) continue;
          const ports = openPorts ? sorted(entry.ports) : rule.ports;
          const pk = JSON.stringify(ports);
          const group = byPorts.get(pk) ?? { peers: [], ports };
          group.peers.push(entry.peer);
          byPorts.set(pk, group);
        }
        into = [...byPorts.values()].map((g) => ({ peers: g.peers, ports: g.ports }));
      } else {
        into = [{ peers: rule.peers, ports: sorted(s.ports) }];
      }
      changes.push({
        kind: 'narrowed',
        direction,
        rule: index,
        peers: openPeers,
        ports: openPorts,
        into: into.length,
      });
      out.push(...into);
    });
    return out;
  };
  const ingress = tighten('ingress', policy.ingress);
  const egress = tighten('egress', policy.egress);
  const removed = changes.filter((c) => c.kind === 'removed').length;
  const narrowed = changes.filter((c) => c.kind === 'narrowed').length;
  const note =
    `Tightened by netglass from ${flows} seen flow${flows === 1 ? '' : 's'}: ` +
    `${removed} unused rule${removed === 1 ? '' : 's'} removed, ${narrowed} open rule${narrowed === 1 ? '' : 's'} narrowed to what was seen. Review before applying.`;
  return {
    policy: {
      ...policy,
      // The types are written out: a policy left with no egress rules must still isolate egress.
      policyTypesDeclared: true,
      ingress,
      egress,
      annotations: { ...policy.annotations, [DESCRIPTION_ANNOTATION]: note },
    },
    rules: changes,
    flows,
    connections,
  };
}
