/**
 * Cilium policies (cilium.io/v2 CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy) through the live
 * source against a real kube-apiserver with Cilium's CRDs from its Go module: created, changed and
 * deleted with kubectl, followed through the watch, explained by the evaluator and by the CLI naming
 * the deciding rule; and a cluster without the CRDs, which has nothing to read and no error until
 * they are installed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAnalyzer, type ConnectionVerdict, type SideResult } from '../../shared/eval/index.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { attachControlPlane, startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { installCiliumPolicyCrds } from '../cluster/crds.ts';
import { Probe, createPod, kubectl, podNames, unique } from './live-probe.ts';

const repo = path.resolve(import.meta.dirname, '../..');

const probes: Probe[] = [];
const track = (p: Probe): Probe => (probes.push(p), p);
afterEach(() => {
  for (const p of probes.splice(0)) p.source.stop();
});

function netglass(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(repo, 'bin/netglass.js'), ...args], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function twoPods(kubeconfig: string, ns: string, ipBase: string): Promise<k8s.CoreV1Api> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await createPod(core, kubeconfig, ns, 'web', { app: 'web' }, `${ipBase}.1`);
  await createPod(core, kubeconfig, ns, 'client', { app: 'client' }, `${ipBase}.2`);
  return core;
}

/** A CiliumNetworkPolicy on `web`: ingress from `client` on the given TCP ports. */
const cnp = (name: string, ns: string, ports: readonly number[]): string => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec:
  endpointSelector: {matchLabels: {app: web}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: client}}]
    toPorts: [{ports: [${ports.map((p) => `{port: "${p}", protocol: TCP}`).join(', ')}]}]
