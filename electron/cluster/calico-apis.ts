/**
 * Which Calico policy kinds a cluster serves as CRDs. Calico stores its objects in the
 * crd.projectcalico.org/v1 group (its own API server serves them as projectcalico.org/v3, but only where
 * it is installed); the storage form is what every Calico cluster has, and the manifest reader reads it.
 * A cluster without these CRDs has no Calico policies, which is not an error. Tiers and staged policies
 * are watched when served (older Calico has neither).
 */
import { ApisApi, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';

export const CALICO_GROUP = 'crd.projectcalico.org';
export const CALICO_VERSION = 'v1';
export const CALICO_API_VERSION = `${CALICO_GROUP}/${CALICO_VERSION}`;

/** Live resource ids (prefixed: `networkpolicies` is also Kubernetes' own resource). */
export type CalicoResource =
  | 'calico-networkpolicies'
  | 'calico-globalnetworkpolicies'
  | 'calico-networksets'
  | 'calico-globalnetworksets'
  | 'calico-tiers';

interface CalicoResourceInfo {
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export const CALICO_INFO: Readonly<Record<CalicoResource, CalicoResourceInfo>> = {
  'calico-networkpolicies': { plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  'calico-globalnetworkpolicies': {
    plural: 'globalnetworkpolicies',
    kind: 'GlobalNetworkPolicy',
    namespaced: false,
  },
  'calico-networksets': { plural: 'networksets', kind: 'NetworkSet', namespaced: true },
  'calico-globalnetworksets': { plural: 'globalnetworksets', kind: 'GlobalNetworkSet', namespaced: false },
  'calico-tiers': { plural: 'tiers', kind: 'Tier', namespaced: false },
};

export const CALICO_RESOURCES = Object.keys(CALICO_INFO) as readonly CalicoResource[];

export function isCalicoResource(resource: string): resource is CalicoResource {
  return resource in CALICO_INFO;
}

/** The Calico kinds served at crd.projectcalico.org/v1; absent ones are not installed. */
export type CalicoApis = readonly CalicoResource[];

/** Where a kind is listed and watched (namespaced kinds across every namespace). */
export function calicoPath(resource: CalicoResource): string {
  return `/apis/${CALICO_GROUP}/${CALICO_VERSION}/${CALICO_INFO[resource].plural}`;
}

/** Asks the API server. Throws client-node's errors (HTTP status in them) for the caller to classify. */
export async function discoverCalicoApis(kubeConfig: KubeConfig): Promise<CalicoApis> {
  const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
  const group = groups.groups.find((g) => g.name === CALICO_GROUP);
  if (group === undefined || !group.versions.some((v) => v.version === CALICO_VERSION)) return [];
  const list = await kubeConfig
    .makeApiClient(CustomObjectsApi)
    .getAPIResources({ group: CALICO_GROUP, version: CALICO_VERSION });
  return CALICO_RESOURCES.filter((r) =>
    list.resources.some((served) => served.name === CALICO_INFO[r].plural),
  );
}
