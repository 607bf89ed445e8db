/**
 * A canvas above cytoscape's that shows a selection's first frame on big graphs.
 *
 * On a big graph every change to cytoscape's elements costs a full redraw of its canvas (tens of
 * milliseconds per frame under software raster, more while the analysis worker computes the answer
 * on the other core). The first thing a selection shows, its subjects ringed and the rest dimmed,
 * needs none of that: this layer paints a scrim over the graph with holes and rings at the subjects'
 * rendered boxes, which costs a fill and a few strokes. Cytoscape gets the selection once, with its
 * full answer (edges, veil, marks), and the layer is cleared in the frame that draws it.
 */
import type { Core } from 'cytoscape';

export interface HighlightColors {
  /** Paints the scrim (at `SCRIM_ALPHA`): the graph's own background colour, as the veil does. */
  readonly scrim: string;
  readonly ring: string;
}

/** As opaque as the veil node (style.ts, `node.veil`), so the hand-over is not seen. */
export const SCRIM_ALPHA = 0.74;
/** Space between a subject and its ring, in model units (the `subject` underlay's padding). */
const RING_PADDING = 5;
/** The smallest ring drawn, in pixels. */
const MIN_RING = 14;

export interface HighlightLayer {
  /** Rings `subjects` (node ids; those not on the canvas are skipped) and, with `dim`, veils the rest. */
  show(subjects: Iterable<string>, dim: boolean, colors: HighlightColors): void;
  clear(): void;
  /** Whether something is drawn. */
  readonly active: boolean;
  dispose(): void;
}

export function createHighlightLayer(canvas: HTMLCanvasElement, cy: Core, pixelRatio = 1): HighlightLayer {
  let shown: { subjects: readonly string[]; dim: boolean; colors: HighlightColors } | undefined;
  const context = canvas.getContext('2d');

  const draw = (): void => {
    if (context === null) return;
    const width = cy.width();
    const height = cy.height();
    const w = Math.round(width * pixelRatio);
    const h = Math.round(height * pixelRatio);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
    context.clearRect(0, 0, width, height);
    if (shown === undefined) return;
    const pad = Math.max(2, RING_PADDING * cy.zoom());
    const boxes: { x: number; y: number; w: number; h: number }[] = [];
    for (const id of shown.subjects) {
      const node = cy.getElementById(id);
      if (node.empty() || !node.visible()) continue;
      const b = node.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
      if (b.x2 < 0 || b.y2 < 0 || b.x1 > width || b.y1 > height) continue;
      // Zoomed far out a subject is a few pixels wide: its ring stays big enough to find.
      const w = Math.max(b.w + 2 * pad, MIN_RING);
      const h = Math.max(b.h + 2 * pad, MIN_RING);
      boxes.push({ x: (b.x1 + b.x2 - w) / 2, y: (b.y1 + b.y2 - h) / 2, w, h });
    }
    if (shown.dim) {
      context.globalAlpha = SCRIM_ALPHA;
      context.fillStyle = shown.colors.scrim;
      context.fillRect(0, 0, width, height);
      context.globalAlpha = 1;
      for (const b of boxes) context.clearRect(b.x, b.y, b.w, b.h);
    }
    context.strokeStyle = shown.colors.ring;
    context.lineWidth = 2;
    for (const b of boxes) {
      context.beginPath();
      context.roundRect(b.x, b.y, b.w, b.h, Math.min(6, b.w / 4, b.h / 4));
      context.stroke();
    }
  };

  // Pan, zoom and resize move the subjects: follow them while something is shown.
  const follow = (): void => {
    if (shown !== undefined) draw();
  };
  cy.on('viewport resize', follow);

  return {
    show(subjects, dim, colors) {
      shown = { subjects: [...subjects], dim, colors };
      draw();
    },
    clear() {
      if (shown === undefined) return;
      shown = undefined;
      draw();
    },
    get active() {
      return shown !== undefined;
    },
    dispose() {
      cy.off('viewport resize', follow);
      shown = undefined;
    },
  };
}
