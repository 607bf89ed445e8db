/**
 * The namespace/pod graph. Cytoscape is used directly: the instance lives in a ref, is created and
 * destroyed in an effect, and receives store changes in `cy.batch()` updates. The snapshot gives the
 * nodes (laid out once per change of the node set); the selection gives the overlay: its edges only,
 * its subjects ringed, everything it does not concern dimmed. `headless` runs it without a canvas
 * (unit tests under happy-dom, where canvas is absent).
 */
import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { isClusterPolicyKey, type Snapshot } from '../../../shared/model/snapshot.ts';
import { adminSubjectPods } from '../model/admin.ts';
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
import { applyBadgeDetail } from '../graph/detail.ts';
import { applyEdgeZoom } from '../graph/edge-zoom.ts';
import { closeInPlace, placeInPlace } from '../graph/place.ts';
import {
  cellOverlay,
  checkOverlay,
  EMPTY_OVERLAY,
  buildOverlay,
  describeMerging,
  podOverlay,
  policyOverlay,
  policySubjects,
  previewOverlay,
  type Overlay,
  type PortContext,
} from '../graph/overlay.ts';
import { createHighlightLayer, type HighlightLayer } from '../graph/highlight-layer.ts';
import { buildStylesheet, readGraphTheme } from '../graph/style.ts';
import { fitGraph, syncElements } from '../graph/sync.ts';
import { endpointPeer, type AnalysisState } from '../store/analysis-store.ts';
import { useAnalysis, useSource, useStores, useView } from '../store/context.tsx';
import { useWhatIfOverlay } from '../editor/hooks.ts';
import type { ReachState, Selection, ViewState } from '../store/view-store.ts';
import { IconCluster, IconFit, IconLayers, IconMinus, IconPlus } from './icons.tsx';

export interface GraphViewProps {
  readonly headless?: boolean;
  readonly layout?: LayoutRunner;
}

interface GraphStats {
  readonly namespaces: number;
  readonly pods: number;
  readonly layout: 'idle' | 'running' | 'done';
  /** Nodes on the canvas (snapshot's, not the overlay's). */
  readonly nodes: number;
}

/** Above this many pods replicas are grouped when grouping is 'auto'. */
export const AUTO_GROUP_PODS = 300;
/** Above this many pods the canvas draws at pixel ratio 1 (a quarter of the pixels on HiDPI screens). */
export const LARGE_GRAPH_PODS = 2000;

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
    case 'workload': {
      const ns = selection.id.slice(0, selection.id.indexOf('/'));
      return graph.collapsed.has(ns) ? namespaceNodeId(ns) : workloadNodeId(selection.id);
    }
    case 'policy':
    case 'cell':
      return undefined;
  }
}

/**
 * The overlay for what is selected now, from the answers the analysis store holds. `phase`: `full`
 * once the answer is in; `preview` while it loads (with `snapshot`: a policy's subjects, or the pod,
 * ringed at once); `none` for no selection.
 */
export function currentOverlay(
  selection: Selection | undefined,
  reach: ReachState,
  analysis: Pick<AnalysisState, 'policy' | 'pod' | 'check' | 'cell' | 'load'>,
  graph: GraphModel,
  snapshot?: Snapshot,
): { overlay: Overlay; dim: boolean; phase?: 'none' | 'preview' | 'full' } {
  const ctx: PortContext = {
    ports: analysis.load?.ports ?? [],
    mentioned: analysis.load?.mentionedPorts ?? [],
  };
  if (reach.active) {
    const check = analysis.check?.value;
    if (check !== undefined && analysis.check?.status === 'ready')
      return { overlay: checkOverlay(check, graph, ctx), dim: true, phase: 'full' };
    const ends = [reach.from, reach.to].filter((e) => e !== undefined).map(endpointPeer);
    return { overlay: buildOverlay([], graph, ctx, { subjects: ends }), dim: false, phase: 'preview' };
  }
  if (selection?.kind === 'policy') {
    if (analysis.policy?.subject === selection.key && analysis.policy.value !== undefined)
      return { overlay: policyOverlay(analysis.policy.value, graph, ctx), dim: true, phase: 'full' };
    if (snapshot !== undefined)
      return {
        overlay: previewOverlay(
          // An admin policy's subjects are known from the worker's badges (no selector matching here).
          isClusterPolicyKey(selection.key)
            ? adminSubjectPods(analysis.load?.badges, selection.key)
            : policySubjects(snapshot, selection.key),
          graph,
        ),
        dim: true,
        phase: 'preview',
      };
  }
  if (selection?.kind === 'pod') {
    if (analysis.pod?.subject === selection.key && analysis.pod.value !== undefined)
      return { overlay: podOverlay(analysis.pod.value, graph, ctx), dim: true, phase: 'full' };
    if (snapshot !== undefined)
      return { overlay: previewOverlay([selection.key], graph), dim: false, phase: 'preview' };
  }
  if (selection?.kind === 'cell' && analysis.cell?.value !== undefined)
    return { overlay: cellOverlay(analysis.cell.value, graph, ctx), dim: true, phase: 'full' };
  return { overlay: EMPTY_OVERLAY, dim: false, phase: selection === undefined ? 'none' : 'preview' };
}

