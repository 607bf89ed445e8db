/**
 * Positions for the graph. A `LayoutRunner` lays out a cytoscape instance and resolves when the
 * positions are final. Today fcose runs on the main thread (fast enough for a few hundred pods: see
 * research/stack.md); the worker-based runner planned for big clusters computes positions with
 * headless cytoscape in a Web Worker and applies them here with the `preset` layout, behind the same
 * interface.
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
