/**
 * Truth tables and the cluster summary, computed per class pair (each pair once, whatever its pod
 * count) and expanded to peers or weighted by pod counts. Cost O(classes² × profile groups × probes/32).
 * With partial visibility (visibility.ts) or open rules each side also has a "maybe" mask; the summary
 * reads both in the same pair loop and counts unknown = maybe − yes.
 */
import { popcount32, type Bitset } from './bitset.ts';
import { certainTable, DistinctTables, NpTableSlot, npKeyOf, profileTable, sideBySide } from './tables.ts';
import type { PodClass } from './classes.ts';
import type { Profile } from './profile.ts';
import { peerEntity } from './explain.ts';
import { egressMasks, ingressMasks, ProbeSet, type Entity } from './query.ts';
import type { EvalState } from './state.ts';
import { universe } from './universe.ts';
import {
  CELL_ALLOWED,
  CELL_EGRESS_ALLOWS,
  CELL_EGRESS_UNKNOWN,
  CELL_INGRESS_ALLOWS,
  CELL_INGRESS_UNKNOWN,
  CELL_UNKNOWN,
  type AnalyzerStats,
  type Direction,
  type ClusterSummary,
  type Coverage,
  type NamespaceCell,
  type Peer,
  type PortProbe,
  type ReachCell,
  type ReachTable,
} from './types.ts';
import { checkPort } from './explain.ts';

const ENTITY_OFFSET = 1 << 21;

export function pairKey(a: Entity, b: Entity): number {
  return (a + ENTITY_OFFSET) * 4194304 + (b + ENTITY_OFFSET);
}

interface PairMask {
  /** Probes each side surely allows. */
  readonly egress: Bitset;
  readonly ingress: Bitset;
  /** Probes each side possibly allows; the same arrays as above when the side is certain. */
  readonly egressMaybe: Bitset;
  readonly ingressMaybe: Bitset;
}

/** Per pair of endpoints: the probes each side allows, memoized across peers of the same class. */
export class PairMasks {
  readonly #memo = new Map<number, PairMask>();
  readonly #state: EvalState;
  readonly probes: ProbeSet;

  constructor(state: EvalState, probes: ProbeSet) {
    this.#state = state;
    this.probes = probes;
  }

