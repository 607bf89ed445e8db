/**
 * The graph's look, built from the same CSS custom properties as the rest of the UI
 * (styles/tokens.css), so a theme switch restyles the canvas too (GraphView re-reads them when
 * `data-theme` changes). Cytoscape styles are applied through JS, which the CSP allows.
 */
import type { StylesheetJson } from 'cytoscape';
import { NAMESPACE_PALETTE_SIZE } from '../model/summary.ts';
import {
  BADGE_HEIGHT,
  BADGE_KINDS,
  BADGE_WIDTH,
  badgeDataUrl,
  TIER_BADGE_WIDTH,
  TIER_MARKS,
  type BadgeColors,
} from './badges.ts';

export interface EdgeColors {
  readonly flowing: string;
  readonly blocked: string;
  readonly denied: string;
  /** Passed on to the next tier by an admin policy's Pass rule. */
  readonly passed: string;
  readonly unknown: string;
  readonly allowed: string;
  /** Imported flows the policies contradict, and flows seen in audit mode (optional: older themes). */
  readonly contradiction?: string;
  readonly audit?: string;
}

export interface GraphTheme {
  readonly fontFamily: string;
  readonly monoFamily: string;
  readonly text: string;
  readonly textMuted: string;
  readonly surface: string;
  /** The canvas behind the graph (group titles stand on a patch of it, over the edges). */
  readonly canvas?: string;
  readonly border: string;
  readonly accent: string;
  readonly accentSoft: string;
  readonly edges: EdgeColors;
  readonly badges: BadgeColors;
  /** Per namespace color: strong (accents, titles), soft (box fill), line (box border). */
  readonly namespaces: readonly { readonly strong: string; readonly soft: string; readonly line: string }[];
}

/** The theme without a document (tests, and tokens missing from the CSS). */
export const FALLBACK: GraphTheme = {
  fontFamily: 'system-ui, sans-serif',
  monoFamily: 'monospace',
  text: '#101828',
  textMuted: '#667085',
  surface: '#ffffff',
  canvas: '#f6f7f9',
  border: '#d0d5dd',
  accent: '#4f46e5',
  accentSoft: '#eef2ff',
  edges: {
    flowing: '#079455',
    blocked: '#7fd1a8',
    denied: '#d92d20',
    passed: '#5a7896',
    unknown: '#98a2b3',
    allowed: '#4f46e5',
    contradiction: '#e04f16',
    audit: '#ca8504',
  },
  badges: {
    ingress: '#2e6bd6',
    egress: '#c11574',
    idle: '#d0d5dd',
    open: '#f79009',
    unknown: '#98a2b3',
    surface: '#ffffff',
    tierAdmin: '#6941c6',
    tierBaseline: '#667085',
  },
  namespaces: Array.from({ length: NAMESPACE_PALETTE_SIZE }, () => ({
    strong: '#6366f1',
    soft: '#f5f6ff',
    line: '#c7cbf5',
  })),
};

/** Reads the theme from CSS custom properties on `element` (the document root by default). */
export function readGraphTheme(element: Element = document.documentElement): GraphTheme {
  const css = getComputedStyle(element);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const surface = v('--surface', FALLBACK.surface);
  return {
    fontFamily: v('--font-sans', FALLBACK.fontFamily),
    monoFamily: v('--font-mono', FALLBACK.monoFamily),
    text: v('--text', FALLBACK.text),
    textMuted: v('--text-3', FALLBACK.textMuted),
    surface,
    canvas: v('--graph-bg', surface),
    border: v('--border-strong', FALLBACK.border),
    accent: v('--accent', FALLBACK.accent),
    accentSoft: v('--accent-soft', FALLBACK.accentSoft),
    edges: {
      flowing: v('--edge-flowing', FALLBACK.edges.flowing),
      blocked: v('--edge-blocked', FALLBACK.edges.blocked),
      denied: v('--edge-denied', FALLBACK.edges.denied),
      passed: v('--edge-passed', FALLBACK.edges.passed),
      unknown: v('--edge-unknown', FALLBACK.edges.unknown),
      allowed: v('--edge-allowed', FALLBACK.edges.allowed),
      contradiction: v('--edge-contradiction', FALLBACK.edges.contradiction ?? ''),
      audit: v('--edge-audit', FALLBACK.edges.audit ?? ''),
    },
    badges: {
      ingress: v('--badge-ingress', FALLBACK.badges.ingress),
      egress: v('--badge-egress', FALLBACK.badges.egress),
      idle: v('--badge-idle', FALLBACK.badges.idle),
      open: v('--badge-open', FALLBACK.badges.open),
      unknown: v('--badge-unknown', FALLBACK.badges.unknown),
      surface,
      tierAdmin: v('--tier-admin', FALLBACK.badges.tierAdmin),
      tierBaseline: v('--tier-baseline', FALLBACK.badges.tierBaseline),
    },
    namespaces: FALLBACK.namespaces.map((f, i) => ({
      strong: v(`--ns-${i}`, f.strong),
      soft: v(`--ns-${i}-soft`, f.soft),
      line: v(`--ns-${i}-line`, f.line),
    })),
  };
}

