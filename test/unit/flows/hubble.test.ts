import { describe, expect, it } from 'vitest';
import { parseValue } from '../../../shared/flows/index.ts';
import { ciliumPodLabels } from '../../../shared/flows/hubble.ts';
import type { FlowRecord, RecordParse } from '../../../shared/flows/index.ts';

const flow = {
  time: '2026-12-02T09:00:01.123456789Z',
  verdict: 'FORWARDED',
  IP: { source: '10.0.1.10', destination: '10.0.1.20', ipVersion: 'IPv4' },
  l4: { TCP: { source_port: 40000, destination_port: 8080, flags: { SYN: true } } },
  source: {
    identity: 21234,
    namespace: 'shop',
    pod_name: 'web-1',
    labels: [
      'k8s:app=web',
      'k8s:io.kubernetes.pod.namespace=shop',
      'k8s:io.cilium.k8s.policy.cluster=default',
    ],
  },
  destination: { identity: 33012, namespace: 'shop', pod_name: 'api-1', labels: ['k8s:app=api'] },
  Type: 'L3_L4',
  traffic_direction: 'EGRESS',
  is_reply: false,
  egress_allowed_by: [
    {
      name: 'web-egress',
      namespace: 'shop',
      labels: ['k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy'],
      revision: '3',
    },
  ],
};

function record(p: RecordParse): FlowRecord {
  if (p.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(p)}`);
  return p.record;
}

describe('Hubble reader', () => {
  it('reads a GetFlowsResponse and a bare Flow alike', () => {
    const wrapped = record(parseValue({ flow, node_name: 'worker-1', time: flow.time }));
    const bare = record(parseValue(flow));
    expect(bare).toEqual(wrapped);
    expect(wrapped).toMatchObject({
      format: 'hubble',
      protocol: 'TCP',
      port: 8080,
      outcome: 'allowed',
      direction: 'egress',
      start: Date.parse('2026-12-02T09:00:01.123Z'),
      count: 1,
      source: { entity: 'workload', namespace: 'shop', podName: 'web-1', ip: '10.0.1.10' },
      destination: { entity: 'workload', namespace: 'shop', podName: 'api-1', ip: '10.0.1.20' },
      policies: [{ kind: 'NetworkPolicy', name: 'web-egress', namespace: 'shop', action: 'allow' }],
    });
  });

  it('keeps only the pod labels of the k8s source', () => {
    expect(ciliumPodLabels(flow.source.labels)).toEqual({ app: 'web' });
    expect(ciliumPodLabels(['reserved:world', 'cidr:1.2.3.4/32', 'k8s:tier=', 'container:x=y'])).toEqual({
      tier: '',
    });
  });

  it('reads lowerCamel keys and numeric enums (other protojson writers)', () => {
    const camel = {
      verdict: 2,
      dropReasonDesc: 'POLICY_DENIED',
      IP: { source: '198.51.100.7', destination: '10.0.1.20' },
      l4: { UDP: { sourcePort: 5353, destinationPort: 53 } },
      source: { identity: 2, labels: ['reserved:world'] },
      destination: { namespace: 'kube-system', podName: 'coredns-1' },
      trafficDirection: 'INGRESS',
      isReply: false,
    };
    expect(record(parseValue(camel))).toMatchObject({
      outcome: 'denied',
      dropReason: 'POLICY_DENIED',
      protocol: 'UDP',
      port: 53,
      direction: 'ingress',
      source: { entity: 'world', ip: '198.51.100.7' },
      destination: { entity: 'workload', podName: 'coredns-1' },
    });
  });

  it('tells policy drops from other drops, and audit from forwarded', () => {
    const drop = (extra: object): RecordParse => parseValue({ ...flow, verdict: 'DROPPED', ...extra });
    expect(record(drop({ drop_reason_desc: 'POLICY_DENY' })).outcome).toBe('denied');
    expect(record(drop({ drop_reason: 133 })).outcome).toBe('denied');
    expect(record(drop({ drop_reason_desc: 'CT_MAP_INSERTION_FAILED' }))).toMatchObject({
      outcome: 'dropped-other',
      dropReason: 'CT_MAP_INSERTION_FAILED',
    });
    expect(record(parseValue({ ...flow, verdict: 'AUDIT' })).outcome).toBe('audit');
    expect(record(parseValue({ ...flow, verdict: 'REDIRECTED' })).outcome).toBe('allowed');
  });

  it('counts what it does not compare, and names what is wrong', () => {
    expect(parseValue({ ...flow, is_reply: true })).toEqual({ kind: 'skip', reason: 'reply' });
    expect(parseValue({ ...flow, Type: 'L7', l7: { http: {} } })).toEqual({ kind: 'skip', reason: 'l7' });
    expect(parseValue({ ...flow, l4: { ICMPv4: { type: 8 } } })).toEqual({ kind: 'skip', reason: 'icmp' });
    const { IP: _ip, ...noIp } = flow;
    expect(parseValue(noIp)).toEqual({ kind: 'skip', reason: 'non-ip' });
    expect(parseValue({ ...flow, verdict: 'TRACED' })).toEqual({ kind: 'skip', reason: 'trace' });
    expect(parseValue({ ...flow, verdict: 'ERROR' })).toEqual({ kind: 'skip', reason: 'error' });
    expect(parseValue({ lost_events: { num_events_lost: 3 } })).toEqual({
      kind: 'skip',
      reason: 'not-a-flow',
    });
    expect(parseValue({ ...flow, l4: { TCP: { source_port: 1 } } })).toMatchObject({
      kind: 'error',
      field: 'l4',
    });
    expect(parseValue({ flow: 'x' })).toMatchObject({ kind: 'error', field: 'flow' });
  });

  it('reads reserved identities: world, host, and entities no policy names', () => {
    const src = (source: object): FlowRecord => record(parseValue({ ...flow, source }));
    expect(src({ identity: 1, labels: ['reserved:host'] }).source.entity).toBe('host');
    expect(src({ identity: 6 }).source.entity).toBe('host');
    expect(src({ identity: 4, labels: ['reserved:health'] }).source).toMatchObject({
      entity: 'other',
      detail: 'reserved:health',
    });
    expect(src({ identity: 16777217, labels: ['cidr:198.51.100.0/24'] }).source.entity).toBe('world');
  });
});
