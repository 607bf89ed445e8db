/**
 * The UI side of the analysis worker: typed, promise-based requests with ids. The transport is a real
 * `Worker` in the app and an in-process engine in unit tests (happy-dom has no workers); both answer
 * asynchronously, so the UI code cannot tell them apart.
 */
import { createAnalysisHandler } from './whatif.ts';
import type {
  AnalysisMethod,
  AnalysisParams,
  AnalysisRequest,
  AnalysisResponse,
  AnalysisResult,
} from './protocol.ts';

export interface AnalysisTransport {
  post(request: AnalysisRequest): void;
  listen(handler: (response: AnalysisResponse) => void): void;
  /** Failures of the transport itself (a worker that could not start). */
  onError?(handler: (message: string) => void): void;
  terminate(): void;
}

export type AnalysisOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly revision: number }
  | { readonly ok: false; readonly error: string; readonly revision: number };

export interface AnalysisClient {
  request<M extends AnalysisMethod>(
    method: M,
    params: AnalysisParams<M>,
  ): Promise<AnalysisOutcome<AnalysisResult<M>>>;
  /** Requests sent and not answered yet. */
  pending(): number;
  /** Called whenever `pending()` changes. */
  onPending(listener: (pending: number) => void): () => void;
  dispose(): void;
}

export function createAnalysisClient(transport: AnalysisTransport): AnalysisClient {
  let nextId = 1;
  const waiting = new Map<number, (response: AnalysisResponse) => void>();
  const listeners = new Set<(pending: number) => void>();
  const notify = (): void => {
    for (const l of listeners) l(waiting.size);
  };
  transport.listen((response) => {
    const resolve = waiting.get(response.id);
    if (resolve === undefined) return;
    waiting.delete(response.id);
    resolve(response);
    notify();
  });
  transport.onError?.((message) => {
    for (const [id, resolve] of [...waiting]) {
      waiting.delete(id);
      resolve({ id, revision: -1, ok: false, error: message });
    }
    notify();
  });
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, (response) => {
          resolve(
            response.ok
              ? {
                  ok: true,
                  value: response.value as AnalysisResult<typeof method>,
                  revision: response.revision,
                }
              : { ok: false, error: response.error, revision: response.revision },
          );
        });
        notify();
        try {
          transport.post({ id, method, params });
        } catch (error) {
          waiting.delete(id);
          notify();
          resolve({ ok: false, error: error instanceof Error ? error.message : String(error), revision: -1 });
        }
      });
    },
    pending: () => waiting.size,
    onPending(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      transport.terminate();
      waiting.clear();
      listeners.clear();
    },
  };
}

/** The real thing: a module worker built by Vite (CSP: `worker-src 'self'`). */
export function createWorkerTransport(): AnalysisTransport {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    type: 'module',
    name: 'netglass-analysis',
  });
  return {
    post: (request) => worker.postMessage(request),
    listen: (handler) =>
      worker.addEventListener('message', (e: MessageEvent<AnalysisResponse>) => handler(e.data)),
    onError: (handler) =>
      worker.addEventListener('error', (e) =>
        handler(`The analysis worker failed: ${e.message || 'unknown error'}`),
      ),
    terminate: () => worker.terminate(),
  };
}

/**
 * The engine in this thread, answering on a later task like a worker would. `delayMs` lets tests
 * observe the loading state.
 */
export function createInProcessTransport(options: { readonly delayMs?: number } = {}): AnalysisTransport {
  const handle = createAnalysisHandler();
  let handler: ((response: AnalysisResponse) => void) | undefined;
  let stopped = false;
  return {
    post(request) {
      // Structured clone, as postMessage does: no shared objects between the two sides.
      const copy = structuredClone(request);
      setTimeout(() => {
        if (!stopped) handler?.(structuredClone(handle(copy)));
      }, options.delayMs ?? 0);
    },
    listen: (h) => {
      handler = h;
    },
    terminate: () => {
      stopped = true;
    },
  };
}
