import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { FlowImport, generatePolicies, policyYaml, workloadsOf } from '../../../shared/flows/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { Pod, Snapshot } from '../../../shared/model/snapshot.ts';
import { FIXTURES, fixtureSnapshot } from './fixtures.ts';

function generated(file: string) {
  const snapshot = fixtureSnapshot();
  const flows = new FlowImport(snapshot, createAnalyzer(snapshot));
  flows.readText(file, readFileSync(join(FIXTURES, file), 'utf8'));
  return { snapshot, result: generatePolicies(snapshot, flows.aggregator.flows) };
}

const pod = (namespace: string, name: string, labels: Record<string, string>, owner?: string): Pod => ({
  namespace,
  name,
  labels,
  ips: [],
  ports: [],
  hostNetwork: false,
  fromTemplate: false,
  ...(owner ? { owner: { kind: 'Deployment', name: owner } } : {}),
});

describe('policy drafts from observed flows', () => {
  it('one policy per workload, selectors from stable labels, named ports, namespaces by name', () => {
    const { result } = generated('hubble.jsonl');
    const byName = new Map(result.policies.map((g) => [`${g.policy.namespace}/${g.policy.name}`, g]));
    expect([...byName.keys()].sort()).toEqual([
      'db/observed-postgres',
      'kube-system/observed-kube-dns',
      'shop/observed-cart',
      'shop/observed-checkout',
      'shop/observed-web',
    ]);
    const web = byName.get('shop/observed-web');
    // Both replicas, without pod-template-hash.
    expect(web?.workload.pods.map((p) => p.name).sort()).toEqual([
      'web-7d9f8c6b5-abcde',
      'web-7d9f8c6b5-fghij',
    ]);
    expect(web?.policy.podSelector).toEqual({
      matchLabels: { app: 'web', tier: 'frontend' },
      matchExpressions: [],
    });
    expect(web?.policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(web?.policy.ingress).toEqual([
      {
        peers: [{ kind: 'ipBlock', ipBlock: { cidr: '198.51.100.7/32', except: [] } }],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ]);
    // Seen egress: checkout (its port is named http), cart (redis), DNS in kube-system (dns, by namespace name).
    expect(web?.policy.egress).toEqual([
      {
        peers: [
          {
            kind: 'selector',
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
              matchExpressions: [],
            },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] },
          },
        ],
        ports: [{ protocol: 'UDP', port: 'dns' }],
      },
      {
        peers: [{ kind: 'selector', podSelector: { matchLabels: { app: 'cart' }, matchExpressions: [] } }],
        ports: [{ protocol: 'TCP', port: 'redis' }],
      },
      {
        peers: [
          {
            kind: 'selector',
            podSelector: { matchLabels: { app: 'checkout', tier: 'backend' }, matchExpressions: [] },
          },
        ],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ]);
    // Dropped and audit flows allow nothing; the unmapped old pod is left out with its reason.
    expect(byName.get('db/observed-postgres')?.policy.ingress).toHaveLength(1);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.reason).toContain('not in the snapshot');
  });

  it('writes YAML the manifest loader reads back to the same policy', () => {
    const { result } = generated('hubble.jsonl');
    for (const g of result.policies) {
      const text = policyYaml(g.policy);
      expect(text).toContain('netglass.io/description');
      const back = snapshotFromText(text, 'draft.yaml');
      expect(back.issues.filter((i) => i.severity !== 'info')).toEqual([]);
      const { location: _l, ...policy } = back.policies[0] ?? g.policy;
      expect(policy).toEqual(g.policy);
    }
  });

  it('Calico workload aggregates give the same workloads', () => {
    const { result } = generated('calico-whisker.json');
    expect(result.policies.map((g) => `${g.policy.namespace}/${g.policy.name}`).sort()).toEqual([
      'db/observed-postgres',
      'shop/observed-cart',
      'shop/observed-checkout',
      'shop/observed-web',
    ]);
  });

  it('merges workloads whose selectors would reach each other, so a selector selects only its workload', () => {
    const snapshot: Snapshot = {
      source: { kind: 'demo' },
      namespaces: [],
      pods: [
        pod('a', 'api-1', { app: 'api', 'pod-template-hash': '1' }, 'api'),
        pod('a', 'api-canary-1', { app: 'api', track: 'canary' }, 'api-canary'),
        pod('a', 'db-0', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' }),
        pod('a', 'db-1', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1' }),
        pod('b', 'lonely', {}),
        pod('b', 'worker-1', { app: 'worker' }, 'worker'),
      ],
      policies: [],
      clusterPolicies: [],
      issues: [],
      skippedKinds: {},
    };
    const w = workloadsOf(snapshot, new Set(['a', 'b']));
    const of = (name: string, ns = 'a'): string[] =>
      (w.get(`${ns}/${name}`)?.pods.map((p) => p.name) ?? []).sort();
    // {app: api} selects the canary too: one workload.
    expect(of('api-1')).toEqual(['api-1', 'api-canary-1']);
    expect(w.get('a/api-1')?.selector).toEqual({ app: 'api' });
    expect(of('db-0')).toEqual(['db-0', 'db-1']);
    expect(w.get('a/db-1')?.selector).toEqual({ app: 'db' });
    // A pod without labels can only be named with every pod of its namespace.
    expect(of('lonely', 'b')).toEqual(['lonely', 'worker-1']);
    expect(w.get('b/worker-1')?.selector).toEqual({});
  });
});
