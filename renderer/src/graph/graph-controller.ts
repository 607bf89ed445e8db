/**
 * The graph outside React (an editor controller, as in tldraw): it owns the cytoscape instance, the
 * layout, the selection overlay and its highlight layer, zoom-to-selection, edge sizes per zoom and
 * image export. The React view (components/GraphView.tsx) creates one, feeds it the graph and overlay
 * computed from the stores, renders the chrome, and reads back `getState()` through `subscribe`. What
 * the user does on the canvas comes back as `GraphIntent`s, which the view turns into store actions.
 * `headless` runs it without a canvas (unit tests under happy-dom, where canvas is absent).
 */
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import { setupCytoscape } from './cytoscape-setup.ts';
import { applyOverlay, markSelected, VEIL_MIN_NODES } from './apply-overlay.ts';
import { applyBadgeDetail } from './detail.ts';
import { applyEdgeZoom } from './edge-zoom.ts';
import type { GraphNodeData } from './elements.ts';
import {
  exportGraphImage,
  type ExportFormat,
  type ExportScope,
  type GraphImageResult,
} from './export-image.ts';
import { createHighlightLayer, type HighlightLayer } from './highlight-layer.ts';
import type { LayoutRunner } from './layout.ts';
import { EMPTY_OVERLAY, type Overlay } from './overlay.ts';
import { closeInPlace, placeInPlace } from './place.ts';
import { revealBox, revealFocus, visibleContent } from './reveal.ts';
import { buildStylesheet, readGraphTheme } from './style.ts';
import { describeSaveResult, saveExportFile, type SaveExportResult } from '../export/save-file.ts';
import { fitGraph, syncElements } from './sync.ts';
import { followDrag, removeTitles, syncTitles, TITLE_CLASS } from './titles.ts';

/** How long after a wheel event the user is taken to be still zooming. */
const WHEEL_QUIET_MS = 400;

/** What the user did on the canvas, for the view to turn into store actions. */
export type GraphIntent =
  | { readonly kind: 'tap-node'; readonly data: GraphNodeData }
  | { readonly kind: 'tap-background' }
  | { readonly kind: 'toggle-workload'; readonly id: string }
  | { readonly kind: 'set-collapsed'; readonly namespace: string; readonly collapsed: boolean };

export interface GraphStats {
  readonly namespaces: number;
  readonly pods: number;
  readonly layout: 'idle' | 'running' | 'done';
  /** Nodes on the canvas (snapshot's, not the overlay's). */
  readonly nodes: number;
}

export interface GraphControllerState {
  readonly stats: GraphStats;
  /** Bumped each time the snapshot's elements are on the canvas and laid out: overlays wait for it. */
  readonly baseVersion: number;
  /** The overlay the canvas shows, and how many nodes it restyled (`data-shown`, `data-restyled`). */
  readonly shown: { readonly overlay: Overlay; readonly changed: number };
  /** The last image export: running, or how it ended (a sentence for the status line). */
  readonly export?:
    { readonly step: 'saving' } | { readonly step: 'done'; readonly ok: boolean; readonly message: string };
}

export interface GraphControllerOptions {
  /** Where cytoscape draws; absent (or `headless`) runs it without a canvas. */
  readonly container?: HTMLElement | null;
  /** A canvas above cytoscape's for a big graph's first selection frame (highlight-layer.ts). */
  readonly highlightCanvas?: HTMLCanvasElement | null;
  readonly headless?: boolean;
  /** A big graph: pixel ratio 1, resizes debounced, the highlight layer. */
  readonly large?: boolean;
  readonly onIntent: (intent: GraphIntent) => void;
}

/** What `setElements` is given: the snapshot's elements and what decides a full relayout. */
export interface GraphInput {
  readonly elements: readonly ElementDefinition[];
  /** Grouping and hidden namespaces: a change lays the graph out afresh rather than in place. */
  readonly structure: string;
  readonly layout: LayoutRunner;
}

