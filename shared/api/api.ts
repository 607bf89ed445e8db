/**
 * The typed API between netglass's two halves: the Node side (Electron main process or the web-mode
 * server) and the renderer. In Electron the preload script implements it over IPC; in web mode a
 * WebSocket client implements it. Both are built by `createApiClient` (client.ts) on top of the
 * message protocol in protocol.ts, so the renderer cannot tell them apart.
 *
 * Everything here is plain data (it crosses structured-clone and JSON boundaries). Credentials never
 * appear in it: a cluster is named by its kubeconfig context, never by tokens or certificates.
 */
import type { Snapshot, SnapshotSource } from '../model/snapshot.ts';

/** Bumped on any incompatible change to methods, events or their payloads. */
export const API_VERSION = 1;

/** What the renderer asks the Node side to load. */
export type SourceRequest =
  | { readonly kind: 'demo' }
  /** Absolute paths of manifest files or directories. */
  | { readonly kind: 'manifests'; readonly paths: readonly string[] }
  /**
   * A kubeconfig context by name. `namespaces`: where to watch pods and policies one namespace at a
   * time when the user may not list them cluster-wide (remembered per context by the Node side).
   */
  | { readonly kind: 'cluster'; readonly context: string; readonly namespaces?: readonly string[] };

export type SourceKind = SourceRequest['kind'];

/**
 * Errors carry what a user needs to act: a code to branch on, a sentence to show, and the
 * specifics (path, field, feature) where there are some.
 */
export type ApiError =
  /** The request was malformed or too large; `field` names the offending part. */
  | { readonly code: 'invalid-request'; readonly message: string; readonly field?: string }
  | { readonly code: 'unknown-method'; readonly message: string; readonly method: string }
  /** A manifest path does not exist. */
  | { readonly code: 'not-found'; readonly message: string; readonly path: string }
  /** A manifest path exists but cannot be read (permissions, a device, ...). */
  | { readonly code: 'unreadable'; readonly message: string; readonly path: string }
  /** The feature exists in the API but not yet in this build (e.g. live clusters). */
  | { readonly code: 'not-supported'; readonly message: string; readonly feature: string }
  /** The kubeconfig cannot be used (missing, not YAML, unknown context); `file` where one is to blame. */
  | { readonly code: 'kubeconfig'; readonly message: string; readonly file?: string }
  /** The cluster could not be read (unreachable, credentials rejected, nothing readable). */
  | { readonly code: 'cluster'; readonly message: string; readonly context: string; readonly detail: string }
  /** Loading the source failed for another reason. */
  | { readonly code: 'load-failed'; readonly message: string; readonly source: SourceKind }
  /** The connection to the Node side failed or was lost (client side only). */
  | { readonly code: 'transport'; readonly message: string }
  /** No answer in time (client side only). */
  | { readonly code: 'timeout'; readonly message: string; readonly method: string }
  | { readonly code: 'internal'; readonly message: string };

export type ApiErrorCode = ApiError['code'];

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(error: ApiError): Result<T> {
  return { ok: false, error };
}

/** The state of the current source, as the Node side sees it. */
export type SourceStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly request: SourceRequest }
  | {
      readonly state: 'ready';
      readonly source: SnapshotSource;
      /** Increases with every snapshot the source produces. */
      readonly revision: number;
      /** ISO 8601. */
      readonly loadedAt: string;
      /** The link to a live cluster; absent for manifests and the demo. */
      readonly connection?: LiveConnection;
    }
  | { readonly state: 'failed'; readonly request: SourceRequest; readonly error: ApiError };

/** A list the user may not make (RBAC), in the API server's words. */
export interface ForbiddenList {
  readonly resource: 'namespaces' | 'pods' | 'networkpolicies';
  /** Absent for the cluster-wide list. */
  readonly namespace?: string;
  readonly reason: string;
}

/**
 * The state of a live cluster source. `reconnecting` keeps the last snapshot on screen; `since` is
 * when the outage began (ISO 8601), for "reconnecting since 14:02:11".
 */
export type LiveConnection =
  | { readonly state: 'connecting' }
  | { readonly state: 'live'; readonly forbidden: readonly ForbiddenList[] }
  | {
      readonly state: 'reconnecting';
      readonly since: string;
      readonly reason: string;
      readonly forbidden: readonly ForbiddenList[];
    }
  | { readonly state: 'error'; readonly reason: string; readonly detail: string };

