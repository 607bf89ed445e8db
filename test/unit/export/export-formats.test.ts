/**
 * The export formats: CSV quoting per RFC 4180, the namespace matrix as CSV (every shown cell, hidden
 * namespaces left out), and a policy's Markdown report computed from a real snapshot and analysis.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import { csvField, toCsv } from '../../../renderer/src/export/csv.ts';
import { matrixCsv, matrixFileName, MATRIX_CSV_HEADER } from '../../../renderer/src/export/matrix-csv.ts';
import { mdCode, mdText, policyReport, reportFileName } from '../../../renderer/src/export/policy-report.ts';
import { findPolicy } from '../../../renderer/src/model/summary.ts';
import { findClusterPolicy } from '../../../renderer/src/model/admin.ts';
import { findCiliumPolicy } from '../../../renderer/src/model/cilium.ts';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: v1
kind: Namespace
metadata: { name: db }
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c, image: x, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: pg-1, namespace: db, labels: { app: pg } }
spec: { containers: [{ name: c, image: x, ports: [{ containerPort: 5432 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: pg-from-shop, namespace: db }
spec:
  podSelector: { matchLabels: { app: pg } }
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { team: shop } } }]
      ports: [{ port: 5432 }]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: deny-db-egress }
spec:
  tier: Admin
  priority: 10
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: db } } }
  egress:
    - name: no-out
      action: Deny
      to: [{ namespaces: {} }]
`;

describe('CSV (RFC 4180)', () => {
  it('quotes only fields that need it, doubling quotes inside', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(42)).toBe('42');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('')).toBe('');
  });

  it('ends every record with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['1', 'x,y'],
      ]),
    ).toBe('a,b\r\n1,"x,y"\r\n');
  });
});

describe('matrix CSV', () => {
  it('lists every cell of the shown namespaces with its state and counts', () => {
    const csv = matrixCsv({
      namespaces: ['a', 'b'],
      cells: [
        { from: 'a', to: 'a', coverage: 'all', allowed: 4, unknown: 0, total: 4 },
        { from: 'a', to: 'b', coverage: 'some', allowed: 1, unknown: 0, total: 3 },
        { from: 'b', to: 'a', coverage: 'unknown', allowed: 0, unknown: 2, total: 2 },
        // A hidden namespace's cells are not part of the matrix shown.
        { from: 'a', to: 'hidden', coverage: 'none', allowed: 0, unknown: 0, total: 9 },
      ],
      probedPorts: 3,
    });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(MATRIX_CSV_HEADER.join(','));
    expect(lines.slice(1)).toEqual([
      'a,a,all,4,0,0,4,100.0,3',
      'a,b,some,1,2,0,3,33.3,3',
      'b,a,unknown,0,0,2,2,0.0,3',
      'b,b,empty,0,0,0,0,,3',
      '',
    ]);
  });

  it('matches the analysis of a real snapshot', () => {
    const snapshot = snapshotFromText(MANIFESTS);
    const summary = createAnalyzer(snapshot).summary();
    const csv = matrixCsv({
      namespaces: ['db', 'shop'],
      cells: summary.matrix,
      probedPorts: summary.universe.ports.length,
    });
    const cell = summary.matrix.find((c) => c.from === 'shop' && c.to === 'db');
    expect(cell).toBeDefined();
    expect(csv).toContain(`shop,db,${cell?.coverage},${cell?.allowed},`);
  });

  it('names the file after the source', () => {
    expect(matrixFileName('Manifests: /srv/k8s')).toBe('namespace-matrix-manifests-srv-k8s.csv');
    expect(matrixFileName(undefined)).toBe('namespace-matrix.csv');
  });
});

describe('policy report (Markdown)', () => {
  const snapshot = snapshotFromText(MANIFESTS, 'app.yaml');
  const analyzer = createAnalyzer(snapshot);

  it('says a NetworkPolicy’s subjects, rules in words and effect counts', () => {
    const policy = findPolicy(snapshot, 'db/pg-from-shop');
    if (policy === undefined) throw new Error('no policy');
    const effect = analyzer.policyEffect('db/pg-from-shop');
    const md = policyReport({
      policy: { kind: 'NetworkPolicy', policy },
      effect,
      source: 'Manifests: app.yaml',
    });
    expect(md).toContain('# NetworkPolicy db/pg-from-shop');
    expect(md).toContain('Source: Manifests: app.yaml');
    expect(md).toContain('- Selector: app=pg');
    expect(md).toContain('- Pods (1): `db/pg-1`');
    expect(md).toContain('- Isolates: Ingress (policyTypes defaulted)');
    expect(md).toMatch(
      /1\. \*\*ingress\[0\]\*\* \(matches [\d,]+ connections?\): from .*team=shop.*, on TCP 5432/,
    );
    expect(md).toContain(`| Denied by it | ${effect.counts.denied.toLocaleString('en-US')} |`);
    expect(md).toContain(`Of ${effect.counts.total.toLocaleString('en-US')} connection`);
    expect(md).toContain('- Defined in: `app.yaml:');
  });

  it('says an admin policy’s tier, subject and ordered rules, and when the effect is not known yet', () => {
    const policy = findClusterPolicy(snapshot, 'deny-db-egress');
    if (policy === undefined) throw new Error('no admin policy');
    const md = policyReport({ policy: { kind: 'admin', policy }, source: 'Demo cluster' });
    expect(md).toContain('# ClusterNetworkPolicy deny-db-egress');
    expect(md).toContain('- Tier: Admin, priority 10');
    expect(md).toContain('1. **Deny** `no-out` **egress[0]** (not computed yet)');
    expect(md).toContain('_Not computed yet');
    const effect = analyzer.policyEffect('deny-db-egress');
    const full = policyReport({ policy: { kind: 'admin', policy }, effect, source: 'Demo cluster' });
    expect(full).toContain('| Passed on |');
  });

  it('says a Cilium policy’s specs, default deny, rules deny-first with conditions, and its effect', () => {
    const cilium = snapshotFromText(
      `${MANIFESTS}---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: pg-l7, namespace: db }
spec:
  endpointSelector: { matchLabels: { app: pg } }
  ingressDeny:
    - fromEntities: [world]
  ingress:
    - fromEndpoints: [{ matchLabels: { app: web, k8s:io.kubernetes.pod.namespace: shop } }]
      toPorts: [{ ports: [{ port: "5432", protocol: TCP }], rules: { http: [{ method: GET }] } }]
`,
      'app.yaml',
    );
    const key = 'CiliumNetworkPolicy:db/pg-l7';
    const policy = findCiliumPolicy(cilium, key);
    if (policy === undefined) throw new Error('no Cilium policy');
    const effect = createAnalyzer(cilium).policyEffect(key);
    const md = policyReport({ policy: { kind: 'cilium', policy }, effect, source: 'Manifests: app.yaml' });
    expect(md).toContain('# CiliumNetworkPolicy db/pg-l7');
    expect(md).toContain('- Pods (1): `db/pg-1`');
    expect(md).toContain('## `spec`');
    expect(md).toContain('- Default deny: ingress on, egress off');
    expect(md).toMatch(/1\. \*\*Deny\*\* \*\*spec\.ingressDeny\[0\]\*\*: from .*world/);
    expect(md).toMatch(
      /2\. \*\*Allow\*\* \*\*spec\.ingress\[0\]\*\*: from .*, on TCP 5432\. Conditional: allowed only for requests/,
    );
    expect(md).toContain(`| Denied by it | ${effect.counts.denied.toLocaleString('en-US')} |`);
    expect(reportFileName(key)).toBe('policy-ciliumnetworkpolicy-db-pg-l7.md');
  });

  it('escapes Markdown and names the file after the key', () => {
    expect(mdText('a|b *c*')).toBe('a\\|b \\*c\\*');
    expect(mdCode('x`y')).toBe('``x`y``');
    expect(reportFileName('shop/web')).toBe('policy-shop-web.md');
    expect(reportFileName('AdminNetworkPolicy:x')).toBe('policy-adminnetworkpolicy-x.md');
  });
});

describe('short source names for file names', () => {
  it('uses the demo, a folder or file name, or the context', async () => {
    const { shortSourceName } = await import('../../../renderer/src/export/ExportButtons.tsx');
    expect(shortSourceName({ kind: 'demo' })).toBe('demo');
    expect(shortSourceName({ kind: 'manifests', paths: ['/srv/k8s/'] })).toBe('k8s');
    expect(shortSourceName({ kind: 'manifests', paths: ['/srv/app.yaml', '/srv/b'] })).toBe('app-and-more');
    expect(shortSourceName({ kind: 'dropped', files: ['dir/shop.yml'] })).toBe('shop');
    expect(shortSourceName({ kind: 'cluster', context: 'kind-dev', server: 'https://x' })).toBe('kind-dev');
    expect(matrixFileName(shortSourceName({ kind: 'dropped', files: ['Shop App.yaml'] }))).toBe(
      'namespace-matrix-shop-app.csv',
    );
  });
});
