/**
 * A live cluster as a snapshot source: reflectors on namespaces, pods, networkpolicies and the admin
 * network policy kinds the cluster serves, their caches turned into a Snapshot whenever something
 * changes (coalesced, so a burst of events makes one snapshot).
 *
 * Partial permissions: when a cluster-wide list is forbidden, the resource is watched in the
 * namespaces the user names instead (remembered per context by the caller), and what could still not
 * be read is recorded in `Snapshot.visibility`, so the evaluator answers `unknown` instead of
 * guessing. The admin kinds are cluster-scoped: a forbidden list of one makes every admin tier
 * unreadable.
 *
 * The admin kinds are CRDs: discovery says which are installed (and at which version) before they are
 * watched. A kind that is missing is looked for again now and then, so a CRD installed later is
 * picked up; a watched kind whose list turns into 404 (CRD deleted) is dropped and looked for again.
 * Cilium's policy kinds (cilium.io/v2 CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy) are CRDs
 * too and are found and watched the same way; absent, there is simply nothing to read. A forbidden
 * Cilium list makes verdicts unknown as an unread admin kind does, and is named in the load issues
 * (the forbidden-list report names only the kinds it has words for).
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  type KubeConfig,
  type V1NetworkPolicy,
} from '@kubernetes/client-node';
import type { ForbiddenList } from '../../shared/api/api.ts';
import type { SnapshotChange } from '../../shared/model/delta.ts';
import type { CniProfile, Snapshot, Visibility } from '../../shared/model/snapshot.ts';
import { discoverCni } from './cni-discovery.ts';
import { LiveModel, type LiveOrigin } from './live-model.ts';
import { probeReadiness } from './readiness.ts';
import {
  ADMIN_POLICY_GROUP,
  ADMIN_RESOURCES,
  adminPath,
  discoverAdminApis,
  type AdminApis,
  type AdminResource,
} from './admin-apis.ts';
import {
  CILIUM_GROUP,
  CILIUM_RESOURCES,
  CILIUM_VERSION,
  ciliumPath,
  discoverCiliumApis,
  type CiliumApis,
  type CiliumResource,
} from './cilium-apis.ts';
import {
  CALICO_GROUP,
  CALICO_INFO,
  CALICO_RESOURCES,
  CALICO_VERSION,
  calicoPath,
  discoverCalicoApis,
  isCalicoResource,
  type CalicoApis,
  type CalicoResource,
} from './calico-apis.ts';
import {
  Reflector,
  describeRequestError,
  httpStatus,
  type KubeObject,
  type ListPage,
  type ReflectorEvent,
  type ReflectorState,
} from './reflector.ts';
import { requestOptions } from './request-signal.ts';

export type LiveResource = ForbiddenList['resource'];
type CoreResource = Exclude<LiveResource, AdminResource>;
/** What the source watches: the resources a forbidden list can name, and the CNI kinds (Cilium, Calico). */
type WatchedResource = LiveResource | CiliumResource | CalicoResource;

/** Raw API objects by resource, as JSON-shaped values, and what discovery found. */
export interface LiveObjects {
  readonly namespaces: readonly KubeObject[];
  readonly pods: readonly KubeObject[];
  readonly networkpolicies: readonly KubeObject[];
  readonly clusternetworkpolicies: readonly KubeObject[];
  readonly adminnetworkpolicies: readonly KubeObject[];
  readonly baselineadminnetworkpolicies: readonly KubeObject[];
  /** Absent: none (a cluster without Cilium's CRDs). */
  readonly ciliumnetworkpolicies?: readonly KubeObject[];
  readonly ciliumclusterwidenetworkpolicies?: readonly KubeObject[];
  /** Absent: none (a cluster without Calico's CRDs). */
  readonly 'calico-networkpolicies'?: readonly KubeObject[];
  readonly 'calico-globalnetworkpolicies'?: readonly KubeObject[];
  readonly 'calico-networksets'?: readonly KubeObject[];
  readonly 'calico-globalnetworksets'?: readonly KubeObject[];
  readonly 'calico-tiers'?: readonly KubeObject[];
  /** The admin policy APIs served, or 'unknown' when discovery was forbidden. */
  readonly adminApis: AdminApis | 'unknown';
}

