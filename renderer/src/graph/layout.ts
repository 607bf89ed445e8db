/**
 * Positions for the graph. A `LayoutRunner` lays out a cytoscape instance and resolves when the
 * positions are final. fcose runs on the main thread for graphs of a few hundred nodes (research/
 * stack.md §3); big graphs (collapsed namespaces, or more than `FCOSE_MAX_NODES` nodes) get the packed
 * layout: O(n) grid positions applied with `preset`, no force simulation.
 */
import type { Core, LayoutOptions } from 'cytoscape';

export interface LayoutRunner {
  run(cy: Core): Promise<void>;
}

export const FCOSE_OPTIONS = {
  name: 'fcose',
  quality: 'default',
  randomize: true,
  animate: false,
  fit: false,
  nodeDimensionsIncludeLabels: true,
  uniformNodeDimensions: false,
  packComponents: true,
  // Pods inside a namespace are not connected yet (edges come with the evaluator): tile them in a grid.
  tile: true,
  tilingPaddingVertical: 14,
  tilingPaddingHorizontal: 14,
  nodeSeparation: 90,
  nodeRepulsion: 6000,
  idealEdgeLength: 80,
  nestingFactor: 0.1,
  gravity: 0.25,
  numIter: 2500,
} as const;

export function runLayout(cy: Core, options: LayoutOptions): Promise<void> {
  return new Promise((resolve) => {
    const layout = cy.layout(options);
    layout.one('layoutstop', () => resolve());
    layout.run();
  });
}

export const fcoseLayout: LayoutRunner = {
  run: (cy) => runLayout(cy, FCOSE_OPTIONS),
};

/** Grid fallback, for headless tests where fcose's work adds nothing. */
export const gridLayout: LayoutRunner = {
  run: (cy) => runLayout(cy, { name: 'grid', animate: false, fit: false }),
};

/**
 * For big graphs: no force simulation (fcose needs seconds to minutes on thousands of nodes, on the UI
 * thread). Children of each compound are put on a grid, and the compounds are shelf-packed into rows,
 * largest first; O(n), deterministic, and the same shape as fcose's tiling on graphs without edges.
 */
/** Width over height the packed graph aims for: a landscape canvas's, so a fit wastes little of it. */
const ASPECT = 1.4;

export function packPositions(
  cy: Core,
  cell = { width: 176, height: 58 },
  gap = 56,
): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  interface Box {
    readonly children: string[];
    readonly cols: number;
    readonly width: number;
    readonly height: number;
    readonly cell: { readonly width: number; readonly height: number };
    /** Positions inside the box, when its children are not on a grid. */
    readonly placed?: readonly { readonly id: string; readonly x: number; readonly y: number }[];
  }
  const boxes: Box[] = [];
  cy.nodes()
    .filter((n) => n.isParent())
    .forEach((parent) => {
      const children = parent.children().map((c) => c.id());
      const cols = Math.max(1, Math.ceil(Math.sqrt(children.length * 1.6)));
      const rows = Math.max(1, Math.ceil(children.length / cols));
      boxes.push({ children, cols, width: cols * cell.width, height: rows * cell.height, cell });
    });
  const orphans = cy.nodes().filter((n) => !n.isParent() && n.parent().empty());
  if (!orphans.empty()) {
    // Collapsed namespaces are orphans, each as tall as its pod count makes it: columns filled
    // shortest first (masonry), so tiles of different heights leave no holes.
    const tiles = orphans.map((n) => ({
      id: n.id(),
      width: Number(n.data('size') === undefined ? cell.width : n.width()),
      height: Number(n.data('size') ?? cell.height),
    }));
    const gutter = 8;
    const colWidth = Math.max(...tiles.map((t) => t.width)) + gutter;
    const total = tiles.reduce((sum, t) => sum + t.height + gutter, 0);
    const cols = Math.max(1, Math.round(Math.sqrt((total * ASPECT) / colWidth)));
    const heights = new Array<number>(cols).fill(0);
    const placed = tiles.map((t) => {
      let col = 0;
      for (let c = 1; c < cols; c++) if ((heights[c] ?? 0) < (heights[col] ?? 0)) col = c;
      const top = heights[col] ?? 0;
      heights[col] = top + t.height + gutter;
      return { id: t.id, x: col * colWidth + colWidth / 2, y: top + t.height / 2 };
    });
    boxes.push({
      children: [],
      placed,
      cols,
      width: cols * colWidth,
      height: Math.max(...heights),
      cell,
    });
  }
  boxes.sort((a, b) => b.height - a.height || b.width - a.width);
  const area = boxes.reduce((sum, b) => sum + (b.width + gap) * (b.height + gap), 0);
  const rowWidth = Math.max(Math.sqrt(area * ASPECT), boxes[0]?.width ?? 0);
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const box of boxes) {
    if (x > 0 && x + box.width > rowWidth) {
      x = 0;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    for (const p of box.placed ?? []) positions.set(p.id, { x: x + p.x, y: y + p.y });
    box.children.forEach((id, i) => {
      positions.set(id, {
        x: x + (i % box.cols) * box.cell.width + box.cell.width / 2,
        y: y + Math.floor(i / box.cols) * box.cell.height + box.cell.height / 2,
      });
    });
    x += box.width + gap;
    rowHeight = Math.max(rowHeight, box.height);
  }
  return positions;
}

export const packedLayout: LayoutRunner = {
  run(cy) {
    const positions = packPositions(cy);
    return runLayout(cy, {
      name: 'preset',
      fit: false,
      animate: false,
      positions: (node: { id(): string }) => positions.get(node.id()) ?? { x: 0, y: 0 },
    } as LayoutOptions);
  },
};

/** Above this many nodes the packed layout replaces fcose. */
export const FCOSE_MAX_NODES = 700;

/**
 * fcose for graphs a person can read as a whole, the packed layout beyond, and whenever namespaces are
 * collapsed (the graph is big then, and fcose's cost grows with what the nodes stand for too).
 */
export const autoLayout: LayoutRunner = {
  run: (cy) =>
    cy.nodes().length > FCOSE_MAX_NODES || cy.nodes('.collapsed').nonempty()
      ? packedLayout.run(cy)
      : fcoseLayout.run(cy),
};
