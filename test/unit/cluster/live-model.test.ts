/**
 * The live model: watch events in, changes out. Whatever the order of events and flushes, the snapshot
 * a client rebuilds from the first whole snapshot and the changes equals a whole read of the cluster
 * at that moment, and a one-object event yields a one-object change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveModel } from '../../../electron/cluster/live-model.ts';
import type { LiveObjects } from '../../../electron/cluster/live-source.ts';
import type { KubeObject } from '../../../electron/cluster/reflector.ts';
import { liveSnapshot } from '../../../electron/cluster/to-snapshot.ts';
import { applySnapshotChange } from '../../../shared/model/delta.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

const origin = { context: 'test', server: 'https://127.0.0.1:6443' };
const noAdmin = { versions: {}, unreadable: {} };

let rv = 0;
const meta = (name: string, namespace?: string, labels: Record<string, string> = {}) => ({
  name,
  ...(namespace !== undefined ? { namespace } : {}),
  labels,
  resourceVersion: String(++rv),
});
const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: meta(name, undefined, { 'kubernetes.io/metadata.name': name, ...labels }),
});
const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  ip = '10.0.0.1',
): KubeObject =>
  ({
    metadata: meta(name, namespace, labels),
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }] }] },
    status: { podIP: ip },
  }) as KubeObject;
const policy = (namespace: string, name: string, app: string): KubeObject =>
  ({
    metadata: meta(name, namespace),
    spec: { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'] },
  }) as KubeObject;
/** A pod the reader refuses (a port out of range): an issue, and no model object. */
const badPod = (namespace: string, name: string): KubeObject =>
  ({
    metadata: meta(name, namespace),
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 70000 }] }] },
  }) as KubeObject;

const key = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Snapshots compared as sets: order is not part of a snapshot's meaning. */
function normal(s: Snapshot): unknown {
  const by = <T>(xs: readonly T[], k: (x: T) => string): T[] =>
    [...xs].sort((a, b) => (k(a) < k(b) ? -1 : 1));
  return {
    ...s,
    namespaces: by(s.namespaces, (n) => n.name),
    pods: by(s.pods, (p) => `${p.namespace}/${p.name}`),
    policies: by(s.policies, (p) => `${p.namespace}/${p.name}`),
    issues: by(s.issues, (i) => JSON.stringify(i)),
  };
}

function objects(server: ReadonlyMap<string, Map<string, KubeObject>>): LiveObjects {
  const list = (r: string): KubeObject[] => [...(server.get(r)?.values() ?? [])];
  return {
    namespaces: list('namespaces'),
    pods: list('pods'),
    networkpolicies: list('networkpolicies'),
    clusternetworkpolicies: [],
    adminnetworkpolicies: [],
    baselineadminnetworkpolicies: [],
    adminApis: noAdmin,
  };
}

