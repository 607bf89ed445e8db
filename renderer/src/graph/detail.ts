/**
 * Level of detail for big graphs. Isolation badges are images: drawn on hundreds of nodes they make
 * every redraw slower (a selection highlight on a 10,000-pod cluster measured ~40 % faster without
 * them), and zoomed far out they are a few pixels wide anyway. Below `BADGE_MIN_ZOOM` they are not
 * drawn; zooming in brings them back.
 */
import type { Core } from 'cytoscape';

export const BADGE_MIN_ZOOM = 0.4;
const FAR = 'far';
const SCRATCH = '_netglassFar';

/** Marks badge-carrying nodes `far` when zoomed out; `force` re-applies after nodes were added. */
export function applyBadgeDetail(cy: Core, force = false): void {
  const far = cy.zoom() < BADGE_MIN_ZOOM;
  if (!force && cy.scratch(SCRATCH) === far) return;
  cy.scratch(SCRATCH, far);
  const nodes = cy.nodes('.pod, .collapsed');
  const changed = far ? nodes.not(`.${FAR}`) : nodes.filter(`.${FAR}`);
  if (changed.empty()) return;
  cy.batch(() => {
    changed.toggleClass(FAR, far);
  });
}