  get(src: Entity, dst: Entity): PairMask {
    const key = pairKey(src, dst);
    let m = this.#memo.get(key);
    if (!m) {
      const e = egressMasks(this.#state, src, dst, this.probes);
      const i = ingressMasks(this.#state, dst, src, this.probes);
      m = { egress: e.yes, ingress: i.yes, egressMaybe: e.maybe, ingressMaybe: i.maybe };
      this.#memo.set(key, m);
    }
    return m;
  }
}

/**
 * The `CELL_*` bits for `count` probes from the side masks, as `Analyzer.reach` sets them: "maybe"
 * masks differ from the sure ones only with partial visibility or open admin rules.
 */
export function encodeCells(
  out: Uint8Array,
  base: number,
  count: number,
  egress: Bitset,
  ingress: Bitset,
  egressMaybe: Bitset,
  ingressMaybe: Bitset,
): void {
  const certain = egressMaybe === egress && ingressMaybe === ingress;
  for (let k = 0; k < count; k++) {
    const bit = 1 << (k & 31);
    const e = ((egress[k >>> 5] ?? 0) & bit) !== 0;
    const g = ((ingress[k >>> 5] ?? 0) & bit) !== 0;
    let v = (e && g ? CELL_ALLOWED : 0) | (e ? CELL_EGRESS_ALLOWS : 0) | (g ? CELL_INGRESS_ALLOWS : 0);
    if (!certain) {
      const em = ((egressMaybe[k >>> 5] ?? 0) & bit) !== 0;
      const gm = ((ingressMaybe[k >>> 5] ?? 0) & bit) !== 0;
      if (em && !e) v |= CELL_EGRESS_UNKNOWN;
      if (gm && !g) v |= CELL_INGRESS_UNKNOWN;
      if (em && gm && !(e && g)) v |= CELL_UNKNOWN;
    }
    out[base + k] = v;
  }
}

export function reach(state: EvalState, peers: readonly Peer[], ports: readonly PortProbe[]): ReachTable {
  for (const p of ports) checkPort(p.protocol, p.port);
  const entities = peers.map((p) => peerEntity(state, p));
  const n = peers.length;
  const m = ports.length;
  const cells = new Uint8Array(n * n * m);
  const masks = new PairMasks(state, new ProbeSet(state, ports));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = entities[i] ?? 0;
      const b = entities[j] ?? 0;
      if (i === j || (a < 0 && b < 0)) continue;
      const { egress, ingress, egressMaybe, ingressMaybe } = masks.get(a, b);
      encodeCells(cells, (i * n + j) * m, m, egress, ingress, egressMaybe, ingressMaybe);
    }
  }
  return {
    peers,
    ports,
    cells,
    cell(from: number, to: number, port: number): ReachCell {
      const v = cells[(from * n + to) * m + port] ?? 0;
      return {
        allowed: (v & CELL_ALLOWED) !== 0,
        egress: (v & CELL_EGRESS_ALLOWS) !== 0,
        ingress: (v & CELL_INGRESS_ALLOWS) !== 0,
        unknown: (v & CELL_UNKNOWN) !== 0,
        egressUnknown: (v & CELL_EGRESS_UNKNOWN) !== 0,
        ingressUnknown: (v & CELL_INGRESS_UNKNOWN) !== 0,
      };
    },
  };
}

export function stats(state: EvalState): AnalyzerStats {
  const ingress = new Set(state.ingressProfile.filter((p) => p !== undefined));
  const egress = new Set(state.egressProfile.filter((p) => p !== undefined));
  return {
    pods: state.pods.size,
    namespaces: state.namespaces.size,
    policies: state.policies.size,
    classes: state.classes.classes.filter((c) => c.pods.size > 0).length,
    distinctSelectors: state.distinctSelectors,
    ipAtoms: state.partition.size,
    portSets: state.portSets.sets.length,
    profiles: { ingress: ingress.size, egress: egress.size },
    clusterPolicies: state.clusterPolicies.size,
    ...(state.ciliumPolicies.size > 0 ? { ciliumPolicies: state.ciliumPolicies.size } : {}),
    ...(state.calicoPolicies.size > 0 ? { calicoPolicies: calicoCounts(state) } : {}),
    ...(state.cniNamed ? { cni: cniStats(state) } : {}),
  };
}

function cniStats(state: EvalState): NonNullable<AnalyzerStats['cni']> {
  const ignored: Record<string, number> = {};
  for (const kind of state.ignored.values()) ignored[kind] = (ignored[kind] ?? 0) + 1;
  return { profile: state.cni.profile, label: state.cni.label, ignored };
}

function calicoCounts(state: EvalState): { enforced: number; staged: number } {
  let staged = 0;
  for (const p of state.calicoPolicies.values()) if (p.staged) staged++;
  return { enforced: state.calicoPolicies.size - staged, staged };
}

/** See `Coverage`: with unknowns, `some` needs a sure allowed and a sure denied connection. */
function coverage(allowed: number, unknown: number, total: number): Coverage {
  if (total === 0) return 'empty';
  if (unknown === 0) {
    if (allowed === 0) return 'none';
    return allowed === total ? 'all' : 'some';
  }
  return allowed > 0 && total - allowed - unknown > 0 ? 'some' : 'unknown';
}

function addAt(a: Float64Array, i: number, w: number): void {
  a[i] = (a[i] ?? 0) + w;
}

interface SummaryContext {
  readonly state: EvalState;
  readonly probes: ProbeSet;
  /** Classes with pods. */
  readonly classes: readonly PodClass[];
  readonly nsIndex: ReadonlyMap<string, number>;
  readonly N: number;
  readonly P: number;
}

