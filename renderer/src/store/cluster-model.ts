/**
 * Pure helpers for the live-cluster UI (source picker, connection pill and banner): what to call a
 * source, how to word a connection state, a forbidden list and a failure, and the namespaces input.
 */
import type {
  ApiError,
  ContextList,
  ForbiddenList,
  KubeContext,
  LiveConnection,
  SourceRequest,
  SourceStatus,
} from '../../../shared/api/api.ts';
import type { Snapshot, SnapshotSource } from '../../../shared/model/snapshot.ts';

/** `14:02:11`, local time, from an ISO 8601 instant; the input itself when it is not a date. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** What the header shows as the current source: the one loading, else the one loaded. */
export type ShownSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'demo' }
  | { readonly kind: 'manifests'; readonly paths: readonly string[] }
  /** Files dropped on the window, by name. */
  | { readonly kind: 'dropped'; readonly files: readonly string[] }
  | { readonly kind: 'cluster'; readonly context: string; readonly server: string | undefined };

export function shownSource(
  status: SourceStatus,
  snapshot: Snapshot | undefined,
  contexts: ContextList | undefined,
): ShownSource {
  const from = (s: SnapshotSource | SourceRequest): ShownSource => {
    switch (s.kind) {
      case 'demo':
        return { kind: 'demo' };
      case 'manifests':
        return { kind: 'manifests', paths: s.paths };
      case 'dropped':
        return { kind: 'dropped', files: s.files };
      case 'cluster':
        return {
          kind: 'cluster',
          context: s.context,
          server: 'server' in s ? s.server : contexts?.contexts.find((c) => c.name === s.context)?.server,
        };
    }
  };
  switch (status.state) {
    case 'ready':
      return from(status.source);
    case 'loading':
    case 'failed':
      return from(status.request);
    case 'idle':
      return snapshot !== undefined ? from(snapshot.source) : { kind: 'none' };
  }
}

/** The compact state next to the source name. */
export type Pill =
  | { readonly tone: 'busy'; readonly state: 'loading' | 'connecting'; readonly label: string }
  | { readonly tone: 'ok'; readonly state: 'loaded' | 'live'; readonly label: string }
  | {
      readonly tone: 'warning';
      readonly state: 'reconnecting' | 'stale' | 'partial' | 'loaded-with-errors';
      readonly label: string;
    }
  | { readonly tone: 'danger'; readonly state: 'error' | 'failed' | 'lost'; readonly label: string };

/** `loadErrors`: errors in the loaded snapshot's issues (objects refused); the pill then says so. */
export function pillFor(status: SourceStatus, linkLost: boolean, loadErrors = 0): Pill | undefined {
  if (linkLost) return { tone: 'danger', state: 'lost', label: 'Disconnected' };
  switch (status.state) {
    case 'idle':
      return undefined;
    case 'loading':
      return status.request.kind === 'cluster'
        ? { tone: 'busy', state: 'connecting', label: 'Connecting…' }
        : { tone: 'busy', state: 'loading', label: 'Loading…' };
    case 'failed':
      return { tone: 'danger', state: 'failed', label: 'Failed' };
    case 'ready':
      if (status.connection !== undefined) return connectionPill(status.connection);
      return loadErrors > 0
        ? {
            tone: 'warning',
            state: 'loaded-with-errors',
            label: `Loaded with ${loadErrors} ${loadErrors === 1 ? 'error' : 'errors'}`,
          }
        : { tone: 'ok', state: 'loaded', label: 'Loaded' };
  }
}

export function connectionPill(connection: LiveConnection): Pill {
  switch (connection.state) {
    case 'connecting':
      return { tone: 'busy', state: 'connecting', label: 'Connecting…' };
    case 'live':
      return connection.forbidden.length > 0
        ? { tone: 'warning', state: 'partial', label: 'Live · partial access' }
        : { tone: 'ok', state: 'live', label: 'Live' };
    case 'reconnecting':
      return {
        tone: 'warning',
        state: 'reconnecting',
        label: `Reconnecting since ${clockTime(connection.since)}`,
      };
    case 'stale':
      return { tone: 'warning', state: 'stale', label: `Stale since ${clockTime(connection.since)}` };
    case 'error':
      return { tone: 'danger', state: 'error', label: 'Error' };
  }
}

const RESOURCE_LABEL: Record<ForbiddenList['resource'], string> = {
  namespaces: 'Namespaces',
  pods: 'Pods',
  networkpolicies: 'NetworkPolicies',
  clusternetworkpolicies: 'ClusterNetworkPolicies',
  adminnetworkpolicies: 'AdminNetworkPolicies',
  baselineadminnetworkpolicies: 'BaselineAdminNetworkPolicies',
};

// Admin-tier policies are cluster-wide: one unread rule may decide any connection.
const ADMIN_CONSEQUENCE =
  'admin-tier policies are unknown, so every connection they could decide shows as unknown.';

const CONSEQUENCE: Record<ForbiddenList['resource'], string> = {
  networkpolicies: 'connections that depend on them show as unknown.',
  pods: 'pods there are not shown, and traffic to or from them is not drawn.',
  namespaces: 'namespace labels are unknown, so rules that select namespaces show as unknown.',
  clusternetworkpolicies: ADMIN_CONSEQUENCE,
  adminnetworkpolicies: ADMIN_CONSEQUENCE,
  baselineadminnetworkpolicies: ADMIN_CONSEQUENCE,
};