export type LiveStatus =
  | { readonly state: 'connecting' }
  | { readonly state: 'live'; readonly forbidden: readonly ForbiddenList[] }
  | {
      readonly state: 'reconnecting';
      /** Epoch milliseconds of the first failure of this outage. */
      readonly since: number;
      readonly reason: string;
      readonly forbidden: readonly ForbiddenList[];
    }
  | {
      /**
       * Every watch is up, but the API server says it is not ready (or does not answer its health
       * check): what was read may be out of date, e.g. while etcd is down.
       */
      readonly state: 'stale';
      readonly since: number;
      readonly reason: string;
      readonly forbidden: readonly ForbiddenList[];
    }
  | { readonly state: 'error'; readonly reason: string; readonly detail: string }
  | { readonly state: 'stopped' };

export interface LiveSourceOptions {
  readonly kubeConfig: KubeConfig;
  /** Namespaces to watch one by one when a cluster-wide list is forbidden. */
  readonly fallbackNamespaces?: readonly string[];
  /** Names the snapshots' source. */
  readonly origin: LiveOrigin;
  /**
   * The first snapshot (no `change`), then each change with the snapshot it leads to. A change of
   * what can be read (visibility, the admin APIs served) comes as a whole snapshot again.
   */
  readonly onSnapshot: (snapshot: Snapshot, change?: SnapshotChange) => void;
  readonly onStatus: (status: LiveStatus) => void;
  /** Milliseconds to wait for more events before building a snapshot. */
  readonly coalesceMs?: number;
  /** Milliseconds between discovery runs while an admin policy kind is not installed. Default 60 s. */
  readonly rediscoverMs?: number;
  /** Milliseconds between health checks (`/readyz`) of the API server. Default 10 s. */
  readonly healthMs?: number;
}

/** Something the status is made of: a reflector, or the discovery of the admin kinds. */
interface Part {
  readonly resource: WatchedResource;
  readonly namespace?: string;
  /** For messages: the request that failed. */
  readonly path: string;
  state: ReflectorState;
  synced: boolean;
}

interface Watched extends Part {
  readonly reflector: Reflector<KubeObject>;
}

/**
 * Discovery of the admin kinds. `failing` only before the first answer: later failures keep the last
 * answer (the kinds it found are being watched) and are retried at the next round.
 */
type Discovery =
  | { readonly phase: 'pending' }
  | { readonly phase: 'failing'; readonly since: number; readonly reason: string; readonly attempt: number }
  | { readonly phase: 'forbidden'; readonly reason: string }
  | {
      readonly phase: 'done';
      readonly apis: AdminApis;
      readonly cilium: CiliumApis;
      readonly calico: CalicoApis;
      /** The CNI the API groups show (absent: none or several). */
      readonly cni?: CniProfile;
    };

