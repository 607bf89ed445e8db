/**
 * Calico policies in the renderer's model, on the UI fixture (test/fixtures/calico-ui/): the tiers and
 * policies in Calico's order (tiers by order, policies by order then name, no order last), the rows'
 * summaries and filter, the per-namespace counts, the rule wording shared with `netglass policy`, the
 * key kinds the renderer tells apart, the search index and the Markdown report.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { calicoRuleText } from '../../../shared/model/calico-wording.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { CalicoPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import { policyItems } from '../../../renderer/src/components/SidePanel.tsx';
import { policyReport } from '../../../renderer/src/export/policy-report.ts';
import {
  calicoIsolatedPodsPerNamespace,
  calicoKeyParts,
  calicoPoliciesPerNamespace,
  calicoTiers,
  calicoTierText,
  describeCalicoRules,
  findCalicoPolicy,
  listCalicoPolicies,
  summarizeCalicoPolicies,
} from '../../../renderer/src/model/calico.ts';
import { policyKeyKind } from '../../../renderer/src/model/cilium.ts';
import { buildSearchIndex, search } from '../../../renderer/src/model/search.ts';
import { summarizePolicies } from '../../../renderer/src/model/summary.ts';

const DIR = join(process.cwd(), 'test/fixtures/calico-ui');
const API = 'Calico:NetworkPolicy/shop/default.api-allow';
const METADATA = 'Calico:GlobalNetworkPolicy/security.block-metadata';
const DRAFT = 'Calico:StagedNetworkPolicy/shop/default.lockdown-draft';
const ORDER = [
  METADATA,
  'Calico:GlobalNetworkPolicy/platform.monitoring-scrape',
  DRAFT,
  API,
  'Calico:NetworkPolicy/shop/default.db-allow',
  'Calico:NetworkPolicy/payments/default.ledger-ingress',
];

const fixture = (): Promise<Snapshot> => loadManifests([DIR]);

describe('Calico policies in the renderer model', () => {
  it('lists tiers and policies in the order Calico reads them', async () => {
    const snapshot = await fixture();
    const tiers = calicoTiers(snapshot);
    expect(tiers.map((t) => [t.name, t.order, t.defaultAction])).toEqual([
      ['security', 100, 'Pass'],
      ['platform', 200, 'Deny'],
      ['default', 1_000_000, 'Deny'],
    ]);
    expect(calicoTierText(tiers[2] as (typeof tiers)[number])).toBe(
      'order 1,000,000 · default Deny · NetworkPolicies at order 1000',
    );
    expect(summarizeCalicoPolicies(snapshot).map((p) => p.key)).toEqual(ORDER);
  });

  it('reads undeclared tiers last, Calico’s own tiers at their orders, equal orders by name', () => {
    const policy = (tier: string, name: string, order?: number): string => `
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ${tier}.${name}}
spec:
  tier: ${tier}
  ${order !== undefined ? `order: ${order}` : ''}
  selector: all()
  ingress: [{action: Allow}]`;
    const snapshot = snapshotFromText(
      [
        policy('zeta', 'z'),
        policy('kube-baseline', 'b', 5),
        policy('default', 'no-order'),
        policy('default', 'b', 10),
        policy('default', 'a', 10),
        policy('kube-admin', 'a', 1),
        policy('early', 'e', 1),
        `
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: early}
spec: {order: 5}`,
      ].join('\n'),
    );
    const tiers = calicoTiers(snapshot);
    expect(tiers.map((t) => [t.name, t.defaultAction, t.declared])).toEqual([
      ['early', 'Deny', true],
      ['kube-admin', 'Pass', true],
      ['default', 'Deny', true],
      ['kube-baseline', 'Pass', true],
      ['zeta', 'Deny', false],
    ]);
    expect(calicoTierText(tiers[4] as (typeof tiers)[number])).toBe(
      'no order (read last) · default Deny · no Tier object declares it',
    );
    expect(summarizeCalicoPolicies(snapshot).map((p) => `${p.tier}.${p.name}`)).toEqual([
      'early.e',
      'kube-admin.a',
      'default.a',
      'default.b',
      'default.no-order',
      'kube-baseline.b',
      'zeta.z',
    ]);
  });

  it('summarizes each row: kind, namespace, selector, directions, actions, staged', async () => {
    const snapshot = await fixture();
    const rows = new Map(summarizeCalicoPolicies(snapshot).map((p) => [p.key, p]));
    expect(rows.get(API)).toMatchObject({
      kind: 'NetworkPolicy',
      name: 'api-allow',
      namespace: 'shop',
      tier: 'default',
      order: 100,
      selector: "app == 'api'",
      directions: ['Ingress'],
      actions: ['Allow', 'Deny', 'Log'],
      staged: false,
      conditional: false,
    });
    expect(rows.get(METADATA)).toMatchObject({ namespace: undefined, actions: ['Deny', 'Pass'] });
    expect(rows.get(DRAFT)).toMatchObject({ kind: 'StagedNetworkPolicy', staged: true });
    expect(rows.get('Calico:NetworkPolicy/payments/default.ledger-ingress')?.order).toBeUndefined();
  });

  it('counts enforced policies per namespace, and pods the badges say Calico isolates', async () => {
    const snapshot = await fixture();
    // The staged draft in shop is not counted: it protects nothing.
    expect(Object.fromEntries(calicoPoliciesPerNamespace(snapshot))).toEqual({ shop: 2, payments: 1 });
    expect(
      Object.fromEntries(
        calicoIsolatedPodsPerNamespace({
          'shop/api-0': { ingress: true, egress: false, hostNetwork: false, calico: true },
          'shop/web-0': { ingress: false, egress: false, hostNetwork: false },
          'payments/ledger-0': { ingress: true, egress: false, hostNetwork: false, calico: true },
        }),
      ),
    ).toEqual({ shop: 1, payments: 1 });
  });

  it('words rules as `netglass policy` does, condition by condition', async () => {
    const snapshot = await fixture();
    const policy = findCalicoPolicy(snapshot, API) as CalicoPolicy;
    const rules = describeCalicoRules(policy);
    expect(rules.map((r) => [r.label, r.action, r.protocols, r.source, r.destination])).toEqual([
      ['ingress[0]', 'Allow', ['TCP'], ["selector app == 'web'"], ['ports 8080']],
      ['ingress[1]', 'Log', ['TCP'], ['not nets 10.0.0.0/8'], []],
      ['ingress[2]', 'Deny', ['TCP'], ['nets 0.0.0.0/0'], ['not ports 8080']],
    ]);
    expect(rules.map((r) => r.text)).toEqual(policy.ingress.map(calicoRuleText));
    expect(rules[0]?.text).toBe("Allow TCP from selector app == 'web' to ports 8080");
    const ledger = describeCalicoRules(
      findCalicoPolicy(snapshot, 'Calico:NetworkPolicy/payments/default.ledger-ingress') as CalicoPolicy,
    );
    expect(ledger[0]?.source).toEqual([
      "namespaces kubernetes.io/metadata.name == 'shop'",
      "selector app == 'api'",
    ]);
  });

  it('tells Calico keys from NetworkPolicy keys, and names them short', () => {
    expect(policyKeyKind(API)).toBe('calico');
    expect(policyKeyKind(METADATA)).toBe('calico');
    expect(policyKeyKind('shop/api-allow')).toBe('network-policy');
    expect(calicoKeyParts(API)).toEqual({ name: 'default.api-allow', short: 'NP' });
    expect(calicoKeyParts(DRAFT)).toEqual({ name: 'default.lockdown-draft', short: 'staged NP' });
    expect(calicoKeyParts(METADATA)).toEqual({ name: 'security.block-metadata', short: 'GNP' });
  });

  it('groups the policy list: a Calico group with a heading per tier, filtered by selector, tier or kind', async () => {
    const snapshot = await fixture();
    const calico = listCalicoPolicies(snapshot);
    const nps = summarizePolicies(snapshot);
    const label = (items: ReturnType<typeof policyItems>): string[] =>
      items.flatMap((i) =>
        i.kind === 'group'
          ? [`#${i.tier} ${i.shown}/${i.total}`]
          : [
              ...(i.kind === 'calico' && i.tierHead !== undefined
                ? [`tier ${i.tierHead.tier.name} ${i.tierHead.shown}/${i.tierHead.total}`]
                : []),
              i.policy.key,
            ],
      );
    expect(label(policyItems(nps, [], '', 'all', [], calico))).toEqual([
      '#Calico 6/6',
      'tier security 1/1',
      ORDER[0],
      'tier platform 1/1',
      ORDER[1],
      'tier default 4/4',
      ...ORDER.slice(2),
      '#NetworkPolicy 1/1',
      'monitoring/deny-all-ingress',
    ]);
    expect(label(policyItems(nps, [], "app == 'db'", 'all', [], calico))).toEqual([
      '#Calico 1/6',
      'tier default 1/4',
      'Calico:NetworkPolicy/shop/default.db-allow',
      '#NetworkPolicy 0/1',
    ]);
    expect(label(policyItems(nps, [], 'security', 'Calico', [], calico))).toEqual([
      '#Calico 1/6',
      'tier security 1/1',
      METADATA,
    ]);
    expect(label(policyItems(nps, [], 'staged', 'Calico', [], calico))).toEqual([
      '#Calico 1/6',
      'tier default 1/4',
      DRAFT,
    ]);
    expect(label(policyItems(nps, [], 'global', 'Calico', [], calico)).slice(1)).toEqual([
      'tier security 1/1',
      METADATA,
      'tier platform 1/1',
      ORDER[1],
    ]);
    // Without Calico (or admin, Cilium) policies the list stays the NetworkPolicies alone.
    expect(label(policyItems(nps, [], '', 'all'))).toEqual(['monitoring/deny-all-ingress']);
  });

  it('finds Calico policies in the search palette by name, tier and selector', async () => {
    const index = buildSearchIndex(await fixture());
    expect(search(index, 'block-metadata')[0]).toMatchObject({
      kind: 'policy',
      ref: METADATA,
      detail: 'Calico GNP · tier security · order 10 · global',
    });
    expect(search(index, 'lockdown').map((i) => i.ref)).toContain(DRAFT);
  });

  it('exports a report with the tier, order, selector, rules and the Calico effect classes', async () => {
    const snapshot = await fixture();
    const policy = findCalicoPolicy(snapshot, API) as CalicoPolicy;
    const effect = createAnalyzer(snapshot).policyEffect(API);
    const md = policyReport({
      policy: { kind: 'calico', policy, tiers: calicoTiers(snapshot) },
      effect,
      source: 'Manifests: calico-ui',
    });
    expect(md).toContain('# Calico NetworkPolicy shop/api-allow');
    expect(md).toContain(
      '- Tier: `default` (order 1,000,000 · default Deny · NetworkPolicies at order 1000)',
    );
    expect(md).toContain('- Order: 100 (lower goes first in the tier)');
    expect(md).toContain("- Selector: `app == 'api'`");
    expect(md).toContain('- Pods (1): `shop/api-0`');
    expect(md).toContain(
      '2. **Log** TCP **ingress[1]** (logs what it matches; the evaluation goes on with the next rule): from `not nets 10.0.0.0/8` to anywhere',
    );
    expect(md).toContain(`| Allowed, flows | ${effect.counts.permittedFlowing} |`);
    expect(md).toContain(`| Denied by it | ${effect.counts.denied} |`);
    expect(md).toContain(`| Passed on | ${effect.counts.passed} |`);
    const staged = policyReport({
      policy: {
        kind: 'calico',
        policy: findCalicoPolicy(snapshot, DRAFT) as CalicoPolicy,
        tiers: calicoTiers(snapshot),
      },
      source: 'Manifests: calico-ui',
    });
    expect(staged).toContain('> A staged policy: a draft Calico shows but never enforces.');
    expect(staged).toContain('_Not computed yet');
  });
});
