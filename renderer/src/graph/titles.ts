/**
 * Group titles drawn above the edges. Cytoscape draws a node's label with the node itself, and a
 * namespace box is drawn under the edges that cross it (a selection's edges even come to the top), so
 * its title was struck through by them or hidden under their labels. Each open group (a namespace with
 * its pods, the outside-the-cluster box) gets a title node of its own: a label on a patch of the
 * canvas colour, drawn above every edge, at the place of the box's own label. Titles are kept in step
 * with the boxes when the graph is laid out or a box is dragged (never per frame); the stylesheet
 * (style.ts, `node.title`) draws them.
 */
import type { Core, NodeSingular } from 'cytoscape';

export const TITLE_CLASS = 'title';
const PREFIX = 'title:';

/** The title node's id for a group node's id. */
export const titleId = (groupId: string): string => `${PREFIX}${groupId}`;

/** Groups that have a title: namespace boxes with their pods shown, and the outside-the-cluster box. */
function titledGroups(cy: Core): NodeSingular[] {
  return cy
    .nodes('.namespace, .external-group')
    .filter((n) => n.isParent())
    .toArray() as NodeSingular[];
}

/** Where a group's title goes: the middle of the box's top edge. */
function titlePosition(group: NodeSingular): { x: number; y: number } {
  const box = group.boundingBox({ includeLabels: false, includeOverlays: false });
  return { x: (box.x1 + box.x2) / 2, y: box.y1 };
}

/** The colour class the title takes from its group (`ns-color-N`), or none. */
function colourClass(group: NodeSingular): string {
  return group.classes().find((c) => c.startsWith('ns-color-')) ?? '';
}

/**
 * Gives every titled group a title node where its box is now, and drops the titles of groups that are
 * gone or collapsed. One batch; its cost grows with the number of groups, and it runs when the graph
 * is laid out, not while it is drawn.
 */
export function syncTitles(cy: Core): void {
  // Read before the batch: inside one, a compound's box is not brought up to date with its children.
  const titles = titledGroups(cy).map((group) => ({
    id: titleId(group.id()),
    of: group.id(),
    label: String(group.data('label') ?? ''),
    classes: [TITLE_CLASS, group.hasClass('external-group') ? 'title-external' : colourClass(group)]
      .filter(Boolean)
      .join(' '),
    position: titlePosition(group),
  }));
  const wanted = new Set(titles.map((t) => t.id));
  cy.batch(() => {
    for (const t of titles) {
      const existing = cy.getElementById(t.id);
      if (existing.empty()) {
        cy.add({
          group: 'nodes',
          data: { id: t.id, kind: 'title', label: t.label, of: t.of },
          classes: t.classes,
          position: t.position,
        });
        continue;
      }
      if (existing.data('label') !== t.label) existing.data('label', t.label);
      if (!t.classes.split(' ').every((c) => existing.hasClass(c))) existing.classes(t.classes);
      existing.position(t.position);
    }
    cy.nodes(`.${TITLE_CLASS}`)
      .filter((n) => !wanted.has(n.id()))
      .remove();
  });
}

/** Removes every title (before a layout, which must not place them, or a sync that rebuilds groups). */
export function removeTitles(cy: Core): void {
  cy.nodes(`.${TITLE_CLASS}`).remove();
}

/** Moves the title of the group a dragged node belongs to (or is) along with its box. */
export function followDrag(cy: Core, node: NodeSingular): void {
  const groups = node.isParent() ? node : node.parent();
  groups.forEach((group) => {
    const title = cy.getElementById(titleId(group.id()));
    if (title.nonempty()) title.position(titlePosition(group));
  });
}

/**
 * A title follows its group's dimming: faded with it on a small graph (`title-faded`), and under a big
 * graph's veil (`title-veiled`) unless the selection concerns the group. Classes of their own, as the
 * generic `faded` would give the title's invisible node a fill. Returns how many titles changed.
 */
export function markTitle(cy: Core, group: NodeSingular, faded: boolean, veiled: boolean): number {
  const title = cy.getElementById(titleId(group.id()));
  if (title.empty()) return 0;
  let changed = 0;
  for (const [cls, on] of [
    ['title-faded', faded],
    ['title-veiled', veiled],
  ] as const) {
    if (title.hasClass(cls) !== on) {
      title.toggleClass(cls, on);
      changed++;
    }
  }
  return changed;
}
