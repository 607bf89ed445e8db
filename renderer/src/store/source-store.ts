/**
 * What the Node side told us: the link, the source's status and the latest snapshot. Filled only by
 * events from the API (`applyEvent`); components read it through selectors.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError, ApiEvent, AppInfo, ContextList, SourceStatus } from '../../../shared/api/api.ts';
import { applySnapshotChange, type SnapshotChange } from '../../../shared/model/delta.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

export type LinkState = 'connecting' | 'connected' | 'lost' | 'unavailable';

export interface SourceState {
  readonly link: LinkState;
  /** Why the link is unavailable (no API at all), for the full-page message. */
  readonly linkProblem: string | undefined;
  readonly info: AppInfo | undefined;
  readonly status: SourceStatus;
  readonly snapshot: Snapshot | undefined;
  readonly revision: number;
  /**
   * The change that turned the snapshot of `revision - 1` into this one; undefined when the snapshot
   * came whole. The analysis binding feeds it to the worker instead of the whole snapshot.
   */
  readonly change: SnapshotChange | undefined;
  /** While a big snapshot arrives in parts: pods received of the total (cleared by the snapshot). */
  readonly loadProgress: { readonly received: number; readonly total: number } | undefined;
  /** The last request that failed, shown until the next success. */
  readonly requestError: ApiError | undefined;
  /** The kubeconfig's contexts (source picker), once asked for or pushed by a `contexts` event. */
  readonly contexts: ContextList | undefined;
}

export interface SourceActions {
  readonly applyEvent: (event: ApiEvent) => void;
  readonly setInfo: (info: AppInfo) => void;
  readonly setRequestError: (error: ApiError | undefined) => void;
  readonly setUnavailable: (reason: string) => void;
  readonly setContexts: (contexts: ContextList) => void;
}

export type SourceStore = StoreApi<SourceState & SourceActions>;

export const initialSourceState: SourceState = {
  link: 'connecting',
  linkProblem: undefined,
  info: undefined,
  status: { state: 'idle' },
  snapshot: undefined,
  revision: 0,
  change: undefined,
  loadProgress: undefined,
  requestError: undefined,
  contexts: undefined,
};

export function createSourceStore(): SourceStore {
  return createStore<SourceState & SourceActions>()((set, get) => ({
    ...initialSourceState,
    applyEvent(event) {
      switch (event.type) {
        case 'connection':
          set({ link: event.state });
          return;
        case 'source':
          set({ link: 'connected', status: event.status });
          return;
        case 'snapshot':
          // Events can arrive out of order across a reconnect; never go back to an older revision.
          if (get().snapshot !== undefined && event.revision < get().revision) return;
          set({
            link: 'connected',
            snapshot: event.snapshot,
            revision: event.revision,
            change: undefined,
            loadProgress: undefined,
          });
          return;
        case 'loadProgress':
          set({ loadProgress: { received: event.received, total: event.total } });
          return;
        case 'delta': {
          const { snapshot, revision } = get();
          // A change applies to the revision just before it; anything else (a late or replayed event)
          // is dropped, and a whole snapshot follows on resubscription.
          if (snapshot === undefined || event.revision !== revision + 1) return;
          set({
            link: 'connected',
            snapshot: applySnapshotChange(snapshot, event.change),
            revision: event.revision,
            change: event.change,
          });
          return;
        }
        case 'contexts':
          set({ contexts: event.contexts });
          return;
        case 'snapshotPart':
          // The client assembles the parts into one 'snapshot' event; a part never reaches a store.
          return;
        default:
          // Event types from a newer backend are ignored.
          return;
      }
    },
    setInfo(info) {
      set({ info });
    },
    setRequestError(error) {
      set({ requestError: error });
    },
    setUnavailable(reason) {
      set({ link: 'unavailable', linkProblem: reason });
    },
    setContexts(contexts) {
      set({ contexts });
    },
  }));
}
