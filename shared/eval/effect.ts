/**
 * The effect of one policy (DESIGN.md "What selecting a policy shows"). Only connections whose
 * destination P isolates for ingress, or whose source P isolates for egress, can be permitted or
 * denied by P; everything else is unaffected, so the work is O(subject classes × endpoints).
 * With partial visibility (visibility.ts) "permitted by P", "flows" and "flows without P" are each
 * three-valued (sure and possible masks); a connection gets a class only when the known values decide
 * it, else it counts as `unknown`.
 */
import { hasBit, newBitset, popcount32, type Bitset } from './bitset.ts';
import type { PodClass } from './classes.ts';
import type { CompiledPolicy, CompiledRule } from './compiled.ts';
import { parseAddress } from './ip.ts';
import { buildEgressProfile, buildIngressProfile, type Profile } from './profile.ts';
import { adminPolicyEffect } from './effect-admin.ts';
import { ciliumPolicyEffect } from './effect-cilium.ts';
import { calicoPolicyEffect } from './effect-calico.ts';
import {
  egressMask,
  egressMasks,
  externalEntity,
  ingressMask,
  ingressMasks,
  maskWith,
  npReach,
  profileMask,
  ProbeSet,
  sideMasksWith,
  type Entity,
  type SideMasks,
} from './query.ts';
import type { EvalState } from './state.ts';
import { universe } from './universe.ts';
import {
  AnalysisError,
  type ConnectionRef,
  type Direction,
  type Peer,
  type PolicyEffect,
  type PortProbe,
  type RuleEffect,
} from './types.ts';

export interface Endpoint {
  readonly entity: Entity;
  readonly weight: number;
  readonly cls: PodClass | undefined;
  readonly address: string | undefined;
}