/** What `showOverlay` is given: the overlay for the selection and how far its answer has come. */
export interface OverlayInput {
  readonly overlay: Overlay;
  readonly dim: boolean;
  readonly phase: 'none' | 'preview' | 'full';
  /** The node cytoscape marks `:selected`. */
  readonly selectedId: string | undefined;
  /** Identifies the selection: its answer is brought into view once, not on every update. */
  readonly selectionKey: string;
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

export class GraphController {
  readonly cy: Core;
  private readonly headless: boolean;
  private readonly large: boolean;
  private readonly container: HTMLElement | null;
  private readonly onIntent: (intent: GraphIntent) => void;
  private readonly listeners = new Set<() => void>();
  private state: GraphControllerState = {
    stats: { namespaces: 0, pods: 0, layout: 'idle', nodes: 0 },
    baseVersion: 0,
    shown: { overlay: EMPTY_OVERLAY, changed: 0 },
  };
  /** Big graphs only: a selection's first frame, drawn without touching cytoscape. */
  private highlight: HighlightLayer | null;
  /** A namespace the user just opened: the next sync brings it into view at a readable zoom. */
  private opened: string | undefined;
  /** The viewport the last fit left; a resize refits only while nothing has moved it since. */
  private fittedView: { zoom: number; x: number; y: number } | undefined;
  /** A full layout has run on this instance; later small changes are placed in place. */
  private laidOut = false;
  /** Grouping and hidden namespaces the graph was last synced with. */
  private structure: string | undefined;
  private focus: ReadonlySet<string> = new Set();
  /** The user's pointer and wheel: a selection does not move the view under a gesture in progress. */
  private readonly gesture = { down: false, moved: false, x: 0, y: 0, wheel: -Infinity };
  /** The selection whose answer was last brought into view. */
  private revealed: string | undefined;
  /** Bumped per overlay change: hand-overs scheduled for an older one do nothing. */
  private overlayGeneration = 0;
  private readonly disposers: (() => void)[] = [];
  private sourceName: string | undefined;

  constructor(options: GraphControllerOptions) {
    this.headless =
      options.headless === true || options.container === undefined || options.container === null;
    this.large = options.large === true;
    this.container = options.container ?? null;
    this.onIntent = options.onIntent;
    setupCytoscape();
    const cy = cytoscape({
      ...(this.headless ? { headless: true } : { container: this.container }),
      style: buildStylesheet(readGraphTheme()),
      minZoom: 0.05,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      autoungrabify: false,
      // Big graphs stay responsive during pan/zoom gestures (research/stack.md §3).
      textureOnViewport: true,
      hideEdgesOnViewport: true,
      ...(this.large ? { pixelRatio: 1 } : {}),
    });
    this.cy = cy;
    const canvas = options.highlightCanvas ?? null;
    this.highlight =
      this.large && !this.headless && canvas !== null ? createHighlightLayer(canvas, cy) : null;
    this.listenToCanvas();
    if (!this.headless) this.listenToDocument();
  }

