/**
 * The bulk kernel: what one side allows between two endpoints, over a fixed list of port probes, as a
 * bitmask over the probes. Endpoints are encoded as numbers: a class id ≥ 0, or an external IP atom `a`
 * as `-(a + 1)`.
 */
import { hasBit, newBitset, wordsFor, type Bitset } from './bitset.ts';
import { refProtocol } from './classes.ts';
import type { Profile } from './profile.ts';
import {
  combineInto,
  walkChain,
  type AdminChain,
  type ChainMember,
  type ChainOutcome,
  type DecisionObserver,
  type OutcomeTable,
  type PolicyTable,
} from './tiers.ts';
import type { Direction } from './types.ts';
import { encodePort, intervalsContain, type PortSetId } from './ports.ts';
import type { EvalState } from './state.ts';
import type { PortProbe } from './types.ts';

export type Entity = number;

export function externalEntity(atom: number): Entity {
  return -(atom + 1);
}

export function entityAtom(e: Entity): number {
  return -e - 1;
}

/** Port probes with a cache of "which probes lie in port set S". */
export class ProbeSet {
  readonly probes: readonly PortProbe[];
  readonly codes: readonly number[];
  readonly words: number;
  readonly all: Bitset;
  readonly none: Bitset;
  readonly #masks = new Map<PortSetId, Bitset>();
  /** Whole-table chain walks (tables.ts), kept per chain for the life of the probe set. */
  readonly chainTables = new Map<AdminChain<ChainMember>, OutcomeTable>();
  /** Per-policy walks the chain tables are composed of (tiers.ts). */
  readonly policyTables = new Map<string, PolicyTable>();
  /** Rows a table combine keeps aside (tiers.ts `combineTable`), reused across profiles. */
  readonly combineScratch = { rows: new Uint32Array(0) };
  readonly #byCode = new Map<number, number[]>();
  readonly #state: EvalState;

  constructor(state: EvalState, probes: readonly PortProbe[]) {
    this.#state = state;
    this.probes = probes;
    this.codes = probes.map((p) => encodePort(p.protocol, p.port));
    this.words = wordsFor(probes.length);
    this.all = newBitset(this.words);
    this.none = newBitset(this.words);
    this.codes.forEach((code, i) => {
      this.all[i >>> 5] = (this.all[i >>> 5] ?? 0) | (1 << (i & 31));
      const list = this.#byCode.get(code) ?? [];
      list.push(i);
      this.#byCode.set(code, list);
    });
  }

  maskOf(ports: PortSetId): Bitset {
    let mask = this.#masks.get(ports);
    if (!mask) {
      mask = newBitset(this.words);
      const set = this.#state.portSets.sets[ports] ?? [];
      this.codes.forEach((code, i) => {
        if (intervalsContain(set, code)) mask![i >>> 5] = (mask![i >>> 5] ?? 0) | (1 << (i & 31));
      });
      this.#masks.set(ports, mask);
    }
    return mask;
  }

  /** ORs into `out` the probes equal to one of these port codes. */
  addCodes(out: Bitset, codes: Iterable<number>): void {
    for (const code of codes)
      for (const i of this.#byCode.get(code) ?? []) out[i >>> 5] = (out[i >>> 5] ?? 0) | (1 << (i & 31));
  }
}

function contains(
  g: { readonly classes: Bitset; readonly maybe: Bitset; readonly ext: Bitset },
  peer: Entity,
  maybe: boolean,
): boolean {
  return peer >= 0 ? hasBit(maybe ? g.maybe : g.classes, peer) : hasBit(g.ext, entityAtom(peer));
}

/** Walks an admin chain for one peer entity (a class, or an external atom). */
export function walkFor<M extends ChainMember>(
  state: EvalState,
  chain: AdminChain<M>,
  peer: Entity,
  probes: ProbeSet,
  observe?: DecisionObserver<M>,
): ChainOutcome {
  if (peer >= 0)
    return walkChain(
      chain,
      probes,
      state.classes.get(peer),
      (r) => hasBit(r.classes, peer),
      (r) => hasBit(r.maybe, peer),
      observe,
    );
  const atom = entityAtom(peer);
  return walkChain(
    chain,
    probes,
    undefined,
    (r) => hasBit(r.ext, atom),
    (r) => hasBit(r.maybeExt, atom),
    observe,
  );
}

/**
 * Probes for which the side at `subject` (a class) reaches the NetworkPolicy tier towards `peer`:
 * surely (`yes`: only a Pass or no Admin rule is possible) and possibly (`maybe`).
 */
export function npReach(
  state: EvalState,
  subject: Entity,
  direction: Direction,
  peer: Entity,
  probes: ProbeSet,
): SideMasks {
  const chains = subject >= 0 ? state.adminChains(subject, direction) : {};
  // The NetworkPolicy groups are read when the Admin tier and then the Cilium rules fall through.
  const walks = [chains.admin, chains.cilium]
    .filter((c) => c !== undefined)
    .map((c) => walkFor<ChainMember>(state, c, peer, probes));
  if (walks.length === 0) return { yes: probes.all, maybe: probes.all };
  const yes = probes.all.slice();
  const maybe = probes.all.slice();
  for (const o of walks)
    for (let i = 0; i < yes.length; i++) {
      yes[i] = (yes[i] ?? 0) & (o.fall[i] ?? 0) & ~(o.accept[i] ?? 0) & ~(o.deny[i] ?? 0);
      maybe[i] = (maybe[i] ?? 0) & (o.fall[i] ?? 0);
    }
  return { yes, maybe };
}

/**
 * ORs into `out` what `profile` allows towards/from `peer` (egress named ports resolve on the peer):
 * surely, or with `maybe` possibly (rules whose namespaceSelector might match unread namespace labels).
 * A tiered profile (tiers.ts) is read through its chains around the NetworkPolicy tier.
 */
export function profileMask(
  state: EvalState,
  profile: Profile,
  peer: Entity,
  probes: ProbeSet,
  out: Bitset,
  maybe = false,
): void {
  const t = profile.tiers;
  if (!t) {
    npMask(state, profile, peer, probes, out, maybe);
    return;
  }
  const next = newBitset(probes.words);
  if (t.calico) {
    // Calico: from the profile's allow after the last tier back to the first tier (calico.ts).
    next.set(probes.all);
    for (let k = t.calico.length - 1; k >= 0; k--) {
      const stage = t.calico[k];
      const chain: AdminChain<ChainMember> | undefined =
        stage?.kind === 'chain' ? stage.chain : stage?.kind === 'admin' ? t.admin : t.baseline;
      if (chain) combineInto(walkFor(state, chain, peer, probes), next, probes.all, maybe);
    }
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) | (next[i] ?? 0);
    return;
  }
  if (t.np === 'isolated') npMask(state, profile, peer, probes, next, maybe);
  else if (t.np === 'any') {
    if (maybe) next.set(probes.all);
  } else {
    next.set(probes.all);
    if (t.baseline) combineInto(walkFor(state, t.baseline, peer, probes), next, probes.all, maybe);
  }
  if (t.cilium) combineInto(walkFor(state, t.cilium, peer, probes), next, probes.all, maybe);
  if (t.admin) combineInto(walkFor(state, t.admin, peer, probes), next, probes.all, maybe);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) | (next[i] ?? 0);
}

