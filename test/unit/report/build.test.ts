import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { lintSnapshot } from '../../../shared/lint/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { buildReport } from '../../../shared/report/index.ts';
import type { Report } from '../../../shared/report/index.ts';

/** shop (web-0, web-1, worker-0), db (postgres-0, cache-0) with an ingress default-deny, kube-system (coredns-0). */
const CLUSTER = join(import.meta.dirname, '..', '..', 'fixtures', 'assertions', 'cluster.yaml');

let snapshot: Snapshot;
let report: Report;

beforeAll(async () => {
  snapshot = await loadManifests([CLUSTER]);
  expect(snapshot.issues.filter((i) => i.severity === 'error')).toEqual([]);
  report = buildReport(snapshot);
});

describe('buildReport', () => {
  it('counts the objects and names the source', () => {
    expect(report.totals).toEqual({ pods: 6, namespaces: 3, policies: 3, clusterPolicies: 0 });
    expect(report.source).toBe(`manifests: ${CLUSTER}`);
    expect(report.partial).toBe(false);
  });

  it('finds the one default-deny (db, ingress) and counts isolated pods per namespace', () => {
    const byName = new Map(report.namespaces.map((n) => [n.namespace, n]));
    expect(byName.get('db')).toEqual({
      namespace: 'db',
      pods: 2,
      ingress: { defaultDeny: ['db/default-deny-ingress'], isolatedPods: 2 },
      egress: { defaultDeny: [], isolatedPods: 0 },
    });
    // web-egress isolates the two web pods for egress only; it is no default-deny (a podSelector).
    expect(byName.get('shop')).toEqual({
      namespace: 'shop',
      pods: 3,
      ingress: { defaultDeny: [], isolatedPods: 0 },
      egress: { defaultDeny: [], isolatedPods: 2 },
    });
    expect(byName.get('kube-system')?.ingress.defaultDeny).toEqual([]);
  });

  it('lists the pods no NetworkPolicy isolates, per direction', () => {
    expect(report.unprotected.ingress.map((p) => p.pod)).toEqual([
      'kube-system/coredns-0',
      'shop/web-0',
      'shop/web-1',
      'shop/worker-0',
    ]);
    expect(report.unprotected.egress.map((p) => p.pod)).toEqual([
      'db/cache-0',
      'db/postgres-0',
      'kube-system/coredns-0',
      'shop/worker-0',
    ]);
    expect(report.unprotected.ingress.every((p) => p.certain && !p.hostNetwork)).toBe(true);
  });

  it('summarises cross-namespace flows: shop reaches db only from web to postgres on 5432', () => {
    const flow = (from: string, to: string) =>
      report.crossNamespace.find((f) => f.from === from && f.to === to);
    const ports = report.universe.ports.length;
    // web-0 and web-1 to postgres-0 on 5432/TCP: the only connections db admits.
    expect(flow('shop', 'db')).toMatchObject({ allowed: 2, total: 3 * 2 * ports, coverage: 'some' });
    // Nothing isolates db's egress or kube-system's ingress: every connection flows.
    expect(flow('db', 'kube-system')).toMatchObject({ allowed: 2 * 1 * ports, coverage: 'all' });
    // Nothing reaches db except from shop's web pods.
    expect(flow('kube-system', 'db')).toBeUndefined();
    expect(report.crossNamespace.every((f) => f.from !== f.to)).toBe(true);
    const allowed = report.crossNamespace.map((f) => f.allowed);
    expect(allowed).toEqual([...allowed].sort((a, b) => b - a));
  });

  it('summarises external flows per namespace and direction', () => {
    const ext = (namespace: string, direction: string) =>
      report.external.find((f) => f.namespace === namespace && f.direction === direction);
    // worker-0 reaches everything; the web pods reach addresses outside 10/8 on 443 only.
    expect(ext('shop', 'egress')).toMatchObject({ pods: 3, podsTotal: 3 });
    const shopEgress = ext('shop', 'egress');
    expect(shopEgress?.allowed).toBeLessThan(shopEgress?.total ?? 0);
    // db admits nothing from outside.
    expect(ext('db', 'ingress')).toMatchObject({ pods: 0, podsTotal: 2, allowed: 0 });
    expect(ext('db', 'egress')).toMatchObject({ pods: 2, podsTotal: 2 });
    expect(report.universe.externals.length).toBeGreaterThan(0);
  });

  it('carries each policy’s effect counts as the evaluator computes them', () => {
    const analyzer = createAnalyzer(snapshot);
    expect(report.policies.map((p) => p.policy)).toEqual([
      'db/default-deny-ingress',
      'db/postgres-from-web',
      'shop/web-egress',
    ]);
    for (const p of report.policies) {
      const e = analyzer.policyEffect(p.policy);
      expect(p).toMatchObject({ ...e.counts, tier: 'NetworkPolicy', selects: e.selects.length });
      expect(p.location?.file).toBe(CLUSTER);
    }
    // postgres-from-web permits exactly web-0 and web-1 to postgres-0 on 5432.
    expect(report.policies[1]).toMatchObject({ permittedFlowing: 2, permittedBlocked: 0 });
  });

  it('holds the summary’s matrix and the lint findings', () => {
    const summary = createAnalyzer(snapshot).summary();
    expect(report.matrix.namespaces).toEqual(['db', 'kube-system', 'shop']);
    expect(report.matrix.cells).toEqual(summary.matrix);
    expect(report.lint).toEqual(lintSnapshot(snapshot));
  });

  it('reports hostNetwork pods as unprotected whatever selects them', () => {
    const pods = snapshot.pods.map((p) => (p.name === 'postgres-0' ? { ...p, hostNetwork: true } : p));
    const r = buildReport({ ...snapshot, pods });
    const entry = r.unprotected.ingress.find((p) => p.pod === 'db/postgres-0');
    expect(entry).toEqual({ pod: 'db/postgres-0', hostNetwork: true, certain: true, adminPolicies: [] });
  });

  it('handles an empty input', () => {
    const r = buildReport({ ...snapshot, pods: [], policies: [], namespaces: [] });
    expect(r.totals.pods).toBe(0);
    expect(r.external).toEqual([]);
    expect(r.crossNamespace).toEqual([]);
  });
});
