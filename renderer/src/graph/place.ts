/**
 * A live source changes a few pods at a time. Laying the whole graph out again would move every node
 * the user has been looking at, so small additions are placed in place instead: each new node goes
 * after its siblings inside its namespace, fades in, and nothing else moves.
 */
import type { Core, NodeSingular } from 'cytoscape';

/** Above this many new nodes (or when a new namespace appears) a full layout is the better answer. */
export const PLACE_IN_PLACE_MAX = 24;

/**
 * Places the given new nodes next to their siblings. Returns false, placing nothing, when the change
 * needs a full layout: too many nodes, a node without a parent, or a parent that is new itself.
 */
export function placeInPlace(cy: Core, addedIds: readonly string[], animate: boolean): boolean {
  const added: NodeSingular[] = [];
  for (const id of addedIds) {
    const ele = cy.getElementById(id);
    if (ele.nonempty() && ele.isNode()) added.push(ele);
  }
  if (added.length === 0) return true;
  if (added.length > PLACE_IN_PLACE_MAX) return false;
  const isNew = new Set(addedIds);
  for (const node of added) {
    const parent = node.parent().first();
    if (parent.empty() || isNew.has(parent.id())) return false;
  }
  cy.batch(() => {
    for (const node of added) {
      const parent = node.parent().first();
      const siblings: NodeSingular[] = [];
      parent.children().forEach((n) => {
        if (!isNew.has(n.id()) || n.scratch('_netglassPlaced') === true) siblings.push(n);
      });
      const width = node.outerWidth();
      const height = node.outerHeight();
      const [first] = siblings;
      if (first === undefined) {
        node.position(parent.position());
      } else {
        const box = { x1: Infinity, x2: -Infinity, y2: -Infinity };
        for (const n of siblings) {
          const p = n.position();
          box.x1 = Math.min(box.x1, p.x - n.outerWidth() / 2);
          box.x2 = Math.max(box.x2, p.x + n.outerWidth() / 2);
          box.y2 = Math.max(box.y2, p.y + n.outerHeight() / 2);
        }
        // After the last node of the last row while it fits the namespace's width, else a new row.
        let last = first;
        for (const n of siblings) {
          const p = n.position();
          const q = last.position();
          if (p.y > q.y || (p.y === q.y && p.x > q.x)) last = n;
        }
        const gap = 16;
        const right = last.position('x') + last.outerWidth() / 2 + gap + width / 2;
        node.position(
          right + width / 2 <= box.x2 + 1
            ? { x: right, y: last.position('y') }
            : { x: box.x1 + width / 2, y: box.y2 + gap + height / 2 },
        );
      }
      node.scratch('_netglassPlaced', true);
      if (animate) {
        node.style('opacity', 0);
        node.animate(
          { style: { opacity: 1 } },
          { duration: 300, complete: () => void node.removeStyle('opacity') },
        );
      }
    }
  });
  return true;
}