/** "Your user may not list NetworkPolicies cluster-wide: connections that depend on them show as unknown." */
export function forbiddenSentence(list: ForbiddenList): string {
  const what = RESOURCE_LABEL[list.resource];
  const where = list.namespace === undefined ? 'cluster-wide' : `in namespace ${list.namespace}`;
  const consequence = CONSEQUENCE[list.resource];
  return `Your user may not list ${what} ${where}: ${consequence}`;
}

/**
 * One sentence per resource: "Your user may not list NetworkPolicies cluster-wide, nor in namespaces
 * shop, billing: connections that depend on them show as unknown."
 */
export function forbiddenSummary(
  lists: readonly ForbiddenList[],
): readonly { resource: ForbiddenList['resource']; text: string; reasons: string }[] {
  const order: ForbiddenList['resource'][] = [
    'clusternetworkpolicies',
    'adminnetworkpolicies',
    'baselineadminnetworkpolicies',
    'networkpolicies',
    'pods',
    'namespaces',
  ];
  return order.flatMap((resource) => {
    const of = lists.filter((l) => l.resource === resource);
    if (of.length === 0) return [];
    const clusterWide = of.some((l) => l.namespace === undefined);
    const namespaces = [...new Set(of.flatMap((l) => (l.namespace === undefined ? [] : [l.namespace])))];
    const first = of[0] as ForbiddenList;
    const sentence = forbiddenSentence(
      clusterWide ? { ...first, namespace: undefined } : { ...first, namespace: namespaces[0] },
    );
    let text = sentence;
    if (namespaces.length > 0) {
      const shown =
        namespaces.length > 6 ? [...namespaces.slice(0, 6), `${namespaces.length - 6} more`] : namespaces;
      const where = `${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${shown.join(', ')}`;
      text = sentence.replace(
        clusterWide ? 'cluster-wide:' : `in namespace ${namespaces[0] ?? ''}:`,
        clusterWide ? `cluster-wide, nor in ${where}:` : `in ${where}:`,
      );
    }
    return [{ resource, text, reasons: [...new Set(of.map((l) => l.reason))].join('\n') }];
  });
}

/** Forbidden lists of the connection, if any. */
export function forbiddenOf(connection: LiveConnection | undefined): readonly ForbiddenList[] {
  if (connection === undefined) return [];
  return connection.state === 'live' || connection.state === 'reconnecting' || connection.state === 'stale'
    ? connection.forbidden
    : [];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export type NamespacesInput =
  | { readonly ok: true; readonly namespaces: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Namespaces typed by the user: comma/space separated, each a DNS label (RFC 1123), no repeats. */
export function parseNamespaces(text: string): NamespacesInput {
  const names = text
    .split(/[\s,]+/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) return { ok: false, message: 'Name at least one namespace.' };
  const bad = names.filter((n) => n.length > 63 || !DNS_LABEL.test(n));
  if (bad.length > 0) {
    return {
      ok: false,
      message: `Not a namespace name: ${bad.map((n) => `"${n}"`).join(', ')}. Use lowercase letters, digits and "-" (at most 63).`,
    };
  }
  return { ok: true, namespaces: [...new Set(names)] };
}

export const AUTH_LABEL: Record<KubeContext['auth'], string> = {
  'client-certificate': 'client certificate',
  token: 'token',
  'token-file': 'token file',
  exec: 'exec plugin',
  'auth-provider': 'auth provider',
  basic: 'basic auth',
  none: 'no credentials',
};

/** The last path segment, for compact display (the full path goes in a title). */
export function baseName(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .filter((p) => p !== '')
      .pop() ?? path
  );
}

/** Contexts grouped by the kubeconfig file that defines them, files in the order given. */
export function contextsByFile(list: ContextList): readonly { file: string; contexts: KubeContext[] }[] {
  const groups = new Map<string, KubeContext[]>();
  for (const file of list.files) groups.set(file, []);
  for (const c of list.contexts) {
    const group = groups.get(c.file);
    if (group === undefined) groups.set(c.file, [c]);
    else group.push(c);
  }
  return [...groups]
    .filter(([, contexts]) => contexts.length > 0)
    .map(([file, contexts]) => ({ file, contexts }));
}

/** What a failed open says: the message, the details, and a credential plugin's install hint. */
export interface FailureText {
  readonly message: string;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly file: string | undefined;
}

export function failureText(error: ApiError): FailureText {
  const detail = error.code === 'cluster' ? error.detail : undefined;
  const file = error.code === 'kubeconfig' ? error.file : undefined;
  return { message: error.message, ...splitHint(detail), file };
}

/** The Node side appends `The credential plugin "x" could not be run. <hint>` to a missing plugin's detail. */
export function splitHint(detail: string | undefined): {
  detail: string | undefined;
  hint: string | undefined;
} {
  if (detail === undefined) return { detail: undefined, hint: undefined };
  const at = detail.search(/The credential plugin ".*" could not be run\./);
  if (at < 0) return { detail: detail.trim() || undefined, hint: undefined };
  return { detail: detail.slice(0, at).trim() || undefined, hint: detail.slice(at).trim() };
}
