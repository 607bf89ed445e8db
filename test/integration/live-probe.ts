/**
 * Test helpers for the live source against a real API server: a LiveSource that records what it
 * reports and waits for conditions on it (liveness, never timing assertions), and fake pods.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import { kubeConfigForContext } from '../../electron/cluster/kubeconfig-context.ts';
import { loadKubeconfigSet } from '../../electron/cluster/kubeconfig.ts';
import { LiveSource, type LiveStatus } from '../../electron/cluster/live-source.ts';
import { applySnapshotChange } from '../../shared/model/delta.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { setPodIP } from '../cluster/control-plane.ts';

export const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** kubectl with the given kubeconfig; a manifest goes in on stdin. */
export function kubectl(bin: string | undefined, kubeconfig: string, args: string[], input?: string): string {
  return execFileSync(bin ?? 'kubectl', ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    ...(input !== undefined ? { input } : {}),
  });
}

/** A running LiveSource that records everything it reports. */
export class Probe {
  readonly statuses: LiveStatus[] = [];
  snapshot: Snapshot | undefined;
  /** The snapshot as a client rebuilds it: the first whole one, then every change applied to it. */
  replica: Snapshot | undefined;
  /** How many changes (not whole snapshots) arrived. */
  changes = 0;
  readonly source: LiveSource;

  constructor(
    kubeconfigFile: string,
    fallbackNamespaces: readonly string[] = [],
    options: { readonly rediscoverMs?: number } = {},
  ) {
    const resolved = kubeConfigForContext(loadKubeconfigSet([kubeconfigFile], true));
    if (!resolved.ok) throw new Error(resolved.message);
    const origin = { context: resolved.context.name, server: resolved.context.server ?? '' };
    this.source = new LiveSource({
      kubeConfig: resolved.kubeConfig,
      fallbackNamespaces,
      origin,
      onSnapshot: (s, change) => {
        this.snapshot = s;
        if (change !== undefined && this.replica !== undefined) {
          this.replica = applySnapshotChange(this.replica, change);
          this.changes++;
        } else this.replica = s;
      },
      onStatus: (s) => this.statuses.push(s),
      ...options,
    });
    this.source.start();
  }

  /** Polls until `predicate` holds for the latest snapshot. */
  async until(predicate: (s: Snapshot) => boolean, what: string, timeoutMs = 20_000): Promise<Snapshot> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.snapshot !== undefined && predicate(this.snapshot)) return this.snapshot;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify(this.source.status)}`);
  }

  async untilStatus(
    predicate: (s: LiveStatus) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<LiveStatus> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.source.status)) return this.source.status;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; statuses ${JSON.stringify(this.statuses)}`);
  }
}

export const podNames = (s: Snapshot, ns: string): string[] =>
  s.pods
    .filter((p) => p.namespace === ns)
    .map((p) => p.name)
    .sort();

/** A pod without a kubelet: nodeName skips scheduling, setPodIP plays the kubelet. */
export async function createPod(
  core: k8s.CoreV1Api,
  kubeconfig: string,
  ns: string,
  name: string,
  labels: Record<string, string>,
  ip: string,
): Promise<void> {
  await core.createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name, labels },
      spec: {
        nodeName: 'fake-node',
        containers: [
          { name: 'main', image: 'registry.invalid/app:1', ports: [{ name: 'http', containerPort: 8080 }] },
        ],
      },
    },
  });
  await setPodIP(kubeconfig, ns, name, ip);
}
