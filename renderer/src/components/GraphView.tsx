/**
 * The namespace/pod graph as React sees it: a thin view over the graph controller
 * (graph/graph-controller.ts), which owns cytoscape, the layout, the overlay and export. This view
 * creates the controller, feeds it the graph and the overlay computed from the stores, turns what the
 * user does on the canvas into store actions, and renders the toolbar and the status line.
 * `headless` runs it without a canvas (unit tests under happy-dom, where canvas is absent).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { buildGraph, externalNodeFor, namespaceNodeId, type GraphModel } from '../graph/elements.ts';
import { autoLayout, type LayoutRunner } from '../graph/layout.ts';
import { describeMerging, EMPTY_OVERLAY } from '../graph/overlay.ts';
import { GraphController, type GraphControllerState, type GraphIntent } from '../graph/graph-controller.ts';
import { commandForKey, registerGraph, runGraphCommand } from '../graph/commands.ts';
import {
  currentOverlay,
  LARGE_GRAPH_PODS,
  selectionNodeId,
  shouldGroup,
} from '../graph/selection-overlay.ts';
import { shortSourceName } from '../export/ExportButtons.tsx';
import { useAnalysis, useSource, useStores, useView } from '../store/context.tsx';
import { useWhatIfOverlay } from '../editor/hooks.ts';
import { useFlowsOverlay } from '../flows/hooks.ts';
import { IconCluster, IconFit, IconLayers, IconMinus, IconPlus } from './icons.tsx';
import { GraphExportMenu } from './GraphExportMenu.tsx';

export interface GraphViewProps {
  readonly headless?: boolean;
  readonly layout?: LayoutRunner;
}

const IDLE_STATE: GraphControllerState = {
  stats: { namespaces: 0, pods: 0, layout: 'idle', nodes: 0 },
  baseVersion: 0,
  shown: { overlay: EMPTY_OVERLAY, changed: 0 },
};
const noSubscription = (): (() => void) => () => undefined;

export function GraphView({ headless = false, layout = autoLayout }: GraphViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const highlightCanvasRef = useRef<HTMLCanvasElement>(null);
  const [controller, setController] = useState<GraphController | null>(null);
  const { view } = useStores();
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const reach = useView((s) => s.reach);
  const fitRequest = useView((s) => s.fitRequest);
  const hidden = useView((s) => s.hidden);
  const grouping = useView((s) => s.grouping);
  const expanded = useView((s) => s.expanded);
  const collapse = useView((s) => s.collapsed);
  const load = useAnalysis((s) => s.load);
  const policy = useAnalysis((s) => s.policy);
  const pod = useAnalysis((s) => s.pod);
  const check = useAnalysis((s) => s.check);
  const cell = useAnalysis((s) => s.cell);
  const lit = useAnalysis((s) => s.labelMatch);

  const group = snapshot !== undefined && shouldGroup({ grouping }, snapshot.pods.length);
  const large = snapshot !== undefined && snapshot.pods.length > LARGE_GRAPH_PODS;
  const badges = load?.badges;
  const graph = useMemo(
    () =>
      buildGraph(snapshot ?? EMPTY_SNAPSHOT, {
        hidden: new Set(hidden),
        group,
        expanded: new Set(expanded),
        collapse,
        ...(badges !== undefined ? { badges } : {}),
      }),
    [snapshot, hidden, group, expanded, collapse, badges],
  );

  // What the canvas reports back, read at the time it happens (not when the controller was made).
  const latest = useRef({ graph, externals: load?.externals });
  latest.current = { graph, externals: load?.externals };
  const onIntent = useRef((intent: GraphIntent): void =>
    handleIntent(intent, view.getState(), latest.current),
  );
  onIntent.current = (intent) => handleIntent(intent, view.getState(), latest.current);

  useEffect(() => {
    const created = new GraphController({
      container: containerRef.current,
      highlightCanvas: highlightCanvasRef.current,
      headless,
      large,
      onIntent: (intent) => onIntent.current(intent),
    });
    setController(created);
    const unregister = registerGraph(created);
    return () => {
      unregister();
      created.dispose();
      setController(null);
    };
  }, [headless, large]);

  const state = useSyncExternalStore(
    controller?.subscribe ?? noSubscription,
    controller?.getState ?? (() => IDLE_STATE),
  );
  const { stats, baseVersion, shown } = state;

  useEffect(() => {
    controller?.setSourceName(snapshot === undefined ? undefined : shortSourceName(snapshot.source));
  }, [controller, snapshot]);

  useEffect(() => {
    if (controller === null) return;
    return controller.setElements({
      elements: snapshot !== undefined ? graph.elements : [],
      structure: `${String(group)}|${hidden.join(',')}`,
      layout,
    });
  }, [controller, graph, snapshot, layout, group, hidden]);

  // The policy editor's what-if takes the graph over while it has something to preview.
  const whatIf = useWhatIfOverlay(graph, load);
  // Imported flows (flows/): drawn while nothing is selected and the Flows panel shows them.
  const flowsLayer = useFlowsOverlay(graph, load, selection === undefined && !reach.active);
  const { overlay, dim, phase } = useMemo(
    () =>
      whatIf !== undefined
        ? { ...whatIf, phase: 'full' as const }
        : flowsLayer !== undefined
          ? { ...flowsLayer, phase: 'full' as const }
          : currentOverlay(selection, reach, { policy, pod, check, cell, load, lit }, graph, snapshot),
    [whatIf, flowsLayer, selection, reach, policy, pod, check, cell, load, lit, graph, snapshot],
  );

  // A layout effect: the overlay reaches the canvas in the frame that shows the selection in the DOM
  // (a passive effect runs after that paint, a frame later).
  useLayoutEffect(() => {
    if (controller === null || baseVersion === 0) return;
    return controller.showOverlay({
      overlay,
      dim,
      phase: phase ?? 'full',
      selectedId: reach.active ? undefined : selectionNodeId(selection, graph),
      selectionKey: reach.active
        ? `reach:${JSON.stringify([reach.from, reach.to])}`
        : JSON.stringify(selection ?? null),
    });
  }, [controller, overlay, dim, phase, baseVersion, reach, selection, graph]);

  // Brings the selected node into view; a pod's answer fits it with its peers instead.
  useLayoutEffect(() => {
    if (controller === null || reach.active || selection?.kind === 'pod') return;
    controller.bringIntoView(selectionNodeId(selection, graph));
  }, [controller, selection, reach.active, graph, baseVersion]);

  useEffect(() => {
    if (controller !== null && fitRequest > 0) controller.fit();
  }, [controller, fitRequest]);

  // Ctrl/Cmd+Shift+E exports what is on screen (the same command as the menu and the palette).
  useEffect(() => {
    if (headless) return;
    const onKey = (e: KeyboardEvent): void => {
      const command = commandForKey(e);
      if (command === undefined || view.getState().stage !== 'graph') return;
      e.preventDefault();
      runGraphCommand(command);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [headless, view]);

  // Enter (on the focused canvas, or the toolbar button) opens or collapses the selected namespace.
  const selectedNamespace = selection?.kind === 'namespace' ? selection.name : undefined;
  const namespaceCollapsed = selectedNamespace !== undefined && graph.collapsed.has(selectedNamespace);
  const toggleNamespace = (): void => {
    if (selectedNamespace === undefined) return;
    if (namespaceCollapsed) controller?.markOpening(namespaceNodeId(selectedNamespace));
    view.getState().setCollapsed(selectedNamespace, !namespaceCollapsed);
  };
  const zoomBy = (factor: number): void => controller?.zoomBy(factor);

  const merging = describeMerging(overlay);
  const counts = new Map<string, number>();
  for (const e of overlay.edges) {
    const cls = String((e.data as { cls?: string }).cls);
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
  }

  return (
    <div className="graph">
      <div
        className="graph-canvas"
        ref={containerRef}
        data-testid="graph-canvas"
        tabIndex={0}
        role="application"
        aria-label="Graph canvas: Enter opens or collapses the selected namespace"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && selectedNamespace !== undefined) {
            e.preventDefault();
            toggleNamespace();
          }
        }}
      />
      <canvas className="graph-highlight" ref={highlightCanvasRef} aria-hidden="true" />
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
        {selectedNamespace !== undefined && (
          <button
            type="button"
            className={`icon-button ${namespaceCollapsed ? '' : 'active'}`}
            aria-label={
              namespaceCollapsed ? `Show the pods of ${selectedNamespace}` : `Collapse ${selectedNamespace}`
            }
            title={namespaceCollapsed ? 'Show its pods' : 'Collapse into one node'}
            aria-pressed={!namespaceCollapsed}
            data-testid="toggle-collapse"
            onClick={toggleNamespace}
          >
            <IconCluster />
          </button>
        )}
        <span className="toolbar-sep" aria-hidden="true" />
        <GraphExportMenu status={state.export} />
      </div>
      <div
        className="graph-stats"
        data-testid="graph-stats"
        data-namespaces={stats.namespaces}
        data-pods={stats.pods}
        data-workloads={graph.workloads.size}
        data-collapsed={graph.collapsed.size}
        data-nodes={stats.nodes}
        data-layout={stats.layout}
        data-edges={overlay.edges.length}
        data-selection={selection === undefined ? '' : JSON.stringify(selection)}
        data-phase={phase ?? 'full'}
        data-subjects={overlay.subjects.size}
        data-shown={shown.overlay === overlay ? (phase ?? 'full') : 'pending'}
        data-restyled={shown.changed}
        data-level={overlay.level}
        data-flowing={counts.get('flowing') ?? 0}
        data-blocked={counts.get('blocked') ?? 0}
        data-denied={counts.get('denied') ?? 0}
        data-passed={counts.get('passed') ?? 0}
        data-allowed={counts.get('allowed') ?? 0}
        data-path={[...counts.keys()].find((k) => k.startsWith('path-')) ?? ''}
        aria-live="polite"
      >
        {stats.namespaces} namespaces · {stats.pods} pods
        {graph.workloads.size > 0 && ` · ${graph.workloads.size} grouped`}
        {graph.collapsed.size > 0 && ` · ${graph.collapsed.size} collapsed`}
        {hidden.length > 0 && ` · ${hidden.length} hidden`}
        {overlay.edges.length > 0 &&
          ` · ${overlay.edges.length} ${overlay.edges.length === 1 ? 'edge' : 'edges'}${merging === '' ? '' : ` (${merging})`}`}
        {selection === undefined &&
          lit?.value?.ok === true &&
          ` · ${lit.value.pods.length} matching ${lit.value.query}`}
        {overlay.edges.length > 0 &&
          overlay.labels !== undefined &&
          (overlay.labels.shared !== undefined ? ` · each: ${overlay.labels.shared}` : ' · ports on hover')}
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
  clusterPolicies: [],
  skippedKinds: {},
};

type ViewActions = ReturnType<ReturnType<typeof useStores>['view']['getState']>;

/** What a click on the canvas means for the stores: select, pick a reach end, open or collapse. */
function handleIntent(
  intent: GraphIntent,
  state: ViewActions,
  latest: { readonly graph: GraphModel; readonly externals: readonly string[] | undefined },
): void {
  switch (intent.kind) {
    case 'tap-background':
      if (!state.reach.active) state.select(undefined);
      return;
    case 'toggle-workload':
      state.toggleExpanded(intent.id);
      return;
    case 'set-collapsed':
      state.setCollapsed(intent.namespace, intent.collapsed);
      return;
    case 'tap-node':
      break;
  }
  const data = intent.data;
  if (state.reach.active) {
    if (data.kind === 'pod') state.pickEndpoint({ kind: 'pod', key: data.ref });
    if (data.kind === 'workload') {
      const first = latest.graph.workloads.get(data.ref)?.pods[0];
      if (first !== undefined) state.pickEndpoint({ kind: 'pod', key: first });
    }
    if (data.kind === 'external') {
      // The external addresses the analyzer probes: a click on an external node picks one.
      const ip = (latest.externals ?? []).find((a) => externalNodeFor(a, latest.graph.externals) === data.id);
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
}
