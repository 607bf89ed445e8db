/**
 * Calico policies (crd.projectcalico.org/v1, the storage form every Calico cluster has) through the
 * live source against a real kube-apiserver with Calico's CRDs from its Go module: created, changed
 * and deleted with kubectl, followed through the watch, and decided by the evaluator as from
 * manifests (the default tier denies what a selecting policy does not allow); the CLI's one-shot read
 * gives the same verdict and names the Calico step.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAnalyzer, type ConnectionVerdict } from '../../shared/eval/index.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { installCalicoPolicyCrds } from '../cluster/crds.ts';
import { Probe, createPod, kubectl, podNames, unique } from './live-probe.ts';

const repo = path.resolve(import.meta.dirname, '../..');

const probes: Probe[] = [];
afterEach(() => {
  for (const p of probes.splice(0)) p.source.stop();
});

/** A Calico NetworkPolicy on `web`: ingress from `client` on the given TCP port. */
const calicoNp = (name: string, ns: string, port: number): string => `apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: app == 'web'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: app == 'client'}
    destination: {ports: [${port}]}
`;

const check = (s: Snapshot, ns: string, port: number): ConnectionVerdict =>
  createAnalyzer(s).check({
    from: { kind: 'pod', namespace: ns, name: 'client' },
    to: { kind: 'pod', namespace: ns, name: 'web' },
    port,
    protocol: 'TCP',
  });

describe('Calico policies on the shared control plane', () => {
  const cluster = inject('cluster');
  const ns = unique('cal');
  const name = unique('cal-web');
  let core: k8s.CoreV1Api | undefined;

  beforeAll(async () => {
    // Idempotent: a cluster reused through NETGLASS_CLUSTER_DIR may predate the Calico CRDs.
    await installCalicoPolicyCrds(cluster.adminKubeconfig, { timeoutMs: 60_000 });
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.adminKubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await createPod(core, cluster.adminKubeconfig, ns, 'web', { app: 'web' }, '10.32.0.1');
    await createPod(core, cluster.adminKubeconfig, ns, 'client', { app: 'client' }, '10.32.0.2');
  }, 5 * 60_000);
  afterAll(async () => {
    await core?.deleteNamespace({ name: ns });
  });

  it(
    'reads, follows and decides a Calico NetworkPolicy created with kubectl',
    { timeout: 5 * 60_000 },
    async () => {
      const probe = new Probe(cluster.adminKubeconfig);
      probes.push(probe);
      let snap = await probe.until((s) => podNames(s, ns).length === 2, 'the initial list');
      expect(check(snap, ns, 8080).verdict).toBe('allowed');

      kubectl(cluster.kubectl, cluster.adminKubeconfig, ['apply', '-f', '-'], calicoNp(name, ns, 8080));
      snap = await probe.until(
        (s) => (s.calicoPolicies ?? []).some((p) => p.name === name),
        'the new Calico NetworkPolicy',
      );
      expect(snap.calicoPolicies?.find((p) => p.name === name)).toMatchObject({
        kind: 'NetworkPolicy',
        apiVersion: 'crd.projectcalico.org/v1',
        namespace: ns,
        tier: 'default',
      });
      expect(check(snap, ns, 8080).verdict).toBe('allowed');
      // It selects web: the default tier denies the ports it does not allow.
      expect(check(snap, ns, 9090).verdict).toBe('denied');

      // The CLI reads the cluster once and names the Calico step.
      const cli = spawnSync(
        process.execPath,
        [
          path.join(repo, 'bin/netglass.js'),
          'check',
          '--kubeconfig',
          cluster.adminKubeconfig,
          '--from',
          `${ns}/client`,
          '--to',
          `${ns}/web`,
          '--port',
          '9090/TCP',
        ],
        { encoding: 'utf8', timeout: 90_000 },
      );
      expect(cli.status, cli.stderr).toBe(1);
      expect(cli.stdout).toContain('Calico tier `default`');

      // Changed, then deleted: the watch follows both.
      kubectl(cluster.kubectl, cluster.adminKubeconfig, ['apply', '-f', '-'], calicoNp(name, ns, 9090));
      snap = await probe.until((s) => check(s, ns, 9090).verdict === 'allowed', 'the changed policy');
      expect(check(snap, ns, 8080).verdict).toBe('denied');
      kubectl(cluster.kubectl, cluster.adminKubeconfig, [
        'delete',
        'networkpolicies.crd.projectcalico.org',
        name,
        '-n',
        ns,
      ]);
      snap = await probe.until((s) => (s.calicoPolicies ?? []).length === 0, 'the deletion');
      expect(check(snap, ns, 8080).verdict).toBe('allowed');
    },
  );
});
