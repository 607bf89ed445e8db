/**
 * List + watch of one resource, kept in a local cache, the way client-go's reflector does it:
 * a paginated list, then a watch from the list's resourceVersion; on a dropped watch, re-watch from
 * the last seen version with exponential backoff; on 410 Gone (version too old), relist and emit a
 * full replacement so nothing deleted while disconnected survives as a phantom.
 *
 * client-node's ListWatch gives up after the first error, and its list cannot paginate, so the loop
 * lives here; client-node still does authentication (certificates, tokens) and the HTTP. Every
 * request of a run shares one AbortController, so `stop()` cancels lists and watches in flight at
 * once; each list page has a deadline.
 *
 * 401 and 403 differ: a 403 is RBAC (retrying will not help: `forbidden`), a 401 means the
 * credentials were rejected (expired, rotated): the credentials netglass obtains itself are dropped
 * (session-kubeconfig.ts) and the request is retried with the usual backoff, so a renewed token is
 * picked up.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { describeRequestError, httpStatus } from './request-errors.ts';
import { withDeadline } from './request-signal.ts';
import { credentialsRejected } from './session-kubeconfig.ts';
import { openWatch } from './watch-request.ts';

export { describeRequestError, httpStatus } from './request-errors.ts';

/** The fields of a Kubernetes object the cache needs; the rest is carried through untouched. */
export interface KubeObject {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
  };
}

export interface ListPage<T> {
  readonly items: readonly T[];
  readonly metadata?: {
    readonly resourceVersion?: string;
    readonly _continue?: string;
    readonly continue?: string;
  };
}

export type ReflectorEvent<T> =
  | { readonly type: 'replace'; readonly items: readonly T[] }
  | { readonly type: 'upsert'; readonly item: T }
  | { readonly type: 'delete'; readonly item: T };

export type ReflectorState =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'live' }
  | {
      readonly phase: 'reconnecting';
      readonly since: number;
      readonly reason: string;
      readonly attempt: number;
      /** HTTP status of the failure, when the server answered (404: the resource is not served). */
      readonly status?: number;
    }
  | { readonly phase: 'forbidden'; readonly reason: string }
  | { readonly phase: 'stopped' };

export interface ReflectorOptions<T> {
  readonly kubeConfig: KubeConfig;
  /** Watch path, e.g. `/api/v1/pods` or `/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies`. */
  readonly path: string;
  /**
   * One page of the list; `continueToken` undefined for the first page. `signal` aborts the request
   * (stop, or the page's deadline): pass it on (request-signal.ts `requestOptions`).
   */
  readonly listPage: (
    continueToken: string | undefined,
    limit: number,
    signal: AbortSignal,
  ) => Promise<ListPage<T>>;
  /** Milliseconds one list page may take. Default 60 s, the API server's own limit for a list. */
  readonly listTimeoutMs?: number;
  readonly onEvent: (event: ReflectorEvent<T>) => void;
  readonly onState: (state: ReflectorState) => void;
  readonly pageSize?: number;
  readonly maxBackoffMs?: number;
  /** Seconds the server keeps one watch open; kept short so a half-dead connection is noticed. */
  readonly watchTimeoutSeconds?: number;
}

function objectKey(item: KubeObject): string {
  return `${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}`;
}

export class Reflector<T extends KubeObject> {
  readonly #options: ReflectorOptions<T>;
  #resourceVersion = '';
  #stopped = true;
  /** Aborts every request of the current run. */
  #abort: AbortController | undefined;
  #attempt = 0;
  #reconnectingSince: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #cache = new Map<string, T>();

  constructor(options: ReflectorOptions<T>) {
    this.#options = options;
  }

