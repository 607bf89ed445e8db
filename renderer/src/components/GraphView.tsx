/**
 * The namespace/pod graph. Cytoscape is used directly: the instance lives in a ref, is created and
 * destroyed in an effect, and receives store changes in `cy.batch()` updates. The snapshot gives the
 * nodes (laid out once per change of the node set); the selection gives the overlay: its edges only,
 * its subjects ringed, everything it does not concern dimmed. `headless` runs it without a canvas
 * (unit tests under happy-dom, where canvas is absent).
 */
import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { setupCytoscape } from '../graph/cytoscape-setup.ts';
import {
  buildGraph,
  externalNodeFor,
  namespaceNodeId,
  podNodeId,
  workloadNodeId,
  type GraphModel,
  type GraphNodeData,
} from '../graph/elements.ts';
import { autoLayout, type LayoutRunner } from '../graph/layout.ts';
import {
  cellOverlay,
  checkOverlay,
  EMPTY_OVERLAY,
  buildOverlay,
  podOverlay,
  policyOverlay,
  type Overlay,
  type PortContext,
} from '../graph/overlay.ts';
import { buildStylesheet, readGraphTheme } from '../graph/style.ts';
import { fitGraph, syncElements } from '../graph/sync.ts';
import { endpointPeer, type AnalysisState } from '../store/analysis-store.ts';
import { useAnalysis, useSource, useStores, useView } from '../store/context.tsx';
import type { ReachState, Selection, ViewState } from '../store/view-store.ts';
import { IconFit, IconLayers, IconMinus, IconPlus } from './icons.tsx';

export interface GraphViewProps {
  readonly headless?: boolean;
  readonly layout?: LayoutRunner;
}

interface GraphStats {
  readonly namespaces: number;
  readonly pods: number;
  readonly layout: 'idle' | 'running' | 'done';
}

/** Above this many pods replicas are grouped when grouping is 'auto'. */
export const AUTO_GROUP_PODS = 300;

export function shouldGroup(view: Pick<ViewState, 'grouping'>, pods: number): boolean {
  return view.grouping === 'on' || (view.grouping === 'auto' && pods > AUTO_GROUP_PODS);
}

function selectionNodeId(selection: Selection | undefined, graph: GraphModel): string | undefined {
  if (selection === undefined) return undefined;
  switch (selection.kind) {
    case 'namespace':
      return namespaceNodeId(selection.name);
    case 'pod':
      return graph.nodeOfPod.get(selection.key) ?? podNodeId(selection.key);
    case 'workload':
      return workloadNodeId(selection.id);
    case 'policy':
    case 'cell':
      return undefined;
  }
}

/** The overlay for what is selected now, from the answers the analysis store holds. */
export function currentOverlay(
  selection: Selection | undefined,
  reach: ReachState,
  analysis: Pick<AnalysisState, 'policy' | 'pod' | 'check' | 'cell' | 'load'>,
  graph: GraphModel,
): { overlay: Overlay; dim: boolean } {
  const ctx: PortContext = {
    ports: analysis.load?.ports ?? [],
    mentioned: analysis.load?.mentionedPorts ?? [],
  };
  if (reach.active) {
    const check = analysis.check?.value;
    if (check !== undefined && analysis.check?.status === 'ready')
      return { overlay: checkOverlay(check, graph, ctx), dim: true };
    const ends = [reach.from, reach.to].filter((e) => e !== undefined).map(endpointPeer);
    return { overlay: buildOverlay([], graph, ctx, { subjects: ends }), dim: false };
  }
  if (
    selection?.kind === 'policy' &&
    analysis.policy?.subject === selection.key &&
    analysis.policy.value !== undefined
  )
    return { overlay: policyOverlay(analysis.policy.value, graph, ctx), dim: true };
  if (
    selection?.kind === 'pod' &&
    analysis.pod?.subject === selection.key &&
    analysis.pod.value !== undefined
  )
    return { overlay: podOverlay(analysis.pod.value, graph, ctx), dim: true };
  if (selection?.kind === 'cell' && analysis.cell?.value !== undefined)
    return { overlay: cellOverlay(analysis.cell.value, graph, ctx), dim: true };
  return { overlay: EMPTY_OVERLAY, dim: false };
}

/** Brings the nodes a selection concerns into view when some are outside it. */
export function revealFocus(cy: Core, focus: ReadonlySet<string>): void {
  if (focus.size === 0 || cy.width() === 0) return;
  const nodes = cy.nodes().filter((n) => focus.has(n.id()));
  if (nodes.empty()) return;
  const box = nodes.renderedBoundingBox();
  const inside = box.x1 >= 0 && box.y1 >= 0 && box.x2 <= cy.width() && box.y2 <= cy.height();
  if (inside) return;
  cy.stop();
  const padding = 56;
  const zoom = Math.min(
    1.25,
    (cy.width() - 2 * padding) / Math.max(nodes.boundingBox().w, 1),
    (cy.height() - 2 * padding) / Math.max(nodes.boundingBox().h, 1),
  );
  cy.animate(
    { zoom: Math.max(zoom, cy.minZoom()), center: { eles: nodes } },
    { duration: 250, easing: 'ease-out-cubic' },
  );
}

