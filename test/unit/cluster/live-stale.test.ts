/**
 * A live source whose watches stay open while the API server cannot serve the truth (etcd down: its
 * watch cache answers, nothing changes) must not keep saying "live": it asks `/readyz` and reports
 * `stale` with the server's failed checks, then `live` again once the server is ready. A fake API
 * server plays the part: empty lists, watches that stay open and silent, and a switchable `/readyz`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSource, type LiveStatus } from '../../../electron/cluster/live-source.ts';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver.ts';

let api: FakeApiServer;

beforeAll(async () => {
  api = await startFakeApiServer();
});

afterAll(async () => {
  await api.close();
});

async function until(statuses: LiveStatus[], state: LiveStatus['state'], what: string): Promise<LiveStatus> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const last = statuses.at(-1);
    if (last?.state === state) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}; statuses ${JSON.stringify(statuses)}`);
}

describe('a live source whose API server is not ready', () => {
  it('goes from live to stale with the failed checks, and back to live', async () => {
    const resolved = api.kubeConfig();
    const statuses: LiveStatus[] = [];
    const source = new LiveSource({
      kubeConfig: resolved.kubeConfig,
      origin: { context: 'c', server: api.url },
      onSnapshot: () => undefined,
      onStatus: (s) => statuses.push(s),
      healthMs: 50,
    });
    try {
      api.ready = true;
      source.start();
      await until(statuses, 'live', 'live');
      api.ready = false;
      const stale = await until(statuses, 'stale', 'stale');
      expect(stale).toMatchObject({
        state: 'stale',
        reason: expect.stringMatching(/not ready \(HTTP 500: etcd failed\)/) as unknown,
      });
      api.ready = true;
      await until(statuses, 'live', 'live again');
    } finally {
      source.stop();
      resolved.kubeConfig.close();
    }
  }, 60_000);
});
