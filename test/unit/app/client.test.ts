import { describe, expect, it, vi } from 'vitest';
import { SNAPSHOT_PART_PODS, snapshotEvents, type ApiEvent } from '../../../shared/api/api.ts';
import { createApiClient, type ClientTransport, type TransportHandlers } from '../../../shared/api/client.ts';
import type { RequestMessage } from '../../../shared/api/protocol.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

const snapshot: Snapshot = {
  source: { kind: 'demo' },
  namespaces: [],
  pods: [],
  policies: [],
  issues: [],
  clusterPolicies: [],
  skippedKinds: {},
};

function fakeTransport() {
  const sent: RequestMessage[] = [];
  let handlers: TransportHandlers | undefined;
  let down = false;
  const transport: ClientTransport = {
    start(h) {
      handlers = h;
    },
    send(message) {
      if (down) throw new Error('socket closed');
      sent.push(message);
    },
  };
  return {
    transport,
    sent,
    reply(id: number, value: unknown) {
      handlers?.message({ kind: 'response', id, result: { ok: true, value } });
    },
    event(event: ApiEvent) {
      handlers?.message({ kind: 'event', event });
    },
    raw(value: unknown) {
      handlers?.message(value);
    },
    connection(state: 'connected' | 'lost') {
      down = state === 'lost';
      handlers?.connection(state);
    },
  };
}

