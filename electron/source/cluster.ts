/**
 * Live clusters for the source manager: the merged kubeconfig (watched for changes), one LiveSource
 * per opened context, and the namespaces a user named for a context where cluster-wide lists are
 * forbidden, remembered across runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ContextList, KubeContext, LiveConnection } from '../../shared/api/api.ts';
import type { SnapshotChange } from '../../shared/model/delta.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { kubeconfigPaths, loadKubeconfigSet, type KubeconfigSet } from '../cluster/kubeconfig.ts';
import type { kubeConfigForContext } from '../cluster/kubeconfig-context.ts';
import type { LiveSource, LiveStatus } from '../cluster/live-source.ts';

/** The modules that need the Kubernetes client, loaded on the first live source (`loadClient`). */
interface ClientModules {
  readonly kubeConfigForContext: typeof kubeConfigForContext;
  readonly LiveSource: typeof LiveSource;
}

export interface ClusterSink {
  /** A whole snapshot (no `change`), or the change that led to it from the previous one. */
  snapshot(snapshot: Snapshot, change?: SnapshotChange): void;
  connection(connection: LiveConnection): void;
}

export interface ClusterHandle {
  stop(): void;
  /** The context this source reads, and its client-node configuration (credentials stay on the Node side). */
  readonly context?: string;
  readonly kubeConfig?: KubeConfig;
}

export type OpenClusterResult =
  | { readonly ok: true; readonly handle: ClusterHandle }
  | { readonly ok: false; readonly code: 'kubeconfig'; readonly message: string; readonly file?: string };

export interface ClusterConnectorOptions {
  /** `--kubeconfig`; otherwise KUBECONFIG or ~/.kube/config, as kubectl. */
  readonly kubeconfig?: string;
  /** A JSON file for remembered namespaces per context; none: remember for this run only. */
  readonly preferencesFile?: string;
}

type Remembered = Record<string, readonly string[]>;

export class ClusterConnector {
  readonly #options: ClusterConnectorOptions;
  #remembered: Remembered;
  #watchers: fs.FSWatcher[] = [];
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;
  #client: ClientModules | undefined;

  constructor(options: ClusterConnectorOptions = {}) {
    this.#options = options;
    this.#remembered = this.#readPreferences();
  }

  #paths(): { paths: readonly string[]; explicit: boolean } {
    return kubeconfigPaths(this.#options.kubeconfig);
  }

