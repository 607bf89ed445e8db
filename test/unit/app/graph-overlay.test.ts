/**
 * The graph's content: external nodes, replica groups and badges (graph/elements.ts), and the
 * selection overlay (graph/overlay.ts) applied to a headless cytoscape.
 */
import cytoscape from 'cytoscape';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { createAnalysisEngine } from '../../../renderer/src/analysis/engine.ts';
import type { LoadResult, PodView } from '../../../renderer/src/analysis/protocol.ts';
import { applyOverlay } from '../../../renderer/src/graph/apply-overlay.ts';
import { currentOverlay } from '../../../renderer/src/graph/selection-overlay.ts';
import {
  ANY_ADDRESS_ID,
  badgeClasses,
  buildGraph,
  externalNodeFor,
  ipBlockNodeId,
} from '../../../renderer/src/graph/elements.ts';
import {
  buildOverlay,
  checkOverlay,
  describeMerging,
  formatPorts,
  MAX_LABELLED_EDGES,
  podOverlay,
  policyOverlay,
  type OverlayConnection,
} from '../../../renderer/src/graph/overlay.ts';
import { buildStylesheet } from '../../../renderer/src/graph/style.ts';
import { describeRules, policiesNamingPod, policyYaml } from '../../../renderer/src/model/describe.ts';
import { buildSearchIndex, search } from '../../../renderer/src/model/search.ts';
import { initialReach } from '../../../renderer/src/store/view-store.ts';
import { createAnalyzer, type PolicyEffect } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

const DEMO = join(process.cwd(), 'shared/demo/demo-cluster.yaml');
const demo = async (): Promise<Snapshot> => ({ ...(await loadManifests([DEMO])), source: { kind: 'demo' } });

describe('graph elements', () => {
  it('adds a node per ipBlock that policies name and one "any address" node, and maps addresses to the narrowest', async () => {
    const graph = buildGraph(await demo());
    expect(graph.externals.map((e) => e.key)).toEqual([
      '0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32',
      '203.0.113.0/24',
      'any',
    ]);
    const wide = ipBlockNodeId('0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32');
    expect(externalNodeFor('8.8.8.8', graph.externals)).toBe(wide);
    expect(externalNodeFor('203.0.113.9', graph.externals)).toBe(ipBlockNodeId('203.0.113.0/24'));
    expect(externalNodeFor('10.1.2.3', graph.externals)).toBe(ANY_ADDRESS_ID);
    expect(externalNodeFor('169.254.169.254', graph.externals)).toBe(ANY_ADDRESS_ID);
    expect(graph.elements.filter((e) => e.data.parent === 'ext-group')).toHaveLength(3);
  });

  it('hides namespaces and groups replicas with the same labels into one node', async () => {
    const snapshot = await demo();
    const graph = buildGraph(snapshot, { hidden: new Set(['kube-system']), group: true });
    expect(graph.namespaces).not.toContain('kube-system');
    expect(graph.nodeOfPod.has('kube-system/coredns-tffsprtbsh-gq2cd')).toBe(false);
    const usersApi = [...graph.workloads.values()].find((w) => w.name === 'users-api');
    expect(usersApi?.pods).toHaveLength(3);
    const node = graph.nodeOfPod.get(usersApi?.pods[0] ?? '');
    expect(node).toBe(graph.nodeOfPod.get(usersApi?.pods[2] ?? ''));
    expect(graph.elements.find((e) => e.data.id === node)?.data.label).toBe('users-api\n3 pods');
    // StatefulSet pods differ only by their pod-name label: grouped too.
    expect([...graph.workloads.values()].some((w) => w.name === 'users-db' && w.pods.length === 2)).toBe(
      true,
    );
    // Expanded groups show their pods again.
    const expanded = buildGraph(snapshot, { group: true, expanded: new Set([usersApi?.id ?? '']) });
    expect(expanded.nodeOfPod.get(usersApi?.pods[0] ?? '')).toBe(`pod:${usersApi?.pods[0] ?? ''}`);
  });

  it('badges pods: isolated per direction, unprotected, unknown', () => {
    expect(badgeClasses({ ingress: true, egress: true, hostNetwork: false })).toEqual([
      'iso-in',
      'iso-out',
      'badge-both',
    ]);
    expect(badgeClasses({ ingress: false, egress: false, hostNetwork: false })).toEqual([
      'unprotected',
      'badge-open',
    ]);
    expect(badgeClasses({ ingress: 'unknown', egress: true, hostNetwork: false })).toEqual([
      'iso-out',
      'iso-unknown',
      'badge-out-unknown',
    ]);
    expect(badgeClasses({ ingress: true, egress: true, hostNetwork: true })).toEqual([]);
  });
});

