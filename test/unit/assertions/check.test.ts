import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { checkAssertions, parseAssertions, rangeProbes } from '../../../shared/assertions/index.ts';
import type { Assertion, AssertionResult } from '../../../shared/assertions/index.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { Peer } from '../../../shared/eval/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'assertions');
let snapshot: Snapshot;

beforeAll(async () => {
  snapshot = await loadManifests([join(FIXTURES, 'cluster.yaml')]);
});

function parse(text: string): readonly Assertion[] {
  const r = parseAssertions(text, 't.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.assertions;
}

function run(text: string, s: Snapshot = snapshot, examples?: number): AssertionResult[] {
  return checkAssertions(s, parse(text), examples !== undefined ? { examples } : {});
}

const assertion = (from: string, to: string, port: string, expect: string): string =>
  `assertions:\n  - from: ${from}\n    to: ${to}\n    port: ${port}\n    expect: ${expect}\n`;

describe('checkAssertions', () => {
  it('passes every assertion of pass.yaml, each on the connections it names', () => {
    const results = run(readFileSync(join(FIXTURES, 'pass.yaml'), 'utf8'));
    expect(results.map((r) => r.kind)).toEqual(Array(7).fill('passed'));
    // web x2 -> postgres; worker -> postgres; 5 pods -> cache-0; web-0 -> postgres on pg; web-1 -> the
    // address; the range 1-442 on its three classes (1, 53, 54); shop's 3 pods -> coredns-0.
    expect(results.map((r) => (r.kind === 'passed' ? r.checked : -1))).toEqual([2, 1, 5, 1, 1, 3, 3]);
  });

  it("reads an address that is a pod's own as that pod, as netglass check does", () => {
    const byName = run(assertion('shop/web-0', 'db/postgres-0', '5432', 'allowed'));
    const byAddress = run(assertion('10.244.1.10', 'db/postgres-0', '5432', 'allowed'));
    expect(byName.map((r) => r.kind)).toEqual(['passed']);
    expect(byAddress.map((r) => r.kind)).toEqual(['passed']);
    // From outside the cluster, postgres is closed.
    expect(run(assertion('192.0.2.7', 'db/postgres-0', '5432', 'denied')).map((r) => r.kind)).toEqual([
      'passed',
    ]);
  });

  it('fails fail.yaml’s first two assertions, explaining the denied connection', () => {
    const [all, missing, worker] = run(readFileSync(join(FIXTURES, 'fail.yaml'), 'utf8'));
    expect(all?.kind).toBe('failed');
    if (all?.kind !== 'failed') return;
    expect({ checked: all.checked, failing: all.failing, unknown: all.unknown }).toEqual({
      checked: 3,
      failing: 1,
      unknown: 0,
    });
    const v = all.examples[0]?.verdict;
    expect(v?.query).toEqual({
      from: { kind: 'pod', namespace: 'shop', name: 'worker-0' },
      to: { kind: 'pod', namespace: 'db', name: 'postgres-0' },
      port: 5432,
      protocol: 'TCP',
    });
    expect(v?.verdict).toBe('denied');
    expect(v?.ingress.kind).toBe('denied');
    expect(missing).toMatchObject({
      kind: 'no-match',
      reason: 'to db/postgres-1: there is no pod db/postgres-1 (did you mean db/postgres-0?)',
    });
    expect(worker?.kind).toBe('passed');
  });

  it('explains at most `examples` failures, and counts them all', () => {
    const [r] = run(assertion('"*"', 'db/cache-0', '6379', 'allowed'), snapshot, 2);
    expect(r).toMatchObject({ kind: 'failed', checked: 5, failing: 5 });
    if (r?.kind === 'failed') expect(r.examples).toHaveLength(2);
  });

  it('selects by labels, in one namespace or all', () => {
    const [any] = run(assertion('{labels: {app: web}}', 'db/postgres-0', '5432', 'allowed'));
    expect(any).toMatchObject({ kind: 'passed', checked: 2 });
    const [none] = run(assertion('{namespace: db, labels: {app: web}}', 'db/postgres-0', '5432', 'allowed'));
    expect(none).toMatchObject({
      kind: 'no-match',
      reason: 'from db/{app=web}: no pod of namespace db has the labels db/{app=web}',
    });
    const [typo] = run(assertion('shopp/*', 'db/postgres-0', '5432', 'allowed'));
    expect(typo).toMatchObject({
      kind: 'no-match',
      reason: 'from shopp/*: there is no namespace shopp (did you mean shop?)',
    });
  });

  it('resolves a named port on each destination, skipping pods that do not declare it', () => {
    const [r] = run(assertion('shop/web-0', 'db/*', 'pg', 'allowed'));
    expect(r).toMatchObject({ kind: 'passed', checked: 1 });
    const [none] = run(assertion('shop/web-0', 'db/*', 'mysql', 'allowed'));
    expect(none).toMatchObject({ kind: 'no-match' });
    const [dns] = run(assertion('shop/web-0', 'kube-system/coredns-0', 'dns', 'allowed'));
    expect(dns).toMatchObject({ kind: 'passed', checked: 1 });
  });

  it('skips a pod paired with itself, and says so when nothing else is left', () => {
    const [r] = run(assertion('shop/web-0', 'shop/web-0', '80', 'allowed'));
    expect(r?.kind).toBe('no-match');
    // 3 × 3 pairs less 3 self-pairs; the web pods' egress reaches no shop pod, the worker reaches both.
    const [shop] = run(assertion('shop/*', 'shop/*', '8080', 'allowed'));
    expect(shop).toMatchObject({ kind: 'failed', checked: 6, failing: 4 });
  });

  it('never passes an unknown verdict', () => {
    const partial: Snapshot = {
      ...snapshot,
      visibility: { policiesUnreadable: ['db'], podsUnreadable: [], namespacesUnreadable: false },
    };
    const [r] = run(assertion('shop/worker-0', 'db/postgres-0', '5432', 'denied'), partial);
    expect(r).toMatchObject({ kind: 'failed', failing: 1, unknown: 1 });
  });

  it('decides a port range exactly as checking every port of it would', () => {
    const analyzer = createAnalyzer(snapshot);
    const pairs: [string, string][] = [
      ['shop/web-0', '203.0.113.7'],
      ['shop/web-0', 'db/postgres-0'],
      ['shop/worker-0', 'kube-system/coredns-0'],
      ['kube-system/coredns-0', 'shop/web-1'],
    ];
    const ranges = ['1-52', '52-54', '440-445', '443-443', '444-5431', '5431-5433', '5433-6000', '1-6000'];
    const peer = (t: string): Peer => {
      const [namespace, name] = t.split('/');
      return name === undefined
        ? { kind: 'external', ip: t }
        : { kind: 'pod', namespace: namespace ?? '', name };
    };
    for (const [from, to] of pairs)
      for (const range of ranges) {
        const [lo, hi] = range.split('-').map(Number) as [number, number];
        const verdicts = new Set<string>();
        for (let port = lo; port <= hi; port++)
          verdicts.add(analyzer.check({ from: peer(from), to: peer(to), port, protocol: 'TCP' }).verdict);
        for (const expectation of ['allowed', 'denied'] as const) {
          const [r] = run(assertion(from, to, range, expectation));
          const holds = verdicts.size === 1 && verdicts.has(expectation);
          expect({ from, to, range, expectation, passed: r?.kind === 'passed' }).toEqual({
            from,
            to,
            range,
            expectation,
            passed: holds,
          });
        }
      }
  });

  it('counts every pod pair as checking each one would (demo cluster: classes of several pods)', async () => {
    const demo = await loadManifests([
      join(import.meta.dirname, '..', '..', '..', 'shared', 'demo', 'demo-cluster.yaml'),
    ]);
    const analyzer = createAnalyzer(demo);
    const pods = demo.pods.map((p): Peer => ({ kind: 'pod', namespace: p.namespace, name: p.name }));
    const cases: [string, string, (p: Peer) => boolean, (p: Peer) => boolean][] = [
      ['"*"', '"*"', () => true, () => true],
      ['shop/*', '"*"', (p) => p.kind === 'pod' && p.namespace === 'shop', () => true],
      ['"*"', 'billing/*', () => true, (p) => p.kind === 'pod' && p.namespace === 'billing'],
    ];
    for (const port of [8080, 3306, 53])
      for (const [fromText, toText, fromOk, toOk] of cases) {
        let checked = 0;
        let denied = 0;
        for (const from of pods.filter(fromOk))
          for (const to of pods.filter(toOk)) {
            if (
              from.kind === 'pod' &&
              to.kind === 'pod' &&
              from.name === to.name &&
              from.namespace === to.namespace
            )
              continue;
            checked++;
            if (analyzer.check({ from, to, port, protocol: 'TCP' }).verdict !== 'allowed') denied++;
          }
        const [r] = run(assertion(fromText, toText, String(port), 'allowed'), demo);
        const got =
          r?.kind === 'failed'
            ? { checked: r.checked, failing: r.failing }
            : r?.kind === 'passed'
              ? { checked: r.checked, failing: 0 }
              : undefined;
        expect({ fromText, toText, port, ...got }).toEqual({
          fromText,
          toText,
          port,
          checked,
          failing: denied,
        });
        if (r?.kind === 'failed') for (const e of r.examples) expect(e.verdict.verdict).not.toBe('allowed');
      }
  });

  it('cuts a range at every mentioned port and the one after it', () => {
    const mentioned = [
      { port: 53, protocol: 'TCP' as const },
      { port: 53, protocol: 'UDP' as const },
      { port: 443, protocol: 'TCP' as const },
    ];
    expect(rangeProbes({ kind: 'range', from: 50, to: 443, protocol: 'TCP' }, mentioned)).toEqual([
      { port: 50, protocol: 'TCP' },
      { port: 53, protocol: 'TCP' },
      { port: 54, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ]);
  });
});
