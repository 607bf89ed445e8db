/**
 * Truth tables and the cluster summary, computed per class pair (each pair once, whatever its pod
 * count) and expanded to peers or weighted by pod counts. Cost O(classes² × profile groups × probes/32).
 */
import { forEachBit, newBitset, popcount32, type Bitset } from './bitset.ts';
import type { Profile } from './profile.ts';
import { peerEntity } from './explain.ts';
import { egressMask, ingressMask, profileMask, ProbeSet, type Entity } from './query.ts';
import type { EvalState } from './state.ts';
import { universe } from './universe.ts';
import {
  CELL_ALLOWED,
  CELL_EGRESS_ALLOWS,
  CELL_INGRESS_ALLOWS,
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

/** Per pair of endpoints: the probes each side allows, memoized across peers of the same class. */
export class PairMasks {
  readonly #memo = new Map<number, { egress: Bitset; ingress: Bitset }>();
  readonly #state: EvalState;
  readonly probes: ProbeSet;

  constructor(state: EvalState, probes: ProbeSet) {
    this.#state = state;
    this.probes = probes;
  }

  get(src: Entity, dst: Entity): { egress: Bitset; ingress: Bitset } {
    const key = pairKey(src, dst);
    let m = this.#memo.get(key);
    if (!m) {
      m = {
        egress: egressMask(this.#state, src, dst, this.probes),
        ingress: ingressMask(this.#state, dst, src, this.probes),
      };
      this.#memo.set(key, m);
    }
    return m;
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
      const { egress, ingress } = masks.get(a, b);
      const base = (i * n + j) * m;
      for (let k = 0; k < m; k++) {
        const bit = 1 << (k & 31);
        const e = ((egress[k >>> 5] ?? 0) & bit) !== 0;
        const g = ((ingress[k >>> 5] ?? 0) & bit) !== 0;
        cells[base + k] =
          (e && g ? CELL_ALLOWED : 0) | (e ? CELL_EGRESS_ALLOWS : 0) | (g ? CELL_INGRESS_ALLOWS : 0);
      }
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
  };
}

function coverage(allowed: number, total: number): Coverage {
  if (total === 0) return 'empty';
  if (allowed === 0) return 'none';
  return allowed === total ? 'all' : 'some';
}

/**
 * Fills `table[c * words ..]` with the probes `profile` allows for peer class c, by walking each
 * group's set bits once: O(bits set in the profile's groups), not O(classes × groups).
 */
function profileTable(
  state: EvalState,
  profile: Profile | undefined,
  probes: ProbeSet,
  table: Uint32Array,
  n: number,
): void {
  const W = probes.words;
  if (!profile) {
    for (let c = 0; c < n; c++) for (let i = 0; i < W; i++) table[c * W + i] = probes.all[i] ?? 0;
    return;
  }
  table.fill(0, 0, n * W);
  for (const g of profile.groups) {
    const m = probes.maskOf(g.ports);
    forEachBit(g.classes, (c) => {
      if (c >= n) return;
      for (let i = 0; i < W; i++) table[c * W + i] = (table[c * W + i] ?? 0) | (m[i] ?? 0);
    });
  }
  if (profile.named.length === 0) return;
  const tmp = newBitset(W);
  for (let c = 0; c < n; c++) {
    tmp.fill(0);
    profileMask(state, { ...profile, groups: [] }, c, probes, tmp);
    for (let i = 0; i < W; i++) table[c * W + i] = (table[c * W + i] ?? 0) | (tmp[i] ?? 0);
  }
}

function addAt(a: Float64Array, i: number, w: number): void {
  a[i] = (a[i] ?? 0) + w;
}

export function summary(state: EvalState): ClusterSummary {
  const u = universe(state);
  const probes = new ProbeSet(state, u.ports);
  const W = probes.words;
  const n = state.classes.classes.length;
  const classes = state.classes.classes.filter((c) => c.pods.size > 0);
  const namespaces = [...state.namespaces.keys()].sort();
  const nsIndex = new Map(namespaces.map((ns, i) => [ns, i]));
  const N = namespaces.length;
  const allowed = new Float64Array(N * N);
  const total = new Float64Array(N * N);
  const P = u.ports.length;
  // Per-probe pair counts, accumulated per byte of the mask so the pair loop stays O(words).
  const byByte = new Float64Array(W * 4 * 256);
  let pairs = 0;
  // Egress: one table per egress profile, over destination classes.
  const egressTables = new Map<Profile, Uint32Array>();
  for (const c of classes) {
    const p = state.egressProfile[c.id];
    if (p && !egressTables.has(p)) {
      const t = new Uint32Array(n * W);
      profileTable(state, p, probes, t, n);
      egressTables.set(p, t);
    }
  }
  // Ingress: destinations grouped by profile, one reusable table over source classes.
  const byIngress = new Map<Profile | undefined, typeof classes>();
  for (const d of classes) {
    const p = state.ingressProfile[d.id];
    byIngress.set(p, [...(byIngress.get(p) ?? []), d]);
  }
  const ingressTable = new Uint32Array(n * W);
  const srcNs = classes.map((c) => nsIndex.get(c.namespace) ?? 0);
  const srcEgress = classes.map((c) => {
    const p = state.egressProfile[c.id];
    return p ? egressTables.get(p) : undefined;
  });
  for (const [profile, dsts] of byIngress) {
    profileTable(state, profile, probes, ingressTable, n);
    for (const d of dsts) {
      const dn = d.pods.size;
      const dNs = nsIndex.get(d.namespace) ?? 0;
      for (let si = 0; si < classes.length; si++) {
        const s = classes[si] as (typeof classes)[number];
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
  const matrix: NamespaceCell[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const a = allowed[i * N + j] ?? 0;
      const t = total[i * N + j] ?? 0;
      matrix.push({
        from: namespaces[i] ?? '',
        to: namespaces[j] ?? '',
        coverage: coverage(a, t),
        allowed: a,
        total: t,
      });
    }
  }
  let ingressIsolated = 0;
  let egressIsolated = 0;
  let hostNetwork = 0;
  for (const c of classes) {
    if (state.ingressProfile[c.id]) ingressIsolated += c.pods.size;
    if (state.egressProfile[c.id]) egressIsolated += c.pods.size;
    if (c.hostNetwork) hostNetwork += c.pods.size;
  }
  return {
    stats: stats(state),
    isolated: { ingress: ingressIsolated, egress: egressIsolated, hostNetwork },
    universe: u,
    namespaces,
    matrix,
    allowedPodPairs: u.ports.map((probe, k) => ({ probe, allowed: perProbe[k] ?? 0, total: pairs })),
  };
}
