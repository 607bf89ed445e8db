/**
 * Calico objects in the live model (the crd.projectcalico.org/v1 storage form): NetworkPolicy,
 * GlobalNetworkPolicy, NetworkSet and Tier watch events become Calico deltas that rebuild the same
 * snapshot a whole read gives, the fields stay absent when there are none, and the evaluator reads
 * the followed policies as it reads them from manifests.
 */
import { describe, expect, it } from 'vitest';
import { LiveModel } from '../../../electron/cluster/live-model.ts';
import type { KubeObject } from '../../../electron/cluster/reflector.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { applySnapshotChange } from '../../../shared/model/delta.ts';
import { calicoPolicyKey, type Snapshot } from '../../../shared/model/snapshot.ts';

const origin = { context: 'test', server: 'https://127.0.0.1:6443' };
const noAdmin = { versions: {}, unreadable: {} };

let rv = 0;
const meta = (name: string, namespace?: string, labels?: Record<string, string>) => ({
  name,
  ...(namespace !== undefined ? { namespace } : {}),
  ...(labels !== undefined ? { labels } : {}),
  resourceVersion: String(++rv),
});
const ns = (name: string): KubeObject => ({
  metadata: meta(name, undefined, { 'kubernetes.io/metadata.name': name }),
});
const pod = (name: string, labels: Record<string, string>, ip: string): KubeObject =>
  ({
    metadata: meta(name, 'shop', labels),
    spec: { containers: [{ name: 'c' }] },
    status: { podIP: ip },
  }) as KubeObject;
/** List items come without kind and apiVersion: the model adds them per resource. */
const calicoNp = (name: string, port: number): KubeObject =>
  ({
    metadata: meta(name, 'shop'),
    spec: {
      selector: "app == 'db'",
      types: ['Ingress'],
      ingress: [
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { selector: "app == 'web'" },
          destination: { ports: [port] },
        },
      ],
    },
  }) as KubeObject;

const keys = (s: Snapshot | undefined): string[] => (s?.calicoPolicies ?? []).map(calicoPolicyKey).sort();
const verdict = (s: Snapshot, port: number) =>
  createAnalyzer(s).check({
    from: { kind: 'pod', namespace: 'shop', name: 'web' },
    to: { kind: 'pod', namespace: 'shop', name: 'db' },
    port,
    protocol: 'TCP',
  }).verdict;

describe('LiveModel with Calico objects', () => {
  it('follows policies, network sets and tiers as deltas a client can apply', () => {
    const model = new LiveModel(origin);
    model.event('namespaces', { type: 'replace', items: [ns('shop')] });
    model.event('pods', {
      type: 'replace',
      items: [pod('web', { app: 'web' }, '10.0.0.1'), pod('db', { app: 'db' }, '10.0.0.2')],
    });
    for (const r of ['calico-networkpolicies', 'calico-globalnetworkpolicies', 'calico-networksets'] as const)
      model.event(r, { type: 'replace', items: [] });
    const first = model.flush(noAdmin, undefined);
    expect(first?.snapshot.calicoPolicies).toBeUndefined();
    let replica = first?.snapshot as Snapshot;
    expect(verdict(replica, 5432)).toBe('allowed');

    model.event('calico-networkpolicies', { type: 'upsert', item: calicoNp('db', 5432) });
    model.event('calico-networksets', {
      type: 'upsert',
      item: {
        metadata: meta('office', 'shop', { role: 'office' }),
        spec: { nets: ['192.0.2.0/24'] },
      } as KubeObject,
    });
    model.event('calico-tiers', {
      type: 'upsert',
      item: { metadata: meta('security'), spec: { order: 100 } } as KubeObject,
    });
    let next = model.flush(noAdmin, undefined);
    expect(next?.change?.deltas.map((d) => d.kind)).toEqual([
      'upsertCalicoPolicy',
      'upsertCalicoNetworkSet',
      'upsertCalicoTier',
    ]);
    replica = applySnapshotChange(replica, next?.change ?? { deltas: [] });
    expect(replica).toEqual(next?.snapshot);
    expect(keys(replica)).toEqual(['Calico:NetworkPolicy/shop/default.db']);
    expect(replica.calicoNetworkSets?.map((n) => n.name)).toEqual(['office']);
    expect(replica.calicoTiers?.map((t) => t.name)).toEqual(['security']);
    expect(verdict(replica, 5432)).toBe('allowed');
    // The default tier denies what the policy does not allow, for the pods it selects.
    expect(verdict(replica, 6379)).toBe('denied');

    // Changed, then deleted: an upsert by the same key, then a removal; the fields go when empty.
    model.event('calico-networkpolicies', { type: 'upsert', item: calicoNp('db', 6379) });
    next = model.flush(noAdmin, undefined);
    replica = applySnapshotChange(replica, next?.change ?? { deltas: [] });
    expect(verdict(replica, 6379)).toBe('allowed');
    model.event('calico-networkpolicies', { type: 'delete', item: calicoNp('db', 6379) });
    model.event('calico-networksets', { type: 'replace', items: [] });
    model.event('calico-tiers', { type: 'replace', items: [] });
    next = model.flush(noAdmin, undefined);
    expect(next?.change?.deltas.map((d) => d.kind)).toEqual([
      'removeCalicoPolicy',
      'removeCalicoNetworkSet',
      'removeCalicoTier',
    ]);
    replica = applySnapshotChange(replica, next?.change ?? { deltas: [] });
    expect(replica).toEqual(next?.snapshot);
    expect(replica.calicoPolicies).toBeUndefined();
    expect(replica.calicoNetworkSets).toBeUndefined();
    expect(replica.calicoTiers).toBeUndefined();
    expect(verdict(replica, 6379)).toBe('allowed');
  });

  it('the analyzer takes the Calico deltas in update() and answers as a fresh analysis does', () => {
    const model = new LiveModel(origin);
    model.event('namespaces', { type: 'replace', items: [ns('shop')] });
    model.event('pods', {
      type: 'replace',
      items: [pod('web', { app: 'web' }, '10.0.0.1'), pod('db', { app: 'db' }, '10.0.0.2')],
    });
    model.event('calico-networkpolicies', { type: 'replace', items: [] });
    const first = model.flush(noAdmin, undefined)?.snapshot as Snapshot;
    const analyzer = createAnalyzer(first);
    model.event('calico-networkpolicies', { type: 'upsert', item: calicoNp('db', 5432) });
    const next = model.flush(noAdmin, undefined);
    const result = analyzer.update(next?.change?.deltas ?? []);
    expect(result.mode).toBe('rebuild');
    const query = (port: number) => ({
      from: { kind: 'pod' as const, namespace: 'shop', name: 'web' },
      to: { kind: 'pod' as const, namespace: 'shop', name: 'db' },
      port,
      protocol: 'TCP' as const,
    });
    for (const port of [5432, 6379])
      expect(analyzer.check(query(port)).verdict).toBe(verdict(next?.snapshot as Snapshot, port));
    expect(analyzer.check(query(6379)).verdict).toBe('denied');
  });
});
