/**
 * The one implementation of `NetglassApi` (with the editor's methods: `FullNetglassApi`) on the renderer side, over any transport that can carry the
 * protocol's messages (protocol.ts): the Electron preload gives it an IPC transport, web mode a
 * WebSocket transport. Request ids, timeouts, event fan-out and re-subscription after a reconnect
 * live here, so both transports behave the same.
 */
import { applySnapshotChange } from '../model/delta.ts';
import type { Pod, Snapshot } from '../model/snapshot.ts';
import type {
  ApiEvent,
  ApiEventListener,
  ConnectionState,
  FullNetglassApi,
  MethodName,
  MethodParams,
  MethodResult,
  Result,
  SourceRequest,
  Unsubscribe,
} from './api.ts';
import { parseServerMessage, type RequestMessage } from './protocol.ts';

export interface TransportHandlers {
  /** Anything the server sent (validated by the client). */
  message(value: unknown): void;
  /** The link came up (again) or went down. Transports that cannot lose the link never call it. */
  connection(state: ConnectionState): void;
}

export interface ClientTransport {
  /** Sends a request. Throws when the link is down. */
  send(message: RequestMessage): void;
  /** Called once by the client, before the first `send`. */
  start(handlers: TransportHandlers): void;
}

/** Timers are injected because shared/ sees neither the DOM's nor Node's globals. */
export interface ClientTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface ClientOptions {
  readonly timers?: ClientTimers;
  /** Per-request timeout; loading a source gets `loadTimeoutMs`. */
  readonly timeoutMs?: number;
  readonly loadTimeoutMs?: number;
}

interface Pending {
  readonly method: MethodName;
  readonly resolve: (result: Result<unknown>) => void;
  readonly timer: unknown;
}

// `savePolicyAs` waits for the user in a native save dialog, which may stay open for minutes.
const LOAD_METHODS: readonly MethodName[] = [
  'openSource',
  'reload',
  'savePolicyAs',
  'saveExport',
  'chooseManifests',
];

