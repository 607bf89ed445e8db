/**
 * The analysis worker's engine and its client, in-process: answers equal the library's, later
 * snapshots go through `update(deltas)`, and the store binding drops stale answers.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import {
  createAnalysisClient,
  createInProcessTransport,
  type AnalysisTransport,
} from '../../../renderer/src/analysis/client.ts';
import { createAnalysisEngine, diffSnapshots, MAX_DELTAS } from '../../../renderer/src/analysis/engine.ts';
import type {
  AnalysisRequest,
  AnalysisResponse,
  LoadResult,
  PodView,
} from '../../../renderer/src/analysis/protocol.ts';
import { bindAnalysis, createAnalysisStore, reachQuery } from '../../../renderer/src/store/analysis-store.ts';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore, initialReach } from '../../../renderer/src/store/view-store.ts';
import { createAnalyzer, type PolicyEffect } from '../../../shared/eval/index.ts';
import { applySnapshotChange, type SnapshotChange } from '../../../shared/model/delta.ts';
import { podKey, type Snapshot } from '../../../shared/model/snapshot.ts';
import { generateCluster, SIZES } from '../../bench/generate.ts';

const DEMO = join(process.cwd(), 'shared/demo/demo-cluster.yaml');
const demo = async (): Promise<Snapshot> => ({ ...(await loadManifests([DEMO])), source: { kind: 'demo' } });

let nextId = 1;
function ask<T>(
  engine: ReturnType<typeof createAnalysisEngine>,
  method: AnalysisRequest['method'],
  params: unknown,
): T {
  const response = engine.handle({ id: nextId++, method, params } as AnalysisRequest);
  if (!response.ok) throw new Error(response.error);
  return response.value as T;
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick();
  }
}

describe('analysis engine', () => {
  it('answers policy effects exactly as the library does, for every policy of the demo', async () => {
    const snapshot = await demo();
    const engine = createAnalysisEngine();
    const load = ask<LoadResult>(engine, 'load', { snapshot, revision: 1 });
    expect(load.mode).toBe('initial');
    expect(load.stats.pods).toBe(27);
    const analyzer = createAnalyzer(snapshot);
    for (const p of snapshot.policies) {
      const key = podKey(p);
      const mine = ask<PolicyEffect>(engine, 'policyEffect', { policy: key });
      expect(mine.counts, key).toEqual(analyzer.policyEffect(key).counts);
      expect(mine.selects).toEqual(analyzer.policyEffect(key).selects);
    }
  });

  it('badges every pod with its isolation', async () => {
    const snapshot = await demo();
    const engine = createAnalysisEngine();
    const load = ask<LoadResult>(engine, 'load', { snapshot, revision: 1 });
    const ledger = snapshot.pods.find((p) => p.name.startsWith('ledger-'));
    const grafana = snapshot.pods.find((p) => p.name.startsWith('grafana-'));
    expect(load.badges[podKey(ledger!)]).toEqual({ ingress: true, egress: true, hostNetwork: false });
    expect(load.badges[podKey(grafana!)]).toEqual({ ingress: false, egress: false, hostNetwork: false });
  });

  it("lists a pod's allowed inbound and outbound connections per port, as `check` decides them", async () => {
    const snapshot = await demo();
    const engine = createAnalysisEngine();
    ask(engine, 'load', { snapshot, revision: 1 });
    const analyzer = createAnalyzer(snapshot);
    const view = ask<PodView>(engine, 'podView', { pod: 'identity/users-db-0' });
    expect(view.isolation.ingress.policies).toEqual(['identity/database-access-api-only']);
    expect(view.inbound.map((a) => (a.peer.kind === 'pod' ? a.peer.name : a.peer.ip)).sort()).toEqual(
      snapshot.pods
        .filter((p) => p.labels['tier'] === 'api' && p.namespace === 'identity')
        .map((p) => p.name)
        .sort(),
    );
    for (const access of [...view.inbound, ...view.outbound].slice(0, 40)) {
      for (let i = 0; i < view.ports.length; i++) {
        const probe = view.ports[i]!;
        const inbound = view.inbound.includes(access);
        const verdict = analyzer.check({
          from: inbound ? access.peer : { kind: 'pod', namespace: 'identity', name: 'users-db-0' },
          to: inbound ? { kind: 'pod', namespace: 'identity', name: 'users-db-0' } : access.peer,
          port: probe.port,
          protocol: probe.protocol,
        });
        expect(verdict.verdict === 'allowed').toBe(access.allowed.includes(i));
      }
    }
  });

  it('reports bad requests as errors, not exceptions', async () => {
    const engine = createAnalysisEngine();
    const before = engine.handle({ id: 1, method: 'summary', params: null });
    expect(before.ok).toBe(false);
    ask(engine, 'load', { snapshot: await demo(), revision: 3 });
    const bad = engine.handle({ id: 2, method: 'policyEffect', params: { policy: 'nope/nope' } });
    expect(bad).toMatchObject({ id: 2, ok: false, revision: 3 });
  });

  it('applies later snapshots as deltas when few objects changed', async () => {
    const snapshot = await demo();
    const engine = createAnalysisEngine();
    ask(engine, 'load', { snapshot, revision: 1 });
    const next: Snapshot = {
      ...snapshot,
      policies: snapshot.policies.filter((p) => p.name !== 'default-deny-ingress'),
    };
    const deltas = diffSnapshots(snapshot, next);
    expect(deltas).toEqual([{ kind: 'removePolicy', namespace: 'billing', name: 'default-deny-ingress' }]);
    const load = ask<LoadResult>(engine, 'load', { snapshot: next, revision: 2 });
    expect(['incremental', 'rebuild']).toContain(load.mode);
    expect(load.deltas).toBe(1);
    // The answers now follow the new snapshot.
    const fresh = createAnalyzer(next);
    expect(
      ask<PolicyEffect>(engine, 'policyEffect', { policy: 'billing/payments-allow-checkout' }).counts,
    ).toEqual(fresh.policyEffect('billing/payments-allow-checkout').counts);
    // Many changes: a new analyzer.
    const many: Snapshot = {
      ...next,
      pods: [
        ...next.pods,
        ...Array.from({ length: MAX_DELTAS + 1 }, (_, i) => ({
          namespace: 'monitoring',
          name: `extra-${i}`,
          labels: { app: 'extra' },
          ips: [],
          ports: [],
          hostNetwork: false,
          fromTemplate: false,
        })),
      ],
    };
    expect(ask<LoadResult>(engine, 'load', { snapshot: many, revision: 3 }).mode).toBe('replace');
  });

  it('takes a live change as deltas: one new pod of an existing class leaves the class state alone', () => {
    const snapshot = generateCluster(SIZES.M);
    const engine = createAnalysisEngine();
    const first = ask<LoadResult>(engine, 'load', { snapshot, revision: 1 });
    const template = snapshot.pods[0] as Snapshot['pods'][number];
    const pod = { ...template, name: `${template.name}-twin`, ips: ['10.255.0.1'] };
    const change: SnapshotChange = { deltas: [{ kind: 'upsertPod', pod }] };
    const next = ask<LoadResult>(engine, 'update', { change, revision: 2 });
    // Incremental: the pod joined its class; no class, profile or selector was recomputed.
    expect(next.mode).toBe('incremental');
    expect(next.stats.classes).toBe(first.stats.classes);
    expect(next.stats.pods).toBe(first.stats.pods + 1);
    // Its badge alone travels back: a pod change moves no other pod's isolation.
    expect(next.badgesPatch).toBe(true);
    expect(Object.keys(next.badges)).toEqual([podKey(pod)]);
    expect(next.badges[podKey(pod)]).toEqual(first.badges[podKey(template)]);
    // The engine now answers for the changed snapshot, as a fresh analysis of it does.
    const fresh = createAnalyzer(applySnapshotChange(snapshot, change));
    const q = {
      from: { kind: 'pod', namespace: pod.namespace, name: pod.name },
      to: { kind: 'pod', namespace: template.namespace, name: template.name },
      port: 80,
      protocol: 'TCP',
    } as const;
    expect(ask<{ verdict: string }>(engine, 'check', q).verdict).toBe(fresh.check(q).verdict);
    expect(engine.current()?.revision).toBe(2);
    // A change that does not follow the held revision is refused, never applied to the wrong base.
    const stale = engine.handle({ id: nextId++, method: 'update', params: { change, revision: 5 } });
    expect(stale).toMatchObject({
      ok: false,
      error: expect.stringMatching(/needs revision 4; the worker has 2/) as unknown,
    });
  });

  it('lists the pod pairs of a namespace pair', async () => {
    const snapshot = await demo();
    const engine = createAnalysisEngine();
    ask(engine, 'load', { snapshot, revision: 1 });
    const cell = ask<{ pairs: { from: string; to: string; allowed: number[] }[]; total: number }>(
      engine,
      'cellPairs',
      {
        from: 'shop',
        to: 'billing',
      },
    );
    expect(cell.total).toBe(8 * 5);
    expect(cell.pairs.every((p) => p.from.startsWith('shop/') && p.to.startsWith('billing/'))).toBe(true);
    expect(cell.pairs.some((p) => p.from.includes('checkout') && p.to.includes('payments'))).toBe(true);
  });
});

describe('analysis client and store binding', () => {
  it('matches answers to requests by id and counts what is pending', async () => {
    // Load the snapshot before sending anything: awaiting it between the two requests let the first
    // answer (5 ms) arrive before the second was sent on a busy machine, and pending() read 1.
    const snapshot = await demo();
    const client = createAnalysisClient(createInProcessTransport({ delayMs: 5 }));
    const seen: number[] = [];
    client.onPending((n) => seen.push(n));
    const a = client.request('summary', null);
    const b = client.request('load', { snapshot, revision: 7 });
    expect(client.pending()).toBe(2);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.ok).toBe(false);
    expect(rb).toMatchObject({ ok: true, revision: 7 });
    expect(client.pending()).toBe(0);
    expect(seen).toContain(2);
    client.dispose();
  });

  it('sends a live change to the worker as an update, and the whole snapshot after a gap', async () => {
    const source = createSourceStore();
    const analysis = createAnalysisStore();
    const posted: AnalysisRequest[] = [];
    const inner = createInProcessTransport({ delayMs: 1 });
    const transport: AnalysisTransport = {
      post: (r) => {
        posted.push(r);
        inner.post(r);
      },
      listen: (h: (r: AnalysisResponse) => void) => inner.listen(h),
      terminate: () => inner.terminate(),
    };
    bindAnalysis({ client: createAnalysisClient(transport), source, view: createViewStore(), analysis });
    const snapshot = await demo();
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot });
    const removal: SnapshotChange = {
      deltas: [{ kind: 'removePolicy', namespace: 'billing', name: 'default-deny-ingress' }],
    };
    source.getState().applyEvent({ type: 'delta', revision: 2, change: removal });
    expect(source.getState().snapshot?.policies.length).toBe(snapshot.policies.length - 1);
    await until(() => analysis.getState().status === 'ready' && analysis.getState().revision === 2);
    expect(posted.map((r) => r.method)).toEqual(['load', 'update']);
    expect(analysis.getState().load?.deltas).toBe(1);
    // A pod change brings back its pod's badge alone; the store keeps every other pod's.
    const twin = { ...(snapshot.pods[0] as Snapshot['pods'][number]), name: 'twin' };
    source
      .getState()
      .applyEvent({ type: 'delta', revision: 3, change: { deltas: [{ kind: 'upsertPod', pod: twin }] } });
    await until(() => analysis.getState().status === 'ready' && analysis.getState().revision === 3);
    const badges = analysis.getState().load?.badges ?? {};
    expect(Object.keys(badges)).toHaveLength(snapshot.pods.length + 1);
    expect(badges[podKey(twin)]).toEqual(badges[podKey(snapshot.pods[0] as Snapshot['pods'][number])]);
    // A change that does not follow the store's revision is dropped; the next whole snapshot loads.
    source.getState().applyEvent({ type: 'delta', revision: 9, change: removal });
    expect(source.getState().revision).toBe(3);
    source.getState().applyEvent({ type: 'snapshot', revision: 10, snapshot });
    await until(() => analysis.getState().revision === 10 && analysis.getState().status === 'ready');
    expect(posted.map((r) => r.method)).toEqual(['load', 'update', 'update', 'load']);
  });

  it('fails pending requests when the worker fails', async () => {
    let fail: ((m: string) => void) | undefined;
    const transport: AnalysisTransport = {
      post: () => {},
      listen: () => {},
      onError: (h) => {
        fail = h;
      },
      terminate: () => {},
    };
    const client = createAnalysisClient(transport);
    const pending = client.request('summary', null);
    fail?.('boom');
    expect(await pending).toMatchObject({ ok: false, error: 'boom' });
  });

  it('loads each snapshot, asks what the view needs, and drops answers to questions no longer asked', async () => {
    const source = createSourceStore();
    const view = createViewStore();
    const analysis = createAnalysisStore();
    const posted: AnalysisRequest[] = [];
    const inner = createInProcessTransport({ delayMs: 5 });
    const transport: AnalysisTransport = {
      post: (r) => {
        posted.push(r);
        inner.post(r);
      },
      listen: (h: (r: AnalysisResponse) => void) => inner.listen(h),
      terminate: () => inner.terminate(),
    };
    bindAnalysis({ client: createAnalysisClient(transport), source, view, analysis });
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot: await demo() });
    expect(analysis.getState().status).toBe('loading');
    await until(() => analysis.getState().status === 'ready');
    expect(analysis.getState().load?.revision).toBe(1);

    view.getState().select({ kind: 'policy', key: 'billing/deny-restricted-egress' });
    view.getState().select({ kind: 'policy', key: 'identity/microsvc-users-api-allow' });
    await until(() => analysis.getState().policy?.status === 'ready');
    expect(analysis.getState().policy?.subject).toBe('identity/microsvc-users-api-allow');
    expect(analysis.getState().policy?.value?.counts.permittedFlowing).toBe(24);
    await tick(20);
    // The first answer arrived too, but was dropped.
    expect(analysis.getState().policy?.subject).toBe('identity/microsvc-users-api-allow');

    view.getState().select(undefined);
    expect(analysis.getState().policy).toBeUndefined();

    view.getState().setStage('matrix');
    await until(() => analysis.getState().summary?.status === 'ready');
    expect(analysis.getState().summary?.value?.namespaces).toHaveLength(6);
    expect(posted.filter((r) => r.method === 'load')).toHaveLength(1);
  });

  it('turns a complete reach state into a query', () => {
    expect(reachQuery(initialReach)).toBeUndefined();
    expect(
      reachQuery({
        ...initialReach,
        from: { kind: 'pod', key: 'a/b' },
        to: { kind: 'external', ip: ' 10.0.0.1 ' },
        port: '443',
      }),
    ).toEqual({
      from: { kind: 'pod', namespace: 'a', name: 'b' },
      to: { kind: 'external', ip: '10.0.0.1' },
      port: 443,
      protocol: 'TCP',
    });
    expect(
      reachQuery({
        ...initialReach,
        from: { kind: 'pod', key: 'a/b' },
        to: { kind: 'pod', key: 'a/c' },
        port: '70000',
      }),
    ).toBeUndefined();
  });
});
