/**
 * The highlight layer that shows a big graph's selection before cytoscape does: a scrim with holes
 * and rings at the subjects' rendered boxes, following pan and zoom, gone when cleared. The canvas
 * context records its calls (happy-dom has no 2D canvas), and cytoscape runs headless.
 */
import cytoscape, { type Core } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { createHighlightLayer, SCRIM_ALPHA } from '../../../renderer/src/graph/highlight-layer.ts';

type Call = readonly [string, ...unknown[]];

function recordingCanvas(): { canvas: HTMLCanvasElement; calls: Call[] } {
  const calls: Call[] = [];
  const state = { globalAlpha: 1, fillStyle: '', strokeStyle: '', lineWidth: 1 };
  const context = new Proxy(state, {
    get(target, key: string) {
      if (key in target) return target[key as keyof typeof target];
      return (...args: unknown[]) => calls.push([key, ...args]);
    },
    set(target, key: string, value: unknown) {
      (target as Record<string, unknown>)[key] = value;
      calls.push([`set ${key}`, value]);
      return true;
    },
  });
  const canvas = { width: 0, height: 0, getContext: () => context } as unknown as HTMLCanvasElement;
  return { canvas, calls };
}

function graph(): Core {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    layout: { name: 'preset', fit: false },
    style: [{ selector: 'node', style: { width: 40, height: 20, shape: 'round-rectangle' } }],
    elements: [
      { data: { id: 'a' }, position: { x: 100, y: 100 } },
      { data: { id: 'b' }, position: { x: 300, y: 200 } },
    ],
  });
  // Headless cytoscape has no container to measure: give it a viewport.
  cy.width = () => 800;
  cy.height = () => 600;
  return cy;
}

const COLORS = { scrim: '#ffffff', ring: '#4f46e5' };
const named = (calls: readonly Call[], name: string) => calls.filter((c) => c[0] === name);

describe('the highlight layer', () => {
  it('veils the viewport, leaves a hole and a ring at each subject, and skips unknown ids', () => {
    const cy = graph();
    const { canvas, calls } = recordingCanvas();
    const layer = createHighlightLayer(canvas, cy);
    layer.show(['a', 'nowhere'], true, COLORS);
    expect(layer.active).toBe(true);
    expect([canvas.width, canvas.height]).toEqual([800, 600]);
    expect(calls).toContainEqual(['set globalAlpha', SCRIM_ALPHA]);
    expect(named(calls, 'fillRect')).toEqual([['fillRect', 0, 0, 800, 600]]);
    // Node a: 40×20 at (100, 100), zoom 1, 5 units of padding.
    const holes = named(calls, 'clearRect').slice(1);
    expect(holes).toHaveLength(1);
    const [, x, y, w, h] = holes[0] as [string, number, number, number, number];
    expect(x).toBeLessThanOrEqual(80 - 5);
    expect(y).toBeLessThanOrEqual(90 - 5);
    expect(x + w).toBeGreaterThanOrEqual(120 + 5);
    expect(y + h).toBeGreaterThanOrEqual(110 + 5);
    expect(named(calls, 'roundRect')).toEqual([['roundRect', x, y, w, h, expect.any(Number)]]);
    expect(named(calls, 'stroke')).toHaveLength(1);
  });

  it('without dimming only rings; follows pan and zoom; clears and stops following', () => {
    const cy = graph();
    const { canvas, calls } = recordingCanvas();
    const layer = createHighlightLayer(canvas, cy);
    layer.show(['b'], false, COLORS);
    expect(named(calls, 'fillRect')).toEqual([]);
    const first = named(calls, 'roundRect')[0] as [string, number, number];

    calls.length = 0;
    cy.pan({ x: 50, y: -20 });
    const moved = named(calls, 'roundRect')[0] as [string, number, number];
    expect(moved[1] - first[1]).toBeCloseTo(50);
    expect(moved[2] - first[2]).toBeCloseTo(-20);

    calls.length = 0;
    layer.clear();
    expect(layer.active).toBe(false);
    expect(named(calls, 'clearRect')).toEqual([['clearRect', 0, 0, 800, 600]]);
    expect(named(calls, 'roundRect')).toEqual([]);

    calls.length = 0;
    cy.zoom(2);
    expect(calls).toEqual([]);
    layer.show(['b'], false, COLORS);
    layer.dispose();
    calls.length = 0;
    cy.pan({ x: 0, y: 0 });
    expect(calls).toEqual([]);
  });

  it('keeps a ring findable when zoomed far out', () => {
    const cy = graph();
    const { canvas, calls } = recordingCanvas();
    const layer = createHighlightLayer(canvas, cy);
    cy.zoom({ level: 0.1, position: { x: 0, y: 0 } });
    layer.show(['a'], false, COLORS);
    const [, x, y, w, h] = named(calls, 'roundRect')[0] as [string, number, number, number, number];
    expect(Math.min(w, h)).toBeGreaterThanOrEqual(14);
    // Centred on the node (100, 100) at zoom 0.1.
    expect(x + w / 2).toBeCloseTo(10, 0);
    expect(y + h / 2).toBeCloseTo(10, 0);
  });

  it('leaves out subjects scrolled out of view', () => {
    const cy = graph();
    const { canvas, calls } = recordingCanvas();
    const layer = createHighlightLayer(canvas, cy);
    cy.pan({ x: -2000, y: 0 });
    layer.show(['a', 'b'], true, COLORS);
    expect(named(calls, 'roundRect')).toEqual([]);
    expect(named(calls, 'fillRect')).toHaveLength(1);
  });
});
