import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAssertions } from '../../../shared/assertions/index.ts';
import type { AssertionParse } from '../../../shared/assertions/index.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'assertions');

function ok(r: AssertionParse) {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.assertions;
}

function errors(r: AssertionParse): string[] {
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => `${e.location.line}:${e.location.column} ${e.field ?? ''}: ${e.message}`);
}

const one = (fields: string): string => `assertions:\n  - ${fields.trim().split('\n').join('\n    ')}\n`;

describe('parseAssertions', () => {
  it('reads every endpoint form', () => {
    const text = one(`
from: "*"
to: db/*
port: 80
expect: denied`);
    expect(ok(parseAssertions(text, 'a.yaml'))[0]).toEqual({
      index: 0,
      name: '* -> db/* on 80/TCP: denied',
      from: { kind: 'all' },
      to: { kind: 'namespace', namespace: 'db' },
      port: { kind: 'number', port: 80, protocol: 'TCP' },
      expect: 'denied',
      location: { file: 'a.yaml', line: 2, column: 5 },
    });
    const forms = ok(
      parseAssertions(
        one(`
name: selectors
from: {namespace: shop, labels: {app: web, tier: "1"}}
to: {labels: {app: db}}
port: 5432/tcp
expect: allowed`) +
          one(`
from: shop/web-0
to: 2001:db8::1
port: 443
expect: allowed`).replace('assertions:\n', ''),
        'a.yaml',
      ),
    );
    expect(forms[0]?.name).toBe('selectors');
    expect(forms[0]?.from).toEqual({
      kind: 'selector',
      namespace: 'shop',
      labels: { app: 'web', tier: '1' },
    });
    expect(forms[0]?.to).toEqual({ kind: 'selector', labels: { app: 'db' } });
    expect(forms[0]?.port).toEqual({ kind: 'number', port: 5432, protocol: 'TCP' });
    expect(forms[1]?.from).toEqual({ kind: 'pod', namespace: 'shop', name: 'web-0' });
    expect(forms[1]?.to).toEqual({ kind: 'address', ip: '2001:db8::1' });
    expect(forms[1]?.location.line).toBe(7);
  });

  it('reads every port form', () => {
    const port = (p: string) =>
      ok(parseAssertions(one(`from: a/b\nto: c/d\nport: ${p}\nexpect: allowed`), 'a.yaml'))[0]?.port;
    expect(port('53/UDP')).toEqual({ kind: 'number', port: 53, protocol: 'UDP' });
    expect(port('8000-8080')).toEqual({ kind: 'range', from: 8000, to: 8080, protocol: 'TCP' });
    expect(port('1-65535/sctp')).toEqual({ kind: 'range', from: 1, to: 65535, protocol: 'SCTP' });
    expect(port('80-80')).toEqual({ kind: 'number', port: 80, protocol: 'TCP' });
    expect(port('http')).toEqual({ kind: 'named', name: 'http' });
    expect(port('dns/UDP')).toEqual({ kind: 'named', name: 'dns', protocol: 'UDP' });
  });

  it('reports every error with its line, column and field, in file order', () => {
    const text = readFileSync(join(FIXTURES, 'bad.yaml'), 'utf8');
    expect(errors(parseAssertions(text, 'bad.yaml'))).toEqual([
      '4:11 assertions[0].port: port "99999": a port number is from 1 to 65535',
      '6:5 assertions[1].to: missing: expected *, <namespace>/*, <namespace>/<pod>, an IP address, or {namespace: <name>, labels: {<key>: <value>}}',
      '7:5 assertions[1]: unknown field "too" (expected name, from, to, port, expect)',
      '9:13 assertions[1].expect: expect "maybe": expected allowed or denied',
    ]);
  });

  it('refuses malformed ends, ports and files', () => {
    const err = (fields: string) => errors(parseAssertions(one(fields), 'x.yaml'));
    expect(err('from: web\nto: db/x\nport: 1\nexpect: allowed')[0]).toContain(
      '"web": expected *, <namespace>/*',
    );
    expect(err('from: Shop/x\nto: db/x\nport: 1\nexpect: allowed')[0]).toContain(
      '"Shop" is not a namespace name',
    );
    expect(err('from: 1.2.3.4\nto: 5.6.7.8\nport: 1\nexpect: allowed')[0]).toContain('both addresses');
    expect(err('from: a/b\nto: 5.6.7.8\nport: http\nexpect: allowed')[0]).toContain(
      'only a destination pod can resolve',
    );
    expect(err('from: a/b\nto: c/d\nport: 90-80\nexpect: allowed')[0]).toContain('port range 90-80');
    expect(err('from: a/b\nto: c/d\nport: 80/ICMP\nexpect: allowed')[0]).toContain('unknown protocol ICMP');
    expect(err('from: {namespace: a}\nto: c/d\nport: 80\nexpect: allowed')[0]).toContain(
      'a selector needs labels',
    );
    expect(err('from: {labels: {app: [x]}}\nto: c/d\nport: 80\nexpect: allowed')[0]).toContain(
      'string values',
    );
    expect(errors(parseAssertions('assertions: []\n', 'x.yaml'))).toEqual([
      '1:13 assertions: the list is empty: nothing to test',
    ]);
    expect(errors(parseAssertions('- from: a/b\n', 'x.yaml'))[0]).toContain(
      'expected a map with an assertions: list',
    );
    expect(errors(parseAssertions('assertions:\n  - from: [a\n', 'x.yaml'))[0]).toMatch(/^\d+:\d+ : /);
    // Two documents: said in the file's words, not the YAML library's.
    expect(
      errors(
        parseAssertions(
          `${one('from: a/b\nto: c/d\nport: 1\nexpect: allowed')}---\nassertions: []\n`,
          'x.yaml',
        ),
      ),
    ).toEqual([
      '6:1 : a second YAML document (after ---): an assertions file is one document with one assertions: list; move these assertions into that list, or into a file of their own',
    ]);
    expect(errors(parseAssertions('assertions:\n  - from: a/b\n    from: c/d\n', 'x.yaml'))[0]).toContain(
      '3:',
    );
  });
});
