/**
 * The policy editor's what-if request, answered in the analysis worker beside the engine: the
 * connections the enabled drafts would add and remove, `diffConnections(snapshot, applyDeltas(snapshot,
 * deltas))` (shared/eval/diff.ts, the function `netglass diff` prints), over the snapshot the engine
 * holds; every other request is the engine's.
 */
import {
  applyDeltas,
  diffConnections,
  type ConnectionDiff,
  type SnapshotDelta,
} from '../../../shared/eval/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { createAnalysisEngine } from './engine.ts';
import { createFlowsHandler } from './flows.ts';
import type { AnalysisRequest, AnalysisResponse } from './protocol.ts';

export interface WhatIfParams {
  /** The changes of every enabled draft, in order (`draftDeltas`). */
  readonly deltas: readonly SnapshotDelta[];
  /** Entries per list of changed connections (counts are exact whatever the limit). */
  readonly limit?: number;
}

export type WhatIfResult = ConnectionDiff;

export interface WhatIfHandler {
  /** The answer to a `whatIf` request; undefined for every other request (the engine's). */
  handle(request: AnalysisRequest): AnalysisResponse | undefined;
}

/** `current`: the snapshot the engine holds, which the drafts are applied to. */
export function createWhatIfHandler(
  current: () => { readonly snapshot: Snapshot; readonly revision: number } | undefined,
): WhatIfHandler {
  return {
    handle(request) {
      if (request.method !== 'whatIf') return undefined;
      const held = current();
      const revision = held?.revision ?? -1;
      try {
        if (held === undefined) throw new Error('No snapshot has been analysed yet.');
        const p = request.params as WhatIfParams;
        const after = applyDeltas(held.snapshot, p.deltas);
        const value = diffConnections(held.snapshot, after, { limit: p.limit ?? 2000 });
        return { id: request.id, revision, ok: true, value };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { id: request.id, revision, ok: false, error: message };
      }
    },
  };
}

/** Everything the analysis worker answers: what-if requests beside the engine, the rest by the engine. */
export function createAnalysisHandler(): (request: AnalysisRequest) => AnalysisResponse {
  const engine = createAnalysisEngine();
  const whatIf = createWhatIfHandler(() => engine.current());
  const flows = createFlowsHandler(() => {
    const held = engine.current();
    const analyzer = engine.analyzer();
    return held === undefined || analyzer === undefined ? undefined : { ...held, analyzer };
  });
  return (request) => whatIf.handle(request) ?? flows.handle(request) ?? engine.handle(request);
}