  getState = (): GraphControllerState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private update(patch: Partial<GraphControllerState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private midGesture(): boolean {
    const g = this.gesture;
    return (g.down && g.moved) || this.wheelQuietIn() > 0;
  }

  /** Milliseconds until the last wheel event is WHEEL_QUIET_MS old; 0 when it is already. */
  private wheelQuietIn(): number {
    return Math.max(0, WHEEL_QUIET_MS - (performance.now() - this.gesture.wheel));
  }

  /** Fits the whole graph and remembers the view, so a resize keeps it fitted. */
  fit(): void {
    if (this.cy.destroyed()) return;
    fitGraph(this.cy);
    this.fittedView = { zoom: this.cy.zoom(), ...this.cy.pan() };
  }

  /** Zooms about the middle of the canvas. */
  zoomBy(factor: number): void {
    const cy = this.cy;
    if (cy.destroyed()) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  /** The namespace node about to be opened: once its pods are in, they are brought into view. */
  markOpening(nodeId: string): void {
    this.opened = nodeId;
  }

  /**
   * Puts the snapshot's elements on the canvas: unchanged ones stay, a few added or removed ones are
   * placed in place, anything else (or a change of structure) runs the layout. Returns a cancel for a
   * layout still running when the next input comes.
   */
  setElements(input: GraphInput): () => void {
    const cy = this.cy;
    // The view may still hold a controller it just disposed (one render behind a re-creation).
    if (cy.destroyed()) return () => undefined;
    // Group titles are not the snapshot's: out of the way of the sync, the layout and placing in
    // place, and put back where the boxes end up. Headless instances (unit tests) have none: a title
    // is only something to draw.
    if (!this.headless) removeTitles(cy);
    const result = syncElements(cy, input.elements);
    let cancelled = false;
    const finish = (fit: boolean): void => {
      if (cancelled || cy.destroyed()) return;
      if (!this.headless) syncTitles(cy);
      if (fit) this.fit();
      const opened = this.opened === undefined ? cy.collection() : cy.getElementById(this.opened);
      this.opened = undefined;
      if (!this.headless && opened.nonempty() && opened.isParent()) {
        // Its pods at a zoom where their names can be read, rather than a dot in the overview.
        cy.fit(opened, 56);
        if (cy.zoom() > 1) cy.zoom({ level: 1, position: opened.position() });
      }
      applyBadgeDetail(cy, true);
      this.update({
        stats: {
          namespaces: cy.nodes('.namespace').length,
          pods: cy.nodes('.pod').not('.workload').length,
          layout: 'done',
          nodes: cy.nodes().not('.overlay').not(`.${TITLE_CLASS}`).length,
        },
        baseVersion: this.state.baseVersion + 1,
      });
    };
    // Grouping replicas or hiding namespaces changes the whole picture: placing in place would leave
    // boxes overlapping (grouped) or holes (hidden), so the graph is laid out afresh.
    const restructured = this.structure !== undefined && this.structure !== input.structure;
    this.structure = input.structure;
    const laidOut = this.laidOut && !restructured;
    if (result.added > 0 || result.removed > 0) {
      // A few pods more or less from a live source: the rest of the graph stays where it is.
      if (laidOut) closeInPlace(cy, result.closedIds);
      if (laidOut && placeInPlace(cy, result.addedIds, !this.large)) {
        finish(false);
      } else {
        this.update({ stats: { ...this.state.stats, layout: 'running' } });
        cy.elements('.overlay').remove();
        void input.layout.run(cy).then(() => {
          if (cy.destroyed()) return;
          this.laidOut = true;
          finish(true);
        });
      }
    } else {
      finish(false);
    }
    return () => {
      cancelled = true;
    };
  }

  /**
   * Shows a selection's overlay. On a big graph whose answer is still coming, the highlight layer
   * shows the subjects at once and cytoscape is left alone (one full redraw per selection, with the
   * answer), unless the answer is slow. With the answer, what it concerns is brought into view once.
   * Returns a cleanup for a pending hand-over.
   */
  showOverlay(input: OverlayInput): () => void {
    const cy = this.cy;
    if (cy.destroyed() || this.state.baseVersion === 0) return () => undefined;
    const { overlay, dim, phase } = input;
    const generation = ++this.overlayGeneration;
    const layer = this.highlight;
    const toCanvas = (): number => {
      const changed = applyOverlay(cy, overlay, dim);
      if (!this.headless) applyEdgeZoom(cy);
      markSelected(cy, input.selectedId);
      return changed;
    };
    this.focus = dim ? (overlay.reveal ?? overlay.focus) : new Set();
    const reveal = (): void => {
      // With the answer only: moving the view redraws the canvas, which would delay a big graph's
      // first highlight frame (the preview on the highlight layer).
      if (this.headless || !dim || phase !== 'full') return;
      if (this.midGesture()) {
        // A selection made right after a wheel zoom: reveal once the wheel has been still a moment,
        // unless another overlay came first or the user is dragging.
        const wait = this.wheelQuietIn();
        if (wait > 0) {
          setTimeout(() => {
            if (this.overlayGeneration === generation && !cy.destroyed()) reveal();
          }, wait);
        }
        return;
      }
      if (this.revealed === input.selectionKey) return;
      this.revealed = input.selectionKey;
      revealFocus(cy, this.focus);
    };
    if (phase !== 'full') this.revealed = undefined;
    if (layer !== null && phase === 'preview' && overlay.subjects.size > 0) {
      const theme = readGraphTheme();
      layer.show(overlay.subjects, dim, { scrim: theme.surface, ring: theme.accent });
      this.update({ shown: { overlay, changed: 0 } });
      reveal();
      const timer = setTimeout(() => {
        if (this.overlayGeneration !== generation || cy.destroyed()) return;
        toCanvas();
        handOver(cy, () => this.overlayGeneration === generation && layer.clear());
      }, SLOW_ANSWER_MS);
      return () => clearTimeout(timer);
    }
    const changed = toCanvas();
    this.update({ shown: { overlay, changed } });
    if (layer?.active === true) handOver(cy, () => this.overlayGeneration === generation && layer.clear());
    reveal();
    return () => undefined;
  }

  /** Centres the selected node when it is outside the view (a pod waits for its answer's fit). */
  bringIntoView(id: string | undefined): void {
    const cy = this.cy;
    if (id === undefined || this.headless || cy.destroyed() || this.midGesture()) return;
    const node = cy.getElementById(id);
    if (node.empty()) return;
    const box = node.renderedBoundingBox();
    const outside = box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height();
    if (!outside) return;
    if (cy.nodes().length > VEIL_MIN_NODES) cy.center(node);
    else cy.animate({ center: { eles: node } }, { duration: 250, easing: 'ease-out-cubic' });
  }

  /** Names exported files after the source (`demo-graph-view-….png`). */
  setSourceName(name: string | undefined): void {
    this.sourceName = name;
  }

  /** Exports the graph and saves it (a save dialog in Electron, a download in web mode). */
  async exportAndSave(format: ExportFormat, scope: ExportScope): Promise<SaveExportResult> {
    this.update({ export: { step: 'saving' } });
    const image = this.exportImage(format, scope, this.sourceName);
    const result: SaveExportResult = image.ok
      ? await saveExportFile({ fileName: image.fileName, mime: image.mime, data: image.data })
      : { outcome: 'failed', message: image.reason };
    if (!this.cy.destroyed())
      this.update({
        export: { step: 'done', ok: result.outcome !== 'failed', message: describeSaveResult(result) },
      });
    return result;
  }

  /** The graph as an image file: what is on screen (`view`) or all of it (`full`). */
  exportImage(format: ExportFormat, scope: ExportScope, source?: string): GraphImageResult {
    if (this.headless || this.cy.destroyed())
      return { ok: false, reason: 'The graph has no canvas to export.' };
    return exportGraphImage(this.cy, format, scope, readGraphTheme(), source);
  }

  dispose(): void {
    for (const d of this.disposers.splice(0)) d();
    this.highlight?.dispose();
    this.highlight = null;
    this.listeners.clear();
    this.cy.destroy();
  }

  private listenToCanvas(): void {
    const cy = this.cy;
    // A dragged pod (or box) takes its group's title along.
    cy.on('drag', 'node', (event) => followDrag(cy, event.target as NodeSingular));
    cy.on('tap', 'node', (event) => {
      this.onIntent({ kind: 'tap-node', data: (event.target as NodeSingular).data() as GraphNodeData });
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
      this.onIntent({ kind: 'toggle-workload', id: data.ref });
    });
    // A collapsed namespace opens on double-click; double-clicking an open one's box collapses it.
    cy.on('dbltap', 'node.namespace', (event) => {
      const node = event.target as NodeSingular;
      const data = node.data() as GraphNodeData;
      if (data.kind !== 'namespace') return;
      const open = node.hasClass('collapsed');
      if (open) this.opened = node.id();
      this.onIntent({ kind: 'set-collapsed', namespace: data.ref, collapsed: !open });
    });
    cy.on('tap', (event) => {
      if (event.target === cy) this.onIntent({ kind: 'tap-background' });
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
    this.disposers.push(() => clearTimeout(edgeTimer));
  }

  private listenToDocument(): void {
    const cy = this.cy;
    const container = this.container;
    const themeObserver = new MutationObserver(() => cy.style(buildStylesheet(readGraphTheme())));
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.disposers.push(() => themeObserver.disconnect());
    if (container === null) return;
    // For end-to-end tests and tooling: a canvas has no DOM, so on request the graph writes where its
    // pods and external nodes are drawn (relative to the container) into `data-positions`.
    const writePositions = (): void => {
      const positions: Record<string, { x: number; y: number }> = {};
      cy.nodes('.pod, .external').forEach((n) => {
        const p = n.renderedPosition();
        positions[n.id()] = { x: Math.round(p.x), y: Math.round(p.y) };
      });
      container.setAttribute('data-positions', JSON.stringify(positions));
      // What the canvas shows of the selection: its edges, the leaves it leaves dimmed, the viewport.
      container.setAttribute(
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
    container.addEventListener('netglass:positions', writePositions);
    // A gesture takes the view over: a selection's move in progress stops, and none starts under it.
    const gesture = this.gesture;
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
    container.addEventListener('pointerdown', onPointerDown, { capture: true });
    container.addEventListener('wheel', onWheel, { capture: true, passive: true });
    window.addEventListener('pointermove', onPointerMove, { capture: true, passive: true });
    window.addEventListener('pointerup', onPointerUp, { capture: true });
    window.addEventListener('pointercancel', onPointerUp, { capture: true });
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const resizeObserver =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => {
            // On big graphs a panel sliding open would redraw everything on each of its frames:
            // resize once it has settled.
            const resize = (): void => {
              if (cy.destroyed()) return;
              const fitted = this.fittedView;
              const untouched =
                fitted !== undefined &&
                fitted.zoom === cy.zoom() &&
                fitted.x === cy.pan().x &&
                fitted.y === cy.pan().y;
              // What was on screen before (cytoscape still holds the old size until `resize`), read
              // only when it is what will be kept in view (it walks the whole graph).
              const seen =
                untouched || this.midGesture() || this.focus.size > 0 ? undefined : visibleContent(cy);
              cy.resize();
              // A banner opening above the graph, or a panel beside it (details, policy editor): a view
              // nobody has moved since it was fitted stays fitted; otherwise what the selection
              // concerns stays in view, and without one, what was on screen before.
              if (untouched && cy.nodes().nonempty()) this.fit();
              else if (this.midGesture()) return;
              else if (this.focus.size > 0) revealFocus(cy, this.focus, false);
              else if (seen !== undefined) revealBox(cy, seen, false, cy.zoom());
            };
            clearTimeout(resizeTimer);
            if (this.large) resizeTimer = setTimeout(resize, 160);
            else resize();
          });
    resizeObserver?.observe(container);
    this.disposers.push(() => {
      container.removeEventListener('netglass:positions', writePositions);
      container.removeEventListener('pointerdown', onPointerDown, { capture: true });
      container.removeEventListener('wheel', onWheel, { capture: true });
      window.removeEventListener('pointermove', onPointerMove, { capture: true });
      window.removeEventListener('pointerup', onPointerUp, { capture: true });
      window.removeEventListener('pointercancel', onPointerUp, { capture: true });
      resizeObserver?.disconnect();
      clearTimeout(resizeTimer);
    });
  }
}