  #load(): KubeconfigSet {
    const { paths, explicit } = this.#paths();
    return loadKubeconfigSet(paths, explicit);
  }

  listContexts(): ContextList {
    const set = this.#load();
    const contexts: KubeContext[] = set.contexts.map((c) => ({
      name: c.name,
      cluster: c.cluster,
      server: c.server ?? '',
      ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
      current: c.name === set.currentContext,
      file: c.file,
      auth: c.auth,
      insecureSkipTlsVerify: c.insecureSkipTlsVerify,
      ...(c.execInstallHint !== undefined ? { execInstallHint: c.execInstallHint } : {}),
      rememberedNamespaces: this.#remembered[c.name] ?? [],
    }));
    return { contexts, files: set.files, problems: set.problems.map((p) => p.message) };
  }

  /** Calls `onChange` with the new list whenever a kubeconfig file changes (coalesced). */
  watchContexts(onChange: (contexts: ContextList) => void): () => void {
    this.#unwatch();
    for (const file of this.#paths().paths) {
      // Editors replace files, so watch the folder and filter by name.
      try {
        const watcher = fs.watch(path.dirname(file), (_event, name) => {
          if (name !== null && name !== path.basename(file)) return;
          if (this.#reloadTimer !== undefined) clearTimeout(this.#reloadTimer);
          this.#reloadTimer = setTimeout(() => onChange(this.listContexts()), 100);
        });
        watcher.on('error', () => watcher.close());
        this.#watchers.push(watcher);
      } catch {
        // A folder that does not exist yet: nothing to watch.
      }
    }
    return () => this.#unwatch();
  }

  #unwatch(): void {
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
    if (this.#reloadTimer !== undefined) clearTimeout(this.#reloadTimer);
  }

  /**
   * Loads the Kubernetes client and the live-source code. Listing contexts never needs them, so the
   * app and web mode start without them; `open` needs them, so call this first.
   */
  async loadClient(): Promise<void> {
    if (this.#client !== undefined) return;
    const [context, live] = await Promise.all([
      import('../cluster/kubeconfig-context.ts'),
      import('../cluster/live-source.ts'),
    ]);
    this.#client = { kubeConfigForContext: context.kubeConfigForContext, LiveSource: live.LiveSource };
  }

  open(context: string, namespaces: readonly string[] | undefined, sink: ClusterSink): OpenClusterResult {
    const client = this.#client;
    if (client === undefined) {
      return { ok: false, code: 'kubeconfig', message: 'internal: the Kubernetes client was not loaded' };
    }
    const resolve = client.kubeConfigForContext;
    const Live = client.LiveSource;
    const set = this.#load();
    const blocking = set.problems.find((p) => p.kind === 'missing-file' || p.kind === 'no-files');
    if (blocking !== undefined && set.contexts.length === 0) {
      return {
        ok: false,
        code: 'kubeconfig',
        message: blocking.message,
        ...('file' in blocking ? { file: blocking.file } : {}),
      };
    }
    const resolved = resolve(set, context);
    if (!resolved.ok) return { ok: false, code: 'kubeconfig', message: resolved.message };
    if (namespaces !== undefined) this.#remember(context, namespaces);
    const fallback = namespaces ?? this.#remembered[context] ?? [];
    const origin = { context, server: resolved.context.server ?? '' };
    const source = new Live({
      kubeConfig: resolved.kubeConfig,
      fallbackNamespaces: fallback,
      origin,
      onSnapshot: (snapshot, change) => sink.snapshot(snapshot, change),
      onStatus: (status) => {
        const connection = toConnection(
          status,
          resolved.context.execCommand,
          resolved.context.execInstallHint,
        );
        if (connection !== undefined) sink.connection(connection);
      },
    });
    source.start();
    return {
      ok: true,
      handle: {
        stop: () => {
          source.stop();
          // Aborts requests still in flight and stops running exec plugins.
          resolved.kubeConfig.close();
        },
        context: resolved.context.name,
        kubeConfig: resolved.kubeConfig,
      },
    };
  }

  close(): void {
    this.#unwatch();
  }

  #remember(context: string, namespaces: readonly string[]): void {
    this.#remembered = { ...this.#remembered, [context]: [...namespaces] };
    const file = this.#options.preferencesFile;
    if (file === undefined) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify({ namespacesByContext: this.#remembered }, null, 2)}\n`);
    } catch {
      // Remembering is a convenience; the session still works without it.
    }
  }

  #readPreferences(): Remembered {
    const file = this.#options.preferencesFile;
    if (file === undefined) return {};
    try {
      const value = JSON.parse(fs.readFileSync(file, 'utf8')) as { namespacesByContext?: unknown };
      const byContext = value.namespacesByContext;
      if (byContext === null || typeof byContext !== 'object') return {};
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(byContext)) {
        if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
      }
      return out;
    } catch {
      return {};
    }
  }
}

/** LiveSource's status in the API's words; a missing exec plugin gets its install hint. */
function toConnection(
  status: LiveStatus,
  execCommand: string | undefined,
  installHint: string | undefined,
): LiveConnection | undefined {
  switch (status.state) {
    case 'connecting':
      return { state: 'connecting' };
    case 'live':
      return { state: 'live', forbidden: status.forbidden };
    case 'stale':
      return {
        state: 'stale',
        since: new Date(status.since).toISOString(),
        reason: status.reason,
        forbidden: status.forbidden,
      };
    case 'reconnecting':
      return {
        state: 'reconnecting',
        since: new Date(status.since).toISOString(),
        reason: status.reason,
        forbidden: status.forbidden,
      };
    case 'error': {
      const missingPlugin =
        execCommand !== undefined && /ENOENT|not found|spawn/i.test(`${status.reason} ${status.detail}`);
      const hint = missingPlugin
        ? `\nThe credential plugin "${execCommand}" could not be run.${installHint !== undefined ? ` ${installHint}` : ''}`
        : '';
      return { state: 'error', reason: status.reason, detail: `${status.detail}${hint}` };
    }
    case 'stopped':
      return undefined;
  }
}
