/**
 * The typed API between netglass's two halves: the Node side (Electron main process or the web-mode
 * server) and the renderer. In Electron the preload script implements it over IPC; in web mode a
 * WebSocket client implements it. Both are built by `createApiClient` (client.ts) on top of the
 * message protocol in protocol.ts, so the renderer cannot tell them apart.
 *
 * Everything here is plain data (it crosses structured-clone and JSON boundaries). Credentials never
 * appear in it: a cluster is named by its kubeconfig context, never by tokens or certificates.
 */
import type { SnapshotChange } from '../model/delta.ts';
import type { Pod, Snapshot, SnapshotSource } from '../model/snapshot.ts';
import type { PolicyManifest } from '../editor/draft.ts';

/** Bumped on any incompatible change to methods, events or their payloads. */
export const API_VERSION = 1;

/** What the renderer asks the Node side to load. */
export type SourceRequest =
  | { readonly kind: 'demo' }
  /**
   * Absolute paths of manifest files or directories. `strict` (paths the user picked in the UI): a
   * relative path starts at the Node side's working directory, and a path that does not exist, cannot
   * be read or holds no manifest is refused before the current source changes, instead of loading as
   * an empty snapshot with a load issue.
   */
  | { readonly kind: 'manifests'; readonly paths: readonly string[]; readonly strict?: boolean }
  /**
   * Files dropped on the window, whose text the renderer sent beforehand with `uploadManifests`
   * (under `upload`); `files` are their names, in order. Reloading parses the same texts again.
   */
  | { readonly kind: 'dropped'; readonly upload: string; readonly files: readonly string[] }
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
  /** Dry-run / apply need the current source to be a live cluster (and the context asked for). */
  | { readonly code: 'no-cluster'; readonly message: string }
  /** `applyPolicy` without a dry-run of the very same manifest on the same context (or it expired). */
  | { readonly code: 'dry-run-required'; readonly message: string }
  /** The API server refused or could not be reached; `failure` says how, in its words. */
  | { readonly code: 'policy-rejected'; readonly message: string; readonly failure: ApplyFailure }
  /** `savePolicy` without `overwrite` on a file that exists. */
  | { readonly code: 'exists'; readonly message: string; readonly path: string }
  /** A file could not be written (permissions, a missing folder, a full disk, ...). */
  | { readonly code: 'write-failed'; readonly message: string; readonly path: string }
  | { readonly code: 'internal'; readonly message: string };

export type ApiErrorCode = ApiError['code'];

/** One field the API server rejected, with its path in the manifest (`spec.ingress[0].ports[0].port`). */
export interface FieldCause {
  /** Absent when the server named no field. Map it to the form with `draftPathFor` (shared/editor). */
  readonly field?: string;
  readonly message: string;
  /** The server's reason, e.g. `FieldValueInvalid`, `FieldValueRequired`. */
  readonly reason?: string;
}

/** Why the API server did not (or would not) store a policy. `message` is a sentence to show as is. */
export type ApplyFailure =
  /** RBAC: `user` may not `verb` `resource` in `namespace`, as the server's Status message says. */
  | {
      readonly reason: 'forbidden';
      readonly message: string;
      readonly verb?: string;
      readonly resource?: string;
      readonly namespace?: string;
      readonly user?: string;
      readonly serverMessage: string;
    }
  /** The server's validation: one cause per field. */
  | { readonly reason: 'invalid'; readonly message: string; readonly causes: readonly FieldCause[] }
  /** The policy changed (or appeared, or vanished) since the dry-run: dry-run again. */
  | { readonly reason: 'conflict'; readonly message: string; readonly serverMessage: string }
  /**
   * Server-side apply: other field managers own fields this manifest sets to other values. Nothing
   * was (or would be) written; a dry-run with `force` shows what taking them over changes.
   */
  | {
      readonly reason: 'field-conflict';
      readonly message: string;
      readonly conflicts: readonly FieldConflict[];
      readonly serverMessage: string;
    }
  /** The namespace does not exist. */
  | { readonly reason: 'not-found'; readonly message: string; readonly serverMessage: string }
  /** The credentials were not accepted (401). */
  | { readonly reason: 'unauthorized'; readonly message: string; readonly serverMessage: string }
  /** No answer from the API server (network, TLS, credential plugin). */
  | { readonly reason: 'unreachable'; readonly message: string; readonly detail: string }
  /** Any other refusal, with its HTTP status. */
  | {
      readonly reason: 'rejected';
      readonly message: string;
      readonly status: number;
      readonly serverMessage: string;
    };

