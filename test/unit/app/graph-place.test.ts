import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { PLACE_IN_PLACE_MAX, placeInPlace } from '../../../renderer/src/graph/place.ts';

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
