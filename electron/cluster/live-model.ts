/**
 * The live cluster's model, kept up to date event by event: each API object is read once, when it
 * changes, by the manifest reader (`parseManifestValue`, so a cluster and its `kubectl get -o json` dump
 * read alike), and each flush yields the changes since the last one as a `SnapshotChange`. A flush costs
 * what changed (plus the issue list, which is rebuilt from the few objects that have issues); only
 * the first flush, or a change of what can be read (visibility, the admin APIs served), is a whole
 * snapshot.
 *
 * What the manifest builder does across objects is kept here incrementally too: namespaces that
 * pods or policies use but that cannot be read are assumed (label `kubernetes.io/metadata.name` only),
 * ReplicaSet owners are lifted to their Deployment, and mixed admin API versions are reported.
 */
import { mixedAdminApiIssues } from '../../shared/manifest/admin-policy.ts';
import { parseManifestValue, type ManifestParse } from '../../shared/manifest/index.ts';
import { liftReplicaSetOwner } from '../../shared/manifest/parse.ts';
import { applySnapshotChange, type SnapshotChange, type SnapshotDelta } from '../../shared/model/delta.ts';
import {
  NAMESPACE_NAME_LABEL,
  calicoNetworkSetKey,
  calicoPolicyKey,
  ciliumPolicyKey,
  clusterPolicyKey,
  podKey,
  type CalicoNetworkSet,
  type CalicoPolicy,
  type CalicoTier,
  type CiliumPolicy,
  type ClusterNetworkPolicy,
  type CniProfile,
  type LoadIssue,
  type Namespace,
  type NetworkPolicy,
  type Pod,
  type Snapshot,
  type Visibility,
} from '../../shared/model/snapshot.ts';
import {
  ADMIN_KINDS,
  ADMIN_RESOURCES,
  adminApiVersion,
  type AdminApis,
  type AdminResource,
} from './admin-apis.ts';
import {
  CALICO_API_VERSION,
  CALICO_INFO,
  CALICO_RESOURCES,
  isCalicoResource,
  type CalicoResource,
} from './calico-apis.ts';
import { CILIUM_API_VERSION, CILIUM_KINDS, CILIUM_RESOURCES, type CiliumResource } from './cilium-apis.ts';
import type { KubeObject, ReflectorEvent } from './reflector.ts';

export type LiveResource =
  'namespaces' | 'pods' | 'networkpolicies' | AdminResource | CiliumResource | CalicoResource;

export const LIVE_RESOURCES: readonly LiveResource[] = [
  'namespaces',
  'pods',
  'networkpolicies',
  ...ADMIN_RESOURCES,
  ...CILIUM_RESOURCES,
  ...CALICO_RESOURCES,
];

const isCilium = (resource: LiveResource): resource is CiliumResource =>
  (CILIUM_RESOURCES as readonly string[]).includes(resource);

const CORE_KINDS = {
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  pods: { apiVersion: 'v1', kind: 'Pod' },
  networkpolicies: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
} as const;

export interface LiveOrigin {
  readonly context: string;
  readonly server: string;
}

/** What one API object reads as: at most one model object, and its issues. */
interface Entry {
  readonly raw: KubeObject;
  readonly namespace?: Namespace;
  readonly pod?: Pod;
  readonly policy?: NetworkPolicy;
  readonly clusterPolicy?: ClusterNetworkPolicy;
  readonly ciliumPolicy?: CiliumPolicy;
  readonly calicoPolicy?: CalicoPolicy;
  readonly calicoNetworkSet?: CalicoNetworkSet;
  readonly calicoTier?: CalicoTier;
  readonly issues: readonly LoadIssue[];
}

/** The result of a flush: the new snapshot, and the change from the previous one (none: whole). */
export interface LiveFlush {
  readonly snapshot: Snapshot;
  readonly change?: SnapshotChange;
}

const objectKey = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

const assumedNamespace = (name: string): Namespace => ({
  name,
  labels: { [NAMESPACE_NAME_LABEL]: name },
  declared: false,
});

/**
 * Why the user sees no admin policies, or not all: most clusters do not have the APIs, and "no admin
 * policies" must read as a fact about the cluster, not as something netglass missed.
 */
