/**
 * Which Cilium policy kinds a cluster serves. They are CRDs (cilium.io/v2) that exist only where
 * Cilium is installed, so discovery decides what the live source watches; a cluster without them has
 * no Cilium policies, which is not an error.
 */
import { ApisApi, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { CiliumPolicyKind } from '../../shared/model/snapshot.ts';

export const CILIUM_GROUP = 'cilium.io';
/** The one version netglass reads (the manifest reader accepts only cilium.io/v2). */
export const CILIUM_VERSION = 'v2';
export const CILIUM_API_VERSION = `${CILIUM_GROUP}/${CILIUM_VERSION}`;

export type CiliumResource = 'ciliumnetworkpolicies' | 'ciliumclusterwidenetworkpolicies';

export const CILIUM_RESOURCES: readonly CiliumResource[] = [
  'ciliumnetworkpolicies',
  'ciliumclusterwidenetworkpolicies',
];

export const CILIUM_KINDS: Readonly<Record<CiliumResource, CiliumPolicyKind>> = {
  ciliumnetworkpolicies: 'CiliumNetworkPolicy',
  ciliumclusterwidenetworkpolicies: 'CiliumClusterwideNetworkPolicy',
};

/** The Cilium policy kinds served at cilium.io/v2; absent ones are not installed. */
export type CiliumApis = readonly CiliumResource[];

/** Where a kind is listed and watched: every namespace's CiliumNetworkPolicies, or the cluster-wide kind. */
export function ciliumPath(resource: CiliumResource): string {
  return `/apis/${CILIUM_GROUP}/${CILIUM_VERSION}/${resource}`;
}

/** Asks the API server. Throws client-node's errors (HTTP status in them) for the caller to classify. */
export async function discoverCiliumApis(kubeConfig: KubeConfig): Promise<CiliumApis> {
  const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
  const group = groups.groups.find((g) => g.name === CILIUM_GROUP);
  if (group === undefined || !group.versions.some((v) => v.version === CILIUM_VERSION)) return [];
  const list = await kubeConfig
    .makeApiClient(CustomObjectsApi)
    .getAPIResources({ group: CILIUM_GROUP, version: CILIUM_VERSION });
  return CILIUM_RESOURCES.filter((r) => list.resources.some((served) => served.name === r));
}
