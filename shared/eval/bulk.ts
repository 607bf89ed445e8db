/**
 * Truth tables and the cluster summary, computed per class pair (each pair once, whatever its pod
 * count) and expanded to peers or weighted by pod counts. Cost O(classes² × profile groups × probes/32).
 * With partial visibility (visibility.ts) each side also has a "maybe" mask; the summary then makes a
 * second pass over the "maybe" tables and counts unknown = maybe − yes.
 */
import { popcount32, type Bitset } from './bitset.ts';
import { NpTableSlot, profileTable } from './tables.ts';
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
  };
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

/** Which profile stands for a side in a pass: the class's own, or (partial visibility) its yes/maybe one. */
function passProfile(
  state: EvalState,
  c: PodClass,
  direction: 'ingress' | 'egress',
  maybe: boolean,
): Profile | undefined {
  if (!state.uncertain) return state.side(c.id, direction);
  const visible = direction === 'ingress' ? state.ingressProfile[c.id] : state.egressProfile[c.id];
  const both = state.sideProfiles(c.id, direction, visible);
  return maybe ? both.maybe : both.yes;
}

/**
 * One pass over every pair of pod classes: weighted counts of the (src, dst, probe) connections both
 * sides allow, per namespace cell and per probe. `maybe`: count those both sides possibly allow.
 * `total` receives the connection counts per cell.
 */
function countPass(
  ctx: SummaryContext,
  maybe: boolean,
  total: Float64Array,
): { readonly allowed: Float64Array; readonly perProbe: Float64Array; readonly pairs: number } {
  const { state, probes, classes, nsIndex, N, P } = ctx;
  const W = probes.words;
  const n = state.classes.classes.length;
  const allowed = new Float64Array(N * N);
  // Per-probe pair counts, accumulated per byte of the mask so the pair loop stays O(words).
  const byByte = new Float64Array(W * 4 * 256);
  let pairs = 0;
  // Egress: one table per egress profile, over destination classes.
  const egressTables = new Map<Profile, Uint32Array>();
  const srcEgress = classes.map((c) => {
    const p = passProfile(state, c, 'egress', maybe);
    if (!p) return undefined;
    let t = egressTables.get(p);
    if (!t) {
      t = new Uint32Array(n * W);
      profileTable(state, p, probes, t, n, maybe);
      egressTables.set(p, t);
    }
    return t;
  });
  // Ingress: destinations grouped by profile, one reusable table over source classes.
  const byIngress = new Map<Profile | undefined, PodClass[]>();
  for (const d of classes) {
    const p = passProfile(state, d, 'ingress', maybe);
    const list = byIngress.get(p);
    if (list) list.push(d);
    else byIngress.set(p, [d]);
  }
  const ingressTable = new Uint32Array(n * W);
  const srcNs = classes.map((c) => nsIndex.get(c.namespace) ?? 0);
  // Tiered profiles over the same NetworkPolicy profile in a row, so its table is built once.
  const slot = new NpTableSlot();
  const ordered = [...byIngress].sort(([a], [b]) => {
    const ka = a?.key ?? '';
    const kb = b?.key ?? '';
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const [profile, dsts] of ordered) {
    profileTable(state, profile, probes, ingressTable, n, maybe, slot);
    for (const d of dsts) {
      const dn = d.pods.size;
      const dNs = nsIndex.get(d.namespace) ?? 0;
      for (let si = 0; si < classes.length; si++) {
        const s = classes[si] as PodClass;
        const w = s === d ? dn * (dn - 1) : s.pods.size * dn;
        if (w === 0) continue;
        const cell = (srcNs[si] ?? 0) * N + dNs;
        pairs += w;
        total[cell] = (total[cell] ?? 0) + w * P;
        const eg = srcEgress[si];
        let bits = 0;
        for (let i = 0; i < W; i++) {
          const m = (eg ? (eg[d.id * W + i] ?? 0) : (probes.all[i] ?? 0)) & (ingressTable[s.id * W + i] ?? 0);
          if (m === 0) continue;
          bits += popcount32(m);
          const base = i * 1024;
          addAt(byByte, base + (m & 255), w);
          addAt(byByte, base + 256 + ((m >>> 8) & 255), w);
          addAt(byByte, base + 512 + ((m >>> 16) & 255), w);
          addAt(byByte, base + 768 + (m >>> 24), w);
        }
        if (bits !== 0) allowed[cell] = (allowed[cell] ?? 0) + w * bits;
      }
    }
  }
  const perProbe = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    const word = k >>> 5;
    const byte = (k & 31) >>> 3;
    const bit = 1 << (k & 7);
    const base = word * 1024 + byte * 256;
    for (let v = 0; v < 256; v++)
      if ((v & bit) !== 0) perProbe[k] = (perProbe[k] ?? 0) + (byByte[base + v] ?? 0);
  }
  return { allowed, perProbe, pairs };
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
  const yes = countPass(ctx, false, total);
  // Partial visibility: unknown = possibly allowed − surely allowed (yes ⊆ maybe, cell by cell).
  const maybe = state.uncertain ? countPass(ctx, true, new Float64Array(N * N)) : yes;
  const matrix: NamespaceCell[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const a = yes.allowed[i * N + j] ?? 0;
      const unknown = (maybe.allowed[i * N + j] ?? 0) - a;
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
    // A NetworkPolicy or a Cilium rule with default deny isolates.
    const ingress = state.ingressProfile[c.id] !== undefined || state.ciliumIsolates(c.id, 'ingress');
    const egress = state.egressProfile[c.id] !== undefined || state.ciliumIsolates(c.id, 'egress');
    if (ingress) ingressIsolated += c.pods.size;
    if (egress) egressIsolated += c.pods.size;
    if (c.hostNetwork) hostNetwork += c.pods.size;
    else if (state.view.uncertain && state.view.policiesHidden(c.namespace)) {
      if (!ingress) ingressUnknown += c.pods.size;
      if (!egress) egressUnknown += c.pods.size;
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
      return { probe, allowed, unknown: (maybe.perProbe[k] ?? 0) - allowed, total: yes.pairs };
    }),
  };
}