export const POD_WIDTH = 156;
export const POD_HEIGHT = 42;
/** A collapsed namespace's width: its name at a size readable in the overview of 500 namespaces. */
export const COLLAPSED_WIDTH = 168;
export const COLLAPSED_FONT = 32;

/** A group box's title, as the box draws it and as its title node (titles.ts) draws it again on top. */
const GROUP_TITLE_TEXT = {
  'text-valign': 'top',
  'text-halign': 'center',
  'text-margin-y': -8,
  'font-size': 13,
  'font-weight': 600,
} as const;

export function buildStylesheet(theme: GraphTheme): StylesheetJson {
  const edge = (selector: string, color: string, extra: Record<string, unknown> = {}) => ({
    selector,
    style: { 'line-color': color, 'target-arrow-color': color, color, ...extra },
  });
  const sheet: StylesheetJson = [
    {
      selector: 'node',
      style: {
        'font-family': theme.fontFamily,
        color: theme.text,
        'overlay-opacity': 0,
        'overlay-padding': 4,
        'overlay-color': theme.accent,
        // Labels too small to read are not drawn (zoomed out over a big graph, they cost the most).
        'min-zoomed-font-size': 5,
      },
    },
    {
      selector: 'node.namespace, node.external-group',
      style: {
        shape: 'round-rectangle',
        'corner-radius': '14',
        label: 'data(label)',
        ...GROUP_TITLE_TEXT,
        'border-width': 1,
        padding: '22',
        'min-width': '160',
        'min-height': '60',
        'background-opacity': 1,
      },
    },
    {
      selector: 'node.external-group',
      style: {
        'background-opacity': 0,
        'border-style': 'dashed',
        'border-color': theme.border,
        color: theme.textMuted,
      },
    },
    // A namespace drawn as one node (big graphs): its name and pod count, big enough to read at the
    // zoom that fits 500 of them, and as tall as its pod count makes it (elements.ts).
    {
      selector: 'node.namespace.collapsed',
      style: {
        width: COLLAPSED_WIDTH,
        height: 'data(size)',
        padding: '0',
        'text-valign': 'center',
        'text-halign': 'center',
        'text-margin-y': 0,
        'text-margin-x': -4,
        'text-wrap': 'wrap',
        'text-max-width': String(COLLAPSED_WIDTH - 12),
        'font-size': COLLAPSED_FONT,
        'line-height': 1.15,
        'border-width': 3,
      },
    },
    {
      selector: 'node.pod',
      style: {
        shape: 'round-rectangle',
        'corner-radius': '8',
        width: POD_WIDTH,
        height: POD_HEIGHT,
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '118',
        'text-valign': 'center',
        'text-halign': 'center',
        'text-margin-x': -4,
        // A long name with no break (a pod without an owner) wraps rather than running under the badge.
        'text-overflow-wrap': 'anywhere',
        'font-size': 11,
        'line-height': 1.35,
        'background-color': theme.surface,
        'background-fill': 'linear-gradient',
        'background-gradient-direction': 'to-right',
        'background-gradient-stop-positions': [0, 3.5, 3.5, 100],
        'border-width': 1,
        'border-color': theme.border,
      },
    },
    { selector: 'node.pod.workload', style: { 'border-width': 3, 'border-style': 'double' } },
    { selector: 'node.pod.host-network', style: { 'border-style': 'dashed' } },
    { selector: 'node.pod.not-running', style: { opacity: 0.55 } },
    {
      selector: 'node.external',
      style: {
        shape: 'round-rectangle',
        'corner-radius': '21',
        width: 148,
        height: 42,
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '136',
        'text-valign': 'center',
        'text-halign': 'center',
        'font-family': theme.monoFamily,
        'font-size': 10.5,
        'line-height': 1.35,
        'background-color': theme.surface,
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': theme.textMuted,
        color: theme.text,
      },
    },
    { selector: 'node.external.any-address', style: { 'font-family': theme.fontFamily, 'font-weight': 600 } },
    { selector: 'node:active', style: { 'overlay-opacity': 0.08 } },
    {
      selector: 'node.pod:selected, node.external:selected',
      style: { 'border-width': 2, 'border-color': theme.accent, 'background-color': theme.accentSoft },
    },
    { selector: 'node.namespace:selected', style: { 'border-width': 2, 'border-color': theme.accent } },
    // The selection's subjects: a ring around them.
    {
      selector: 'node.subject',
      style: {
        'underlay-color': theme.accent,
        'underlay-padding': 5,
        'underlay-opacity': 0.22,
        'underlay-shape': 'round-rectangle',
        'border-color': theme.accent,
        'border-width': 2,
      },
    },
    // Big graphs dim through one veil drawn over everything but what the selection concerns (`lit`):
    // a selection then restyles a handful of nodes, not all of them (GraphView's applyOverlay).
    {
      selector: 'node.veil',
      style: {
        shape: 'rectangle',
        width: 'data(width)',
        height: 'data(height)',
        'background-color': theme.surface,
        'background-opacity': 0.74,
        'border-width': 0,
        'z-compound-depth': 'top',
        'z-index-compare': 'manual',
        'z-index': 30,
        events: 'no',
      },
    },
    {
      selector: 'node.lit',
      style: { 'z-compound-depth': 'top', 'z-index-compare': 'manual', 'z-index': 40 },
    },
    // What the selection does not concern.
    { selector: 'node.dimmed', style: { opacity: 0.22 } },
    {
      selector: 'node.faded',
      style: { 'background-opacity': 0.35, 'border-opacity': 0.45, 'text-opacity': 0.4 },
    },
    // The outside-the-cluster box has no fill: fading must not give it one (a grey block in dark mode).
    { selector: 'node.external-group.faded', style: { 'background-opacity': 0 } },
    // A group's title drawn again above every edge (titles.ts), where the box draws its own, on a patch
    // of the canvas colour that keeps the edges crossing it from striking it through.
    {
      selector: 'node.title',
      style: {
        shape: 'rectangle',
        width: 1,
        height: 1,
        'background-opacity': 0,
        'border-width': 0,
        label: 'data(label)',
        ...GROUP_TITLE_TEXT,
        color: theme.textMuted,
        'text-background-color': theme.canvas ?? theme.surface,
        'text-background-opacity': 1,
        'text-background-padding': '2',
        'text-background-shape': 'roundrectangle',
        'z-compound-depth': 'top',
        'z-index-compare': 'manual',
        'z-index': 50,
        events: 'no',
      },
    },
    { selector: 'node.title.title-faded', style: { 'text-opacity': 0.4 } },
    // Under a big graph's veil (z-index 30) with the rest, unless the selection concerns its group.
    { selector: 'node.title.title-veiled', style: { 'z-index': 29 } },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier',
        width: 1.6,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        label: 'data(label)',
        'font-family': theme.fontFamily,
        'font-size': 10,
        'font-weight': 600,
        'text-background-color': theme.surface,
        'text-background-opacity': 0.94,
        'text-background-padding': '2',
        'text-background-shape': 'roundrectangle',
        'text-border-opacity': 0,
        'min-zoomed-font-size': 7,
        'z-index': 10,
      },
    },
    edge('edge.flowing', theme.edges.flowing, { width: 2 }),
    edge('edge.blocked', theme.edges.blocked, {
      width: 2,
      'line-style': 'dashed',
      'line-dash-pattern': [6, 3],
    }),
    edge('edge.denied', theme.edges.denied, { 'line-style': 'dashed', 'line-dash-pattern': [4, 3] }),
    // Passed on to the next tier: neither accepted nor denied here, so a dash-dot line of its own.
    edge('edge.passed', theme.edges.passed, {
      width: 1.8,
      'line-style': 'dashed',
      'line-dash-pattern': [9, 3, 2, 3],
      'target-arrow-shape': 'chevron',
    }),
    edge('edge.unknown', theme.edges.unknown, { 'line-style': 'dotted' }),
    edge('edge.allowed', theme.edges.allowed),
    edge('edge.path-allowed', theme.edges.flowing, {
      width: 3.5,
      'arrow-scale': 1.2,
      'font-size': 11,
      'z-index': 20,
    }),
    edge('edge.path-denied', theme.edges.denied, {
      width: 3.5,
      'arrow-scale': 1.2,
      'line-style': 'dashed',
      'line-dash-pattern': [7, 4],
      'font-size': 11,
      'z-index': 20,
    }),
    edge('edge.path-unknown', theme.edges.unknown, {
      width: 3.5,
      'arrow-scale': 1.2,
      'line-style': 'dotted',
      'font-size': 11,
      'z-index': 20,
    }),
    // Conditional (allowed for some requests only): the audit amber, dashed finer than denied.
    edge('edge.path-conditional', theme.edges.audit ?? FALLBACK.edges.audit ?? theme.edges.unknown, {
      width: 3.5,
      'arrow-scale': 1.2,
      'line-style': 'dashed',
      'line-dash-pattern': [2, 3],
      'font-size': 11,
      'z-index': 20,
    }),
    { selector: 'edge.aggregate', style: { width: 2.6 } },
    // Imported flows (flows/flows-overlay.ts): seen confirmed edges solid, contradictions in a colour of
    // their own and thicker, audit dashed; the width grows with the volume seen (`vol-1`..`vol-4`).
    edge('edge.seen', theme.edges.flowing, { width: 2 }),
    edge('edge.seen-denied', theme.edges.denied, { 'line-style': 'dashed', 'line-dash-pattern': [4, 3] }),
    edge(
      'edge.contradiction',
      theme.edges.contradiction ?? FALLBACK.edges.contradiction ?? theme.edges.denied,
      {
        width: 3,
        'z-index': 25,
      },
    ),
    edge('edge.audit', theme.edges.audit ?? FALLBACK.edges.audit ?? theme.edges.unknown, {
      width: 2,
      'line-style': 'dashed',
      'line-dash-pattern': [8, 3],
    }),
    { selector: 'edge.vol-2', style: { width: 3 } },
    { selector: 'edge.vol-3', style: { width: 4.5 } },
    { selector: 'edge.vol-4', style: { width: 6 } },
    { selector: 'edge.hover', style: { label: 'data(title)', 'z-index': 30, width: 3 } },
    { selector: 'edge.loop', style: { 'loop-direction': '-45deg', 'loop-sweep': '-60deg' } },
    // Over the veil (after the edge classes, which set their own z-index).
    // `manual`: by default cytoscape draws every edge under every node, so under the veil too.
    {
      selector: 'edge.lit',
      style: { 'z-compound-depth': 'top', 'z-index-compare': 'manual', 'z-index': 45 },
    },
  ];
  for (const kind of BADGE_KINDS) {
    sheet.push({
      selector: `node.pod.badge-${kind}, node.collapsed.badge-${kind}`,
      style: {
        'background-image': badgeDataUrl(kind, theme.badges),
        'background-width': BADGE_WIDTH,
        'background-height': BADGE_HEIGHT,
        'background-fit': 'none',
        'background-clip': 'none',
        'background-image-containment': 'over',
        'background-position-x': '100%',
        'background-position-y': '50%',
        'background-offset-x': -6,
        'background-image-smoothing': 'yes',
      },
    });
  }
  // Pods an admin-tier policy applies to: the same squares with a shield left of them, and the label
  // kept clear of it.
  for (const mark of TIER_MARKS) {
    for (const kind of BADGE_KINDS) {
      sheet.push({
        selector: `node.pod.badge-${kind}.tier-${mark}, node.collapsed.badge-${kind}.tier-${mark}`,
        style: {
          'background-image': badgeDataUrl(kind, theme.badges, mark),
          'background-width': TIER_BADGE_WIDTH,
        },
      });
    }
  }
  sheet.push({
    selector: 'node.pod.tier-admin, node.pod.tier-baseline',
    style: { 'text-max-width': '104', 'text-margin-x': -11 },
  });
  // Zoomed far out, badges are not drawn (graph/detail.ts).
  sheet.push({ selector: 'node.far', style: { 'background-image': 'none' } });
  theme.namespaces.forEach((ns, i) => {
    sheet.push(
      {
        selector: `node.namespace.ns-color-${i}`,
        style: { 'background-color': ns.soft, 'border-color': ns.line, color: ns.strong },
      },
      { selector: `node.title.ns-color-${i}`, style: { color: ns.strong } },
      {
        selector: `node.pod.ns-color-${i}`,
        style: { 'background-gradient-stop-colors': [ns.strong, ns.strong, theme.surface, theme.surface] },
      },
      {
        selector: `node.pod.ns-color-${i}:selected`,
        style: {
          'background-gradient-stop-colors': [ns.strong, ns.strong, theme.accentSoft, theme.accentSoft],
        },
      },
    );
  });
  return sheet;
}