`;

/**
 * A CiliumClusterwideNetworkPolicy denying `client` in ns egress to `web` in ns on 8080/TCP. Without
 * `enableDefaultDeny.egress: false` the deny rule would also put the client's egress in default deny.
 */
const ccnp = (name: string, ns: string): string => `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: ${name}}
spec:
  endpointSelector: {matchLabels: {app: client, 'k8s:io.kubernetes.pod.namespace': ${ns}}}
  enableDefaultDeny: {egress: false}
  egressDeny:
  - toEndpoints: [{matchLabels: {app: web, 'k8s:io.kubernetes.pod.namespace': ${ns}}}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
`;

const check = (s: Snapshot, ns: string, port: number): ConnectionVerdict =>
  createAnalyzer(s).check({
    from: { kind: 'pod', namespace: ns, name: 'client' },
    to: { kind: 'pod', namespace: ns, name: 'web' },
    port,
    protocol: 'TCP',
  });

/** The Cilium rule that decided a side, if one did. */
const ciliumRule = (side: SideResult) => (side.kind === 'not-subject' ? undefined : side.tiers?.cilium);

const ciliumKeys = (s: Snapshot | undefined): string[] =>
  (s?.ciliumPolicies ?? []).map((p) => `${p.kind}:${p.namespace ?? ''}/${p.name}`).sort();

describe('Cilium policies on the shared control plane', () => {
  const cluster = inject('cluster');
  const ns = unique('cil');
  const cnpName = unique('cil-web');
  const ccnpName = unique('cil-deny');
  let core: k8s.CoreV1Api | undefined;

  beforeAll(async () => {
    // Idempotent: a cluster reused through NETGLASS_CLUSTER_DIR may predate the Cilium CRDs.
    await installCiliumPolicyCrds(cluster.adminKubeconfig, { timeoutMs: 60_000 });
    core = await twoPods(cluster.adminKubeconfig, ns, '10.31.0');
  }, 5 * 60_000);
  afterAll(async () => {
    kubectl(cluster.kubectl, cluster.adminKubeconfig, [
      'delete',
      'ciliumclusterwidenetworkpolicies.cilium.io',
      ccnpName,
      '--ignore-not-found',
    ]);
    await core?.deleteNamespace({ name: ns });
  });

  it('reads, follows and explains a CiliumNetworkPolicy and a CiliumClusterwideNetworkPolicy created with kubectl', async () => {
    const probe = track(new Probe(cluster.adminKubeconfig));
    let snap = await probe.until((s) => podNames(s, ns).length === 2, 'the initial list');
    expect(snap.ciliumPolicies ?? []).toEqual([]);
    expect(check(snap, ns, 8080).verdict).toBe('allowed');

    // Created: the policy arrives through the watch, read as the manifest reader reads it.
    kubectl(cluster.kubectl, cluster.adminKubeconfig, ['apply', '-f', '-'], cnp(cnpName, ns, [8080]));
    snap = await probe.until(
      (s) => (s.ciliumPolicies ?? []).some((p) => p.name === cnpName),
      'the new CiliumNetworkPolicy',
    );
    const read = snap.ciliumPolicies?.find((p) => p.name === cnpName);
    expect(read).toMatchObject({
      kind: 'CiliumNetworkPolicy',
      apiVersion: 'cilium.io/v2',
      namespace: ns,
      multi: false,
    });
    expect(read?.specs[0]?.ingress).toHaveLength(1);
    expect(snap.issues.filter((i) => i.severity !== 'info')).toEqual([]);

    let v = check(snap, ns, 8080);
    expect(v.verdict).toBe('allowed');
    expect(ciliumRule(v.ingress)).toMatchObject({
      policy: `CiliumNetworkPolicy:${ns}/${cnpName}`,
      rule: 'spec.ingress[0]',
      action: 'Allow',
    });
    // The policy selects web for ingress: a port it does not allow is denied.
    expect(check(snap, ns, 9090).verdict).toBe('denied');

    // The CLI reads the cluster once and names the same rule.
    const cli = netglass(
      'check',
      '--kubeconfig',
      cluster.adminKubeconfig,
      '--from',
      `${ns}/client`,
      '--to',
      `${ns}/web`,
      '--port',
      '8080/TCP',
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`Cilium \`CiliumNetworkPolicy:${ns}/${cnpName}\` spec.ingress[0]`);
    const denied = netglass(
      'check',
      '--kubeconfig',
      cluster.adminKubeconfig,
      '--from',
      `${ns}/client`,
      '--to',
      `${ns}/web`,
      '--port',
      '9090/TCP',
    );
    expect(denied.status, denied.stderr).toBe(1);

    // Changed: the MODIFIED event carries the new ports.
    kubectl(cluster.kubectl, cluster.adminKubeconfig, ['apply', '-f', '-'], cnp(cnpName, ns, [8080, 9090]));
    await probe.until((s) => check(s, ns, 9090).verdict === 'allowed', 'the changed policy');

    // A cluster-wide deny on the client's egress beats the allow at web.
    const changesBefore = probe.changes;
    kubectl(cluster.kubectl, cluster.adminKubeconfig, ['apply', '-f', '-'], ccnp(ccnpName, ns));
    snap = await probe.until(
      (s) => (s.ciliumPolicies ?? []).some((p) => p.name === ccnpName),
      'the new CiliumClusterwideNetworkPolicy',
    );
    expect(snap.ciliumPolicies?.find((p) => p.name === ccnpName)).toMatchObject({
      kind: 'CiliumClusterwideNetworkPolicy',
    });
    expect(snap.ciliumPolicies?.find((p) => p.name === ccnpName)?.namespace).toBeUndefined();
    v = check(snap, ns, 8080);
    expect(v.verdict).toBe('denied');
    expect(ciliumRule(v.egress)).toMatchObject({
      policy: `CiliumClusterwideNetworkPolicy:${ccnpName}`,
      kind: 'CiliumClusterwideNetworkPolicy',
      rule: 'spec.egressDeny[0]',
      action: 'Deny',
    });
    // Only 8080 is denied: the policy leaves the client's other egress open.
    expect(check(snap, ns, 9090).verdict).toBe('allowed');
    // It came as a change, and a client applying the changes holds the same Cilium policies.
    expect(probe.changes).toBeGreaterThan(changesBefore);
    expect(ciliumKeys(probe.replica)).toEqual(ciliumKeys(probe.snapshot));
    expect(ciliumKeys(probe.replica)).toHaveLength(2);

    // Deleted: both go, and the connection is allowed again.
    kubectl(cluster.kubectl, cluster.adminKubeconfig, [
      'delete',
      'ciliumclusterwidenetworkpolicies.cilium.io',
      ccnpName,
    ]);
    kubectl(cluster.kubectl, cluster.adminKubeconfig, [
      'delete',
      '-n',
      ns,
      'ciliumnetworkpolicies.cilium.io',
      cnpName,
    ]);
    snap = await probe.until(
      (s) => !(s.ciliumPolicies ?? []).some((p) => p.name === cnpName || p.name === ccnpName),
      'the deleted Cilium policies',
    );
    expect(check(snap, ns, 8080).verdict).toBe('allowed');

    expect(probe.replica?.ciliumPolicies).toBeUndefined();
  });

  it('a user who may read everything but the Cilium kinds: verdicts unknown, and the issues say why', async () => {
    const cp = attachControlPlane(cluster.dir);
    if (cp === undefined) throw new Error(`no control plane recorded in ${cluster.dir}`);
    const user = unique('no-cilium');
    const kubeconfig = await cp.addUser(user);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.adminKubeconfig);
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    const read = ['get', 'list', 'watch'];
    await rbac.createClusterRole({
      body: {
        metadata: { name: user },
        rules: [
          { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: read },
          { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
          { apiGroups: ['policy.networking.k8s.io'], resources: ['*'], verbs: read },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: user },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      },
    });
    try {
      const probe = track(new Probe(kubeconfig));
      const snap = await probe.until((s) => podNames(s, ns).length === 2, 'the pods');
      expect(snap.visibility).toEqual({
        policiesUnreadable: [],
        podsUnreadable: [],
        namespacesUnreadable: false,
        clusterPoliciesUnreadable: true,
      });
      expect(snap.issues.filter((i) => i.message.includes('Cilium'))).toEqual(
        ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'].map((kind) => ({
          severity: 'info',
          message: `your user may not list ${kind} (cilium.io/v2) cluster-wide: verdicts that Cilium policies could decide are unknown`,
        })),
      );
      // No NetworkPolicy or admin policy decides client → web, but an unread Cilium rule could.
      expect(check(snap, ns, 8080).verdict).toBe('unknown');
      // The forbidden-list report names only the kinds it has words for; the source is live.
      expect(await probe.untilStatus((s) => s.state === 'live', 'live')).toEqual({
        state: 'live',
        forbidden: [],
      });
    } finally {
      await rbac.deleteClusterRoleBinding({ name: user });
      await rbac.deleteClusterRole({ name: user });
    }
  });
});

