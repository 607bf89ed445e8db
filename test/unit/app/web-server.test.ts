import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../../shared/api/protocol.ts';
import { Dispatcher } from '../../../electron/ipc/dispatcher.ts';
import { SourceManager } from '../../../electron/source/manager.ts';
import { startWebServer, type WebServer } from '../../../electron/web/server.ts';
import { contentSecurityPolicy, lookupStatic } from '../../../electron/web/static.ts';

let dir: string;
let root: string;
let server: WebServer;
const TOKEN = 'test-token-abcdefghijklmnopqrstuvwxyz012345';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-web-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>netglass</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, '.secret'), 'no');
  writeFileSync(join(dir, 'outside.txt'), 'outside');
  symlinkSync(join(dir, 'outside.txt'), join(root, 'assets', 'link.txt'));
  const manager = new SourceManager({
    loaders: {
      demoPath: '/demo.yaml',
      loadManifests: () =>
        Promise.resolve({
          source: { kind: 'manifests', paths: [] },
          namespaces: [{ name: 'shop', labels: {}, declared: true }],
          pods: [],
          policies: [],
          issues: [],
          clusterPolicies: [],
          skippedKinds: {},
        }),
    },
    log: () => {},
  });
  await manager.open({ kind: 'demo' });
  server = await startWebServer({
    rootDir: root,
    dispatcher: new Dispatcher({ manager, appVersion: '0.0.1', log: () => {} }),
    token: TOKEN,
    log: () => {},
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(
  query: string,
  origin: string | null = server.origin,
): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, origin !== null ? { origin } : {});
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once('error', () => resolve({ status: -1 }));
  });
}

describe('web-mode server: the page', () => {
  it('prints a URL on 127.0.0.1 with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('serves index.html only with the right token, never cached', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get('/index.html')).status).toBe(403);
    const ok = await get(`/?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>netglass</title>');
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect(ok.headers['x-frame-options']).toBe('DENY');
    const csp = String(ok.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
  });

  it('refuses other Host headers (DNS rebinding)', async () => {
    expect((await get(`/?token=${TOKEN}`, { Host: 'evil.example' })).status).toBe(403);
    expect((await get(`/?token=${TOKEN}`, { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(`/?token=${TOKEN}`, { Host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get('/assets/app.js', { Host: 'evil.example' })).status).toBe(403);
  });

  it('serves assets with MIME types and refuses traversal, dotfiles, symlink escapes and other methods', async () => {
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await get('/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/../outside.txt')).status).not.toBe(200);
    expect((await get('/assets/..%2f..%2foutside.txt')).status).toBe(403);
    // The URL parser folds %2e%2e into .. and resolves it above the root: the request stays inside.
    expect((await get('/%2e%2e/outside.txt')).status).toBe(404);
    expect((await get('/.secret')).status).toBe(403);
    expect((await get('/assets/link.txt')).status).toBe(403);
    expect((await get('/assets/%E0%A4%A')).status).toBe(400);
    expect((await get('/assets/app.js', {}, 'POST')).status).toBe(405);
  });
});

describe('web-mode server: the WebSocket', () => {
  it('refuses upgrades without the token, with a wrong one, from another origin or with no origin', async () => {
    expect((await openSocket('')).status).toBe(403);
    expect((await openSocket('?token=nope')).status).toBe(403);
    expect((await openSocket(`?token=${TOKEN}`, 'http://evil.example')).status).toBe(403);
    expect((await openSocket(`?token=${TOKEN}`, `http://127.0.0.1:${server.port + 1}`)).status).toBe(403);
    expect((await openSocket(`?token=${TOKEN}`, null)).status).toBe(403);
  });

  it('speaks the API: requests, events, and refuses junk', async () => {
    const { ws } = await openSocket(`?token=${TOKEN}`);
    expect(ws).toBeDefined();
    if (ws === undefined) return;
    const messages: ServerMessage[] = [];
    const waitFor = (predicate: (m: ServerMessage) => boolean) =>
      new Promise<ServerMessage>((resolve) => {
        const found = messages.find(predicate);
        if (found) return resolve(found);
        const onMessage = () => {
          const hit = messages.find(predicate);
          if (hit) {
            ws.off('message', onMessage);
            resolve(hit);
          }
        };
        ws.on('message', onMessage);
      });
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as ServerMessage));

    ws.send(JSON.stringify({ kind: 'request', id: 1, method: 'getInfo', params: null }));
    expect(await waitFor((m) => m.kind === 'response' && m.id === 1)).toMatchObject({
      result: { ok: true, value: { version: '0.0.1' } },
    });

    ws.send(JSON.stringify({ kind: 'request', id: 2, method: 'subscribe', params: null }));
    const snapshot = await waitFor((m) => m.kind === 'event' && m.event.type === 'snapshot');
    expect(snapshot).toMatchObject({ event: { revision: 1, snapshot: { source: { kind: 'demo' } } } });

    ws.send('not json');
    expect(await waitFor((m) => m.kind === 'response' && m.id === null)).toMatchObject({
      result: { ok: false, error: { code: 'invalid-request' } },
    });
    ws.send(
      JSON.stringify({
        kind: 'request',
        id: 3,
        method: 'openSource',
        params: { kind: 'manifests', paths: 'x' },
      }),
    );
    expect(await waitFor((m) => m.kind === 'response' && m.id === 3)).toMatchObject({
      result: { ok: false, error: { field: 'params.paths' } },
    });
    ws.close();
  });

  it('closes a connection that sends an oversized frame', async () => {
    const { ws } = await openSocket(`?token=${TOKEN}`);
    if (ws === undefined) throw new Error('no socket');
    const code = await new Promise<number>((resolve) => {
      ws.once('close', (c) => resolve(c));
      ws.send('x'.repeat(200 * 1024));
    });
    expect(code).toBe(1009);
  });
});

describe('static helpers', () => {
  it('lookupStatic stays under the root', async () => {
    expect(await lookupStatic(root, '/index.html')).toMatchObject({
      ok: true,
      mimeType: 'text/html; charset=utf-8',
    });
    expect(await lookupStatic(root, '/assets')).toMatchObject({ ok: false, status: 404 });
    expect(await lookupStatic(root, '/a\\b')).toMatchObject({ ok: false, status: 400 });
    expect(await lookupStatic(root, '/x%00.js')).toMatchObject({ ok: false, status: 400 });
  });

  it('the CSP allows no inline code', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
