/**
 * The source manager: owns the one current source (the demo, a set of manifests, later a live
 * cluster), turns it into snapshots and pushes them to subscribers. Both the Electron main process and
 * the web-mode server use it; transports subscribe on behalf of their clients.
 *
 * Live clusters will push a snapshot and then deltas through the same `emit`; the manager already
 * numbers every snapshot with a revision for that purpose.
 */
import type { Snapshot } from '../../shared/model/snapshot.ts';
import {
  describeSource,
  err,
  ok,
  type ApiError,
  type ApiEvent,
  type Result,
  type SourceRequest,
  type SourceStatus,
} from '../../shared/api/api.ts';

export interface SourceLoaders {
  /** Reads and parses manifest files and directories. */
  loadManifests(paths: readonly string[]): Promise<Snapshot>;
  /** The built-in demo cluster's manifest file. */
  readonly demoPath: string;
}

export type SourceListener = (event: Extract<ApiEvent, { type: 'source' | 'snapshot' }>) => void;

export interface SourceManagerOptions {
  readonly loaders: SourceLoaders;
  readonly now?: () => Date;
  /** Where unexpected failures are reported (stderr by default). */
  readonly log?: (message: string) => void;
}

export class SourceManager {
  readonly #loaders: SourceLoaders;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #listeners = new Set<SourceListener>();
  #status: SourceStatus = { state: 'idle' };
  #snapshot: Snapshot | undefined;
  #revision = 0;
  #lastRequest: SourceRequest | undefined;
  /** Bumped by every open; a load whose generation is stale when it finishes is dropped. */
  #generation = 0;

  constructor(options: SourceManagerOptions) {
    this.#loaders = options.loaders;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
  }

  get status(): SourceStatus {
    return this.#status;
  }

  get snapshot(): Snapshot | undefined {
    return this.#snapshot;
  }

  /** Loads a source and makes it current. A newer `open` supersedes one still loading. */
  async open(request: SourceRequest): Promise<Result<SourceStatus>> {
    const generation = ++this.#generation;
    this.#lastRequest = request;
    this.#setStatus({ state: 'loading', request });
    const loaded = await this.#load(request);
    if (generation !== this.#generation) return ok(this.#status);
    if (!loaded.ok) {
      this.#setStatus({ state: 'failed', request, error: loaded.error });
      return err(loaded.error);
    }
    this.#revision += 1;
    this.#snapshot = loaded.value;
    this.#emit({ type: 'snapshot', revision: this.#revision, snapshot: loaded.value });
    this.#setStatus({
      state: 'ready',
      source: loaded.value.source,
      revision: this.#revision,
      loadedAt: this.#now().toISOString(),
    });
    return ok(this.#status);
  }

  /** Loads the current source again (manifests edited on disk, the demo restored). */
  async reload(): Promise<Result<SourceStatus>> {
    if (this.#lastRequest === undefined) {
      return err({ code: 'invalid-request', message: 'No source has been opened yet.' });
    }
    return this.open(this.#lastRequest);
  }

  /**
   * Receives source and snapshot events. The listener is called at once with the current status and,
   * when there is one, the current snapshot.
   */
  subscribe(listener: SourceListener): () => void {
    this.#listeners.add(listener);
    listener({ type: 'source', status: this.#status });
    if (this.#snapshot !== undefined) {
      listener({ type: 'snapshot', revision: this.#revision, snapshot: this.#snapshot });
    }
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }

  /** Stops every source (live watches later) and drops the subscribers. */
  close(): void {
    this.#generation++;
    this.#listeners.clear();
  }

  #setStatus(status: SourceStatus): void {
    this.#status = status;
    this.#emit({ type: 'source', status });
  }

  #emit(event: Parameters<SourceListener>[0]): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (e) {
        this.#log(`netglass: a subscriber failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  async #load(request: SourceRequest): Promise<Result<Snapshot>> {
    try {
      switch (request.kind) {
        case 'demo': {
          const snapshot = await this.#loaders.loadManifests([this.#loaders.demoPath]);
          return ok({ ...snapshot, source: { kind: 'demo' } });
        }
        case 'manifests':
          return ok(await this.#loaders.loadManifests(request.paths));
        case 'cluster':
          return err({
            code: 'not-supported',
            message: `Live clusters are not supported in this build yet (asked for context "${request.context}").`,
            feature: 'clusters',
          });
      }
    } catch (e) {
      return err(loadError(request, e));
    }
  }
}

/** Turns a thrown filesystem or parser error into an error a user can act on. */
export function loadError(request: SourceRequest, e: unknown): ApiError {
  const fields: { code?: unknown; path?: unknown } = typeof e === 'object' && e !== null ? e : {};
  const code = fields.code;
  const path = typeof fields.path === 'string' ? fields.path : undefined;
  const detail = e instanceof Error ? e.message : String(e);
  if (path !== undefined && code === 'ENOENT') {
    return { code: 'not-found', message: `No such file or directory: ${path}`, path };
  }
  if (
    path !== undefined &&
    (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'ELOOP')
  ) {
    return { code: 'unreadable', message: `Cannot read ${path} (${String(code)}).`, path };
  }
  return {
    code: 'load-failed',
    message: `Could not load ${describeSource(request)}: ${detail}`,
    source: request.kind,
  };
}