const CORE_PATHS: Readonly<Record<CoreResource, (namespace?: string) => string>> = {
  namespaces: () => '/api/v1/namespaces',
  pods: (ns) => (ns === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`),
  networkpolicies: (ns) =>
    ns === undefined
      ? '/apis/networking.k8s.io/v1/networkpolicies'
      : `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/networkpolicies`,
};

const isAdmin = (resource: WatchedResource): resource is AdminResource =>
  (ADMIN_RESOURCES as readonly string[]).includes(resource);
const isCilium = (resource: WatchedResource): resource is CiliumResource =>
  (CILIUM_RESOURCES as readonly string[]).includes(resource);
/** A CNI policy kind: a CRD that exists only where that CNI is installed. */
const isCni = (resource: WatchedResource): resource is CiliumResource | CalicoResource =>
  isCilium(resource) || isCalicoResource(resource);

/**
 * client-node's typed models rename the wire field `from` to `_from` (a reserved word in its
 * generator); watch events carry the wire form. Lists are brought back to the wire form so one
 * normalization reads both.
 */
function wirePolicy(policy: V1NetworkPolicy): KubeObject {
  const ingress = policy.spec?.ingress?.map(({ _from, ...rule }) =>
    _from === undefined ? rule : { ...rule, from: _from },
  );
  if (ingress === undefined) return policy;
  const wire: KubeObject & { spec: object } = { ...policy, spec: { ...policy.spec, ingress } };
  return wire;
}

/** A custom-object list is untyped JSON (already in wire form): check the shape the reflector reads. */
function customListPage(value: unknown, path: string): ListPage<KubeObject> {
  const page = value as { items?: unknown; metadata?: ListPage<KubeObject>['metadata'] } | null;
  if (page === null || typeof page !== 'object' || !Array.isArray(page.items)) {
    throw new Error(`${path}: the answer is not a list`);
  }
  return {
    items: page.items as KubeObject[],
    ...(page.metadata !== undefined ? { metadata: page.metadata } : {}),
  };
}

export class LiveSource {
  readonly #options: LiveSourceOptions;
  readonly #core: CoreV1Api;
  readonly #net: NetworkingV1Api;
  readonly #custom: CustomObjectsApi;
  readonly #watched: Watched[] = [];
  #discovery: Discovery = { phase: 'pending' };
  #discoveryTimer: ReturnType<typeof setTimeout> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #lastStatus: LiveStatus = { state: 'connecting' };
  readonly #model: LiveModel;

  constructor(options: LiveSourceOptions) {
    this.#options = options;
    this.#model = new LiveModel(options.origin);
    this.#core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.#net = options.kubeConfig.makeApiClient(NetworkingV1Api);
    this.#custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  get status(): LiveStatus {
    return this.#lastStatus;
  }

  start(): void {
    this.#emitStatus({ state: 'connecting' });
    for (const resource of ['namespaces', 'pods', 'networkpolicies'] as const)
      this.#watch(resource, undefined, CORE_PATHS[resource](undefined), this.#coreList(resource, undefined));
    void this.#discover();
    this.#scheduleHealth();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#discoveryTimer !== undefined) clearTimeout(this.#discoveryTimer);
    if (this.#healthTimer !== undefined) clearTimeout(this.#healthTimer);
    this.#healthAbort.abort();
    for (const w of this.#watched) w.reflector.stop();
    this.#emitStatus({ state: 'stopped' });
  }

  #coreList(resource: CoreResource, namespace: string | undefined) {
    return async (
      token: string | undefined,
      limit: number,
      signal: AbortSignal,
    ): Promise<ListPage<KubeObject>> => {
      const page = { limit, ...(token !== undefined ? { _continue: token } : {}) };
      const options = requestOptions(signal);
      switch (resource) {
        case 'namespaces':
          return this.#core.listNamespace(page, options);
        case 'pods':
          return namespace === undefined
            ? this.#core.listPodForAllNamespaces(page, options)
            : this.#core.listNamespacedPod({ namespace, ...page }, options);
        case 'networkpolicies': {
          const list =
            namespace === undefined
              ? await this.#net.listNetworkPolicyForAllNamespaces(page, options)
              : await this.#net.listNamespacedNetworkPolicy({ namespace, ...page }, options);
          return { ...list, items: list.items.map(wirePolicy) };
        }
      }
    };
  }

  #adminList(resource: AdminResource, version: string) {
    return async (
      token: string | undefined,
      limit: number,
      signal: AbortSignal,
    ): Promise<ListPage<KubeObject>> => {
      const list: unknown = await this.#custom.listClusterCustomObject(
        {
          group: ADMIN_POLICY_GROUP,
          version,
          plural: resource,
          limit,
          ...(token !== undefined ? { _continue: token } : {}),
        },
        requestOptions(signal),
      );
      return customListPage(list, adminPath(resource, version));
    };
  }

  /** A Calico kind in its storage form: namespaced ones across every namespace. */
  #calicoList(resource: CalicoResource) {
    return async (
      token: string | undefined,
      limit: number,
      signal: AbortSignal,
    ): Promise<ListPage<KubeObject>> => {
      const page = {
        group: CALICO_GROUP,
        version: CALICO_VERSION,
        limit,
        ...(token !== undefined ? { _continue: token } : {}),
      };
      const info = CALICO_INFO[resource];
      const list: unknown = info.namespaced
        ? await this.#custom.listCustomObjectForAllNamespaces(
            { ...page, resourcePlural: info.plural },
            requestOptions(signal),
          )
        : await this.#custom.listClusterCustomObject(
            { ...page, plural: info.plural },
            requestOptions(signal),
          );
      return customListPage(list, calicoPath(resource));
    };
  }

  /** CiliumNetworkPolicies of every namespace, or the cluster-wide kind. */
  #ciliumList(resource: CiliumResource) {
    return async (
      token: string | undefined,
      limit: number,
      signal: AbortSignal,
    ): Promise<ListPage<KubeObject>> => {
      const page = {
        group: CILIUM_GROUP,
        version: CILIUM_VERSION,
        limit,
        ...(token !== undefined ? { _continue: token } : {}),
      };
      const list: unknown =
        resource === 'ciliumnetworkpolicies'
          ? await this.#custom.listCustomObjectForAllNamespaces(
              { ...page, resourcePlural: resource },
              requestOptions(signal),
            )
          : await this.#custom.listClusterCustomObject({ ...page, plural: resource }, requestOptions(signal));
      return customListPage(list, ciliumPath(resource));
    };
  }

  #watch(
    resource: WatchedResource,
    namespace: string | undefined,
    path: string,
    listPage: (
      token: string | undefined,
      limit: number,
      signal: AbortSignal,
    ) => Promise<ListPage<KubeObject>>,
  ): void {
    const entry: Watched = {
      resource,
      ...(namespace !== undefined ? { namespace } : {}),
      path,
      state: { phase: 'connecting' },
      synced: false,
      reflector: new Reflector<KubeObject>({
        kubeConfig: this.#options.kubeConfig,
        path,
        listPage,
        onEvent: (event: ReflectorEvent<KubeObject>) => {
          if (event.type === 'replace') entry.synced = true;
          this.#model.event(resource, event, namespace);
          this.#schedule();
        },
        onState: (state) => {
          entry.state = state;
          if (state.phase === 'forbidden' && namespace === undefined) this.#fallBack(resource);
          if (
            state.phase === 'reconnecting' &&
            state.status === 404 &&
            (isAdmin(resource) || isCni(resource))
          ) {
            this.#unwatch(entry);
            return;
          }
          this.#updateStatus();
          this.#schedule();
        },
      }),
    };
    this.#watched.push(entry);
    entry.reflector.start();
  }

  /**
   * An admin kind that is no longer served (its CRD was deleted): retrying will not bring it back, so
   * stop watching it and ask discovery again, which says "not installed" if so.
   */
  #unwatch(entry: Watched): void {
    const i = this.#watched.indexOf(entry);
    if (i >= 0) this.#watched.splice(i, 1);
    entry.reflector.stop();
    this.#model.event(entry.resource, { type: 'replace', items: [] }, entry.namespace);
    // Not at once: a server that lists the kind in discovery but answers 404 must not make a busy loop.
    this.#scheduleDiscovery(1_000);
  }

  /** A forbidden cluster-wide list: watch the user's namespaces instead (namespaces have no such fallback). */
  #fallBack(resource: WatchedResource): void {
    // Namespaces and the admin kinds are cluster-scoped: there is nothing narrower to list.
    if (resource !== 'pods' && resource !== 'networkpolicies') return;
    for (const ns of this.#options.fallbackNamespaces ?? [])
      this.#watch(resource, ns, CORE_PATHS[resource](ns), this.#coreList(resource, ns));
  }

  async #discover(): Promise<void> {
    this.#discoveryTimer = undefined;
    if (this.#stopped) return;
    try {
      const apis = await discoverAdminApis(this.#options.kubeConfig);
      const cilium = await discoverCiliumApis(this.#options.kubeConfig);
      const calico = await discoverCalicoApis(this.#options.kubeConfig);
      const cni = await discoverCni(this.#options.kubeConfig);
      if (this.#stopped) return;
      this.#discovery = { phase: 'done', apis, cilium, calico, ...(cni ? { cni } : {}) };
      for (const resource of ADMIN_RESOURCES) {
        const version = apis.versions[resource];
        if (version === undefined || this.#watched.some((w) => w.resource === resource)) continue;
        this.#watch(resource, undefined, adminPath(resource, version), this.#adminList(resource, version));
      }
      for (const resource of cilium) {
        if (this.#watched.some((w) => w.resource === resource)) continue;
        this.#watch(resource, undefined, ciliumPath(resource), this.#ciliumList(resource));
      }
      for (const resource of calico) {
        if (this.#watched.some((w) => w.resource === resource)) continue;
        this.#watch(resource, undefined, calicoPath(resource), this.#calicoList(resource));
      }
      const missing =
        ADMIN_RESOURCES.some((r) => apis.versions[r] === undefined) ||
        CILIUM_RESOURCES.some((r) => !cilium.includes(r)) ||
        CALICO_RESOURCES.some((r) => !calico.includes(r));
      if (missing) this.#scheduleDiscovery(this.#options.rediscoverMs ?? 60_000);
    } catch (error) {
      if (this.#stopped) return;
      const status = httpStatus(error);
      const reason = describeRequestError(error, this.#options.kubeConfig);
      const previous = this.#discovery;
      // 403 only: a 401 (credentials rejected) is retried below, after the reflectors renewed them.
      if (status === 403) {
        this.#discovery = { phase: 'forbidden', reason };
      } else if (previous.phase === 'done') {
        // The kinds found before are still watched; look again at the next round.
        this.#scheduleDiscovery(this.#options.rediscoverMs ?? 60_000);
      } else {
        const attempt = previous.phase === 'failing' ? previous.attempt + 1 : 1;
        const since = previous.phase === 'failing' ? previous.since : Date.now();
        this.#discovery = { phase: 'failing', since, reason, attempt };
        this.#scheduleDiscovery(Math.min(30_000, 250 * 2 ** Math.min(attempt - 1, 10)));
      }
    }
    this.#updateStatus();
    this.#schedule();
  }

  #healthTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #healthAbort = new AbortController();
  /** Since when, and why, the API server fails its health check; undefined while it passes. */
  #unready: { readonly since: number; readonly reason: string } | undefined;

  #scheduleHealth(): void {
    if (this.#stopped) return;
    this.#healthTimer = setTimeout(() => void this.#checkHealth(), this.#options.healthMs ?? 10_000);
  }

  async #checkHealth(): Promise<void> {
    const result = await probeReadiness(this.#options.kubeConfig, this.#healthAbort.signal);
    if (this.#stopped) return;
    if (result.ready === false)
      this.#unready = { since: this.#unready?.since ?? Date.now(), reason: result.reason };
    else if (result.ready === true) this.#unready = undefined;
    this.#updateStatus();
    this.#scheduleHealth();
  }

  #scheduleDiscovery(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#discoveryTimer !== undefined) clearTimeout(this.#discoveryTimer);
    this.#discoveryTimer = setTimeout(() => void this.#discover(), delayMs);
  }

  /** Discovery as a part of the status, next to the reflectors. */
  #discoveryPart(): Part {
    const base = {
      resource: 'clusternetworkpolicies' as const,
      path: `/apis (${ADMIN_POLICY_GROUP}, ${CILIUM_GROUP}, ${CALICO_GROUP})`,
    };
    const d = this.#discovery;
    switch (d.phase) {
      case 'pending':
        return { ...base, state: { phase: 'connecting' }, synced: false };
      case 'failing':
        return {
          ...base,
          state: { phase: 'reconnecting', since: d.since, reason: d.reason, attempt: d.attempt },
          synced: false,
        };
      case 'forbidden':
        return { ...base, state: { phase: 'forbidden', reason: d.reason }, synced: false };
      case 'done':
        return { ...base, state: { phase: 'live' }, synced: true };
    }
  }

  #parts(): Part[] {
    return [...this.#watched, this.#discoveryPart()];
  }

  /** Forbidden lists by the resources a ForbiddenList names; the CNI kinds' go to the load issues instead. */
  #forbidden(): ForbiddenList[] {
    return this.#parts().flatMap((w) =>
      w.state.phase === 'forbidden' && !isCni(w.resource)
        ? [
            {
              resource: w.resource,
              ...(w.namespace !== undefined ? { namespace: w.namespace } : {}),
              reason: w.state.reason,
            },
          ]
        : [],
    );
  }

  #updateStatus(): void {
    if (this.#stopped) return;
    const parts = this.#parts();
    const active = parts.filter((w) => w.state.phase !== 'forbidden' && w.state.phase !== 'stopped');
    const forbidden = this.#forbidden();
    const reconnecting = active.filter(
      (w): w is Part & { state: Extract<ReflectorState, { phase: 'reconnecting' }> } =>
        w.state.phase === 'reconnecting',
    );
    if (reconnecting.length > 0) {
      const since = Math.min(...reconnecting.map((w) => w.state.since));
      const first = reconnecting[0];
      // Before anything was ever read, a failure is an error to show, not an outage to ride out.
      if (!parts.some((w) => w.synced) && first !== undefined && first.state.attempt >= 3) {
        this.#emitStatus({
          state: 'error',
          reason: first.state.reason,
          detail: `${first.path}: ${first.state.reason}`,
        });
        return;
      }
      this.#emitStatus({
        state: 'reconnecting',
        since,
        reason: reconnecting[0]?.state.reason ?? '',
        forbidden,
      });
      return;
    }
    if (active.length > 0 && active.every((w) => w.state.phase === 'live' || w.synced)) {
      const unready = this.#unready;
      if (unready !== undefined) {
        this.#emitStatus({ state: 'stale', since: unready.since, reason: unready.reason, forbidden });
        return;
      }
      this.#emitStatus({ state: 'live', forbidden });
      return;
    }
    if (active.length === 0 && forbidden.length > 0) {
      this.#emitStatus({
        state: 'error',
        reason: 'every list was forbidden',
        detail: forbidden
          .map((f) => `${f.resource}${f.namespace ? ` in ${f.namespace}` : ''}: ${f.reason}`)
          .join('\n'),
      });
    }
  }

  #emitStatus(status: LiveStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.#lastStatus)) return;
    this.#lastStatus = status;
    this.#options.onStatus(status);
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#emitSnapshot();
    }, this.#options.coalesceMs ?? 30);
  }

  /** What could not be read, from the forbidden lists and the fallbacks that did work. */
  #visibility(): Visibility | undefined {
    const unreadable = (resource: 'pods' | 'networkpolicies'): 'all' | string[] | undefined => {
      const clusterWide = this.#watched.find((w) => w.resource === resource && w.namespace === undefined);
      if (clusterWide?.state.phase !== 'forbidden') return undefined;
      const readable = new Set(
        this.#watched
          .filter(
            (w) => w.resource === resource && w.namespace !== undefined && w.state.phase !== 'forbidden',
          )
          .map((w) => w.namespace),
      );
      if (readable.size === 0) return 'all';
      // Everything outside the readable namespaces is unknown; name the ones we know of.
      const known = new Set<string>();
      for (const w of this.#watched)
        for (const item of w.reflector.items)
          if (item.metadata?.namespace) known.add(item.metadata.namespace);
      for (const w of this.#watched)
        if (w.resource === 'namespaces')
          for (const item of w.reflector.items) if (item.metadata?.name) known.add(item.metadata.name);
      return [...known].filter((ns) => !readable.has(ns)).sort();
    };
    const policies = unreadable('networkpolicies');
    const pods = unreadable('pods');
    const namespaces = this.#watched.some(
      (w) => w.resource === 'namespaces' && w.state.phase === 'forbidden',
    );
    // Any admin kind unread (forbidden list or discovery, or a version netglass cannot read) may hide
    // a rule that decides any connection.
    const d = this.#discovery;
    const clusterPolicies =
      d.phase === 'forbidden' ||
      (d.phase === 'done' && Object.keys(d.apis.unreadable).length > 0) ||
      this.#watched.some((w) => (isAdmin(w.resource) || isCni(w.resource)) && w.state.phase === 'forbidden');
    if (policies === undefined && pods === undefined && !namespaces && !clusterPolicies) return undefined;
    return {
      policiesUnreadable: policies ?? [],
      podsUnreadable: pods ?? [],
      namespacesUnreadable: namespaces,
      ...(clusterPolicies ? { clusterPoliciesUnreadable: true } : {}),
    };
  }

  #emitSnapshot(): void {
    if (this.#stopped) return;
    // Wait for every list that can succeed, and for discovery, so the first snapshot is never a
    // half-read cluster.
    if (this.#parts().some((w) => !w.synced && w.state.phase !== 'forbidden')) return;
    const d = this.#discovery;
    const cniForbidden = this.#watched.flatMap((w) =>
      isCni(w.resource) && w.state.phase === 'forbidden' ? [w.resource] : [],
    );
    const flushed = this.#model.flush(
      d.phase === 'done' ? d.apis : 'unknown',
      this.#visibility(),
      cniForbidden,
      d.phase === 'done' ? d.cni : undefined,
    );
    if (flushed !== undefined) this.#options.onSnapshot(flushed.snapshot, flushed.change);
  }
}