describe('selection overlay', () => {
  async function setup() {
    const snapshot = await demo();
    const engine = createAnalysisEngine();
    const load = engine.handle({ id: 1, method: 'load', params: { snapshot, revision: 1 } });
    if (!load.ok) throw new Error(load.error);
    const l = load.value as LoadResult;
    const analyzer = createAnalyzer(snapshot);
    return { snapshot, engine, load: l, analyzer, ctx: { ports: l.ports, mentioned: l.mentionedPorts } };
  }

  it('formats ports: all, per protocol, and "other" for class representatives', () => {
    const ctx = {
      ports: [
        { protocol: 'TCP' as const, port: 1 },
        { protocol: 'TCP' as const, port: 53 },
        { protocol: 'TCP' as const, port: 443 },
        { protocol: 'UDP' as const, port: 53 },
      ],
      mentioned: [
        { protocol: 'TCP' as const, port: 53 },
        { protocol: 'TCP' as const, port: 443 },
        { protocol: 'UDP' as const, port: 53 },
      ],
    };
    expect(formatPorts(ctx.ports, ctx)).toBe('all ports');
    expect(formatPorts([{ protocol: 'TCP', port: 443 }], ctx)).toBe('TCP 443');
    expect(
      formatPorts(
        [
          { protocol: 'TCP', port: 1 },
          { protocol: 'TCP', port: 53 },
        ],
        ctx,
      ),
    ).toBe('TCP 53, other');
    expect(formatPorts(ctx.ports.slice(0, 3), ctx)).toBe('TCP all');
  });

  it("draws a policy's classes only, merging peers per namespace when there are many", async () => {
    const { snapshot, analyzer, ctx } = await setup();
    const graph = buildGraph(snapshot);
    const effect: PolicyEffect = analyzer.policyEffect('identity/microsvc-users-api-allow');
    const overlay = policyOverlay(effect, graph, ctx);
    const classes = new Set(overlay.edges.map((e) => (e.data as { cls: string }).cls));
    expect(classes).toEqual(new Set(['flowing', 'denied']));
    expect(overlay.subjects.size).toBe(3);
    // Who may connect, by pod: the 8 client pods to the 3 api pods; the 501 denied pairs merged.
    expect(overlay.classLevels).toEqual({ flowing: 'pod', denied: 'namespace' });
    expect(overlay.level).toBe('namespace');
    const flowing = overlay.edges.filter((e) => e.data['cls'] === 'flowing');
    expect(flowing).toHaveLength(24);
    const clients = new Set(flowing.map((e) => String(e.data.source)));
    expect(clients.size).toBe(8);
    expect([...clients].every((id) => id.startsWith('pod:'))).toBe(true);
    for (const id of clients) expect(overlay.focus.has(id)).toBe(true);
    // The view goes to the subjects and the clients, not to every denied namespace.
    expect(overlay.reveal).toEqual(new Set([...overlay.subjects, ...clients]));
    const denied = overlay.edges.filter((e) => e.data['cls'] === 'denied');
    expect(
      denied.every((e) => String(e.data.source).startsWith('ns:') || String(e.data.source).startsWith('ext')),
    ).toBe(true);
    expect(denied.reduce((n, e) => n + Number(e.data['pairs']), 0)).toBeGreaterThan(denied.length);
    expect(denied.every((e) => /^\d+ pairs · /.test(String(e.data['title'])) || e.data['pairs'] === 1)).toBe(
      true,
    );
    expect(describeMerging(overlay)).toBe('denied merged per namespace');
    expect(overlay.edges.length).toBeLessThanOrEqual(48);
    // Never more edges than connections, never every pair of the cluster.
    expect(overlay.edges.length).toBeLessThan(snapshot.pods.length * 3);
    // A small policy stays pod to pod.
    const payments = policyOverlay(analyzer.policyEffect('billing/payments-allow-checkout'), graph, ctx);
    expect(payments.level).toBe('pod');
    expect(payments.edges).toHaveLength(4);
    expect(payments.edges.every((e) => (e.data as { label: string }).label === 'TCP 8443')).toBe(true);
    expect(payments.labels).toBeUndefined();
    expect(payments.edges.some((e) => e.data.source === 'pod:shop/checkout-cjbhgdflmb-dxmvt')).toBe(true);
  });

  it('merges everything per namespace past the limit, and adds nodes for typed-in addresses', async () => {
    const { snapshot, ctx } = await setup();
    const graph = buildGraph(snapshot);
    const conns: OverlayConnection[] = snapshot.pods.flatMap((a) =>
      snapshot.pods
        .filter((b) => b !== a)
        .map((b) => ({
          from: { kind: 'pod' as const, namespace: a.namespace, name: a.name },
          to: { kind: 'pod' as const, namespace: b.namespace, name: b.name },
          cls: 'allowed' as const,
          probe: { protocol: 'TCP' as const, port: 53 },
        })),
    );
    const merged = buildOverlay(conns, graph, ctx, { maxEdges: 40 });
    expect(merged.level).toBe('namespace');
    expect(merged.edges.length).toBeLessThanOrEqual(36);
    const empty = buildGraph({ ...snapshot, policies: [] });
    const typed = buildOverlay(
      [
        {
          from: { kind: 'pod', namespace: 'shop', name: 'cart-mtstkgkprf-7ngtr' },
          to: { kind: 'external', ip: '192.0.2.1' },
          cls: 'path-allowed',
          probe: { protocol: 'TCP', port: 443 },
        },
      ],
      empty,
      ctx,
    );
    expect(typed.extraNodes).toEqual([{ id: 'ext:addr:192.0.2.1', label: '192.0.2.1' }]);
  });

  it('leaves edge labels to hover past a dozen edges, and names the label they all share', async () => {
    const { snapshot, engine, ctx, load } = await setup();
    const graph = buildGraph(snapshot, { badges: load.badges });
    const view = engine.handle({
      id: 1,
      method: 'podView',
      params: { pod: 'shop/checkout-cjbhgdflmb-dxmvt' },
    });
    if (!view.ok) throw new Error(view.error);
    const busy = podOverlay(view.value as PodView, graph, ctx);
    expect(busy.edges.length).toBeGreaterThan(MAX_LABELLED_EDGES);
    expect(busy.edges.every((e) => e.data['label'] === '' && String(e.data['title']) !== '')).toBe(true);
    const titles = new Set(busy.edges.map((e) => String(e.data['title'])));
    expect(busy.labels).toEqual(
      titles.size === 1 ? { shown: false, shared: [...titles][0] } : { shown: false },
    );
  });

  it('applies to cytoscape: edges added, subjects ringed, the rest dimmed, then cleared', async () => {
    const { snapshot, engine, analyzer, ctx, load } = await setup();
    const graph = buildGraph(snapshot, { badges: load.badges });
    const cy = cytoscape({ headless: true, styleEnabled: true, style: buildStylesheet(FALLBACK_THEME) });
    cy.add(graph.elements);
    const overlay = policyOverlay(analyzer.policyEffect('billing/deny-restricted-egress'), graph, ctx);
    applyOverlay(cy, overlay, true);
    expect(cy.edges('.denied').length).toBe(overlay.edges.length);
    expect(
      cy
        .nodes('.subject')
        .map((n) => n.id())
        .sort(),
    ).toEqual(['pod:billing/ledger-cptphjhrnc-2x49s', 'pod:billing/ledger-cptphjhrnc-4pbsp']);
    // ledger → coredns would flow without the policy; ledger → users-db never flows (its ingress is isolated).
    expect(cy.getElementById('pod:kube-system/coredns-tffsprtbsh-gq2cd').hasClass('dimmed')).toBe(false);
    expect(cy.getElementById('pod:identity/users-db-0').hasClass('dimmed')).toBe(true);
    expect(cy.getElementById('ns:identity').hasClass('faded')).toBe(true);
    expect(cy.getElementById('pod:billing/ledger-cptphjhrnc-2x49s').hasClass('badge-both')).toBe(true);

    const podView = engine.handle({ id: 2, method: 'podView', params: { pod: 'identity/users-db-0' } });
    if (!podView.ok) throw new Error(podView.error);
    applyOverlay(cy, podOverlay(podView.value as PodView, graph, ctx), true);
    expect(cy.edges('.denied').length).toBe(0);
    expect(cy.edges('.allowed').length).toBeGreaterThan(0);
    const check = analyzer.check({
      from: { kind: 'pod', namespace: 'billing', name: 'ledger-cptphjhrnc-2x49s' },
      to: { kind: 'pod', namespace: 'kube-system', name: 'coredns-tffsprtbsh-gq2cd' },
      port: 53,
      protocol: 'UDP',
    });
    applyOverlay(cy, checkOverlay(check, graph, ctx), true);
    expect(cy.edges().map((e) => e.classes())).toEqual([['overlay', 'path-denied']]);
    expect(cy.edges()[0]?.data('label')).toBe('UDP 53');
    const none = currentOverlay(
      undefined,
      initialReach,
      { policy: undefined, pod: undefined, check: undefined, cell: undefined, load },
      graph,
    );
    applyOverlay(cy, none.overlay, none.dim);
    expect(cy.edges().length).toBe(0);
    expect(cy.nodes('.dimmed').length).toBe(0);
    cy.destroy();
  });
});

