/**
 * Tightening an existing policy to the flows seen through it (shared/flows/tighten.ts), on the flow
 * fixtures: an unused rule goes, explicit rules stay as written, open rules shrink to the seen peers
 * and ports, and the policy keeps its types. The property test (test/property/flows.test.ts) checks
 * on random clusters that nothing new is allowed and every seen flow stays allowed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { FlowImport, tightenPolicy } from '../../../shared/flows/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { NetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import { FIXTURES, fixtureSnapshot } from './fixtures.ts';

function findings(snapshot: Snapshot) {
  const flows = new FlowImport(snapshot, createAnalyzer(snapshot));
  flows.readText('hubble.jsonl', readFileSync(join(FIXTURES, 'hubble.jsonl'), 'utf8'));
  return flows.compare().findings;
}

const policy = (s: Snapshot, key: string): NetworkPolicy => {
  const p = s.policies.find((x) => `${x.namespace}/${x.name}` === key);
  if (p === undefined) throw new Error(`no ${key}`);
  return p;
};

describe('tightenPolicy', () => {
  it('removes the rule no seen flow used and keeps the explicit ones as written', () => {
    const snapshot = fixtureSnapshot();
    const checkout = policy(snapshot, 'shop/checkout');
    const t = tightenPolicy(snapshot, checkout, findings(snapshot));
    expect(t.rules.map((r) => `${r.kind} ${r.direction}[${r.rule}]`)).toEqual([
      'kept ingress[0]',
      'kept egress[0]',
      'removed egress[1]',
    ]);
    expect(t.policy.ingress).toEqual(checkout.ingress);
    expect(t.policy.egress).toEqual([checkout.egress[0]]);
    expect(t.policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(t.flows).toBe(2);
    expect(t.policy.annotations['netglass.io/description']).toMatch(
      /^Tightened by netglass from 2 seen flows/,
    );
  });

  it('narrows open rules to the seen peers and ports, named as the destination pods name them', () => {
    const text = `${readFileSync(join(FIXTURES, 'cluster.yaml'), 'utf8')}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: checkout-open, namespace: shop }
spec:
  podSelector: { matchLabels: { app: checkout } }
  policyTypes: [Ingress]
  ingress:
    - {}
`;
    const snapshot = snapshotFromText(text, 'cluster.yaml');
    const open = policy(snapshot, 'shop/checkout-open');
    const t = tightenPolicy(snapshot, open, findings(snapshot));
    expect(t.rules).toEqual([
      { kind: 'narrowed', direction: 'ingress', rule: 0, peers: true, ports: true, into: 1 },
    ]);
    const [rule] = t.policy.ingress;
    // The web workload (same namespace: a pod selector alone) on the port the checkout pods name http.
    expect(rule?.ports).toEqual([{ protocol: 'TCP', port: 'http' }]);
    expect(rule?.peers).toEqual([
      {
        kind: 'selector',
        podSelector: { matchLabels: { app: 'web', tier: 'frontend' }, matchExpressions: [] },
      },
    ]);
  });
});
