import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import type { Core, NodeSingular } from 'cytoscape';
import { applyOverlay } from '../../../renderer/src/graph/apply-overlay.ts';
import { EMPTY_OVERLAY, type Overlay } from '../../../renderer/src/graph/overlay.ts';
import { buildStylesheet, FALLBACK } from '../../../renderer/src/graph/style.ts';
import { followDrag, removeTitles, syncTitles, titleId } from '../../../renderer/src/graph/titles.ts';

/** Two namespaces with pods, a collapsed one, the outside box, and an edge crossing them. */
function graph(): Core {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: buildStylesheet(FALLBACK) });
  cy.add([
    { data: { id: 'ns:shop', label: 'shop' }, classes: 'namespace ns-color-2' },
    { data: { id: 'pod:a', parent: 'ns:shop', label: 'a' }, classes: 'pod', position: { x: 0, y: 0 } },
    { data: { id: 'pod:b', parent: 'ns:shop', label: 'b' }, classes: 'pod', position: { x: 200, y: 0 } },
    { data: { id: 'ns:db', label: 'db' }, classes: 'namespace ns-color-1' },
    { data: { id: 'pod:c', parent: 'ns:db', label: 'c' }, classes: 'pod', position: { x: 0, y: 300 } },
    {
      data: { id: 'ns:big', label: 'big\n40 pods' },
      classes: 'namespace collapsed',
      position: { x: 600, y: 0 },
    },
    { data: { id: 'ext-group', label: 'Outside the cluster' }, classes: 'external-group' },
    {
      data: { id: 'ext:any', parent: 'ext-group', label: 'Any address' },
      classes: 'external',
      position: { x: 400, y: 300 },
    },
  ]);
  return cy;
}

const node = (cy: Core, id: string): NodeSingular => cy.getElementById(id);

describe('group titles above the edges', () => {
  it('gives each open group one title, at the middle of its top edge, and none to a collapsed one', () => {
    const cy = graph();
    syncTitles(cy);
    expect(
      cy
        .nodes('.title')
        .map((n) => n.id())
        .sort(),
    ).toEqual([titleId('ext-group'), titleId('ns:db'), titleId('ns:shop')]);
    const box = node(cy, 'ns:shop').boundingBox({ includeLabels: false, includeOverlays: false });
    const title = node(cy, titleId('ns:shop'));
    expect(title.position()).toEqual({ x: (box.x1 + box.x2) / 2, y: box.y1 });
    expect(title.data('label')).toBe('shop');
    // The namespace's colour, and the outside box's muted one.
    expect(title.hasClass('ns-color-2')).toBe(true);
    expect(title.style('color')).toBe(node(cy, 'ns:shop').style('color'));
    expect(node(cy, titleId('ext-group')).hasClass('title-external')).toBe(true);
  });

  it('is drawn above every edge, a selection’s too, on a patch of the canvas colour, and takes no clicks', () => {
    const cy = graph();
    syncTitles(cy);
    cy.add({ data: { id: 'e', source: 'pod:c', target: 'pod:b' }, classes: 'overlay flowing lit' });
    const title = node(cy, titleId('ns:db'));
    const edge = cy.getElementById('e');
    expect(title.style('z-compound-depth')).toBe('top');
    expect(title.style('z-index-compare')).toBe('manual');
    expect(edge.style('z-compound-depth')).toBe('top');
    expect(Number(title.numericStyle('z-index'))).toBeGreaterThan(Number(edge.numericStyle('z-index')));
    // FALLBACK.canvas, #f6f7f9.
    expect(title.style('text-background-color')).toBe('rgb(246,247,249)');
    expect(Number(title.numericStyle('text-background-opacity'))).toBe(1);
    expect(title.style('events')).toBe('no');
    // Its own box is invisible: only the label is drawn.
    expect(Number(title.numericStyle('background-opacity'))).toBe(0);
    expect(Number(title.numericStyle('border-width'))).toBe(0);
  });

  it('follows the boxes: a moved pod takes its title along, a removed group loses it, a resync is idempotent', () => {
    const cy = graph();
    syncTitles(cy);
    const before = { ...node(cy, titleId('ns:shop')).position() };
    node(cy, 'pod:b').position({ x: 500, y: -100 });
    followDrag(cy, node(cy, 'pod:b'));
    const moved = node(cy, titleId('ns:shop')).position();
    expect(moved.x).toBeGreaterThan(before.x);
    expect(moved.y).toBeLessThan(before.y);
    node(cy, 'pod:c').remove();
    syncTitles(cy);
    syncTitles(cy);
    expect(cy.nodes('.title')).toHaveLength(2);
    expect(cy.getElementById(titleId('ns:db')).empty()).toBe(true);
    removeTitles(cy);
    expect(cy.nodes('.title')).toHaveLength(0);
  });

  it('fades with its group when a selection leaves the group out, and stays lit with it otherwise', () => {
    const cy = graph();
    syncTitles(cy);
    const overlay: Overlay = { ...EMPTY_OVERLAY, focus: new Set(['pod:a']), subjects: new Set(['pod:a']) };
    applyOverlay(cy, overlay, true, false);
    expect(node(cy, 'ns:db').hasClass('faded')).toBe(true);
    expect(node(cy, titleId('ns:db')).hasClass('title-faded')).toBe(true);
    expect(Number(node(cy, titleId('ns:db')).numericStyle('text-opacity'))).toBeLessThan(1);
    expect(node(cy, titleId('ns:shop')).hasClass('title-faded')).toBe(false);
    // The title is never dimmed as a leaf, nor given the group's generic fade (a fill of its own).
    expect(node(cy, titleId('ns:db')).hasClass('faded')).toBe(false);
    expect(node(cy, titleId('ns:db')).hasClass('dimmed')).toBe(false);
    // On a big graph's veil: under it unless the selection concerns its group.
    applyOverlay(cy, overlay, true, true);
    expect(node(cy, titleId('ns:db')).hasClass('title-veiled')).toBe(true);
    expect(node(cy, titleId('ns:shop')).hasClass('title-veiled')).toBe(false);
    expect(Number(node(cy, titleId('ns:db')).numericStyle('z-index'))).toBeLessThan(
      Number(cy.nodes('.veil').first().numericStyle('z-index')),
    );
    applyOverlay(cy, EMPTY_OVERLAY, false, false);
    expect(cy.nodes('.title-faded, .title-veiled')).toHaveLength(0);
  });
});
