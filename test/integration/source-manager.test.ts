/**
 * The app's source manager on a live context: what the UI receives through the typed API when a
 * user switches to a cluster and someone changes it with kubectl.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApiEvent, SourceStatus } from '../../shared/api/api.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { createLoaders } from '../../electron/source/loaders.ts';
import { SourceManager } from '../../electron/source/manager.ts';
import { createSourceStore } from '../../renderer/src/store/source-store.ts';

const repo = path.resolve(import.meta.dirname, '../..');

describe('switching to a live context', () => {
  const cluster = inject('cluster');
  const ns = `mgr-${randomBytes(3).toString('hex')}`;
  let dir: string;
  let manager: SourceManager;
  const events: ApiEvent[] = [];
  // The renderer's store, fed the events as the app feeds it: live changes arrive as deltas.
  const store = createSourceStore();
  const kubectl = (...args: string[]): string =>
    execFileSync(cluster.kubectl ?? 'kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], {
      encoding: 'utf8',
    });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-mgr-'));
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
    kubectl('create', 'namespace', ns);
  });
  afterAll(() => {
    manager.close();
    kubectl('delete', 'namespace', ns, '--wait=false');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const latestSnapshot = (): Snapshot | undefined => store.getState().snapshot;

  async function until<T>(read: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = read();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('lists the contexts of the kubeconfig, with the file and the current one', () => {
    const listed = manager.listContexts();
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    expect(listed.value.files).toEqual([cluster.adminKubeconfig]);
    expect(listed.value.contexts).toHaveLength(1);
    expect(listed.value.contexts[0]).toMatchObject({
      current: true,
      file: cluster.adminKubeconfig,
      auth: 'client-certificate',
      insecureSkipTlsVerify: false,
    });
  });

  it('opens the context live and follows a change made with kubectl', async () => {
    const listed = manager.listContexts();
    const context = listed.ok ? listed.value.contexts[0]?.name : undefined;
    expect(context).toBeDefined();
    const opened = await manager.open({ kind: 'cluster', context: context ?? '' });
    expect(opened.ok).toBe(true);
    const status = manager.status as Extract<SourceStatus, { state: 'ready' }>;
    expect(status.state).toBe('ready');
    expect(status.source).toMatchObject({ kind: 'cluster', context });
    expect(latestSnapshot()?.namespaces.some((n) => n.name === ns)).toBe(true);

    kubectl(
      'apply',
      '-f',
      writeManifest(
        dir,
        `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: ${ns} }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`,
      ),
    );
    const snap = await until(() => {
      const s = latestSnapshot();
      return s?.policies.some((p) => p.namespace === ns && p.name === 'default-deny') ? s : undefined;
    }, 'the policy applied with kubectl');
    expect(snap.policies.find((p) => p.namespace === ns)?.policyTypes).toEqual(['Ingress', 'Egress']);
    // The change came as a delta of that one object, not as the whole cluster again.
    const delta = events.findLast((e): e is Extract<ApiEvent, { type: 'delta' }> => e.type === 'delta');
    expect(delta?.change.deltas.map((d) => d.kind)).toEqual(['upsertPolicy']);
    await until(() => {
      const s = manager.status;
      return s.state === 'ready' && s.connection?.state === 'live' ? s : undefined;
    }, 'a live connection');
  });

  it('an unknown context fails with the contexts that exist', async () => {
    const opened = await manager.open({ kind: 'cluster', context: 'no-such-context' });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error.code).toBe('kubeconfig');
    expect(opened.error.message).toMatch(/context "no-such-context" not found .*\(contexts: /);
  });
});

function writeManifest(dir: string, text: string): string {
  const file = path.join(dir, `${randomBytes(4).toString('hex')}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}
