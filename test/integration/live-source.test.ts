/**
 * The live source against a real kube-apiserver + etcd: initial list, changes as they happen, a
 * server restart mid-watch, RBAC-restricted users, and kubeconfigs that cannot work.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAnalyzer } from '../../shared/eval/index.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { Probe, createPod, podNames, unique } from './live-probe.ts';

function admin(kubeconfig: string): { core: k8s.CoreV1Api; net: k8s.NetworkingV1Api } {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { core: kc.makeApiClient(k8s.CoreV1Api), net: kc.makeApiClient(k8s.NetworkingV1Api) };
}

const probes: Probe[] = [];
const track = (p: Probe): Probe => (probes.push(p), p);
afterEach(() => {
  for (const p of probes.splice(0)) p.source.stop();
});

describe('live source on the shared control plane', () => {
  const cluster = inject('cluster');
  const api = admin(cluster.adminKubeconfig);
  const ns = unique('live');

  beforeAll(async () => {
    await api.core.createNamespace({ body: { metadata: { name: ns, labels: { team: 'blue' } } } });
    await createPod(api.core, cluster.adminKubeconfig, ns, 'web', { app: 'web' }, '10.10.0.1');
    await createPod(api.core, cluster.adminKubeconfig, ns, 'client', { app: 'client' }, '10.10.0.2');
  });

  it('lists the cluster first, with labels and pod IPs, and reports live', async () => {
    const probe = track(new Probe(cluster.adminKubeconfig));
    const snap = await probe.until((s) => podNames(s, ns).length === 2, 'the initial list');
    expect(podNames(snap, ns)).toEqual(['client', 'web']);
    expect(snap.source).toMatchObject({ kind: 'cluster' });
    expect(snap.namespaces.find((n) => n.name === ns)?.labels).toMatchObject({
      team: 'blue',
      'kubernetes.io/metadata.name': ns,
    });
    expect(snap.pods.find((p) => p.name === 'web' && p.namespace === ns)).toMatchObject({
      ips: ['10.10.0.1'],
      labels: { app: 'web' },
    });
    expect(snap.issues.filter((i) => i.severity === 'error')).toEqual([]);
    await probe.untilStatus((s) => s.state === 'live', 'live');
  });

  it('follows pods and policies as they are added, changed and deleted, and verdicts follow labels', async () => {
    const probe = track(new Probe(cluster.adminKubeconfig));
    await probe.until((s) => podNames(s, ns).length >= 2, 'the initial list');
    const check = (s: Snapshot) =>
      createAnalyzer(s).check({
        from: { kind: 'pod', namespace: ns, name: 'client' },
        to: { kind: 'pod', namespace: ns, name: 'web' },
        port: 8080,
        protocol: 'TCP',
      }).verdict;
    expect(check(probe.snapshot!)).toBe('allowed');

    await api.net.createNamespacedNetworkPolicy({
      namespace: ns,
      body: {
        metadata: { name: 'web-from-frontend' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          // client-node's typed model names the wire field `from` as `_from`.
          ingress: [
            { _from: [{ podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ port: 'http' }] },
          ],
        },
      },
    });
    let snap = await probe.until(
      (s) => s.policies.some((p) => p.namespace === ns && p.name === 'web-from-frontend'),
      'the new policy',
    );
    expect(check(snap)).toBe('denied');

    // A label change on the client opens the connection.
    await api.core.patchNamespacedPod(
      { namespace: ns, name: 'client', body: { metadata: { labels: { app: 'client', role: 'frontend' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    snap = await probe.until(
      (s) => s.pods.some((p) => p.name === 'client' && p.namespace === ns && p.labels['role'] === 'frontend'),
      'the relabelled pod',
    );
    expect(check(snap)).toBe('allowed');

    await createPod(api.core, cluster.adminKubeconfig, ns, 'extra', { app: 'extra' }, '10.10.0.3');
    await probe.until((s) => podNames(s, ns).includes('extra'), 'the added pod');
    await api.core.deleteNamespacedPod({ namespace: ns, name: 'extra', gracePeriodSeconds: 0 });
    await probe.until((s) => !podNames(s, ns).includes('extra'), 'the deleted pod');
    await api.net.deleteNamespacedNetworkPolicy({ namespace: ns, name: 'web-from-frontend' });
    snap = await probe.until((s) => !s.policies.some((p) => p.namespace === ns), 'the deleted policy');
    expect(check(snap)).toBe('allowed');
  });

  it('gives a restricted user a partial view: policies unreadable, verdicts unknown, the reason shown', async () => {
    await api.net.createNamespacedNetworkPolicy({
      namespace: ns,
      body: { metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    });
    const probe = track(new Probe(cluster.restrictedKubeconfig));
    const snap = await probe.until(
      (s) => podNames(s, ns).length >= 2,
      'the pods the restricted user can list',
    );
    expect(snap.policies).toEqual([]);
    // The restricted user may not list the admin policy kinds either (installed on the shared cluster).
    expect(snap.visibility).toEqual({
      policiesUnreadable: 'all',
      podsUnreadable: [],
      namespacesUnreadable: false,
      clusterPoliciesUnreadable: true,
    });
    const status = await probe.untilStatus(
      (s) => s.state === 'live' && s.forbidden.length > 0,
      'live with a forbidden list',
    );
    const forbidden = status.state === 'live' ? status.forbidden : [];
    expect(forbidden.map((f) => [f.resource, f.namespace])).toEqual([
      ['networkpolicies', undefined],
      ['clusternetworkpolicies', undefined],
      ['adminnetworkpolicies', undefined],
      ['baselineadminnetworkpolicies', undefined],
    ]);
    expect(forbidden[0]?.reason).toMatch(/HTTP 403: .*networkpolicies.* is forbidden/);
    const verdict = createAnalyzer(snap).check({
      from: { kind: 'pod', namespace: ns, name: 'client' },
      to: { kind: 'pod', namespace: ns, name: 'web' },
      port: 8080,
      protocol: 'TCP',
    });
    // The hidden deny-all policy isolates web: netglass must not claim "allowed".
    expect(verdict.verdict).toBe('unknown');
    await api.net.deleteNamespacedNetworkPolicy({ namespace: ns, name: 'deny-all' });
  });

  afterAll(async () => {
    await api.core.deleteNamespace({ name: ns });
  });
});

describe('live source across a kube-apiserver restart', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('reconnects and ends with exactly the server objects: none lost, no phantoms', async () => {
    const api = admin(cp.adminKubeconfig);
    const ns = unique('restart');
    await api.core.createNamespace({ body: { metadata: { name: ns } } });
    for (const name of ['a', 'b', 'c'])
      await createPod(
        api.core,
        cp.adminKubeconfig,
        ns,
        name,
        { app: name },
        `10.20.0.${name.charCodeAt(0) - 96}`,
      );

    const probe = track(new Probe(cp.adminKubeconfig));
    await probe.until((s) => podNames(s, ns).length === 3, 'the initial list');
    await probe.untilStatus((s) => s.state === 'live', 'live');

    await cp.stopApiServer();
    const down = await probe.untilStatus(
      (s) => s.state === 'reconnecting',
      'reconnecting after the server went away',
    );
    expect(down.state === 'reconnecting' && down.since).toBeGreaterThan(0);
    await cp.startApiServer();

    // Changes made right after the restart, while the source may still be backing off.
    await api.core.deleteNamespacedPod({ namespace: ns, name: 'a', gracePeriodSeconds: 0 });
    await createPod(api.core, cp.adminKubeconfig, ns, 'd', { app: 'd' }, '10.20.0.4');

    await probe.untilStatus((s) => s.state === 'live', 'live again', 60_000);
    const serverPods = (await api.core.listNamespacedPod({ namespace: ns })).items
      .map((p) => p.metadata?.name ?? '')
      .sort();
    const snap = await probe.until(
      (s) => JSON.stringify(podNames(s, ns)) === JSON.stringify(serverPods),
      'the server state',
      30_000,
    );
    expect(podNames(snap, ns)).toEqual(['b', 'c', 'd']);
  });
});

describe('kubeconfigs that cannot work say why', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-badkc-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const kubeconfig = (
    server: string,
    user: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): string => {
    const file = path.join(dir, `${randomBytes(4).toString('hex')}.yaml`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'ctx',
        clusters: [{ name: 'c', cluster: { server, ...extra } }],
        users: [{ name: 'u', user }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      }),
    );
    return file;
  };

  it('an unreachable server is an error naming the connection failure', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const probe = track(
      new Probe(
        kubeconfig(`https://127.0.0.1:${port}`, { token: 'x' }, { 'insecure-skip-tls-verify': true }),
      ),
    );
    const status = await probe.untilStatus((s) => s.state === 'error', 'an error status', 30_000);
    expect(status.state === 'error' && status.reason).toMatch(/ECONNREFUSED|connect/);
  });

  it('a rejected token says Unauthorized', async () => {
    const cluster = inject('cluster');
    const probe = track(
      new Probe(
        kubeconfig(
          cluster.apiserverUrl,
          { token: 'not-a-valid-token' },
          { 'insecure-skip-tls-verify': true },
        ),
      ),
    );
    const status = await probe.untilStatus((s) => s.state === 'error', 'an error status');
    expect(status.state === 'error' && status.detail).toMatch(/HTTP 401/);
  });
});
