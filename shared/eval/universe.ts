/**
 * The probes whole-cluster answers range over (see `ConnectionUniverse` in types.ts): the ports the
 * policies mention, one port per remaining class of ports the rules treat alike, and one address per
 * class of external addresses the ipBlocks treat alike.
 */
import { hasBit } from './bitset.ts';
import { refProtocol } from './classes.ts';
import type { CompiledRule } from './compiled.ts';
import { formatAddress, isIPv4Value, parseCidr } from './ip.ts';
import { decodePort, encodePort, PROTOCOL_ORDER, protocolRange, type PortSetId } from './ports.ts';
import type { EvalState } from './state.ts';
import type { ConnectionUniverse, PortProbe } from './types.ts';

function activeRules(state: EvalState): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const p of state.compiled.values()) {
    if (p.ingressOn) out.push(...p.ingress);
    if (p.egressOn) out.push(...p.egress);
  }
  return out;
}

/** The static port sets of every port entry of every rule that can decide (NetworkPolicy and admin tiers). */
export function rulePortSets(state: EvalState): PortSetId[] {
  const ids: PortSetId[] = [];
  for (const rule of activeRules(state)) {
    if (rule.ports === 'any') continue;
    for (const e of rule.ports) if (e.named === undefined) ids.push(e.staticPorts);
  }
  for (const p of state.adminCompiled.values())
    for (const rule of [...p.ingress, ...p.egress]) {
      if (rule.ports === 'any') continue;
      for (const e of rule.ports) if (e.named.length === 0) ids.push(e.staticPorts);
    }
  // A Cilium rule (half) matches on the union of its entries' ports: that set is what tells ports apart.
  for (const p of state.ciliumParts)
    for (const rule of [...p.ingress, ...p.egress]) ids.push(rule.staticPorts);
  if (state.calico) for (const id of state.calico.portSets()) ids.push(id);
  return ids;
}

function sortProbes(codes: Iterable<number>): PortProbe[] {
  return [...new Set(codes)].sort((a, b) => a - b).map(decodePort);
}

export function mentionedPorts(state: EvalState): PortProbe[] {
  const codes = new Set<number>();
  const namedRefs = new Set<string>();
  for (const p of state.compiled.values()) {
    for (const rule of [...(p.ingressOn ? p.ingress : []), ...(p.egressOn ? p.egress : [])]) {
      if (rule.ports === 'any') continue;
      for (let i = 0; i < rule.ports.length; i++) {
        const written = p.policy[rule.direction][rule.index]?.ports;
        const source = written === 'any' ? undefined : written?.[i];
        if (!source) continue;
        if (typeof source.port === 'string') namedRefs.add(`${source.protocol}/${source.port}`);
        else if (source.port !== undefined) {
          codes.add(encodePort(source.protocol, source.port));
          if (source.endPort !== undefined && source.endPort > source.port)
            codes.add(encodePort(source.protocol, source.endPort));
        }
      }
    }
  }
  for (const p of state.clusterPolicies.values()) {
    for (const rule of [...p.ingress, ...p.egress]) {
      if (rule.ports === 'any') continue;
      for (const e of rule.ports) {
        if (e.kind === 'named') for (const protocol of PROTOCOL_ORDER) namedRefs.add(`${protocol}/${e.name}`);
        else if (e.port !== undefined) {
          codes.add(encodePort(e.protocol, e.port));
          if (e.endPort !== undefined && e.endPort > e.port) codes.add(encodePort(e.protocol, e.endPort));
        }
      }
    }
  }
  for (const p of state.ciliumPolicies.values())
    for (const spec of p.specs)
      for (const rule of [...spec.ingress, ...spec.ingressDeny, ...spec.egress, ...spec.egressDeny]) {
        if (rule.toPorts === 'any') continue;
        for (const entry of rule.toPorts) {
          if (entry.ports === 'any') continue;
          for (const e of entry.ports) {
            if (typeof e.port === 'string') namedRefs.add(`${e.protocol}/${e.port}`);
            else if (e.port !== undefined) {
              codes.add(encodePort(e.protocol, e.port));
              if (e.endPort !== undefined && e.endPort > e.port) codes.add(encodePort(e.protocol, e.endPort));
            }
          }
        }
      }
  for (const p of state.calicoPolicies.values()) {
    if (p.staged) continue;
    for (const rule of [...p.ingress, ...p.egress]) {
      const protocols =
        rule.protocol === undefined
          ? PROTOCOL_ORDER
          : typeof rule.protocol === 'string'
            ? [rule.protocol]
            : [];
      for (const protocol of protocols)
        for (const e of [...rule.destination.ports, ...rule.destination.notPorts]) {
          if (e.kind === 'named') namedRefs.add(`${protocol}/${e.name}`);
          else
            for (const port of new Set([e.from, e.to])) if (port > 0) codes.add(encodePort(protocol, port));
        }
    }
  }
  for (const c of state.classes.classes) {
    if (c.pods.size === 0) continue;
    for (const ref of namedRefs)
      for (const port of c.namedPorts.get(ref) ?? []) codes.add(encodePort(refProtocol(ref), port));
  }
  return sortProbes(codes);
}

