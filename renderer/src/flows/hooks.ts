/** Reading the flows store from components, and the flows layer for the graph. */
import { useMemo } from 'react';
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
