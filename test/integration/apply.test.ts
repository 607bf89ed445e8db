/**
 * Writing policies to the real API server: server-side dry-run (create and update, nothing stored),
 * apply bound to its dry-run, conflicts, RBAC refusals in plain words, and the server's field
 * causes for an invalid manifest. Also the app's path: the dispatcher on a live source. The same for
 * ClusterNetworkPolicy (cluster-scoped; the control plane has the network-policy-api CRDs), and the
 * plain answer when the cluster does not serve the version asked for.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApplyFailure, DryRunResult } from '../../shared/api/api.ts';
import type { NetworkPolicyManifest, PolicyManifest } from '../../shared/editor/draft.ts';
import type { ClusterPolicyManifest } from '../../shared/editor/index.ts';
import {
  clusterDraftToManifest,
  clusterTemplateById,
  draftToManifest,
  templateById,
} from '../../shared/editor/index.ts';
import { applyPolicy, dryRunPolicy } from '../../electron/cluster/apply.ts';
import { Dispatcher, type Peer } from '../../electron/ipc/dispatcher.ts';
import { createLoaders } from '../../electron/source/loaders.ts';
import { SourceManager } from '../../electron/source/manager.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const cluster = inject('cluster');
const ns = `apply-${randomBytes(3).toString('hex')}`;

const kubectl = (...args: string[]): string =>
  execFileSync(cluster.kubectl ?? 'kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

function kubeConfig(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

function getPolicy(name: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(kubectl('get', 'networkpolicy', '-n', ns, name, '-o', 'json')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
}

function manifest(
  name: string,
  port: number,
  extra: Partial<NetworkPolicyManifest['metadata']> = {},
): NetworkPolicyManifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns, ...extra },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ protocol: 'TCP', port }] },
      ],
    },
  };
}

function failureOf<T>(result: { ok: true; value: T } | { ok: false; failure: ApplyFailure }): ApplyFailure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.failure;
}

const admin = (): KubeConfig => kubeConfig(cluster.adminKubeconfig);

beforeAll(() => {
  kubectl('create', 'namespace', ns);
});
afterAll(() => {
  kubectl('delete', 'namespace', ns, '--wait=false');
  // ClusterNetworkPolicies are cluster-scoped: each test's names carry the run's namespace name.
  for (const name of kubectl('get', 'clusternetworkpolicies', '-o', 'name').split('\n')) {
    if (name.includes(ns)) kubectl('delete', name, '--wait=false');
  }
});

describe('dry-run', () => {
  it('of a new policy says create, returns what the server would store, and stores nothing', async () => {
    const result = await dryRunPolicy(admin(), manifest('web-new', 80));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.operation).toBe('create');
    expect(result.value.live).toBeUndefined();
    expect(result.value.stored).toMatchObject({
      kind: 'NetworkPolicy',
      metadata: { name: 'web-new', namespace: ns },
      spec: { podSelector: { matchLabels: { app: 'web' } } },
    });
    expect(result.value.changes).toContainEqual({
      path: 'spec.ingress[0].ports[0].port',
      change: 'added',
      after: 80,
    });
    expect(result.value.changes).toContainEqual({ path: 'metadata.name', change: 'added', after: 'web-new' });
    expect(getPolicy('web-new')).toBeUndefined();
  });

  it('of an existing policy says update and lists exactly the fields that change', async () => {
    const created = await applyPolicy(admin(), manifest('web-upd', 80), {
      operation: 'create',
      namespace: ns,
      name: 'web-upd',
      force: false,
    });
    expect(created.ok).toBe(true);
    const before = getPolicy('web-upd');
    const result = await dryRunPolicy(admin(), manifest('web-upd', 8080, { labels: { team: 'a' } }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.operation).toBe('update');
    expect(result.value.resourceVersion).toBe(
      (before?.['metadata'] as { resourceVersion: string }).resourceVersion,
    );
    expect(result.value.changes).toEqual([
      { path: 'metadata.labels.team', change: 'added', after: 'a' },
      { path: 'spec.ingress[0].ports[0].port', change: 'changed', before: 80, after: 8080 },
    ]);
    expect(result.value.unchanged).toBe(false);
    // Nothing stored.
    expect(getPolicy('web-upd')).toEqual(before);

    const same = await dryRunPolicy(admin(), manifest('web-upd', 80));
    expect(same.ok && same.value.unchanged).toBe(true);
  });

  it('shows the server defaults (protocol, policyTypes) in the stored object', async () => {
    const template = templateById('default-deny-ingress')?.create(ns);
    expect(template).toBeDefined();
    const m = draftToManifest({ ...template!, policyTypes: 'default' });
    const result = await dryRunPolicy(admin(), m);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.stored['spec']).toMatchObject({ policyTypes: ['Ingress'] });
  });
});

describe('apply', () => {
  it('creates, then updates the version the dry-run saw', async () => {
    const kc = admin();
    const dry = await dryRunPolicy(kc, manifest('web-apply', 80));
    expect(dry.ok).toBe(true);
    if (!dry.ok) return;
    const applied = await applyPolicy(kc, manifest('web-apply', 80), dry.value);
    expect(applied.ok).toBe(true);
    expect(getPolicy('web-apply')).toMatchObject({ spec: { ingress: [{ ports: [{ port: 80 }] }] } });

    const dry2 = await dryRunPolicy(kc, manifest('web-apply', 443));
    expect(dry2.ok && dry2.value.operation).toBe('update');
    if (!dry2.ok) return;
    const updated = await applyPolicy(kc, manifest('web-apply', 443), dry2.value);
    expect(updated.ok).toBe(true);
    expect(getPolicy('web-apply')).toMatchObject({ spec: { ingress: [{ ports: [{ port: 443 }] }] } });
  });

  it('reports a change made since the dry-run as a conflict, and overwrites nothing', async () => {
    const kc = admin();
    await applyPolicy(kc, manifest('web-race', 80), {
      operation: 'create',
      namespace: ns,
      name: 'web-race',
      force: false,
    });
    const dry = await dryRunPolicy(kc, manifest('web-race', 9090));
    expect(dry.ok).toBe(true);
    if (!dry.ok) return;
    kubectl('label', 'networkpolicy', '-n', ns, 'web-race', 'touched=yes');
    const failure = failureOf(await applyPolicy(kc, manifest('web-race', 9090), dry.value));
    expect(failure.reason).toBe('conflict');
    expect(failure.message).toMatch(/changed in the cluster since the dry-run/);
    expect(getPolicy('web-race')).toMatchObject({ spec: { ingress: [{ ports: [{ port: 80 }] }] } });

    // A create planned while the policy was absent, after someone else created it.
    const dryNew = await dryRunPolicy(kc, manifest('web-race-2', 80));
    expect(dryNew.ok && dryNew.value.operation).toBe('create');
    if (!dryNew.ok) return;
    await applyPolicy(kc, manifest('web-race-2', 81), {
      operation: 'create',
      namespace: ns,
      name: 'web-race-2',
      force: false,
    });
    const again = failureOf(await applyPolicy(kc, manifest('web-race-2', 80), dryNew.value));
    expect(again.reason).toBe('conflict');
    expect(again.message).toMatch(/created by someone else/);
  });

  it('sends an invalid manifest back with the server field causes', async () => {
    const bad: PolicyManifest = {
      ...manifest('web-bad', 80),
      spec: {
        podSelector: {},
        ingress: [
          {
            from: [{ ipBlock: { cidr: '10.0.0.0/33' } }],
            ports: [{ protocol: 'TCP', port: 70000 }],
          },
        ],
      },
    };
    const failure = failureOf(await dryRunPolicy(admin(), bad));
    expect(failure.reason).toBe('invalid');
    if (failure.reason !== 'invalid') return;
    const fields = failure.causes.map((c) => c.field);
    expect(fields).toContain('spec.ingress[0].ports[0].port');
    expect(fields).toContain('spec.ingress[0].from[0].ipBlock.cidr');
    expect(failure.message).toMatch(/rejected NetworkPolicy .*\/web-bad/);
  });

  it('says plainly that a namespace does not exist', async () => {
    const m = manifest('x', 80);
    const failure = failureOf(
      await dryRunPolicy(admin(), { ...m, metadata: { ...m.metadata, namespace: `${ns}-missing` } }),
    );
    expect(failure.reason).toBe('not-found');
    expect(failure.message).toBe(`Namespace "${ns}-missing" does not exist in this cluster.`);
  });
});

describe('RBAC', () => {
  it('refuses the restricted user in plain words: which verb, resource and namespace', async () => {
    const restricted = kubeConfig(cluster.restrictedKubeconfig);
    const dry = failureOf(await dryRunPolicy(restricted, manifest('web-rbac', 80)));
    expect(dry).toMatchObject({
      reason: 'forbidden',
      verb: 'get',
      resource: 'networkpolicies',
      namespace: ns,
      user: 'netglass-restricted',
    });
    const applied = failureOf(
      await applyPolicy(restricted, manifest('web-rbac', 80), {
        operation: 'create',
        namespace: ns,
        name: 'web-rbac',
        force: false,
      }),
    );
    // A create first checks that the policy is still absent (apply-ssa.test.ts has a user who may
    // read but not write).
    expect(applied).toMatchObject({
      reason: 'forbidden',
      verb: 'get',
      resource: 'networkpolicies',
      namespace: ns,
    });
    expect(applied.message).toBe(
      `RBAC: user "netglass-restricted" may not get networkpolicies in namespace "${ns}", so NetworkPolicy ${ns}/web-rbac cannot be written with this context. A cluster administrator can grant it with a Role that allows "get" on networkpolicies.`,
    );
    expect(getPolicy('web-rbac')).toBeUndefined();
  });
});

/** The deny-cross-namespace template for the run's namespace, named `<ns>-<suffix>`. */
function cnp(suffix: string, patch: Partial<ClusterPolicyManifest> = {}): ClusterPolicyManifest {
  const m = clusterDraftToManifest(clusterTemplateById('platform-deny-cross-namespace')!.create(ns));
  return { ...m, metadata: { ...m.metadata, name: `${ns}-${suffix}` }, ...patch };
}

