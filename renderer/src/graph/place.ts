/**
 * Changes that should not move the world. Laying the whole graph out again moves every node the user
 * has been looking at, so two kinds of change are placed in place instead:
 *
 * - a live source's few new pods: each goes after its siblings inside its namespace and fades in;
 * - a namespace opened on the graph (it was one collapsed node): its pods are laid out in a grid where
 *   the collapsed node stood, and the nodes to its right and below move over to make room. Nothing
 *   else moves, and the view stays where it is.
 */
import type { BoundingBox12, Core, NodeCollection, NodeSingular } from 'cytoscape';
import { LEAF_BOX } from './sync.ts';

/** Above this many new nodes in namespaces that already had some, a full layout is the better answer. */
export const PLACE_IN_PLACE_MAX = 24;
/** Above this many pods, an opened namespace is laid out with the rest of the graph. */
export const OPEN_IN_PLACE_MAX = 600;
const GAP = 16;

/**
 * Places the given new nodes. Returns false, placing nothing, when the change needs a full layout:
 * too many nodes, a node without a parent, or a parent that is new itself.
 */
export function placeInPlace(cy: Core, addedIds: readonly string[], animate: boolean): boolean {
  const isNew = new Set(addedIds);
  const opened = new Map<string, { parent: NodeSingular; children: NodeSingular[] }>();
  const appended: NodeSingular[] = [];
  for (const id of addedIds) {
    const node = cy.getElementById(id);
    if (node.empty() || !node.isNode()) continue;
    const parent = node.parent().first();
    if (parent.empty() || isNew.has(parent.id())) return false;
    const hadChildren = parent.children().some((c) => !isNew.has((c as NodeSingular).id()));
    if (hadChildren) {
      appended.push(node);
      continue;
    }
    const entry = opened.get(parent.id()) ?? { parent, children: [] };
    entry.children.push(node);
    opened.set(parent.id(), entry);
  }
  if (appended.length > PLACE_IN_PLACE_MAX) return false;
  if ([...opened.values()].some((o) => o.children.length > OPEN_IN_PLACE_MAX)) return false;
  const grown: { parent: NodeSingular; before: BoundingBox12 }[] = [];
  cy.batch(() => {
    for (const { parent, children } of opened.values())
      grown.push({ parent, before: openInPlace(parent, children) });
    for (const node of appended) appendToSiblings(node, isNew, animate);
  });
  // Read outside a batch: cytoscape brings a compound's box up to date with its children only then.
  const afters = grown.map((g) => g.parent.boundingBox({ includeLabels: false }));
  if (grown.length > 0)
    cy.batch(() => {
      grown.forEach(({ parent, before }, i) => {
        const after = afters[i];
        if (after !== undefined) makeRoom(cy, parent, before, after);
      });
    });
  return true;
}

/** Lays `children` out in a grid where their parent stood; returns the box it had there. */
function openInPlace(parent: NodeSingular, children: readonly NodeSingular[]): BoundingBox12 {
  const stored = parent.scratch(LEAF_BOX) as BoundingBox12 | undefined;
  parent.removeScratch(LEAF_BOX);
  const at = parent.position();
  const before: BoundingBox12 = stored ?? { x1: at.x, y1: at.y, x2: at.x, y2: at.y };
  const cellW = Math.max(...children.map((c) => c.outerWidth())) + GAP;
  const cellH = Math.max(...children.map((c) => c.outerHeight())) + GAP;
  // The same proportions as the packed layout's namespaces (layout.ts).
  const cols = Math.max(1, Math.ceil(Math.sqrt(children.length * 1.6)));
  children.forEach((child, i) => {
    child.position({
      x: before.x1 + (i % cols) * cellW + cellW / 2,
      y: before.y1 + Math.floor(i / cols) * cellH + cellH / 2,
    });
  });
  return before;
}

/**
 * `parent` grew from `before` to `after` (anchored at its top-left): top-level nodes below it move
 * down by the growth in height, and those beside it, right of it in its rows, move right by the growth
 * in width. The packed layout's rows are top-aligned, so neither move makes a new overlap.
 */
function makeRoom(cy: Core, parent: NodeSingular, before: BoundingBox12, after: BoundingBox12): void {
  const dx = Math.max(0, after.x2 - before.x2) + (after.x2 > before.x2 ? GAP : 0);
  const dy = Math.max(0, after.y2 - before.y2) + (after.y2 > before.y2 ? GAP : 0);
  if (dx === 0 && dy === 0) return;
  const moves: { nodes: NodeCollection; x: number; y: number }[] = [];
  cy.nodes()
    .orphans()
    .forEach((top) => {
      if (top.same(parent) || top.hasClass('overlay')) return;
      const b = top.boundingBox({ includeLabels: false });
      const below = b.y1 >= before.y2 - 1;
      // Moving down clears what is below; what is beside it, in its rows, moves right.
      const right = !below && b.x1 >= before.x2 - 1 && b.y1 < after.y2 && b.y2 > after.y1;
      if (!right && !below) return;
      const nodes = top.isParent() ? top.descendants().filter((d) => d.isChildless()) : top;
      moves.push({ nodes, x: right ? dx : 0, y: below ? dy : 0 });
    });
  for (const m of moves) m.nodes.shift({ x: m.x, y: m.y });
}

/** After the last node of the last row while it fits the namespace's width, else on a new row. */
function appendToSiblings(node: NodeSingular, isNew: ReadonlySet<string>, animate: boolean): void {
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
    let last = first;
    for (const n of siblings) {
      const p = n.position();
      const q = last.position();
      if (p.y > q.y || (p.y === q.y && p.x > q.x)) last = n;
    }
    const right = last.position('x') + last.outerWidth() / 2 + GAP + width / 2;
    node.position(
      right + width / 2 <= box.x2 + 1
        ? { x: right, y: last.position('y') }
        : { x: box.x1 + width / 2, y: box.y2 + GAP + height / 2 },
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
