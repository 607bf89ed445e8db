import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../../shared/api/api.ts';
import { EVENT_CHANNEL, REQUEST_CHANNEL, type ServerMessage } from '../../../shared/api/protocol.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { Dispatcher, type Peer } from '../../../electron/ipc/dispatcher.ts';
import {
  registerIpc,
  type IpcMainLike,
  type InvokeEventLike,
  type WebContentsLike,
} from '../../../electron/ipc/register.ts';
import { APP_ENTRY_URL, isTrustedSender, isTrustedSenderUrl } from '../../../electron/ipc/sender.ts';
import { loadError, SourceManager, type SourceLoaders } from '../../../electron/source/manager.ts';
import { parseAppArgs } from '../../../electron/web/args.ts';
import { browserCommand } from '../../../electron/web/open-browser.ts';
import { createToken, tokenMatches } from '../../../electron/web/token.ts';

const snap = (paths: readonly string[]): Snapshot => ({
  source: { kind: 'manifests', paths },
  namespaces: [{ name: 'a', labels: {}, declared: true }],
  pods: [],
  policies: [],
  issues: [],
  clusterPolicies: [],
  skippedKinds: {},
});

function loaders(impl?: SourceLoaders['loadManifests']): SourceLoaders {
  return { demoPath: '/demo.yaml', loadManifests: impl ?? ((paths) => Promise.resolve(snap(paths))) };
}

const quiet = () => {};

describe('SourceManager', () => {
  it('loads the demo through the manifest loader and marks it as the demo', async () => {
    const load = vi.fn((paths: readonly string[]) => Promise.resolve(snap(paths)));
    const manager = new SourceManager({
      loaders: loaders(load),
      now: () => new Date('2025-01-02T03:04:05Z'),
      log: quiet,
    });
    const events: ApiEvent[] = [];
    manager.subscribe((e) => events.push(e));
    const result = await manager.open({ kind: 'demo' });
    expect(load).toHaveBeenCalledWith(['/demo.yaml']);
    expect(result).toEqual({
      ok: true,
      value: { state: 'ready', source: { kind: 'demo' }, revision: 1, loadedAt: '2025-01-02T03:04:05.000Z' },
    });
    expect(events.map((e) => (e.type === 'source' ? e.status.state : e.type))).toEqual([
      'idle',
      'loading',
      'snapshot',
      'ready',
    ]);
    expect(manager.snapshot?.source).toEqual({ kind: 'demo' });
  });

  it('replays status and snapshot to new subscribers', async () => {
    const manager = new SourceManager({ loaders: loaders(), log: quiet });
    await manager.open({ kind: 'manifests', paths: ['/x.yaml'] });
    const events: ApiEvent[] = [];
    manager.subscribe((e) => events.push(e));
    expect(events.map((e) => e.type)).toEqual(['source', 'snapshot']);
  });

  it('turns loader failures into errors a user can act on', async () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/nope.yaml' });
    const manager = new SourceManager({ loaders: loaders(async () => Promise.reject(enoent)), log: quiet });
    const result = await manager.open({ kind: 'manifests', paths: ['/nope.yaml'] });
    expect(result).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such file or directory: /nope.yaml', path: '/nope.yaml' },
    });
    expect(manager.status).toMatchObject({ state: 'failed', error: { code: 'not-found' } });
    expect(
      loadError({ kind: 'demo' }, Object.assign(new Error('x'), { code: 'EACCES', path: '/p' })),
    ).toMatchObject({ code: 'unreadable' });
    expect(loadError({ kind: 'demo' }, new Error('bad yaml'))).toMatchObject({
      code: 'load-failed',
      source: 'demo',
    });
  });

  it('says live clusters are not supported yet', async () => {
    const manager = new SourceManager({ loaders: loaders(), log: quiet });
    expect(await manager.open({ kind: 'cluster', context: 'dev' })).toMatchObject({
      ok: false,
      error: { code: 'not-supported', feature: 'clusters' },
    });
  });

  it('lets a newer open supersede one still loading', async () => {
    let release: (() => void) | undefined;
    const slow = new Promise<void>((r) => (release = r));
    const manager = new SourceManager({
      loaders: loaders(async (paths) => {
        if (paths[0] === '/slow.yaml') await slow;
        return snap(paths);
      }),
      log: quiet,
    });
    const first = manager.open({ kind: 'manifests', paths: ['/slow.yaml'] });
    await manager.open({ kind: 'manifests', paths: ['/fast.yaml'] });
    release?.();
    await first;
    expect(manager.snapshot?.source).toEqual({ kind: 'manifests', paths: ['/fast.yaml'] });
  });

  it('reloads the last source, and refuses before any', async () => {
    const load = vi.fn((paths: readonly string[]) => Promise.resolve(snap(paths)));
    const manager = new SourceManager({ loaders: loaders(load), log: quiet });
    expect(await manager.reload()).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await manager.open({ kind: 'manifests', paths: ['/x.yaml'] });
    expect(await manager.reload()).toMatchObject({ ok: true, value: { revision: 2 } });
    expect(load).toHaveBeenCalledTimes(2);
  });
});

