/**
 * Which pods Calico policies isolate (`isolation`, the summary's counts) and which pods a Calico policy
 * applies to (`calicoSubjects`), from Calico's documented semantics: a policy applying to an endpoint
 * in a tier whose default action is Deny ends its tier in a deny; a tier with default action Pass sends
 * what it leaves undecided on; staged policies change nothing; host-network pods are not workload
 * endpoints; a selector over service-account labels (which netglass does not read) only possibly applies.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';

const PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops}
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
---
apiVersion: v1
kind: Pod
metadata: {name: node-agent, namespace: shop, labels: {app: web}}
spec: {hostNetwork: true}
status: {podIP: 192.168.1.5}
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: ops, labels: {app: tool}}
status: {podIP: 10.0.0.3}
`;

function analyzer(policies: string) {
  return createAnalyzer(snapshotFromText(`${PODS}---\n${policies}`));
}

const WEB_INGRESS = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec:
  selector: app == 'web'
  ingress:
  - action: Allow
    protocol: TCP
    destination: {ports: [80]}
`;

describe('Calico isolation', () => {
  it('a policy in the default tier isolates the pods it applies to, in the directions of its types', () => {
    const a = analyzer(WEB_INGRESS);
    const web = a.isolation('shop/web');
    expect(web.ingress).toEqual({
      isolated: true,
      policies: ['Calico:NetworkPolicy/shop/default.web-in'],
      adminPolicies: [],
    });
    expect(web.egress.isolated).toBe(false);
    expect(a.isolation('shop/db').ingress.isolated).toBe(false);
    // A host-network pod is a host endpoint, not a workload endpoint: namespaced policies skip it.
    expect(a.isolation('shop/node-agent').ingress.isolated).toBe(false);
    expect(a.summary().isolated).toEqual({ ingress: 1, egress: 0, hostNetwork: 1 });
    expect(a.stats().calicoPolicies).toEqual({ enforced: 1, staged: 0 });
  });

  it('a GlobalNetworkPolicy with a namespaceSelector isolates every pod of the namespaces it picks', () => {
    const a = analyzer(`
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: shop-deny}
spec:
  namespaceSelector: team == 'shop'
  types: [Ingress, Egress]
`);
    for (const pod of ['shop/web', 'shop/db']) {
      expect(a.isolation(pod).ingress.policies).toEqual(['Calico:GlobalNetworkPolicy/default.shop-deny']);
      expect(a.isolation(pod).egress.isolated).toBe(true);
    }
    expect(a.isolation('ops/tool').ingress.isolated).toBe(false);
    expect(a.summary().isolated).toEqual({ ingress: 2, egress: 2, hostNetwork: 1 });
    expect(a.calicoSubjects('Calico:GlobalNetworkPolicy/default.shop-deny')).toEqual({
      sure: ['shop/db', 'shop/web'],
      possibly: [],
    });
  });

  it('a tier whose default action is Pass isolates nobody', () => {
    const a = analyzer(`
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100, defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.watch}
spec:
  tier: security
  selector: all()
  types: [Ingress]
`);
    expect(a.isolation('shop/web').ingress).toEqual({ isolated: false, policies: [], adminPolicies: [] });
    expect(a.summary().isolated.ingress).toBe(0);
    // It still applies to the pods: only its tier's end passes.
    expect(a.calicoSubjects('Calico:GlobalNetworkPolicy/security.watch').sure).toEqual([
      'ops/tool',
      'shop/db',
      'shop/web',
    ]);
  });

  it('a staged policy isolates nothing and applies to no pod', () => {
    const a = analyzer(WEB_INGRESS.replace('kind: NetworkPolicy', 'kind: StagedNetworkPolicy'));
    expect(a.isolation('shop/web').ingress.isolated).toBe(false);
    expect(a.stats().calicoPolicies).toEqual({ enforced: 0, staged: 1 });
    expect(a.calicoSubjects('Calico:StagedNetworkPolicy/shop/default.web-in')).toEqual({
      sure: [],
      possibly: [],
    });
  });

  it('a serviceAccountSelector makes isolation unknown, and counts as unknown in the summary', () => {
    const a = analyzer(`
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: by-account, namespace: shop}
spec:
  selector: app == 'db'
  serviceAccountSelector: role == 'db'
  types: [Ingress]
`);
    expect(a.isolation('shop/db').ingress).toEqual({ isolated: 'unknown', policies: [], adminPolicies: [] });
    expect(a.calicoSubjects('Calico:NetworkPolicy/shop/default.by-account')).toEqual({
      sure: [],
      possibly: ['shop/db'],
    });
    const s = a.summary();
    expect(s.isolated.ingress).toBe(0);
    expect(s.isolatedUnknown.ingress).toBe(1);
  });

  it('an unknown policy key is refused', () => {
    expect(() => analyzer(WEB_INGRESS).calicoSubjects('Calico:NetworkPolicy/shop/default.nope')).toThrow(
      /unknown Calico policy/,
    );
  });
});