function universePorts(state: EvalState, mentioned: readonly PortProbe[]): PortProbe[] {
  const mentionedCodes = mentioned.map((p) => encodePort(p.protocol, p.port));
  const setIds = new Set<number>(rulePortSets(state));
  // Mentioned ports are singletons of their own: a named port resolved to 9100 distinguishes 9100
  // even when no static set does.
  const sets = [
    ...[...setIds].map((id) => state.portSets.sets[id] ?? []),
    ...mentionedCodes.map((c) => [c, c]),
  ];
  const cuts = new Set<number>();
  for (const protocol of PROTOCOL_ORDER)
    cuts.add(protocolRange(protocol)[0]).add(protocolRange(protocol)[1] + 1);
  for (const s of sets) for (let i = 0; i < s.length; i += 2) cuts.add(s[i] ?? 0).add((s[i + 1] ?? 0) + 1);
  for (const code of mentionedCodes) cuts.add(code).add(code + 1);
  const starts = [...cuts].sort((a, b) => a - b);
  const valid = (code: number): boolean => {
    const { port } = decodePort(code);
    return port >= 1 && port <= 65535;
  };
  const mentionedSet = new Set(mentionedCodes);
  const seen = new Map<string, { hasMentioned: boolean; lowest: number }>();
  for (let i = 0; i + 1 < starts.length; i++) {
    const lo = starts[i] ?? 0;
    const hi = (starts[i + 1] ?? 0) - 1;
    if (!valid(lo)) continue;
    // Membership in every distinct port set, plus the protocol: `ports: any` rules treat protocols
    // alike but a protocol-only entry does not, and the port sets already encode that.
    const signature = sets.map((s) => (intervalsHit(s, lo) ? '1' : '0')).join('');
    const entry = seen.get(signature) ?? { hasMentioned: false, lowest: lo };
    if (lo === hi && mentionedSet.has(lo)) entry.hasMentioned = true;
    seen.set(signature, entry);
  }
  const codes = new Set(mentionedCodes);
  for (const entry of seen.values()) if (!entry.hasMentioned) codes.add(entry.lowest);
  return sortProbes(codes);
}

function intervalsHit(s: readonly number[], code: number): boolean {
  for (let i = 0; i < s.length; i += 2) if ((s[i] ?? 0) <= code && code <= (s[i + 1] ?? 0)) return true;
  return false;
}

function universeExternals(state: EvalState): string[] {
  const podIPs = state.podIPs;
  let usesV6 = state.podsWithIPv6 > 0;
  const blocks = state.ipBlockAtomSets();
  for (const b of state.ipBlockCidrs()) {
    const r = parseCidr(b);
    if (r && !isIPv4Value(r.start)) usesV6 = true;
  }
  const partition = state.partition;
  const groups = new Map<string, number[]>();
  for (let a = 0; a < partition.size; a++) {
    const range = partition.atomRange(a);
    if (!usesV6 && !isIPv4Value(range.start)) continue;
    const sig = `${isIPv4Value(range.start) ? 4 : 6}:${blocks.map((b) => (hasBit(b, a) ? '1' : '0')).join('')}`;
    const list = groups.get(sig) ?? [];
    list.push(a);
    groups.set(sig, list);
  }
  const out: string[] = [];
  for (const atoms of groups.values()) {
    const pick = pickAddress(state, atoms, podIPs);
    if (pick !== undefined) out.push(formatAddress(pick));
  }
  return out.sort();
}

/** An address of the atoms that no pod uses; avoids the all-zero network address when it can. */
function pickAddress(
  state: EvalState,
  atoms: readonly number[],
  podIPs: ReadonlyMap<bigint, number>,
): bigint | undefined {
  for (const a of atoms) {
    const { start, end } = state.partition.atomRange(a);
    for (let v = end - start >= 2n ? start + 1n : start, n = 0; v <= end && n < 64; v++, n++)
      if (!podIPs.has(v)) return v;
  }
  return undefined;
}

export function universe(state: EvalState): ConnectionUniverse {
  return {
    ports: universePorts(state, mentionedPorts(state)),
    externals: universeExternals(state),
    partial: state.view.partial,
  };
}
