/**
 * Apply never removes more than its dry-run shows: server-side apply against the real API server.
 * A policy's ownerReferences, finalizers and other managers' labels and annotations survive an apply;
 * the dry-run lists every field that changes (an annotation as well as a port) and nothing else; a
 * field another manager owns is a conflict, named with its manager, that only a forced dry-run
 * (the user's choice) takes over; and an update is bound to the very object the dry-run read.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApplyFailure, DryRunResult } from '../../shared/api/api.ts';
import type { NetworkPolicyManifest } from '../../shared/editor/draft.ts';
import {
  clusterDraftToManifest,
  clusterTemplateById,
  type ClusterPolicyManifest,
} from '../../shared/editor/index.ts';
import { applyPolicy, dryRunPolicy, type DryRunOutcome } from '../../electron/cluster/apply.ts';
import { Dispatcher } from '../../electron/ipc/dispatcher.ts';
import { loadManifests } from '../../electron/manifests/load.ts';
import { SourceManager } from '../../electron/source/manager.ts';
import { attachControlPlane } from '../cluster/control-plane.ts';

const cluster = inject('cluster');
const ns = `ssa-${randomBytes(3).toString('hex')}`;

const kubectl = (args: readonly string[], input?: string): string =>
  execFileSync(cluster.kubectl ?? 'kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], {
    encoding: 'utf8',
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(input !== undefined ? { input } : {}),
  });

function kubeConfig(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}
const admin = (): KubeConfig => kubeConfig(cluster.adminKubeconfig);

type Json = Record<string, unknown>;
interface Stored {
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: Json[];
    managedFields?: { manager: string; operation: string; fieldsV1: Json }[];
    uid: string;
  };
  spec: Json;
}

const get = (kind: string, name: string, namespaced = true): Stored | undefined => {
  try {
    return JSON.parse(
      kubectl(['get', kind, name, ...(namespaced ? ['-n', ns] : []), '-o', 'json', '--show-managed-fields']),
    ) as Stored;
  } catch {
    return undefined;
  }
};

function policy(
  name: string,
  port: number,
  metadata: Partial<NetworkPolicyManifest['metadata']> = {},
): NetworkPolicyManifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns, ...metadata },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port }] }],
    },
  };
}

function value<T>(result: { ok: true; value: T } | { ok: false; failure: ApplyFailure }): T {
  if (!result.ok) throw new Error(`${result.failure.reason}: ${result.failure.message}`);
  return result.value;
}

function failureOf<T>(result: { ok: true; value: T } | { ok: false; failure: ApplyFailure }): ApplyFailure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.failure;
}

/** Dry-run, then apply exactly that plan; returns the dry-run. */
async function dryRunAndApply(manifest: Parameters<typeof dryRunPolicy>[1]): Promise<DryRunOutcome> {
  const dry = value(await dryRunPolicy(admin(), manifest));
  value(await applyPolicy(admin(), manifest, dry));
  return dry;
}

/** Who owns `fields` (a FieldsV1 path like ['f:metadata', 'f:labels', 'f:team']) in managedFields. */
function owners(object: Stored | undefined, fields: readonly string[]): string[] {
  return (object?.metadata.managedFields ?? [])
    .filter((entry) => {
      let node: unknown = entry.fieldsV1;
      for (const f of fields) {
        if (typeof node !== 'object' || node === null || !(f in node)) return false;
        node = (node as Json)[f];
      }
      return true;
    })
    .map((entry) => `${entry.manager}/${entry.operation}`);
}

let ownerUid = '';
const OWNER = () => ({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: ownerUid });

/** Another writer's metadata on a live object: a label, an annotation, an owner reference, a finalizer. */
function decorate(kind: string, name: string, namespaced = true): void {
  const where = namespaced ? ['-n', ns] : [];
  kubectl(['label', kind, name, ...where, 'team=a']);
  kubectl(['annotate', kind, name, ...where, 'other.example.com/by=ops']);
  kubectl([
    'patch',
    kind,
    name,
    ...where,
    '--type=merge',
    '-p',
    JSON.stringify({ metadata: { finalizers: ['example.com/keep'], ownerReferences: [OWNER()] } }),
  ]);
}