describe('a cluster without the Cilium CRDs', () => {
  let cp: ControlPlane | undefined;
  beforeAll(async () => {
    cp = await startControlPlane({ adminPolicyCrds: false, ciliumPolicyCrds: false });
  }, 5 * 60_000);
  afterAll(async () => {
    await cp?.stop();
  });

  it('has nothing to read and no error, and picks up the CRDs and a policy installed later', async () => {
    if (cp === undefined) throw new Error('no control plane');
    const ns = unique('nocil');
    await twoPods(cp.adminKubeconfig, ns, '10.41.0');
    const probe = track(new Probe(cp.adminKubeconfig, [], { rediscoverMs: 300 }));
    let snap = await probe.until((s) => podNames(s, ns).length === 2, 'the initial list');
    expect(snap.ciliumPolicies).toBeUndefined();
    expect(snap.issues.some((i) => /cilium/i.test(i.message))).toBe(false);
    expect(snap.visibility).toBeUndefined();
    expect(await probe.untilStatus((s) => s.state === 'live', 'live')).toEqual({
      state: 'live',
      forbidden: [],
    });

    await cp.installCiliumPolicyCrds();
    const name = unique('late');
    kubectl(cp.kubectl, cp.adminKubeconfig, ['apply', '-f', '-'], cnp(name, ns, [8080]));
    snap = await probe.until(
      (s) => (s.ciliumPolicies ?? []).some((p) => p.name === name),
      'the late CiliumNetworkPolicy',
      30_000,
    );
    expect(check(snap, ns, 9090).verdict).toBe('denied');
    expect(await probe.untilStatus((s) => s.state === 'live', 'live')).toEqual({
      state: 'live',
      forbidden: [],
    });
  });
});
