/**
 * What the graph shows for the app's state: whether replicas are grouped, which node a selection
 * stands for, and the overlay a selection (or a reach query) puts on the graph, from the answers the
 * analysis store holds. Pure: the graph controller applies the result to the canvas.
 */
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { policyKeyKind } from '../model/cilium.ts';
import { adminSubjectPods } from '../model/admin.ts';
import { endpointPeer, type AnalysisState } from '../store/analysis-store.ts';
import type { ReachState, Selection, ViewState } from '../store/view-store.ts';
import { namespaceNodeId, podNodeId, workloadNodeId, type GraphModel } from './elements.ts';
import {
  buildOverlay,
  cellOverlay,
  checkOverlay,
  EMPTY_OVERLAY,
  podOverlay,
  policyOverlay,
  policySubjects,
  previewOverlay,
  type Overlay,
  type PortContext,
} from './overlay.ts';

/** Above this many pods replicas are grouped when grouping is 'auto'. */
export const AUTO_GROUP_PODS = 300;
/** Above this many pods the canvas draws at pixel ratio 1 (a quarter of the pixels on HiDPI screens). */
export const LARGE_GRAPH_PODS = 2000;

/**
 * A policy's subjects before the worker's effect arrives: an admin policy's from the worker's badges, a
 * NetworkPolicy's by its selector; a Cilium or Calico policy's only with the effect (their selectors
 * are the evaluator's to match), so its preview rings nothing.
 */
function previewSubjects(
  key: string,
  snapshot: Snapshot,
  badges: Parameters<typeof adminSubjectPods>[0],
): readonly string[] {
  switch (policyKeyKind(key)) {
    case 'admin':
      return adminSubjectPods(badges, key);
    case 'network-policy':
      return policySubjects(snapshot, key);
    case 'cilium':
    case 'calico':
      return [];
  }
}

export function shouldGroup(view: Pick<ViewState, 'grouping'>, pods: number): boolean {
  return view.grouping === 'on' || (view.grouping === 'auto' && pods > AUTO_GROUP_PODS);
}

export function selectionNodeId(selection: Selection | undefined, graph: GraphModel): string | undefined {
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
  analysis: Pick<AnalysisState, 'policy' | 'pod' | 'check' | 'cell' | 'load'> & {
    /** A label search's answer: with nothing selected, its pods are lit. */
    readonly lit?: AnalysisState['labelMatch'];
  },
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
          previewSubjects(selection.key, snapshot, analysis.load?.badges),
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
  const lit = analysis.lit?.value;
  // While a new search loads, the last answer stays lit (no flicker per keystroke).
  if (selection === undefined && lit?.ok === true)
    return { overlay: previewOverlay(lit.pods, graph), dim: lit.pods.length > 0, phase: 'full' };
  return { overlay: EMPTY_OVERLAY, dim: false, phase: selection === undefined ? 'none' : 'preview' };
}
