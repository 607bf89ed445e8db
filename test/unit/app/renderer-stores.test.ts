import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent, NetglassApi, Result } from '../../../shared/api/api.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import {
  webSocketUrlFor,
  createWebSocketTransport,
  type WebSocketLike,
} from '../../../renderer/src/api/ws-transport.ts';
import { bindApi } from '../../../renderer/src/store/bind.ts';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore, sameSelection } from '../../../renderer/src/store/view-store.ts';

const snapshot = (pods = 0): Snapshot => ({
  source: { kind: 'demo' },
  namespaces: [],
  pods: Array.from({ length: pods }, (_, i) => ({
    namespace: 'a',
    name: `p${i}`,
    labels: {},
    ips: [],
    ports: [],
    hostNetwork: false,
    fromTemplate: false,
  })),
  policies: [],
  issues: [],
  clusterPolicies: [],
  skippedKinds: {},
});

describe('source store', () => {
  it('follows source, snapshot and connection events', () => {
    const store = createSourceStore();
    expect(store.getState().link).toBe('connecting');
    store.getState().applyEvent({ type: 'source', status: { state: 'loading', request: { kind: 'demo' } } });
    expect(store.getState()).toMatchObject({ link: 'connected', status: { state: 'loading' } });
    store.getState().applyEvent({ type: 'snapshot', revision: 2, snapshot: snapshot(2) });
    expect(store.getState().snapshot?.pods).toHaveLength(2);
    store.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot: snapshot(1) });
    expect(store.getState()).toMatchObject({ revision: 2 });
    store.getState().applyEvent({ type: 'connection', state: 'lost' });
    expect(store.getState().link).toBe('lost');
    store.getState().applyEvent({ type: 'future-thing' } as unknown as ApiEvent);
    expect(store.getState().link).toBe('lost');
  });
});

describe('view store', () => {
  it('selects, compares selections, clamps the filter and counts fit requests', () => {
    const view = createViewStore();
    const listener = vi.fn();
    view.subscribe(listener);
    view.getState().select({ kind: 'pod', key: 'a/b' });
    view.getState().select({ kind: 'pod', key: 'a/b' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(sameSelection({ kind: 'namespace', name: 'x' }, { kind: 'namespace', name: 'x' })).toBe(true);
    expect(sameSelection({ kind: 'namespace', name: 'x' }, { kind: 'pod', key: 'x' })).toBe(false);
    view.getState().setFilter('x'.repeat(500));
    expect(view.getState().filter).toHaveLength(200);
    view.getState().requestFit();
    expect(view.getState().fitRequest).toBe(1);
  });
});

describe('bindApi', () => {
  it('feeds events into the store and records failed requests', async () => {
    let listener: ((e: ApiEvent) => void) | undefined;
    const failure: Result<never> = {
      ok: false,
      error: { code: 'not-found', message: 'No such file', path: '/x' },
    };
    const api: NetglassApi = {
      getInfo: () =>
        Promise.resolve({
          ok: true,
          value: { name: 'netglass', version: '1', apiVersion: 1, capabilities: [] },
        }),
      getStatus: () => Promise.resolve({ ok: true, value: { state: 'idle' } }),
      openSource: () => Promise.resolve(failure),
      reload: () => Promise.resolve({ ok: true, value: { state: 'idle' } }),
      listContexts: () => Promise.resolve({ ok: true, value: { contexts: [], files: [], problems: [] } }),
      subscribe: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
    };
    const store = createSourceStore();
    const controller = bindApi(api, store);
    listener?.({ type: 'snapshot', revision: 1, snapshot: snapshot(3) });
    expect(store.getState().snapshot?.pods).toHaveLength(3);
    await controller.openSource({ kind: 'manifests', paths: ['/x'] });
    expect(store.getState().requestError).toMatchObject({ code: 'not-found' });
    await controller.reload();
    expect(store.getState().requestError).toBeUndefined();
    expect(store.getState().info?.name).toBe('netglass');
    controller.dispose();
    expect(listener).toBeUndefined();
  });
});

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: WebSocketLike['onopen'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onerror: WebSocketLike['onerror'] = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {}
  open() {
    this.readyState = 1;
    this.onopen?.call(this, {} as Event);
  }
  drop() {
    this.readyState = 3;
    this.onclose?.call(this, {} as CloseEvent);
  }
  receive(data: unknown) {
    this.onmessage?.call(this, { data: JSON.stringify(data) } as MessageEvent);
  }
}

describe('WebSocket transport', () => {
  it('derives the socket URL from the page URL and its token', () => {
    expect(webSocketUrlFor({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a-b_c' })).toBe(
      'ws://127.0.0.1:5000/api?token=a-b_c',
    );
    expect(webSocketUrlFor({ protocol: 'http:', host: '127.0.0.1:5000', search: '' })).toBeUndefined();
  });

  it('queues until open, delivers messages, reports loss and reconnects', () => {
    vi.useFakeTimers();
    try {
      FakeSocket.all = [];
      const transport = createWebSocketTransport({
        url: 'ws://x/api?token=t',
        createSocket: (u) => new FakeSocket(u),
        backoffMs: [100],
      });
      const messages: unknown[] = [];
      const states: string[] = [];
      transport.start({ message: (m) => messages.push(m), connection: (s) => states.push(s) });
      transport.send({ kind: 'request', id: 1, method: 'getInfo', params: null });
      const first = FakeSocket.all[0] as FakeSocket;
      expect(first.sent).toEqual([]);
      first.open();
      expect(first.sent).toHaveLength(1);
      first.receive({ kind: 'response', id: 1, result: { ok: true, value: 1 } });
      expect(messages).toHaveLength(1);
      first.drop();
      expect(states).toEqual(['connected', 'lost']);
      expect(() => transport.send({ kind: 'request', id: 2, method: 'getInfo', params: null })).toThrow();
      vi.advanceTimersByTime(100);
      const second = FakeSocket.all[1] as FakeSocket;
      second.open();
      expect(states).toEqual(['connected', 'lost', 'connected']);
    } finally {
      vi.useRealTimers();
    }
  });
});
