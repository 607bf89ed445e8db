/** Reading the flows store from components, and the flows layer for the graph. */
import { useEffect, useMemo, useState } from 'react';
import type { PodFlows, RuleFlows } from '../../../shared/flows/index.ts';
import { useStore } from 'zustand';
import type { LoadResult } from '../analysis/protocol.ts';
import type { GraphModel } from '../graph/elements.ts';
import type { Overlay, PortContext } from '../graph/overlay.ts';
import { useStores } from '../store/context.tsx';
import {
  createFlowsStore,
  type FlowsActions,
  type FlowsHandle,
  type FlowsState,
} from '../store/flows-store.ts';
import { flowsOverlay } from './flows-overlay.ts';

/** Used when the app is mounted without flows (tests of other parts): nothing imported, ever. */
const FALLBACK_STORE = createFlowsStore();

export function useFlowsHandle(): FlowsHandle | undefined {
  return useStores().flows;
}

export function useFlows<T>(selector: (state: FlowsState & FlowsActions) => T): T {
  return useStore(useStores().flows?.store ?? FALLBACK_STORE, selector);
}

/**
 * The flows layer while flows are imported, the panel is open with the layer on and nothing else is
 * asked of the graph (`free`: no selection, no reach query); undefined otherwise.
 */
export function useFlowsOverlay(
  graph: GraphModel,
  load: LoadResult | undefined,
  free: boolean,
): { overlay: Overlay; dim: boolean } | undefined {
  const view = useFlows((s) => s.view);
  const open = useFlows((s) => s.open);
  const layer = useFlows((s) => s.layer);
  const statuses = useFlows((s) => s.statuses);
  return useMemo(() => {
    if (view === undefined || !open || !layer || !free) return undefined;
    const ctx: PortContext = { ports: load?.ports ?? [], mentioned: load?.mentionedPorts ?? [] };
    return { overlay: flowsOverlay(view, statuses, graph, ctx), dim: true };
  }, [view, open, layer, free, statuses, graph, load]);
}

/** The worker's answer about one pod or policy: none while no flows are imported. */
export type FlowsDetail<T> =
  | { readonly step: 'none' }
  | { readonly step: 'loading' }
  | { readonly step: 'ready'; readonly value: T }
  | { readonly step: 'failed'; readonly message: string };

function useFlowsDetail<T>(
  subject: string,
  ask: (handle: FlowsHandle) => Promise<{ ok: true; value: T } | { ok: false; error: string }>,
): FlowsDetail<T> {
  const handle = useFlowsHandle();
  // A new view (another window, a new snapshot, another import) asks again.
  const view = useFlows((s) => s.view);
  const [answer, setAnswer] = useState<{ view: unknown; subject: string; detail: FlowsDetail<T> }>();
  useEffect(() => {
    if (handle === undefined || view === undefined) return;
    let live = true;
    void ask(handle).then((outcome) => {
      if (!live) return;
      setAnswer({
        view,
        subject,
        detail: outcome.ok
          ? { step: 'ready', value: outcome.value }
          : { step: 'failed', message: outcome.error },
      });
    });
    return () => {
      live = false;
    };
    // `ask` is a new function each render; `subject` names what it asks.
  }, [handle, view, subject]);
  if (handle === undefined || view === undefined) return { step: 'none' };
  return answer !== undefined && answer.view === view && answer.subject === subject
    ? answer.detail
    : { step: 'loading' };
}

/** A pod's seen flows in and out (`namespace/name`). */
export function usePodFlows(pod: string): FlowsDetail<PodFlows> {
  return useFlowsDetail(pod, async (h) => {
    const r = await h.flowsFor({ kind: 'pod', pod });
    if (!r.ok) return r;
    return r.value.kind === 'pod'
      ? { ok: true, value: r.value.value }
      : { ok: false, error: 'unexpected answer' };
  });
}

/** A policy's seen flows per rule. */
export function usePolicyFlows(policy: string): FlowsDetail<RuleFlows> {
  return useFlowsDetail(policy, async (h) => {
    const r = await h.flowsFor({ kind: 'policy', policy });
    if (!r.ok) return r;
    return r.value.kind === 'policy'
      ? { ok: true, value: r.value.value }
      : { ok: false, error: 'unexpected answer' };
  });
}
