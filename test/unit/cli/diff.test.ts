import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

/** Spawning Node and type-stripping the CLI takes seconds on a loaded machine. */
const PROCESS_TIMEOUT = 60_000;
const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'netglass.js');
const SEED = join(ROOT, 'test', 'fixtures', 'diff', 'seed');
const BASE = join(SEED, 'base');
const DENY = join(SEED, 'deny-restricted-egress.yaml');
const DENY_DNS = join(SEED, 'deny-restricted-egress-dns.yaml');
let dir: string;

interface DiffJson {
  changed: boolean;
  universe: { pods: number; externals: string[]; ports: string[]; partial?: boolean };
  counts: Record<string, number>;
  ports: { port: string; added: number; removed: number; unchanged: number; total: number }[];
  namespacePairs: { from: string | null; to: string | null; added: number; removed: number }[];
  pods: { added: string[]; removed: string[]; changed: string[] };
  policies: { added: string[]; removed: string[]; changed: string[] };
  attribution: { policy: string; change: string; added: number; removed: number }[];
  added: { from: string; to: string; port: string }[];
  removed: { from: string; to: string; port: string }[];
  truncated: boolean;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-diff-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diff', () => {
  it('seed: adding deny-restricted-egress removes exactly the restricted pod’s egress (JSON, exit 1)', async () => {
    const r = await cli('diff', '--manifests', BASE, '--against', BASE, DENY, '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as DiffJson;
    expect(j.changed).toBe(true);
    expect(j.universe).toEqual({ pods: 3, externals: ['0.0.0.1'], ports: ['1/TCP'] });
    expect(j.counts).toEqual({
      added: 0,
      removed: 3,
      becameUnknown: 0,
      becameKnown: 0,
      unchanged: 9,
      total: 12,
    });
    expect(j.removed).toEqual([
      { from: 'billing/ledger', to: 'billing/payments', port: '1/TCP' },
      { from: 'billing/ledger', to: 'shop/checkout', port: '1/TCP' },
      { from: 'billing/ledger', to: '0.0.0.1', port: '1/TCP' },
    ]);
    expect(j.added).toEqual([]);
    expect(j.policies).toEqual({ added: ['billing/deny-restricted-egress'], removed: [], changed: [] });
    expect(j.pods).toEqual({ added: [], removed: [], changed: [] });
    expect(j.namespacePairs).toEqual([
      { from: 'billing', to: 'billing', added: 0, removed: 1, becameUnknown: 0, becameKnown: 0 },
      { from: 'billing', to: 'shop', added: 0, removed: 1, becameUnknown: 0, becameKnown: 0 },
      { from: 'billing', to: null, added: 0, removed: 1, becameUnknown: 0, becameKnown: 0 },
    ]);
    expect(j.attribution).toEqual([
      {
        policy: 'billing/deny-restricted-egress',
        change: 'added',
        added: 0,
        removed: 3,
        becameUnknown: 0,
        becameKnown: 0,
      },
    ]);
    expect(j.truncated).toBe(false);
    // Stable: the same input prints the same bytes.
    const again = await cli('diff', '--manifests', BASE, '--against', BASE, DENY, '--format', 'json');
    expect(again.out).toBe(r.out);
  });

  it('text: counts, objects, per port, per namespace pair, the list', async () => {
    const r = await cli('diff', '-f', BASE, '--against', BASE, DENY);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'connections: 0 added, 3 removed',
        'compared: 3 pods present in both states, 1 external address, 1 port: 12 connections',
        '',
        '  added      0  denied before, allowed after',
        '  removed    3  allowed before, denied after',
        '  unchanged  9',
        '',
        'objects (pods in one state only are not compared)',
        '  policies  added  1  billing/deny-restricted-egress',
        '',
        'changes at pods each edited policy selects',
        '  policy                                 added  removed',
        '  billing/deny-restricted-egress  added      0        3',
        '',
        'per port (ports with changes)',
        '  port      added  removed  unchanged',
        '  any port      0        3          9',
        '',
        'per namespace pair (pairs with changes)',
        '  from     to          added  removed',
        '  billing  billing         0        1',
        '  billing  shop            0        1',
        '  billing  (external)      0        1',
        '',
        'removed (3):',
        // No policy names a port or an address: the probes stand for all of them, and say so.
        '  billing/ledger -> billing/payments on any port',
        '  billing/ledger -> shop/checkout on any port',
        '  billing/ledger -> any address on any port',
        '',
      ].join('\n'),
    );
  });

  it('the reverse (removing the policy) adds the same connections', async () => {
    const r = await cli('diff', '-f', BASE, DENY, '--against', BASE, '--format', 'json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as DiffJson;
    expect(j.counts['added']).toBe(3);
    expect(j.counts['removed']).toBe(0);
    expect(j.policies.removed).toEqual(['billing/deny-restricted-egress']);
  });

  it('no change: exit 0, and the same file on both sides is fine', async () => {
    const r = await cli('diff', '-f', BASE, DENY, '--against', BASE, DENY);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^connections: no change\n/);
    expect(r.out).toContain('objects: no namespace, pod or policy differs');
  });

  it('--apply replaces the object of the same kind and name (base + edited policy)', async () => {
    const r = await cli('diff', '-f', BASE, DENY, '--apply', DENY_DNS, '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as DiffJson;
    expect(j.policies).toEqual({ added: [], removed: [], changed: ['billing/deny-restricted-egress'] });
    expect(j.counts['removed']).toBe(0);
    expect(j.added.map((c) => c.port)).toEqual(['53/TCP', '53/UDP', '53/TCP', '53/UDP', '53/TCP', '53/UDP']);
    expect(new Set(j.added.map((c) => c.from))).toEqual(new Set(['billing/ledger']));
  });

  it('--against with an edited copy of a base object: exit 2 with the duplicate and a hint to use --apply', async () => {
    const r = await cli('diff', '-f', BASE, DENY, '--against', BASE, DENY, DENY_DNS);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /deny-restricted-egress(-dns)?\.yaml:3:1: duplicate NetworkPolicy billing\/deny-restricted-egress: already defined at /,
    );
    expect(r.err).toContain('error in the --against input; nothing was compared');
    expect(r.err).toContain('--apply');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('--limit cuts lists, never counts', async () => {
    const r = await cli('diff', '-f', BASE, '--against', BASE, DENY, '--limit', '1');
    expect(r.out).toContain(
      'removed (3):\n  billing/ledger -> billing/payments on any port\n  ... 2 more (--limit)\n',
    );
    const j = JSON.parse(
      (await cli('diff', '-f', BASE, '--against', BASE, DENY, '--limit', '2', '-o', 'json')).out,
    ) as DiffJson;
    expect(j.removed).toHaveLength(2);
    expect(j.counts['removed']).toBe(3);
    expect(j.truncated).toBe(true);
  });

  it('pods only in one state are listed and not compared', async () => {
    const extra = join(dir, 'extra-pod.yaml');
    writeFileSync(
      extra,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: batch, namespace: billing, labels: {access: restricted}}\nstatus: {podIP: 10.244.3.12}\n',
    );
    const r = await cli('diff', '-f', BASE, '--against', BASE, extra, '--format', 'json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as DiffJson;
    expect(j.pods.added).toEqual(['billing/batch']);
    expect(j.universe.pods).toBe(3);
    expect(j.counts['added'] ?? 0).toBe(0);
    expect(j.counts['removed'] ?? 0).toBe(0);
    const t = await cli('diff', '-f', BASE, '--against', BASE, extra);
    expect(t.out).toContain('  pods  added  1  billing/batch');
  });

  it('bad input: exit 2, file:line:col messages, no stack trace', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{port: 80, endPort: 79}]\n',
    );
    const r = await cli('diff', '-f', BASE, '--against', BASE, bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:7:\d+: spec\.ingress\[0\]\.ports\[0\]\.endPort: /);
    expect(r.err).not.toMatch(/\n\s+at /);
    const a = await cli('diff', '-f', BASE, '--apply', join(dir, 'missing.yaml'));
    expect(a.code).toBe(2);
    expect(a.err).toContain('missing.yaml: no such file or directory');
    expect(a.err).toContain('--apply input');
    const none = await cli('diff', '-f', BASE);
    expect(none.code).toBe(2);
    expect(none.err).toContain('give --against');
    const limit = await cli('diff', '-f', BASE, '--against', BASE, '--limit', 'x');
    expect(limit.code).toBe(2);
    expect(limit.err).toContain('--limit must be a whole number');
  });

  it('is in the help, with its exit statuses', async () => {
    const main = await cli('--help');
    expect(main.out).toMatch(/\n {2}diff {5}connections added and removed/);
    const help = await cli('diff', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--against <path>');
    expect(help.out).toContain('--apply <path>');
    expect(help.out).toContain('Exit status: 0 no connection changed, 1 some did');
  });

  it(
    'runs as a process: exit status 1 on changes, output on stdout',
    async () => {
      const run = promisify(execFile);
      const err = await run(process.execPath, [
        BIN,
        'diff',
        '-f',
        BASE,
        '--against',
        BASE,
        DENY,
        '-o',
        'json',
      ]).catch((e: unknown) => e as { code: number; stdout: string });
      expect('code' in err ? err.code : 0).toBe(1);
      expect((JSON.parse(err.stdout) as DiffJson).counts['removed']).toBe(3);
      const same = await run(process.execPath, [BIN, 'diff', '-f', BASE, '--against', BASE]);
      expect(same.stdout).toMatch(/^connections: no change/);
    },
    PROCESS_TIMEOUT,
  );
});
