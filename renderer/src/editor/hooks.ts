/** Reading the editor's store from components, and the what-if overlay for the graph. */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { whatIfOverlay, type Overlay, type PortContext } from '../graph/overlay.ts';
import type { GraphModel } from '../graph/elements.ts';
import type { LoadResult } from '../analysis/protocol.ts';
import { useStores } from '../store/context.tsx';
import { createEditorStore, type EditorActions, type EditorHandle, type EditorState } from './store.ts';

/** Used when the app is mounted without an editor (tests of other parts). */
const FALLBACK: EditorHandle = { store: createEditorStore() };

export function useEditorHandle(): EditorHandle {
  return useStores().editor ?? FALLBACK;
}

export function useEditor<T>(selector: (state: EditorState & EditorActions) => T): T {
  return useStore(useEditorHandle().store, selector);
}

/**
 * The what-if overlay while the editor is open with something to preview (it then takes the graph
 * over from the selection); undefined otherwise. `dim` is the "only changes" filter.
 */
export function useWhatIfOverlay(
  graph: GraphModel,
  load: LoadResult | undefined,
): { overlay: Overlay; dim: boolean } | undefined {
  const open = useEditor((s) => s.open);
  const whatIf = useEditor((s) => s.whatIf);
  const onlyChanges = useEditor((s) => s.onlyChanges);
  return useMemo(() => {
    if (!open) return undefined;
    const value =
      whatIf.status === 'ready' ? whatIf.value : whatIf.status === 'loading' ? whatIf.value : undefined;
    if (value === undefined) return undefined;
    const ctx: PortContext = { ports: load?.ports ?? [], mentioned: load?.mentionedPorts ?? [] };
    return { overlay: whatIfOverlay(value, graph, ctx), dim: onlyChanges };
  }, [open, whatIf, onlyChanges, graph, load]);
}
