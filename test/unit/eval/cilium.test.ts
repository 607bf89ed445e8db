/**
 * Cilium policies in the evaluator: which rule an explanation names (spec index, ingressDeny[i]), the
 * conditional verdict and its reason, isolation, and how the Cilium rules sit between the Admin tier
 * and Baseline.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer, formatTierChain, type ConnectionVerdict } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
status: {podIP: 10.0.0.2}
`;

function check(policies: string, port = 5432): ConnectionVerdict {
  const s = snapshotFromText(`${CLUSTER}---\n${policies}`, 'm.yaml');
  expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return createAnalyzer(s).check({
    from: { kind: 'pod', namespace: 'shop', name: 'web' },
    to: { kind: 'pod', namespace: 'shop', name: 'db' },
    protocol: 'TCP',
    port,
  });
}

const DB_SPECS = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db, namespace: shop}
specs:
- endpointSelector: {matchLabels: {app: db}}
  ingress: [{fromEndpoints: [{matchLabels: {app: web}}]}]
- endpointSelector: {matchLabels: {app: db}}
  ingressDeny: [{fromEndpoints: [{matchLabels: {app: web}}], toPorts: [{ports: [{port: "22"}]}]}]
`;

describe('Cilium rules in explanations', () => {
  it('names the deciding allow rule by its spec index', () => {
    const v = check(DB_SPECS);
    expect(v.verdict).toBe('allowed');
    expect(v.ingress.kind === 'allowed' && v.ingress.tiers?.cilium).toEqual({
      policy: 'CiliumNetworkPolicy:shop/db',
      kind: 'CiliumNetworkPolicy',
      direction: 'ingress',
      rule: 'specs[0].ingress[0]',
      action: 'Allow',
      port: 'any',
    });
    expect(formatTierChain(v.ingress, 'ingress')).toBe(
      'Cilium `CiliumNetworkPolicy:shop/db` specs[0].ingress[0] (any port) Allow',
    );
  });

  it('a deny rule of another spec beats the allow, and is named', () => {
    const v = check(DB_SPECS, 22);
    expect(v.verdict).toBe('denied');
    expect(v.ingress.kind === 'denied' && v.ingress.tiers?.cilium?.rule).toBe('specs[1].ingressDeny[0]');
    expect(formatTierChain(v.ingress, 'ingress')).toBe(
      'Cilium `CiliumNetworkPolicy:shop/db` specs[1].ingressDeny[0] (toPorts[0]) Deny',
    );
  });

  it('an L7 rule gives a conditional verdict that says which requests', () => {
    const v = check(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l7, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: db}}
  ingress:
  - toPorts: [{ports: [{port: "5432"}], rules: {l7proto: pgsql}}]`);
    expect(v.verdict).toBe('conditional');
    expect(v.ingress).toMatchObject({ kind: 'unknown', conditional: true });
    expect(v.ingress.kind === 'unknown' && v.ingress.reason).toBe(
      'CiliumNetworkPolicy:shop/l7 spec.ingress[0]: allowed only for pgsql requests',
    );
    expect(v.egress.kind).toBe('not-isolated');
  });

  it('isolation() lists the Cilium policies that put a pod in default deny', () => {
    const s = snapshotFromText(`${CLUSTER}---\n${DB_SPECS}`, 'm.yaml');
    const iso = createAnalyzer(s).isolation('shop/db');
    expect(iso.ingress).toMatchObject({ isolated: true, policies: ['CiliumNetworkPolicy:shop/db'] });
    expect(iso.egress).toMatchObject({ isolated: false, policies: [] });
  });

  it('Admin Pass reaches the Cilium rules; Baseline is read only where nothing isolates', () => {
    const admin = `apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: pass}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  ingress: [{action: Pass, from: [{namespaces: {}}]}]
---
apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: baseline-deny}
spec:
  tier: Baseline
  priority: 1
  subject: {namespaces: {}}
  ingress: [{action: Deny, from: [{namespaces: {}}]}]
`;
    const soft = `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: soft}
spec:
  endpointSelector: {matchLabels: {app: db}}
  enableDefaultDeny: {ingress: false}
  ingress: [{fromEndpoints: [{matchLabels: {app: web}}], toPorts: [{ports: [{port: "5432"}]}]}]`;
    // An allow of a policy that does not isolate still allows, before Baseline.
    const open = check(`${admin}---\n${soft}`);
    expect(open.verdict).toBe('allowed');
    const trace = open.ingress.kind !== 'not-subject' ? open.ingress.tiers : undefined;
    expect([trace?.admin?.action, trace?.cilium?.policy, trace?.decidedBy]).toEqual([
      'Pass',
      'CiliumClusterwideNetworkPolicy:soft',
      'NetworkPolicy',
    ]);
    // Where it does not match, nothing isolates the pod: Baseline decides.
    const other = check(`${admin}---\n${soft}`, 80);
    expect(other.verdict).toBe('denied');
    expect(other.ingress.kind !== 'not-subject' && other.ingress.tiers?.decidedBy).toBe('Baseline');
    // With default deny, the NetworkPolicy tier denies and Baseline is not read.
    const strict = check(
      `${admin}---\n${soft.replace('enableDefaultDeny: {ingress: false}', 'enableDefaultDeny: {ingress: true}')}`,
      80,
    );
    expect(strict.verdict).toBe('denied');
    expect(strict.ingress).toMatchObject({
      kind: 'denied',
      policies: ['CiliumClusterwideNetworkPolicy:soft'],
      tiers: { decidedBy: 'NetworkPolicy', baselinePolicies: ['baseline-deny'] },
    });
    expect(strict.ingress.kind === 'denied' && strict.ingress.tiers?.baseline).toBeUndefined();
  });
});

describe('a Cilium policy changed through update', () => {
  const DENY_DB = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny-db, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: db}}
  ingressDeny:
  - fromEndpoints: [{matchLabels: {app: web}}]
`;
  const q = {
    from: { kind: 'pod', namespace: 'shop', name: 'web' },
    to: { kind: 'pod', namespace: 'shop', name: 'db' },
    protocol: 'TCP',
    port: 5432,
  } as const;

  it('answers as a fresh analysis does, after an upsert and after a removal', () => {
    const without = snapshotFromText(CLUSTER, 'm.yaml');
    const withDeny = snapshotFromText(`${CLUSTER}---\n${DENY_DB}`, 'm.yaml');
    const policy = withDeny.ciliumPolicies?.[0];
    expect(policy).toBeDefined();
    if (policy === undefined) return;
    const a = createAnalyzer(without);
    expect(a.check(q).verdict).toBe('allowed');
    expect(a.update([{ kind: 'upsertCiliumPolicy', policy }]).mode).toBe('rebuild');
    expect(a.check(q).verdict).toBe(createAnalyzer(withDeny).check(q).verdict);
    expect(a.check(q).verdict).toBe('denied');
    expect(a.summary()).toEqual(createAnalyzer(withDeny).summary());
    a.update([{ kind: 'removeCiliumPolicy', key: 'CiliumNetworkPolicy:shop/deny-db' }]);
    expect(a.check(q).verdict).toBe('allowed');
    expect(a.summary()).toEqual(createAnalyzer(without).summary());
  });
});
