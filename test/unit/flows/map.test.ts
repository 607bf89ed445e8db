import { describe, expect, it } from 'vitest';
import { EndpointMapper } from '../../../shared/flows/index.ts';
import { isPrivateAddress } from '../../../shared/flows/map.ts';
import type { Pod, Snapshot } from '../../../shared/model/snapshot.ts';

const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ips: string[],
  hostNetwork = false,
): Pod => ({
  namespace,
  name,
  labels,
  ips,
  ports: [],
  hostNetwork,
  fromTemplate: false,
});

const snapshot: Snapshot = {
  source: { kind: 'demo' },
  namespaces: [],
  pods: [
    pod('shop', 'web-abc-1', { app: 'web', 'pod-template-hash': 'abc' }, ['10.0.1.10']),
    pod('shop', 'web-abc-2', { app: 'web', 'pod-template-hash': 'abc' }, ['10.0.1.11', 'fd00::11']),
    pod('shop', 'api-0', { app: 'api' }, ['10.0.1.20']),
    pod('db', 'pg-0', { app: 'pg' }, ['10.0.2.10']),
    pod('kube-system', 'node-agent', { app: 'agent' }, ['192.168.1.5'], true),
  ],
  policies: [],
  clusterPolicies: [],
  issues: [],
  skippedKinds: {},
};

const EXTERNALS = ['0.0.0.0', '10.255.0.1', '203.0.113.1', '::', 'fd00::1'];
const mapper = (): EndpointMapper => new EndpointMapper(snapshot, () => EXTERNALS);

describe('EndpointMapper', () => {
  it('by namespace and name first, then by IP (same namespace), then by labels', () => {
    const m = mapper();
    expect(
      m.map({ entity: 'workload', namespace: 'shop', podName: 'api-0', ip: '10.0.2.10' }).endpoint,
    ).toEqual({
      kind: 'pods',
      pods: ['shop/api-0'],
      by: 'name',
    });
    expect(
      m.map({ entity: 'workload', namespace: 'shop', podName: 'gone-1', ip: 'fd00:0::11' }).endpoint,
    ).toEqual({
      kind: 'pods',
      pods: ['shop/web-abc-2'],
      by: 'ip',
    });
    // The address belongs to a pod of another namespace now: not this endpoint; its labels find it.
    expect(
      m.map({
        entity: 'workload',
        namespace: 'shop',
        podName: 'gone-2',
        ip: '10.0.2.10',
        ciliumLabels: ['k8s:app=api'],
      }).endpoint,
    ).toEqual({ kind: 'pods', pods: ['shop/api-0'], by: 'labels' });
    const web = m.map({ entity: 'workload', namespace: 'shop', podName: 'web-old', labels: { app: 'web' } });
    expect(web.endpoint).toEqual({ kind: 'pods', pods: ['shop/web-abc-1', 'shop/web-abc-2'], by: 'labels' });
    expect(web.label).toBe('shop/web-old (2 pods)');
  });

  it('a Calico workload aggregate by its generateName prefix and labels', () => {
    const ref = mapper().map({
      entity: 'workload',
      namespace: 'shop',
      aggregatedName: 'web-abc-*',
      labels: { app: 'web' },
    });
    expect(ref.endpoint).toEqual({
      kind: 'pods',
      pods: ['shop/web-abc-1', 'shop/web-abc-2'],
      by: 'workload',
    });
    expect(ref.label).toBe('shop/web-abc-* (2 pods)');
  });

  it('one index per mapped endpoint, whichever way it was found', () => {
    const m = mapper();
    const a = m.map({ entity: 'workload', namespace: 'db', podName: 'pg-0' });
    const b = m.map({ entity: 'workload', namespace: 'db', podName: 'old', ip: '10.0.2.10' });
    expect(b.id).toBe(a.id);
    expect(b.index).toBe(a.index);
    expect([a.endpoint, b.endpoint].map((e) => (e.kind === 'pods' ? e.by : e.kind))).toEqual(['name', 'ip']);
    expect(m.map({ entity: 'world', ip: '8.8.8.8' }).index).not.toBe(a.index);
  });

  it('addresses outside the cluster stay addresses; hostNetwork pods are not found by IP', () => {
    const m = mapper();
    expect(m.map({ entity: 'world', ip: '8.8.8.8' }).endpoint).toEqual({
      kind: 'external',
      ips: ['8.8.8.8'],
      by: 'ip',
    });
    expect(m.map({ entity: 'host', ip: '192.168.1.5' }).endpoint).toEqual({
      kind: 'external',
      ips: ['192.168.1.5'],
      by: 'ip',
    });
    expect(m.map({ entity: 'workload', ip: '192.168.1.5' }).endpoint.kind).toBe('unmapped');
  });

  it('Calico networks stand for the external address classes of their kind', () => {
    const m = mapper();
    expect(m.map({ entity: 'network-public' }).endpoint).toEqual({
      kind: 'external',
      ips: ['0.0.0.0', '203.0.113.1', '::'],
      by: 'network',
    });
    expect(m.map({ entity: 'network-private' }).endpoint).toEqual({
      kind: 'external',
      ips: ['10.255.0.1', 'fd00::1'],
      by: 'network',
    });
    expect(isPrivateAddress('172.31.255.255')).toBe(true);
    expect(isPrivateAddress('172.32.0.0')).toBe(false);
  });

  it('says why an endpoint cannot be mapped', () => {
    const m = mapper();
    const gone = m.map({ entity: 'workload', namespace: 'shop', podName: 'cart-0', ip: '10.9.9.9' });
    expect(gone.endpoint).toEqual({
      kind: 'unmapped',
      reason:
        'no pod shop/cart-0 in the snapshot, nor a pod with IP 10.9.9.9 (created since the snapshot was taken?)',
    });
    expect(gone.label).toBe('shop/cart-0 (10.9.9.9)');
    expect(m.map({ entity: 'world' }).endpoint).toMatchObject({
      kind: 'unmapped',
      reason: 'outside the cluster, and the record has no address',
    });
    expect(m.map({ entity: 'world', ip: 'bogus' }).endpoint).toMatchObject({ kind: 'unmapped' });
    expect(m.map({ entity: 'other', detail: 'reserved:health' }).endpoint).toMatchObject({
      kind: 'unmapped',
      reason: 'reserved:health is neither a pod nor an address a NetworkPolicy can name',
    });
  });
});
