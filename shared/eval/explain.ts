/**
 * Single-connection answers with full provenance: every rule, peer and port entry that matches. This
 * walks the compiled rules of the (few) policies selecting the two pods, so it costs O(rules of those
 * policies), independent of cluster size.
 */
import type { Protocol } from '../model/snapshot.ts';
import { PROTOCOLS } from '../model/snapshot.ts';
import { hasBit } from './bitset.ts';
import { refProtocol, type ClassId, type PodClass } from './classes.ts';
import type { CompiledPeer, CompiledPolicy, CompiledRule } from './compiled.ts';
import { parseAddress } from './ip.ts';
import { encodePort } from './ports.ts';
import { entityAtom, externalEntity, type Entity } from './query.ts';
import type { EvalState } from './state.ts';
import { View } from './visibility.ts';
import { cniReason, cniUncertain } from './cni.ts';
import { chainPolicyKeys, tieredSide } from './explain-tiers.ts';
import { calicoSide } from './calico-explain.ts';
import {
  AnalysisError,
  sideAllows,
  type ConnectionQuery,
  type ConnectionVerdict,
  type Direction,
  type DirectionIsolation,
  type IsolationState,
  type NearMiss,
  type Peer,
  type PortProbe,
  type RuleMatch,
  type SideResult,
  type Verdict,
} from './types.ts';

export function peerEntity(state: EvalState, peer: Peer): Entity {
  if (peer.kind === 'pod') {
    const id = state.classes.podClass.get(`${peer.namespace}/${peer.name}`);
    if (id === undefined) throw new AnalysisError(`unknown pod ${peer.namespace}/${peer.name}`);
    return id;
  }
  const value = parseAddress(peer.ip);
  if (value === undefined) throw new AnalysisError(`not an IP address: ${peer.ip}`);
  return externalEntity(state.partition.atomOf(value));
}

