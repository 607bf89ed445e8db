import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'assertions');
const CLUSTER = join(FIXTURES, 'cluster.yaml');
let dir: string;

/** Parses XML strictly: a document that is not well-formed fails the test. */
function xml(text: string): Document {
  const doc = new new Window().DOMParser().parseFromString(text, 'application/xml') as unknown as Document;
  expect(doc.querySelector('parsererror')).toBeNull();
  return doc;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netglass test', () => {
  it('exits 0 when every assertion holds, one PASS line each', async () => {
    const r = await cli('test', '--assertions', join(FIXTURES, 'pass.yaml'), '--manifests', CLUSTER);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.match(/^PASS {2}/gm)).toHaveLength(7);
    expect(r.out).toContain('PASS  web reaches postgres  (');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('7 assertions: 7 passed, 0 failed');
  });

  it('exits 1 on a failed assertion and explains it as check does', async () => {
    const failYaml = join(FIXTURES, 'fail.yaml');
    const r = await cli('test', '-a', failYaml, '-f', CLUSTER);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL  all of shop reaches postgres  (${failYaml}:3)`);
    expect(r.out).toContain('      expected allowed: 1 of 3 connections denied');
    // The explanation is check's own text, indented.
    const check = await cli(
      'check',
      '-f',
      CLUSTER,
      '--from',
      'shop/worker-0',
      '--to',
      'db/postgres-0',
      '--port',
      '5432',
    );
    expect(check.code).toBe(1);
    const indented = check.out
      .trimEnd()
      .split('\n')
      .map((l) => (l === '' ? '' : `      ${l}`))
      .join('\n');
    expect(r.out).toContain(indented);
    expect(r.out).toContain(
      'nothing to check: to db/postgres-1: there is no pod db/postgres-1 (did you mean db/postgres-0?)',
    );
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('3 assertions: 1 passed, 2 failed');
  });

  it('writes JUnit XML: one testcase per assertion, a failure with the explanation for each failed one', async () => {
    const failYaml = join(FIXTURES, 'fail.yaml');
    const out = join(dir, 'junit.xml');
    const r = await cli('test', '-a', failYaml, '-f', CLUSTER, '--junit', out);
    expect(r.code).toBe(1);
    const doc = xml(readFileSync(out, 'utf8'));
    const suites = doc.documentElement;
    expect(suites.tagName).toBe('testsuites');
    expect([
      suites.getAttribute('tests'),
      suites.getAttribute('failures'),
      suites.getAttribute('errors'),
    ]).toEqual(['3', '2', '0']);
    const suite = doc.querySelector('testsuite');
    expect(suite?.getAttribute('name')).toBe(failYaml);
    const cases = [...doc.querySelectorAll('testcase')];
    expect(
      cases.map((c) => [
        c.getAttribute('name'),
        c.getAttribute('line'),
        c.querySelector('failure')?.getAttribute('type') ?? null,
      ]),
    ).toEqual([
      ['all of shop reaches postgres', '3', 'failed'],
      ['a pod that does not exist', '8', 'no-match'],
      ['the worker reaches nothing in db on 5432', '13', null],
    ]);
    const failure = cases[0]?.querySelector('failure');
    expect(failure?.getAttribute('message')).toBe('expected allowed: 1 of 3 connections denied');
    expect(failure?.textContent).toContain('shop/worker-0 -> db/postgres-0 on 5432/TCP: DENIED');
    expect(cases[0]?.getAttribute('file')).toBe(failYaml);
  });

  it('writes a passing JUnit file with no failure element', async () => {
    const out = join(dir, 'pass.xml');
    expect((await cli('test', '-a', join(FIXTURES, 'pass.yaml'), '-f', CLUSTER, '--junit', out)).code).toBe(
      0,
    );
    const doc = xml(readFileSync(out, 'utf8'));
    expect(doc.querySelectorAll('testcase')).toHaveLength(7);
    expect(doc.querySelectorAll('failure')).toHaveLength(0);
  });

  it('escapes names in the XML', async () => {
    const file = join(dir, 'names.yaml');
    writeFileSync(
      file,
      'assertions:\n  - name: "a <b> & \\"c\\" \\u0001"\n    from: shop/web-0\n    to: db/cache-0\n    port: 1\n    expect: allowed\n',
    );
    const out = join(dir, 'names.xml');
    expect((await cli('test', '-a', file, '-f', CLUSTER, '--junit', out)).code).toBe(1);
    const doc = xml(readFileSync(out, 'utf8'));
    expect(doc.querySelector('testcase')?.getAttribute('name')).toBe('a <b> & "c" \uFFFD');
  });

  it('exits 2 with every error of a bad file, before loading anything', async () => {
    const bad = join(FIXTURES, 'bad.yaml');
    const r = await cli('test', '-a', bad, '-f', join(dir, 'does-not-exist.yaml'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').slice(0, 4)).toEqual([
      `${bad}:4:11: error: assertions[0].port: port "99999": a port number is from 1 to 65535`,
      `${bad}:6:5: error: assertions[1].to: missing: expected *, <namespace>/*, <namespace>/<pod>, an IP address, or {namespace: <name>, labels: {<key>: <value>}}`,
      `${bad}:7:5: error: assertions[1]: unknown field "too" (expected name, from, to, port, expect)`,
      `${bad}:9:13: error: assertions[1].expect: expect "maybe": expected allowed or denied`,
    ]);
    expect(r.err).toContain(`4 errors in ${bad}; nothing was tested`);
  });

  it('exits 2 on a missing assertions file, a missing flag, a bad manifest or an unwritable JUnit path', async () => {
    const missing = await cli('test', '-a', join(dir, 'nope.yaml'), '-f', CLUSTER);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read the assertions file');
    const flag = await cli('test', '-f', CLUSTER);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('--assertions <file> is required');
    const manifests = await cli('test', '-a', join(FIXTURES, 'pass.yaml'), '-f', join(dir, 'nope'));
    expect(manifests.code).toBe(2);
    const junit = await cli(
      'test',
      '-a',
      join(FIXTURES, 'pass.yaml'),
      '-f',
      CLUSTER,
      '--junit',
      join(dir, 'no', 'such', 'dir.xml'),
    );
    expect(junit.code).toBe(2);
    expect(junit.err).toContain('cannot write');
  });

  it('writes a JUnit file saying why nothing was checked when the input does not load', async () => {
    const out = join(dir, 'bad-input.xml');
    const manifests = await cli(
      'test',
      '-a',
      join(FIXTURES, 'pass.yaml'),
      '-f',
      join(dir, 'nope'),
      '--junit',
      out,
    );
    expect(manifests.code).toBe(2);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toContain('<testsuites name="netglass" tests="1" failures="0" errors="1" skipped="0">');
    expect(xml).toContain('<testcase name="the manifests load" classname="netglass.test">');
    expect(xml).toMatch(/<error type="bad-input" message="[^"]*nope[^"]*">/);

    const bad = join(dir, 'two-docs.yaml');
    writeFileSync(bad, 'assertions: []\n---\nassertions: []\n');
    expect((await cli('test', '-a', bad, '-f', CLUSTER, '--junit', out)).code).toBe(2);
    const again = readFileSync(out, 'utf8');
    expect(again).toContain('<testcase name="the assertions file is read" classname="netglass.test">');
    expect(again).toContain('a second YAML document');
  });

  it('has help', async () => {
    const r = await cli('test', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: netglass test --assertions <file.yaml>');
    expect((await cli('--help')).out).toMatch(/\n {2}test +check connectivity assertions/);
  });
});