const timers = {
  set: (cb: () => void, ms: number) => setTimeout(cb, ms),
  clear: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

describe('createApiClient', () => {
  it('correlates responses with requests by id', async () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    const info = api.getInfo();
    const status = api.getStatus();
    expect(t.sent.map((m) => [m.id, m.method])).toEqual([
      [1, 'getInfo'],
      [2, 'getStatus'],
    ]);
    t.reply(2, { state: 'idle' });
    t.reply(1, { name: 'netglass' });
    await expect(info).resolves.toEqual({ ok: true, value: { name: 'netglass' } });
    await expect(status).resolves.toEqual({ ok: true, value: { state: 'idle' } });
  });

  it('sends validated params as given', () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    void api.openSource({ kind: 'manifests', paths: ['/x.yaml'] });
    expect(t.sent[0]).toEqual({
      kind: 'request',
      id: 1,
      method: 'openSource',
      params: { kind: 'manifests', paths: ['/x.yaml'] },
    });
  });

  it('ignores malformed server messages', async () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport, { timers, timeoutMs: 50 });
    const info = api.getInfo();
    t.raw({ kind: 'response', id: 1 });
    t.raw('garbage');
    await expect(info).resolves.toMatchObject({ ok: false, error: { code: 'timeout', method: 'getInfo' } });
  });

  it('times out requests that get no answer', async () => {
    vi.useFakeTimers();
    try {
      const t = fakeTransport();
      const api = createApiClient(t.transport, { timers, timeoutMs: 1000, loadTimeoutMs: 5000 });
      const info = api.getInfo();
      const open = api.openSource({ kind: 'demo' });
      vi.advanceTimersByTime(1001);
      await expect(info).resolves.toMatchObject({ ok: false, error: { code: 'timeout' } });
      t.reply(2, { state: 'ready' });
      await expect(open).resolves.toMatchObject({ ok: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails pending requests when the link is lost and when sending throws', async () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    const pending = api.getInfo();
    t.connection('lost');
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'transport' } });
    const failed = await api.getInfo();
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.message).toContain('socket closed');
  });

  it('subscribes on the first listener, fans out events and unsubscribes after the last', () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    const a: ApiEvent[] = [];
    const b: ApiEvent[] = [];
    const offA = api.subscribe((e) => a.push(e));
    const offB = api.subscribe((e) => b.push(e));
    expect(t.sent.filter((m) => m.method === 'subscribe')).toHaveLength(1);
    t.reply(1, null);
    t.event({ type: 'source', status: { state: 'idle' } });
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    offA();
    expect(t.sent.filter((m) => m.method === 'unsubscribe')).toHaveLength(0);
    offB();
    expect(t.sent.filter((m) => m.method === 'unsubscribe')).toHaveLength(1);
  });

  it('replays the latest status and snapshot to a late listener', async () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    api.subscribe(() => {});
    t.event({
      type: 'source',
      status: { state: 'ready', source: { kind: 'demo' }, revision: 1, loadedAt: 'now' },
    });
    t.event({ type: 'snapshot', revision: 1, snapshot });
    const late: ApiEvent[] = [];
    api.subscribe((e) => late.push(e));
    await Promise.resolve();
    await Promise.resolve();
    expect(late.map((e) => e.type)).toEqual(['source', 'snapshot']);
  });

  it('replays the snapshot with the live changes since applied, as one snapshot', async () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    api.subscribe(() => {});
    const pod = (name: string) => ({
      namespace: 'x',
      name,
      labels: {},
      ips: [],
      ports: [],
      hostNetwork: false,
      fromTemplate: false,
    });
    t.event({ type: 'snapshot', revision: 1, snapshot: { ...snapshot, pods: [pod('a'), pod('b')] } });
    t.event({
      type: 'delta',
      revision: 2,
      change: { deltas: [{ kind: 'removePod', namespace: 'x', name: 'a' }] },
    });
    const late: ApiEvent[] = [];
    api.subscribe((e) => late.push(e));
    await Promise.resolve();
    await Promise.resolve();
    expect(late).toHaveLength(1);
    const replayed = late[0];
    expect(replayed?.type === 'snapshot' && replayed.revision).toBe(2);
    expect(replayed?.type === 'snapshot' && replayed.snapshot.pods.map((p) => p.name)).toEqual(['b']);
  });

  it('puts a big snapshot together from its parts, with progress, and replays it whole', async () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    const seen: ApiEvent[] = [];
    api.subscribe((e) => seen.push(e));
    const pods = Array.from({ length: SNAPSHOT_PART_PODS * 2 + 5 }, (_, i) => ({
      namespace: 'x',
      name: `p${i}`,
      labels: {},
      ips: [],
      ports: [],
      hostNetwork: false,
      fromTemplate: false,
    }));
    const big = { ...snapshot, pods };
    const parts = snapshotEvents(4, big);
    expect(parts.map((e) => e.type)).toEqual(['snapshotPart', 'snapshotPart', 'snapshotPart']);
    for (const e of parts) t.event(e);
    expect(seen.map((e) => (e.type === 'loadProgress' ? `${e.received}/${e.total}` : e.type))).toEqual([
      `${SNAPSHOT_PART_PODS}/${pods.length}`,
      `${SNAPSHOT_PART_PODS * 2}/${pods.length}`,
      'snapshot',
    ]);
    const whole = seen.at(-1);
    expect(whole?.type === 'snapshot' && whole.snapshot.pods.map((p) => p.name)).toEqual(
      pods.map((p) => p.name),
    );
    // A part out of order (a reconnect in the middle) drops the assembly: nothing half-read is shown.
    const again = snapshotEvents(5, big);
    t.event(again[0] as ApiEvent);
    t.event(again[2] as ApiEvent);
    expect(seen.filter((e) => e.type === 'snapshot')).toHaveLength(1);
    // A late listener gets the last whole snapshot in one event.
    const late: ApiEvent[] = [];
    api.subscribe((e) => late.push(e));
    await Promise.resolve();
    await Promise.resolve();
    expect(late.map((e) => e.type)).toEqual(['snapshot']);
  });

  it('a throwing listener does not stop the others', () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    const seen: string[] = [];
    api.subscribe(() => {
      throw new Error('boom');
    });
    api.subscribe((e) => seen.push(e.type));
    t.event({ type: 'source', status: { state: 'idle' } });
    expect(seen).toEqual(['source']);
  });

  it('reports connection changes and re-subscribes after a reconnect', () => {
    const t = fakeTransport();
    const api = createApiClient(t.transport);
    const seen: ApiEvent[] = [];
    api.subscribe((e) => seen.push(e));
    t.connection('lost');
    t.connection('connected');
    expect(seen).toEqual([
      { type: 'connection', state: 'lost' },
      { type: 'connection', state: 'connected' },
    ]);
    expect(t.sent.filter((m) => m.method === 'subscribe')).toHaveLength(2);
  });
});
