import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, Pod, Snapshot } from '../../../shared/model/snapshot.ts';
import { buildElements } from '../../../renderer/src/graph/elements.ts';
import {
  describeSelector,
  podDisplayName,
  policyNotes,
  summarizeNamespaces,
  summarizePolicies,
} from '../../../renderer/src/model/summary.ts';

const pod = (namespace: string, name: string, extra: Partial<Pod> = {}): Pod => ({
  namespace,
  name,
  labels: {},
  ips: ['10.0.0.1'],
  ports: [],
  phase: 'Running',
  hostNetwork: false,
  fromTemplate: false,
  ...extra,
});

const policy = (namespace: string, name: string, extra: Partial<NetworkPolicy> = {}): NetworkPolicy => ({
  namespace,
  name,
  podSelector: { matchLabels: {}, matchExpressions: [] },
  policyTypes: ['Ingress'],
  policyTypesDeclared: true,
  ingress: [],
  egress: [],
  labels: {},
  annotations: {},
  ...extra,
});

const snapshot: Snapshot = {
  source: { kind: 'demo' },
  namespaces: [
    { name: 'kube-system', labels: {}, declared: true },
    { name: 'shop', labels: {}, declared: true },
    { name: 'empty', labels: {}, declared: false },
  ],
  pods: [
    pod('shop', 'web-5d8f7-abcde', { owner: { kind: 'Deployment', name: 'web' } }),
    pod('shop', 'db-0', { owner: { kind: 'StatefulSet', name: 'db' }, phase: 'Pending' }),
    pod('kube-system', 'kube-proxy-x1', { hostNetwork: true }),
  ],
  policies: [
    policy('shop', 'default-deny'),
    policy('shop', 'egress-only', {
      podSelector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
      },
      policyTypes: ['Egress'],
      ingress: [{ peers: 'any', ports: 'any' }],
      egress: [],
    }),
  ],
  issues: [],
  clusterPolicies: [],
  skippedKinds: {},
};

describe('graph elements', () => {
  it('makes namespaces compound parents of their pods, system namespaces last', () => {
    const els = buildElements(snapshot);
    expect(els.slice(0, 3).map((e) => e.data.id)).toEqual(['ns:empty', 'ns:shop', 'ns:kube-system']);
    expect(els.find((e) => e.data.id === 'pod:shop/web-5d8f7-abcde')).toMatchObject({
      data: { parent: 'ns:shop', label: 'web\nabcde', kind: 'pod', ref: 'shop/web-5d8f7-abcde' },
    });
    const db = els.find((e) => e.data.id === 'pod:shop/db-0');
    expect(db?.data.label).toBe('db-0');
    expect(db?.classes).toContain('not-running');
    expect(els.find((e) => e.data.id === 'pod:kube-system/kube-proxy-x1')?.classes).toContain('host-network');
  });
});

describe('summaries', () => {
  it('counts pods and policies per namespace and spots namespace-wide default deny', () => {
    const ns = summarizeNamespaces(snapshot);
    expect(
      ns.map((n) => [n.name, n.podCount, n.policyCount, n.defaultDenyIngress, n.defaultDenyEgress]),
    ).toEqual([
      ['empty', 0, 0, false, false],
      ['shop', 2, 2, true, false],
      ['kube-system', 1, 0, false, false],
    ]);
  });

  it('describes selectors and notes what a policy really does', () => {
    expect(describeSelector({ matchLabels: {}, matchExpressions: [] })).toBe('all pods');
    const [deny, egressOnly] = summarizePolicies(snapshot);
    expect(deny?.notes).toEqual(['denies-all-ingress']);
    expect(egressOnly?.selector).toBe('app=web, tier in (a, b)');
    expect(policyNotes(snapshot.policies[1] as NetworkPolicy)).toEqual([
      'ingress-rules-ignored',
      'denies-all-egress',
    ]);
  });

  it('splits pod names for display', () => {
    expect(
      podDisplayName(pod('a', 'users-api-7c9d8-x2kq9', { owner: { kind: 'Deployment', name: 'users-api' } })),
    ).toEqual({
      primary: 'users-api',
      secondary: 'x2kq9',
    });
    expect(
      podDisplayName(pod('a', 'users-db-1', { owner: { kind: 'StatefulSet', name: 'users-db' } })),
    ).toEqual({ primary: 'users-db-1', secondary: '' });
    expect(podDisplayName(pod('a', 'standalone'))).toEqual({ primary: 'standalone', secondary: '' });
  });
});
