/**
 * The flows layer of the graph: every listed finding of the imported flows becomes a connection from
 * each pod or address its source stands for to each of its destination's, classed by verdict
 * (contradictions in their own colour), weighted by the connections seen, and merged like any overlay
 * (graph/overlay.ts). Edge width grows with the volume (`vol-1`..`vol-4`). Pure.
 */
import type { FindingStatus } from '../../../shared/flows/index.ts';
import type { FlowFindingView, FlowsView } from '../analysis/flows.ts';
import type { GraphModel } from '../graph/elements.ts';
import {
  buildOverlay,
  type EdgeClass,
  type Overlay,
  type OverlayConnection,
  type PortContext,
} from '../graph/overlay.ts';

export function findingClass(f: FlowFindingView): EdgeClass {
  if (f.status === 'contradiction') return 'contradiction';
  if (f.status === 'audit') return 'audit';
  return f.observed === 'allowed' ? 'seen' : 'seen-denied';
}

/** 1 for a handful of connections, one more per tenfold, at most 4. */
export function volumeClass(volume: number): string {
  return `vol-${Math.max(1, Math.min(4, 1 + Math.floor(Math.log10(Math.max(1, volume)))))}`;
}

export function flowsOverlay(
  view: FlowsView,
  statuses: readonly FindingStatus[],
  graph: GraphModel,
  ctx: PortContext,
): Overlay {
  const conns: OverlayConnection[] = [];
  for (const f of view.findings) {
    if (!statuses.includes(f.status)) continue;
    const cls = findingClass(f);
    // A flow between aggregates weighs its count once, shared over the pairs it stands for.
    const pairs = f.src.peers.length * f.dst.peers.length;
    for (const from of f.src.peers)
      for (const to of f.dst.peers)
        conns.push({
          from,
          to,
          cls,
          probe: { protocol: f.protocol, port: f.port },
          weight: pairs > 0 ? f.count / pairs : f.count,
        });
  }
  const overlay = buildOverlay(conns, graph, ctx, { maxEdges: 80 });
  const edges = overlay.edges.map((e) => {
    const data = e.data as { volume?: number; title?: string; label?: string };
    const volume = Math.round(data.volume ?? 1);
    const seen = `${volume.toLocaleString('en-US')} seen`;
    const base = Array.isArray(e.classes) ? e.classes.join(' ') : (e.classes ?? '');
    return {
      ...e,
      data: {
        ...e.data,
        volume,
        title: `${data.title ?? ''} · ${seen}`,
        ...(data.label !== undefined && data.label !== '' ? { label: `${data.label} · ${seen}` } : {}),
      },
      classes: `${base} flow ${volumeClass(volume)}`,
    };
  });
  return { ...overlay, edges };
}
