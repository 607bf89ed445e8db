/**
 * Changes that should not move the world. Laying the whole graph out again moves every node the user
 * has been looking at, so two kinds of change are placed in place instead:
 *
 * - a live source's few new pods: each goes after its siblings inside its namespace and fades in;
 * - a namespace opened on the graph (it was one collapsed node): its pods are laid out in a grid where
 *   the collapsed node stood, and the nodes to its right and below move over to make room; collapsing
 *   it again moves them back. Nothing else moves.
 */
import type { BoundingBox12, Core, NodeCollection, NodeSingular } from 'cytoscape';
import { LEAF_BOX, OPEN_BOX } from './sync.ts';

/** Above this many new nodes in namespaces that already had some, a full layout is the better answer. */
export const PLACE_IN_PLACE_MAX = 24;
/** Above this many pods, an opened namespace is laid out with the rest of the graph. */
export const OPEN_IN_PLACE_MAX = 600;
const GAP = 16;
/** Scratch key: where an opened namespace stood collapsed (moved along when neighbours make room). */
const HOME = '_netglassCollapsedHome';

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
  parent.scratch(HOME, { ...before });
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
 * Namespaces collapsed again after `placeInPlace` opened them: each goes back where it stood, and what
 * moved aside when it opened moves back, so opening and collapsing leaves the graph as it was. Others
 * (open since the layout, or emptied by a live source) stay where cytoscape leaves them.
 */
export function closeInPlace(cy: Core, closedIds: readonly string[]): void {
  const closed: { node: NodeSingular; open: BoundingBox12; home: BoundingBox12 }[] = [];
  for (const id of closedIds) {
    const node = cy.getElementById(id);
    const open = node.scratch(OPEN_BOX) as BoundingBox12 | undefined;
    const home = node.scratch(HOME) as BoundingBox12 | undefined;
    node.removeScratch(OPEN_BOX);
    node.removeScratch(HOME);
    if (node.nonempty() && node.isChildless() && node.hasClass('collapsed') && open && home)
      closed.push({ node, open, home });
  }
  if (closed.length === 0) return;
  cy.batch(() => {
    for (const { node, home } of closed)
      node.position({ x: (home.x1 + home.x2) / 2, y: (home.y1 + home.y2) / 2 });
  });
  const afters = closed.map(({ node }) => node.boundingBox({ includeLabels: false }));
  cy.batch(() => {
    closed.forEach(({ node, open }, i) => {
      const after = afters[i];
      if (after !== undefined) makeRoom(cy, node, open, after);
    });
  });
}

/**
 * `parent` changed from `before` to `after` (anchored at its top-left): top-level nodes below it move
 * by the change in height, and those beside it, right of it in its rows, by the change in width (with
 * a gap when it grows, taken back when it shrinks). The packed layout's rows are top-aligned, so
 * neither move makes a new overlap.
 */
function makeRoom(cy: Core, parent: NodeSingular, before: BoundingBox12, after: BoundingBox12): void {
  const delta = (d: number): number => (d > 0 ? d + GAP : d < 0 ? d - GAP : 0);
  const dx = delta(after.x2 - before.x2);
  const dy = delta(after.y2 - before.y2);
  if (dx === 0 && dy === 0) return;
  const band = { y1: Math.min(before.y1, after.y1), y2: Math.max(before.y2, after.y2) };
  const moves: { top: NodeSingular; nodes: NodeCollection; x: number; y: number }[] = [];
  cy.nodes()
    .orphans()
    .forEach((top) => {
      if (top.same(parent) || top.hasClass('overlay')) return;
      const b = top.boundingBox({ includeLabels: false });
      const below = b.y1 >= before.y2 - 1;
      // Moving down clears what is below; what is beside it, in its rows, moves right.
      const right = !below && b.x1 >= before.x2 - 1 && b.y1 < band.y2 && b.y2 > band.y1;
      if (!right && !below) return;
      const nodes = top.isParent() ? top.descendants().filter((d) => d.isChildless()) : top;
      moves.push({ top, nodes, x: right ? dx : 0, y: below ? dy : 0 });
    });
  for (const m of moves) {
    m.nodes.shift({ x: m.x, y: m.y });
    const home = m.top.scratch(HOME) as BoundingBox12 | undefined;
    if (home !== undefined) {
      home.x1 += m.x;
      home.x2 += m.x;
      home.y1 += m.y;
      home.y2 += m.y;
    }
  }
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
