/**
 * The graph as SVG, written from cytoscape's model: each visible node as a (rounded) box with its
 * label, each visible edge as a line with an arrow head and its label, in the colours, widths, dash
 * patterns and opacities cytoscape computed for them, so the file shows the selection as the canvas
 * does. Badges (isolation marks drawn as images) are left out: they are a few pixels at most zooms.
 *
 * Why our own: the one maintained cytoscape extension for this (cytoscape-svg) is GPL-3.0, which an
 * Apache-2.0 app cannot bundle, and it replays the canvas renderer onto a fake context; the model
 * holds everything a static picture of boxes, lines and names needs.
 */
import type { BoundingBox12, Collection, Core, EdgeSingular, NodeSingular } from 'cytoscape';

export type SvgScope = 'view' | 'full';

export interface SvgOptions {
  readonly scope: SvgScope;
  /** The page colour behind the graph. */
  readonly background: string;
  /** The document's `<title>`. */
  readonly title?: string;
}

interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

const MARGIN = 24;
/** An average glyph is about this fraction of the font size wide (used only to wrap labels). */
const GLYPH = 0.58;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

const num = (n: number): string => String(Math.round(n * 100) / 100);

function intersects(a: Box, b: Box): boolean {
  return a.x1 <= b.x2 && b.x1 <= a.x2 && a.y1 <= b.y2 && b.y1 <= a.y2;
}