function getClusterPolicy(name: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(kubectl('get', 'clusternetworkpolicy', name, '-o', 'json')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

describe('ClusterNetworkPolicy', () => {
  it('dry-runs a create at the cluster-scoped URL and stores nothing', async () => {
    const m = cnp('dry');
    const result = await dryRunPolicy(admin(), m);
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.value).toMatchObject({ operation: 'create', namespace: '', name: m.metadata.name });
    expect(result.value.stored).toMatchObject({
      apiVersion: 'policy.networking.k8s.io/v1beta1',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: m.metadata.name },
      spec: { tier: 'Admin', priority: 100 },
    });
    expect(result.value.stored['metadata']).not.toHaveProperty('namespace');
    expect(result.value.changes).toContainEqual({
      path: 'spec.ingress[1].action',
      change: 'added',
      after: 'Deny',
    });
    expect(getClusterPolicy(m.metadata.name)).toBeUndefined();
  });

  it('creates, then updates only the version the dry-run saw', async () => {
    const kc = admin();
    const m = cnp('apply');
    const dry = await dryRunPolicy(kc, m);
    if (!dry.ok) throw new Error(dry.failure.message);
    const created = await applyPolicy(kc, m, dry.value);
    expect(created).toMatchObject({ ok: true, value: { operation: 'create', namespace: '' } });
    expect(getClusterPolicy(m.metadata.name)).toMatchObject({ spec: { priority: 100 } });

    const moved = { ...m, spec: { ...m.spec, priority: 120 } };
    const dry2 = await dryRunPolicy(kc, moved);
    if (!dry2.ok) throw new Error(dry2.failure.message);
    expect(dry2.value.operation).toBe('update');
    expect(dry2.value.changes).toEqual([
      { path: 'spec.priority', change: 'changed', before: 100, after: 120 },
    ]);
    kubectl('label', 'clusternetworkpolicy', m.metadata.name, 'touched=yes');
    const failure = failureOf(await applyPolicy(kc, moved, dry2.value));
    expect(failure.reason).toBe('conflict');
    expect(failure.message).toBe(
      `ClusterNetworkPolicy ${m.metadata.name} was changed in the cluster since the dry-run; run the dry-run again to see the current differences.`,
    );
    const dry3 = await dryRunPolicy(kc, moved);
    if (!dry3.ok) throw new Error(dry3.failure.message);
    expect(await applyPolicy(kc, moved, dry3.value)).toMatchObject({
      ok: true,
      value: { operation: 'update' },
    });
    expect(getClusterPolicy(m.metadata.name)).toMatchObject({ spec: { priority: 120 } });
  });

  it('keeps the v1alpha2 apiVersion of an object written at that version', async () => {
    const m = cnp('alpha', { apiVersion: 'policy.networking.k8s.io/v1alpha2' });
    const dry = await dryRunPolicy(admin(), m);
    if (!dry.ok) throw new Error(dry.failure.message);
    expect(dry.value.stored).toMatchObject({ apiVersion: 'policy.networking.k8s.io/v1alpha2' });
  });

  it("sends the CRD's refusal back with its field causes", async () => {
    const m = cnp('bad');
    const failure = failureOf(await dryRunPolicy(admin(), { ...m, spec: { ...m.spec, priority: 2000 } }));
    expect(failure.reason).toBe('invalid');
    if (failure.reason !== 'invalid') return;
    expect(failure.causes.map((c) => c.field)).toContain('spec.priority');
    expect(failure.message).toMatch(
      new RegExp(`^The API server rejected ClusterNetworkPolicy ${m.metadata.name}: `),
    );
  });

  it('says plainly when the cluster does not serve the version, and which it serves', async () => {
    const m = cnp('v1', { apiVersion: 'policy.networking.k8s.io/v1' });
    const failure = failureOf(await dryRunPolicy(admin(), m));
    expect(failure.reason).toBe('not-found');
    expect(failure.message).toMatch(
      /^This cluster does not serve ClusterNetworkPolicy at policy\.networking\.k8s\.io\/v1 \(404 on \/apis\/policy\.networking\.k8s\.io\/v1\/clusternetworkpolicies\); it serves /,
    );
    expect(failure.message).toContain('policy.networking.k8s.io/v1beta1');
    expect(failure.message).toContain('policy.networking.k8s.io/v1alpha2');
  });

  it('refuses the restricted user cluster-wide, naming a ClusterRole', async () => {
    const restricted = kubeConfig(cluster.restrictedKubeconfig);
    const m = cnp('rbac');
    const failure = failureOf(await dryRunPolicy(restricted, m));
    expect(failure).toMatchObject({
      reason: 'forbidden',
      verb: 'get',
      resource: 'clusternetworkpolicies',
      user: 'netglass-restricted',
    });
    expect(failure).not.toHaveProperty('namespace');
    expect(failure.message).toBe(
      `RBAC: user "netglass-restricted" may not get clusternetworkpolicies cluster-wide, so ClusterNetworkPolicy ${m.metadata.name} cannot be written with this context. A cluster administrator can grant it with a ClusterRole that allows "get" on clusternetworkpolicies.`,
    );
  });
});