/**
 * Where the viewport should go to show `nodes`: their box fitted with a margin, no closer than a
 * readable maximum. `undefined` when they are in view already and a fit would not bring them much
 * closer (less than 1.3 times the zoom).
 */
export function revealTarget(
  viewport: {
    readonly width: number;
    readonly height: number;
    readonly zoom: number;
    readonly pan: { x: number; y: number };
  },
  focusBox: { readonly x1: number; readonly y1: number; readonly w: number; readonly h: number },
  options: {
    readonly padding?: number;
    readonly maxZoom?: number;
    readonly minZoom?: number;
    readonly force?: boolean;
    readonly minBox?: { readonly w: number; readonly h: number };
  } = {},
): { zoom: number; pan: { x: number; y: number } } | undefined {
  const padding = options.padding ?? 56;
  const maxZoom = options.maxZoom ?? 1.25;
  const { width, height, zoom, pan } = viewport;
  // One node alone is shown with some of its surroundings, not blown up to fill the canvas.
  let box = focusBox;
  const minW = options.minBox?.w ?? 520;
  const minH = options.minBox?.h ?? 360;
  if (box.w < minW || box.h < minH) {
    const w = Math.max(box.w, minW);
    const h = Math.max(box.h, minH);
    box = { x1: box.x1 - (w - box.w) / 2, y1: box.y1 - (h - box.h) / 2, w, h };
  }
  if (width <= 0 || height <= 0 || !Number.isFinite(box.w) || !Number.isFinite(box.h)) return undefined;
  const x1 = box.x1 * zoom + pan.x;
  const y1 = box.y1 * zoom + pan.y;
  const x2 = x1 + box.w * zoom;
  const y2 = y1 + box.h * zoom;
  const inside = x1 >= 0 && y1 >= 0 && x2 <= width && y2 <= height;
  const fit = Math.min(
    maxZoom,
    (width - 2 * padding) / Math.max(box.w, 1),
    (height - 2 * padding) / Math.max(box.h, 1),
  );
  const target = Math.max(fit, options.minZoom ?? 0);
  // Already in view and fitting it would bring it less than a third closer: the view stays put.
  if (inside && target <= zoom * 1.3 && options.force !== true) return undefined;
  return {
    zoom: target,
    pan: { x: width / 2 - (box.x1 + box.w / 2) * target, y: height / 2 - (box.y1 + box.h / 2) * target },
  };
}

/**
 * Brings the nodes a selection concerns into view (animated fit to their box) when they are outside
 * it or too small to read. `animate: false` jumps (tests, and a resize on a big graph).
 */
export function revealFocus(cy: Core, focus: ReadonlySet<string>, animate = true): void {
  if (focus.size === 0 || cy.width() === 0) return;
  const nodes = cy.nodes().filter((n) => focus.has(n.id()));
  if (nodes.empty()) return;
  const target = revealTarget(
    { width: cy.width(), height: cy.height(), zoom: cy.zoom(), pan: cy.pan() },
    nodes.boundingBox({ includeLabels: true }),
    { minZoom: cy.minZoom() },
  );
  if (target === undefined) return;
  cy.stop();
  if (!animate) {
    cy.viewport(target);
    return;
  }
  // The texture cache keeps each frame of the move cheap on big graphs (textureOnViewport).
  cy.animate(target, {
    duration: cy.nodes().length > VEIL_MIN_NODES ? 220 : 320,
    easing: 'ease-in-out-cubic',
  });
}

