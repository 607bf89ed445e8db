/**
 * Live reads against a fake API server that misbehaves on purpose: stopping aborts lists and
 * watches in flight at once, a list without an answer times out, a 401 is told apart from a 403 and
 * retried with renewed credentials, and the CLI's one-shot read exits right after its timeout
 * instead of waiting for the HTTP client's 300 s header timeout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApisApi, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigForContext } from '../../../electron/cluster/kubeconfig-context.ts';
import { loadKubeconfigSet } from '../../../electron/cluster/kubeconfig.ts';
import { Reflector, type KubeObject, type ReflectorState } from '../../../electron/cluster/reflector.ts';
import { requestOptions } from '../../../electron/cluster/request-signal.ts';
import type { SessionKubeConfig } from '../../../electron/cluster/session-kubeconfig.ts';

const repo = path.resolve(import.meta.dirname, '../../..');

/** An API server that answers as `handle` says; `handle` returning false leaves the request hanging. */
class FakeServer {
  /** Every request, and whether its connection was closed before an answer (the client aborted). */
  readonly requests: { url: string; authorization: string | undefined; aborted: boolean }[] = [];
  readonly #sockets = new Set<net.Socket>();
  readonly #server: http.Server;
  port = 0;

  constructor(handle: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
    this.#server = http.createServer((req, res) => {
      const request = { url: req.url ?? '', authorization: req.headers.authorization, aborted: false };
      this.requests.push(request);
      res.on('close', () => {
        if (!res.writableEnded) request.aborted = true;
      });
      handle(req, res);
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

let dir: string;
const servers: FakeServer[] = [];
const reflectors: Reflector<KubeObject>[] = [];
const sessions: SessionKubeConfig[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-live-requests-'));
});
afterEach(async () => {
  for (const r of reflectors.splice(0)) r.stop();
  for (const s of sessions.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function serve(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Promise<FakeServer> {
  const server = await new FakeServer(handle).listen();
  servers.push(server);
  return server;
}

let files = 0;
/** A kubeconfig for the fake server (plain HTTP, which client-node allows with TLS checks off). */
function kubeconfigFor(server: FakeServer, user: string): string {
  const file = path.join(dir, `config-${files++}`);
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: fake
  cluster: { server: "http://127.0.0.1:${server.port}", insecure-skip-tls-verify: true }
users:
- name: u
  user: ${user}
contexts:
- name: c
  context: { cluster: fake, user: u }
`,
  );
  return file;
}

function session(file: string): SessionKubeConfig {
  const resolved = kubeConfigForContext(loadKubeconfigSet([file], true));
  if (!resolved.ok) throw new Error(resolved.message);
  sessions.push(resolved.kubeConfig);
  return resolved.kubeConfig;
}

function namespaces(
  kc: SessionKubeConfig,
  states: ReflectorState[],
  listTimeoutMs?: number,
): Reflector<KubeObject> {
  const core = kc.makeApiClient(CoreV1Api);
  const reflector = new Reflector<KubeObject>({
    kubeConfig: kc,
    path: '/api/v1/namespaces',
    listPage: (token, limit, signal) =>
      core.listNamespace(
        { limit, ...(token !== undefined ? { _continue: token } : {}) },
        requestOptions(signal),
      ),
    onEvent: () => {},
    onState: (state) => states.push(state),
    ...(listTimeoutMs !== undefined ? { listTimeoutMs } : {}),
  });
  reflectors.push(reflector);
  return reflector;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const EMPTY_LIST = JSON.stringify({
  kind: 'NamespaceList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '7' },
  items: [],
});
const status = (code: number, reason: string, message: string): string =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });

describe('aborts and timeouts', () => {
  it('stop() aborts a list in flight at once', { timeout: 30_000 }, async () => {
    const server = await serve(() => false);
    const states: ReflectorState[] = [];
    const reflector = namespaces(session(kubeconfigFor(server, '{ token: t }')), states);
    reflector.start();
    await until(() => server.requests.length === 1, 'the list request');
    reflector.stop();
    await until(() => server.requests[0]?.aborted === true, 'the list request to be aborted');
    expect(states.map((s) => s.phase)).toEqual(['connecting', 'stopped']);
  });

  it('stop() aborts a watch that is still connecting', { timeout: 30_000 }, async () => {
    const server = await serve((req, res) => {
      if (req.url?.includes('watch=true')) return false;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(EMPTY_LIST);
      return true;
    });
    const reflector = namespaces(session(kubeconfigFor(server, '{ token: t }')), []);
    reflector.start();
    const watch = (): { aborted: boolean } | undefined =>
      server.requests.find((r) => r.url.includes('watch=true'));
    await until(() => watch() !== undefined, 'the watch request');
    reflector.stop();
    await until(() => watch()?.aborted === true, 'the watch request to be aborted');
  });

  it('a list without an answer times out, and is retried with backoff', { timeout: 30_000 }, async () => {
    const server = await serve(() => false);
    const states: ReflectorState[] = [];
    namespaces(session(kubeconfigFor(server, '{ token: t }')), states, 300).start();
    await until(() => states.some((s) => s.phase === 'reconnecting'), 'the timeout');
    expect(states.find((s) => s.phase === 'reconnecting')).toMatchObject({
      reason: 'no answer to the list of /api/v1/namespaces within 0.3 s',
      attempt: 1,
    });
  });

  it('closing a context aborts every request through it (discovery too)', { timeout: 30_000 }, async () => {
    const server = await serve(() => false);
    const kc = session(kubeconfigFor(server, '{ token: t }'));
    const pending = kc
      .makeApiClient(ApisApi)
      .getAPIVersions()
      .then(
        () => 'answered',
        (error: unknown) => (error as Error).name,
      );
    await until(() => server.requests.length === 1, 'the discovery request');
    kc.close();
    expect(await pending).toBe('SessionClosedError');
    await until(() => server.requests[0]?.aborted === true, 'the request to be aborted');
  });

  it(
    'the CLI one-shot read exits right after its timeout, not after the HTTP client gives up',
    { timeout: 60_000 },
    async () => {
      const server = await serve(() => false);
      const kubeconfig = kubeconfigFor(server, '{ token: t }');
      const script = `
      import { readClusterOnce } from ${JSON.stringify(path.join(repo, 'electron/cluster/read-once.ts'))};
      const result = await readClusterOnce(${JSON.stringify(kubeconfig)}, undefined, 1000);
      process.stdout.write(JSON.stringify(result));
    `;
      // Without aborts the process would live on until undici's 300 s header timeout; the test's own
      // timeout is far below that.
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        ok: false,
        message: `cannot read cluster of context "c" (http://127.0.0.1:${server.port}): no complete answer within 1 s`,
      });
      // It did reach the server, which never answered.
      expect(server.requests.length).toBeGreaterThan(0);
    },
  );
});

describe('401 and 403', () => {
  it('a 403 is forbidden: RBAC, not retried', { timeout: 30_000 }, async () => {
    const server = await serve((_req, res) => {
      res
        .writeHead(403, { 'Content-Type': 'application/json' })
        .end(status(403, 'Forbidden', 'namespaces is forbidden: User "u" cannot list resource "namespaces"'));
      return true;
    });
    const states: ReflectorState[] = [];
    namespaces(session(kubeconfigFor(server, '{ token: t }')), states).start();
    await until(() => states.some((s) => s.phase === 'forbidden'), 'forbidden');
    expect(states.at(-1)).toEqual({
      phase: 'forbidden',
      reason: 'HTTP 403: namespaces is forbidden: User "u" cannot list resource "namespaces"',
    });
  });

  it(
    'a 401 names the rejected credentials, and a renewed token file is picked up',
    { timeout: 30_000 },
    async () => {
      const token = path.join(dir, 'rotating-token');
      fs.writeFileSync(token, 'expired');
      const server = await serve((req, res) => {
        if (req.headers.authorization !== 'Bearer renewed') {
          res
            .writeHead(401, { 'Content-Type': 'application/json' })
            .end(status(401, 'Unauthorized', 'Unauthorized'));
        } else if (req.url?.includes('watch=true')) {
          res.writeHead(200, { 'Content-Type': 'application/json' }).flushHeaders();
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(EMPTY_LIST);
        }
        return true;
      });
      const states: ReflectorState[] = [];
      namespaces(session(kubeconfigFor(server, `{ tokenFile: ${token} }`)), states).start();
      await until(() => states.some((s) => s.phase === 'reconnecting'), 'the 401');
      const rejected = states.find((s) => s.phase === 'reconnecting');
      expect(rejected).toMatchObject({
        status: 401,
        reason:
          'the API server rejected the credentials of user "u" (context "c") (HTTP 401: Unauthorized); they may have expired: log in again or renew them',
      });
      expect(states.some((s) => s.phase === 'forbidden')).toBe(false);
      // The token is renewed (as a credential helper would); within client-go's one-minute cache,
      // only the 401 makes it be read again.
      fs.writeFileSync(token, 'renewed');
      await until(() => states.at(-1)?.phase === 'live', 'live with the renewed token');
      expect(server.requests.map((r) => r.authorization)).toContain('Bearer renewed');
    },
  );
});
