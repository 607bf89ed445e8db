/**
 * Changes to a Snapshot, and the one function that applies them. Every consumer of changes — the live
 * source on the Node side, the API client's replay, the renderer's source store, the what-if drafts —
 * applies them here; the evaluator takes the same deltas in `Analyzer.update`.
 */
import {
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
  | { readonly kind: 'upsertCalicoPolicy'; readonly policy: CalicoPolicy }
  /** `key` is the `calicoPolicyKey`. */
  | { readonly kind: 'removeCalicoPolicy'; readonly key: string }
  | { readonly kind: 'upsertCalicoNetworkSet'; readonly set: CalicoNetworkSet }
  /** `key` is the `calicoNetworkSetKey`. */
  | { readonly kind: 'removeCalicoNetworkSet'; readonly key: string }
  | { readonly kind: 'upsertCalicoTier'; readonly tier: CalicoTier }
  | { readonly kind: 'removeCalicoTier'; readonly name: string }
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

/**
 * An optional list of the snapshot patched like the others, as `{ [field]: list }`, or `{}` when it
 * is (or becomes) empty, so the field stays absent as the manifest reader leaves it.
 */
function optional<F extends string, T>(
  field: F,
  before: readonly T[] | undefined,
  keyOf: (item: T) => string,
  changes: ReadonlyMap<string, T | undefined>,
): { [K in F]?: readonly T[] } {
  const after = changes.size === 0 ? before : patch(before ?? [], keyOf, changes);
  return (after !== undefined && after.length > 0 ? { [field]: after } : {}) as { [K in F]?: readonly T[] };
}

/** The snapshot after `change`. Later deltas of one key win; the result shares every untouched object. */
export function applySnapshotChange(snapshot: Snapshot, change: SnapshotChange): Snapshot {
  const namespaces = new Map<string, Namespace | undefined>();
  const pods = new Map<string, Pod | undefined>();
  const policies = new Map<string, NetworkPolicy | undefined>();
  const clusterPolicies = new Map<string, ClusterNetworkPolicy | undefined>();
  const ciliumPolicies = new Map<string, CiliumPolicy | undefined>();
  const calicoPolicies = new Map<string, CalicoPolicy | undefined>();
  const calicoNetworkSets = new Map<string, CalicoNetworkSet | undefined>();
  const calicoTiers = new Map<string, CalicoTier | undefined>();
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
      case 'upsertCalicoPolicy':
        put(calicoPolicies, calicoPolicyKey(d.policy), d.policy);
        break;
      case 'removeCalicoPolicy':
        put(calicoPolicies, d.key, undefined);
        break;
      case 'upsertCalicoNetworkSet':
        put(calicoNetworkSets, calicoNetworkSetKey(d.set), d.set);
        break;
      case 'removeCalicoNetworkSet':
        put(calicoNetworkSets, d.key, undefined);
        break;
      case 'upsertCalicoTier':
        put(calicoTiers, d.tier.name, d.tier);
        break;
      case 'removeCalicoTier':
        put(calicoTiers, d.name, undefined);
        break;
    }
  }
  // The CNI lists are optional and absent when empty (as the manifest reader builds them): keep them so.
  const {
    ciliumPolicies: ciliumBefore,
    calicoPolicies: calicoBefore,
    calicoNetworkSets: setsBefore,
    calicoTiers: tiersBefore,
    ...rest
  } = snapshot;
  return {
    ...rest,
    namespaces: patch(snapshot.namespaces, (n) => n.name, namespaces),
    pods: patch(snapshot.pods, podKey, pods),
    policies: patch(snapshot.policies, podKey, policies),
    clusterPolicies: patch(snapshot.clusterPolicies, clusterPolicyKey, clusterPolicies),
    ...optional('ciliumPolicies', ciliumBefore, ciliumPolicyKey, ciliumPolicies),
    ...optional('calicoPolicies', calicoBefore, calicoPolicyKey, calicoPolicies),
    ...optional('calicoNetworkSets', setsBefore, calicoNetworkSetKey, calicoNetworkSets),
    ...optional('calicoTiers', tiersBefore, (t) => t.name, calicoTiers),
    ...(change.issues !== undefined ? { issues: change.issues } : {}),
  };
}

export function applySnapshotDeltas(snapshot: Snapshot, deltas: readonly SnapshotDelta[]): Snapshot {
  return applySnapshotChange(snapshot, { deltas });
}