describe('through the app: dispatcher on a live source', () => {
  let dir: string;
  let manager: SourceManager;
  let dispatcher: Dispatcher;
  let context: string;
  const peer: Peer = { send: () => {} };
  let id = 0;
  const call = async (method: string, params: unknown) =>
    (await dispatcher.handle(peer, { kind: 'request', id: ++id, method, params })).result;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-apply-'));
    manager = new SourceManager({
      loaders: createLoaders(path.join(repo, 'shared/demo/demo-cluster.yaml'), {
        kubeconfig: cluster.adminKubeconfig,
        preferencesFile: path.join(dir, 'preferences.json'),
      }),
      log: () => {},
    });
    dispatcher = new Dispatcher({
      manager,
      appVersion: '0',
      capabilities: ['demo', 'manifests', 'clusters'],
      log: () => {},
    });
  });
  afterAll(() => {
    manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses dry-run while the source is not a cluster', async () => {
    await manager.open({ kind: 'demo' });
    expect(await call('dryRunPolicy', { manifest: manifest('web-app', 80) })).toMatchObject({
      ok: false,
      error: { code: 'no-cluster' },
    });
    expect(await call('getInfo', null)).toMatchObject({
      ok: true,
      value: { capabilities: ['demo', 'manifests', 'clusters', 'dry-run', 'apply'] },
    });
  });

  it('applies only with the token of a dry-run of the very same manifest', async () => {
    const listed = manager.listContexts();
    context = listed.ok ? (listed.value.contexts[0]?.name ?? '') : '';
    const opened = await manager.open({ kind: 'cluster', context });
    expect(opened.ok).toBe(true);

    // No dry-run: refused, nothing written.
    expect(
      await call('applyPolicy', { manifest: manifest('web-app', 80), dryRunToken: 'made-up' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'dry-run-required' },
    });
    expect(getPolicy('web-app')).toBeUndefined();

    const dry = await call('dryRunPolicy', { context, manifest: manifest('web-app', 80) });
    expect(dry.ok).toBe(true);
    if (!dry.ok) return;
    const value = dry.value as DryRunResult;
    expect(value).toMatchObject({ context, operation: 'create', namespace: ns, name: 'web-app' });

    // Another manifest with that token: refused, and the token is spent.
    expect(
      await call('applyPolicy', { manifest: manifest('web-app', 81), dryRunToken: value.dryRunToken }),
    ).toMatchObject({ ok: false, error: { code: 'dry-run-required' } });
    expect(
      await call('applyPolicy', { manifest: manifest('web-app', 80), dryRunToken: value.dryRunToken }),
    ).toMatchObject({ ok: false, error: { code: 'dry-run-required' } });
    expect(getPolicy('web-app')).toBeUndefined();

    // Another context named: refused.
    expect(
      await call('dryRunPolicy', { context: 'elsewhere', manifest: manifest('web-app', 80) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'no-cluster' },
    });

    const dry2 = await call('dryRunPolicy', { manifest: manifest('web-app', 80) });
    if (!dry2.ok) throw new Error(JSON.stringify(dry2.error));
    const token = (dry2.value as DryRunResult).dryRunToken;
    const applied = await call('applyPolicy', {
      context,
      manifest: manifest('web-app', 80),
      dryRunToken: token,
    });
    expect(applied).toMatchObject({
      ok: true,
      value: { operation: 'create', namespace: ns, name: 'web-app' },
    });
    expect(getPolicy('web-app')).toMatchObject({ spec: { ingress: [{ ports: [{ port: 80 }] }] } });
  });

  it('dry-runs and applies a ClusterNetworkPolicy through the API, bound to its token', async () => {
    const m = cnp('app');
    const dry = await call('dryRunPolicy', { manifest: m });
    if (!dry.ok) throw new Error(JSON.stringify(dry.error));
    const value = dry.value as DryRunResult;
    expect(value).toMatchObject({ context, operation: 'create', namespace: '', name: m.metadata.name });
    const applied = await call('applyPolicy', { manifest: m, dryRunToken: value.dryRunToken });
    expect(applied).toMatchObject({
      ok: true,
      value: { operation: 'create', namespace: '', name: m.metadata.name },
    });
    expect(getClusterPolicy(m.metadata.name)).toMatchObject({ spec: { tier: 'Admin' } });
  });

  it('returns the server refusal as policy-rejected with its failure', async () => {
    const m = manifest('web-app-bad', 80);
    const result = await call('dryRunPolicy', {
      manifest: { ...m, spec: { ...m.spec, ingress: [{ ports: [{ protocol: 'TCP', port: 0 }] }] } },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'policy-rejected',
        failure: { reason: 'invalid', causes: [{ field: 'spec.ingress[0].ports[0].port' }] },
      },
    });
  });
});
