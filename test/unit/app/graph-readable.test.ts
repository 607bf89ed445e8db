/**
 * The graph readable at any size (issue 12): collapsed namespaces sized by their pod count and packed
 * without holes, selection edges thickened and counted when zoomed out, and the viewport a selection
 * moves to (its subjects and peers, fitted, not blown up).
 */
import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { revealTarget } from '../../../renderer/src/graph/reveal.ts';
import { applyEdgeZoom, EDGE_ZOOM, edgeSizeAt, pairWeight } from '../../../renderer/src/graph/edge-zoom.ts';
import { buildGraph, collapsedHeight } from '../../../renderer/src/graph/elements.ts';
import { packPositions } from '../../../renderer/src/graph/layout.ts';
import { buildOverlay, type OverlayConnection } from '../../../renderer/src/graph/overlay.ts';
import {
  buildStylesheet,
  COLLAPSED_WIDTH,
  FALLBACK as FALLBACK_THEME,
} from '../../../renderer/src/graph/style.ts';
import { generateCluster } from '../../bench/generate.ts';

const cluster = generateCluster({ seed: 3, namespaces: 80, pods: 1600, policies: 60 });

describe('collapsed namespaces in the overview', () => {
  it('are labelled with their name and pod count, and grow with it', () => {
    const graph = buildGraph(cluster, { collapseAbove: 200 });
    const nodes = graph.elements.filter((e) => String(e.classes).includes('collapsed'));
    expect(nodes.length).toBeGreaterThan(40);
    for (const n of nodes) {
      const ns = String(n.data['ref']);
      const pods = cluster.pods.filter((p) => p.namespace === ns).length;
      expect(n.data['label']).toBe(`${ns}\n${pods} ${pods === 1 ? 'pod' : 'pods'}`);
      expect(n.data['size']).toBe(Math.round(collapsedHeight(pods)));
    }
    expect(collapsedHeight(40)).toBeGreaterThan(collapsedHeight(5));
    expect(collapsedHeight(1000)).toBeGreaterThan(collapsedHeight(100));
    // Past 100 pods growth slows: one huge namespace does not dwarf the rest.
    expect(collapsedHeight(1000)).toBeLessThan(3 * collapsedHeight(100));
  });

  it('are packed in columns without overlapping, in a box about as wide as a screen', () => {
    const graph = buildGraph(cluster, { collapseAbove: 0 });
    const cy = cytoscape({ headless: true, styleEnabled: true, style: buildStylesheet(FALLBACK_THEME) });
    cy.add(graph.elements);
    const positions = packPositions(cy);
    const boxes = cy.nodes('.collapsed').map((n) => {
      const p = positions.get(n.id());
      if (p === undefined) throw new Error(`no position for ${n.id()}`);
      const h = Number(n.data('size'));
      return {
        x1: p.x - COLLAPSED_WIDTH / 2,
        x2: p.x + COLLAPSED_WIDTH / 2,
        y1: p.y - h / 2,
        y2: p.y + h / 2,
      };
    });
    expect(boxes).toHaveLength(80);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
        expect(overlap, `${i} and ${j} overlap`).toBe(false);
      }
    const width = Math.max(...boxes.map((b) => b.x2)) - Math.min(...boxes.map((b) => b.x1));
    const height = Math.max(...boxes.map((b) => b.y2)) - Math.min(...boxes.map((b) => b.y1));
    expect(width / height).toBeGreaterThan(0.9);
    expect(width / height).toBeLessThan(2.2);
    // Masonry: no column much taller than the others (no hole left at the bottom).
    const bottoms = new Map<number, number>();
    for (const b of boxes) bottoms.set(b.x1, Math.max(bottoms.get(b.x1) ?? 0, b.y2));
    const tallest = Math.max(...bottoms.values());
    expect(Math.min(...bottoms.values())).toBeGreaterThan(tallest - 2 * collapsedHeight(60));
    cy.destroy();
  });
});