function podPeer(key: string): Peer {
  const slash = key.indexOf('/');
  return { kind: 'pod', namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

function peersOf(e: Endpoint): Peer[] {
  return e.cls ? [...e.cls.pods].map(podPeer) : [{ kind: 'external', ip: e.address ?? '' }];
}

export function onlyRule(cp: CompiledPolicy, rule: CompiledRule): CompiledPolicy {
  return {
    ...cp,
    ingress: rule.direction === 'ingress' ? [rule] : [],
    egress: rule.direction === 'egress' ? [rule] : [],
  };
}

/** Every pod class with pods, then one endpoint per universe external address. */
export function effectEndpoints(
  state: EvalState,
  externalsOf: readonly string[],
): {
  readonly endpoints: Endpoint[];
  readonly pods: number;
  readonly externals: number;
} {
  const endpoints: Endpoint[] = [];
  let pods = 0;
  for (const c of state.classes.classes) {
    if (c.pods.size === 0) continue;
    endpoints.push({ entity: c.id, weight: c.pods.size, cls: c, address: undefined });
    pods += c.pods.size;
  }
  for (const ip of externalsOf) {
    const v = parseAddress(ip);
    if (v !== undefined)
      endpoints.push({
        entity: externalEntity(state.partition.atomOf(v)),
        weight: 1,
        cls: undefined,
        address: ip,
      });
  }
  return { endpoints, pods, externals: endpoints.length - endpoints.filter((e) => e.cls).length };
}

export type EffectClass = 'permittedFlowing' | 'permittedBlocked' | 'denied' | 'passed' | 'unknown';

/** Counts and the first `limit` connections of each class, expanded from endpoints to peers. */
export class EffectLists {
  readonly counts = { permittedFlowing: 0, permittedBlocked: 0, denied: 0, passed: 0, unknown: 0 };
  readonly lists: Record<EffectClass, ConnectionRef[]> = {
    permittedFlowing: [],
    permittedBlocked: [],
    denied: [],
    passed: [],
    unknown: [],
  };
  truncated = false;
  readonly #limit: number;
  readonly #ports: readonly PortProbe[];

  constructor(limit: number, ports: readonly PortProbe[]) {
    this.#limit = limit;
    this.#ports = ports;
  }

  record(which: EffectClass, a: Endpoint, b: Endpoint, k: number, w: number): void {
    this.counts[which] += w;
    const list = this.lists[which];
    if (list.length >= this.#limit) {
      this.truncated = true;
      return;
    }
    const probe = this.#ports[k];
    if (!probe) return;
    for (const from of peersOf(a)) {
      for (const to of peersOf(b)) {
        if (
          from.kind === 'pod' &&
          to.kind === 'pod' &&
          from.namespace === to.namespace &&
          from.name === to.name
        )
          continue;
        if (list.length >= this.#limit) {
          this.truncated = true;
          return;
        }
        list.push({ from, to, protocol: probe.protocol, port: probe.port });
      }
    }
  }
}

export function policyEffect(state: EvalState, key: string, limit: number): PolicyEffect {
  const cp = state.compiled.get(key);
  if (!cp) {
    const admin = state.adminCompiled.get(key);
    if (admin) return adminPolicyEffect(state, admin, limit);
    if (state.ciliumPolicies.has(key)) return ciliumPolicyEffect(state, key, limit);
    if (state.calicoPolicies.has(key)) return calicoPolicyEffect(state, key, limit);
    const ignored = state.ignored.get(key);
    if (ignored !== undefined)
      throw new AnalysisError(
        `${key} is not enforced under the CNI profile ${state.cni.label}, which does not implement ${ignored}`,
      );
    throw new AnalysisError(`unknown policy ${key}`);
  }
  const u = universe(state);
  const probes = new ProbeSet(state, u.ports);
  const P = u.ports.length;
  const { endpoints, pods, externals } = effectEndpoints(state, u.externals);

  const subjectOf = (direction: Direction): Set<number> => {
    const on = direction === 'ingress' ? cp.ingressOn : cp.egressOn;
    const out = new Set<number>();
    if (!on) return out;
    for (const e of endpoints)
      if (e.cls && !e.cls.hostNetwork && hasBit(cp.subject, e.entity)) out.add(e.entity);
    return out;
  };
  const SI = subjectOf('ingress');
  const SE = subjectOf('egress');

  const without = (direction: Direction, cls: PodClass): Profile | undefined => {
    const rest = state.selecting(cls.id, direction).filter((p) => p !== cp);
    return rest.length > 0 ? state.profileFor(direction, rest, cls) : undefined;
  };
  const onlyP = new Map<string, Profile>();
  const pProfile = (direction: Direction, of: CompiledPolicy, cls: PodClass, tag: string): Profile => {
    const named = direction === 'ingress' && of.usesIngressNamed;
    const k = `${tag}:${direction}:${named ? cls.namedKey : ''}`;
    let p = onlyP.get(k);
    if (!p) {
      p =
        direction === 'ingress'
          ? buildIngressProfile(k, [of], cls, state)
          : buildEgressProfile(k, [of], state);
      onlyP.set(k, p);
    }
    return p;
  };
  // Rules of a direction missing from policyTypes are inert: their subject set is empty, so they match nothing.
  const rules = [...cp.ingress, ...cp.egress];
  const ruleMatched = new Float64Array(rules.length);
  const ruleUnknown = new Float64Array(rules.length);
  const uncertain = state.uncertain;
  const out = new EffectLists(limit, u.ports);
  const record = (which: EffectClass, a: Endpoint, b: Endpoint, k: number, w: number): void =>
    out.record(which, a, b, k, w);
  /** Probes for which a rule of P at this side is read at all: the Admin tier falls through to it. */
  const reach = (rule: CompiledRule, a: Endpoint, b: Endpoint) =>
    rule.direction === 'ingress'
      ? npReach(state, b.entity, 'ingress', a.entity, probes)
      : npReach(state, a.entity, 'egress', b.entity, probes);

  const tmp = newBitset(probes.words);
  const tmpMaybe = newBitset(probes.words);
  const ruleMask = (profile: Profile, peer: Entity, maybe = false): Bitset => {
    const out = maybe ? tmpMaybe : tmp;
    out.fill(0);
    profileMask(state, profile, peer, probes, out, maybe);
    return out;
  };
  /**
   * Partial visibility. A connection gets a class only when every way the unread objects could be gives
   * that class (sides taken independently: a superset of the real possibilities, so never a guess).
   * With sure (Y) and possible (M) masks of "P permits" (p), "flows" (f) and "flows without P" (f0):
   * - p surely: permittedFlowing if f surely, permittedBlocked if f surely not, else unknown;
   * - p possibly: unknown (it is permitted in some ways and not in others);
   * - p surely not: denied if f surely not and f0 surely. It is surely unaffected unless some way has
   *   f0 and not f, which needs a side X that P isolates with no other visible policy isolating it
   *   (only then can X allow without P and deny with it, P matching nothing) while the other side
   *   possibly allows without P. Otherwise unknown.
   */
  const classifyPartial = (a: Endpoint, b: Endpoint, inSubject: boolean, egSubject: boolean, w: number) => {
    const e1 = egressMasks(state, a.entity, b.entity, probes);
    const i1 = ingressMasks(state, b.entity, a.entity, probes);
    const restE = egSubject && a.cls ? without('egress', a.cls) : undefined;
    const restI = inSubject && b.cls ? without('ingress', b.cls) : undefined;
    const e0: SideMasks = egSubject ? sideMasksWith(state, 'egress', restE, a.entity, b.entity, probes) : e1;
    const i0: SideMasks = inSubject ? sideMasksWith(state, 'ingress', restI, b.entity, a.entity, probes) : i1;
    const egAlone = egSubject && restE === undefined;
    const inAlone = inSubject && restI === undefined;
    const pY = newBitset(probes.words);
    const pM = newBitset(probes.words);
    rules.forEach((rule, r) => {
      const subject =
        rule.direction === 'ingress' ? (inSubject ? b.cls : undefined) : egSubject ? a.cls : undefined;
      if (!subject) return;
      const profile = pProfile(rule.direction, onlyRule(cp, rule), subject, `r${r}`);
      const peer = rule.direction === 'ingress' ? a.entity : b.entity;
      const m = ruleMask(profile, peer);
      const mm = (rule.maybe === rule.classes ? m : ruleMask(profile, peer, true)).slice();
      const r0 = reach(rule, a, b);
      for (let i = 0; i < m.length; i++) {
        mm[i] = (mm[i] ?? 0) & (r0.maybe[i] ?? 0);
        m[i] = (m[i] ?? 0) & (r0.yes[i] ?? 0);
      }
      let bits = 0;
      let maybeBits = 0;
      for (let i = 0; i < m.length; i++) {
        pY[i] = (pY[i] ?? 0) | (m[i] ?? 0);
        pM[i] = (pM[i] ?? 0) | (mm[i] ?? 0) | (m[i] ?? 0);
        bits += popcount32(m[i] ?? 0);
        maybeBits += popcount32((mm[i] ?? 0) & ~(m[i] ?? 0));
      }
      ruleMatched[r] = (ruleMatched[r] ?? 0) + bits * w;
      ruleUnknown[r] = (ruleUnknown[r] ?? 0) + maybeBits * w;
    });
    const at = (m: Bitset, word: number, bit: number): boolean => ((m[word] ?? 0) & bit) !== 0;
    for (let k = 0; k < P; k++) {
      const bit = 1 << (k & 31);
      const word = k >>> 5;
      const fY = at(e1.yes, word, bit) && at(i1.yes, word, bit);
      const fM = at(e1.maybe, word, bit) && at(i1.maybe, word, bit);
      const f0Y = at(e0.yes, word, bit) && at(i0.yes, word, bit);
      if (at(pY, word, bit)) {
        if (fY) record('permittedFlowing', a, b, k, w);
        else if (!fM) record('permittedBlocked', a, b, k, w);
        else record('unknown', a, b, k, w);
      } else if (at(pM, word, bit)) record('unknown', a, b, k, w);
      else if (!fM && f0Y) record('denied', a, b, k, w);
      // Flowing surely with P (say an Admin Accept decided a side P isolates): P denies nothing here.
      else if (fY) continue;
      else if ((inAlone && at(e0.maybe, word, bit)) || (egAlone && at(i0.maybe, word, bit)))
        record('unknown', a, b, k, w);
    }
  };

  // Only pairs with an end the policy selects can be affected: a source it selects for egress with
  // every destination, any other source with the destinations it selects for ingress. Same order as
  // every pair in turn (the lists keep their first entries), without walking classes² pairs.
  const ingressEnds = endpoints.filter((b) => b.cls !== undefined && SI.has(b.entity));
  for (const a of endpoints) {
    const destinations = a.cls !== undefined && SE.has(a.entity) ? endpoints : ingressEnds;
    for (const b of destinations) {
      if (!a.cls && !b.cls) continue;
      const inSubject = b.cls !== undefined && SI.has(b.entity);
      const egSubject = a.cls !== undefined && SE.has(a.entity);
      if (!inSubject && !egSubject) continue;
      const w = a === b ? a.weight * (a.weight - 1) : a.weight * b.weight;
      if (w === 0) continue;
      if (uncertain) {
        classifyPartial(a, b, inSubject, egSubject, w);
        continue;
      }
      const eg1 = egressMask(state, a.entity, b.entity, probes);
      const in1 = ingressMask(state, b.entity, a.entity, probes);
      const eg0 =
        egSubject && a.cls
          ? maskWith(state, state.tiered(a.entity, 'egress', without('egress', a.cls)), b.entity, probes)
          : eg1;
      const in0 =
        inSubject && b.cls
          ? maskWith(state, state.tiered(b.entity, 'ingress', without('ingress', b.cls)), a.entity, probes)
          : in1;
      const permitted = newBitset(probes.words);
      rules.forEach((rule, r) => {
        const subject =
          rule.direction === 'ingress' ? (inSubject ? b.cls : undefined) : egSubject ? a.cls : undefined;
        if (!subject) return;
        const m = ruleMask(
          pProfile(rule.direction, onlyRule(cp, rule), subject, `r${r}`),
          rule.direction === 'ingress' ? a.entity : b.entity,
        );
        const r0 = reach(rule, a, b).yes;
        for (let i = 0; i < m.length; i++) m[i] = (m[i] ?? 0) & (r0[i] ?? 0);
        let bits = 0;
        for (let i = 0; i < m.length; i++) {
          permitted[i] = (permitted[i] ?? 0) | (m[i] ?? 0);
          bits += popcount32(m[i] ?? 0);
        }
        ruleMatched[r] = (ruleMatched[r] ?? 0) + bits * w;
      });
      for (let k = 0; k < P; k++) {
        const bit = 1 << (k & 31);
        const word = k >>> 5;
        const flows = ((eg1[word] ?? 0) & (in1[word] ?? 0) & bit) !== 0;
        if (((permitted[word] ?? 0) & bit) !== 0)
          record(flows ? 'permittedFlowing' : 'permittedBlocked', a, b, k, w);
        else if (!flows && ((eg0[word] ?? 0) & (in0[word] ?? 0) & bit) !== 0) record('denied', a, b, k, w);
      }
    }
  }
  const total = (pods * (pods - 1) + 2 * pods * externals) * P;
  const selects = state.classes.classes
    .filter((c) => c.pods.size > 0 && hasBit(cp.subject, c.id))
    .flatMap((c) => [...c.pods])
    .sort();
  const ruleEffects: RuleEffect[] = rules.map((rule, r) => ({
    direction: rule.direction,
    rule: rule.index,
    matched: ruleMatched[r] ?? 0,
    unknown: ruleUnknown[r] ?? 0,
    matchesNothing: (ruleMatched[r] ?? 0) + (ruleUnknown[r] ?? 0) === 0,
  }));
  return {
    policy: cp.key,
    tier: 'NetworkPolicy',
    selects,
    isolates: { ingress: SI.size > 0, egress: SE.size > 0 },
    rules: ruleEffects,
    ...finish(out, total),
  };
}

/** The counts and lists of a policy effect, with `unaffected` as the rest of `total`. */
export function finish(
  out: EffectLists,
  total: number,
): Pick<
  PolicyEffect,
  'counts' | 'permittedFlowing' | 'permittedBlocked' | 'denied' | 'passed' | 'unknown' | 'truncated'
> {
  const c = out.counts;
  return {
    counts: {
      ...c,
      unaffected: total - c.permittedFlowing - c.permittedBlocked - c.denied - c.passed - c.unknown,
      total,
    },
    ...out.lists,
    truncated: out.truncated,
  };
}