export function adminApiIssues(apis: AdminApis | 'unknown'): LoadIssue[] {
  // Unknown (discovery forbidden) shows as unreadable admin policies through Visibility instead.
  if (apis === 'unknown') return [];
  const issues: LoadIssue[] = [];
  for (const resource of ADMIN_RESOURCES) {
    const served = apis.unreadable[resource];
    if (served === undefined) continue;
    issues.push({
      severity: 'warning',
      message:
        `${ADMIN_KINDS[resource]} is served only as ${served.map(adminApiVersion).join(', ')}, ` +
        'which netglass cannot read: verdicts that admin-tier policies could decide are unknown',
    });
  }
  if (
    apis.versions.clusternetworkpolicies === undefined &&
    apis.unreadable.clusternetworkpolicies === undefined
  ) {
    const legacy = (['adminnetworkpolicies', 'baselineadminnetworkpolicies'] as const).filter(
      (r) => apis.versions[r] !== undefined,
    );
    issues.push({
      severity: 'info',
      message:
        legacy.length === 0
          ? 'ClusterNetworkPolicy API not installed on this cluster: no admin-tier policies'
          : `ClusterNetworkPolicy API not installed on this cluster: admin-tier policies come only from the legacy ${legacy
              .map((r) => ADMIN_KINDS[r])
              .join(' and ')} (${adminApiVersion('v1alpha1')})`,
    });
  }
  return issues;
}

