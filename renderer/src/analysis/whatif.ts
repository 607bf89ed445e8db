/**
 * The policy editor's what-if request, answered in the analysis worker beside the engine: the
 * connections the enabled drafts would add and remove, `diffConnections(snapshot, applyDeltas(snapshot,
 * deltas))` (shared/eval/diff.ts, the function `netglass diff` prints). The handler watches the `load`
 * requests going to the engine to know the current snapshot, and answers `whatIf` itself; every other
 * request is the engine's.
 */
import {
  applyDeltas,
  diffConnections,
  type ConnectionDiff,
  type SnapshotDelta,
} from '../../../shared/eval/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import type { AnalysisMethods, AnalysisRequest, AnalysisResponse } from './protocol.ts';

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

export function createWhatIfHandler(): WhatIfHandler {
  let snapshot: Snapshot | undefined;
  let revision = -1;
  return {
    handle(request) {
      if (request.method === 'load') {
        const p = request.params as AnalysisMethods['load']['params'];
        snapshot = p.snapshot;
        revision = p.revision;
        return undefined;
      }
      if (request.method !== 'whatIf') return undefined;
      try {
        if (snapshot === undefined) throw new Error('No snapshot has been analysed yet.');
        const p = request.params as WhatIfParams;
        const after = applyDeltas(snapshot, p.deltas);
        const value = diffConnections(snapshot, after, { limit: p.limit ?? 2000 });
        return { id: request.id, revision, ok: true, value };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { id: request.id, revision, ok: false, error: message };
      }
    },
  };
}