function str(ele: NodeSingular | EdgeSingular, name: string): string {
  const v: unknown = ele.style(name);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function numeric(ele: NodeSingular | EdgeSingular, name: string): number {
  const v = Number(ele.numericStyle(name));
  return Number.isFinite(v) ? v : 0;
}

function dash(ele: NodeSingular | EdgeSingular, styleName: string, width: number): string {
  const style = str(ele, styleName);
  if (style === 'dashed') {
    const pattern = str(ele, 'line-dash-pattern').trim();
    return ` stroke-dasharray="${pattern === '' ? `${num(width * 3)} ${num(width * 2)}` : pattern}"`;
  }
  if (style === 'dotted') return ` stroke-dasharray="${num(width)} ${num(width * 1.5)}"`;
  return '';
}

/** Splits a label into lines: its own line breaks, then words (or long names at - . /) to fit `max`. */
export function wrapLabel(label: string, fontSize: number, max: number | undefined): string[] {
  const lines: string[] = [];
  const perLine =
    max === undefined || max <= 0 ? Infinity : Math.max(4, Math.floor(max / (fontSize * GLYPH)));
  for (const raw of label.split('\n')) {
    let rest = raw;
    while (rest.length > perLine) {
      const head = rest.slice(0, perLine);
      const cut = Math.max(
        head.lastIndexOf(' '),
        head.lastIndexOf('-'),
        head.lastIndexOf('.'),
        head.lastIndexOf('/'),
      );
      const at = cut > perLine / 3 ? cut + 1 : perLine;
      lines.push(rest.slice(0, at).trimEnd());
      rest = rest.slice(at).trimStart();
    }
    lines.push(rest);
  }
  return lines;
}

function text(
  ele: NodeSingular | EdgeSingular,
  label: string,
  x: number,
  y: number,
  anchor: 'top' | 'center' | 'bottom',
  opacity: number,
  maxWidth?: number,
): string {
  const size = numeric(ele, 'font-size') || 11;
  const lineHeight = size * (numeric(ele, 'line-height') || 1.2);
  const lines = wrapLabel(label, size, maxWidth);
  const total = lines.length * lineHeight;
  // The first baseline: text grows up from a top anchor, down from a bottom one, both ways from the centre.
  const first =
    anchor === 'top' ? y - total + size : anchor === 'bottom' ? y + size : y - total / 2 + size * 0.85;
  const weight = str(ele, 'font-weight');
  const attrs = [
    `x="${num(x)}"`,
    `y="${num(first)}"`,
    'text-anchor="middle"',
    `font-family="${escapeXml(str(ele, 'font-family'))}"`,
    `font-size="${num(size)}"`,
    weight !== '' && weight !== 'normal' ? `font-weight="${escapeXml(weight)}"` : '',
    `fill="${escapeXml(str(ele, 'color'))}"`,
    opacity < 1 ? `opacity="${num(opacity)}"` : '',
  ].filter((a) => a !== '');
  const spans = lines
    .map((l, i) => `<tspan x="${num(x)}" dy="${i === 0 ? 0 : num(lineHeight)}">${escapeXml(l)}</tspan>`)
    .join('');
  return `<text ${attrs.join(' ')}>${spans}</text>`;
}

function nodeBox(node: NodeSingular): Box {
  if (node.isParent()) {
    const b = node.boundingBox({ includeLabels: false, includeOverlays: false });
    const half = numeric(node, 'border-width') / 2;
    return { x1: b.x1 + half, y1: b.y1 + half, x2: b.x2 - half, y2: b.y2 - half };
  }
  const p = node.position();
  const w = node.width();
  const h = node.height();
  return { x1: p.x - w / 2, y1: p.y - h / 2, x2: p.x + w / 2, y2: p.y + h / 2 };
}

function nodeSvg(node: NodeSingular): string {
  const box = nodeBox(node);
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const opacity = node.effectiveOpacity();
  const shape = str(node, 'shape');
  const radius =
    shape === 'round-rectangle' || shape === 'roundrectangle'
      ? Math.min(numeric(node, 'corner-radius') || 8, w / 2, h / 2)
      : shape === 'ellipse'
        ? Math.min(w, h) / 2
        : 0;
  const fillOpacity = numeric(node, 'background-opacity') * opacity;
  const borderWidth = numeric(node, 'border-width');
  const strokeOpacity = numeric(node, 'border-opacity') * opacity;
  const parts: string[] = [];
  parts.push(
    `<rect x="${num(box.x1)}" y="${num(box.y1)}" width="${num(w)}" height="${num(h)}" rx="${num(radius)}"` +
      ` fill="${escapeXml(str(node, 'background-color'))}" fill-opacity="${num(fillOpacity)}"` +
      (borderWidth > 0
        ? ` stroke="${escapeXml(str(node, 'border-color'))}" stroke-width="${num(borderWidth)}" stroke-opacity="${num(strokeOpacity)}"${dash(node, 'border-style', borderWidth)}`
        : ' stroke="none"') +
      '/>',
  );
  // A pod's namespace colour: the stripe at its left edge (a two-colour gradient on the canvas).
  if (str(node, 'background-fill') === 'linear-gradient') {
    const colors = str(node, 'background-gradient-stop-colors').match(/rgba?\([^)]*\)|#[0-9a-f]+|[a-z]+/gi);
    const stripe = colors?.[0];
    if (stripe !== undefined && stripe !== str(node, 'background-color')) {
      const sw = Math.max(3, w * 0.035);
      parts.push(
        `<path d="M${num(box.x1 + radius)},${num(box.y1)} h${num(sw - radius)} v${num(h)} h${num(radius - sw)}` +
          ` a${num(radius)},${num(radius)} 0 0 1 ${num(-radius)},${num(-radius)} v${num(2 * radius - h)}` +
          ` a${num(radius)},${num(radius)} 0 0 1 ${num(radius)},${num(-radius)} z" fill="${escapeXml(stripe)}"` +
          ` fill-opacity="${num(opacity)}"/>`,
      );
    }
  }
  const label = str(node, 'label');
  if (label !== '') {
    const textOpacity = numeric(node, 'text-opacity') * opacity;
    const valign = str(node, 'text-valign');
    const cx = (box.x1 + box.x2) / 2 + numeric(node, 'text-margin-x');
    const marginY = numeric(node, 'text-margin-y');
    const wrap = str(node, 'text-wrap') === 'wrap' ? numeric(node, 'text-max-width') : undefined;
    if (valign === 'top') parts.push(text(node, label, cx, box.y1 + marginY, 'top', textOpacity, wrap));
    else if (valign === 'bottom')
      parts.push(text(node, label, cx, box.y2 + marginY, 'bottom', textOpacity, wrap));
    else parts.push(text(node, label, cx, (box.y1 + box.y2) / 2 + marginY, 'center', textOpacity, wrap));
  }
  return `<g data-id="${escapeXml(node.id())}">${parts.join('')}</g>`;
}

/** Where the line from `from` towards the centre of `box` leaves it (the edge's end on its border). */
function clipToBox(from: { x: number; y: number }, box: Box): { x: number; y: number } {
  const cx = (box.x1 + box.x2) / 2;
  const cy = (box.y1 + box.y2) / 2;
  const dx = from.x - cx;
  const dy = from.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const sx = dx === 0 ? Infinity : (box.x2 - box.x1) / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (box.y2 - box.y1) / 2 / Math.abs(dy);
  const s = Math.min(sx, sy, 1);
  return { x: cx + dx * s, y: cy + dy * s };
}

function edgeSvg(edge: EdgeSingular): string {
  const sBox = nodeBox(edge.source());
  const tBox = nodeBox(edge.target());
  const sc = { x: (sBox.x1 + sBox.x2) / 2, y: (sBox.y1 + sBox.y2) / 2 };
  const tc = { x: (tBox.x1 + tBox.x2) / 2, y: (tBox.y1 + tBox.y2) / 2 };
  const start = clipToBox(tc, sBox);
  const end = clipToBox(sc, tBox);
  const width = numeric(edge, 'width') || 1;
  const color = escapeXml(str(edge, 'line-color'));
  const opacity = edge.effectiveOpacity() * (numeric(edge, 'line-opacity') || 1);
  const parts: string[] = [];
  const len = Math.hypot(end.x - start.x, end.y - start.y);
  let lineEnd = end;
  if (str(edge, 'target-arrow-shape') !== 'none' && len > 0) {
    // A filled triangle whose tip touches the target; the line stops at its base.
    const size = Math.max(6, width * 3) * (numeric(edge, 'arrow-scale') || 1);
    const ux = (end.x - start.x) / len;
    const uy = (end.y - start.y) / len;
    const bx = end.x - ux * size;
    const by = end.y - uy * size;
    lineEnd = { x: bx, y: by };
    const half = size * 0.55;
    parts.push(
      `<polygon points="${num(end.x)},${num(end.y)} ${num(bx - uy * half)},${num(by + ux * half)} ${num(bx + uy * half)},${num(by - ux * half)}"` +
        ` fill="${escapeXml(str(edge, 'target-arrow-color')) || color}" fill-opacity="${num(opacity)}"/>`,
    );
  }
  parts.unshift(
    `<line x1="${num(start.x)}" y1="${num(start.y)}" x2="${num(lineEnd.x)}" y2="${num(lineEnd.y)}"` +
      ` stroke="${color}" stroke-width="${num(width)}" stroke-opacity="${num(opacity)}"${dash(edge, 'line-style', width)}/>`,
  );
  const label = str(edge, 'label');
  if (label !== '') {
    const mx = (start.x + end.x) / 2;
    const my = (start.y + end.y) / 2;
    const size = numeric(edge, 'font-size') || 10;
    const lines = wrapLabel(label, size, undefined);
    const w = Math.max(...lines.map((l) => l.length)) * size * GLYPH + 6;
    const h = lines.length * size * 1.2 + 4;
    parts.push(
      `<rect x="${num(mx - w / 2)}" y="${num(my - h / 2)}" width="${num(w)}" height="${num(h)}" rx="3"` +
        ` fill="${escapeXml(str(edge, 'text-background-color'))}" fill-opacity="${num(numeric(edge, 'text-background-opacity') * opacity)}"/>`,
    );
    parts.push(text(edge, label, mx, my, 'center', opacity));
  }
  return `<g data-id="${escapeXml(edge.id())}">${parts.join('')}</g>`;
}

function byDepth(a: NodeSingular, b: NodeSingular): number {
  return a.ancestors().length - b.ancestors().length;
}

/**
 * The drawing order of the canvas: namespace boxes, then edges, then leaves; on a big graph's veil,
 * what the selection concerns (`lit`) comes after the veil so it stays above it.
 */
function ordered(eles: Collection): string[] {
  const nodes = eles.nodes();
  const edges = eles.edges();
  const layer = (lit: boolean): string[] => {
    const pick = (n: NodeSingular | EdgeSingular): boolean =>
      // Group titles drawn over the edges (titles.ts) are the boxes' own labels again: drawn once here.
      n.hasClass('lit') === lit && !n.hasClass('veil') && !n.hasClass('title');
    return [
      ...nodes
        .filter((n) => n.isParent() && pick(n))
        .sort(byDepth)
        .map(nodeSvg),
      ...edges.filter(pick).map(edgeSvg),
      ...nodes.filter((n) => !n.isParent() && pick(n)).map(nodeSvg),
    ];
  };
  return [...layer(false), ...nodes.filter('.veil').map(nodeSvg), ...layer(true)];
}

/** The graph as an SVG document: what the viewport shows (`view`) or the whole graph (`full`). */
export function graphToSvg(cy: Core, options: SvgOptions): string {
  const visible = cy.elements().filter((e) => e.visible());
  let area: Box;
  let width: number;
  let height: number;
  if (options.scope === 'view' && cy.width() > 0 && cy.height() > 0) {
    const e = cy.extent();
    area = e;
    width = cy.width();
    height = cy.height();
  } else {
    const b: BoundingBox12 = visible.not('.veil').boundingBox({ includeLabels: true });
    const ok = Number.isFinite(b.x1) && Number.isFinite(b.x2);
    area = ok
      ? { x1: b.x1 - MARGIN, y1: b.y1 - MARGIN, x2: b.x2 + MARGIN, y2: b.y2 + MARGIN }
      : { x1: 0, y1: 0, x2: 100, y2: 100 };
    width = area.x2 - area.x1;
    height = area.y2 - area.y1;
  }
  const inArea = visible.filter((e) =>
    e.isNode() ? intersects(nodeBox(e), area) : intersects(e.boundingBox({ includeLabels: false }), area),
  );
  const w = area.x2 - area.x1;
  const h = area.y2 - area.y1;
  const title = options.title === undefined ? '' : `<title>${escapeXml(options.title)}</title>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="${num(area.x1)} ${num(area.y1)} ${num(w)} ${num(h)}">`,
    title,
    `<rect x="${num(area.x1)}" y="${num(area.y1)}" width="${num(w)}" height="${num(h)}" fill="${escapeXml(options.background)}"/>`,
    ...ordered(inArea),
    '</svg>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
