/**
 * The namespace/pod graph. Cytoscape is used directly: the instance lives in a ref, is created and
 * destroyed in an effect, and receives store changes in `cy.batch()` updates. `headless` runs it
 * without a canvas (unit tests under happy-dom, where canvas is absent).
 */
import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { setupCytoscape } from '../graph/cytoscape-setup.ts';
import { buildElements, namespaceNodeId, podNodeId, type GraphNodeData } from '../graph/elements.ts';
import { fcoseLayout, type LayoutRunner } from '../graph/layout.ts';
import { buildStylesheet, readGraphTheme } from '../graph/style.ts';
import { fitGraph, syncElements } from '../graph/sync.ts';
import { findPolicy } from '../model/summary.ts';
import { useStores, useView } from '../store/context.tsx';
import type { Selection } from '../store/view-store.ts';
import { useSource } from '../store/context.tsx';
import { IconFit, IconMinus, IconPlus } from './icons.tsx';

export interface GraphViewProps {
  readonly headless?: boolean;
  readonly layout?: LayoutRunner;
}

interface GraphStats {
  readonly namespaces: number;
  readonly pods: number;
  readonly layout: 'idle' | 'running' | 'done';
}

function selectionNodeId(
  selection: Selection | undefined,
  snapshot: Snapshot | undefined,
): string | undefined {
  if (selection === undefined) return undefined;
  switch (selection.kind) {
    case 'namespace':
      return namespaceNodeId(selection.name);
    case 'pod':
      return podNodeId(selection.key);
    case 'policy': {
      const policy = snapshot !== undefined ? findPolicy(snapshot, selection.key) : undefined;
      return policy !== undefined ? namespaceNodeId(policy.namespace) : undefined;
    }
  }
}

export function GraphView({ headless = false, layout = fcoseLayout }: GraphViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const { view } = useStores();
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const fitRequest = useView((s) => s.fitRequest);
  const [stats, setStats] = useState<GraphStats>({ namespaces: 0, pods: 0, layout: 'idle' });

  useEffect(() => {
    setupCytoscape();
    const cy = cytoscape({
      ...(headless ? { headless: true } : { container: containerRef.current }),
      style: buildStylesheet(readGraphTheme()),
      minZoom: 0.1,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      // Big graphs stay responsive during pan/zoom gestures (research/stack.md §3).
      textureOnViewport: false,
      hideEdgesOnViewport: true,
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (event) => {
      const data = (event.target as NodeSingular).data() as GraphNodeData;
      view
        .getState()
        .select(data.kind === 'pod' ? { kind: 'pod', key: data.ref } : { kind: 'namespace', name: data.ref });
    });
    cy.on('tap', (event) => {
      if (event.target === cy) view.getState().select(undefined);
    });

    const themeObserver = headless
      ? undefined
      : new MutationObserver(() => cy.style(buildStylesheet(readGraphTheme())));
    themeObserver?.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const container = containerRef.current;
    const resizeObserver =
      headless || container === null || typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => cy.resize());
    if (container !== null) resizeObserver?.observe(container);

    return () => {
      themeObserver?.disconnect();
      resizeObserver?.disconnect();
      cy.destroy();
      cyRef.current = null;
    };
  }, [headless, view]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy === null) return;
    const result = syncElements(cy, snapshot !== undefined ? buildElements(snapshot) : []);
    let cancelled = false;
    const finish = (): void => {
      if (cancelled) return;
      fitGraph(cy);
      setStats({ namespaces: cy.nodes('.namespace').length, pods: cy.nodes('.pod').length, layout: 'done' });
    };
    if (result.added > 0 || result.removed > 0) {
      setStats((s) => ({ ...s, layout: 'running' }));
      void layout.run(cy).then(finish);
    } else {
      finish();
    }
    return () => {
      cancelled = true;
    };
  }, [snapshot, layout]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy === null) return;
    const id = selectionNodeId(selection, snapshot);
    cy.batch(() => {
      cy.$(':selected').unselect();
      if (id !== undefined) cy.getElementById(id).select();
    });
    if (id === undefined || headless) return;
    const node = cy.getElementById(id);
    if (node.empty()) return;
    const box = node.renderedBoundingBox();
    const outside = box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height();
    if (outside) cy.animate({ center: { eles: node } }, { duration: 250, easing: 'ease-out-cubic' });
  }, [selection, snapshot, headless]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy !== null && fitRequest > 0) fitGraph(cy);
  }, [fitRequest]);

  const zoomBy = (factor: number): void => {
    const cy = cyRef.current;
    if (cy === null) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  return (
    <div className="graph">
      <div className="graph-canvas" ref={containerRef} data-testid="graph-canvas" />
      <div className="graph-toolbar" role="toolbar" aria-label="Graph view">
        <button
          type="button"
          className="icon-button"
          aria-label="Zoom in"
          title="Zoom in"
          onClick={() => zoomBy(1.25)}
        >
          <IconPlus />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Zoom out"
          title="Zoom out"
          onClick={() => zoomBy(0.8)}
        >
          <IconMinus />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Fit to view"
          title="Fit to view"
          onClick={() => view.getState().requestFit()}
        >
          <IconFit />
        </button>
      </div>
      <div
        className="graph-stats"
        data-testid="graph-stats"
        data-namespaces={stats.namespaces}
        data-pods={stats.pods}
        data-layout={stats.layout}
        aria-live="polite"
      >
        {stats.namespaces} namespaces · {stats.pods} pods
      </div>
    </div>
  );
}