/**
 * Which profiles stand for a side in the two passes: the class's own (`maybe` undefined when nothing is
 * uncertain), or (partial visibility, open rules) its yes/maybe ones.
 */
function passProfiles(
  state: EvalState,
  c: PodClass,
  direction: 'ingress' | 'egress',
  uncertain: boolean,
): { readonly yes: Profile | undefined; readonly maybe: Profile | undefined } {
  if (!uncertain) return { yes: state.side(c.id, direction), maybe: undefined };
  const visible = direction === 'ingress' ? state.ingressProfile[c.id] : state.egressProfile[c.id];
  return state.sideProfiles(c.id, direction, visible);
}

/**
 * Per-probe pair counts, accumulated per byte of the mask so the pair loop stays O(words), and per run
 * of equal masks (neighbouring pairs mostly allow the same probes), so most pairs add one number.
 */
class ProbeCounts {
  readonly byByte: Float64Array;
  readonly #runMask: Int32Array;
  readonly #runWeight: Float64Array;

  constructor(W: number) {
    this.byByte = new Float64Array(W * 4 * 256);
    this.#runMask = new Int32Array(W);
    this.#runWeight = new Float64Array(W);
  }

  add(i: number, m: number, w: number): void {
    if (this.#runMask[i] === m) {
      this.#runWeight[i] = (this.#runWeight[i] ?? 0) + w;
      return;
    }
    this.#flush(i);
    this.#runMask[i] = m;
    this.#runWeight[i] = w;
  }

  #flush(i: number): void {
    const w = this.#runWeight[i] ?? 0;
    if (w === 0) return;
    const m = this.#runMask[i] ?? 0;
    const base = i * 1024;
    addAt(this.byByte, base + (m & 255), w);
    addAt(this.byByte, base + 256 + ((m >>> 8) & 255), w);
    addAt(this.byByte, base + 512 + ((m >>> 16) & 255), w);
    addAt(this.byByte, base + 768 + (m >>> 24), w);
  }

  perProbe(P: number): Float64Array {
    for (let i = 0; i < this.#runMask.length; i++) {
      this.#flush(i);
      this.#runWeight[i] = 0;
    }
    return perProbeOf(this.byByte, P);
  }
}

function perProbeOf(byByte: Float64Array, P: number): Float64Array {
  const perProbe = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    const word = k >>> 5;
    const byte = (k & 31) >>> 3;
    const bit = 1 << (k & 7);
    const base = word * 1024 + byte * 256;
    for (let v = 0; v < 256; v++)
      if ((v & bit) !== 0) perProbe[k] = (perProbe[k] ?? 0) + (byByte[base + v] ?? 0);
  }
  return perProbe;
}

interface PassCounts {
  /** Weighted (src, dst, probe) connections per namespace cell. */
  readonly allowed: Float64Array;
  readonly perProbe: Float64Array;
}

