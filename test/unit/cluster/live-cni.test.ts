/**
 * A live source names its cluster's CNI from the API groups discovery lists (one CNI's CRD group:
 * that CNI; none or several: none), and the snapshot carries it for the analysis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSource } from '../../../electron/cluster/live-source.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver.ts';

let api: FakeApiServer;

beforeAll(async () => {
  api = await startFakeApiServer();
});

afterAll(async () => {
  await api.close();
});

async function firstSnapshot(): Promise<Snapshot> {
  const resolved = api.kubeConfig();
  let source: LiveSource | undefined;
  try {
    return await new Promise<Snapshot>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no snapshot within 20 s')), 20_000);
      source = new LiveSource({
        kubeConfig: resolved.kubeConfig,
        origin: { context: 'c', server: api.url },
        onSnapshot: (snapshot) => {
          clearTimeout(timer);
          resolve(snapshot);
        },
        onStatus: () => undefined,
      });
      source.start();
    });
  } finally {
    source?.stop();
    resolved.kubeConfig.close();
  }
}

describe('the CNI a live cluster shows', () => {
  it('is named when one CNI group is served', async () => {
    api.groups = ['apps', 'crd.antrea.io'];
    expect((await firstSnapshot()).cni).toEqual({ cni: 'antrea', origin: 'detected' });
  }, 30_000);

  it('is left to the user when none or several are', async () => {
    api.groups = ['apps'];
    expect((await firstSnapshot()).cni).toBeUndefined();
    api.groups = ['k8s.ovn.org', 'crd.antrea.io'];
    expect((await firstSnapshot()).cni).toBeUndefined();
  }, 30_000);
});