describe('selection edges zoomed out', () => {
  it('are drawn thicker with the number of pairs they stand for, and scaled up below EDGE_ZOOM', () => {
    expect(pairWeight(1)).toBe(1);
    expect(pairWeight(10)).toBe(2);
    expect(pairWeight(100_000)).toBe(3);
    expect(edgeSizeAt({ width: 2, font: 10 }, 1, 1.5)).toEqual({ width: 2, font: 10 });
    const far = edgeSizeAt({ width: 2, font: 10 }, 1, 0.2);
    // On screen (model size × zoom) as wide as at EDGE_ZOOM: not a hairline.
    expect(far.width * 0.2).toBeCloseTo(2 * EDGE_ZOOM);
    expect(far.font * 0.2).toBeCloseTo(10 * EDGE_ZOOM);
  });

  it('applies to the overlay edges on the canvas, counting pairs in the label', () => {
    const graph = buildGraph(cluster, { collapseAbove: 0 });
    const pods = cluster.pods;
    const to = pods[0]!;
    const conns: OverlayConnection[] = pods
      .filter((p) => p.namespace !== to.namespace)
      .slice(0, 300)
      .map((p) => ({
        from: { kind: 'pod', namespace: p.namespace, name: p.name },
        to: { kind: 'pod', namespace: to.namespace, name: to.name },
        cls: 'flowing',
        probe: { protocol: 'TCP', port: 443 },
      }));
    const overlay = buildOverlay(conns, graph, { ports: [], mentioned: [] }, { subjects: [conns[0]!.to] });
    const total = overlay.edges.reduce((n, e) => n + Number(e.data['pairs']), 0);
    expect(total).toBe(300);
    const many = overlay.edges.find((e) => Number(e.data['pairs']) > 1);
    expect(String(many?.data['title'])).toMatch(/^\d+ pairs · TCP 443$/);
    const cy = cytoscape({ headless: true, styleEnabled: true, style: buildStylesheet(FALLBACK_THEME) });
    cy.add(graph.elements);
    cy.add(overlay.edges);
    cy.zoom(0.25);
    applyEdgeZoom(cy);
    const edge = cy.getElementById(String(many?.data.id));
    const expected = edgeSizeAt({ width: 2.6, font: 10 }, Number(many?.data['pairs']), 0.25);
    expect(edge.numericStyle('width')).toBeCloseTo(expected.width);
    // Zooming back in brings them back to their own size.
    cy.zoom(2);
    applyEdgeZoom(cy);
    expect(edge.numericStyle('width')).toBeCloseTo(2.6 * pairWeight(Number(many?.data['pairs'])));
    cy.destroy();
  });
});

describe('zoom to selection', () => {
  const viewport = { width: 1000, height: 700, zoom: 0.2, pan: { x: 0, y: 0 } };

  it('fits a box outside the view, and one too small to read, no closer than the readable maximum', () => {
    const outside = revealTarget(viewport, { x1: 6000, y1: 4000, w: 1500, h: 900 });
    expect(outside).toBeDefined();
    // Centred on the box.
    expect(outside!.pan.x + (6000 + 750) * outside!.zoom).toBeCloseTo(500);
    expect(outside!.pan.y + (4000 + 450) * outside!.zoom).toBeCloseTo(350);
    expect(outside!.zoom).toBeCloseTo(Math.min((1000 - 112) / 1500, (700 - 112) / 900));
    // Inside but tiny: zoomed in, a lone node with some surroundings (not blown up past 1.25).
    const tiny = revealTarget(viewport, { x1: 100, y1: 100, w: 160, h: 100 });
    expect(tiny!.zoom).toBeLessThanOrEqual(1.25);
    expect(tiny!.zoom).toBeCloseTo(Math.min((1000 - 112) / 520, (700 - 112) / 360, 1.25));
  });

  it('leaves a view alone that shows the box readably already', () => {
    expect(revealTarget({ ...viewport, zoom: 1 }, { x1: 100, y1: 100, w: 500, h: 300 })).toBeUndefined();
    expect(
      revealTarget({ ...viewport, zoom: 1 }, { x1: 100, y1: 100, w: 500, h: 300 }, { force: true }),
    ).toBeDefined();
  });
});
