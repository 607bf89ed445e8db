/**
 * A burst against the real API server: 1,000 pods created and half of them deleted as fast as the
 * server takes them, while the app follows through the source manager and the renderer's store. Every
 * change after the first snapshot must arrive as a delta, and the app must end holding exactly what
 * the server holds: no event lost, no phantom left.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readClusterOnce } from '../../electron/cluster/read-once.ts';
import { createLoaders } from '../../electron/source/loaders.ts';
import { SourceManager } from '../../electron/source/manager.ts';
import { createSourceStore } from '../../renderer/src/store/source-store.ts';
import type { ApiEvent } from '../../shared/api/api.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const PODS = 1000;

/** Runs `tasks` with at most `width` in flight. */
async function pool(tasks: readonly (() => Promise<unknown>)[], width: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task !== undefined) await task();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/** What the comparison is about: every pod and policy of the namespace, by name, with their labels. */
function inNamespace(s: Snapshot | undefined, ns: string): string[] {
  return (s?.pods ?? [])
    .filter((p) => p.namespace === ns)
    .map((p) => `${p.name} ${JSON.stringify(p.labels)}`)
    .sort();
}

describe('a burst of 1,000 creates and deletes', () => {
  const cluster = inject('cluster');
  const ns = `burst-${randomBytes(3).toString('hex')}`;
  let dir: string;
  let manager: SourceManager;
  let core: k8s.CoreV1Api;
  const events: ApiEvent[] = [];
  const store = createSourceStore();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-burst-'));
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.adminKubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    manager = new SourceManager({
      loaders: createLoaders(path.join(repo, 'shared/demo/demo-cluster.yaml'), {
        kubeconfig: cluster.adminKubeconfig,
        preferencesFile: path.join(dir, 'preferences.json'),
      }),
    });
    manager.subscribe((e) => {
      events.push(e);
      store.getState().applyEvent(e);
    });
  }, 60_000);

  afterAll(async () => {
    manager.close();
    await core.deleteNamespace({ name: ns }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends with the app holding what the server holds, every change a delta', async () => {
    const listed = manager.listContexts();
    const context = listed.ok ? (listed.value.contexts[0]?.name ?? '') : '';
    const opened = await manager.open({ kind: 'cluster', context });
    expect(opened.ok).toBe(true);
    const wholeBefore = events.filter((e) => e.type === 'snapshot').length;

    const name = (i: number): string => `p-${String(i).padStart(4, '0')}`;
    const create = (i: number) => () =>
      core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: name(i), labels: { app: `a${i % 7}`, tier: i % 2 ? 'web' : 'db' } },
          spec: {
            containers: [{ name: 'c', image: 'example.invalid/none', ports: [{ containerPort: 80 }] }],
          },
        },
      });
    // Unscheduled pods (no kubelet here) are deleted at once: the delete events follow right away.
    const remove = (i: number) => () => core.deleteNamespacedPod({ namespace: ns, name: name(i) });
    const started = Date.now();
    await pool(
      Array.from({ length: PODS }, (_, i) => create(i)),
      16,
    );
    await pool(
      Array.from({ length: PODS / 2 }, (_, i) => remove(i * 2)),
      16,
    );
    const written = Date.now();

    const server = (await core.listNamespacedPod({ namespace: ns })).items
      .map((p) => `${p.metadata?.name ?? ''} ${JSON.stringify(p.metadata?.labels ?? {})}`)
      .sort();
    expect(server).toHaveLength(PODS / 2);
    const deadline = Date.now() + 60_000;
    while (inNamespace(store.getState().snapshot, ns).join('\n') !== server.join('\n')) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const settled = Date.now();
    expect(inNamespace(store.getState().snapshot, ns)).toEqual(server);
    // Not a timed assertion (a busy machine must not fail it): the figure goes to the log.
    console.log(
      `burst: ${PODS} creates + ${PODS / 2} deletes written in ${written - started} ms; ` +
        `the app matched the server ${settled - written} ms after the last write`,
    );

    // Every change after the first snapshot travelled as a delta.
    expect(events.filter((e) => e.type === 'snapshot').length).toBe(wholeBefore);
    const deltas = events.filter((e): e is Extract<ApiEvent, { type: 'delta' }> => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.reduce((n, d) => n + d.change.deltas.length, 0)).toBeGreaterThanOrEqual(PODS / 2);

    // And the whole snapshot the app holds is what a fresh read of the cluster gives.
    const fresh = await readClusterOnce(cluster.adminKubeconfig, context, 60_000);
    expect(fresh.ok).toBe(true);
    if (!fresh.ok) return;
    const key = (s: Snapshot | undefined) => ({
      namespaces: [...(s?.namespaces ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
      pods: [...(s?.pods ?? [])].sort((a, b) =>
        `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
      ),
      policies: [...(s?.policies ?? [])].sort((a, b) =>
        `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
      ),
      clusterPolicies: [...(s?.clusterPolicies ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    });
    // Integration files run one after another, so nothing else changes the cluster meanwhile.
    expect(key(store.getState().snapshot)).toEqual(key(fresh.snapshot));
  }, 240_000);
});