/** Orders profiles by their NetworkPolicy tier, then by key. */
function byNpKey(a: Profile | undefined, b: Profile | undefined): number {
  const x = npKeyOf(a);
  const y = npKeyOf(b);
  if (x !== y) return x < y ? -1 : 1;
  const ka = a?.key ?? '';
  const kb = b?.key ?? '';
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Where `countPairs` adds a run of pairs (one word of probes): totals per cell and per probe. */
interface RunTotals {
  readonly totalT: Float64Array;
  readonly allowedYes: Float64Array;
  readonly allowedUnknown: Float64Array;
  readonly countsYes: ProbeCounts;
  readonly countsUnknown: ProbeCounts;
  readonly P: number;
}

/** Adds `weight` pairs of one cell whose sides surely allow `yes` and leave `unknown` open. */
function addRun(r: RunTotals, cell: number, yes: number, unknown: number, weight: number): void {
  if (weight === 0) return;
  r.totalT[cell] = (r.totalT[cell] ?? 0) + weight * r.P;
  if (yes !== 0) {
    r.allowedYes[cell] = (r.allowedYes[cell] ?? 0) + weight * popcount32(yes);
    r.countsYes.add(0, yes, weight);
  }
  if (unknown !== 0) {
    r.allowedUnknown[cell] = (r.allowedUnknown[cell] ?? 0) + weight * popcount32(unknown);
    r.countsUnknown.add(0, unknown, weight);
  }
}

/**
 * One loop over every pair of pod classes for both passes: weighted counts of the (src, dst, probe)
 * connections both sides surely allow (`yes`), and of those both sides possibly but not surely allow
 * (`unknown`; zero without uncertainty), per namespace cell and per probe. Pairs whose sides have the
 * same table in both passes add nothing unknown and skip the second mask. `total` receives the
 * connection counts per cell.
 */
function countPairs(
  ctx: SummaryContext,
  total: Float64Array,
): { readonly yes: PassCounts; readonly unknown: PassCounts; readonly pairs: number } {
  const { state, probes, classes, nsIndex, N, P } = ctx;
  const W = probes.words;
  const n = state.classes.classes.length;
  const uncertain = state.uncertain;
  const allowedYes = new Float64Array(N * N);
  const allowedUnknown = new Float64Array(N * N);
  const totalT = new Float64Array(N * N);
  const countsYes = new ProbeCounts(W);
  const countsUnknown = new ProbeCounts(W);
  let pairs = 0;
  /** Builds a side's two tables (`yes`, `maybe`) into `into`, aliasing them when they agree. */
  const build = (
    yesProfile: Profile | undefined,
    maybeProfile: Profile | undefined,
    into: { yes: Uint32Array; maybe: Uint32Array },
    slot?: NpTableSlot,
  ): boolean => {
    profileTable(state, yesProfile, probes, into.yes, n, false, slot);
    if (!uncertain || (yesProfile === maybeProfile && certainTable(yesProfile))) return true;
    profileTable(state, maybeProfile, probes, into.maybe, n, true, slot);
    for (let k = 0; k < n * W; k++) if (into.yes[k] !== into.maybe[k]) return false;
    return true;
  };
  const sides = (c: PodClass, direction: 'ingress' | 'egress') =>
    passProfiles(state, c, direction, uncertain);
  // Egress: one table per distinct pair of egress profiles, stored transposed (row d holds every
  // profile's probes towards destination d side by side), so the loop over sources for one destination
  // reads one short row instead of one word from each of hundreds of tables.
  const egressIndex = new Map<Profile | undefined, Map<Profile | undefined, number>>();
  const egressProfiles: { yes: Profile | undefined; maybe: Profile | undefined }[] = [];
  const srcSides = classes.map((c) => sides(c, 'egress'));
  for (const p of srcSides) {
    let byMaybe = egressIndex.get(p.yes);
    if (!byMaybe) egressIndex.set(p.yes, (byMaybe = new Map<Profile | undefined, number>()));
    if (!byMaybe.has(p.maybe)) {
      byMaybe.set(p.maybe, -1);
      egressProfiles.push(p);
    }
  }
  // By NetworkPolicy profile, so it and the tiered profiles over it come in a row (`NpTableSlot`).
  egressProfiles.sort((a, b) => byNpKey(a.yes, b.yes));
  egressProfiles.forEach((p, e) => egressIndex.get(p.yes)?.set(p.maybe, e));
  const srcProfile = Int32Array.from(srcSides, (p) => egressIndex.get(p.yes)?.get(p.maybe) ?? 0);
  // Many egress profiles give the same table (a Cilium chain that only reaches external addresses, a
  // NetworkPolicy split by named ports no destination uses): one column per distinct table.
  const yesTables = new DistinctTables(n * W);
  const maybeTables = new DistinctTables(n * W);
  const yesOf = new Int32Array(egressProfiles.length);
  // Profiles whose two tables differ read their "maybe" column in `egMaybe`; -1: read `egYes`.
  const maybeOf = new Int32Array(egressProfiles.length).fill(-1);
  const egressSlot = new NpTableSlot();
  const into = { yes: new Uint32Array(n * W), maybe: new Uint32Array(uncertain ? n * W : 0) };
  // Destinations where some egress profile's two tables differ: elsewhere every source's egress reads
  // the same surely and possibly, and a pair whose ingress agrees too adds nothing unknown. Marked
  // while both tables are at hand in row order (the side-by-side copies below are strided).
  const egressDiffers = new Uint8Array(n);
  egressProfiles.forEach((p, e) => {
    const same = build(p.yes, p.maybe, into, egressSlot);
    yesOf[e] = yesTables.add(into.yes);
    if (same) return;
    maybeOf[e] = maybeTables.add(into.maybe);
    for (let k = 0; k < n * W; k++) if (into.yes[k] !== into.maybe[k]) egressDiffers[(k / W) | 0] = 1;
  });
  const E = yesTables.tables.length;
  const egYes = sideBySide(yesTables.tables, n, W);
  const M = maybeTables.tables.length;
  const egMaybe = sideBySide(maybeTables.tables, n, W);
  const srcEgress = Int32Array.from(srcProfile, (e) => yesOf[e] ?? 0);
  // Ingress: destinations grouped by their pair of profiles, one reusable pair of tables over sources.
  const byIngress = new Map<
    string,
    { yes: Profile | undefined; maybe: Profile | undefined; dsts: PodClass[] }
  >();
  for (const d of classes) {
    const p = sides(d, 'ingress');
    const key = `${p.yes?.key ?? '\u0000'}\u0001${p.maybe?.key ?? '\u0000'}`;
    const group = byIngress.get(key);
    if (group && group.yes === p.yes && group.maybe === p.maybe) group.dsts.push(d);
    else if (!group) byIngress.set(key, { ...p, dsts: [d] });
    else byIngress.set(`${key}\u0002${d.id}`, { ...p, dsts: [d] });
  }
  const ingress = { yes: new Uint32Array(n * W), maybe: new Uint32Array(uncertain ? n * W : 0) };
  const count = classes.length;
  const srcNs = Int32Array.from(classes, (c) => nsIndex.get(c.namespace) ?? 0);
  const srcId = Int32Array.from(classes, (c) => c.id);
  const srcPods = Float64Array.from(classes, (c) => c.pods.size);
  const srcMaybe = Int32Array.from(srcProfile, (e) => maybeOf[e] ?? -1);
  // Tiered profiles over the same NetworkPolicy profile in a row, so its table is built once per pass.
  const slot = new NpTableSlot();
  const ordered = [...byIngress].sort(
    ([a, ga], [b, gb]) => byNpKey(ga.yes, gb.yes) || (a < b ? -1 : a > b ? 1 : 0),
  );
  // W === 1: consecutive pairs with the same cell and masks (sources of a namespace mostly read alike)
  // add up into one run, so a pair costs a comparison and the counts are written once per run.
  const runs: RunTotals = { totalT, allowedYes, allowedUnknown, countsYes, countsUnknown, P };
  let runCell = -1;
  let runYes = 0;
  let runUnknown = 0;
  let runWeight = 0;
  // W === 1: per source, the probes the group's ingress possibly but not surely allows (all zero when
  // its two tables agree). A pair whose egress reads alike in both passes leaves exactly
  // e ∧ (iM ∧ ¬iY) unknown (= e ∧ iM ∧ ¬(e ∧ iY)), so such pairs take the fast loop below even where
  // the ingress differs for some sources only (an L7 rule over peers another rule already allows).
  const inDelta = new Uint32Array(W === 1 ? n : 0);
  let deltaZero = true;
  for (const [, group] of ordered) {
    const same = build(group.yes, group.maybe, ingress, slot);
    const inYes = ingress.yes;
    const inMaybe = same ? ingress.yes : ingress.maybe;
    if (W === 1 && !same) {
      for (let k = 0; k < n; k++) inDelta[k] = (inMaybe[k] ?? 0) & ~(inYes[k] ?? 0);
      deltaZero = false;
    } else if (W === 1 && !deltaZero) {
      inDelta.fill(0);
      deltaZero = true;
    }
    for (const d of group.dsts) {
      const dn = d.pods.size;
      const dNs = nsIndex.get(d.namespace) ?? 0;
      const eRow = d.id * E;
      const mRow = d.id * M;
      // No source's egress differs here: only the ingress side can leave a pair unknown.
      const egressSame = egressDiffers[d.id] === 0;
      // Cells by destination namespace first (transposed at the end): this loop walks one row.
      const cellRow = dNs * N;
      if (W === 1 && egressSame) {
        for (let si = 0; si < count; si++) {
          const sn = srcPods[si] ?? 0;
          const w = srcId[si] === d.id ? dn * (dn - 1) : sn * dn;
          if (w === 0) continue;
          const cell = cellRow + (srcNs[si] ?? 0);
          pairs += w;
          const e = egYes[eRow + (srcEgress[si] ?? 0)] ?? 0;
          const s = srcId[si] ?? 0;
          const m = e & (inYes[s] ?? 0);
          const x = e & (inDelta[s] ?? 0);
          if (cell === runCell && m === runYes && x === runUnknown) runWeight += w;
          else {
            addRun(runs, runCell, runYes, runUnknown, runWeight);
            runCell = cell;
            runYes = m | 0;
            runUnknown = x | 0;
            runWeight = w;
          }
        }
        continue;
      }
      for (let si = 0; si < count; si++) {
        const sn = srcPods[si] ?? 0;
        const w = srcId[si] === d.id ? dn * (dn - 1) : sn * dn;
        if (w === 0) continue;
        const cell = cellRow + (srcNs[si] ?? 0);
        pairs += w;
        const sRow = (srcId[si] ?? 0) * W;
        const eAt = (eRow + (srcEgress[si] ?? 0)) * W;
        const mCol = egressSame ? -1 : (srcMaybe[si] ?? -1);
        const both = same && mCol < 0;
        const mAt = mCol < 0 ? eAt : (mRow + mCol) * W;
        const mFrom = mCol < 0 ? egYes : egMaybe;
        if (W === 1) {
          // One word per row (up to 32 probes, the common case): the same steps without the word loop.
          const m = (egYes[eAt] ?? 0) & (inYes[sRow] ?? 0);
          const x = both ? 0 : (mFrom[mAt] ?? 0) & (inMaybe[sRow] ?? 0) & ~m;
          if (cell === runCell && m === runYes && x === runUnknown) runWeight += w;
          else {
            addRun(runs, runCell, runYes, runUnknown, runWeight);
            runCell = cell;
            runYes = m | 0;
            runUnknown = x | 0;
            runWeight = w;
          }
          continue;
        }
        totalT[cell] = (totalT[cell] ?? 0) + w * P;
        let bits = 0;
        let unknownBits = 0;
        for (let i = 0; i < W; i++) {
          const m = (egYes[eAt + i] ?? 0) & (inYes[sRow + i] ?? 0);
          if (m !== 0) {
            bits += popcount32(m);
            countsYes.add(i, m | 0, w);
          }
          if (both) continue;
          const x = (mFrom[mAt + i] ?? 0) & (inMaybe[sRow + i] ?? 0) & ~m;
          if (x !== 0) {
            unknownBits += popcount32(x);
            countsUnknown.add(i, x | 0, w);
          }
        }
        if (bits !== 0) allowedYes[cell] = (allowedYes[cell] ?? 0) + w * bits;
        if (unknownBits !== 0) allowedUnknown[cell] = (allowedUnknown[cell] ?? 0) + w * unknownBits;
      }
    }
  }
  addRun(runs, runCell, runYes, runUnknown, runWeight);
  const byCell = (t: Float64Array): Float64Array => {
    const out = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) out[i * N + j] = t[j * N + i] ?? 0;
    return out;
  };
  total.set(byCell(totalT));
  return {
    yes: { allowed: byCell(allowedYes), perProbe: countsYes.perProbe(P) },
    unknown: { allowed: byCell(allowedUnknown), perProbe: countsUnknown.perProbe(P) },
    pairs,
  };
}

