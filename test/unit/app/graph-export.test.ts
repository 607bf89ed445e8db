// @vitest-environment happy-dom
/**
 * The graph's export (issue 13 item 1): the SVG serializer on a real stylesheet and the demo's graph
 * (structure, labels, escaping, what a selection puts on it), file names, the shared export commands
 * (palette matching, the shortcut), and the label search the worker answers (issue 12 item 12).
 */
import cytoscape, { type Core } from 'cytoscape';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalysisEngine } from '../../../renderer/src/analysis/engine.ts';
import { looksLikeLabelQuery, parseLabelQuery } from '../../../renderer/src/analysis/label-query.ts';
import type { LabelMatch } from '../../../renderer/src/analysis/protocol.ts';
import { applyOverlay } from '../../../renderer/src/graph/apply-overlay.ts';
import { commandForKey, GRAPH_EXPORT_COMMANDS, matchCommands } from '../../../renderer/src/graph/commands.ts';
import { buildGraph } from '../../../renderer/src/graph/elements.ts';
import { exportGraphImage, imageFileName } from '../../../renderer/src/graph/export-image.ts';
import { gridLayout } from '../../../renderer/src/graph/layout.ts';
import { previewOverlay } from '../../../renderer/src/graph/overlay.ts';
import { buildStylesheet, FALLBACK } from '../../../renderer/src/graph/style.ts';
import { escapeXml, graphToSvg, wrapLabel } from '../../../renderer/src/graph/svg-export.ts';
import { selectorMatches } from '../../../shared/eval/selector.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import { podKey, type Snapshot } from '../../../shared/model/snapshot.ts';

const DEMO = join(process.cwd(), 'shared/demo/demo-cluster.yaml');

function demo(): Snapshot {
  return snapshotFromText(readFileSync(DEMO, 'utf8'), DEMO);
}

const instances: Core[] = [];
afterEach(() => {
  for (const cy of instances.splice(0)) cy.destroy();
});

/** The demo graph laid out on a grid, with styles computed (headless cytoscape with style on). */
async function demoGraph(snapshot: Snapshot) {
  const graph = buildGraph(snapshot, { hidden: new Set(), group: false, expanded: new Set(), collapse: {} });
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: buildStylesheet(FALLBACK),
    elements: [...graph.elements],
  });
  instances.push(cy);
  await gridLayout.run(cy);
  return { cy, graph };
}

function parse(svg: string): Document {
  return new DOMParser().parseFromString(svg, 'image/svg+xml');
}

describe('graph as SVG', () => {
  it('writes every namespace box and pod with its label, in a document that parses', async () => {
    const snapshot = demo();
    const { cy } = await demoGraph(snapshot);
    const svg = graphToSvg(cy, { scope: 'full', background: '#ffffff', title: 'netglass graph' });
    const doc = parse(svg);
    expect(doc.documentElement.nodeName.toLowerCase()).toBe('svg');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(svg.startsWith('<?xml')).toBe(true);
    for (const ns of snapshot.namespaces) expect(svg).toContain(`>${ns.name}<`);
    // One group per node, pods included (their ids are the graph's).
    const ids = [...doc.querySelectorAll('g[data-id]')].map((g) => g.getAttribute('data-id'));
    expect(ids.length).toBe(cy.nodes().length);
    const box = cy.elements().boundingBox({ includeLabels: true });
    const [, , w = 0, h = 0] = (doc.documentElement.getAttribute('viewBox') ?? '').split(' ').map(Number);
    expect(w).toBeGreaterThanOrEqual(box.w);
    expect(h).toBeGreaterThanOrEqual(box.h);
  });

  it('draws a selection as the canvas does: its edges, and the rest dimmed', async () => {
    const snapshot = demo();
    const { cy, graph } = await demoGraph(snapshot);
    const pods = snapshot.pods.slice(0, 2).map(podKey);
    const [a, b] = pods.map((k) => graph.nodeOfPod.get(k) ?? '');
    const overlay = {
      ...previewOverlay(pods, graph),
      edges: [
        {
          group: 'edges' as const,
          data: { id: 'e1', source: a, target: b, label: '80/TCP', cls: 'flowing' },
          classes: 'overlay flowing',
        },
      ],
    };
    applyOverlay(cy, overlay, true, false);
    const svg = graphToSvg(cy, { scope: 'full', background: '#fff' });
    const doc = parse(svg);
    const edge = doc.querySelector('g[data-id="e1"]');
    expect(edge?.querySelector('line')?.getAttribute('stroke')).toBe('rgb(7,148,85)');
    expect(edge?.querySelector('polygon')).not.toBeNull();
    expect(edge?.textContent).toContain('80/TCP');
    // A pod the selection does not concern is drawn faint (opacity 0.22), a subject is not.
    const other = snapshot.pods.map(podKey).find((k) => !pods.includes(k)) ?? '';
    const dimmed = doc.querySelector(`g[data-id="${graph.nodeOfPod.get(other) ?? ''}"] rect`);
    expect(Number(dimmed?.getAttribute('fill-opacity'))).toBeLessThan(0.5);
    const lit = doc.querySelector(`g[data-id="${a ?? ''}"] rect`);
    expect(Number(lit?.getAttribute('fill-opacity'))).toBe(1);
  });

  it('escapes names and wraps long labels', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(wrapLabel('checkout\nabc12', 11, undefined)).toEqual(['checkout', 'abc12']);
    const lines = wrapLabel('a-very-long-namespace-name-that-goes-on', 32, 156);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('a-very-long-namespace-name-that-goes-on');
  });

  it('names files by source, part and time, and refuses an empty graph', () => {
    const at = new Date('2026-12-03T04:12:30Z');
    expect(imageFileName('png', 'view', 'demo', at)).toBe('demo-graph-view-2026-12-03T0412.png');
    expect(imageFileName('svg', 'full', 'my cluster/ctx', at)).toBe(
      'my-cluster-ctx-graph-full-2026-12-03T0412.svg',
    );
    const cy = cytoscape({ headless: true, styleEnabled: true });
    instances.push(cy);
    expect(exportGraphImage(cy, 'svg', 'full', FALLBACK)).toMatchObject({ ok: false });
  });
});

