/**
 * Selection edges stay readable zoomed out. Edge widths and label sizes are in model units, so the
 * fitted view of a 500-namespace cluster (zoom ≈ 0.25) draws them as faint hairlines with labels too
 * small to show. Below `EDGE_ZOOM` the overlay's edges (a few dozen at most) are thickened and their
 * labels enlarged by `EDGE_ZOOM / zoom`, so on screen they keep the size they have at that zoom; an
 * edge standing for many pairs is drawn thicker by the count (`pairs`, overlay.ts).
 */
import type { Core, EdgeSingular } from 'cytoscape';

export const EDGE_ZOOM = 0.8;
const BASE = '_netglassEdgeBase';

interface Base {
  readonly width: number;
  readonly font: number;
}

/** How many times thicker an edge standing for `pairs` pairs is drawn: 1 for one, ~3 for hundreds. */
export function pairWeight(pairs: number): number {
  return pairs <= 1 ? 1 : Math.min(3, 1 + Math.log10(pairs));
}

/** The width and font size an overlay edge gets at `zoom`, from those its style gives it. */
export function edgeSizeAt(base: Base, pairs: number, zoom: number): { width: number; font: number } {
  const scale = Math.max(1, EDGE_ZOOM / Math.max(zoom, 0.01));
  return { width: base.width * pairWeight(pairs) * scale, font: base.font * scale };
}

/** Applies `edgeSizeAt` to the overlay's edges (style bypasses on a few dozen edges: cheap). */
export function applyEdgeZoom(cy: Core): void {
  const edges = cy.edges('.overlay');
  if (edges.empty()) return;
  const zoom = cy.zoom();
  cy.batch(() => {
    edges.forEach((edge: EdgeSingular) => {
      let base = edge.scratch(BASE) as Base | undefined;
      if (base === undefined) {
        base = { width: Number(edge.numericStyle('width')), font: Number(edge.numericStyle('font-size')) };
        edge.scratch(BASE, base);
      }
      const pairs = Number(edge.data('pairs') ?? 1);
      const size = edgeSizeAt(base, pairs, zoom);
      edge.style({ width: size.width, 'font-size': size.font });
    });
  });
}
