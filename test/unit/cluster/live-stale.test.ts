/**
 * A live source whose watches stay open while the API server cannot serve the truth (etcd down: its
 * watch cache answers, nothing changes) must not keep saying "live": it asks `/readyz` and reports
 * `stale` with the server's failed checks, then `live` again once the server is ready. A fake API
 * server plays the part: empty lists, watches that stay open and silent, and a switchable `/readyz`.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigForContext } from '../../../electron/cluster/kubeconfig-context.ts';
import { loadKubeconfigSet } from '../../../electron/cluster/kubeconfig.ts';
import { LiveSource, type LiveStatus } from '../../../electron/cluster/live-source.ts';

let ready = true;
let server: http.Server;
let port = 0;
const sockets = new Set<net.Socket>();
let dir: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/readyz') {
      res.statusCode = ready ? 200 : 500;
      res.end(ready ? 'ok' : '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n');
      return;
    }
    if (url.pathname === '/apis') {
      res.end(JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] }));
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      // Open and silent, as a watch served from the API server's cache while etcd is down.
      res.writeHead(200);
      res.write('');
      return;
    }
    res.end(
      JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-stale-'));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
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
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: fake
  cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true }
users:
- name: u
  user: { token: secret }
contexts:
- name: c
  context: { cluster: fake, user: u }
`,
    );
    const resolved = kubeConfigForContext(loadKubeconfigSet([file], true));
    if (!resolved.ok) throw new Error(resolved.message);
    const statuses: LiveStatus[] = [];
    const source = new LiveSource({
      kubeConfig: resolved.kubeConfig,
      origin: { context: 'c', server: `http://127.0.0.1:${port}` },
      onSnapshot: () => undefined,
      onStatus: (s) => statuses.push(s),
      healthMs: 50,
    });
    try {
      ready = true;
      source.start();
      await until(statuses, 'live', 'live');
      ready = false;
      const stale = await until(statuses, 'stale', 'stale');
      expect(stale).toMatchObject({
        state: 'stale',
        reason: expect.stringMatching(/not ready \(HTTP 500: etcd failed\)/) as unknown,
      });
      ready = true;
      await until(statuses, 'live', 'live again');
    } finally {
      source.stop();
      resolved.kubeConfig.close();
    }
  }, 60_000);
});