/** Puts an overlay on the graph: its edges and extra nodes, subject rings, dimming. */
export function applyOverlay(cy: Core, overlay: Overlay, dim: boolean): void {
  cy.batch(() => {
    cy.elements('.overlay').remove();
    cy.nodes().removeClass('dimmed faded subject');
    if (overlay.extraNodes.length > 0) {
      const box = cy.nodes().boundingBox();
      overlay.extraNodes.forEach((n, i) => {
        cy.add({
          group: 'nodes',
          data: { id: n.id, kind: 'external', label: n.label, ref: n.label, color: 0 },
          classes: 'overlay external',
          position: {
            x: (Number.isFinite(box.x2) ? box.x2 : 0) + 140,
            y: (Number.isFinite(box.y1) ? box.y1 : 0) + 60 + i * 60,
          },
        });
      });
    }
    if (overlay.edges.length > 0) cy.add(overlay.edges);
    for (const id of overlay.subjects) cy.getElementById(id).addClass('subject');
    if (!dim) return;
    const leaves = cy.nodes('.pod, .external');
    leaves.forEach((node) => {
      if (!overlay.focus.has(node.id())) node.addClass('dimmed');
    });
    cy.nodes('.namespace, .external-group').forEach((parent) => {
      if (overlay.focus.has(parent.id())) return;
      const children = parent.children();
      let any = false;
      children.forEach((c) => {
        if (overlay.focus.has(c.id())) any = true;
      });
      if (!any) parent.addClass('faded');
    });
  });
}

