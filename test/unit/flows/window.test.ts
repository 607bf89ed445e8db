/**
 * Time windows over the imported flows: parsing RFC 3339, which records a window keeps, and a
 * comparison (findings, rule usage, "allowed but never seen") over the chosen window only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { FlowImport, inWindow, parseRfc3339, type FlowComparison } from '../../../shared/flows/index.ts';
import { timeMs } from '../../../shared/flows/fields.ts';
import { FIXTURES, fixtureSnapshot } from './fixtures.ts';

const T = (s: string): number => Date.parse(s);

function imported(...files: string[]): FlowImport {
  const snapshot = fixtureSnapshot();
  const flows = new FlowImport(snapshot, createAnalyzer(snapshot));
  for (const f of files) flows.readText(f, readFileSync(join(FIXTURES, f), 'utf8'));
  return flows;
}

const unused = (c: FlowComparison): string[] =>
  c.rules
    .filter((r) => r.flows === 0)
    .map((r) => `${r.policy} ${r.direction}[${r.rule}]`)
    .sort();

const ends = (c: FlowComparison): string[] =>
  c.findings.map((f) => `${f.status} ${f.flow.src.label} -> ${f.flow.dst.label} ${f.count}`).sort();

describe('parseRfc3339', () => {
  it('reads zones, offsets and fractions', () => {
    expect(parseRfc3339('2026-12-03T10:00:00Z')).toEqual({ ok: true, ms: T('2026-12-03T10:00:00Z') });
    expect(parseRfc3339('2026-12-03T11:30:00.25+01:30')).toEqual({
      ok: true,
      ms: T('2026-12-03T10:00:00.250Z'),
    });
    expect(parseRfc3339('2026-12-03t10:00:00.123456789z')).toEqual({
      ok: true,
      ms: T('2026-12-03T10:00:00.123Z'),
    });
  });

  it('refuses what is not an RFC 3339 time, saying why', () => {
    const bad = (s: string): string => {
      const r = parseRfc3339(s);
      return r.ok ? 'ok' : r.error;
    };
    expect(bad('yesterday')).toMatch(/not an RFC 3339 time/);
    expect(bad('2026-12-03T10:00:00')).toMatch(/not an RFC 3339 time/); // no zone: ambiguous
    expect(bad('2026-12-03')).toMatch(/not an RFC 3339 time/);
    expect(bad('2026-02-31T00:00:00Z')).toBe('day 31 is not in 2026-02');
    expect(bad('2026-13-01T00:00:00Z')).toBe('month 13 is not 01-12');
    expect(bad('2026-12-03T24:00:00Z')).toBe('24:00:00 is not a time of day');
    expect(bad('2024-02-29T00:00:00Z')).toBe('ok');
  });
});

describe('inWindow', () => {
  it('keeps a span that overlaps the window, bounds inclusive, open ends open', () => {
    expect(inWindow(10, 10, { since: 10, until: 20 })).toBe(true);
    expect(inWindow(20, 20, { since: 10, until: 20 })).toBe(true);
    expect(inWindow(21, 21, { since: 10, until: 20 })).toBe(false);
    expect(inWindow(5, 12, { since: 10 })).toBe(true); // an aggregate straddling a bound counts
    expect(inWindow(1, 9, { since: 10 })).toBe(false);
    expect(inWindow(1, 9, {})).toBe(true);
  });
});

describe('a comparison over a time window', () => {
  it('compares only the records inside it', () => {
    const flows = imported('hubble.jsonl');
    const all = flows.compare();
    const c = flows.compare({ since: T('2026-12-02T09:00:10Z'), until: T('2026-12-02T09:00:14.5Z') });
    expect(all.outsideWindow).toBe(0);
    expect(all.selected).toBeUndefined();
    // Records at :10 to :14: the internet to web, checkout to postgres twice, DNS, a policy drop.
    expect(ends(c)).toEqual([
      'confirmed 198.51.100.7 -> shop/web-7d9f8c6b5-fghij 1',
      'confirmed shop/checkout-5c4b7d9f8-k2m4p -> db/postgres-0 2',
      'confirmed shop/web-7d9f8c6b5-abcde -> db/postgres-0 1',
      'confirmed shop/web-7d9f8c6b5-fghij -> kube-system/coredns-6f7b8c9d5-x7k2p 1',
    ]);
    expect(c.counts).toEqual({ confirmed: 4, contradiction: 0, audit: 0, undecided: 0 });
    expect(c.flows).toBe(4);
    expect(c.outsideWindow).toBe(all.read.records.hubble - 5);
    expect(c.selected).toEqual({ since: T('2026-12-02T09:00:10Z'), until: T('2026-12-02T09:00:14.5Z') });
    // The import's own window and read counts stay the import's.
    expect(c.window).toEqual(all.window);
    expect(c.read).toEqual(all.read);
    // "Allowed but never seen" is over the window: web → checkout fell outside it.
    expect(unused(c)).toEqual(
      [...unused(all), 'shop/checkout ingress[0]', 'shop/web-egress egress[0]'].sort(),
    );
    expect(c.unmapped).toEqual([]);
    expect(c.unmappedFlows).toBe(0);
  });

  it('counts per outcome inside the window, and open bounds', () => {
    const flows = imported('hubble.jsonl');
    const early = flows.compare({ until: T('2026-12-02T09:00:05.5Z') });
    const web = early.findings.find((f) => f.flow.src.label.endsWith('abcde') && f.flow.port === 8080);
    expect(web?.count).toBe(4);
    expect(web?.flow.records).toBe(4);
    expect(web?.flow.first).toBe(T('2026-12-02T09:00:01.123Z'));
    expect(web?.flow.last).toBe(T('2026-12-02T09:00:05.123Z'));
    const late = flows.compare({ since: T('2026-12-02T09:00:15Z') });
    expect(late.counts.contradiction).toBe(3);
    expect(late.unmapped.map((u) => u.label)).toEqual(['shop/web-6c5d4b3a2-zzzzz (10.0.1.99)']);
    const none = flows.compare({ since: T('2030-01-01T00:00:00Z') });
    expect(none.flows).toBe(0);
    expect(none.outsideWindow).toBe(none.read.records.hubble);
    expect(unused(none)).toHaveLength(none.rules.length);
  });

  it('asking twice for the same window gives the same flows (findings can be matched)', () => {
    const flows = imported('hubble.jsonl');
    const w = { since: T('2026-12-02T09:00:01Z') };
    const a = flows.aggregator.windowed(w);
    expect(flows.aggregator.windowed({ ...w }).flows).toBe(a.flows);
    expect(flows.aggregator.windowed({}).flows).toBe(flows.aggregator.flows);
  });

  it('a Calico aggregate counts when its interval overlaps the window', () => {
    const flows = imported('calico-goldmane.jsonl');
    const all = flows.compare();
    const { first, last } = all.window;
    expect(first).toBeDefined();
    expect(last).toBeDefined();
    const one = all.findings[0];
    expect(one).toBeDefined();
    if (one === undefined || first === undefined || last === undefined) return;
    // An instant inside every aggregate's interval keeps them all; one after them keeps none.
    const inside = flows.compare({ since: one.flow.first, until: one.flow.first });
    expect(inside.findings.map((f) => f.flow)).toContainEqual(
      expect.objectContaining({ port: one.flow.port }),
    );
    expect(flows.compare({ since: last + 1 }).flows).toBe(0);
  });
});

describe('timeMs', () => {
  it('reads Hubble’s times as Date.parse does', () => {
    for (const s of [
      '2026-12-02T09:00:01.123456789Z',
      '2026-12-02T09:00:01Z',
      '2026-12-02T09:00:01.5Z',
      '2026-12-02T09:00:01.0009Z',
      '2026-02-31T23:59:59.999Z',
      '2024-02-29T00:00:00.1Z',
      '1970-01-01T00:00:00Z',
      '2026-12-02T09:00:01.123+01:00',
      '2026-12-02T24:00:00Z',
      '0099-12-02T09:00:01Z',
      '2026-12-02T09:00:01.Z',
    ])
      expect(timeMs(s), s).toBe(Number.isNaN(Date.parse(s)) ? undefined : Date.parse(s));
    expect(timeMs('1764666001')).toBe(1764666001000);
  });
});
