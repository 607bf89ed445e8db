/**
 * A fake API server for live-source tests: empty lists, watches that stay open and silent, and an
 * `/apis` group list and `/readyz` the test sets; plus a kubeconfig that points at it.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { kubeConfigForContext } from '../../../electron/cluster/kubeconfig-context.ts';
import { loadKubeconfigSet } from '../../../electron/cluster/kubeconfig.ts';

export interface FakeApiServer {
  readonly url: string;
  /** API groups `/apis` lists (names only; no resources are served in them). */
  groups: string[];
  /** Whether `/readyz` answers 200. */
  ready: boolean;
  /** A kubeconfig for the server, resolved to its one context `c`. */
  kubeConfig(): ReturnType<typeof kubeConfigForContext> & { ok: true };
  close(): Promise<void>;
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const sockets = new Set<net.Socket>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-fake-api-'));
  const state = { groups: [] as string[], ready: true };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/readyz') {
      res.statusCode = state.ready ? 200 : 500;
      res.end(state.ready ? 'ok' : '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n');
      return;
    }
    if (url.pathname === '/apis') {
      const groups = state.groups.map((name) => ({
        name,
        versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
        preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
      }));
      res.end(JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups }));
      return;
    }
    if (/^\/apis\/[^/]+\/[^/]+$/.test(url.pathname)) {
      // A group version's resource list: nothing netglass watches.
      res.end(JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', resources: [] }));
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      // Open and silent, as a watch with nothing to say.
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
  const port = (server.address() as net.AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: fake
  cluster: { server: "${url}", insecure-skip-tls-verify: true }
users:
- name: u
  user: { token: secret }
contexts:
- name: c
  context: { cluster: fake, user: u }
`,
  );
  return {
    url,
    get groups() {
      return state.groups;
    },
    set groups(g: string[]) {
      state.groups = g;
    },
    get ready() {
      return state.ready;
    },
    set ready(r: boolean) {
      state.ready = r;
    },
    kubeConfig() {
      const resolved = kubeConfigForContext(loadKubeconfigSet([file], true));
      if (!resolved.ok) throw new Error(resolved.message);
      return resolved;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