export function checkPort(protocol: Protocol, port: number): void {
  if (!PROTOCOLS.includes(protocol)) throw new AnalysisError(`unknown protocol ${String(protocol)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new AnalysisError(`port out of range: ${port}`);
}

function byKey(a: CompiledPolicy, b: CompiledPolicy): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function peerMatches(peer: CompiledPeer, other: Entity, maybe: boolean): boolean {
  return other >= 0
    ? hasBit(maybe ? peer.maybe : peer.classes, other)
    : peer.ext !== undefined && hasBit(peer.ext, entityAtom(other));
}

/** Port entries of `rule` that match `code` on destination `dst` (named ports need a destination pod). */
function matchingPorts(
  state: EvalState,
  rule: CompiledRule,
  code: number,
  dst: PodClass | undefined,
): (number | 'any')[] {
  if (rule.ports === 'any') return ['any'];
  const out: number[] = [];
  for (const entry of rule.ports) {
    if (entry.named !== undefined) {
      const protocol = refProtocol(entry.named);
      const ports = dst?.namedPorts.get(entry.named) ?? [];
      if (ports.some((p) => encodePort(protocol, p) === code)) out.push(entry.index);
    } else if (state.portSets.contains(entry.staticPorts, code)) {
      out.push(entry.index);
    }
  }
  return out;
}

/** Every match of `rule` for a connection whose other end is `other`: sure ones, or with `maybe` possible ones. */
export function ruleMatches(
  state: EvalState,
  policy: CompiledPolicy,
  rule: CompiledRule,
  other: Entity,
  code: number,
  dst: PodClass | undefined,
  maybe = false,
): RuleMatch[] {
  const peers: (number | 'any')[] =
    rule.peers === 'any'
      ? ['any']
      : rule.peers.filter((p) => peerMatches(p, other, maybe)).map((p) => p.index);
  if (peers.length === 0) return [];
  const ports = matchingPorts(state, rule, code, dst);
  const out: RuleMatch[] = [];
  for (const peer of peers) {
    for (const port of ports)
      out.push({ policy: policy.key, direction: rule.direction, rule: rule.index, peer, port });
  }
  return out;
}

/**
 * The near miss of one rule for a connection it does not match, if it matched all save one part: the
 * port (some peer entry holds the other end), or one half of a selector peer (the port matches).
 * A peer entry with both halves wrong, or an ipBlock that misses, is too far off to be worth saying.
 */
function nearMissOf(
  state: EvalState,
  policy: CompiledPolicy,
  rule: CompiledRule,
  other: Entity,
  code: number,
  dst: PodClass | undefined,
): NearMiss | undefined {
  const written = policy.policy[rule.direction][rule.index];
  if (!written) return undefined;
  const base = { policy: policy.key, direction: rule.direction, rule: rule.index, ports: written.ports };
  const portHit = matchingPorts(state, rule, code, dst).length > 0;
  if (!portHit) {
    const peer = rule.peers === 'any' ? 'any' : rule.peers.find((p) => peerMatches(p, other, false))?.index;
    if (peer === undefined) return undefined;
    const resolved: PortProbe[] = [];
    if (rule.ports !== 'any')
      for (const entry of rule.ports) {
        if (entry.named === undefined) continue;
        const protocol = refProtocol(entry.named);
        for (const port of dst?.namedPorts.get(entry.named) ?? []) resolved.push({ protocol, port });
      }
    return { ...base, peer, missed: 'port', ...(resolved.length > 0 ? { resolved } : {}) };
  }
  if (rule.peers === 'any' || other < 0) return undefined;
  for (const peer of rule.peers) {
    const source = written.peers === 'any' ? undefined : written.peers[peer.index];
    if (source?.kind !== 'selector' || !source.podSelector || peer.parts.length !== 2) continue;
    const [pods, namespaces] = peer.parts;
    const podHit = pods !== undefined && hasBit(pods, other);
    const nsHit = namespaces !== undefined && hasBit(namespaces, other);
    if (podHit === nsHit) continue;
    if (!podHit) return { ...base, peer: peer.index, missed: 'pod' };
    return {
      ...base,
      peer: peer.index,
      missed: 'namespace',
      ...(source.namespaceSelector ? {} : { ownNamespace: policy.namespace }),
    };
  }
  return undefined;
}

/** The NetworkPolicy tier of a side (the whole answer when the snapshot has no admin-tier policy). */
function npSide(
  state: EvalState,
  direction: Direction,
  subject: Entity,
  other: Entity,
  code: number,
): SideResult {
  const cls = state.classes.get(subject);
  const policies = state.selecting(subject, direction).sort(byKey);
  // Partial visibility (visibility.ts): unread policies of the subject's namespace may isolate it.
  const hidden = state.view.uncertain && state.view.policiesHidden(cls.namespace);
  const cilium = state.ciliumIsolating(subject, direction);
  if (policies.length === 0 && !hidden && cilium.length === 0) return { kind: 'not-isolated' };
  const dstEntity = direction === 'ingress' ? subject : other;
  const dst = dstEntity >= 0 ? state.classes.get(dstEntity) : undefined;
  const rulesOf = (p: CompiledPolicy) => (direction === 'ingress' ? p.ingress : p.egress);
  const matches: RuleMatch[] = [];
  for (const p of policies)
    for (const rule of rulesOf(p)) matches.push(...ruleMatches(state, p, rule, other, code, dst));
  const keys = [...policies.map((p) => p.key), ...cilium];
  if (matches.length > 0) return { kind: 'allowed', policies: keys, matches };
  // No sure match: rules that match if unread namespace labels do, or if the CNI matches as they need.
  const possible: RuleMatch[] = [];
  if ((state.view.namespacesHidden || cniUncertain(state.cni)) && other >= 0) {
    for (const p of policies)
      for (const rule of rulesOf(p)) possible.push(...ruleMatches(state, p, rule, other, code, dst, true));
  }
  if (!hidden && possible.length === 0) {
    const nearMisses: NearMiss[] = [];
    for (const p of policies)
      for (const rule of rulesOf(p)) {
        const miss = nearMissOf(state, p, rule, other, code, dst);
        if (miss) nearMisses.push(miss);
      }
    return nearMisses.length > 0
      ? { kind: 'denied', policies: keys, nearMisses }
      : { kind: 'denied', policies: keys };
  }
  const reasons: string[] = [];
  if (hidden) reasons.push(View.policiesReason(cls.namespace));
  reasons.push(...possibleReasons(state, possible, other));
  return { kind: 'unknown', reason: reasons.join('; '), policies: keys, possible };
}

/** Why rule matches are only possible: the CNI profile leaves an ipBlock or host-network match open, or namespace labels are unread. */
function possibleReasons(state: EvalState, possible: readonly RuleMatch[], other: Entity): string[] {
  if (possible.length === 0 || other < 0) return [];
  const reasons = new Set<string>();
  const cls = state.classes.get(other);
  for (const m of possible) {
    const written = state.compiled.get(m.policy)?.policy[m.direction][m.rule];
    const peer =
      m.peer === 'any' || written === undefined || written.peers === 'any'
        ? undefined
        : written.peers[m.peer];
    if (peer?.kind === 'ipBlock')
      reasons.add(cniReason(state.cni, cls.hostNetwork ? 'ipBlock-host' : 'ipBlock-pod'));
    else if (cls.hostNetwork && state.cni.selectorHostNetwork === 'unknown')
      reasons.add(cniReason(state.cni, 'selector-host'));
    else reasons.add(View.namespaceReason([cls.namespace]));
  }
  return [...reasons];
}

function side(
  state: EvalState,
  direction: Direction,
  subject: Entity,
  other: Entity,
  code: number,
): SideResult {
  if (subject < 0) return { kind: 'not-subject', reason: 'external' };
  const cls = state.classes.get(subject);
  if (cls.hostNetwork) return { kind: 'not-subject', reason: 'host-network' };
  if (state.calico?.applies(subject, direction))
    return calicoSide(state, direction, subject, other, code, () =>
      npSide(state, direction, subject, other, code),
    );
  if (state.clusterPolicies.size === 0 && !state.view.clusterPoliciesHidden && state.ciliumParts.length === 0)
    return npSide(state, direction, subject, other, code);
  return tieredSide(state, direction, subject, other, code, () =>
    npSide(state, direction, subject, other, code),
  );
}

export function verdictOf(egress: SideResult, ingress: SideResult): Verdict {
  const e = sideAllows(egress);
  const i = sideAllows(ingress);
  if (e === false || i === false) return 'denied';
  const conditional = (side: SideResult): boolean => side.kind === 'unknown' && side.conditional === true;
  if ((e === 'unknown' && !conditional(egress)) || (i === 'unknown' && !conditional(ingress)))
    return 'unknown';
  if (e === 'unknown' || i === 'unknown') return 'conditional';
  return 'allowed';
}

export function check(state: EvalState, query: ConnectionQuery): ConnectionVerdict {
  checkPort(query.protocol, query.port);
  const from = peerEntity(state, query.from);
  const to = peerEntity(state, query.to);
  const code = encodePort(query.protocol, query.port);
  const egress = side(state, 'egress', from, to, code);
  const ingress = side(state, 'ingress', to, from, code);
  return { query, verdict: verdictOf(egress, ingress), egress, ingress };
}

export function isolation(state: EvalState, key: string): IsolationState {
  const id: ClassId | undefined = state.classes.podClass.get(key);
  if (id === undefined) throw new AnalysisError(`unknown pod ${key}`);
  const cls = state.classes.get(id);
  const hidden = state.view.uncertain && state.view.policiesHidden(cls.namespace);
  const of = (direction: Direction): DirectionIsolation => {
    const calico = state.calicoIsolating(id, direction);
    const policies = [
      ...state
        .selecting(id, direction)
        .sort(byKey)
        .map((p) => p.key),
      ...state.ciliumIsolating(id, direction),
      ...calico.sure,
    ];
    const isolated = cls.hostNetwork
      ? false
      : policies.length > 0
        ? true
        : hidden || calico.maybe.length > 0
          ? 'unknown'
          : false;
    return { isolated, policies, adminPolicies: chainPolicyKeys(state, id, direction) };
  };
  return {
    pod: key,
    hostNetwork: cls.hostNetwork,
    policiesUnreadable: hidden,
    ingress: of('ingress'),
    egress: of('egress'),
  };
}