describe('export commands', () => {
  it('are declared once, found by the palette, and one has the shortcut', () => {
    expect(GRAPH_EXPORT_COMMANDS.map((c) => `${c.format}-${c.scope}`)).toEqual([
      'png-view',
      'png-full',
      'svg-view',
      'svg-full',
    ]);
    expect(matchCommands('')).toEqual([]);
    expect(matchCommands('export svg').map((c) => c.id)).toEqual([
      'graph.export.svg.view',
      'graph.export.svg.full',
    ]);
    expect(matchCommands('png whole').map((c) => c.id)).toEqual(['graph.export.png.full']);
    expect(matchCommands('checkout')).toEqual([]);
    const key = { key: 'E', ctrlKey: true, metaKey: false, shiftKey: true, altKey: false };
    expect(commandForKey(key)?.id).toBe('graph.export.png.view');
    expect(commandForKey({ ...key, shiftKey: false })).toBeUndefined();
  });
});

describe('label search', () => {
  it('reads kubectl -l selectors, and leaves plain words to the text filter', () => {
    expect(looksLikeLabelQuery('checkout')).toBe(false);
    expect(looksLikeLabelQuery('app=web')).toBe(true);
    expect(looksLikeLabelQuery('env in (a,b)')).toBe(true);
    expect(looksLikeLabelQuery('!canary')).toBe(true);
    const q = parseLabelQuery('app=web, tier!=db, env in (prod,stage), !canary, team');
    expect(q).toEqual({
      ok: true,
      text: 'app=web, tier!=db, env in (prod,stage), !canary, team',
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'env', operator: 'In', values: ['prod', 'stage'] },
          { key: 'canary', operator: 'DoesNotExist', values: [] },
          { key: 'team', operator: 'Exists', values: [] },
        ],
      },
    });
    expect(parseLabelQuery('tier in (db').ok).toBe(false);
    expect(parseLabelQuery('app=we b').ok).toBe(false);
    expect(parseLabelQuery('a=,').ok).toBe(false);
  });

  it('is answered by the worker with the evaluator’s selector matching', () => {
    const snapshot = demo();
    const engine = createAnalysisEngine();
    engine.handle({ id: 1, method: 'load', params: { snapshot, revision: 1 } });
    const ask = (query: string): LabelMatch => {
      const r = engine.handle({ id: 2, method: 'matchLabels', params: { query } });
      if (!r.ok) throw new Error(r.error);
      return r.value as LabelMatch;
    };
    const db = ask('tier=database');
    const expected = snapshot.pods.filter((p) => p.labels['tier'] === 'database').map(podKey);
    expect(db).toEqual({ ok: true, query: 'tier=database', pods: expected });
    expect(expected.length).toBeGreaterThan(0);
    const notDb = ask('tier!=database');
    expect(notDb.ok && notDb.pods.length + expected.length).toBe(snapshot.pods.length);
    const sel = parseLabelQuery('tier in (database,api)');
    const both = ask('tier in (database,api)');
    expect(both.ok && both.pods).toEqual(
      snapshot.pods.filter((p) => sel.ok && selectorMatches(sel.selector, p.labels)).map(podKey),
    );
    expect(ask('tier in (db')).toMatchObject({ ok: false });
  });
});
