/**
 * Zoom to the selection: where the viewport goes to bring what a selection concerns into view, and
 * the (animated) move there.
 */
import type { Core } from 'cytoscape';
import { VEIL_MIN_NODES } from './apply-overlay.ts';

/**
 * Where the viewport should go to show `nodes`: their box fitted with a margin, no closer than a
 * readable maximum. `undefined` when they are in view already and a fit would not bring them much
 * closer (less than 1.3 times the zoom).
 */
export function revealTarget(
  viewport: {
    readonly width: number;
    readonly height: number;
    readonly zoom: number;
    readonly pan: { x: number; y: number };
  },
  focusBox: { readonly x1: number; readonly y1: number; readonly w: number; readonly h: number },
  options: {
    readonly padding?: number;
    readonly maxZoom?: number;
    readonly minZoom?: number;
    readonly force?: boolean;
    readonly minBox?: { readonly w: number; readonly h: number };
  } = {},
): { zoom: number; pan: { x: number; y: number } } | undefined {
  const padding = options.padding ?? 56;
  const maxZoom = options.maxZoom ?? 1.25;
  const { width, height, zoom, pan } = viewport;
  // One node alone is shown with some of its surroundings, not blown up to fill the canvas.
  let box = focusBox;
  const minW = options.minBox?.w ?? 520;
  const minH = options.minBox?.h ?? 360;
  if (box.w < minW || box.h < minH) {
    const w = Math.max(box.w, minW);
    const h = Math.max(box.h, minH);
    box = { x1: box.x1 - (w - box.w) / 2, y1: box.y1 - (h - box.h) / 2, w, h };
  }
  if (width <= 0 || height <= 0 || !Number.isFinite(box.w) || !Number.isFinite(box.h)) return undefined;
  const x1 = box.x1 * zoom + pan.x;
  const y1 = box.y1 * zoom + pan.y;
  const x2 = x1 + box.w * zoom;
  const y2 = y1 + box.h * zoom;
  const inside = x1 >= 0 && y1 >= 0 && x2 <= width && y2 <= height;
  const fit = Math.min(
    maxZoom,
    (width - 2 * padding) / Math.max(box.w, 1),
    (height - 2 * padding) / Math.max(box.h, 1),
  );
  const target = Math.max(fit, options.minZoom ?? 0);
  // Already in view and fitting it would bring it less than a third closer: the view stays put.
  if (inside && target <= zoom * 1.3 && options.force !== true) return undefined;
  return {
    zoom: target,
    pan: { x: width / 2 - (box.x1 + box.w / 2) * target, y: height / 2 - (box.y1 + box.h / 2) * target },
  };
}

/**
 * Brings the nodes a selection concerns into view (animated fit to their box) when they are outside
 * it or too small to read. `animate: false` jumps (tests, and a resize on a big graph).
 */
export function revealFocus(cy: Core, focus: ReadonlySet<string>, animate = true): void {
  if (focus.size === 0 || cy.width() === 0) return;
  const nodes = cy.nodes().filter((n) => focus.has(n.id()));
  if (nodes.empty()) return;
  revealBox(cy, nodes.boundingBox({ includeLabels: true }), animate);
}

/** The part of the graph on screen (model coordinates), or `undefined` when none of it is. */
export function visibleContent(cy: Core): Box | undefined {
  if (cy.width() === 0 || cy.height() === 0) return undefined;
  const all = cy.elements().boundingBox({ includeLabels: true });
  const view = cy.extent();
  const x1 = Math.max(all.x1, view.x1);
  const y1 = Math.max(all.y1, view.y1);
  const x2 = Math.min(all.x2, view.x2);
  const y2 = Math.min(all.y2, view.y2);
  if (!(x2 > x1 && y2 > y1)) return undefined;
  return { x1, y1, w: x2 - x1, h: y2 - y1 };
}

interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Brings a box of the graph (model coordinates) into view, as `revealFocus` does for nodes;
 * `maxZoom` caps how close it may go (a resize keeping what was on screen never zooms in).
 */
export function revealBox(cy: Core, box: Box, animate = true, maxZoom?: number): void {
  if (cy.width() === 0) return;
  const target = revealTarget(
    { width: cy.width(), height: cy.height(), zoom: cy.zoom(), pan: cy.pan() },
    box,
    { minZoom: cy.minZoom(), ...(maxZoom !== undefined ? { maxZoom } : {}) },
  );
  if (target === undefined) return;
  cy.stop();
  if (!animate) {
    cy.viewport(target);
    return;
  }
  // The texture cache keeps each frame of the move cheap on big graphs (textureOnViewport).
  cy.animate(target, {
    duration: cy.nodes().length > VEIL_MIN_NODES ? 220 : 320,
    easing: 'ease-in-out-cubic',
  });
}