describe('policy descriptions', () => {
  it('renders YAML from the normalized policy that parses back to the same policy', async () => {
    const snapshot = await demo();
    for (const policy of snapshot.policies) {
      const yaml = policyYaml(policy);
      expect(parse(yaml)).toMatchObject({ kind: 'NetworkPolicy', metadata: { name: policy.name } });
      const back = snapshotFromText(yaml);
      expect(
        back.issues.filter((i) => i.severity !== 'info'),
        policy.name,
      ).toEqual([]);
      const again = back.policies[0];
      expect(again?.ingress, policy.name).toEqual(policy.ingress);
      expect(again?.egress, policy.name).toEqual(policy.egress);
      expect(again?.policyTypes, policy.name).toEqual(policy.policyTypes);
      expect(again?.podSelector, policy.name).toEqual(policy.podSelector);
    }
  });

  it('describes rules in words and flags rules that have no effect', async () => {
    const snapshot = await demo();
    const storefront = snapshot.policies.find((p) => p.name === 'storefront-egress-only');
    const rules = describeRules(storefront!);
    expect(rules.map((r) => [r.label, r.ignored])).toEqual([
      ['ingress[0]', true],
      ['egress[0]', false],
    ]);
    expect(rules[0]?.peers).toEqual(['addresses in 203.0.113.0/24']);
    const users = describeRules(snapshot.policies.find((p) => p.name === 'microsvc-users-api-allow')!);
    expect(users[0]?.peers).toEqual(['pods service.corp/users-api-role=client in every namespace']);
    expect(users[0]?.ports).toEqual(['TCP 8080']);
  });

  it('finds the policies that name a pod as a peer', async () => {
    const snapshot = await demo();
    const checkout = snapshot.pods.find((p) => p.name.startsWith('checkout-'));
    expect(policiesNamingPod(snapshot, checkout!)).toEqual(
      expect.arrayContaining([
        { policy: 'billing/payments-allow-checkout', direction: 'ingress', rule: 0 },
        { policy: 'identity/microsvc-users-api-allow', direction: 'ingress', rule: 0 },
      ]),
    );
  });

  it('searches pods, workloads, namespaces, policies and labels', async () => {
    const index = buildSearchIndex(await demo());
    expect(search(index, 'deny-restricted')[0]).toMatchObject({
      kind: 'policy',
      ref: 'billing/deny-restricted-egress',
    });
    expect(search(index, 'users-api').map((i) => i.kind)).toEqual(
      expect.arrayContaining(['workload', 'pod', 'label']),
    );
    expect(search(index, 'tier=database')[0]).toMatchObject({ kind: 'label', ref: 'tier=database' });
    expect(search(index, 'kube-system')[0]).toMatchObject({ kind: 'namespace' });
    expect(search(index, 'zzz')).toEqual([]);
  });
});

const FALLBACK_THEME = {
  fontFamily: 'sans-serif',
  monoFamily: 'monospace',
  text: '#000',
  textMuted: '#666',
  surface: '#fff',
  border: '#ccc',
  accent: '#44f',
  accentSoft: '#eef',
  edges: {
    flowing: '#0a0',
    blocked: '#8c8',
    denied: '#c00',
    passed: '#579',
    unknown: '#999',
    allowed: '#44f',
  },
  badges: {
    ingress: '#26d',
    egress: '#c17',
    idle: '#ccc',
    open: '#f90',
    unknown: '#999',
    surface: '#fff',
    tierAdmin: '#64c',
    tierBaseline: '#678',
  },
  namespaces: Array.from({ length: 8 }, () => ({ strong: '#44f', soft: '#eef', line: '#ccf' })),
};
