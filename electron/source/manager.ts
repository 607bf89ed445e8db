/**
 * The source manager: owns the one current source (the demo, a set of manifests, later a live
 * cluster), turns it into snapshots and pushes them to subscribers. Both the Electron main process and
 * the web-mode server use it; transports subscribe on behalf of their clients.
 *
 * Live clusters push a snapshot and then changes (`delta` events) through the same `emit`; every
 * snapshot and change is numbered with a revision, a change applying to the revision just before it.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import type { ClusterConnector, ClusterHandle } from './cluster.ts';
import { UploadStore, type DroppedText } from './uploads.ts';
import {
  describeSource,
  type ContextList,
  type LiveConnection,
  err,
  ok,
  type ApiError,
  type ApiEvent,
  type Result,
  type SourceRequest,
  type SourceStatus,
  type UploadPart,
  type UploadProgress,
  snapshotEvents,
} from '../../shared/api/api.ts';

export interface SourceLoaders {
  /** Reads and parses manifest files and directories. */
  loadManifests(paths: readonly string[]): Promise<Snapshot>;
  /** The built-in demo cluster's manifest file. */
  readonly demoPath: string;
  /** Live clusters through the kubeconfig; absent where the build has none. */
  readonly clusters?: ClusterConnector;
  /** Parses the text of dropped files; absent where the build takes none. */
  loadManifestTexts?(files: readonly DroppedText[]): Snapshot;
  /**
   * For a `strict` manifests request: the paths made absolute, or the first problem with them (not
   * found, unreadable, no manifests inside). Absent: strict requests load like the others.
   */
  checkPaths?(paths: readonly string[]): Promise<Result<readonly string[]>>;
}