describe('LiveModel', () => {
  it('turns one pod event into a one-pod change, and a relist of unchanged objects into none', () => {
    const model = new LiveModel(origin);
    const shop = ns('shop');
    const a = pod('shop', 'a', { app: 'web' });
    model.event('namespaces', { type: 'replace', items: [shop] });
    model.event('pods', { type: 'replace', items: [a] });
    model.event('networkpolicies', { type: 'replace', items: [policy('shop', 'p', 'web')] });
    const first = model.flush(noAdmin, undefined);
    expect(first?.change).toBeUndefined();
    expect(first?.snapshot.pods.map((p) => p.name)).toEqual(['a']);

    const b = pod('shop', 'b', { app: 'db' }, '10.0.0.2');
    model.event('pods', { type: 'upsert', item: b });
    const second = model.flush(noAdmin, undefined);
    expect(second?.change?.deltas).toEqual([{ kind: 'upsertPod', pod: second?.snapshot.pods[1] }]);
    expect(second?.change?.issues).toBeUndefined();

    // A relist after a reconnect: the same objects (same resourceVersions) change nothing.
    model.event('pods', { type: 'replace', items: [a, b] });
    expect(model.flush(noAdmin, undefined)).toBeUndefined();

    model.event('pods', { type: 'delete', item: a });
    expect(model.flush(noAdmin, undefined)?.change?.deltas).toEqual([
      { kind: 'removePod', namespace: 'shop', name: 'a' },
    ]);
  });

  it('assumes an unreadable namespace while pods use it, and carries issues whole when they change', () => {
    const model = new LiveModel(origin);
    model.event('namespaces', { type: 'replace', items: [] });
    model.event('pods', { type: 'replace', items: [] });
    model.event('networkpolicies', { type: 'replace', items: [] });
    model.flush(noAdmin, undefined);
    const p = pod('hidden', 'x');
    model.event('pods', { type: 'upsert', item: p });
    const added = model.flush(noAdmin, undefined);
    expect(added?.change?.deltas.map((d) => d.kind)).toEqual(['upsertNamespace', 'upsertPod']);
    expect(added?.snapshot.namespaces).toEqual([
      { name: 'hidden', labels: { 'kubernetes.io/metadata.name': 'hidden' }, declared: false },
    ]);
    expect(added?.change?.issues?.map((i) => i.message)).toContainEqual(
      expect.stringMatching(/namespace hidden cannot be read/),
    );
    model.event('pods', { type: 'upsert', item: badPod('hidden', 'broken') });
    const bad = model.flush(noAdmin, undefined);
    expect(bad?.change?.deltas).toEqual([]);
    expect(bad?.change?.issues?.some((i) => i.severity === 'error' && /70000/.test(i.message))).toBe(true);
    model.event('pods', { type: 'delete', item: p });
    const gone = model.flush(noAdmin, undefined);
    // The broken pod still names the namespace, but it is no model object: the namespace goes.
    expect(gone?.change?.deltas.map((d) => d.kind)).toEqual(['removePod', 'removeNamespace']);
  });

  it('a client applying every change holds what a whole read gives, for any events and flushes', () => {
    const names = ['a', 'b', 'c', 'd'];
    const spaces = ['n1', 'n2', 'n3'];
    const op = fc.oneof(
      fc.record({
        t: fc.constant('ns' as const),
        n: fc.constantFrom(...spaces),
        team: fc.constantFrom('x', 'y'),
      }),
      fc.record({ t: fc.constant('delNs' as const), n: fc.constantFrom(...spaces) }),
      fc.record({
        t: fc.constant('pod' as const),
        n: fc.constantFrom(...spaces),
        name: fc.constantFrom(...names),
        app: fc.constantFrom('web', 'db'),
        bad: fc.boolean(),
      }),
      fc.record({
        t: fc.constant('delPod' as const),
        n: fc.constantFrom(...spaces),
        name: fc.constantFrom(...names),
      }),
      fc.record({
        t: fc.constant('pol' as const),
        n: fc.constantFrom(...spaces),
        name: fc.constantFrom('p', 'q'),
        app: fc.constantFrom('web', 'db'),
      }),
      fc.record({
        t: fc.constant('delPol' as const),
        n: fc.constantFrom(...spaces),
        name: fc.constantFrom('p', 'q'),
      }),
      fc.record({ t: fc.constant('relist' as const), drop: fc.boolean() }),
      fc.record({ t: fc.constant('flush' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const server = new Map<string, Map<string, KubeObject>>(
          ['namespaces', 'pods', 'networkpolicies'].map((r) => [r, new Map()]),
        );
        const model = new LiveModel(origin);
        for (const r of ['namespaces', 'pods', 'networkpolicies'] as const)
          model.event(r, { type: 'replace', items: [] });
        let replica = model.flush(noAdmin, undefined)?.snapshot;
        const put = (r: 'namespaces' | 'pods' | 'networkpolicies', o: KubeObject): void => {
          server.get(r)?.set(key(o), o);
          model.event(r, { type: 'upsert', item: o });
        };
        const del = (r: 'namespaces' | 'pods' | 'networkpolicies', k: string): void => {
          const o = server.get(r)?.get(k);
          if (o === undefined) return;
          server.get(r)?.delete(k);
          model.event(r, { type: 'delete', item: o });
        };
        const check = (): void => {
          const flushed = model.flush(noAdmin, undefined);
          if (flushed !== undefined && replica !== undefined)
            replica = flushed.change ? applySnapshotChange(replica, flushed.change) : flushed.snapshot;
          expect(normal(replica as Snapshot)).toEqual(
            normal(liveSnapshot(objects(server), undefined, origin)),
          );
          if (flushed !== undefined) expect(normal(flushed.snapshot)).toEqual(normal(replica as Snapshot));
        };
        for (const o of ops) {
          switch (o.t) {
            case 'ns':
              put('namespaces', ns(o.n, { team: o.team }));
              break;
            case 'delNs':
              del('namespaces', `/${o.n}`);
              break;
            case 'pod':
              put('pods', o.bad ? badPod(o.n, o.name) : pod(o.n, o.name, { app: o.app }));
              break;
            case 'delPod':
              del('pods', `${o.n}/${o.name}`);
              break;
            case 'pol':
              put('networkpolicies', policy(o.n, o.name, o.app));
              break;
            case 'delPol':
              del('networkpolicies', `${o.n}/${o.name}`);
              break;
            case 'relist': {
              // A 410 relist: the server's current pods, some possibly deleted while disconnected.
              const pods = server.get('pods') ?? new Map<string, KubeObject>();
              if (o.drop) {
                const first = [...pods.keys()][0];
                if (first !== undefined) pods.delete(first);
              }
              model.event('pods', { type: 'replace', items: [...pods.values()] });
              break;
            }
            case 'flush':
              check();
              break;
          }
        }
        check();
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
