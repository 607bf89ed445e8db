/**
 * Which CNI a live cluster runs, from the API groups it serves (a CNI's CRD groups exist only where it
 * is installed). The names are in shared/eval/cni.ts; this only asks the API server.
 */
import { ApisApi, type KubeConfig } from '@kubernetes/client-node';
import { detectCni } from '../../shared/eval/cni.ts';
import type { CniProfile } from '../../shared/model/snapshot.ts';

/** Throws client-node's errors (HTTP status in them) for the caller to classify, as the other discoveries do. */
export async function discoverCni(kubeConfig: KubeConfig): Promise<CniProfile | undefined> {
  const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
  return detectCni(groups.groups.map((g) => g.name));
}
