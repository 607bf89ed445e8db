// Smoke test of the integration control plane (test/cluster): the shared cluster
// from global-setup.ts serves real API calls, RBAC restricts the restricted user,
// setPodIP fakes the kubelet; and a private control plane survives an apiserver restart.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { setPodIP, startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';

function clients(kubeconfig: string): { core: k8s.CoreV1Api; net: k8s.NetworkingV1Api } {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { core: kc.makeApiClient(k8s.CoreV1Api), net: kc.makeApiClient(k8s.NetworkingV1Api) };
}

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    if (e instanceof k8s.ApiException) return e.code;
    throw e;
  }
}

const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

// No kubelet: nodeName set at create skips the scheduler; the image is never pulled.
const podBody = (name: string): k8s.V1Pod => ({
  metadata: { name, labels: { app: 'web' } },
  spec: { nodeName: 'fake-node', containers: [{ name: 'web', image: 'registry.invalid/web:1' }] },
});

describe('shared control plane', () => {
  const cluster = inject('cluster');
  const admin = clients(cluster.adminKubeconfig);
  const restricted = clients(cluster.restrictedKubeconfig);
  const ns = uniqueName('smoke');

  it('serves namespaces, pods with faked IPs and networkpolicies to the admin', async () => {
    await admin.core.createNamespace({ body: { metadata: { name: ns } } });
    await admin.core.createNamespacedPod({ namespace: ns, body: podBody('web-0') });
    await admin.net.createNamespacedNetworkPolicy({
      namespace: ns,
      body: {
        metadata: { name: 'deny-all-ingress' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
      },
    });

    const patched = await setPodIP(cluster.adminKubeconfig, ns, 'web-0', '10.244.0.5');
    expect(patched.status?.podIP).toBe('10.244.0.5');

    const pods = await admin.core.listNamespacedPod({ namespace: ns });
    expect(pods.items.map((p) => [p.metadata?.name, p.status?.phase, p.status?.podIP])).toEqual([
      ['web-0', 'Running', '10.244.0.5'],
    ]);
    expect(pods.items[0]?.status?.podIPs).toEqual([{ ip: '10.244.0.5' }]);
    expect(pods.items[0]?.status?.containerStatuses?.[0]?.ready).toBe(true);

    const policies = await admin.net.listNamespacedNetworkPolicy({ namespace: ns });
    expect(policies.items.map((p) => p.metadata?.name)).toEqual(['deny-all-ingress']);

    // Server-side dry-run validates without persisting (the app's policy editor uses it).
    const dry = await admin.net.createNamespacedNetworkPolicy({
      namespace: ns,
      dryRun: 'All',
      body: { metadata: { name: 'dry' }, spec: { podSelector: {} } },
    });
    expect(dry.metadata?.name).toBe('dry');
    expect(await statusOf(admin.net.readNamespacedNetworkPolicy({ namespace: ns, name: 'dry' }))).toBe(404);
  });

  it('lets the restricted user list namespaces and pods but not networkpolicies', async () => {
    const pods = await restricted.core.listPodForAllNamespaces();
    expect(pods.items.some((p) => p.metadata?.namespace === ns && p.metadata.name === 'web-0')).toBe(true);
    const namespaces = await restricted.core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain(ns);

    expect(await statusOf(restricted.net.listNamespacedNetworkPolicy({ namespace: ns }))).toBe(403);
    expect(await statusOf(restricted.net.listNetworkPolicyForAllNamespaces())).toBe(403);
    expect(
      await statusOf(restricted.core.createNamespace({ body: { metadata: { name: uniqueName('nope') } } })),
    ).toBe(403);
  });

  it('serves the admin network policy CRDs, and the restricted user may not list them', async () => {
    const custom = (kubeconfig: string) => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(kubeconfig);
      return kc.makeApiClient(k8s.CustomObjectsApi);
    };
    const group = 'policy.networking.k8s.io';
    const served = async (version: string) =>
      (await custom(cluster.adminKubeconfig).getAPIResources({ group, version })).resources
        .map((r) => r.name)
        .filter((n) => !n.includes('/'))
        .sort();
    expect(await served('v1beta1')).toEqual(['clusternetworkpolicies']);
    expect(await served('v1alpha2')).toEqual(['clusternetworkpolicies']);
    expect(await served('v1alpha1')).toEqual(['adminnetworkpolicies', 'baselineadminnetworkpolicies']);
    const list = { group, version: 'v1beta1', plural: 'clusternetworkpolicies' };
    expect(await statusOf(custom(cluster.adminKubeconfig).listClusterCustomObject(list))).toBe(200);
    expect(await statusOf(custom(cluster.restrictedKubeconfig).listClusterCustomObject(list))).toBe(403);
  });

  it('serves the Calico policy CRDs in their storage form, and stores a policy as written', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.adminKubeconfig);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const group = 'crd.projectcalico.org';
    const served = (await custom.getAPIResources({ group, version: 'v1' })).resources
      .map((r) => r.name)
      .filter((n) => !n.includes('/'))
      .sort();
    expect(served).toEqual(['globalnetworkpolicies', 'globalnetworksets', 'networkpolicies', 'networksets']);
    const name = uniqueName('calico-web');
    const body = {
      apiVersion: `${group}/v1`,
      kind: 'NetworkPolicy',
      metadata: { name, namespace: ns },
      spec: {
        selector: "app == 'web'",
        order: 100,
        types: ['Ingress'],
        ingress: [
          {
            action: 'Allow',
            protocol: 'TCP',
            source: { selector: "app == 'client'" },
            destination: { ports: [8080] },
          },
        ],
      },
    };
    const target = { group, version: 'v1', namespace: ns, plural: 'networkpolicies' };
    await custom.createNamespacedCustomObject({ ...target, body });
    const read = (await custom.getNamespacedCustomObject({ ...target, name })) as { spec?: unknown };
    expect(read.spec).toEqual(body.spec);
    await custom.deleteNamespacedCustomObject({ ...target, name });
  });

  it('ships a kubectl that talks to it', () => {
    expect(cluster.kubectl).toBeDefined();
    const out = execFileSync(
      cluster.kubectl!,
      ['--kubeconfig', cluster.adminKubeconfig, 'get', 'pods', '-n', ns, '-o', 'name'],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('pod/web-0');
  });
});

describe('private control plane', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('keeps its data across a kube-apiserver restart (etcd keeps running)', async () => {
    const before = clients(cp.adminKubeconfig);
    await before.core.createNamespace({ body: { metadata: { name: 'survivor' } } });

    await cp.stopApiServer();
    await expect(before.core.readNamespace({ name: 'survivor' })).rejects.toThrow();
    await cp.startApiServer();

    // Same URL and credentials: the old client reconnects.
    const ns = await before.core.readNamespace({ name: 'survivor' });
    expect(ns.metadata?.name).toBe('survivor');
    await cp.restartApiServer();
    expect((await before.core.readNamespace({ name: 'survivor' })).metadata?.name).toBe('survivor');
  });
});
