/**
 * `diffConnections` with Calico policies: they are listed (`calicoPolicies`, by `calicoPolicyKey`,
 * staged ones under their own kind), their nets split the compared external addresses, and an edit the
 * per-policy attribution does not follow (a Calico policy) is compared at every pair even when a
 * NetworkPolicy changed beside it.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer, diffConnections } from '../../../shared/eval/index.ts';
import { shopWith } from '../../fixtures/calico-editor/cluster.ts';

const DENY_DOCS = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: no-docs-net}
spec:
  selector: app == 'web'
  types: [Egress]
  egress:
    - action: Deny
      destination:
        nets: [203.0.113.0/24]
    - action: Allow
`;

const ISOLATE_DB = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.db-closed, namespace: shop}
spec:
  selector: app == 'db'
  types: [Ingress]
`;

const API_NP = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-open, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{}]
`;

function inDocsNet(ip: string): boolean {
  return ip.startsWith('203.0.113.');
}

describe('diff with Calico policies', () => {
  it('lists added, removed and changed Calico policies by key; the tier prefix and labels are not changes', () => {
    const before = shopWith(ISOLATE_DB);
    const after = shopWith(DENY_DOCS);
    const d = diffConnections(before, after);
    expect(d.calicoPolicies).toEqual({
      added: ['Calico:GlobalNetworkPolicy/default.no-docs-net'],
      removed: ['Calico:NetworkPolicy/shop/default.db-closed'],
      changed: [],
    });
    const renamedOnly = shopWith(
      ISOLATE_DB.replace('name: default.db-closed', 'name: db-closed, labels: {team: a}'),
    );
    expect(diffConnections(before, renamedOnly).calicoPolicies).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
    expect(
      diffConnections(before, renamedOnly).counts.added + diffConnections(before, renamedOnly).counts.removed,
    ).toBe(0);
    const opened = shopWith(
      ISOLATE_DB.replace('types: [Ingress]', 'types: [Ingress]\n  ingress: [{action: Allow}]'),
    );
    const changed = diffConnections(before, opened);
    expect(changed.calicoPolicies.changed).toEqual(['Calico:NetworkPolicy/shop/default.db-closed']);
    expect(changed.counts.added).toBeGreaterThan(0);
    expect(changed.counts.removed).toBe(0);
  });

  it('compares an address inside a Calico net and one outside it, and finds the connections it closes', () => {
    const before = shopWith();
    const after = shopWith(DENY_DOCS);
    const d = diffConnections(before, after);
    expect(d.universe.externals.some(inDocsNet)).toBe(true);
    expect(d.universe.externals.some((ip) => !inDocsNet(ip))).toBe(true);
    const removed = d.removed.filter((c) => c.to.kind === 'external');
    expect(removed.length).toBeGreaterThan(0);
    for (const c of removed) {
      expect(c.from).toEqual({ kind: 'pod', namespace: 'shop', name: 'web-0' });
      expect(c.to.kind === 'external' && inDocsNet(c.to.ip)).toBe(true);
    }
    // Counts agree with the analyzer's own answer for each changed connection.
    for (const c of d.removed)
      expect(
        createAnalyzer(after).check({ from: c.from, to: c.to, port: c.port, protocol: c.protocol }).verdict,
      ).toBe('denied');
  });

  it('a staged policy is listed under its own kind and changes no connection', () => {
    const before = shopWith();
    const after = shopWith(ISOLATE_DB.replace('kind: NetworkPolicy', 'kind: StagedNetworkPolicy'));
    const d = diffConnections(before, after);
    expect(d.calicoPolicies.added).toEqual(['Calico:StagedNetworkPolicy/shop/default.db-closed']);
    expect(d.counts.added + d.counts.removed).toBe(0);
  });

  it('a Calico edit beside a NetworkPolicy edit is compared at every pair, not only at the NetworkPolicy’s', () => {
    const before = shopWith();
    const after = shopWith(API_NP, ISOLATE_DB);
    const d = diffConnections(before, after);
    expect(d.policies.added).toEqual(['shop/api-open']);
    expect(d.calicoPolicies.added).toEqual(['Calico:NetworkPolicy/shop/default.db-closed']);
    const intoDb = d.removed.filter((c) => c.to.kind === 'pod' && c.to.name === 'db-0');
    expect(intoDb.length).toBeGreaterThan(0);
    const alone = diffConnections(before, shopWith(ISOLATE_DB));
    expect(d.counts.removed).toBe(alone.counts.removed);
  });
});
