import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import type { BoundingBox12, Core } from 'cytoscape';
import { closeInPlace, PLACE_IN_PLACE_MAX, placeInPlace } from '../../../renderer/src/graph/place.ts';
import { syncElements } from '../../../renderer/src/graph/sync.ts';

function graph() {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: [{ selector: 'node', style: { width: 100, height: 40 } }],
  });
  cy.add([
    { data: { id: 'ns' } },
    { data: { id: 'a', parent: 'ns' }, position: { x: 0, y: 0 } },
    { data: { id: 'b', parent: 'ns' }, position: { x: 120, y: 0 } },
    { data: { id: 'c', parent: 'ns' }, position: { x: 0, y: 60 } },
  ]);
  return cy;
}

describe('placing a live source’s new pods in place', () => {
  it('puts a new pod after the last one of its namespace and moves nothing else', () => {
    const cy = graph();
    cy.add({ data: { id: 'd', parent: 'ns' } });
    expect(placeInPlace(cy, ['d'], false)).toBe(true);
    expect(cy.getElementById('d').position()).toEqual({ x: 116, y: 60 });
    expect(cy.getElementById('a').position()).toEqual({ x: 0, y: 0 });
    expect(cy.getElementById('b').position()).toEqual({ x: 120, y: 0 });
  });

  it('starts a new row when the last row is full', () => {
    const cy = graph();
    cy.add([{ data: { id: 'd', parent: 'ns' } }, { data: { id: 'e', parent: 'ns' } }]);
    expect(placeInPlace(cy, ['d', 'e'], false)).toBe(true);
    expect(cy.getElementById('d').position()).toEqual({ x: 116, y: 60 });
    expect(cy.getElementById('e').position()).toEqual({ x: 0, y: 116 });
  });

  it('leaves new namespaces, orphans and large changes to a full layout', () => {
    const cy = graph();
    cy.add([{ data: { id: 'ns2' } }, { data: { id: 'x', parent: 'ns2' } }, { data: { id: 'lone' } }]);
    expect(placeInPlace(cy, ['ns2', 'x'], false)).toBe(false);
    expect(placeInPlace(cy, ['lone'], false)).toBe(false);
    const many = Array.from({ length: PLACE_IN_PLACE_MAX + 1 }, (_, i) => `m${i}`);
    cy.add(many.map((id) => ({ data: { id, parent: 'ns' } })));
    expect(placeInPlace(cy, many, false)).toBe(false);
  });
});

/** A 3×3 grid of collapsed namespaces, 200 apart, as the packed layout leaves a big graph. */
function collapsedGrid(): { cy: Core; ids: string[] } {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: [{ selector: 'node', style: { width: 100, height: 40 } }],
  });
  const ids: string[] = [];
  for (let row = 0; row < 3; row++)
    for (let col = 0; col < 3; col++) {
      const id = `ns:${row}${col}`;
      ids.push(id);
      cy.add({ data: { id }, position: { x: col * 200, y: row * 200 } });
    }
  return { cy, ids };
}

const overlaps = (a: BoundingBox12, b: BoundingBox12): boolean =>
  a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