export function summary(state: EvalState): ClusterSummary {
  const u = universe(state);
  const probes = new ProbeSet(state, u.ports);
  const classes = state.classes.classes.filter((c) => c.pods.size > 0);
  const namespaces = [...state.namespaces.keys()].sort();
  const nsIndex = new Map(namespaces.map((ns, i) => [ns, i]));
  const N = namespaces.length;
  const P = u.ports.length;
  const ctx: SummaryContext = { state, probes, classes, nsIndex, N, P };
  const total = new Float64Array(N * N);
  // Partial visibility or open rules: unknown = possibly allowed − surely allowed (yes ⊆ maybe).
  const { yes, unknown: open, pairs } = countPairs(ctx, total);
  const matrix: NamespaceCell[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const a = yes.allowed[i * N + j] ?? 0;
      const unknown = open.allowed[i * N + j] ?? 0;
      const t = total[i * N + j] ?? 0;
      matrix.push({
        from: namespaces[i] ?? '',
        to: namespaces[j] ?? '',
        coverage: coverage(a, unknown, t),
        allowed: a,
        unknown,
        total: t,
      });
    }
  }
  let ingressIsolated = 0;
  let egressIsolated = 0;
  let hostNetwork = 0;
  let ingressUnknown = 0;
  let egressUnknown = 0;
  for (const c of classes) {
    // A NetworkPolicy, a Cilium rule with default deny or a Calico policy in a denying tier isolates.
    const calico = (d: Direction) =>
      state.calico?.applies(c.id, d) ? state.calicoIsolating(c.id, d) : undefined;
    const calicoIn = calico('ingress');
    const calicoEg = calico('egress');
    const ingress =
      state.ingressProfile[c.id] !== undefined ||
      state.ciliumIsolates(c.id, 'ingress') ||
      (calicoIn?.sure.length ?? 0) > 0;
    const egress =
      state.egressProfile[c.id] !== undefined ||
      state.ciliumIsolates(c.id, 'egress') ||
      (calicoEg?.sure.length ?? 0) > 0;
    if (ingress) ingressIsolated += c.pods.size;
    if (egress) egressIsolated += c.pods.size;
    if (c.hostNetwork) hostNetwork += c.pods.size;
    else {
      const hidden = state.view.uncertain && state.view.policiesHidden(c.namespace);
      if (!ingress && (hidden || (calicoIn?.maybe.length ?? 0) > 0)) ingressUnknown += c.pods.size;
      if (!egress && (hidden || (calicoEg?.maybe.length ?? 0) > 0)) egressUnknown += c.pods.size;
    }
  }
  const visibility = state.view.visibility;
  return {
    stats: stats(state),
    isolated: { ingress: ingressIsolated, egress: egressIsolated, hostNetwork },
    isolatedUnknown: { ingress: ingressUnknown, egress: egressUnknown },
    partial: state.view.partial,
    ...(visibility ? { visibility } : {}),
    universe: u,
    namespaces,
    matrix,
    allowedPodPairs: u.ports.map((probe, k) => {
      const allowed = yes.perProbe[k] ?? 0;
      return { probe, allowed, unknown: open.perProbe[k] ?? 0, total: pairs };
    }),
  };
}