/** Above this many nodes a selection dims the graph with a veil rather than a class on each node. */
export const VEIL_MIN_NODES = 300;
const VEIL_ID = 'overlay:veil';

/**
 * Puts an overlay on the graph: its edges and extra nodes, subject rings, dimming. One batch, and only
 * the nodes whose marks change get a class toggled (a class change restyles a node; restyling every
 * node of a big graph per selection is what made selections slow). On big graphs (`veil`) the rest is
 * not dimmed node by node: one veil node covers the graph and what the selection concerns is drawn
 * above it (class `lit`), so a selection restyles only those. Returns how many nodes changed.
 */
export function applyOverlay(
  cy: Core,
  overlay: Overlay,
  dim: boolean,
  veil: boolean = cy.nodes().length > VEIL_MIN_NODES,
): number {
  let changed = 0;
  cy.batch(() => {
    cy.elements('.overlay').remove();
    if (dim && veil) {
      // One node over the whole graph; what the selection concerns is drawn above it (`lit`).
      const box = cy.nodes().boundingBox();
      if (Number.isFinite(box.w) && box.w > 0) {
        const margin = 4000;
        cy.add({
          group: 'nodes',
          data: { id: VEIL_ID, kind: 'veil', width: box.w + 2 * margin, height: box.h + 2 * margin },
          classes: 'overlay veil',
          position: { x: box.x1 + box.w / 2, y: box.y1 + box.h / 2 },
        });
      }
    }
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
    if (overlay.edges.length > 0) {
      const edges = cy.add(overlay.edges);
      if (dim && veil) edges.addClass('lit');
    }
    const mark = (node: NodeSingular, cls: string, on: boolean): void => {
      if (node.hasClass(cls) === on) return;
      node.toggleClass(cls, on);
      changed++;
    };
    cy.nodes().forEach((node) => {
      const id = node.id();
      if (id === VEIL_ID) return;
      mark(node, 'subject', overlay.subjects.has(id));
      mark(node, 'lit', dim && veil && overlay.focus.has(id));
      if (veil) {
        mark(node, 'dimmed', false);
        mark(node, 'faded', false);
        return;
      }
      if (node.hasClass('pod') || node.hasClass('external') || node.hasClass('collapsed')) {
        // Leaves: pods, workloads, externals, collapsed namespaces.
        mark(node, 'dimmed', dim && !overlay.focus.has(id));
        mark(node, 'faded', false);
        return;
      }
      mark(node, 'dimmed', false);
      let faded = false;
      if (dim && !overlay.focus.has(id)) {
        faded = true;
        node.children().forEach((c) => {
          if (overlay.focus.has(c.id())) faded = false;
        });
      }
      mark(node, 'faded', faded);
    });
  });
  return changed;
}

/** Cytoscape's own selection (its `:selected` style) follows the app's. */
function markSelected(cy: Core, id: string | undefined): void {
  const selected = cy.$(':selected');
  if (selected.length === (id === undefined ? 0 : 1) && (id === undefined || selected.id() === id)) return;
  cy.batch(() => {
    selected.unselect();
    if (id !== undefined) cy.getElementById(id).select();
  });
}

/** How long a big graph's selection may stay on the highlight layer before cytoscape shows it anyway. */
const SLOW_ANSWER_MS = 400;

/** Runs `then` once cytoscape has drawn what was just given to it (or soon, if nothing needed drawing). */
function handOver(cy: Core, then: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    then();
  };
  cy.one('render', once);
  setTimeout(once, 120);
}

