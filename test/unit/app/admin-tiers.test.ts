/**
 * Admin tiers in the renderer's pure parts, on the shared fixture cluster: the worker's deltas, badges,
 * policy effects and checks for admin keys (equal to the library's), the policy list in evaluation
 * order with its tier filter, the graph's classes and overlay, the reach panel's chain rows, and the
 * YAML shown for an admin policy (read back, it is the same policy).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { createAnalysisEngine, diffSnapshots } from '../../../renderer/src/analysis/engine.ts';
import type { AnalysisRequest, LoadResult } from '../../../renderer/src/analysis/protocol.ts';
import { chainRows } from '../../../renderer/src/components/TierChain.tsx';
import { policyItems } from '../../../renderer/src/components/SidePanel.tsx';
import {
  badgeClasses,
  buildGraph,
  externalNodes,
  mergeBadges,
} from '../../../renderer/src/graph/elements.ts';
import { policyOverlay } from '../../../renderer/src/graph/overlay.ts';
import { badgeSvg } from '../../../renderer/src/graph/badges.ts';
import {
  adminPolicyYaml,
  adminSubjectPods,
  describeAdminRules,
  summarizeAdminPolicies,
} from '../../../renderer/src/model/admin.ts';
import { buildSearchIndex, search } from '../../../renderer/src/model/search.ts';
import { summarizePolicies } from '../../../renderer/src/model/summary.ts';
import {
  createAnalyzer,
  type ClusterSummary,
  type ConnectionVerdict,
  type PolicyEffect,
} from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import { clusterPolicyKey, podKey, type Snapshot } from '../../../shared/model/snapshot.ts';

const CLUSTER = join(process.cwd(), 'test/fixtures/admin/cluster.yaml');
const LEGACY = join(process.cwd(), 'test/fixtures/admin/legacy.yaml');
const cluster = (): Promise<Snapshot> => loadManifests([CLUSTER]);

let nextId = 1;
function ask<T>(
  engine: ReturnType<typeof createAnalysisEngine>,
  method: AnalysisRequest['method'],
  params: unknown,
): T {
  const response = engine.handle({ id: nextId++, method, params } as AnalysisRequest);
  if (!response.ok) throw new Error(response.error);
  return response.value as T;
}

const pod = (key: string) => {
  const [namespace = '', name = ''] = key.split('/');
  return { kind: 'pod' as const, namespace, name };
};

describe('the analysis worker with admin tiers', () => {
  it('answers policy effects and checks for admin keys as the library does, and badges their pods', async () => {
    const snapshot = await cluster();
    expect(snapshot.clusterPolicies.length).toBe(4);
    const engine = createAnalysisEngine();
    const load = ask<LoadResult>(engine, 'load', { snapshot, revision: 1 });
    expect(load.stats.clusterPolicies).toBe(4);
    const analyzer = createAnalyzer(snapshot);
    for (const p of snapshot.clusterPolicies) {
      const key = clusterPolicyKey(p);
      const mine = ask<PolicyEffect>(engine, 'policyEffect', { policy: key });
      const lib = analyzer.policyEffect(key);
      expect(mine.counts, key).toEqual(lib.counts);
      expect(mine.tier).toBe(p.tier);
      expect(mine.selects).toEqual(lib.selects);
      // The pods the graph rings before the answer comes are the ones the answer names.
      expect(adminSubjectPods(load.badges, key)).toEqual([...lib.selects].sort());
    }
    for (const p of snapshot.pods) {
      const key = podKey(p);
      const iso = analyzer.isolation(key);
      const badge = load.badges[key];
      const admin = [...iso.ingress.adminPolicies, ...iso.egress.adminPolicies];
      if (admin.length === 0) expect(badge?.admin, key).toBeUndefined();
      else
        expect(badge?.admin, key).toEqual({
          ingress: iso.ingress.adminPolicies,
          egress: iso.egress.adminPolicies,
          tier: admin.some(
            (k) => snapshot.clusterPolicies.find((c) => clusterPolicyKey(c) === k)?.tier === 'Admin',
          )
            ? 'Admin'
            : 'Baseline',
        });
    }
    const query = {
      from: pod('shop/web-7f9c6b5d4-abcde'),
      to: pod('payments/postgres-0'),
      port: 5432,
      protocol: 'TCP' as const,
    };
    const verdict = ask<ConnectionVerdict>(engine, 'check', query);
    expect(verdict).toEqual(analyzer.check(query));
    expect(verdict.ingress.kind === 'denied' && verdict.ingress.tiers?.admin?.action).toBe('Deny');
  });

  it("counts admin tiers in the matrix: each cell's allowed connections are those `check` allows", async () => {
    const snapshot = await cluster();
    const engine = createAnalysisEngine();
    const load = ask<LoadResult>(engine, 'load', { snapshot, revision: 1 });
    const summary = ask<ClusterSummary>(engine, 'summary', null);
    const analyzer = createAnalyzer(snapshot);
    for (const cell of summary.matrix) {
      let allowed = 0;
      let total = 0;
      for (const a of snapshot.pods.filter((p) => p.namespace === cell.from))
        for (const b of snapshot.pods.filter((p) => p.namespace === cell.to)) {
          if (a === b) continue;
          for (const probe of load.ports) {
            total++;
            const v = analyzer.check({ from: pod(podKey(a)), to: pod(podKey(b)), ...probe });
            if (v.verdict === 'allowed') allowed++;
          }
        }
      expect({ from: cell.from, to: cell.to, allowed: cell.allowed, total: cell.total }).toEqual({
        from: cell.from,
        to: cell.to,
        allowed,
        total,
      });
    }
    // blog denies all ingress by NetworkPolicy, yet the Admin tier's Accept lets monitoring scrape it.
    expect(summary.matrix.find((c) => c.from === 'monitoring' && c.to === 'blog')?.coverage).toBe('some');
    const withoutAdmin = createAnalyzer({ ...snapshot, clusterPolicies: [] }).summary();
    expect(withoutAdmin.matrix.find((c) => c.from === 'monitoring' && c.to === 'blog')?.coverage).toBe(
      'none',
    );
  });

  it('sends a changed admin policy as a delta and a removed one as a removal', async () => {
    const snapshot = await cluster();
    const engine = createAnalysisEngine();
    ask(engine, 'load', { snapshot, revision: 1 });
    const target = snapshot.clusterPolicies.find((p) => p.name === 'deny-cross-namespace')!;
    const next: Snapshot = {
      ...snapshot,
      clusterPolicies: snapshot.clusterPolicies
        .filter((p) => p.name !== 'default-deny')
        .map((p) => (p === target ? { ...p, priority: 5 } : p)),
    };
    const deltas = diffSnapshots(snapshot, next);
    expect(deltas).toEqual([
      { kind: 'upsertClusterPolicy', policy: { ...target, priority: 5 } },
      { kind: 'removeClusterPolicy', key: 'default-deny' },
    ]);
    const load = ask<LoadResult>(engine, 'load', { snapshot: next, revision: 2 });
    expect(load.deltas).toBe(2);
    expect(load.stats.clusterPolicies).toBe(3);
    const fresh = createAnalyzer(next);
    for (const p of next.clusterPolicies) {
      const key = clusterPolicyKey(p);
      expect(ask<PolicyEffect>(engine, 'policyEffect', { policy: key }).counts).toEqual(
        fresh.policyEffect(key).counts,
      );
    }
    expect(() => ask(engine, 'policyEffect', { policy: 'default-deny' })).toThrow();
  });
});

describe('the policy list with admin tiers', () => {
  it('groups the Admin tier by priority, then NetworkPolicies, then the Baseline tier', async () => {
    const snapshot = await loadManifests([CLUSTER, LEGACY]);
    const admin = summarizeAdminPolicies(snapshot);
    const nps = summarizePolicies(snapshot);
    const items = policyItems(nps, admin, '', 'all');
    const labels = items.map((i) => (i.kind === 'group' ? `#${i.tier}` : i.policy.key));
    expect(labels.slice(0, 8)).toEqual([
      '#Admin',
      // Within one priority, by key.
      'accept-monitoring',
      'AdminNetworkPolicy:accept-monitoring',
      'AdminNetworkPolicy:pass-shop-to-payments',
      'pass-shop-to-payments',
      'AdminNetworkPolicy:deny-cross-namespace',
      'deny-cross-namespace',
      '#NetworkPolicy',
    ]);
    expect(labels.slice(-3)).toEqual(['#Baseline', 'default-deny', 'BaselineAdminNetworkPolicy:default']);
    // Policies of one tier and priority are flagged: which goes first is the implementation's choice.
    expect(admin.find((p) => p.key === 'accept-monitoring')?.samePriority).toEqual([
      'AdminNetworkPolicy:accept-monitoring',
    ]);
    expect(admin.find((p) => p.key === 'default-deny')?.samePriority).toEqual([]);

    const baseline = policyItems(nps, admin, '', 'Baseline');
    expect(baseline.map((i) => (i.kind === 'group' ? `#${i.tier}` : i.policy.key))).toEqual([
      '#Baseline',
      'default-deny',
      'BaselineAdminNetworkPolicy:default',
    ]);
    // Search matches admin policy names and kinds; a tier the search empties keeps its heading.
    const found = policyItems(nps, admin, 'banp', 'all');
    expect(found.filter((i) => i.kind !== 'group').map((i) => i.policy.key)).toEqual([
      'BaselineAdminNetworkPolicy:default',
    ]);
    expect(found.find((i) => i.kind === 'group' && i.tier === 'Admin')).toMatchObject({ shown: 0, total: 6 });
  });

  it('is the NetworkPolicies alone, without headings, when there is no admin policy', async () => {
    const snapshot = await loadManifests([join(process.cwd(), 'shared/demo/demo-cluster.yaml')]);
    const items = policyItems(summarizePolicies(snapshot), [], '', 'all');
    expect(items.every((i) => i.kind === 'policy')).toBe(true);
    expect(items.length).toBe(snapshot.policies.length);
    expect(policyItems(summarizePolicies(snapshot), [], '', 'Admin')).toEqual([]);
  });

  it('finds admin policies in the command palette', async () => {
    const snapshot = await cluster();
    const hits = search(buildSearchIndex(snapshot), 'pass-shop');
    expect(hits[0]).toMatchObject({ kind: 'policy', ref: 'pass-shop-to-payments' });
    expect(hits[0]?.detail).toContain('Admin tier · priority 20');
  });
});

describe('the graph with admin tiers', () => {
  it('marks pods an admin policy applies to, and never calls them unprotected', () => {
    const open = { ingress: false, egress: false, hostNetwork: false } as const;
    expect(badgeClasses(open)).toEqual(['unprotected', 'badge-open']);
    const admin = { ...open, admin: { ingress: ['a'], egress: [], tier: 'Admin' as const } };
    expect(badgeClasses(admin)).toEqual(['tier-admin', 'badge-idle']);
    const baseline = {
      ...open,
      ingress: true,
      admin: { ingress: ['b'], egress: [], tier: 'Baseline' as const },
    };
    expect(badgeClasses(baseline)).toEqual(['iso-in', 'tier-baseline', 'badge-in']);
    expect(mergeBadges([open, baseline, admin])?.admin).toEqual({
      ingress: ['b', 'a'],
      egress: [],
      tier: 'Admin',
    });
    expect(mergeBadges([open, open])?.admin).toBeUndefined();
    const colors = {
      ingress: '#00f',
      egress: '#f0f',
      idle: '#ccc',
      open: '#fa0',
      unknown: '#999',
      surface: '#fff',
      tierAdmin: '#64c',
      tierBaseline: '#678',
    };
    expect(badgeSvg('both', colors, 'admin')).toContain('fill="#64c"');
    expect(badgeSvg('both', colors, 'baseline')).toContain('stroke="#678"');
    expect(badgeSvg('both', colors)).not.toContain('#64c');
  });

  it("draws a policy's passed connections with their own class, and names admin networks outside", async () => {
    const snapshot = await cluster();
    const analyzer = createAnalyzer(snapshot);
    const externals = externalNodes(snapshot).map((n) => n.key);
    expect(externals).toEqual(expect.arrayContaining(['0.0.0.0/0', '::/0', 'any']));
    const engine = createAnalysisEngine();
    const load = ask<LoadResult>(engine, 'load', { snapshot, revision: 1 });
    const graph = buildGraph(snapshot, { badges: load.badges });
    const ctx = { ports: load.ports, mentioned: load.mentionedPorts };
    const effect = analyzer.policyEffect('deny-cross-namespace');
    expect(effect.counts.passed).toBeGreaterThan(0);
    const overlay = policyOverlay(effect, graph, ctx);
    const classes = new Set(overlay.edges.map((e) => String(e.data['cls'])));
    expect([...classes].sort()).toEqual(['denied', 'passed']);
    expect(overlay.connections).toBe(effect.denied.length + effect.passed.length);
    // Its subjects are ringed: the pods of the PCI namespace.
    expect([...overlay.subjects].sort()).toEqual(effect.selects.map((k) => `pod:${k}`).sort());
    const classesOf = (id: string) => String(graph.elements.find((e) => e.data.id === id)?.classes);
    expect(classesOf('pod:payments/postgres-0')).toContain('tier-admin');
    expect(classesOf('pod:monitoring/prometheus-0')).toContain('unprotected');
  });
});

describe("the reach panel's tier chain", () => {
  it('marks the deciding tier, the tiers read without a match and those never reached', async () => {
    const analyzer = createAnalyzer(await cluster());
    const rows = (from: string, to: string, port: number) => {
      const v = analyzer.check({ from: pod(from), to: pod(to), port, protocol: 'TCP' });
      return {
        egress: chainRows(v.egress, 'egress')?.map((r) => `${r.tier}:${r.state}`),
        ingress: chainRows(v.ingress, 'ingress')?.map((r) => `${r.tier}:${r.state}`),
      };
    };
    // Admin Deny at the destination.
    expect(rows('shop/web-7f9c6b5d4-abcde', 'payments/postgres-0', 5432)).toEqual({
      egress: ['Admin:nothing', 'NetworkPolicy:nothing', 'Baseline:nothing', 'default:decided'],
      ingress: ['Admin:decided', 'NetworkPolicy:skipped', 'Baseline:skipped', 'default:skipped'],
    });
    // Admin Pass, then a NetworkPolicy allows.
    expect(rows('shop/cart-6c8d7f5b9-fghij', 'payments/payments-api-5b7d9c8f6-klmno', 8443).ingress).toEqual([
      'Admin:passed',
      'NetworkPolicy:decided',
      'Baseline:skipped',
      'default:skipped',
    ]);
    // No NetworkPolicy isolates the sandbox shell: the Baseline tier's Deny decides.
    expect(rows('shop/web-7f9c6b5d4-abcde', 'sandbox/dev-shell', 8080).ingress).toEqual([
      'Admin:nothing',
      'NetworkPolicy:nothing',
      'Baseline:decided',
      'default:skipped',
    ]);
  });

  it('is absent for a side with no tier trace (no admin policy in the snapshot)', async () => {
    const demo = await loadManifests([join(process.cwd(), 'shared/demo/demo-cluster.yaml')]);
    const a = createAnalyzer(demo);
    const [first, second] = demo.pods;
    const v = a.check({ from: pod(podKey(first!)), to: pod(podKey(second!)), port: 80, protocol: 'TCP' });
    expect(chainRows(v.ingress, 'ingress')).toBeUndefined();
  });
});

describe('words and YAML for admin policies', () => {
  it('shows each policy as YAML that reads back as the same policy', async () => {
    const snapshot = await loadManifests([CLUSTER, LEGACY]);
    for (const p of snapshot.clusterPolicies) {
      const yaml = adminPolicyYaml(p);
      const back = snapshotFromText(yaml, 'shown.yaml');
      expect(
        back.issues.filter((i) => i.severity === 'error'),
        `${p.name}\n${yaml}`,
      ).toEqual([]);
      const [read] = back.clusterPolicies;
      const strip = ({ location: _l, kind: _k, apiVersion: _v, ...rest }: typeof p) => rest;
      // A legacy BANP has no priority of its own: shown with the one netglass gives it.
      expect(strip(read!), p.name).toEqual(strip(p));
    }
  });

  it('lists rules in written order with their action, peers and ports', async () => {
    const snapshot = await cluster();
    const p = snapshot.clusterPolicies.find((c) => c.name === 'deny-cross-namespace')!;
    expect(
      describeAdminRules(p).map((r) => [r.label, r.name, r.action, r.peers.join('; '), r.ports.join(', ')]),
    ).toEqual([
      [
        'ingress[0]',
        'deny-other-namespaces',
        'Deny',
        'all pods in namespaces kubernetes.io/metadata.name notin (payments)',
        'every port',
      ],
      ['egress[0]', 'pass-cluster-pods', 'Pass', 'all pods in every namespace', 'every port'],
      [
        'egress[1]',
        'deny-outside',
        'Deny',
        'addresses in 0.0.0.0/0, ::/0 (pod addresses included)',
        'every port',
      ],
    ]);
    const monitoring = snapshot.clusterPolicies.find((c) => c.name === 'accept-monitoring')!;
    expect(describeAdminRules(monitoring).map((r) => r.ports.join(', '))).toEqual([
      'TCP 9100–9102',
      'UDP 53, TCP 53',
    ]);
  });
});
