/**
 * Truth tables of any size, for streaming: instead of the `peers² × ports` cells of `reach`, the cells
 * between groups of peers that no policy tells apart (pods of one evaluator class, addresses of one
 * ipBlock atom). Every cell of the full table is one lookup here, so a caller can write millions of
 * rows while holding a bounded cache of group rows (never one object per pair, which is what makes
 * `reach` itself run out of memory past some thousands of classes); and the groups themselves are the
 * compact form of a whole-cluster table. The cells are computed from the same side masks as `reach`
 * (query.ts), encoded the same way, so they are the very bits `Analyzer.reach` gives (unit tests
 * compare them on every conformance case).
 */
import type { Snapshot } from '../model/snapshot.ts';
import { checkPort, peerEntity } from './explain.ts';
import { egressMasks, ingressMasks, ProbeSet, type Entity } from './query.ts';
import { calicoInput, EvalState } from './state.ts';
import { encodeCells } from './bulk.ts';
import type { Peer, PortProbe } from './types.ts';
import { mentionedPorts, universe } from './universe.ts';

export interface GroupedReach {
  readonly peers: readonly Peer[];
  readonly ports: readonly PortProbe[];
  /** The group of each peer (by index in `peers`); groups are numbered in order of their first peer. */
  readonly groupOf: Int32Array;
  readonly groupCount: number;
  /**
   * The cell bits (`CELL_*`) from any peer of group `from` to any other peer of group `to` on port
   * `port`; 0 when there is no such pair (a one-peer group with itself, address to address).
   */
  cell(from: number, to: number, port: number): number;
  /** The cell bits between two peers (indexes in `peers`); 0 for a peer with itself. */
  peerCell(from: number, to: number, port: number): number;
}

export interface ReachSource {
  /** As `Analyzer.mentionedPorts`. */
  mentionedPorts(): readonly PortProbe[];
  /** As `Analyzer.universe().ports`. */
  universePorts(): readonly PortProbe[];
  /** Throws `AnalysisError` for an unknown pod, a bad address or port. */
  grouped(peers: readonly Peer[], ports: readonly PortProbe[]): GroupedReach;
}

export function createReachSource(snapshot: Snapshot): ReachSource {
  const state = new EvalState(
    snapshot.namespaces,
    snapshot.pods,
    snapshot.policies,
    snapshot.visibility,
    snapshot.clusterPolicies,
    snapshot.ciliumPolicies,
    calicoInput(snapshot),
    snapshot.cni,
  );
  return {
    mentionedPorts: () => mentionedPorts(state),
    universePorts: () => universe(state).ports,
    grouped: (peers, ports) => groupedReach(state, peers, ports),
  };
}

/** Bytes of group-table rows kept at once; rows beyond it are recomputed when asked for again. */
const ROW_CACHE_BYTES = 64 << 20;

function groupedReach(state: EvalState, peers: readonly Peer[], ports: readonly PortProbe[]): GroupedReach {
  for (const p of ports) checkPort(p.protocol, p.port);
  const groupOf = new Int32Array(peers.length);
  const byEntity = new Map<Entity, number>();
  const entity: Entity[] = [];
  /** Whether a group has two peers or more (else it has no pair with itself). */
  const several: boolean[] = [];
  peers.forEach((peer, i) => {
    const e = peerEntity(state, peer);
    let g = byEntity.get(e);
    if (g === undefined) {
      g = entity.length;
      byEntity.set(e, g);
      entity.push(e);
      several.push(false);
    } else several[g] = true;
    groupOf[i] = g;
  });
  const G = entity.length;
  const m = ports.length;
  const probes = new ProbeSet(state, ports);

  /** Cells from group `a` to every group, `[b * m + port]`: each group pair's masks computed once per row. */
  const computeRow = (a: number): Uint8Array => {
    const row = new Uint8Array(G * m);
    const src = entity[a] ?? 0;
    for (let b = 0; b < G; b++) {
      const dst = entity[b] ?? 0;
      if ((a === b && !several[a]) || (src < 0 && dst < 0)) continue;
      const e = egressMasks(state, src, dst, probes);
      const i = ingressMasks(state, dst, src, probes);
      encodeCells(row, b * m, m, e.yes, i.yes, e.maybe, i.maybe);
    }
    return row;
  };
  // Rows are computed when first asked for and kept up to ROW_CACHE_BYTES (oldest dropped first):
  // memory stays bounded whatever the number of groups, and callers walking sources in order reuse
  // each row for every peer of its group.
  const maxRows = Math.max(4, Math.floor(ROW_CACHE_BYTES / Math.max(1, G * m)));
  const rows = new Map<number, Uint8Array>();
  let lastGroup = -1;
  let lastRow: Uint8Array = new Uint8Array(0);
  const rowOf = (a: number): Uint8Array => {
    if (a === lastGroup) return lastRow;
    let row = rows.get(a);
    if (row === undefined) {
      row = computeRow(a);
      if (rows.size >= maxRows) {
        const oldest = rows.keys().next();
        if (!oldest.done) rows.delete(oldest.value);
      }
      rows.set(a, row);
    }
    lastGroup = a;
    lastRow = row;
    return row;
  };
  const cell = (from: number, to: number, port: number): number => rowOf(from)[to * m + port] ?? 0;
  return {
    peers,
    ports,
    groupOf,
    groupCount: G,
    cell,
    peerCell: (from, to, port) => (from === to ? 0 : cell(groupOf[from] ?? 0, groupOf[to] ?? 0, port)),
  };
}