export function GraphView({ headless = false, layout = autoLayout }: GraphViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const highlightCanvasRef = useRef<HTMLCanvasElement>(null);
  /** A namespace the user just opened: the next sync brings it into view at a readable zoom. */
  const openedRef = useRef<string | undefined>(undefined);
  /** The viewport the last fit left; a resize refits only while nothing has moved it since. */
  const fittedViewRef = useRef<{ zoom: number; x: number; y: number } | undefined>(undefined);
  /** Big graphs only: a selection's first frame, drawn without touching cytoscape (highlight-layer.ts). */
  const highlightRef = useRef<HighlightLayer | null>(null);
  /** A full layout has run on this instance; later small changes are placed in place. */
  const laidOutRef = useRef(false);
  /** Grouping and hidden namespaces the graph was last synced with. */
  const structureRef = useRef<string | undefined>(undefined);
  const graphRef = useRef<GraphModel | null>(null);
  // The external addresses the analyzer probes: a click on an external node in reach mode picks one.
  const externalsRef = useRef<readonly string[] | undefined>(undefined);
  const focusRef = useRef<ReadonlySet<string>>(new Set());
  /** The user's pointer and wheel: a selection does not move the view under a gesture in progress. */
  const gestureRef = useRef({ down: false, moved: false, x: 0, y: 0, wheel: -Infinity });
  /** The selection whose answer was last brought into view: it is brought once, not on every update. */
  const revealedRef = useRef<string | undefined>(undefined);
  const midGesture = (): boolean => {
    const g = gestureRef.current;
    return (g.down && g.moved) || performance.now() - g.wheel < 400;
  };
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
  const [stats, setStats] = useState<GraphStats>({
    namespaces: 0,
    pods: 0,
    layout: 'idle',
    nodes: 0,
  });
  const [baseVersion, setBaseVersion] = useState(0);

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
  graphRef.current = graph;

  const fitAndRemember = (cy: Core): void => {
    fitGraph(cy);
    fittedViewRef.current = { zoom: cy.zoom(), ...cy.pan() };
  };

  useEffect(() => {
    const fit = fitAndRemember;
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
      ...(large ? { pixelRatio: 1 } : {}),
    });
    cyRef.current = cy;
    const highlightCanvas = highlightCanvasRef.current;
    highlightRef.current =
      large && !headless && highlightCanvas !== null ? createHighlightLayer(highlightCanvas, cy) : null;
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
    // A collapsed namespace opens on double-click; double-clicking an open one's box collapses it.
    cy.on('dbltap', 'node.namespace', (event) => {
      const node = event.target as NodeSingular;
      const data = node.data() as GraphNodeData;
      if (data.kind !== 'namespace') return;
      const open = node.hasClass('collapsed');
      if (open) openedRef.current = namespaceNodeId(data.ref);
      view.getState().setCollapsed(data.ref, !open);
    });
    cy.on('tap', (event) => {
      if (event.target === cy && !view.getState().reach.active) view.getState().select(undefined);
    });
    cy.on('zoom', () => applyBadgeDetail(cy));
    // Once a zoom settles (edges are hidden while it lasts: hideEdgesOnViewport).
    let edgeTimer: ReturnType<typeof setTimeout> | undefined;
    cy.on('zoom', () => {
      clearTimeout(edgeTimer);
      edgeTimer = setTimeout(() => {
        if (!cy.destroyed()) applyEdgeZoom(cy);
      }, 60);
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
      // What the canvas shows of the selection: its edges, the leaves it leaves dimmed, the viewport.
      container?.setAttribute(
        'data-drawn',
        JSON.stringify({
          edges: cy
            .edges('.overlay')
            .map((e) => [
              e.source().id(),
              e.target().id(),
              String(e.data('cls')),
              Math.round(e.numericStyle('width') * cy.zoom() * 10) / 10,
              Number(e.data('pairs') ?? 1),
            ]),
          dimmed: cy.nodes('.dimmed').map((n) => n.id()),
          boxes: cy.nodes('.namespace, .external-group').map((n) => {
            const b = n.renderedBoundingBox({ includeLabels: true });
            return [n.id(), Math.round(b.x1), Math.round(b.y1), Math.round(b.x2), Math.round(b.y2)];
          }),
          lit: cy.nodes('.lit, .subject').map((n) => n.id()),
          zoom: cy.zoom(),
          animating: cy.animated(),
        }),
      );
    };
    container?.addEventListener('netglass:positions', writePositions);
    // A gesture takes the view over: a selection's move in progress stops, and none starts under it.
    const gesture = gestureRef.current;
    const onPointerDown = (e: PointerEvent): void => {
      Object.assign(gesture, { down: true, moved: false, x: e.clientX, y: e.clientY });
    };
    const onPointerMove = (e: PointerEvent): void => {
      if (!gesture.down || gesture.moved) return;
      if (Math.abs(e.clientX - gesture.x) + Math.abs(e.clientY - gesture.y) > 4) {
        gesture.moved = true;
        cy.stop();
      }
    };
    const onPointerUp = (): void => {
      gesture.down = false;
    };
    const onWheel = (): void => {
      gesture.wheel = performance.now();
      cy.stop();
    };
    container?.addEventListener('pointerdown', onPointerDown, { capture: true });
    container?.addEventListener('wheel', onWheel, { capture: true, passive: true });
    window.addEventListener('pointermove', onPointerMove, { capture: true, passive: true });
    window.addEventListener('pointerup', onPointerUp, { capture: true });
    window.addEventListener('pointercancel', onPointerUp, { capture: true });
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const resizeObserver =
      headless || container === null || typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            // On big graphs a panel sliding open would redraw everything on each of its frames:
            // resize once it has settled.
            const resize = (): void => {
              const fitted = fittedViewRef.current;
              const untouched =
                fitted !== undefined &&
                fitted.zoom === cy.zoom() &&
                fitted.x === cy.pan().x &&
                fitted.y === cy.pan().y;
              cy.resize();
              // A banner opening above the graph, or a panel beside it: a view nobody has moved
              // since it was fitted stays fitted; otherwise what the selection concerns stays in view.
              if (untouched && cy.nodes().nonempty()) fit(cy);
              else if (!midGesture()) revealFocus(cy, focusRef.current, false);
            };
            clearTimeout(resizeTimer);
            if (large) resizeTimer = setTimeout(resize, 160);
            else resize();
          });
    if (container !== null) resizeObserver?.observe(container);

    return () => {
      container?.removeEventListener('netglass:positions', writePositions);
      container?.removeEventListener('pointerdown', onPointerDown, { capture: true });
      container?.removeEventListener('wheel', onWheel, { capture: true });
      window.removeEventListener('pointermove', onPointerMove, { capture: true });
      window.removeEventListener('pointerup', onPointerUp, { capture: true });
      window.removeEventListener('pointercancel', onPointerUp, { capture: true });
      themeObserver?.disconnect();
      resizeObserver?.disconnect();
      clearTimeout(resizeTimer);
      highlightRef.current?.dispose();
      highlightRef.current = null;
      cy.destroy();
      cyRef.current = null;
      laidOutRef.current = false;
    };
  }, [headless, view, large]);

  externalsRef.current = load?.externals;

  useEffect(() => {
    const cy = cyRef.current;
    if (cy === null) return;
    const result = syncElements(cy, snapshot !== undefined ? graph.elements : []);
    let cancelled = false;
    const finish = (fit: boolean): void => {
      if (cancelled) return;
      if (fit) fitAndRemember(cy);
      const opened = openedRef.current === undefined ? cy.collection() : cy.getElementById(openedRef.current);
      openedRef.current = undefined;
      if (!headless && opened.nonempty() && opened.isParent()) {
        // Its pods at a zoom where their names can be read, rather than a dot in the overview.
        cy.fit(opened, 56);
        if (cy.zoom() > 1) cy.zoom({ level: 1, position: opened.position() });
      }
      applyBadgeDetail(cy, true);
      setStats({
        namespaces: cy.nodes('.namespace').length,
        pods: cy.nodes('.pod').not('.workload').length,
        layout: 'done',
        nodes: cy.nodes().not('.overlay').length,
      });
      setBaseVersion((v) => v + 1);
    };
    // Grouping replicas or hiding namespaces changes the whole picture: placing in place would leave
    // boxes overlapping (grouped) or holes (hidden), so the graph is laid out afresh.
    const structure = `${String(group)}|${hidden.join(',')}`;
    const restructured = structureRef.current !== undefined && structureRef.current !== structure;
    structureRef.current = structure;
    const laidOut = laidOutRef.current && !restructured;
    if (result.added > 0 || result.removed > 0) {
      // A few pods more or less from a live source: the rest of the graph stays where it is.
      if (laidOut) closeInPlace(cy, result.closedIds);
      if (laidOut && placeInPlace(cy, result.addedIds, !large)) {
        finish(false);
        return () => {
          cancelled = true;
        };
      }
      setStats((s) => ({ ...s, layout: 'running' }));
      cy.elements('.overlay').remove();
      void layout.run(cy).then(() => {
        laidOutRef.current = true;
        finish(true);
      });
    } else {
      finish(false);
    }
    return () => {
      cancelled = true;
    };
  }, [graph, snapshot, layout, large, group, hidden]);

  // The policy editor's what-if takes the graph over while it has something to preview.
  const whatIf = useWhatIfOverlay(graph, load);
  const { overlay, dim, phase } = useMemo(
    () =>
      whatIf !== undefined
        ? { ...whatIf, phase: 'full' as const }
        : currentOverlay(selection, reach, { policy, pod, check, cell, load }, graph, snapshot),
    [whatIf, selection, reach, policy, pod, check, cell, load, graph, snapshot],
  );
  const [shown, setShown] = useState<{ readonly overlay: Overlay; readonly changed: number }>({
    overlay: EMPTY_OVERLAY,
    changed: 0,
  });

  /** Bumped per overlay change: hand-overs scheduled for an older one do nothing. */
  const overlayGeneration = useRef(0);

  // A layout effect: the overlay reaches the canvas in the frame that shows the selection in the DOM
  // (a passive effect runs after that paint, a frame later).
  useLayoutEffect(() => {
    const cy = cyRef.current;
    if (cy === null || baseVersion === 0) return;
    const generation = ++overlayGeneration.current;
    const layer = highlightRef.current;
    const selectedId = reach.active ? undefined : selectionNodeId(selection, graph);
    const toCanvas = (): number => {
      const changed = applyOverlay(cy, overlay, dim);
      if (!headless) applyEdgeZoom(cy);
      markSelected(cy, selectedId);
      return changed;
    };
    focusRef.current = dim ? (overlay.reveal ?? overlay.focus) : new Set();
    // Once per selection, with its answer: its subjects and peers fitted into view.
    const selectionKey = reach.active
      ? `reach:${JSON.stringify([reach.from, reach.to])}`
      : JSON.stringify(selection ?? null);
    const reveal = (): void => {
      // With the answer only: moving the view redraws the canvas, which would delay a big graph's
      // first highlight frame (the preview on the highlight layer).
      if (headless || !dim || phase !== 'full' || midGesture()) return;
      if (revealedRef.current === selectionKey) return;
      revealedRef.current = selectionKey;
      revealFocus(cy, focusRef.current);
    };
    if (phase !== 'full') revealedRef.current = undefined;
    if (layer !== null && phase === 'preview' && overlay.subjects.size > 0) {
      // Big graph, answer still coming: the layer shows the subjects now; cytoscape is left alone
      // (one full redraw per selection, with the answer), unless the answer is slow to come.
      const theme = readGraphTheme();
      layer.show(overlay.subjects, dim, { scrim: theme.surface, ring: theme.accent });
      setShown({ overlay, changed: 0 });
      reveal();
      const timer = setTimeout(() => {
        if (overlayGeneration.current !== generation) return;
        toCanvas();
        handOver(cy, () => overlayGeneration.current === generation && layer.clear());
      }, SLOW_ANSWER_MS);
      return () => clearTimeout(timer);
    }
    const changed = toCanvas();
    // Tells tests and the benchmark which overlay the canvas shows (`data-shown`).
    setShown({ overlay, changed });
    if (layer?.active === true) handOver(cy, () => overlayGeneration.current === generation && layer.clear());
    reveal();
    return undefined;
  }, [overlay, dim, phase, baseVersion, headless, reach, selection, graph]);

  // Brings the selected node into view.
  useLayoutEffect(() => {
    const cy = cyRef.current;
    if (cy === null) return;
    const id = reach.active ? undefined : selectionNodeId(selection, graph);
    // A pod's answer fits it with its peers (the overlay effect): no centring first.
    if (id === undefined || headless || selection?.kind === 'pod' || midGesture()) return;
    const node = cy.getElementById(id);
    if (node.empty()) return;
    const box = node.renderedBoundingBox();
    const outside = box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height();
    if (!outside) return;
    if (cy.nodes().length > VEIL_MIN_NODES) cy.center(node);
    else cy.animate({ center: { eles: node } }, { duration: 250, easing: 'ease-out-cubic' });
  }, [selection, reach.active, graph, headless, baseVersion]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy !== null && fitRequest > 0) fitAndRemember(cy);
  }, [fitRequest]);

  const zoomBy = (factor: number): void => {
    const cy = cyRef.current;
    if (cy === null) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  // Enter (on the focused canvas, or the toolbar button) opens or collapses the selected namespace.
  const selectedNamespace = selection?.kind === 'namespace' ? selection.name : undefined;
  const namespaceCollapsed = selectedNamespace !== undefined && graph.collapsed.has(selectedNamespace);
  const toggleNamespace = (): void => {
    if (selectedNamespace === undefined) return;
    if (namespaceCollapsed) openedRef.current = namespaceNodeId(selectedNamespace);
    view.getState().setCollapsed(selectedNamespace, !namespaceCollapsed);
  };

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
