/** `netglass flows` in-process through runCli: formats, exit codes, --generate, standard input. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFlows, flowSource } from '../../../electron/cli/commands/flows.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import { FIXTURES, fixtureSnapshot } from './fixtures.ts';
import { cli } from '../cli/run-cli.ts';

const CLUSTER = join(FIXTURES, 'cluster.yaml');
const HUBBLE = join(FIXTURES, 'hubble.jsonl');
const WHISKER = join(FIXTURES, 'calico-whisker.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-flows-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netglass flows', () => {
  it('text: counts, contradictions with causes, unused rules; exit 1 on contradictions', async () => {
    const r = await cli('flows', '--manifests', CLUSTER, '--flows', HUBBLE);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('5 confirmed, 3 contradictions, 1 audit, 0 undecided');
    expect(r.out).toContain(
      'seen allowed: shop/checkout-5c4b7d9f8-k2m4p → shop/cart-0 6379/TCP (1 connection); policies: denied',
    );
    expect(r.out).toContain(
      'cause: a CNI policy outside the analysis: CiliumNetworkPolicy shop/checkout-cache allowed it; the snapshot does not hold it',
    );
    expect(r.out).toMatch(/shop\/web-ingress ingress\[1\]\s+none/);
    expect(r.out).toContain('Endpoints not in the snapshot (1):');
    expect(r.out).toContain(`first record: ${HUBBLE}:`);
  });

  it('json: the documented shape', async () => {
    const r = await cli('flows', '-f', CLUSTER, '--flows', HUBBLE, WHISKER, '--format', 'json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as {
      files: string[];
      counts: Record<string, number>;
      read: { records: Record<string, number>; skipped: Record<string, number> };
      contradictions: { from: string; to: string; port: string; observed: string; cause: { kind: string } }[];
      unusedRules: { policy: string; direction: string; rule: number }[];
      window: { first: string; last: string };
      truncated: boolean;
    };
    expect(j.files).toEqual([HUBBLE, WHISKER]);
    expect(j.read.records).toEqual({ hubble: 17, calico: 3 });
    expect(j.counts).toEqual({ confirmed: 6, contradiction: 3, audit: 1, undecided: 0 });
    expect(j.contradictions.map((c) => [c.from, c.to, c.port, c.observed, c.cause.kind])).toContainEqual([
      'monitoring/prometheus-0',
      'db/postgres-0',
      '5432/TCP',
      'denied',
      'cni-semantics',
    ]);
    expect(j.unusedRules.map((u) => `${u.policy} ${u.direction}[${u.rule}]`).sort()).toEqual([
      'db/postgres-ingress ingress[1]',
      'shop/cart ingress[0]',
      'shop/checkout egress[1]',
      'shop/web-ingress ingress[1]',
    ]);
    expect(j.window).toEqual({ first: '2026-12-02T09:00:01.123Z', last: '2026-12-02T10:00:45.000Z' });
    expect(j.truncated).toBe(false);
  });

  it('markdown: tables; --limit cuts lists, not counts', async () => {
    const r = await cli('flows', '-f', CLUSTER, '--flows', HUBBLE, '--format', 'markdown', '--limit', '1');
    expect(r.out).toContain('## Observed flows against the policies');
    expect(r.out).toContain('**3 contradictions**');
    expect(r.out).toContain('| from | to | port | observed | policies | connections | cause / note |');
    expect(r.out).toContain('… and 2 more');
  });

  it('exit 0 without contradictions', async () => {
    const file = join(dir, 'ok.jsonl');
    writeFileSync(file, `${readFileSync(HUBBLE, 'utf8').split('\n')[0] ?? ''}\n`);
    const r = await cli('flows', '-f', CLUSTER, '--flows', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 confirmed, 0 contradictions');
  });

  it('exit 2: no --flows, a missing file, a file with no flow record; warnings for bad lines', async () => {
    expect((await cli('flows', '-f', CLUSTER)).code).toBe(2);
    const missing = await cli('flows', '-f', CLUSTER, '--flows', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`cannot read flows from ${join(dir, 'nope.json')}: no such file`);
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, 'hello\n{"kind":"Pod"}\n');
    const bad = await cli('flows', '-f', CLUSTER, '--flows', junk);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${junk}:1: not valid JSON`);
    expect(bad.err).toContain('no Hubble or Calico flow record');
    const broken = await cli('flows', '-f', CLUSTER, '--flows', join(FIXTURES, 'hubble-broken.jsonl'));
    expect(broken.code).toBe(0);
    expect(broken.err).toContain('hubble-broken.jsonl:3: l4: destination_port is missing');
  });

  it('--generate writes one draft per workload that the manifest loader reads back', async () => {
    const out = join(dir, 'drafts');
    const r = await cli('flows', '-f', CLUSTER, '--flows', HUBBLE, '--generate', out);
    expect(r.code).toBe(1);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'db.observed-postgres.yaml',
      'kube-system.observed-kube-dns.yaml',
      'shop.observed-cart.yaml',
      'shop.observed-checkout.yaml',
      'shop.observed-web.yaml',
    ]);
    expect(r.out).toContain(`Wrote 5 policy drafts to ${out}`);
    for (const f of files) {
      const s = snapshotFromText(readFileSync(join(out, f), 'utf8'), f);
      expect(s.issues.filter((i) => i.severity !== 'info')).toEqual([]);
      expect(s.policies).toHaveLength(1);
    }
  });

  it('reads standard input for --flows -', async () => {
    const stdin = Readable.from([readFileSync(WHISKER)]);
    const { comparison } = await computeFlows(fixtureSnapshot(), [flowSource('-', stdin)]);
    expect(comparison.read.records.calico).toBe(3);
    expect(comparison.counts.contradiction).toBe(1);
    expect((await cli('flows', '-f', CLUSTER, '--flows', '-', '-')).code).toBe(2);
  });

  it('--since/--until compare only the records inside the window', async () => {
    const window = ['--since', '2026-12-02T09:00:10Z', '--until', '2026-12-02T10:00:14.5+01:00'];
    const r = await cli('flows', '-f', CLUSTER, '--flows', HUBBLE, ...window);
    expect(r.err).toBe('');
    // The contradictions are all after :14.5: none in the window, so exit 0.
    expect(r.code).toBe(0);
    expect(r.out).toContain('4 confirmed, 0 contradictions, 0 audit, 0 undecided');
    expect(r.out).toContain(
      'Compared only records from 2026-12-02T09:00:10.000Z to 2026-12-02T09:00:14.500Z (--since/--until): 12 records outside the window or without a time left out',
    );
    // Unused in the window: web → checkout was seen before it.
    expect(r.out).toMatch(/shop\/checkout ingress\[0\]\s+none/);
    const j = JSON.parse(
      (await cli('flows', '-f', CLUSTER, '--flows', HUBBLE, ...window, '--format', 'json')).out,
    ) as { selected: unknown; flows: number; unusedRules: { policy: string; rule: number }[] };
    expect(j.selected).toEqual({
      since: '2026-12-02T09:00:10.000Z',
      until: '2026-12-02T09:00:14.500Z',
      outside: 12,
    });
    expect(j.flows).toBe(4);
    expect(j.unusedRules).toHaveLength(6);
    const md = await cli(
      'flows',
      '-f',
      CLUSTER,
      '--flows',
      HUBBLE,
      '--since',
      '2026-12-02T09:00:15Z',
      '--format',
      'markdown',
    );
    expect(md.code).toBe(1);
    expect(md.out).toContain('Compared only records from 2026-12-02T09:00:15.000Z to the last');
  });

  it('--since/--until: a bad time is a usage error naming the flag', async () => {
    const bad = await cli('flows', '-f', CLUSTER, '--flows', HUBBLE, '--since', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toContain('--since "yesterday": not an RFC 3339 time');
    const day = await cli('flows', '-f', CLUSTER, '--flows', HUBBLE, '--until', '2026-02-30T00:00:00Z');
    expect(day.code).toBe(2);
    expect(day.err).toContain('--until "2026-02-30T00:00:00Z": day 30 is not in 2026-02');
    const inverted = await cli(
      'flows',
      '-f',
      CLUSTER,
      '--flows',
      HUBBLE,
      '--since',
      '2026-12-02T10:00:00Z',
      '--until',
      '2026-12-02T09:00:00Z',
    );
    expect(inverted.code).toBe(2);
    expect(inverted.err).toContain('is after --until');
    const help = await cli('flows', '--help');
    expect(help.out).toContain('--since <time>');
    expect(help.out).toContain('--until <time>');
  });

  it('is listed in the help', async () => {
    expect((await cli('--help')).out).toMatch(/flows\s+observed flows/);
    const help = await cli('flows', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--generate <dir>');
  });
});
