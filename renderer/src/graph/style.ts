/**
 * The graph's look, built from the same CSS custom properties as the rest of the UI
 * (styles/tokens.css), so a theme switch restyles the canvas too (GraphView re-reads them when
 * `data-theme` changes). Cytoscape styles are applied through JS, which the CSP allows.
 */
import type { StylesheetJson } from 'cytoscape';
import { NAMESPACE_PALETTE_SIZE } from '../model/summary.ts';

export interface GraphTheme {
  readonly fontFamily: string;
  readonly text: string;
  readonly textMuted: string;
  readonly surface: string;
  readonly border: string;
  readonly accent: string;
  readonly accentSoft: string;
  /** Per namespace color: strong (accents, titles), soft (box fill), line (box border). */
  readonly namespaces: readonly { readonly strong: string; readonly soft: string; readonly line: string }[];
}

const FALLBACK: GraphTheme = {
  fontFamily: 'system-ui, sans-serif',
  text: '#101828',
  textMuted: '#667085',
  surface: '#ffffff',
  border: '#d0d5dd',
  accent: '#4f46e5',
  accentSoft: '#eef2ff',
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
  return {
    fontFamily: v('--font-sans', FALLBACK.fontFamily),
    text: v('--text', FALLBACK.text),
    textMuted: v('--text-3', FALLBACK.textMuted),
    surface: v('--surface', FALLBACK.surface),
    border: v('--border-strong', FALLBACK.border),
    accent: v('--accent', FALLBACK.accent),
    accentSoft: v('--accent-soft', FALLBACK.accentSoft),
    namespaces: FALLBACK.namespaces.map((f, i) => ({
      strong: v(`--ns-${i}`, f.strong),
      soft: v(`--ns-${i}-soft`, f.soft),
      line: v(`--ns-${i}-line`, f.line),
    })),
  };
}

export function buildStylesheet(theme: GraphTheme): StylesheetJson {
  const sheet: StylesheetJson = [
    {
      selector: 'node',
      style: {
        'font-family': theme.fontFamily,
        color: theme.text,
        'overlay-opacity': 0,
        'overlay-padding': 4,
        'overlay-color': theme.accent,
      },
    },
    {
      selector: 'node.namespace',
      style: {
        shape: 'round-rectangle',
        'corner-radius': '14',
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -8,
        'font-size': 13,
        'font-weight': 600,
        'border-width': 1,
        padding: '22',
        'min-width': '160',
        'min-height': '60',
        'background-opacity': 1,
      },
    },
    {
      selector: 'node.pod',
      style: {
        shape: 'round-rectangle',
        'corner-radius': '8',
        width: 148,
        height: 42,
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '132',
        'text-valign': 'center',
        'text-halign': 'center',
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
    { selector: 'node.pod.host-network', style: { 'border-style': 'dashed' } },
    { selector: 'node.pod.not-running', style: { opacity: 0.55 } },
    { selector: 'node:active', style: { 'overlay-opacity': 0.08 } },
    {
      selector: 'node.pod:selected',
      style: { 'border-width': 2, 'border-color': theme.accent, 'background-color': theme.accentSoft },
    },
    { selector: 'node.namespace:selected', style: { 'border-width': 2, 'border-color': theme.accent } },
    // For the evaluator's views (a selected policy dims what it does not affect).
    { selector: '.dimmed', style: { opacity: 0.25 } },
  ];
  theme.namespaces.forEach((ns, i) => {
    sheet.push(
      {
        selector: `node.namespace.ns-color-${i}`,
        style: { 'background-color': ns.soft, 'border-color': ns.line, color: ns.strong },
      },
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
