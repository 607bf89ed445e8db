/** The comparison seen from a policy (seen flows per rule) and from a pod (seen flows in and out). */
import { describe, expect, it } from 'vitest';
import { podFlows, ruleFlows } from '../../../shared/flows/index.ts';
import { compareFixture } from './fixtures.ts';

describe('ruleFlows', () => {
  it('counts per rule the seen flows it allowed, from the evaluator’s verdicts', () => {
    const c = compareFixture('hubble.jsonl');
    const r = ruleFlows(c, 'shop/checkout');
    expect(r.rules.map((u) => [`${u.direction}[${u.rule}]`, u.flows, u.connections])).toEqual([
      ['ingress[0]', 1, 6],
      ['egress[0]', 1, 2],
      ['egress[1]', 0, 0],
    ]);
    expect(r.rules[0]?.seen).toEqual([
      {
        from: 'shop/web-7d9f8c6b5-abcde',
        to: 'shop/checkout-5c4b7d9f8-k2m4p',
        protocol: 'TCP',
        port: 8080,
        connections: 6,
        status: 'confirmed',
      },
    ]);
    expect(r.rules[2]?.seen).toEqual([]);
    // Each side of a connection has its own allowing rule: web's egress rule saw the same flow.
    expect(ruleFlows(c, 'shop/web-egress').rules[0]?.connections).toBe(6);
  });

  it('a flow two rules of a policy allow counts for both; a policy not in the snapshot has no rules', () => {
    const c = compareFixture('hubble.jsonl');
    for (const f of c.findings)
      for (const ref of f.rules)
        expect(
          c.rules.some(
            (u) => u.policy === ref.policy && u.direction === ref.direction && u.rule === ref.rule,
          ),
        ).toBe(true);
    expect(ruleFlows(c, 'nowhere/none').rules).toEqual([]);
  });

  it('cuts the seen list at the limit, busiest first, counts exact', () => {
    const c = compareFixture('hubble.jsonl', 'calico-whisker.json');
    const full = ruleFlows(c, 'db/postgres-ingress');
    const cut = ruleFlows(c, 'db/postgres-ingress', 1);
    expect(cut.rules.map((u) => u.flows)).toEqual(full.rules.map((u) => u.flows));
    for (const u of cut.rules) expect(u.seen.length).toBeLessThanOrEqual(1);
  });
});

describe('podFlows', () => {
  it('lists the seen flows into and out of a pod with their verdicts, contradictions first', () => {
    const c = compareFixture('hubble.jsonl');
    const p = podFlows(c, 'db/postgres-0');
    expect(p.inbound.map((f) => [f.peer, f.status, f.observed, f.count])).toEqual([
      ['monitoring/prometheus-0', 'contradiction', 'denied', 1],
      ['shop/checkout-5c4b7d9f8-k2m4p', 'confirmed', 'allowed', 2],
      ['shop/web-7d9f8c6b5-abcde', 'confirmed', 'denied', 1],
    ]);
    expect(p.inbound[0]?.cause?.kind).toBe('cni-semantics');
    expect(p.inbound[0]?.peerPod).toBe('monitoring/prometheus-0');
    expect(p.outbound).toEqual([]);
    expect(p.totals.inbound.confirmed).toEqual({ flows: 2, connections: 3 });
    expect(p.totals.inbound.contradiction).toEqual({ flows: 1, connections: 1 });
  });

  it('audit flows out of a pod; an address peer has no pod link', () => {
    const c = compareFixture('hubble.jsonl');
    const p = podFlows(c, 'shop/web-7d9f8c6b5-abcde');
    const audit = p.outbound.find((f) => f.status === 'audit');
    expect(audit).toMatchObject({ peer: '192.0.2.10', port: 443, count: 1 });
    expect(audit?.peerPod).toBeUndefined();
    expect(p.outbound.map((f) => f.status)).toEqual(['audit', 'confirmed', 'confirmed']);
    expect(podFlows(c, 'shop/web-7d9f8c6b5-abcde', 1).outbound).toHaveLength(1);
  });
});