describe('opening a collapsed namespace in place', () => {
  it('lays its pods out where it stood and moves only what is right of it and below to make room', () => {
    const { cy, ids } = collapsedGrid();
    const before = new Map(ids.map((id) => [id, { ...cy.getElementById(id).position() }]));
    const pods = Array.from({ length: 12 }, (_, i) => ({ data: { id: `pod:${i}`, parent: 'ns:11' } }));
    // The elements a sync brings: the same nine namespaces, and the middle one's pods.
    const result = syncElements(cy, [...ids.map((id) => ({ data: { id } })), ...pods]);
    expect(result.addedIds).toHaveLength(12);
    expect(placeInPlace(cy, result.addedIds, false)).toBe(true);

    const opened = cy.getElementById('ns:11').boundingBox({ includeLabels: false });
    // Top-left where the collapsed node's box was (100×40 at (200, 200)), and a grid, not a column.
    expect(Math.abs(opened.x1 - 150)).toBeLessThanOrEqual(20);
    expect(Math.abs(opened.y1 - 180)).toBeLessThanOrEqual(20);
    expect(opened.w).toBeGreaterThan(opened.h);
    // Left and above: unmoved. Right in its row, and every row below: moved away.
    for (const id of ['ns:00', 'ns:01', 'ns:02', 'ns:10'])
      expect(cy.getElementById(id).position()).toEqual(before.get(id));
    expect(cy.getElementById('ns:12').position('x')).toBeGreaterThan(before.get('ns:12')?.x ?? 0);
    expect(cy.getElementById('ns:12').position('y')).toBe(before.get('ns:12')?.y);
    for (const id of ['ns:20', 'ns:21', 'ns:22']) {
      expect(cy.getElementById(id).position('y')).toBeGreaterThan(before.get(id)?.y ?? 0);
      expect(cy.getElementById(id).position('x')).toBe(before.get(id)?.x);
    }
    // Nothing overlaps the opened namespace, and the pods do not overlap one another.
    for (const id of ids.filter((i) => i !== 'ns:11'))
      expect(overlaps(cy.getElementById(id).boundingBox({ includeLabels: false }), opened)).toBe(false);
    const boxes = cy.nodes('[parent]').map((n) => n.boundingBox({ includeLabels: false }));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
  });

  it('collapsing it again puts everything back where it was, even after a neighbour opened too', () => {
    const { cy, ids } = collapsedGrid();
    const start = new Map(ids.map((id) => [id, { ...cy.getElementById(id).position() }]));
    const ns = (open: readonly string[]) =>
      ids.map((id) => ({ data: { id }, classes: open.includes(id) ? 'namespace' : 'namespace collapsed' }));
    const podsOf = (parent: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ data: { id: `pod:${parent}:${i}`, parent } }));
    syncElements(cy, ns([]));
    const open1 = syncElements(cy, [...ns(['ns:11']), ...podsOf('ns:11', 12)]);
    expect(placeInPlace(cy, open1.addedIds, false)).toBe(true);
    const open2 = syncElements(cy, [
      ...ns(['ns:11', 'ns:10']),
      ...podsOf('ns:11', 12),
      ...podsOf('ns:10', 5),
    ]);
    expect(placeInPlace(cy, open2.addedIds, false)).toBe(true);
    const close1 = syncElements(cy, [...ns(['ns:10']), ...podsOf('ns:10', 5)]);
    expect(close1.closedIds).toEqual(['ns:11']);
    closeInPlace(cy, close1.closedIds);
    const close2 = syncElements(cy, ns([]));
    closeInPlace(cy, close2.closedIds);
    for (const id of ids) {
      const p = cy.getElementById(id).position();
      expect(p.x, id).toBeCloseTo(start.get(id)?.x ?? NaN, 6);
      expect(p.y, id).toBeCloseTo(start.get(id)?.y ?? NaN, 6);
    }
  });

  it('moves an open neighbour with its pods', () => {
    const { cy, ids } = collapsedGrid();
    const first = syncElements(cy, [
      ...ids.map((id) => ({ data: { id } })),
      { data: { id: 'pod:right', parent: 'ns:01' } },
    ]);
    placeInPlace(cy, first.addedIds, false);
    const neighbour = cy.getElementById('pod:right').position('x');
    const second = syncElements(cy, [
      ...ids.map((id) => ({ data: { id } })),
      { data: { id: 'pod:right', parent: 'ns:01' } },
      ...Array.from({ length: 9 }, (_, i) => ({ data: { id: `pod:${i}`, parent: 'ns:00' } })),
    ]);
    expect(placeInPlace(cy, second.addedIds, false)).toBe(true);
    expect(cy.getElementById('pod:right').position('x')).toBeGreaterThan(neighbour);
    expect(
      overlaps(
        cy.getElementById('ns:00').boundingBox({ includeLabels: false }),
        cy.getElementById('ns:01').boundingBox({ includeLabels: false }),
      ),
    ).toBe(false);
  });
});
