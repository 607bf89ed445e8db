import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const SEED = join(import.meta.dirname, '..', '..', 'fixtures', 'diff', 'seed');
const BASE = join(SEED, 'base');
const DENY = join(SEED, 'deny-restricted-egress.yaml');
const DENY_DNS = join(SEED, 'deny-restricted-egress-dns.yaml');

describe('diff --format markdown', () => {
  it('a new deny policy: the connections it closes, per policy and per namespace pair (exit 1)', async () => {
    const r = await cli('diff', '-f', BASE, '--against', BASE, DENY, '--format', 'markdown');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('### netglass: this change opens 0 connections and closes 3');
    expect(r.out).toContain('- policies: added `billing/deny-restricted-egress`');
    expect(r.out).toContain('| `billing/deny-restricted-egress` | added | 0 | 3 |');
    // ledger's egress to payments, checkout and the one external address class.
    for (const row of [
      '| `billing` | `billing` | 0 | 1 |',
      '| `billing` | `shop` | 0 | 1 |',
      '| `billing` | (external) | 0 | 1 |',
    ])
      expect(r.out).toContain(row);
    expect(r.out).toContain('<details><summary>Closed connections (3)</summary>');
    expect(r.out).toContain('| `billing/ledger` | `shop/checkout` | any port |');
    expect(r.out).not.toContain('Opened connections');
  });

  it('an edit that opens DNS: opened connections counted against the edited policy', async () => {
    const r = await cli('diff', '-f', BASE, DENY, '--apply', DENY_DNS, '--format', 'markdown');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^### netglass: this change opens \d+ connections? and closes 0\n/);
    expect(r.out).toContain('- policies: changed `billing/deny-restricted-egress`');
    expect(r.out).toMatch(/\| `billing\/deny-restricted-egress` \| changed \| [1-9]\d* \| 0 \|/);
    expect(r.out).toContain('<details><summary>Opened connections (');
    expect(r.out).toMatch(/\| `billing\/ledger` \| `[^`]+` \| 53\/(TCP|UDP) \|/);
  });

  it('cuts each list at --limit and says how many more', async () => {
    const r = await cli('diff', '-f', BASE, '--against', BASE, DENY, '--format', 'markdown', '--limit', '1');
    expect(r.out).toContain('… and 2 more');
  });

  it('no change: says so, exit 0', async () => {
    const r = await cli('diff', '-f', BASE, '--against', BASE, '--format', 'markdown');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      '### netglass: no connection opened or closed\n\nCompared 3 pods present in both states, 1 external address and 1 port: 12 connections.\n',
    );
  });
});