function expectKept(object: Stored | undefined): void {
  expect(object?.metadata.finalizers).toEqual(['example.com/keep']);
  expect(object?.metadata.ownerReferences).toEqual([OWNER()]);
  expect(object?.metadata.labels).toMatchObject({ team: 'a' });
  expect(object?.metadata.annotations).toMatchObject({ 'other.example.com/by': 'ops' });
  expect(owners(object, ['f:metadata', 'f:labels', 'f:team'])).toEqual(['kubectl-label/Update']);
}

const cleanup: (() => void)[] = [];

beforeAll(() => {
  kubectl(['create', 'namespace', ns]);
  kubectl(['create', 'configmap', 'owner', '-n', ns]);
  ownerUid = kubectl(['get', 'configmap', 'owner', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
});
afterAll(() => {
  for (const step of cleanup) {
    try {
      step();
    } catch {
      // Already gone.
    }
  }
  kubectl(['delete', 'namespace', ns, '--wait=false']);
});

/** Finalizers hold objects (and their namespace) forever without a controller: drop them at the end. */
function releaseLater(kind: string, name: string, namespaced = true): void {
  cleanup.push(() =>
    kubectl([
      'patch',
      kind,
      name,
      ...(namespaced ? ['-n', ns] : []),
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]),
  );
  if (!namespaced) cleanup.push(() => kubectl(['delete', kind, name, '--wait=false']));
}

describe('server-side apply of a NetworkPolicy', () => {
  it('keeps owner references, finalizers and other managers’ metadata, and the dry-run lists exactly what changes', async () => {
    const name = 'web-keep';
    releaseLater('networkpolicy', name);
    await dryRunAndApply(policy(name, 80, { annotations: { 'example.com/note': 'one' } }));
    decorate('networkpolicy', name);
    const before = get('networkpolicy', name);
    expectKept(before);

    const next = policy(name, 8080, { annotations: { 'example.com/note': 'two' } });
    const dry = value(await dryRunPolicy(admin(), next));
    expect(dry).toMatchObject({ operation: 'update', force: false, conflicts: [], unchanged: false });
    // Every change, outside spec and labels too, and nothing else: not the finalizers, the owner
    // references, nor the other managers' label and annotation.
    expect(dry.changes).toEqual([
      { path: 'metadata.annotations["example.com/note"]', change: 'changed', before: 'one', after: 'two' },
      { path: 'spec.ingress[0].ports[0].port', change: 'changed', before: 80, after: 8080 },
    ]);
    // The dry-run stored nothing.
    expect(get('networkpolicy', name)).toEqual(before);

    const applied = value(await applyPolicy(admin(), next, dry));
    expect(applied.operation).toBe('update');
    const after = get('networkpolicy', name);
    expectKept(after);
    expect(after?.metadata.annotations).toEqual({
      'example.com/note': 'two',
      'other.example.com/by': 'ops',
    });
    expect(after?.spec).toMatchObject({ ingress: [{ ports: [{ port: 8080 }] }] });
    expect(owners(after, ['f:spec', 'f:ingress'])).toEqual(['netglass/Apply']);

    // A field netglass set and the draft no longer has is removed, and the dry-run says so.
    const dropped = policy(name, 8080);
    const dry2 = value(await dryRunPolicy(admin(), dropped));
    expect(dry2.changes).toEqual([
      { path: 'metadata.annotations["example.com/note"]', change: 'removed', before: 'two' },
    ]);
    value(await applyPolicy(admin(), dropped, dry2));
    const last = get('networkpolicy', name);
    expectKept(last);
    expect(last?.metadata.annotations).toEqual({ 'other.example.com/by': 'ops' });
  });

  it('reports a field another manager owns as a conflict with its manager; a forced dry-run takes it over', async () => {
    const name = 'web-conflict';
    releaseLater('networkpolicy', name);
    await dryRunAndApply(policy(name, 80));
    decorate('networkpolicy', name);
    const before = get('networkpolicy', name);

    const wants = policy(name, 80, { labels: { team: 'b' } });
    const failure = failureOf(await dryRunPolicy(admin(), wants));
    expect(failure).toMatchObject({
      reason: 'field-conflict',
      conflicts: [{ field: 'metadata.labels.team', manager: 'kubectl-label' }],
    });
    expect(failure.message).toContain('metadata.labels.team (owned by "kubectl-label")');
    expect(get('networkpolicy', name)).toEqual(before);

    const forced = value(await dryRunPolicy(admin(), wants, { force: true }));
    expect(forced).toMatchObject({
      force: true,
      conflicts: [{ field: 'metadata.labels.team', manager: 'kubectl-label' }],
    });
    expect(forced.changes).toEqual([
      { path: 'metadata.labels.team', change: 'changed', before: 'a', after: 'b' },
    ]);
    expect(get('networkpolicy', name)).toEqual(before);

    value(await applyPolicy(admin(), wants, forced));
    const after = get('networkpolicy', name);
    expect(after?.metadata.labels).toEqual({ team: 'b' });
    expect(owners(after, ['f:metadata', 'f:labels', 'f:team'])).toEqual(['netglass/Apply']);
    expect(after?.metadata.finalizers).toEqual(['example.com/keep']);
    expect(after?.metadata.ownerReferences).toEqual([OWNER()]);
    expect(after?.metadata.annotations).toMatchObject({ 'other.example.com/by': 'ops' });
  });

  it('an apply after another manager changed the policy is refused, never forced', async () => {
    const name = 'web-noforce';
    await dryRunAndApply(policy(name, 80));
    const dry = value(await dryRunPolicy(admin(), policy(name, 81)));
    expect(dry.force).toBe(false);
    // Another manager takes the port over after the dry-run: the apply is refused, not forced.
    kubectl(
      ['apply', '--server-side', '--field-manager=other-team', '--force-conflicts', '-f', '-'],
      JSON.stringify(policy(name, 82)),
    );
    // The server checks field ownership first: the new owner is named, as in a dry-run.
    const failure = failureOf(await applyPolicy(admin(), policy(name, 81), dry));
    expect(failure).toMatchObject({
      reason: 'field-conflict',
      conflicts: [{ field: 'spec.ingress', manager: 'other-team' }],
    });
    expect(get('networkpolicy', name)?.spec).toMatchObject({ ingress: [{ ports: [{ port: 82 }] }] });
  });

  it('takes over what an earlier netglass wrote by replace, listing it, without asking for force', async () => {
    const name = 'web-legacy';
    kubectl(['create', '--field-manager=netglass', '-f', '-'], JSON.stringify(policy(name, 80)));
    expect(owners(get('networkpolicy', name), ['f:spec', 'f:ingress'])).toEqual(['netglass/Update']);
    const dry = value(await dryRunPolicy(admin(), policy(name, 81)));
    expect(dry.force).toBe(true);
    expect(dry.conflicts).toEqual([
      expect.objectContaining({ field: 'spec.ingress', manager: 'netglass' }) as unknown,
    ]);
    expect(dry.changes).toEqual([
      { path: 'spec.ingress[0].ports[0].port', change: 'changed', before: 80, after: 81 },
    ]);
    value(await applyPolicy(admin(), policy(name, 81), dry));
    expect(owners(get('networkpolicy', name), ['f:spec', 'f:ingress'])).toEqual(['netglass/Apply']);
  });

  it('binds an update to the object the dry-run read: deleted or re-created since is a conflict', async () => {
    const name = 'web-gone';
    await dryRunAndApply(policy(name, 80));
    const dry = value(await dryRunPolicy(admin(), policy(name, 81)));
    kubectl(['delete', 'networkpolicy', name, '-n', ns]);
    const gone = failureOf(await applyPolicy(admin(), policy(name, 81), dry));
    expect(gone).toMatchObject({ reason: 'conflict' });
    expect(gone.message).toBe(
      `NetworkPolicy ${ns}/${name} was deleted since the dry-run; run the dry-run again.`,
    );
    // Not created again behind the user's back.
    expect(get('networkpolicy', name)).toBeUndefined();

    await dryRunAndApply(policy(name, 80));
    const dry2 = value(await dryRunPolicy(admin(), policy(name, 81)));
    kubectl(['delete', 'networkpolicy', name, '-n', ns]);
    // Created again by someone else, with the very values the draft sets (so no field conflicts): a
    // different object all the same, which the user did not see.
    kubectl(['create', '-f', '-'], JSON.stringify(policy(name, 81)));
    const replaced = failureOf(await applyPolicy(admin(), policy(name, 81), dry2));
    expect(replaced).toMatchObject({
      reason: 'conflict',
      message: `NetworkPolicy ${ns}/${name} was changed in the cluster since the dry-run; run the dry-run again to see the current differences.`,
    });
    expect(owners(get('networkpolicy', name), ['f:spec', 'f:ingress'])).toEqual(['kubectl-create/Update']);
  });

  it('names the missing permission of a user who may read policies but not patch them', async () => {
    const cp = attachControlPlane(cluster.dir);
    if (cp === undefined) throw new Error(`no control plane in ${cluster.dir}`);
    const user = `reader-${ns}`;
    const file = await cp.addUser(user);
    kubectl(['create', 'role', 'np-reader', '-n', ns, '--verb=get,list,watch', '--resource=networkpolicies']);
    kubectl(['create', 'rolebinding', 'np-reader', '-n', ns, '--role=np-reader', `--user=${user}`]);
    const failure = failureOf(await dryRunPolicy(kubeConfig(file), policy('web-reader', 80)));
    expect(failure).toMatchObject({ reason: 'forbidden', verb: 'patch', resource: 'networkpolicies', user });
    expect(failure.message).toContain('a Role that allows "patch" on networkpolicies');
  });
});

describe('server-side apply of a ClusterNetworkPolicy', () => {
  const cnp = (priority: number, note: string): ClusterPolicyManifest => {
    const m = clusterDraftToManifest(clusterTemplateById('platform-deny-cross-namespace')!.create(ns));
    return {
      ...m,
      metadata: { ...m.metadata, name: `${ns}-keep`, annotations: { 'example.com/note': note } },
      spec: { ...m.spec, priority },
    };
  };

  it('keeps what others set on the cluster-scoped object, and lists the annotation and priority changes only', async () => {
    const name = `${ns}-keep`;
    releaseLater('clusternetworkpolicy', name, false);
    await dryRunAndApply(cnp(100, 'one'));
    decorate('clusternetworkpolicy', name, false);
    const dry = value(await dryRunPolicy(admin(), cnp(120, 'two')));
    expect(dry).toMatchObject({ operation: 'update', namespace: '', force: false });
    expect(dry.changes).toEqual([
      { path: 'metadata.annotations["example.com/note"]', change: 'changed', before: 'one', after: 'two' },
      { path: 'spec.priority', change: 'changed', before: 100, after: 120 },
    ]);
    value(await applyPolicy(admin(), cnp(120, 'two'), dry));
    const after = get('clusternetworkpolicy', name, false);
    expectKept(after);
    expect(after?.spec).toMatchObject({ priority: 120 });
  });
});

describe('through the app: a conflict, then the user forces', () => {
  it('answers policy-rejected with the conflicts, and applies only the forced dry-run’s token', async () => {
    const name = 'web-app-force';
    await dryRunAndApply(policy(name, 80));
    kubectl(['label', 'networkpolicy', name, '-n', ns, 'team=a']);
    const context = 'ssa-admin';
    const kubeconfig = kubeConfig(cluster.adminKubeconfig);
    const manager = new SourceManager({
      loaders: {
        demoPath: path.join(import.meta.dirname, '../../shared/demo/demo-cluster.yaml'),
        loadManifests,
      },
      log: () => {},
    });
    Object.defineProperty(manager, 'liveCluster', { value: { context, kubeConfig: kubeconfig } });
    const dispatcher = new Dispatcher({ manager, appVersion: '0', log: () => {} });
    let id = 0;
    const call = async (method: string, params: unknown) =>
      (await dispatcher.handle({ send: () => {} }, { kind: 'request', id: ++id, method, params })).result;

    const wants = policy(name, 80, { labels: { team: 'b' } });
    expect(await call('dryRunPolicy', { manifest: wants })).toMatchObject({
      ok: false,
      error: {
        code: 'policy-rejected',
        failure: {
          reason: 'field-conflict',
          conflicts: [{ field: 'metadata.labels.team', manager: 'kubectl-label' }],
        },
      },
    });
    const forced = await call('dryRunPolicy', { manifest: wants, force: true });
    if (!forced.ok) throw new Error(JSON.stringify(forced.error));
    const result = forced.value as DryRunResult;
    expect(result).toMatchObject({ fieldManager: 'netglass', force: true, operation: 'update' });
    expect(result.changes).toEqual([
      { path: 'metadata.labels.team', change: 'changed', before: 'a', after: 'b' },
    ]);
    expect(await call('applyPolicy', { manifest: wants, dryRunToken: result.dryRunToken })).toMatchObject({
      ok: true,
      value: { operation: 'update', name },
    });
    expect(get('networkpolicy', name)?.metadata.labels).toEqual({ team: 'b' });
    manager.close();
  });
});
