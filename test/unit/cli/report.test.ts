import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../shared/report/index.ts';
import { cli } from './run-cli.ts';

const CLUSTER = join(import.meta.dirname, '..', '..', 'fixtures', 'assertions', 'cluster.yaml');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netglass report', () => {
  it('prints Markdown by default', async () => {
    const r = await cli('report', '--manifests', CLUSTER);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.startsWith('# Network isolation report\n')).toBe(true);
    expect(r.out).toContain('- Without ingress default-deny: 2: `kube-system`, `shop`');
  });

  it('writes JSON that is the report model', async () => {
    const r = await cli('report', '-f', CLUSTER, '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Report;
    expect(j.schema).toBe(1);
    expect(j.totals).toEqual({ pods: 6, namespaces: 3, policies: 3, clusterPolicies: 0 });
    expect(j.matrix.namespaces).toEqual(['db', 'kube-system', 'shop']);
    expect(j.matrix.cells).toHaveLength(9);
    expect(j.namespaces.find((n) => n.namespace === 'db')?.ingress.defaultDeny).toEqual([
      'db/default-deny-ingress',
    ]);
  });

  it('writes HTML to -o, and nothing to stdout', async () => {
    const out = join(dir, 'report.html');
    const r = await cli('report', '-f', CLUSTER, '--format', 'html', '-o', out);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<table id="namespace-matrix">');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('gives the same output on every run', async () => {
    const a = await cli('report', '-f', CLUSTER, '--format', 'html');
    const b = await cli('report', '-f', CLUSTER, '--format', 'html');
    expect(a.out).toBe(b.out);
  });

  it('exits 2 on bad input', async () => {
    expect((await cli('report', '-f', CLUSTER, '--format', 'pdf')).code).toBe(2);
    expect((await cli('report', '-f', CLUSTER, '--limit', 'x')).code).toBe(2);
    expect((await cli('report')).code).toBe(2);
    expect((await cli('report', '-f', join(dir, 'missing.yaml'))).code).toBe(2);
    const unwritable = await cli('report', '-f', CLUSTER, '-o', join(dir, 'no', 'dir', 'r.md'));
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toContain('cannot write');
  });

  it('has help', async () => {
    const r = await cli('report', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: netglass report');
    expect(r.out).toContain('--format <markdown|html|json>');
  });
});
