/**
 * Fixture cluster + flow files with known answers (test/fixtures/flows): for each file, exactly which
 * flows are confirmed, which contradict the policies and with which cause, which are audit or
 * undecided findings, and which rules allowed none of the seen traffic.
 */
import { describe, expect, it } from 'vitest';
import type { FlowComparison, FlowFinding } from '../../../shared/flows/index.ts';
import { compareFixture } from './fixtures.ts';

/** `observed from → to port [cause]`, sorted, per status. */
function sets(c: FlowComparison): Record<string, string[]> {
  const out: Record<string, string[]> = { confirmed: [], contradiction: [], audit: [], undecided: [] };
  const line = (f: FlowFinding): string =>
    `${f.observed} ${f.flow.src.label} -> ${f.flow.dst.label} ${f.flow.port}/${f.flow.protocol}${f.cause ? ` [${f.cause.kind}]` : ''}`;
  for (const f of c.findings) out[f.status]?.push(line(f));
  for (const k of Object.keys(out)) out[k]?.sort();
  return out;
}

const unused = (c: FlowComparison): string[] =>
  c.rules
    .filter((r) => r.flows === 0)
    .map((r) => `${r.policy} ${r.direction}[${r.rule}]`)
    .sort();

describe('flows against the fixture cluster', () => {
  it('hubble.jsonl: confirmed, contradictions with causes, audit, unused rules', () => {
    const c = compareFixture('hubble.jsonl');
    expect(sets(c)).toEqual({
      confirmed: [
        'allowed 198.51.100.7 -> shop/web-7d9f8c6b5-fghij 8080/TCP',
        'allowed shop/checkout-5c4b7d9f8-k2m4p -> db/postgres-0 5432/TCP',
        'allowed shop/web-7d9f8c6b5-abcde -> shop/checkout-5c4b7d9f8-k2m4p 8080/TCP',
        'allowed shop/web-7d9f8c6b5-fghij -> kube-system/coredns-6f7b8c9d5-x7k2p 53/UDP',
        'denied shop/web-7d9f8c6b5-abcde -> db/postgres-0 5432/TCP',
      ],
      contradiction: [
        'allowed shop/checkout-5c4b7d9f8-k2m4p -> shop/cart-0 6379/TCP [unmodelled-cni-policy]',
        'allowed shop/web-7d9f8c6b5-fghij -> shop/cart-0 6379/TCP [policy-changed]',
        'denied monitoring/prometheus-0 -> db/postgres-0 5432/TCP [cni-semantics]',
      ],
      audit: ['audit shop/web-7d9f8c6b5-abcde -> 192.0.2.10 443/TCP'],
      undecided: [],
    });
    expect(unused(c)).toEqual([
      'db/postgres-ingress ingress[1]',
      'shop/cart ingress[0]',
      'shop/checkout egress[1]',
      'shop/web-ingress ingress[1]',
    ]);
    expect(c.read.skipped).toEqual({ reply: 3, icmp: 1, l7: 1, trace: 1, 'not-a-flow': 1 });
    expect(c.read.errorCount).toBe(0);
    expect(c.droppedOther).toBe(1);
    expect(c.unmapped.map((u) => u.label)).toEqual(['shop/web-6c5d4b3a2-zzzzz (10.0.1.99)']);
    expect(c.unmappedFlows).toBe(1);
    // Both observation points of web → checkout (egress and ingress) and their count.
    const web = c.findings.find((f) => f.flow.src.label.endsWith('abcde') && f.flow.port === 8080);
    expect(web?.count).toBe(6);
    expect(web?.decidedBy).toEqual(['shop/web-egress egress[0]', 'shop/checkout ingress[0]']);
    const ipBlock = c.findings.find((f) => f.cause?.kind === 'cni-semantics');
    expect(ipBlock?.cause?.detail).toContain('db/postgres-ingress ingress[1]');
    expect(ipBlock?.cause?.detail).toContain('10.0.3.10');
    const cni = c.findings.find((f) => f.cause?.kind === 'unmodelled-cni-policy');
    expect(cni?.cause?.detail).toContain('CiliumNetworkPolicy shop/checkout-cache');
    expect(c.window.first).toBe(Date.parse('2026-12-02T09:00:01.123Z'));
  });

  it('calico-goldmane.jsonl: workload aggregates, end of tier, staged policies, networks', () => {
    const c = compareFixture('calico-goldmane.jsonl');
    expect(sets(c)).toEqual({
      confirmed: [
        'allowed shop/checkout-5c4b7d9f8-k2m4p -> db/postgres-0 5432/TCP',
        'allowed shop/web-7d9f8c6b5-* (2 pods) -> shop/checkout-5c4b7d9f8-k2m4p 8080/TCP',
      ],
      contradiction: [
        'denied monitoring/prometheus-0 -> db/postgres-0 5432/TCP [cni-semantics]',
        'denied shop/web-7d9f8c6b5-* (2 pods) -> kube-system/coredns-6f7b8c9d5-x7k2p 53/UDP [unmodelled-cni-policy]',
      ],
      audit: ['audit shop/checkout-5c4b7d9f8-k2m4p -> shop/cart-0 6379/TCP'],
      // "pub" stands for every public address class; 203.0.113.0/24 is allowed, the rest is not.
      undecided: ['allowed shop/checkout-5c4b7d9f8-k2m4p -> public network 443/TCP'],
    });
    const audit = c.findings.find((f) => f.status === 'audit');
    expect(audit?.note).toContain('StagedNetworkPolicy shop/restrict-cache');
    expect(audit?.evaluated).toBe('denied');
    const dns = c.findings.find((f) => f.flow.port === 53);
    expect(dns?.cause?.detail).toContain('GlobalNetworkPolicy deny-dns-egress (tier security)');
    expect(c.read.skipped).toEqual({ icmp: 1 });
    // Counts are Goldmane's connection counts, summed over the reporters.
    expect(
      c.findings.find((f) => f.flow.src.label.startsWith('shop/web') && f.flow.port === 8080)?.count,
    ).toBe(6);
  });

  it('calico-whisker.json (one pretty-printed document): a policy missing from the snapshot', () => {
    const c = compareFixture('calico-whisker.json');
    expect(sets(c)).toEqual({
      confirmed: [
        'allowed shop/checkout-5c4b7d9f8-k2m4p -> db/postgres-0 5432/TCP',
        'allowed shop/web-7d9f8c6b5-* (2 pods) -> shop/checkout-5c4b7d9f8-k2m4p 8080/TCP',
      ],
      contradiction: ['allowed shop/checkout-5c4b7d9f8-k2m4p -> shop/cart-0 6379/TCP [policy-changed]'],
      audit: [],
      undecided: [],
    });
    const missing = c.findings.find((f) => f.status === 'contradiction');
    expect(missing?.cause?.detail).toContain('NetworkPolicy shop/checkout-cache');
    expect(missing?.cause?.detail).toContain('not in the snapshot');
    expect(c.window).toEqual({
      first: Date.parse('2026-12-02T10:00:00Z'),
      last: Date.parse('2026-12-02T10:00:45Z'),
    });
  });

  it('hubble-broken.jsonl: bad lines are errors at their line, the rest is compared', () => {
    const c = compareFixture('hubble-broken.jsonl');
    expect(c.errors.map((e) => [e.location.file, e.location.line, e.field])).toEqual([
      ['hubble-broken.jsonl', 2, undefined],
      ['hubble-broken.jsonl', 3, 'l4'],
      ['hubble-broken.jsonl', 4, undefined],
    ]);
    expect(c.errors[0]?.message).toMatch(/^not valid JSON/);
    expect(c.counts.confirmed).toBe(1);
  });

  it('several files make one comparison', () => {
    const c = compareFixture('hubble.jsonl', 'calico-whisker.json');
    expect(c.read.records).toEqual({ hubble: 17, calico: 3 });
    // checkout → cart is one flow in both files: its records add up.
    expect(c.counts.contradiction).toBe(3);
    const cart = c.findings.find(
      (f) => f.status === 'contradiction' && f.flow.src.label.startsWith('shop/checkout'),
    );
    expect(cart?.count).toBe(2);
    expect([...(cart?.flow.formats ?? [])].sort()).toEqual(['calico', 'hubble']);
  });
});
