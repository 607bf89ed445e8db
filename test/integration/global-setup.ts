// Starts one control plane for the whole integration run and hands its
// coordinates to the test files via provide/inject (tests run in other processes).
//
// NETGLASS_CLUSTER_DIR=<run folder of test/cluster/up> reuses a running cluster
// instead (fast local loops); it is then left running at the end.
import type { TestProject } from 'vitest/node';
import {
  attachControlPlane,
  isHealthy,
  startControlPlane,
  type ControlPlane,
} from '../cluster/control-plane.ts';

export type ClusterInfo = {
  apiserverUrl: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  kubectl: string | undefined;
  dir: string;
};

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = process.env['NETGLASS_CLUSTER_DIR'];
  let cp: ControlPlane;
  let owned = true;
  if (reuse) {
    const found = attachControlPlane(reuse);
    if (!found || !(await isHealthy(found))) {
      throw new Error(
        `NETGLASS_CLUSTER_DIR=${reuse} holds no healthy control plane; start one with test/cluster/up --dir ${reuse}`,
      );
    }
    cp = found;
    owned = false;
    // A cluster started before the CRDs were part of the set-up gets them now (idempotent).
    await cp.installAdminPolicyCrds();
  } else {
    cp = await startControlPlane();
  }
  project.provide('cluster', {
    apiserverUrl: cp.apiserverUrl,
    adminKubeconfig: cp.adminKubeconfig,
    restrictedKubeconfig: cp.restrictedKubeconfig,
    kubectl: cp.kubectl,
    dir: cp.dir,
  });
  return async () => {
    if (owned) await cp.stop();
  };
}
