/**
 * The graph as an image file: PNG from cytoscape's own renderer (`cy.png`), SVG from svg-export.ts.
 * Either shows what is on screen (`view`) or the whole graph (`full`), selection highlight included.
 */
import type { Core } from 'cytoscape';
import type { GraphTheme } from './style.ts';
import { graphToSvg } from './svg-export.ts';

export type ExportFormat = 'png' | 'svg';
export type ExportScope = 'view' | 'full';

export interface GraphImage {
  readonly ok: true;
  readonly fileName: string;
  readonly mime: string;
  readonly data: string | Uint8Array;
}

export type GraphImageResult = GraphImage | { readonly ok: false; readonly reason: string };

/** Twice the screen's pixels for a sharp PNG, but no side past this (browsers refuse bigger canvases). */
const PNG_SCALE = 2;
const PNG_MAX_SIDE = 8000;

/** `demo-graph-view-2026-12-03T0412.png`: which source, what part of its graph, when. */
export function imageFileName(
  format: ExportFormat,
  scope: ExportScope,
  source = 'netglass',
  now: Date = new Date(),
): string {
  const stamp = now.toISOString().slice(0, 16).replace(/:/g, '');
  const safe = source.replace(/[^A-Za-z0-9._-]+/g, '-') || 'netglass';
  return `${safe}-graph-${scope === 'full' ? 'full' : 'view'}-${stamp}.${format}`;
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function exportGraphImage(
  cy: Core,
  format: ExportFormat,
  scope: ExportScope,
  theme: Pick<GraphTheme, 'surface'>,
  source?: string,
): GraphImageResult {
  if (cy.nodes().empty()) return { ok: false, reason: 'The graph is empty: there is nothing to export.' };
  const fileName = imageFileName(format, scope, source);
  if (format === 'svg') {
    const data = graphToSvg(cy, { scope, background: theme.surface, title: 'netglass graph' });
    return { ok: true, fileName, mime: 'image/svg+xml', data };
  }
  try {
    // cytoscape ignores maxWidth/maxHeight once a scale is given: the cap is applied here.
    const box = cy.elements().boundingBox();
    const w = scope === 'full' ? box.w : cy.width();
    const h = scope === 'full' ? box.h : cy.height();
    const scale = Math.min(PNG_SCALE, PNG_MAX_SIDE / Math.max(w, 1), PNG_MAX_SIDE / Math.max(h, 1));
    const base64 = cy.png({ output: 'base64', full: scope === 'full', scale, bg: theme.surface });
    if (base64 === '') return { ok: false, reason: 'The canvas gave an empty image.' };
    return { ok: true, fileName, mime: 'image/png', data: base64ToBytes(base64) };
  } catch (error) {
    return {
      ok: false,
      reason: `Could not draw the PNG: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