export class LiveModel {
  readonly #origin: LiveOrigin;
  readonly #label: string;
  readonly #entries = new Map<LiveResource, Map<string, Entry>>(
    LIVE_RESOURCES.map((r) => [r, new Map<string, Entry>()]),
  );
  /** Objects changed since the last flush: the new raw object, or null when deleted. */
  readonly #pending = new Map<LiveResource, Map<string, KubeObject | null>>(
    LIVE_RESOURCES.map((r) => [r, new Map<string, KubeObject | null>()]),
  );
  /** Entries with issues, so the issue list is rebuilt from them alone. */
  readonly #withIssues = new Map<LiveResource, Set<string>>(
    LIVE_RESOURCES.map((r) => [r, new Set<string>()]),
  );
  /** Pods and policies per namespace, for the namespaces assumed because they cannot be read. */
  readonly #users = new Map<string, number>();
  #snapshot: Snapshot | undefined;
  #settings = '';
  #adminApis: AdminApis | 'unknown' = 'unknown';
  #ciliumForbidden: readonly (CiliumResource | CalicoResource)[] = [];
  /** The CNI discovery showed (absent: none, or more than one). */
  #cni: CniProfile | undefined;

  constructor(origin: LiveOrigin) {
    this.#origin = origin;
    this.#label = `context ${origin.context}`;
  }

  /** A reflector's event. `scope`: the namespace a namespaced reflector lists, when it is not cluster-wide. */
  event(resource: LiveResource, event: ReflectorEvent<KubeObject>, scope?: string): void {
    const pending = this.#pending.get(resource);
    const entries = this.#entries.get(resource);
    if (pending === undefined || entries === undefined) return;
    switch (event.type) {
      case 'upsert':
        pending.set(objectKey(event.item), event.item);
        return;
      case 'delete':
        pending.set(objectKey(event.item), null);
        return;
      case 'replace': {
        const keep = new Set<string>();
        for (const item of event.items) {
          const key = objectKey(item);
          keep.add(key);
          const known = entries.get(key);
          // A relist returns objects unchanged since the watch saw them: same resourceVersion, no work.
          const rv = item.metadata?.resourceVersion;
          if (known !== undefined && rv !== undefined && known.raw.metadata?.resourceVersion === rv) {
            pending.delete(key);
            continue;
          }
          pending.set(key, item);
        }
        const inScope = (key: string): boolean => scope === undefined || key.startsWith(`${scope}/`);
        for (const key of entries.keys()) if (!keep.has(key) && inScope(key)) pending.set(key, null);
        for (const [key, item] of pending)
          if (item !== null && !keep.has(key) && inScope(key)) pending.set(key, null);
        return;
      }
    }
  }

  /** Whether events arrived since the last flush. */
  get dirty(): boolean {
    for (const p of this.#pending.values()) if (p.size > 0) return true;
    return false;
  }

  /**
   * Reads what changed and returns the new snapshot with the change from the previous one; undefined
   * when nothing changed. `adminApis`, `visibility` and the Cilium kinds whose list is forbidden are
   * what the source knows now.
   */
  flush(
    adminApis: AdminApis | 'unknown',
    visibility: Visibility | undefined,
    ciliumForbidden: readonly (CiliumResource | CalicoResource)[] = [],
    cni?: CniProfile,
  ): LiveFlush | undefined {
    const settings = JSON.stringify([adminApis, visibility ?? null, ciliumForbidden, cni ?? null]);
    const whole = this.#snapshot === undefined || settings !== this.#settings;
    if (!whole && !this.dirty) return undefined;
    if (settings !== this.#settings && this.#adminApis !== adminApis) {
      // The admin kinds are read at the served version: read every admin object again.
      for (const resource of ADMIN_RESOURCES) {
        const pending = this.#pending.get(resource);
        for (const [key, entry] of this.#entries.get(resource) ?? [])
          if (pending !== undefined && !pending.has(key)) pending.set(key, entry.raw);
      }
    }
    this.#adminApis = adminApis;
    this.#ciliumForbidden = ciliumForbidden;
    this.#cni = cni;
    this.#settings = settings;
    const deltas = this.#read();
    const issues = this.#issues();
    const previous = this.#snapshot;
    if (whole || previous === undefined) {
      this.#snapshot = this.#build(issues, visibility);
      return { snapshot: this.#snapshot };
    }
    const issuesChanged = JSON.stringify(issues) !== JSON.stringify(previous.issues);
    if (deltas.length === 0 && !issuesChanged) return undefined;
    const change: SnapshotChange = issuesChanged ? { deltas, issues } : { deltas };
    // Patched by the function every receiver of the change uses, so all hold the same snapshot.
    this.#snapshot = applySnapshotChange(previous, change);
    return { snapshot: this.#snapshot, change };
  }

  /** Applies the pending objects to the entries and returns the deltas, namespaces first. */
  #read(): SnapshotDelta[] {
    const nsUpserts: SnapshotDelta[] = [];
    const nsRemovals: SnapshotDelta[] = [];
    const others: SnapshotDelta[] = [];
    const touchedNamespaces = new Set<string>();
    for (const resource of LIVE_RESOURCES) {
      const pending = this.#pending.get(resource);
      const entries = this.#entries.get(resource);
      const withIssues = this.#withIssues.get(resource);
      if (pending === undefined || entries === undefined || withIssues === undefined) continue;
      for (const [key, raw] of pending) {
        const before = entries.get(key);
        const after = raw === null ? undefined : this.#entry(resource, raw);
        if (after === undefined) entries.delete(key);
        else entries.set(key, after);
        if (after !== undefined && after.issues.length > 0) withIssues.add(key);
        else withIssues.delete(key);
        this.#diff(before, after, nsUpserts, others, touchedNamespaces);
      }
      pending.clear();
    }
    // Namespaces: a declared one removed may live on as assumed while pods use it; an assumed one
    // goes when its last user does.
    const declared = this.#entries.get('namespaces');
    for (const ns of touchedNamespaces) {
      const isDeclared = declared?.get(`/${ns}`)?.namespace !== undefined;
      if (isDeclared) continue;
      const used = (this.#users.get(ns) ?? 0) > 0;
      const wasThere = this.#snapshot?.namespaces.some((n) => n.name === ns) ?? false;
      if (used) nsUpserts.push({ kind: 'upsertNamespace', namespace: assumedNamespace(ns) });
      else if (wasThere) nsRemovals.push({ kind: 'removeNamespace', name: ns });
    }
    return [...nsUpserts, ...others, ...nsRemovals];
  }

  #entry(resource: LiveResource, raw: KubeObject): Entry {
    const kind = this.#kindOf(resource);
    if (kind === undefined) return { raw, issues: [] };
    const parse: ManifestParse = parseManifestValue({ ...raw, ...kind }, this.#label);
    const namespace = parse.namespaces[0];
    const parsedPod = parse.pods[0];
    const policy = parse.policies[0];
    const clusterPolicy = parse.clusterPolicies[0];
    const ciliumPolicy = parse.ciliumPolicies[0];
    const calicoPolicy = parse.calicoPolicies?.[0];
    const calicoNetworkSet = parse.calicoNetworkSets?.[0];
    const calicoTier = parse.calicoTiers?.[0];
    let pod = parsedPod;
    if (parsedPod?.owner !== undefined) {
      const lifted = liftReplicaSetOwner(parsedPod.owner, parsedPod.labels);
      if (lifted !== parsedPod.owner) pod = { ...parsedPod, owner: lifted };
    }
    return {
      raw,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(pod !== undefined ? { pod } : {}),
      ...(policy !== undefined ? { policy } : {}),
      ...(clusterPolicy !== undefined ? { clusterPolicy } : {}),
      ...(ciliumPolicy !== undefined ? { ciliumPolicy } : {}),
      ...(calicoPolicy !== undefined ? { calicoPolicy } : {}),
      ...(calicoNetworkSet !== undefined ? { calicoNetworkSet } : {}),
      ...(calicoTier !== undefined ? { calicoTier } : {}),
      issues: parse.issues,
    };
  }

  /**
   * List items come without kind/apiVersion; the admin kinds at the version discovery chose, Cilium's
   * at the one version they are watched at.
   */
  #kindOf(resource: LiveResource): { apiVersion: string; kind: string } | undefined {
    if (resource === 'namespaces' || resource === 'pods' || resource === 'networkpolicies')
      return CORE_KINDS[resource];
    if (isCilium(resource)) return { apiVersion: CILIUM_API_VERSION, kind: CILIUM_KINDS[resource] };
    if (isCalicoResource(resource))
      return { apiVersion: CALICO_API_VERSION, kind: CALICO_INFO[resource].kind };
    if (this.#adminApis === 'unknown') return undefined;
    const version = this.#adminApis.versions[resource];
    return version === undefined
      ? undefined
      : { apiVersion: adminApiVersion(version), kind: ADMIN_KINDS[resource] };
  }

  #diff(
    before: Entry | undefined,
    after: Entry | undefined,
    nsUpserts: SnapshotDelta[],
    others: SnapshotDelta[],
    touchedNamespaces: Set<string>,
  ): void {
    const use = (ns: string, by: number): void => {
      this.#users.set(ns, (this.#users.get(ns) ?? 0) + by);
      touchedNamespaces.add(ns);
    };
    if (before?.namespace !== undefined || after?.namespace !== undefined) {
      const name = after?.namespace?.name ?? before?.namespace?.name ?? '';
      if (after?.namespace !== undefined)
        nsUpserts.push({ kind: 'upsertNamespace', namespace: after.namespace });
      // A removed declared namespace is decided with the assumed ones (pods may still use it).
      touchedNamespaces.add(name);
    }
    if (before?.pod !== undefined) use(before.pod.namespace, -1);
    if (after?.pod !== undefined) use(after.pod.namespace, 1);
    if (after?.pod !== undefined) others.push({ kind: 'upsertPod', pod: after.pod });
    else if (before?.pod !== undefined)
      others.push({ kind: 'removePod', namespace: before.pod.namespace, name: before.pod.name });
    if (before?.policy !== undefined) use(before.policy.namespace, -1);
    if (after?.policy !== undefined) use(after.policy.namespace, 1);
    if (after?.policy !== undefined) others.push({ kind: 'upsertPolicy', policy: after.policy });
    else if (before?.policy !== undefined)
      others.push({ kind: 'removePolicy', namespace: before.policy.namespace, name: before.policy.name });
    if (after?.clusterPolicy !== undefined)
      others.push({ kind: 'upsertClusterPolicy', policy: after.clusterPolicy });
    else if (before?.clusterPolicy !== undefined)
      others.push({ kind: 'removeClusterPolicy', key: clusterPolicyKey(before.clusterPolicy) });
    // A CiliumNetworkPolicy's namespace is assumed when unread, as the manifest reader does.
    if (before?.ciliumPolicy?.namespace !== undefined) use(before.ciliumPolicy.namespace, -1);
    if (after?.ciliumPolicy?.namespace !== undefined) use(after.ciliumPolicy.namespace, 1);
    if (after?.ciliumPolicy !== undefined)
      others.push({ kind: 'upsertCiliumPolicy', policy: after.ciliumPolicy });
    else if (before?.ciliumPolicy !== undefined)
      others.push({ kind: 'removeCiliumPolicy', key: ciliumPolicyKey(before.ciliumPolicy) });
    // Calico objects: a namespaced one's namespace is assumed when unread, as for Cilium's.
    for (const ns of [before?.calicoPolicy?.namespace, before?.calicoNetworkSet?.namespace])
      if (ns !== undefined) use(ns, -1);
    for (const ns of [after?.calicoPolicy?.namespace, after?.calicoNetworkSet?.namespace])
      if (ns !== undefined) use(ns, 1);
    if (after?.calicoPolicy !== undefined)
      others.push({ kind: 'upsertCalicoPolicy', policy: after.calicoPolicy });
    else if (before?.calicoPolicy !== undefined)
      others.push({ kind: 'removeCalicoPolicy', key: calicoPolicyKey(before.calicoPolicy) });
    if (after?.calicoNetworkSet !== undefined)
      others.push({ kind: 'upsertCalicoNetworkSet', set: after.calicoNetworkSet });
    else if (before?.calicoNetworkSet !== undefined)
      others.push({ kind: 'removeCalicoNetworkSet', key: calicoNetworkSetKey(before.calicoNetworkSet) });
    if (after?.calicoTier !== undefined) others.push({ kind: 'upsertCalicoTier', tier: after.calicoTier });
    else if (before?.calicoTier !== undefined)
      others.push({ kind: 'removeCalicoTier', name: before.calicoTier.name });
    // An upsert of a different key (never for API objects, whose key is their name) is not expected.
    if (before?.pod !== undefined && after?.pod !== undefined && podKey(before.pod) !== podKey(after.pod))
      others.push({ kind: 'removePod', namespace: before.pod.namespace, name: before.pod.name });
  }

  /** The issue list a whole read of the cluster gives, in its order. */
  #issues(): LoadIssue[] {
    const issues: LoadIssue[] = [...adminApiIssues(this.#adminApis)];
    // The forbidden-list report has no words for Cilium's kinds: say it here, as information like
    // the other forbidden lists (visibility already makes the verdicts they could decide unknown).
    for (const resource of this.#ciliumForbidden)
      issues.push({
        severity: 'info',
        message: isCalicoResource(resource)
          ? `your user may not list Calico ${CALICO_INFO[resource].kind} (${CALICO_API_VERSION}) cluster-wide: ` +
            'verdicts that Calico policies could decide are unknown'
          : `your user may not list ${CILIUM_KINDS[resource]} (${CILIUM_API_VERSION}) cluster-wide: ` +
            'verdicts that Cilium policies could decide are unknown',
      });
    for (const resource of LIVE_RESOURCES) {
      const entries = this.#entries.get(resource);
      const keys = this.#withIssues.get(resource);
      if (entries === undefined || keys === undefined || keys.size === 0) continue;
      // Object order, as a list read gives them.
      const ordered = [...keys].sort();
      for (const key of ordered) issues.push(...(entries.get(key)?.issues ?? []));
    }
    const clusterPolicies: ClusterNetworkPolicy[] = [];
    for (const resource of ADMIN_RESOURCES)
      for (const e of this.#entries.get(resource)?.values() ?? [])
        if (e.clusterPolicy !== undefined) clusterPolicies.push(e.clusterPolicy);
    issues.push(...mixedAdminApiIssues(clusterPolicies));
    for (const ns of this.#assumed()) {
      issues.push({
        severity: 'info',
        message: `namespace ${ns} cannot be read; it is assumed to exist with only the label ${NAMESPACE_NAME_LABEL}=${ns}`,
        object: `Namespace ${ns}`,
      });
    }
    return issues;
  }

  /** Namespaces used by pods or policies but not read, sorted. */
  #assumed(): string[] {
    const declared = this.#entries.get('namespaces');
    return [...this.#users]
      .filter(([ns, n]) => n > 0 && declared?.get(`/${ns}`)?.namespace === undefined)
      .map(([ns]) => ns)
      .sort();
  }

  #build(issues: readonly LoadIssue[], visibility: Visibility | undefined): Snapshot {
    const all = <T>(resource: LiveResource, pick: (e: Entry) => T | undefined): T[] => {
      const out: T[] = [];
      for (const e of this.#entries.get(resource)?.values() ?? []) {
        const v = pick(e);
        if (v !== undefined) out.push(v);
      }
      return out;
    };
    const namespaces = [...all('namespaces', (e) => e.namespace), ...this.#assumed().map(assumedNamespace)];
    const clusterPolicies = ADMIN_RESOURCES.flatMap((r) => all(r, (e) => e.clusterPolicy));
    const ciliumPolicies = CILIUM_RESOURCES.flatMap((r) => all(r, (e) => e.ciliumPolicy));
    const calicoPolicies = CALICO_RESOURCES.flatMap((r) => all(r, (e) => e.calicoPolicy));
    const calicoNetworkSets = CALICO_RESOURCES.flatMap((r) => all(r, (e) => e.calicoNetworkSet));
    const calicoTiers = all('calico-tiers', (e) => e.calicoTier);
    return {
      source: { kind: 'cluster', context: this.#origin.context, server: this.#origin.server },
      namespaces,
      pods: all('pods', (e) => e.pod),
      policies: all('networkpolicies', (e) => e.policy),
      clusterPolicies,
      // Absent when empty, as the manifest reader builds it.
      ...(ciliumPolicies.length > 0 ? { ciliumPolicies } : {}),
      ...(calicoPolicies.length > 0 ? { calicoPolicies } : {}),
      ...(calicoNetworkSets.length > 0 ? { calicoNetworkSets } : {}),
      ...(calicoTiers.length > 0 ? { calicoTiers } : {}),
      ...(this.#cni ? { cni: this.#cni } : {}),
      issues,
      skippedKinds: {},
      ...(visibility !== undefined ? { visibility } : {}),
    };
  }
}
