import { describe, expect, it } from 'vitest';
import { parseValue } from '../../../shared/flows/index.ts';
import type { FlowRecord, RecordParse } from '../../../shared/flows/index.ts';

function record(p: RecordParse): FlowRecord {
  if (p.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(p)}`);
  return p.record;
}

const key = {
  source_name: 'web-7d9f8c6b5-*',
  source_namespace: 'shop',
  source_type: 'WorkloadEndpoint',
  dest_name: 'checkout-5c4b7d9f8-*',
  dest_namespace: 'shop',
  dest_type: 'WorkloadEndpoint',
  dest_port: '8080',
  proto: 'tcp',
  reporter: 'Src',
  action: 'Allow',
  policies: {
    enforced_policies: [
      { kind: 'NetworkPolicy', namespace: 'shop', name: 'web-egress', tier: 'default', action: 'Allow' },
    ],
    pending_policies: [
      { kind: 'NetworkPolicy', namespace: 'shop', name: 'web-egress', tier: 'default', action: 'Allow' },
    ],
  },
};
const goldmane = (k: object = key, extra: object = {}): RecordParse =>
  parseValue({
    id: '7',
    flow: {
      Key: k,
      start_time: '1796202000',
      end_time: '1796202015',
      source_labels: ['app=web'],
      dest_labels: ['app=checkout'],
      num_connections_started: '4',
      ...extra,
    },
  });

describe('Calico reader', () => {
  it('reads a Goldmane FlowResult: aggregated workloads, labels, window, connections', () => {
    expect(record(goldmane())).toEqual({
      format: 'calico',
      source: {
        entity: 'workload',
        namespace: 'shop',
        aggregatedName: 'web-7d9f8c6b5-*',
        labels: { app: 'web' },
      },
      destination: {
        entity: 'workload',
        namespace: 'shop',
        aggregatedName: 'checkout-5c4b7d9f8-*',
        labels: { app: 'checkout' },
      },
      protocol: 'TCP',
      port: 8080,
      outcome: 'allowed',
      // The pending trace repeats the enforced one: nothing staged, so only the enforced hit is kept.
      policies: [
        { kind: 'NetworkPolicy', namespace: 'shop', name: 'web-egress', tier: 'default', action: 'allow' },
      ],
      direction: 'egress',
      start: 1796202000000,
      end: 1796202015000,
      count: 4,
    });
  });

  it('reads Whisker flows: flat keys, labels joined with " | ", enforced/pending', () => {
    const r = record(
      parseValue({
        start_time: '2026-12-02T10:00:00Z',
        end_time: '2026-12-02T10:00:15Z',
        action: 'Deny',
        source_name: 'pub',
        source_namespace: '',
        source_labels: '',
        dest_name: 'api-*',
        dest_namespace: 'shop',
        dest_labels: 'app=api | tier=backend',
        protocol: 'TCP',
        dest_port: 443,
        reporter: 'Dst',
        policies: {
          enforced: [
            {
              kind: 'EndOfTier',
              name: '',
              namespace: '',
              tier: 'default',
              action: 'Deny',
              trigger: {
                kind: 'NetworkPolicy',
                namespace: 'shop',
                name: 'api',
                tier: 'default',
                action: 'Deny',
              },
            },
          ],
          pending: [],
        },
      }),
    );
    expect(r).toMatchObject({
      outcome: 'denied',
      direction: 'ingress',
      port: 443,
      source: { entity: 'network-public' },
      destination: { aggregatedName: 'api-*', labels: { app: 'api', tier: 'backend' } },
      // An end-of-tier drop names the policy that selected the endpoint.
      policies: [{ kind: 'NetworkPolicy', namespace: 'shop', name: 'api', action: 'deny' }],
    });
  });

  it('staged policies that would deny make an audit record; numeric enums are read', () => {
    const staged = {
      ...key,
      policies: {
        ...key.policies,
        pending_policies: [{ kind: 5, namespace: 'shop', name: 'restrict', tier: 'default', action: 2 }],
      },
    };
    const r = record(goldmane(staged));
    expect(r.outcome).toBe('audit');
    expect(r.policies.at(-1)).toMatchObject({
      kind: 'StagedKubernetesNetworkPolicy',
      name: 'restrict',
      action: 'deny',
      pending: true,
    });
    expect(
      record(goldmane({ ...key, action: 1, proto: '17', reporter: 2, source_type: 4, source_name: 'pvt' })),
    ).toMatchObject({
      outcome: 'allowed',
      protocol: 'UDP',
      direction: 'ingress',
      source: { entity: 'network-private' },
    });
  });

  it('skips ICMP and Pass, names bad fields', () => {
    expect(goldmane({ ...key, proto: 'icmp' })).toEqual({ kind: 'skip', reason: 'icmp' });
    expect(goldmane({ ...key, action: 'Pass' })).toEqual({ kind: 'skip', reason: 'pass' });
    expect(goldmane({ ...key, dest_port: '0' })).toMatchObject({ kind: 'error', field: 'dest_port' });
    expect(goldmane({ ...key, action: 'Maybe' })).toMatchObject({ kind: 'error', field: 'action' });
    expect(goldmane({ ...key, proto: undefined })).toMatchObject({ kind: 'error', field: 'proto' });
  });

  it('names NetworkSets and HostEndpoints as entities no NetworkPolicy names', () => {
    expect(record(goldmane({ ...key, dest_type: 'NetworkSet', dest_name: 'partners' })).destination).toEqual({
      entity: 'other',
      detail: 'NetworkSet shop/partners',
    });
    expect(record(goldmane({ ...key, source_type: 2, source_name: 'node-1-eth0' })).source.entity).toBe(
      'other',
    );
  });
});
