/**
 * One watch request (`?watch=true`), read line by line, cancellable from the moment it is made.
 *
 * client-node's Watch creates its AbortController inside and returns it only once the server has
 * answered, so a watch that is still connecting when its source stops could only be left to time
 * out; and on a refused watch it keeps the status text but drops the server's Status message. Here
 * the caller's signal covers the whole request, and a refusal carries the server's body.
 */
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import { RequestTimeoutError, WatchStatusError } from './request-errors.ts';
import { formatSeconds } from './request-signal.ts';

export interface WatchCallbacks {
  readonly onEvent: (type: string, object: unknown) => void;
  /**
   * The open watch ended: `null` when the server closed it, a DOMException named `TimeoutError` when
   * nothing came for `idleMs`, or the error that broke it (the abort reason after the signal fired).
   */
  readonly onDone: (error: unknown) => void;
}

export interface WatchTiming {
  /** Until the server answers the request. */
  readonly connectMs: number;
  /** Without a byte on an open watch (events, bookmarks) before it is considered dead. */
  readonly idleMs: number;
}

const DEFAULT_TIMING: WatchTiming = { connectMs: 30_000, idleMs: 30_000 };
const http = new IsomorphicFetchHttpLibrary();

/**
 * Opens the watch. Resolves once the server streams events (they then go to `callbacks`), and
 * rejects when it could not be opened: a refusal (WatchStatusError with the HTTP status), no answer
 * in time (RequestTimeoutError), the signal, or the network.
 */
export async function openWatch(
  kubeConfig: KubeConfig,
  path: string,
  query: Readonly<Record<string, string | number | boolean>>,
  signal: AbortSignal,
  callbacks: WatchCallbacks,
  timing: WatchTiming = DEFAULT_TIMING,
): Promise<void> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined || server === '') throw new Error('the kubeconfig context names no server');
  const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
  url.searchParams.set('watch', 'true');
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));

  const context = new RequestContext(url.toString(), HttpMethod.GET);
  await kubeConfig.applySecurityAuthentication(context);
  signal.throwIfAborted();
  const own = new AbortController();
  const session = context.getSignal();
  context.setSignal(AbortSignal.any([signal, own.signal, ...(session !== undefined ? [session] : [])]));

  let timer = setTimeout(
    () =>
      own.abort(
        new RequestTimeoutError(
          `no answer to the watch of ${path} within ${formatSeconds(timing.connectMs)}`,
        ),
      ),
    timing.connectMs,
  );
  try {
    const response = await http.send(context).toPromise();
    if (response.httpStatusCode !== 200) {
      const body = await response.body.text().catch(() => '');
      throw new WatchStatusError(response.httpStatusCode, `HTTP ${response.httpStatusCode}`, body);
    }
    const stream = response.body.stream();
    if (stream === null) throw new Error(`the watch of ${path} has no body`);
    clearTimeout(timer);
    const resetIdle = (): void => {
      clearTimeout(timer);
      timer = setTimeout(
        () => own.abort(new DOMException(`the watch of ${path} was silent`, 'TimeoutError')),
        timing.idleMs,
      );
    };
    resetIdle();
    void pump(stream, resetIdle, callbacks.onEvent)
      .then(
        () => callbacks.onDone(null),
        (error: unknown) => callbacks.onDone(error),
      )
      .finally(() => {
        clearTimeout(timer);
        own.abort();
      });
  } catch (error) {
    clearTimeout(timer);
    own.abort();
    throw error;
  }
}

/** Reads newline-separated JSON events until the stream ends; a line that is not JSON is skipped. */
async function pump(
  stream: ReadableStream<Uint8Array>,
  onData: () => void,
  onEvent: WatchCallbacks['onEvent'],
): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const emit = (line: string): void => {
    if (line.trim() === '') return;
    let event: { type?: unknown; object?: unknown };
    try {
      event = JSON.parse(line) as { type?: unknown; object?: unknown };
    } catch {
      return; // client-go skips a line it cannot decode too
    }
    if (typeof event.type === 'string') onEvent(event.type, event.object);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onData();
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        emit(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    }
    emit(buffer + decoder.decode());
  } finally {
    reader.releaseLock();
  }
}