/** A field another field manager owns, which the manifest sets to another value (server-side apply). */
export interface FieldConflict {
  /** The field as the server names it, without the leading dot: `metadata.labels.team`, `spec.ingress`. */
  readonly field: string;
  /** The field manager that owns it: `kubectl-client-side-apply`, `kubectl-label`, a controller, ... */
  readonly manager: string;
  /** The server's sentence, e.g. `conflict with "kubectl-label" using networking.k8s.io/v1`. */
  readonly message: string;
}

/** A field-level difference between the live object and the one the server would store. */
export interface FieldChange {
  /** `spec.ingress[0].ports[0].port`, `metadata.labels["app"]`, ... */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * The server's answer to a server-side-apply dry-run: what it would store, and how that differs from
 * what is there. Metadata the manifest does not set (ownerReferences, finalizers, other managers'
 * labels and annotations) is kept by the apply, so it appears in `changes` only if it does change.
 */
export interface DryRunResult {
  readonly context: string;
  readonly operation: 'create' | 'update';
  /** '' for a cluster-scoped policy (ClusterNetworkPolicy). */
  readonly namespace: string;
  readonly name: string;
  /** The field manager the apply writes as (`netglass`). */
  readonly fieldManager: string;
  /** The dry-run took fields over from other managers (the user chose to force after a conflict). */
  readonly force: boolean;
  /** With `force`: the fields taken over and their managers until now. Empty otherwise. */
  readonly conflicts: readonly FieldConflict[];
  /** The object the server would store (defaults filled in), without managedFields. */
  readonly stored: Readonly<Record<string, unknown>>;
  /** The live object before the change (update only), without managedFields. */
  readonly live?: Readonly<Record<string, unknown>>;
  /**
   * Every field that would change, over the whole object (for a create: every field set); only the
   * server's bookkeeping (resourceVersion, generation, uid, creationTimestamp, managedFields) is left out.
   */
  readonly changes: readonly FieldChange[];
  /** True for an update that changes nothing. */
  readonly unchanged: boolean;
  /** Pass to `applyPolicy` with the same manifest to apply exactly this (single use, expires). */
  readonly dryRunToken: string;
  /** ISO 8601: when the token stops being accepted. */
  readonly expiresAt: string;
}

export interface ApplyResult {
  readonly context: string;
  readonly operation: 'create' | 'update';
  readonly namespace: string;
  readonly name: string;
  /** The object as stored, without managedFields. */
  readonly stored: Readonly<Record<string, unknown>>;
  readonly resourceVersion: string;
}

/** Where "save" would write a policy for the current manifest source. */
export interface SavePathSuggestion {
  /** Absent when the current source is not a set of manifests (the UI asks for a path instead). */
  readonly path?: string;
  /** The file exists: saving replaces it (after the user confirms: `overwrite: true`). */
  readonly exists: boolean;
  /** A sentence for the confirmation, e.g. that the original file still holds the policy. */
  readonly note?: string;
}

export interface SavePolicyResult {
  readonly path: string;
  readonly bytes: number;
  /** True when an existing file was replaced. */
  readonly replaced: boolean;
}

/**
 * Part of the text of dropped files, sent in order (a big file in several parts, small files several
 * to a request): each part's text is appended to the file of that name in the upload.
 */
export interface UploadPart {
  /** The file's name as dropped, with its folders (`manifests/web.yaml`): load issues name it. */
  readonly name: string;
  readonly text: string;
}

/** What an upload holds so far. */
export interface UploadProgress {
  readonly files: number;
  readonly bytes: number;
}

/** `chooseManifests`: what the native open dialog led to. */
export type ChooseManifestsResult =
  | { readonly outcome: 'opened'; readonly paths: readonly string[]; readonly status: SourceStatus }
  | { readonly outcome: 'cancelled' };

/** `savePolicyAs`: saved where the user chose in the native dialog, or the dialog was cancelled. */
export type SavePolicyAsResult =
  ({ readonly outcome: 'saved' } & SavePolicyResult) | { readonly outcome: 'cancelled' };

/** The file types `saveExport` writes; the extension of `fileName` picks one (and the dialog's filter). */
export const EXPORT_FILE_TYPES = {
  csv: 'CSV',
  md: 'Markdown',
  png: 'PNG image',
  svg: 'SVG image',
  json: 'JSON',
  yaml: 'YAML',
  txt: 'Text',
} as const;

export type ExportExtension = keyof typeof EXPORT_FILE_TYPES;

/** `saveExport`: written where the user chose in the native dialog, or the dialog was cancelled. */
export type SaveExportAsResult =
  | { readonly outcome: 'saved'; readonly path: string; readonly bytes: number }
  | { readonly outcome: 'cancelled' };

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

/**
 * A list the user may not make (RBAC), in the API server's words. The admin policy kinds
 * (policy.networking.k8s.io) are cluster-scoped, so they never carry a namespace.
 */
export interface ForbiddenList {
  readonly resource:
    | 'namespaces'
    | 'pods'
    | 'networkpolicies'
    | 'clusternetworkpolicies'
    | 'adminnetworkpolicies'
    | 'baselineadminnetworkpolicies';
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
  /**
   * Every watch is up but the API server fails its health check (`/readyz`), e.g. etcd is down: the
   * last snapshot stays on screen, marked as possibly out of date since `since`.
   */
  | {
      readonly state: 'stale';
      readonly since: string;
      readonly reason: string;
      readonly forbidden: readonly ForbiddenList[];
    }
  | { readonly state: 'error'; readonly reason: string; readonly detail: string };

/**
 * `save-dialog`: `savePolicyAs` opens a native save dialog (Electron). Without it (web mode) the
 * renderer offers the YAML as a browser download instead: the server writes only under loaded folders.
 */
export type Capability =
  | 'demo'
  | 'manifests'
  | 'clusters'
  | 'dry-run'
  | 'apply'
  | 'save-dialog'
  /** `saveExport` (a native save dialog for exported files) and `chooseManifests` (a native open dialog). */
  | 'export-dialog'
  | 'open-dialog';

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
 * exists, the latest full `snapshot`; then every change. A live cluster sends each change as a `delta`
 * that applies (`applySnapshotChange`) to the snapshot of revision `revision - 1`. Clients ignore event
 * types they do not know.
 */
export type ApiEvent =
  | { readonly type: 'source'; readonly status: SourceStatus }
  | { readonly type: 'snapshot'; readonly revision: number; readonly snapshot: Snapshot }
  | { readonly type: 'delta'; readonly revision: number; readonly change: SnapshotChange }
  /**
   * A big snapshot on the wire, in parts (`index` of `count`, in order): the head (everything, with
   * the first pods), then more pods. The client puts them together and delivers one `snapshot`
   * event; meanwhile it makes `loadProgress` events.
   */
  | {
      readonly type: 'snapshotPart';
      readonly revision: number;
      readonly index: number;
      readonly count: number;
      readonly part: SnapshotPart;
    }
  /** Made by the client while the parts of a snapshot arrive: pods received of `total`. */
  | {
      readonly type: 'loadProgress';
      readonly revision: number;
      readonly received: number;
      readonly total: number;
    }
  /** The kubeconfig files changed on disk; the new list of contexts. */
  | { readonly type: 'contexts'; readonly contexts: ContextList }
  /**
   * Made by the client, never sent by the server: the link to the Node side went down or came back
   * (web mode after a server restart or a network hiccup). After `connected` the client has
   * re-subscribed and fresh `source`/`snapshot` events follow.
   */
  | { readonly type: 'connection'; readonly state: ConnectionState };

export type ConnectionState = 'connected' | 'lost';

export type SnapshotPart =
  | { readonly kind: 'head'; readonly snapshot: Snapshot; readonly totalPods: number }
  | { readonly kind: 'pods'; readonly pods: readonly Pod[] };

/** Pods per part of a snapshot on the wire; smaller snapshots travel whole. */
export const SNAPSHOT_PART_PODS = 2000;

/** The events that carry `snapshot` to a subscriber: itself, or its parts when it is big. */
export function snapshotEvents(
  revision: number,
  snapshot: Snapshot,
): Extract<ApiEvent, { type: 'snapshot' | 'snapshotPart' }>[] {
  const total = snapshot.pods.length;
  if (total <= SNAPSHOT_PART_PODS) return [{ type: 'snapshot', revision, snapshot }];
  const count = Math.ceil(total / SNAPSHOT_PART_PODS);
  const events: Extract<ApiEvent, { type: 'snapshotPart' }>[] = [
    {
      type: 'snapshotPart',
      revision,
      index: 0,
      count,
      part: {
        kind: 'head',
        snapshot: { ...snapshot, pods: snapshot.pods.slice(0, SNAPSHOT_PART_PODS) },
        totalPods: total,
      },
    },
  ];
  for (let i = 1; i < count; i++)
    events.push({
      type: 'snapshotPart',
      revision,
      index: i,
      count,
      part: { kind: 'pods', pods: snapshot.pods.slice(i * SNAPSHOT_PART_PODS, (i + 1) * SNAPSHOT_PART_PODS) },
    });
  return events;
}

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
  /**
   * Server-side apply (field manager `netglass`) as a dry-run (`dryRun=All`) of a NetworkPolicy or a
   * (cluster-scoped) ClusterNetworkPolicy on the current live cluster: a create when the policy does
   * not exist, else an update that keeps what the manifest does not set. Nothing is stored.
   * `context`, when given, must be the current source's. `force` takes over fields other managers
   * own: send it only after the user saw the `field-conflict` and chose to.
   */
  dryRunPolicy: {
    readonly params: {
      readonly context?: string;
      readonly manifest: PolicyManifest;
      readonly force?: boolean;
    };
    readonly result: DryRunResult;
  };
  /** Applies what a dry-run showed (with its `force`): the same manifest, and that dry-run's token. */
  applyPolicy: {
    readonly params: {
      readonly context?: string;
      readonly manifest: PolicyManifest;
      readonly dryRunToken: string;
    };
    readonly result: ApplyResult;
  };
  /** Where to save a policy for the current manifest source (next to the loaded files). */
  suggestPolicyPath: {
    readonly params: { readonly namespace: string; readonly name: string; readonly originFile?: string };
    readonly result: SavePathSuggestion;
  };
  /**
   * Writes YAML to an absolute `.yaml`/`.yml` path under a loaded manifest folder, atomically; an
   * existing file only with `overwrite`, and only if it holds nothing but policies.
   */
  savePolicy: {
    readonly params: { readonly path: string; readonly yaml: string; readonly overwrite: boolean };
    readonly result: SavePolicyResult;
  };
  /**
   * Asks the user for a file in a native save dialog (capability `save-dialog`) and writes the policy
   * there: the one path allowed besides the loaded folders, chosen by the user, never by the page.
   * `fileName` is only the dialog's suggestion.
   */
  savePolicyAs: {
    readonly params: { readonly yaml: string; readonly fileName: string };
    readonly result: SavePolicyAsResult;
  };
  /**
   * Asks the user for a file in a native save dialog (capability `export-dialog`) and writes an
   * export there (a CSV, a report, an image): only the path the dialog returned, never one from the
   * page. `fileName` is the dialog's suggestion and its extension picks the filter; `data` is the
   * content as UTF-8 text or, for binary files, base64.
   */
  /**
   * Stores the text of dropped files on the Node side, part by part (see `UploadPart`), for an
   * `openSource` of kind `dropped`. Limits: MAX_UPLOAD_FILES files and MAX_UPLOAD_BYTES per upload.
   */
  uploadManifests: {
    readonly params: { readonly upload: string; readonly parts: readonly UploadPart[] };
    readonly result: UploadProgress;
  };
  /**
   * Shows a native open dialog (capability `open-dialog`) for manifest files or a folder, and opens
   * what the user chose as the manifests source (strictly: see `SourceRequest`).
   */
  chooseManifests: {
    readonly params: { readonly pick: 'files' | 'folder' };
    readonly result: ChooseManifestsResult;
  };
  saveExport: {
    readonly params: {
      readonly fileName: string;
      readonly data: string;
      readonly encoding: 'utf8' | 'base64';
    };
    readonly result: SaveExportAsResult;
  };
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
  'dryRunPolicy',
  'applyPolicy',
  'suggestPolicyPath',
  'savePolicy',
  'savePolicyAs',
  'saveExport',
  'uploadManifests',
  'chooseManifests',
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
  /*
   * The policy editor's methods. `createApiClient` always has them; they are optional here only so
   * that hand-written fakes of this interface (tests) need not stub them. Offer them when
   * `AppInfo.capabilities` includes 'dry-run' / 'apply'.
   */
  dryRunPolicy?(params: MethodParams<'dryRunPolicy'>): Promise<Result<DryRunResult>>;
  applyPolicy?(params: MethodParams<'applyPolicy'>): Promise<Result<ApplyResult>>;
  suggestPolicyPath?(params: MethodParams<'suggestPolicyPath'>): Promise<Result<SavePathSuggestion>>;
  savePolicy?(params: MethodParams<'savePolicy'>): Promise<Result<SavePolicyResult>>;
  savePolicyAs?(params: MethodParams<'savePolicyAs'>): Promise<Result<SavePolicyAsResult>>;
  saveExport?(params: MethodParams<'saveExport'>): Promise<Result<SaveExportAsResult>>;
  uploadManifests?(params: MethodParams<'uploadManifests'>): Promise<Result<UploadProgress>>;
  chooseManifests?(params: MethodParams<'chooseManifests'>): Promise<Result<ChooseManifestsResult>>;
}

/** `NetglassApi` with the editor's methods present, as `createApiClient` builds it. */
export type FullNetglassApi = NetglassApi &
  Required<
    Pick<
      NetglassApi,
      | 'dryRunPolicy'
      | 'applyPolicy'
      | 'suggestPolicyPath'
      | 'savePolicy'
      | 'savePolicyAs'
      | 'saveExport'
      | 'uploadManifests'
      | 'chooseManifests'
    >
  >;

/** A one-line description of a source for headers and logs. */
export function describeSource(source: SnapshotSource | SourceRequest): string {
  switch (source.kind) {
    case 'demo':
      return 'Demo cluster';
    case 'manifests':
      return source.paths.length === 1
        ? `Manifests: ${source.paths[0] ?? ''}`
        : `Manifests: ${source.paths.length} paths`;
    case 'dropped':
      return source.files.length === 1
        ? `Dropped: ${source.files[0] ?? ''}`
        : `Dropped: ${source.files.length} files`;
    case 'cluster':
      return `Cluster: ${source.context}`;
  }
}