export function GraphView({ headless = false, layout = autoLayout }: GraphViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const graphRef = useRef<GraphModel | null>(null);
  // The external addresses the analyzer probes: a click on an external node in reach mode picks one.
  const externalsRef = useRef<readonly string[] | undefined>(undefined);
  const focusRef = useRef<ReadonlySet<string>>(new Set());
  const { view } = useStores();
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const reach = useView((s) => s.reach);
  const fitRequest = useView((s) => s.fitRequest);
  const hidden = useView((s) => s.hidden);
  const grouping = useView((s) => s.grouping);
  const expanded = useView((s) => s.expanded);
  const load = useAnalysis((s) => s.load);
  const policy = useAnalysis((s) => s.policy);
  const pod = useAnalysis((s) => s.pod);
  const check = useAnalysis((s) => s.check);
  const cell = useAnalysis((s) => s.cell);
  const [stats, setStats] = useState<GraphStats>({ namespaces: 0, pods: 0, layout: 'idle' });
  const [baseVersion, setBaseVersion] = useState(0);

  const group = snapshot !== undefined && shouldGroup({ grouping }, snapshot.pods.length);
  const badges = load?.badges;
  const graph = useMemo(
    () =>
      buildGraph(snapshot ?? EMPTY_SNAPSHOT, {
        hidden: new Set(hidden),
        group,
        expanded: new Set(expanded),
        ...(badges !== undefined ? { badges } : {}),
      }),
    [snapshot, hidden, group, expanded, badges],
  );
  graphRef.current = graph;

  useEffect(() => {
    setupCytoscape();
    const cy = cytoscape({
      ...(headless ? { headless: true } : { container: containerRef.current }),
      style: buildStylesheet(readGraphTheme()),
      minZoom: 0.05,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      autoungrabify: false,
      // Big graphs stay responsive during pan/zoom gestures (research/stack.md §3).
      textureOnViewport: true,
      hideEdgesOnViewport: true,
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (event) => {
      const data = (event.target as NodeSingular).data() as GraphNodeData;
      const state = view.getState();
      const model = graphRef.current;
      if (state.reach.active) {
        if (data.kind === 'pod') state.pickEndpoint({ kind: 'pod', key: data.ref });
        if (data.kind === 'workload') {
          const first = model?.workloads.get(data.ref)?.pods[0];
          if (first !== undefined) state.pickEndpoint({ kind: 'pod', key: first });
        }
        if (data.kind === 'external') {
          const ip =
            model === null
              ? undefined
              : (externalsRef.current ?? []).find((a) => externalNodeFor(a, model.externals) === data.id);
          if (ip !== undefined) state.pickEndpoint({ kind: 'external', ip });
        }
        return;
      }
      switch (data.kind) {
        case 'pod':
          state.select({ kind: 'pod', key: data.ref });
          return;
        case 'workload':
          state.select({ kind: 'workload', id: data.ref });
          return;
        case 'namespace':
          state.select({ kind: 'namespace', name: data.ref });
          return;
        case 'external':
        case 'external-group':
          return;
      }
    });
    // Edge labels hidden for busy overlays show on hover.
    cy.on('mouseover', 'edge', (event) => {
      (event.target as NodeSingular).addClass('hover');
    });
    cy.on('mouseout', 'edge', (event) => {
      (event.target as NodeSingular).removeClass('hover');
    });
    cy.on('dbltap', 'node.workload', (event) => {
      const data = (event.target as NodeSingular).data() as GraphNodeData;
      view.getState().toggleExpanded(data.ref);
    });
    cy.on('tap', (event) => {
      if (event.target === cy && !view.getState().reach.active) view.getState().select(undefined);
    });

    const themeObserver = headless
      ? undefined
      : new MutationObserver(() => cy.style(buildStylesheet(readGraphTheme())));
    themeObserver?.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const container = containerRef.current;
    // For end-to-end tests and tooling: a canvas has no DOM, so on request the graph writes where its
    // pods and external nodes are drawn (relative to the container) into `data-positions`.
    const writePositions = (): void => {
      const positions: Record<string, { x: number; y: number }> = {};
      cy.nodes('.pod, .external').forEach((n) => {
        const p = n.renderedPosition();
        positions[n.id()] = { x: Math.round(p.x), y: Math.round(p.y) };
      });
      container?.setAttribute('data-positions', JSON.stringify(positions));
    };
    container?.addEventListener('netglass:positions', writePositions);
    const resizeObserver =
      headless || container === null || typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            cy.resize();
            revealFocus(cy, focusRef.current);
          });
    if (container !== null) resizeObserver?.observe(container);

    return () => {
      container?.removeEventListener('netglass:positions', writePositions);
      themeObserver?.disconnect();
      resizeObserver?.disconnect();
      cy.destroy();
      cyRef.current = null;
    };
  }, [headless, view]);

  externalsRef.current = load?.externals;

  useEffect(() => {
    const cy = cyRef.current;
    if (cy === null) return;
    const result = syncElements(cy, snapshot !== undefined ? graph.elements : []);
    let cancelled = false;
    const finish = (fit: boolean): void => {
      if (cancelled) return;
      if (fit) fitGraph(cy);
      setStats({
        namespaces: cy.nodes('.namespace').length,
        pods: cy.nodes('.pod').not('.workload').length,
        layout: 'done',
      });
      setBaseVersion((v) => v + 1);
    };
    if (result.added > 0 || result.removed > 0) {
      setStats((s) => ({ ...s, layout: 'running' }));
      cy.elements('.overlay').remove();
      void layout.run(cy).then(() => finish(true));
    } else {
      finish(false);
    }
    return () => {
      cancelled = true;
    };
  }, [graph, snapshot, layout]);

  const { overlay, dim } = useMemo(
    () => currentOverlay(selection, reach, { policy, pod, check, cell, load }, graph),
    [selection, reach, policy, pod, check, cell, load, graph],
  );

  useEffect(() => {
    const cy = cyRef.current;
    if (cy === null || baseVersion === 0) return;
    applyOverlay(cy, overlay, dim);
    focusRef.current = dim ? overlay.focus : new Set();
    if (!headless && dim) revealFocus(cy, overlay.focus);
  }, [overlay, dim, baseVersion, headless]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy === null) return;
    const id = reach.active ? undefined : selectionNodeId(selection, graph);
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
  }, [selection, reach.active, graph, headless, baseVersion]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy !== null && fitRequest > 0) fitGraph(cy);
  }, [fitRequest]);

  const zoomBy = (factor: number): void => {
    const cy = cyRef.current;
    if (cy === null) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  const counts = new Map<string, number>();
  for (const e of overlay.edges) {
    const cls = String((e.data as { cls?: string }).cls);
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
  }

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
        <span className="toolbar-sep" aria-hidden="true" />
        <button
          type="button"
          className={`icon-button ${group ? 'active' : ''}`}
          aria-label={group ? 'Show every pod' : 'Group replicas of a workload'}
          title={group ? 'Show every pod' : 'Group replicas of a workload'}
          aria-pressed={group}
          data-testid="toggle-grouping"
          onClick={() => view.getState().setGrouping(group ? 'off' : 'on')}
        >
          <IconLayers />
        </button>
      </div>
      <div
        className="graph-stats"
        data-testid="graph-stats"
        data-namespaces={stats.namespaces}
        data-pods={stats.pods}
        data-workloads={graph.workloads.size}
        data-layout={stats.layout}
        data-edges={overlay.edges.length}
        data-level={overlay.level}
        data-flowing={counts.get('flowing') ?? 0}
        data-blocked={counts.get('blocked') ?? 0}
        data-denied={counts.get('denied') ?? 0}
        data-allowed={counts.get('allowed') ?? 0}
        data-path={[...counts.keys()].find((k) => k.startsWith('path-')) ?? ''}
        aria-live="polite"
      >
        {stats.namespaces} namespaces · {stats.pods} pods
        {graph.workloads.size > 0 && ` · ${graph.workloads.size} grouped`}
        {hidden.length > 0 && ` · ${hidden.length} hidden`}
        {overlay.edges.length > 0 &&
          ` · ${overlay.edges.length} ${overlay.edges.length === 1 ? 'edge' : 'edges'}${overlay.level === 'namespace' ? ' (merged per namespace)' : overlay.level === 'peer' ? ' (peers merged per namespace)' : ''}`}
      </div>
    </div>
  );
}

const EMPTY_SNAPSHOT: Snapshot = {
  source: { kind: 'demo' },
  namespaces: [],
  pods: [],
  policies: [],
  issues: [],
  skippedKinds: {},
};
