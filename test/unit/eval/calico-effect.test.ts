/**
 * The effect of a Calico policy (`policyEffect`), against counts derived by hand from the policies:
 * on a two-pod namespace, over the analyzer's universe of P probes and X external addresses.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';

const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop, labels: {app: b}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.2}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: b-from-a, namespace: shop}
spec:
  selector: app == 'b'
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: app == 'a'}
    destination: {ports: [80]}
`;

const TIER = `
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: first}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: first.pass-a}
spec:
  tier: first
  selector: app == 'b'
  ingress:
  - action: Pass
    source: {selector: app == 'a'}
`;

describe('Calico policy effects', () => {
  it('an Allow rule permits what it matches; the tier default denies the rest to the pods it selects', () => {
    const s = snapshotFromText(CLUSTER);
    const a = createAnalyzer(s);
    const u = a.universe();
    const P = u.ports.length;
    const X = u.externals.length;
    const e = a.policyEffect('Calico:NetworkPolicy/shop/default.b-from-a');
    expect(e.selects).toEqual(['shop/b']);
    expect(e.isolates).toEqual({ ingress: true, egress: false });
    // a → b on 80/TCP flows by the rule; a → b on every other probe and every external → b is denied.
    expect(e.counts).toMatchObject({
      permittedFlowing: 1,
      permittedBlocked: 0,
      denied: P - 1 + P * X,
      passed: 0,
      unknown: 0,
    });
    expect(e.permittedFlowing).toEqual([
      {
        from: { kind: 'pod', namespace: 'shop', name: 'a' },
        to: { kind: 'pod', namespace: 'shop', name: 'b' },
        protocol: 'TCP',
        port: 80,
      },
    ]);
  });

  it('a Pass rule passes; what its tier denies that the next tier denies too is unaffected', () => {
    const a = createAnalyzer(snapshotFromText(CLUSTER + TIER));
    const P = a.universe().ports.length;
    const pass = a.policyEffect('Calico:GlobalNetworkPolicy/first.pass-a');
    expect(pass.counts).toMatchObject({ permittedFlowing: 0, denied: 0, passed: P, unknown: 0 });
    // The default tier's policy still decides a → b on 80 once the first tier passes it.
    const allow = a.policyEffect('Calico:NetworkPolicy/shop/default.b-from-a');
    expect(allow.counts.permittedFlowing).toBe(1);
  });

  it('a staged policy has no effect', () => {
    const staged = CLUSTER.replace('kind: NetworkPolicy', 'kind: StagedNetworkPolicy');
    const a = createAnalyzer(snapshotFromText(staged));
    const e = a.policyEffect('Calico:StagedNetworkPolicy/shop/default.b-from-a');
    expect(e.counts.unaffected).toBe(e.counts.total);
    expect(e.selects).toEqual([]);
  });
});

describe('Calico rule sides and the network sets they pick', () => {
  const SETS = `${CLUSTER}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {role: partner}}
spec: {nets: [203.0.113.0/24]}
---
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: partners-here, namespace: shop, labels: {role: partner}}
spec: {nets: [198.51.100.0/24]}
---
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: other, namespace: shop, labels: {role: other}}
spec: {nets: [192.0.2.0/24]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: partners-in, namespace: shop}
spec:
  selector: app == 'b'
  ingress:
  - action: Allow
    source: {selector: role == 'partner'}
  - action: Allow
    source: {selector: role == 'partner', namespaceSelector: global()}
  - action: Deny
    source: {selector: has(role), notSelector: role == 'other'}
`;

  it("follows the selector's namespace scope and its notSelector", () => {
    const a = createAnalyzer(snapshotFromText(SETS));
    const e = a.policyEffect('Calico:NetworkPolicy/shop/default.partners-in');
    expect(e.calicoNetworkSets).toEqual([
      // A namespaced policy's selector sees its own namespace's sets only.
      {
        direction: 'ingress',
        rule: 0,
        side: 'source',
        sure: ['NetworkSet:shop/partners-here'],
        possibly: [],
      },
      // global() selects the cluster-scoped sets.
      { direction: 'ingress', rule: 1, side: 'source', sure: ['GlobalNetworkSet:/partners'], possibly: [] },
      {
        direction: 'ingress',
        rule: 2,
        side: 'source',
        sure: ['NetworkSet:shop/partners-here'],
        possibly: [],
      },
    ]);
  });
});