/** The NetworkPolicy tier of a profile: the union of its groups and named terms. */
function npMask(
  state: EvalState,
  profile: Profile,
  peer: Entity,
  probes: ProbeSet,
  out: Bitset,
  maybe = false,
): void {
  for (const g of profile.groups) {
    if (!contains(g, peer, maybe)) continue;
    const m = probes.maskOf(g.ports);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) | (m[i] ?? 0);
  }
  if (peer < 0 || profile.named.length === 0) return;
  const cls = state.classes.get(peer);
  for (const t of profile.named) {
    if (!hasBit(maybe ? t.maybe : t.classes, peer)) continue;
    for (const ref of t.refs) {
      const ports = cls.namedPorts.get(ref);
      if (!ports) continue;
      const protocol = refProtocol(ref);
      probes.addCodes(
        out,
        ports.map((p) => encodePort(protocol, p)),
      );
    }
  }
}

/** The NetworkPolicy-tier profile of the egress side of `src`, or undefined when none isolates it. */
export function egressProfileOf(state: EvalState, src: Entity): Profile | undefined {
  return src >= 0 ? state.egressProfile[src] : undefined;
}

export function ingressProfileOf(state: EvalState, dst: Entity): Profile | undefined {
  return dst >= 0 ? state.ingressProfile[dst] : undefined;
}

/**
 * Probes `profile` allows towards/from `peer` (a fresh array). `profile` is explicit (undefined = side
 * open) so callers can ask "as if these policies were different".
 */
export function maskWith(
  state: EvalState,
  profile: Profile | undefined,
  peer: Entity,
  probes: ProbeSet,
  maybe = false,
): Bitset {
  if (!profile) return probes.all.slice();
  const out = newBitset(probes.words);
  profileMask(state, profile, peer, probes, out, maybe);
  return out;
}

/** What a side surely allows (`yes`) and possibly allows (`maybe` ⊇ `yes`); one array when certain. */
export interface SideMasks {
  readonly yes: Bitset;
  readonly maybe: Bitset;
}

/**
 * Both masks of the side at `subject` towards/from `peer`, given the NetworkPolicy-tier profile of its
 * visible policies (`visible`; undefined when none selects it) and the subject's admin chains. With
 * nothing uncertain `maybe` is the `yes` array itself.
 */
export function sideMasksWith(
  state: EvalState,
  direction: Direction,
  visible: Profile | undefined,
  subject: Entity,
  peer: Entity,
  probes: ProbeSet,
): SideMasks {
  if (subject < 0) {
    const m = maskWith(state, visible, peer, probes);
    return { yes: m, maybe: m };
  }
  if (!state.uncertain) {
    const m = maskWith(state, state.tiered(subject, direction, visible), peer, probes);
    return { yes: m, maybe: m };
  }
  const { yes, maybe } = state.sideProfiles(subject, direction, visible);
  return {
    yes: maskWith(state, yes, peer, probes),
    maybe: maskWith(state, maybe, peer, probes, true),
  };
}

/** Probes the egress side of `src` surely allows towards `dst` (a fresh array). */
export function egressMask(state: EvalState, src: Entity, dst: Entity, probes: ProbeSet): Bitset {
  return state.uncertain
    ? egressMasks(state, src, dst, probes).yes
    : maskWith(state, src >= 0 ? state.side(src, 'egress') : undefined, dst, probes);
}

export function ingressMask(state: EvalState, dst: Entity, src: Entity, probes: ProbeSet): Bitset {
  return state.uncertain
    ? ingressMasks(state, dst, src, probes).yes
    : maskWith(state, dst >= 0 ? state.side(dst, 'ingress') : undefined, src, probes);
}

export function egressMasks(state: EvalState, src: Entity, dst: Entity, probes: ProbeSet): SideMasks {
  return sideMasksWith(state, 'egress', egressProfileOf(state, src), src, dst, probes);
}

export function ingressMasks(state: EvalState, dst: Entity, src: Entity, probes: ProbeSet): SideMasks {
  return sideMasksWith(state, 'ingress', ingressProfileOf(state, dst), dst, src, probes);
}