export type Capability = 'demo' | 'manifests' | 'clusters' | 'dry-run' | 'apply';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly apiVersion: number;
  /** What the Node side can do in this build; the UI hides what is absent. */
  readonly capabilities: readonly Capability[];
}

/** A kubeconfig context, described without any credential. */
export interface KubeContext {
  readonly name: string;
  readonly cluster: string;
  readonly server: string;
  readonly namespace?: string;
  readonly current: boolean;
  /** The kubeconfig file that defines it. */
  readonly file: string;
  readonly auth: 'client-certificate' | 'token' | 'token-file' | 'exec' | 'auth-provider' | 'basic' | 'none';
  /** TLS verification is off for this cluster: it works, and the UI flags it. */
  readonly insecureSkipTlsVerify: boolean;
  /** For exec plugins, the plugin's own install hint (shown when the command is missing). */
  readonly execInstallHint?: string;
  /** Namespaces remembered for this context (partial permissions). */
  readonly rememberedNamespaces: readonly string[];
}

/** The contexts of the merged kubeconfig, and what could not be read of it. */
export interface ContextList {
  readonly contexts: readonly KubeContext[];
  readonly files: readonly string[];
  readonly problems: readonly string[];
}

/**
 * Pushed to subscribers. A new subscriber first receives the current `source` status and, when one
 * exists, the latest full `snapshot`; then every change. Deltas (`type: 'delta'`, relative to a
 * revision) will join this union for live clusters; clients ignore event types they do not know.
 */
export type ApiEvent =
  | { readonly type: 'source'; readonly status: SourceStatus }
  | { readonly type: 'snapshot'; readonly revision: number; readonly snapshot: Snapshot }
  /** The kubeconfig files changed on disk; the new list of contexts. */
  | { readonly type: 'contexts'; readonly contexts: ContextList }
  /**
   * Made by the client, never sent by the server: the link to the Node side went down or came back
   * (web mode after a server restart or a network hiccup). After `connected` the client has
   * re-subscribed and fresh `source`/`snapshot` events follow.
   */
  | { readonly type: 'connection'; readonly state: ConnectionState };

export type ConnectionState = 'connected' | 'lost';

export type ApiEventListener = (event: ApiEvent) => void;
export type Unsubscribe = () => void;

/**
 * The request/response methods. `params` is `null` for methods that take none, so every request has
 * the same shape on the wire. Add a method here, in `METHOD_NAMES`, in `validateParams`
 * (protocol.ts) and in the dispatcher on the Node side.
 */
export interface ApiMethods {
  getInfo: { readonly params: null; readonly result: AppInfo };
  getStatus: { readonly params: null; readonly result: SourceStatus };
  openSource: { readonly params: SourceRequest; readonly result: SourceStatus };
  reload: { readonly params: null; readonly result: SourceStatus };
  listContexts: { readonly params: null; readonly result: ContextList };
  /** Starts event delivery to this client; the current status and snapshot follow at once. */
  subscribe: { readonly params: null; readonly result: null };
  unsubscribe: { readonly params: null; readonly result: null };
}

export type MethodName = keyof ApiMethods;
export type MethodParams<M extends MethodName> = ApiMethods[M]['params'];
export type MethodResult<M extends MethodName> = ApiMethods[M]['result'];

export const METHOD_NAMES: readonly MethodName[] = [
  'getInfo',
  'getStatus',
  'openSource',
  'reload',
  'listContexts',
  'subscribe',
  'unsubscribe',
];

/**
 * What the renderer sees: `window.netglass` in Electron, a WebSocket client in web mode.
 * Methods never reject; failures come back as `{ ok: false, error }`.
 */
export interface NetglassApi {
  getInfo(): Promise<Result<AppInfo>>;
  getStatus(): Promise<Result<SourceStatus>>;
  openSource(request: SourceRequest): Promise<Result<SourceStatus>>;
  reload(): Promise<Result<SourceStatus>>;
  listContexts(): Promise<Result<ContextList>>;
  /** Receive source and snapshot events. The first listener starts delivery; the last one's return stops it. */
  subscribe(listener: ApiEventListener): Unsubscribe;
}

/** A one-line description of a source for headers and logs. */
export function describeSource(source: SnapshotSource | SourceRequest): string {
  switch (source.kind) {
    case 'demo':
      return 'Demo cluster';
    case 'manifests':
      return source.paths.length === 1
        ? `Manifests: ${source.paths[0] ?? ''}`
        : `Manifests: ${source.paths.length} paths`;
    case 'cluster':
      return `Cluster: ${source.context}`;
  }
}