export function createApiClient(transport: ClientTransport, options: ClientOptions = {}): FullNetglassApi {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const loadTimeoutMs = options.loadTimeoutMs ?? 300_000;
  const pending = new Map<number, Pending>();
  const listeners = new Set<ApiEventListener>();
  let nextId = 1;
  let subscribed = false;
  /** Replayed to late listeners so every listener starts from the current state. */
  let lastSource: ApiEvent | undefined;
  let lastSnapshot: Extract<ApiEvent, { type: 'snapshot' }> | undefined;
  /** The parts of a big snapshot received so far (`snapshotPart` events, in order). */
  let assembling:
    { revision: number; count: number; next: number; head: Snapshot; pods: Pod[]; total: number } | undefined;
  /** Changes since `lastSnapshot`, folded in only when a late listener needs the replay. */
  let changes: Extract<ApiEvent, { type: 'delta' }>[] = [];

  /** The current snapshot as one event: the last whole one with the changes since applied. */
  function currentSnapshot(): ApiEvent | undefined {
    if (lastSnapshot === undefined || changes.length === 0) return lastSnapshot;
    let { snapshot, revision } = lastSnapshot;
    for (const d of changes) {
      // A gap (never on an ordered transport) leaves the replay at the last revision it can vouch for.
      if (d.revision !== revision + 1) break;
      snapshot = applySnapshotChange(snapshot, d.change);
      revision = d.revision;
    }
    lastSnapshot = { type: 'snapshot', revision, snapshot };
    changes = [];
    return lastSnapshot;
  }

  function emit(event: ApiEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop the others; it reports its own errors.
      }
    }
  }

  /**
   * Puts a big snapshot together from its parts; progress goes to the listeners, and the whole
   * snapshot comes back once the last part is in. A part out of order drops the assembly (a new head
   * starts over).
   */
  function assemble(e: Extract<ApiEvent, { type: 'snapshotPart' }>): ApiEvent | undefined {
    if (e.part.kind === 'head') {
      assembling = {
        revision: e.revision,
        count: e.count,
        next: 1,
        head: e.part.snapshot,
        pods: [...e.part.snapshot.pods],
        total: e.part.totalPods,
      };
    } else {
      if (assembling === undefined || assembling.revision !== e.revision || assembling.next !== e.index) {
        assembling = undefined;
        return undefined;
      }
      assembling.pods.push(...e.part.pods);
      assembling.next++;
    }
    const a = assembling;
    if (a.next < a.count) {
      emit({ type: 'loadProgress', revision: a.revision, received: a.pods.length, total: a.total });
      return undefined;
    }
    assembling = undefined;
    return { type: 'snapshot', revision: a.revision, snapshot: { ...a.head, pods: a.pods } };
  }

  function settle(id: number, result: Result<unknown>): void {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (entry.timer !== undefined) options.timers?.clear(entry.timer);
    entry.resolve(result);
  }

  function call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<Result<MethodResult<M>>> {
    const id = nextId++;
    return new Promise<Result<MethodResult<M>>>((resolve) => {
      const limit = LOAD_METHODS.includes(method) ? loadTimeoutMs : timeoutMs;
      const timer = options.timers?.set(
        () =>
          settle(id, {
            ok: false,
            error: {
              code: 'timeout',
              message: `No answer to ${method} within ${Math.round(limit / 1000)} s.`,
              method,
            },
          }),
        limit,
      );
      pending.set(id, { method, resolve: resolve as (r: Result<unknown>) => void, timer });
      try {
        transport.send({ kind: 'request', id, method, params } as RequestMessage);
      } catch (e) {
        settle(id, {
          ok: false,
          error: { code: 'transport', message: `Cannot reach the netglass backend: ${errorText(e)}` },
        });
      }
    });
  }

  function startSubscription(): void {
    subscribed = true;
    void call('subscribe', null).then((result) => {
      if (!result.ok) subscribed = false;
    });
  }

  transport.start({
    message(value) {
      const message = parseServerMessage(value);
      if (!message) return;
      if (message.kind === 'response') {
        if (message.id !== null) settle(message.id, message.result);
        return;
      }
      let event = message.event;
      if (event.type === 'snapshotPart') {
        const whole = assemble(event);
        if (whole === undefined) return;
        event = whole;
      }
      if (event.type === 'source') lastSource = event;
      else if (event.type === 'snapshot') {
        lastSnapshot = event;
        changes = [];
      } else if (event.type === 'delta' && lastSnapshot !== undefined) {
        changes.push(event);
        if (changes.length >= 256) currentSnapshot();
      }
      emit(event);
    },
    connection(state) {
      if (state === 'lost') {
        subscribed = false;
        for (const id of [...pending.keys()]) {
          settle(id, {
            ok: false,
            error: { code: 'transport', message: 'The connection to the netglass backend was lost.' },
          });
        }
      } else if (listeners.size > 0 && !subscribed) {
        startSubscription();
      }
      emit({ type: 'connection', state });
    },
  });

  function subscribe(listener: ApiEventListener): Unsubscribe {
    listeners.add(listener);
    const replay = [lastSource, currentSnapshot()].filter((e): e is ApiEvent => e !== undefined);
    if (replay.length > 0) {
      void Promise.resolve().then(() => {
        if (!listeners.has(listener)) return;
        for (const event of replay) listener(event);
      });
    }
    if (!subscribed) startSubscription();
    return () => {
      if (!listeners.delete(listener)) return;
      if (listeners.size === 0 && subscribed) {
        subscribed = false;
        lastSource = undefined;
        lastSnapshot = undefined;
        changes = [];
        void call('unsubscribe', null);
      }
    };
  }

  return {
    getInfo: () => call('getInfo', null),
    getStatus: () => call('getStatus', null),
    openSource: (request: SourceRequest) => call('openSource', request),
    reload: () => call('reload', null),
    listContexts: () => call('listContexts', null),
    subscribe,
    dryRunPolicy: (params) => call('dryRunPolicy', params),
    applyPolicy: (params) => call('applyPolicy', params),
    suggestPolicyPath: (params) => call('suggestPolicyPath', params),
    savePolicy: (params) => call('savePolicy', params),
    savePolicyAs: (params) => call('savePolicyAs', params),
    saveExport: (params) => call('saveExport', params),
    uploadManifests: (params) => call('uploadManifests', params),
    chooseManifests: (params) => call('chooseManifests', params),
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