function peer(): Peer & { messages: ServerMessage[] } {
  const messages: ServerMessage[] = [];
  return { messages, send: (m) => messages.push(m) };
}

describe('Dispatcher', () => {
  const make = () => {
    const manager = new SourceManager({ loaders: loaders(), log: quiet });
    return { manager, dispatcher: new Dispatcher({ manager, appVersion: '1.2.3', log: quiet }) };
  };

  it('answers valid requests and refuses invalid ones with the request id when it has one', async () => {
    const { dispatcher } = make();
    const p = peer();
    expect(
      await dispatcher.handle(p, { kind: 'request', id: 1, method: 'getInfo', params: null }),
    ).toMatchObject({
      kind: 'response',
      id: 1,
      result: { ok: true, value: { name: 'netglass', version: '1.2.3', apiVersion: 1 } },
    });
    expect(
      await dispatcher.handle(p, { kind: 'request', id: 2, method: 'rm -rf', params: null }),
    ).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'unknown-method' } },
    });
    expect(await dispatcher.handle(p, 'junk')).toMatchObject({
      id: null,
      result: { ok: false, error: { code: 'invalid-request' } },
    });
    expect(
      await dispatcher.handle(p, { kind: 'request', id: 3, method: 'listContexts', params: null }),
    ).toMatchObject({
      result: { ok: false, error: { code: 'not-supported' } },
    });
  });

  it('pushes events to subscribed peers until they unsubscribe or detach', async () => {
    const { dispatcher, manager } = make();
    const p = peer();
    await dispatcher.handle(p, { kind: 'request', id: 1, method: 'subscribe', params: null });
    expect(p.messages).toEqual([{ kind: 'event', event: { type: 'source', status: { state: 'idle' } } }]);
    await dispatcher.handle(p, { kind: 'request', id: 2, method: 'openSource', params: { kind: 'demo' } });
    expect(p.messages.map((m) => (m.kind === 'event' ? m.event.type : m.kind))).toEqual([
      'source',
      'source',
      'snapshot',
      'source',
    ]);
    expect(dispatcher.peerCount).toBe(1);
    dispatcher.detach(p);
    expect(dispatcher.peerCount).toBe(0);
    expect(manager.subscriberCount).toBe(0);
  });

  it('reports unexpected failures as internal errors without details', async () => {
    const manager = new SourceManager({ loaders: loaders(), log: quiet });
    vi.spyOn(manager, 'open').mockRejectedValue(new Error('secret detail'));
    const dispatcher = new Dispatcher({ manager, appVersion: '1', log: quiet });
    const response = await dispatcher.handle(peer(), {
      kind: 'request',
      id: 9,
      method: 'openSource',
      params: { kind: 'demo' },
    });
    expect(response.result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(response)).not.toContain('secret detail');
  });
});