export type SourceListener = (
  event: Extract<ApiEvent, { type: 'source' | 'snapshot' | 'snapshotPart' | 'delta' | 'contexts' }>,
) => void;

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
  #live: ClusterHandle | undefined;
  #stopWatchingContexts: (() => void) | undefined;
  readonly #uploads = new UploadStore();
  /** The texts of the last dropped source that opened, so that reloading it parses them again. */
  #dropped: { readonly upload: string; readonly files: readonly DroppedText[] } | undefined;

  constructor(options: SourceManagerOptions) {
    this.#loaders = options.loaders;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
    this.#stopWatchingContexts = options.loaders.clusters?.watchContexts((contexts) =>
      this.#emit({ type: 'contexts', contexts }),
    );
  }

  listContexts(): Result<ContextList> {
    const clusters = this.#loaders.clusters;
    if (clusters === undefined) {
      return err({
        code: 'not-supported',
        message: 'This build cannot connect to clusters.',
        feature: 'clusters',
      });
    }
    return ok(clusters.listContexts());
  }

  /** Stores part of the text of dropped files for a later `open` of kind `dropped`. */
  appendUpload(upload: string, parts: readonly UploadPart[]): Result<UploadProgress> {
    return this.#uploads.append(upload, parts);
  }

  get status(): SourceStatus {
    return this.#status;
  }

  get snapshot(): Snapshot | undefined {
    return this.#snapshot;
  }

  /**
   * The live cluster the current source reads, for writing to it (dry-run, apply): its context and
   * client configuration. Undefined unless the current source is a cluster that has loaded.
   */
  get liveCluster(): { readonly context: string; readonly kubeConfig: KubeConfig } | undefined {
    const live = this.#live;
    if (this.#status.state !== 'ready' || this.#status.source.kind !== 'cluster') return undefined;
    if (live?.kubeConfig === undefined || live.context === undefined) return undefined;
    return { context: live.context, kubeConfig: live.kubeConfig };
  }

  /**
   * Loads a source and makes it current. A newer `open` supersedes one still loading. Paths the user
   * picked (`strict`) that do not hold manifests are refused before anything changes: the current
   * source stays on screen and the error says which path and why.
   */
  async open(request: SourceRequest): Promise<Result<SourceStatus>> {
    if (request.kind === 'manifests' && request.strict === true && this.#loaders.checkPaths !== undefined) {
      const checked = await this.#loaders.checkPaths(request.paths);
      if (!checked.ok) return checked;
      return this.#open({ kind: 'manifests', paths: checked.value, strict: true });
    }
    return this.#open(request);
  }

  async #open(request: SourceRequest): Promise<Result<SourceStatus>> {
    const generation = ++this.#generation;
    this.#lastRequest = request;
    this.#live?.stop();
    this.#live = undefined;
    this.#setStatus({ state: 'loading', request });
    if (request.kind === 'cluster') {
      // The Kubernetes client loads with the first live source, not at start.
      await this.#loaders.clusters?.loadClient();
      if (generation !== this.#generation) return ok(this.#status);
      return this.#openCluster(request, generation);
    }
    const loaded = await this.#load(request);
    if (generation !== this.#generation) return ok(this.#status);
    if (!loaded.ok) {
      this.#setStatus({ state: 'failed', request, error: loaded.error });
      return err(loaded.error);
    }
    this.#revision += 1;
    this.#snapshot = loaded.value;
    for (const event of snapshotEvents(this.#revision, loaded.value)) this.#emit(event);
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
    return this.#open(this.#lastRequest);
  }

  /**
   * Receives source and snapshot events. The listener is called at once with the current status and,
   * when there is one, the current snapshot.
   */
  subscribe(listener: SourceListener): () => void {
    this.#listeners.add(listener);
    listener({ type: 'source', status: this.#status });
    if (this.#snapshot !== undefined) {
      for (const event of snapshotEvents(this.#revision, this.#snapshot)) listener(event);
    }
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }

  /** Stops every source and drops the subscribers. */
  close(): void {
    this.#generation++;
    this.#live?.stop();
    this.#live = undefined;
    this.#stopWatchingContexts?.();
    this.#listeners.clear();
  }

  /**
   * A live cluster: the open resolves once the first full snapshot is in (or the cluster fails);
   * later snapshots and connection changes (reconnecting, live again) are pushed as they happen.
   */
  #openCluster(
    request: Extract<SourceRequest, { kind: 'cluster' }>,
    generation: number,
  ): Promise<Result<SourceStatus>> {
    const clusters = this.#loaders.clusters;
    if (clusters === undefined) {
      const error: ApiError = {
        code: 'not-supported',
        message: 'This build cannot connect to clusters.',
        feature: 'clusters',
      };
      this.#setStatus({ state: 'failed', request, error });
      return Promise.resolve(err(error));
    }
    return new Promise((resolve) => {
      let connection: LiveConnection = { state: 'connecting' };
      let settled = false;
      const current = (): boolean => generation === this.#generation;
      const settle = (result: Result<SourceStatus>): void => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const ready = (): void => {
        if (this.#snapshot === undefined) return;
        this.#setStatus({
          state: 'ready',
          source: this.#snapshot.source,
          revision: this.#revision,
          loadedAt: this.#now().toISOString(),
          connection,
        });
      };
      const opened = clusters.open(request.context, request.namespaces, {
        snapshot: (snapshot, change) => {
          if (!current()) return;
          this.#revision += 1;
          this.#snapshot = snapshot;
          // A change goes on the wire alone: it costs what changed, not what the cluster holds.
          if (change !== undefined) this.#emit({ type: 'delta', revision: this.#revision, change });
          else for (const event of snapshotEvents(this.#revision, snapshot)) this.#emit(event);
          ready();
          settle(ok(this.#status));
        },
        connection: (next) => {
          if (!current()) return;
          connection = next;
          if (next.state === 'error' && !settled) {
            const error: ApiError = {
              code: 'cluster',
              message: `Cannot read cluster "${request.context}": ${next.reason}`,
              context: request.context,
              detail: next.detail,
            };
            this.#live?.stop();
            this.#live = undefined;
            this.#setStatus({ state: 'failed', request, error });
            settle(err(error));
            return;
          }
          if (settled) ready();
        },
      });
      if (!opened.ok) {
        const error: ApiError = {
          code: 'kubeconfig',
          message: opened.message,
          ...(opened.file !== undefined ? { file: opened.file } : {}),
        };
        this.#setStatus({ state: 'failed', request, error });
        settle(err(error));
        return;
      }
      this.#live = opened.handle;
      this.#snapshot = undefined;
    });
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
        case 'manifests': {
          // Checked again on reload: the folder may have gone since; the source then fails visibly.
          if (request.strict !== true || this.#loaders.checkPaths === undefined)
            return ok(await this.#loaders.loadManifests(request.paths));
          const checked = await this.#loaders.checkPaths(request.paths);
          return checked.ok ? ok(await this.#loaders.loadManifests(checked.value)) : checked;
        }
        case 'dropped':
          return this.#loadDropped(request);
        case 'cluster':
          // Handled by #openCluster before any load.
          return err({ code: 'internal', message: 'A cluster source reached the file loader.' });
      }
    } catch (e) {
      return err(loadError(request, e));
    }
  }

  /** Dropped files: the upload's texts, or on reload the texts this source opened with. */
  #loadDropped(request: Extract<SourceRequest, { kind: 'dropped' }>): Result<Snapshot> {
    const loaders = this.#loaders;
    if (loaders.loadManifestTexts === undefined) {
      return err({
        code: 'not-supported',
        message: 'This build cannot open dropped files.',
        feature: 'dropped',
      });
    }
    let files = this.#dropped?.upload === request.upload ? this.#dropped.files : undefined;
    if (files === undefined) {
      const taken = this.#uploads.take(request.upload, request.files);
      if (!taken.ok) return taken;
      files = taken.value;
      this.#dropped = { upload: request.upload, files };
    }
    return ok(loaders.loadManifestTexts(files));
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
