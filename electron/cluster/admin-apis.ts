/**
 * Which admin network policy APIs a cluster serves. They are CRDs (sig-network's
 * network-policy-api), so a cluster may have none, the current ClusterNetworkPolicy, the legacy
 * v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy, or both; listing one that is not installed
 * is a 404, so discovery decides what the live source watches and at which version.
 */
import { ApisApi, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';

export const ADMIN_POLICY_GROUP = 'policy.networking.k8s.io';

export type AdminResource =
  'clusternetworkpolicies' | 'adminnetworkpolicies' | 'baselineadminnetworkpolicies';

export const ADMIN_RESOURCES: readonly AdminResource[] = [
  'clusternetworkpolicies',
  'adminnetworkpolicies',
  'baselineadminnetworkpolicies',
];

export const ADMIN_KINDS: Readonly<Record<AdminResource, string>> = {
  clusternetworkpolicies: 'ClusterNetworkPolicy',
  adminnetworkpolicies: 'AdminNetworkPolicy',
  baselineadminnetworkpolicies: 'BaselineAdminNetworkPolicy',
};

/**
 * The versions netglass reads, best first. ClusterNetworkPolicy's v1alpha2 and v1beta1 have the same
 * schema; v1beta1 is the newer name for it. The legacy kinds only ever existed as v1alpha1.
 */
const READABLE_VERSIONS: Readonly<Record<AdminResource, readonly string[]>> = {
  clusternetworkpolicies: ['v1beta1', 'v1alpha2'],
  adminnetworkpolicies: ['v1alpha1'],
  baselineadminnetworkpolicies: ['v1alpha1'],
};

/** What discovery found. */
export interface AdminApis {
  /** The version each installed kind is read at; a kind that is absent has no entry. */
  readonly versions: Readonly<Partial<Record<AdminResource, string>>>;
  /** Kinds the cluster serves only at versions netglass cannot read, with those versions. */
  readonly unreadable: Readonly<Partial<Record<AdminResource, readonly string[]>>>;
}

/** Where a kind is listed and watched (all three are cluster-scoped). */
export function adminPath(resource: AdminResource, version: string): string {
  return `/apis/${ADMIN_POLICY_GROUP}/${version}/${resource}`;
}

export function adminApiVersion(version: string): string {
  return `${ADMIN_POLICY_GROUP}/${version}`;
}

/** Asks the API server. Throws client-node's errors (HTTP status in them) for the caller to classify. */
export async function discoverAdminApis(kubeConfig: KubeConfig): Promise<AdminApis> {
  const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
  const group = groups.groups.find((g) => g.name === ADMIN_POLICY_GROUP);
  if (group === undefined) return { versions: {}, unreadable: {} };
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const servedAt = new Map<AdminResource, string[]>();
  for (const { version } of group.versions) {
    const list = await custom.getAPIResources({ group: ADMIN_POLICY_GROUP, version });
    for (const r of list.resources) {
      const resource = ADMIN_RESOURCES.find((a) => a === r.name);
      if (resource !== undefined) servedAt.set(resource, [...(servedAt.get(resource) ?? []), version]);
    }
  }
  const versions: Partial<Record<AdminResource, string>> = {};
  const unreadable: Partial<Record<AdminResource, readonly string[]>> = {};
  for (const [resource, served] of servedAt) {
    const version = READABLE_VERSIONS[resource].find((v) => served.includes(v));
    if (version !== undefined) versions[resource] = version;
    else unreadable[resource] = served;
  }
  return { versions, unreadable };
}