describe('IPC sender check', () => {
  it('trusts only the app origin, top-level frame', () => {
    expect(isTrustedSenderUrl(APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSenderUrl('app://netglass/assets/x.js')).toBe(true);
    expect(isTrustedSenderUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedSenderUrl('file:///work/out/renderer/index.html')).toBe(false);
    expect(isTrustedSenderUrl('https://netglass/index.html')).toBe(false);
    expect(isTrustedSenderUrl('app://user:pw@netglass/')).toBe(false);
    expect(isTrustedSenderUrl('not a url')).toBe(false);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('registerIpc refuses untrusted senders and routes events to the sender', async () => {
    let handler: ((event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) | undefined;
    const removeHandler = vi.fn();
    const ipcMain: IpcMainLike = {
      handle: (channel, h) => {
        expect(channel).toBe(REQUEST_CHANNEL);
        handler = h;
      },
      removeHandler,
    };
    const sent: [string, unknown][] = [];
    let destroyed: (() => void) | undefined;
    const contents: WebContentsLike = {
      id: 1,
      send: (channel, message) => sent.push([channel, message]),
      isDestroyed: () => false,
      once: (_event, listener) => (destroyed = listener),
    };
    const manager = new SourceManager({ loaders: loaders(), log: quiet });
    const dispatcher = new Dispatcher({ manager, appVersion: '1', log: quiet });
    const unregister = registerIpc({ ipcMain, dispatcher, log: quiet });

    const evil = await handler?.(
      { sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } },
      {
        kind: 'request',
        id: 1,
        method: 'getInfo',
        params: null,
      },
    );
    expect(evil).toMatchObject({ result: { ok: false, error: { code: 'invalid-request' } } });

    const trusted = { sender: contents, senderFrame: { url: APP_ENTRY_URL, parent: null } };
    expect(
      await handler?.(trusted, { kind: 'request', id: 2, method: 'getInfo', params: null }),
    ).toMatchObject({ id: 2, result: { ok: true } });
    expect(await handler?.(trusted, 1, 2)).toMatchObject({ result: { ok: false } });
    await handler?.(trusted, { kind: 'request', id: 3, method: 'subscribe', params: null });
    expect(sent[0]?.[0]).toBe(EVENT_CHANNEL);
    expect(dispatcher.peerCount).toBe(1);
    destroyed?.();
    expect(dispatcher.peerCount).toBe(0);
    unregister();
    expect(removeHandler).toHaveBeenCalledWith(REQUEST_CHANNEL);
  });
});

describe('token', () => {
  it('is 256 random bits, URL-safe', () => {
    const a = createToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createToken()).not.toBe(a);
  });

  it('compares exactly', () => {
    const t = createToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t, `${t}x`)).toBe(false);
    expect(tokenMatches(t, t.slice(1))).toBe(false);
    expect(tokenMatches(t, '')).toBe(false);
    expect(tokenMatches(t, null)).toBe(false);
    expect(tokenMatches(t, 'x'.repeat(5000))).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});

describe('command-line arguments', () => {
  it('parses port, open and several manifests', () => {
    expect(parseAppArgs(['--port', '8080', '--open', '--manifests', 'a.yaml', 'dir/'])).toEqual({
      ok: true,
      args: { port: 8080, open: true, manifests: ['a.yaml', 'dir/'], help: false },
    });
    expect(parseAppArgs(['--port=0', '--manifests=a.yaml', 'b.yaml'])).toMatchObject({
      ok: true,
      args: { port: 0, manifests: ['a.yaml', 'b.yaml'] },
    });
    expect(parseAppArgs([])).toEqual({
      ok: true,
      args: { port: 0, open: false, manifests: [], help: false },
    });
  });

  it('refuses bad input', () => {
    expect(parseAppArgs(['--port', 'x'])).toMatchObject({ ok: false });
    expect(parseAppArgs(['--port', '70000'])).toMatchObject({ ok: false });
    expect(parseAppArgs(['--manifests'])).toMatchObject({ ok: false });
    expect(parseAppArgs(['--frobnicate'])).toMatchObject({ ok: false });
    expect(parseAppArgs(['stray'])).toMatchObject({ ok: false });
  });

  it('lets Electron switches through when not strict', () => {
    expect(parseAppArgs(['--no-sandbox', '--manifests', 'a.yaml'], { strict: false })).toMatchObject({
      ok: true,
      args: { manifests: ['a.yaml'] },
    });
  });

  it('opens the browser the platform way', () => {
    expect(browserCommand('http://x', 'linux')).toEqual({ command: 'xdg-open', args: ['http://x'] });
    expect(browserCommand('http://x', 'darwin')).toEqual({ command: 'open', args: ['http://x'] });
    expect(browserCommand('http://x', 'win32').command).toBe('cmd');
  });
});
