/**
 * Changes to a Snapshot, and the one function that applies them. Every consumer of changes — the live
 * source on the Node side, the API client's replay, the renderer's source store, the what-if drafts —
 * applies them here; the evaluator takes the same deltas in `Analyzer.update`.
 */
import {
  ciliumPolicyKey,
  clusterPolicyKey,
  podKey,
  type CiliumPolicy,
  type ClusterNetworkPolicy,
  type LoadIssue,
  type Namespace,
  type NetworkPolicy,
  type Pod,
  type Snapshot,
} from './snapshot.ts';

export type SnapshotDelta =
  | { readonly kind: 'upsertPolicy'; readonly policy: NetworkPolicy }
  | { readonly kind: 'removePolicy'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'upsertPod'; readonly pod: Pod }
  | { readonly kind: 'removePod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'upsertClusterPolicy'; readonly policy: ClusterNetworkPolicy }
  /** `key` is the `clusterPolicyKey`. */
  | { readonly kind: 'removeClusterPolicy'; readonly key: string }
  | { readonly kind: 'upsertCiliumPolicy'; readonly policy: CiliumPolicy }
  /** `key` is the `ciliumPolicyKey`. */
  | { readonly kind: 'removeCiliumPolicy'; readonly key: string }
  | { readonly kind: 'upsertNamespace'; readonly namespace: Namespace }
  | { readonly kind: 'removeNamespace'; readonly name: string };

/**
 * One step from a snapshot to the next with the same source and visibility: object deltas in order,
 * and the whole list of load issues when it changed (issues are few, and some depend on several
 * objects, so they travel whole).
 */
export interface SnapshotChange {
  readonly deltas: readonly SnapshotDelta[];
  readonly issues?: readonly LoadIssue[];
}

/**
 * Upserts and removals by key over one array, keeping the order of what stays (an upsert of a new key
 * goes at the end). O(array + changes); an array no delta touches is returned as it is.
 */
function patch<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  changes: ReadonlyMap<string, T | undefined>,
): readonly T[] {
  if (changes.size === 0) return items;
  const out: T[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = keyOf(item);
    if (!changes.has(key)) {
      out.push(item);
      continue;
    }
    seen.add(key);
    const next = changes.get(key);
    if (next !== undefined) out.push(next);
  }
  for (const [key, next] of changes) if (!seen.has(key) && next !== undefined) out.push(next);
  return out;
}

/** The snapshot after `change`. Later deltas of one key win; the result shares every untouched object. */
export function applySnapshotChange(snapshot: Snapshot, change: SnapshotChange): Snapshot {
  const namespaces = new Map<string, Namespace | undefined>();
  const pods = new Map<string, Pod | undefined>();
  const policies = new Map<string, NetworkPolicy | undefined>();
  const clusterPolicies = new Map<string, ClusterNetworkPolicy | undefined>();
  const ciliumPolicies = new Map<string, CiliumPolicy | undefined>();
  // Map.set on an existing key keeps its first position; delete first so "last delta wins" also orders.
  const put = <T>(m: Map<string, T | undefined>, key: string, value: T | undefined): void => {
    m.delete(key);
    m.set(key, value);
  };
  for (const d of change.deltas) {
    switch (d.kind) {
      case 'upsertNamespace':
        put(namespaces, d.namespace.name, d.namespace);
        break;
      case 'removeNamespace':
        put(namespaces, d.name, undefined);
        break;
      case 'upsertPod':
        put(pods, podKey(d.pod), d.pod);
        break;
      case 'removePod':
        put(pods, podKey(d), undefined);
        break;
      case 'upsertPolicy':
        put(policies, podKey(d.policy), d.policy);
        break;
      case 'removePolicy':
        put(policies, podKey(d), undefined);
        break;
      case 'upsertClusterPolicy':
        put(clusterPolicies, clusterPolicyKey(d.policy), d.policy);
        break;
      case 'removeClusterPolicy':
        put(clusterPolicies, d.key, undefined);
        break;
      case 'upsertCiliumPolicy':
        put(ciliumPolicies, ciliumPolicyKey(d.policy), d.policy);
        break;
      case 'removeCiliumPolicy':
        put(ciliumPolicies, d.key, undefined);
        break;
    }
  }
  // `ciliumPolicies` is optional and absent when empty (as the manifest reader builds it): keep it so.
  const { ciliumPolicies: ciliumBefore, ...rest } = snapshot;
  const cilium =
    ciliumPolicies.size === 0 ? ciliumBefore : patch(ciliumBefore ?? [], ciliumPolicyKey, ciliumPolicies);
  return {
    ...rest,
    namespaces: patch(snapshot.namespaces, (n) => n.name, namespaces),
    pods: patch(snapshot.pods, podKey, pods),
    policies: patch(snapshot.policies, podKey, policies),
    clusterPolicies: patch(snapshot.clusterPolicies, clusterPolicyKey, clusterPolicies),
    ...(cilium !== undefined && cilium.length > 0 ? { ciliumPolicies: cilium } : {}),
    ...(change.issues !== undefined ? { issues: change.issues } : {}),
  };
}

export function applySnapshotDeltas(snapshot: Snapshot, deltas: readonly SnapshotDelta[]): Snapshot {
  return applySnapshotChange(snapshot, { deltas });
}
