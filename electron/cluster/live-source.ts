/**
 * A live cluster as a snapshot source: reflectors on namespaces, pods and networkpolicies, their
 * caches turned into a Snapshot whenever something changes (coalesced, so a burst of events makes one
 * snapshot).
 *
 * Partial permissions: when a cluster-wide list is forbidden, the resource is watched in the
 * namespaces the user names instead (remembered per context by the caller), and what could still not
 * be read is recorded in `Snapshot.visibility`, so the evaluator answers `unknown` instead of
 * guessing.
 */
import { CoreV1Api, NetworkingV1Api, type KubeConfig, type V1NetworkPolicy } from '@kubernetes/client-node';
import type { ForbiddenList } from '../../shared/api/api.ts';
import type { Snapshot, Visibility } from '../../shared/model/snapshot.ts';
import {
  Reflector,
  type KubeObject,
  type ListPage,
  type ReflectorEvent,
  type ReflectorState,
} from './reflector.ts';

export type LiveResource = ForbiddenList['resource'];

/** Raw API objects by resource, as JSON-shaped values. */
export interface LiveObjects {
  readonly namespaces: readonly KubeObject[];
  readonly pods: readonly KubeObject[];
  readonly networkpolicies: readonly KubeObject[];
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
  | { readonly state: 'error'; readonly reason: string; readonly detail: string }
  | { readonly state: 'stopped' };

export interface LiveSourceOptions {
  readonly kubeConfig: KubeConfig;
  /** Namespaces to watch one by one when a cluster-wide list is forbidden. */
  readonly fallbackNamespaces?: readonly string[];
  /** Builds the snapshot from the caches; injected so the normalization is the manifests' one. */
  readonly build: (objects: LiveObjects, visibility: Visibility | undefined) => Snapshot;
  readonly onSnapshot: (snapshot: Snapshot) => void;
  readonly onStatus: (status: LiveStatus) => void;
  /** Milliseconds to wait for more events before building a snapshot. */
  readonly coalesceMs?: number;
}

interface Watched {
  readonly reflector: Reflector<KubeObject>;
  readonly resource: LiveResource;
  readonly namespace?: string;
  state: ReflectorState;
  synced: boolean;
}

const PATHS: Readonly<Record<LiveResource, (namespace?: string) => string>> = {
  namespaces: () => '/api/v1/namespaces',
  pods: (ns) => (ns === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`),
  networkpolicies: (ns) =>
    ns === undefined
      ? '/apis/networking.k8s.io/v1/networkpolicies'
      : `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/networkpolicies`,
};

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

export class LiveSource {
  readonly #options: LiveSourceOptions;
  readonly #core: CoreV1Api;
  readonly #net: NetworkingV1Api;
  readonly #watched: Watched[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #lastStatus: LiveStatus = { state: 'connecting' };

  constructor(options: LiveSourceOptions) {
    this.#options = options;
    this.#core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.#net = options.kubeConfig.makeApiClient(NetworkingV1Api);
  }

  get status(): LiveStatus {
    return this.#lastStatus;
  }

  start(): void {
    this.#emitStatus({ state: 'connecting' });
    for (const resource of ['namespaces', 'pods', 'networkpolicies'] as const)
      this.#watch(resource, undefined);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    for (const w of this.#watched) w.reflector.stop();
    this.#emitStatus({ state: 'stopped' });
  }

  #list(resource: LiveResource, namespace: string | undefined) {
    return async (token: string | undefined, limit: number): Promise<ListPage<KubeObject>> => {
      const page = { limit, ...(token !== undefined ? { _continue: token } : {}) };
      switch (resource) {
        case 'namespaces':
          return this.#core.listNamespace(page);
        case 'pods':
          return namespace === undefined
            ? this.#core.listPodForAllNamespaces(page)
            : this.#core.listNamespacedPod({ namespace, ...page });
        case 'networkpolicies': {
          const list =
            namespace === undefined
              ? await this.#net.listNetworkPolicyForAllNamespaces(page)
              : await this.#net.listNamespacedNetworkPolicy({ namespace, ...page });
          return { ...list, items: list.items.map(wirePolicy) };
        }
      }
    };
  }

  #watch(resource: LiveResource, namespace: string | undefined): void {
    const entry: Watched = {
      resource,
      ...(namespace !== undefined ? { namespace } : {}),
      state: { phase: 'connecting' },
      synced: false,
      reflector: new Reflector<KubeObject>({
        kubeConfig: this.#options.kubeConfig,
        path: PATHS[resource](namespace),
        listPage: this.#list(resource, namespace),
        onEvent: (event: ReflectorEvent<KubeObject>) => {
          if (event.type === 'replace') entry.synced = true;
          this.#schedule();
        },
        onState: (state) => {
          entry.state = state;
          if (state.phase === 'forbidden' && namespace === undefined) this.#fallBack(resource);
          this.#updateStatus();
          this.#schedule();
        },
      }),
    };
    this.#watched.push(entry);
    entry.reflector.start();
  }

  /** A forbidden cluster-wide list: watch the user's namespaces instead (namespaces have no such fallback). */
  #fallBack(resource: LiveResource): void {
    if (resource === 'namespaces') return;
    for (const ns of this.#options.fallbackNamespaces ?? []) this.#watch(resource, ns);
  }

  #forbidden(): ForbiddenList[] {
    return this.#watched.flatMap((w) =>
      w.state.phase === 'forbidden'
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
    const active = this.#watched.filter((w) => w.state.phase !== 'forbidden' && w.state.phase !== 'stopped');
    const forbidden = this.#forbidden();
    const reconnecting = active.filter(
      (w): w is Watched & { state: Extract<ReflectorState, { phase: 'reconnecting' }> } =>
        w.state.phase === 'reconnecting',
    );
    if (reconnecting.length > 0) {
      const since = Math.min(...reconnecting.map((w) => w.state.since));
      const first = reconnecting[0];
      // Before anything was ever read, a failure is an error to show, not an outage to ride out.
      if (!this.#watched.some((w) => w.synced) && first !== undefined && first.state.attempt >= 3) {
        this.#emitStatus({
          state: 'error',
          reason: first.state.reason,
          detail: `${PATHS[first.resource](first.namespace)}: ${first.state.reason}`,
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
    const unreadable = (resource: LiveResource): 'all' | string[] | undefined => {
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
    if (policies === undefined && pods === undefined && !namespaces) return undefined;
    return {
      policiesUnreadable: policies ?? [],
      podsUnreadable: pods ?? [],
      namespacesUnreadable: namespaces,
    };
  }

  #emitSnapshot(): void {
    if (this.#stopped) return;
    // Wait for every list that can succeed, so the first snapshot is never a half-read cluster.
    if (this.#watched.some((w) => !w.synced && w.state.phase !== 'forbidden')) return;
    const collect = (resource: LiveResource): KubeObject[] =>
      this.#watched.filter((w) => w.resource === resource).flatMap((w) => [...w.reflector.items]);
    const snapshot = this.#options.build(
      {
        namespaces: collect('namespaces'),
        pods: collect('pods'),
        networkpolicies: collect('networkpolicies'),
      },
      this.#visibility(),
    );
    this.#options.onSnapshot(snapshot);
  }
}
