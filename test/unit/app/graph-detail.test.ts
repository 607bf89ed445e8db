import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { applyBadgeDetail, BADGE_MIN_ZOOM } from '../../../renderer/src/graph/detail.ts';

describe('badges on a zoomed-out graph', () => {
  it('are dropped below the minimum zoom and come back when zooming in', () => {
    const cy = cytoscape({ headless: true, styleEnabled: true });
    cy.add([
      { data: { id: 'p' }, classes: 'pod badge-ingress' },
      { data: { id: 'n' }, classes: 'collapsed' },
      { data: { id: 'x' }, classes: 'external' },
    ]);
    cy.zoom(BADGE_MIN_ZOOM / 2);
    applyBadgeDetail(cy);
    expect(cy.$('.far').map((n) => n.id())).toEqual(['p', 'n']);
    cy.add({ data: { id: 'q' }, classes: 'pod' });
    applyBadgeDetail(cy, true);
    expect(cy.getElementById('q').hasClass('far')).toBe(true);
    cy.zoom(1);
    applyBadgeDetail(cy);
    expect(cy.$('.far')).toHaveLength(0);
  });
});
