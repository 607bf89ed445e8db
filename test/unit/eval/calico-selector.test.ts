/**
 * Calico's selector language: parsing (with the column of each syntax error) and three-valued
 * matching, written from Calico's Selectors reference.
 */
import { describe, expect, it } from 'vitest';
import {
  calicoSelectorKeys,
  matchCalicoSelector,
  parseCalicoSelector,
  type Tri,
} from '../../../shared/eval/calico-selector.ts';
import type { Labels } from '../../../shared/model/snapshot.ts';

function match(text: string, labels: Labels, unknown: readonly string[] = []): Tri {
  const p = parseCalicoSelector(text);
  if (!p.ok) throw new Error(`${text}: ${p.error.message} at ${p.error.column}`);
  return matchCalicoSelector(p.selector, labels, { unknownKey: (k) => unknown.includes(k) });
}

const DB: Labels = { role: 'database', tier: 'data', app: 'web-store' };

describe('Calico selectors: matching', () => {
  it.each<[string, Labels, Tri]>([
    ["role == 'database'", DB, true],
    ["role == 'frontend'", DB, false],
    ['role == "database"', DB, true],
    ["role != 'frontend'", DB, true],
    // != and not in also match an absent label.
    ["color != 'red'", DB, true],
    ["color not in {'red'}", DB, true],
    ["role in {'frontend', 'database'}", DB, true],
    ['role in {}', DB, false],
    ["role not in {'frontend', 'database'}", DB, false],
    ["color in {'red'}", DB, false],
    ['has(tier)', DB, true],
    ['!has(tier)', DB, false],
    ['has(color)', DB, false],
    ["app contains 'store'", DB, true],
    ["app starts with 'web'", DB, true],
    ["app ends with 'web'", DB, false],
    ["color contains ''", DB, false],
    ['all()', DB, true],
    ['', DB, true],
    ['   ', DB, true],
    ['global()', DB, false],
    ["role == 'database' && tier == 'api'", DB, false],
    ["role == 'frontend' || tier == 'data'", DB, true],
    ["!(role == 'frontend' || tier == 'api')", DB, true],
    // && binds tighter than ||.
    ["role == 'x' && tier == 'y' || has(app)", DB, true],
    ["role == 'x' && (tier == 'y' || has(app))", DB, false],
    ['!!has(app)', DB, true],
    ['projectcalico.org/namespace == "shop"', { 'projectcalico.org/namespace': 'shop' }, true],
  ])('%s', (text, labels, want) => {
    expect(match(text, labels)).toBe(want);
  });

  it('global() matches cluster-scoped objects only', () => {
    const p = parseCalicoSelector('global()');
    expect(p.ok && matchCalicoSelector(p.selector, {}, { global: true })).toBe(true);
  });

  it('is unknown only where an unknown label decides (Kleene logic)', () => {
    expect(match("sa == 'x'", DB, ['sa'])).toBe('unknown');
    expect(match("!(sa == 'x')", DB, ['sa'])).toBe('unknown');
    expect(match("sa == 'x' && role == 'frontend'", DB, ['sa'])).toBe(false);
    expect(match("sa == 'x' || role == 'database'", DB, ['sa'])).toBe(true);
    expect(match("sa == 'x' && role == 'database'", DB, ['sa'])).toBe('unknown');
    expect(match('all()', DB, ['sa'])).toBe(true);
  });

  it('lists the keys it reads', () => {
    const p = parseCalicoSelector("a == 'x' && (has(b) || !(c in {'1'})) && all()");
    expect(p.ok && [...calicoSelectorKeys(p.selector)]).toEqual(['a', 'b', 'c']);
  });
});

describe('Calico selectors: errors give the column', () => {
  it.each<[string, number, RegExp]>([
    ["role = 'x'", 6, /"==" \(or "!="\)/],
    ['role == x', 9, /quoted string/],
    ["role == 'x", 9, /unterminated string/],
    ["role == 'x' role == 'y'", 13, /join expressions with "&&" or "\|\|"/],
    ["(role == 'x'", 13, /expected "\)"/],
    ["role in {'a' 'b'}", 14, /"," or "}"/],
    ['has(role', 9, /expected "\)"/],
    ['has()', 5, /label key in has\(\)/],
    ["role ~= 'x'", 6, /unexpected character "~"/],
    ['role', 5, /expected an operator after "role"/],
    ["&& role == 'x'", 1, /expected a label expression/],
    ["role starts 'x'", 6, /expected an operator/],
  ])('%s', (text, column, message) => {
    const p = parseCalicoSelector(text);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.error.column).toBe(column);
    expect(p.error.message).toMatch(message);
  });
});