  get items(): readonly T[] {
    return [...this.#cache.values()];
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#options.onState({ phase: 'connecting' });
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#abort = undefined;
    this.#options.onState({ phase: 'stopped' });
  }

  async #list(signal: AbortSignal): Promise<void> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const deadline = withDeadline(
        signal,
        this.#options.listTimeoutMs ?? 60_000,
        `the list of ${this.#options.path}`,
      );
      let page: ListPage<T>;
      try {
        page = await this.#options.listPage(token, this.#options.pageSize ?? 500, deadline.signal);
      } finally {
        deadline.clear();
      }
      items.push(...page.items);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      const next = page.metadata?._continue ?? page.metadata?.continue;
      token = next !== undefined && next !== '' ? next : undefined;
    } while (token !== undefined && !this.#stopped);
    if (this.#stopped) return;
    this.#cache.clear();
    for (const item of items) this.#cache.set(objectKey(item), item);
    this.#resourceVersion = resourceVersion;
    this.#options.onEvent({ type: 'replace', items });
  }

  async #run(): Promise<void> {
    if (this.#stopped) return;
    // Set before the first request, so stop() cancels whatever this run has in flight.
    const controller = new AbortController();
    this.#abort = controller;
    try {
      if (this.#resourceVersion === '') await this.#list(controller.signal);
      if (this.#stopped) return;
      let ended = false;
      await openWatch(
        this.#options.kubeConfig,
        this.#options.path,
        {
          resourceVersion: this.#resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: this.#options.watchTimeoutSeconds ?? 240,
        },
        controller.signal,
        {
          onEvent: (phase, object) => this.#onWatchEvent(phase, object),
          onDone: (error) => {
            ended = true;
            this.#onWatchDone(error);
          },
        },
      );
      if (this.#stopped) return;
      if (!ended) this.#setLive();
    } catch (error) {
      this.#onWatchDone(error);
    }
  }

  /** Listed and watching: report it once per outage, and forget the backoff. */
  #setLive(): void {
    if (this.#live) return;
    this.#live = true;
    this.#attempt = 0;
    this.#reconnectingSince = undefined;
    this.#options.onState({ phase: 'live' });
  }

  #live = false;

  #onWatchEvent(phase: string, object: unknown): void {
    if (this.#stopped) return;
    const item = object as T & { code?: number };
    switch (phase) {
      case 'ADDED':
      case 'MODIFIED':
        this.#cache.set(objectKey(item), item);
        this.#options.onEvent({ type: 'upsert', item });
        break;
      case 'DELETED':
        this.#cache.delete(objectKey(item));
        this.#options.onEvent({ type: 'delete', item });
        break;
      case 'ERROR':
        // A Status object inside the stream: 410 means our version is too old; relist next time.
        if (item.code === 410) this.#resourceVersion = '';
        return;
      case 'BOOKMARK':
        break;
      default:
        return;
    }
    const version = item.metadata?.resourceVersion;
    if (version !== undefined && version !== '') this.#resourceVersion = version;
  }

  #onWatchDone(error: unknown): void {
    this.#abort = undefined;
    if (this.#stopped) return;
    const status = httpStatus(error);
    if (status === 410) this.#resourceVersion = '';
    if (status === 403) {
      // RBAC: retrying will not help until the user's permissions change.
      this.#live = false;
      this.#stopped = true;
      this.#options.onState({
        phase: 'forbidden',
        reason: describeRequestError(error, this.#options.kubeConfig),
      });
      return;
    }
    // Credentials rejected: obtain them again on the next request, then retry with the backoff below.
    if (status === 401) credentialsRejected(this.#options.kubeConfig);
    const isTimeout = error instanceof Error && error.name === 'TimeoutError';
    if (error === null || error === undefined || isTimeout || status === 410) {
      // A normal end of a watch (server-side timeout, inactivity, version too old): go on at once.
      this.#timer = setTimeout(() => void this.#run(), 0);
      return;
    }
    this.#live = false;
    this.#attempt += 1;
    this.#reconnectingSince ??= Date.now();
    this.#options.onState({
      phase: 'reconnecting',
      since: this.#reconnectingSince,
      reason: describeRequestError(error, this.#options.kubeConfig),
      attempt: this.#attempt,
      ...(status !== undefined ? { status } : {}),
    });
    const delay = Math.min(this.#options.maxBackoffMs ?? 30_000, 250 * 2 ** Math.min(this.#attempt - 1, 10));
    this.#timer = setTimeout(() => void this.#run(), delay);
  }
}
