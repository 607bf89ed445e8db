/**
 * Applying elements to a live cytoscape instance by id, in one batch, keeping what did not change.
 * Elements of the selection overlay (class `overlay`) are not the snapshot's and are left alone.
 */
import type { Core, ElementDefinition } from 'cytoscape';

export interface SyncResult {
  readonly added: number;
  readonly removed: number;
  readonly updated: number;
}

export function syncElements(cy: Core, elements: readonly ElementDefinition[]): SyncResult {
  const wanted = new Map<string, ElementDefinition>();
  for (const def of elements) {
    const id = def.data.id;
    if (id !== undefined) wanted.set(id, def);
  }
  let added = 0;
  let removed = 0;
  let updated = 0;
  cy.batch(() => {
    const stale = cy.elements().filter((ele) => !ele.hasClass('overlay') && !wanted.has(ele.id()));
    removed = stale.length;
    stale.remove();
    for (const [id, def] of wanted) {
      const existing = cy.getElementById(id);
      if (existing.empty()) {
        cy.add(def);
        added++;
        continue;
      }
      const parent = (def.data as { parent?: string }).parent;
      if (existing.isNode() && (existing.parent().first().id() || undefined) !== parent) {
        existing.move({ parent: parent ?? null });
      }
      existing.data(def.data);
      existing.classes(typeof def.classes === 'string' ? def.classes : (def.classes ?? []).join(' '));
      updated++;
    }
  });
  return { added, removed, updated };
}

/** Fits everything into view, without zooming in past a readable maximum on small graphs. */
export function fitGraph(cy: Core, padding = 48, maxZoom = 1.25): void {
  if (cy.elements().empty()) return;
  cy.fit(undefined, padding);
  if (cy.zoom() > maxZoom) {
    cy.zoom(maxZoom);
    cy.center();
  }
}
