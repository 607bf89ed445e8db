/**
 * Applying elements to a live cytoscape instance by id, in one batch, keeping what did not change.
 * Elements of the selection overlay (class `overlay`) are not the snapshot's and are left alone.
 */
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';

export interface SyncResult {
  readonly added: number;
  readonly removed: number;
  readonly updated: number;
  /** Ids of the elements this sync added. */
  readonly addedIds: readonly string[];
  /** Nodes that lost all their children (a namespace collapsed); each keeps its open box in `OPEN_BOX`. */
  readonly closedIds: readonly string[];
}

/** Scratch key: the box a childless node had when a sync gave it children. */
export const LEAF_BOX = '_netglassLeafBox';
/** Scratch key: the box a node had with its children when a sync took them all away. */
export const OPEN_BOX = '_netglassOpenBox';

/** Classes the selection overlay puts on the snapshot's nodes; a sync keeps them. */
export const TRANSIENT_CLASSES: readonly string[] = ['dimmed', 'faded', 'subject', 'far'];

const classString = (def: ElementDefinition): string =>
  typeof def.classes === 'string' ? def.classes : (def.classes ?? []).join(' ');

function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  return keys.every((k) => a[k] === b[k]);
}

/**
 * Elements whose data and classes did not change are not touched (restyling every node is what makes
 * big graphs slow), so `updated` counts only those that did.
 */
export function syncElements(cy: Core, elements: readonly ElementDefinition[]): SyncResult {
  const wanted = new Map<string, ElementDefinition>();
  for (const def of elements) {
    const id = def.data.id;
    if (id !== undefined) wanted.set(id, def);
  }
  let added = 0;
  const addedIds: string[] = [];
  const closedIds: string[] = [];
  let removed = 0;
  let updated = 0;
  const stale = cy.elements().filter((ele) => !ele.hasClass('overlay') && !wanted.has(ele.id()));
  // Parents left without children (a namespace collapsed): keep where they stood open, so what moved
  // aside when they opened can move back (place.ts, `closeInPlace`). Read before the batch: inside
  // one, a compound's box is not brought up to date with its children.
  const staleIds = new Set(stale.map((e) => e.id()));
  stale.nodes().forEach((node) => {
    const parent = node.parent().first();
    if (parent.empty() || staleIds.has(parent.id()) || closedIds.includes(parent.id())) return;
    if (parent.children().every((c) => staleIds.has((c as NodeSingular).id()))) {
      parent.scratch(OPEN_BOX, parent.boundingBox({ includeLabels: false }));
      closedIds.push(parent.id());
    }
  });
  cy.batch(() => {
    removed = stale.length;
    stale.remove();
    const fresh: ElementDefinition[] = [];
    for (const [id, def] of wanted) {
      const existing = cy.getElementById(id);
      if (existing.empty()) {
        fresh.push(def);
        continue;
      }
      const parent = (def.data as { parent?: string }).parent;
      let changed = false;
      if (existing.isNode() && (existing.parent().first().id() || undefined) !== parent) {
        existing.move({ parent: parent ?? null });
        changed = true;
      }
      if (!sameData(existing.data() as Record<string, unknown>, def.data)) {
        existing.data(def.data);
        changed = true;
      }
      const classes = classString(def);
      if (existing.scratch('_netglassClasses') !== classes) {
        const keep = TRANSIENT_CLASSES.filter((c) => existing.hasClass(c));
        existing.classes([classes, ...keep].join(' '));
        existing.scratch('_netglassClasses', classes);
        changed = true;
      }
      if (changed) updated++;
    }
    // A node about to get its first children (a collapsed namespace opened) loses its own box to
    // theirs: keep where it was, so the children can be placed there (place.ts, `placeInPlace`).
    for (const def of fresh) {
      const parentId = (def.data as { parent?: string }).parent;
      if (parentId === undefined) continue;
      const parent = cy.getElementById(parentId);
      // Written afresh each time: a box left from an earlier opening (laid out in full) is stale.
      if (parent.nonempty() && parent.isChildless())
        parent.scratch(LEAF_BOX, parent.boundingBox({ includeLabels: false }));
    }
    // One `add` for all new elements: cytoscape then indexes and styles them together.
    if (fresh.length > 0) {
      cy.add(fresh).forEach((ele) => {
        const def = wanted.get(ele.id());
        if (def !== undefined) ele.scratch('_netglassClasses', classString(def));
        addedIds.push(ele.id());
      });
      added = fresh.length;
    }
  });
  return { added, removed, updated, addedIds, closedIds };
}

/** Fits everything into view, without zooming in past a readable maximum on small graphs. */
export function fitGraph(cy: Core, padding = 48, maxZoom = 1.25): void {
  // The selection's veil (a node far bigger than the graph) does not count.
  const eles = cy.elements().not('.veil');
  if (eles.empty()) return;
  cy.fit(eles, padding);
  if (cy.zoom() > maxZoom) {
    cy.zoom(maxZoom);
    cy.center();
  }
}
