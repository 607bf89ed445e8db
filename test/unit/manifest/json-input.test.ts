/**
 * JSON manifests take JSON.parse (issue 10, "Loading at the floor"), read as kubectl's decoder reads
 * them (apimachinery's YAMLOrJSONDecoder): one value, a stream of values (`{…}{…}`, one a line), a
 * List, or JSON documents between `---` lines. Values and positions must be what the YAML path gives
 * for the same text; errors name the file, line and column.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDocuments } from '../../../shared/manifest/documents.ts';
import type { FieldPath } from '../../../shared/manifest/documents.ts';
import { parseManifestText } from '../../../shared/manifest/index.ts';
import { readJsonDocuments } from '../../../shared/manifest/json-documents.ts';

const pod = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: name } },
  spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, name: 'http' }] }] },
  status: { podIP: '10.0.0.1' },
  ...extra,
});
const errors = (text: string, file: string) =>
  parseManifestText(text, file).issues.filter((i) => i.severity === 'error');
const lineOf = (text: string, needle: string): number =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('JSON streams, as kubectl reads a stream starting with {', () => {
  it('values one a line (jq -c) and back to back: every object, each positioned', () => {
    for (const sep of ['\n', '', ' \n\n']) {
      const text = [pod('a'), pod('b', { metadata: { name: 'b', labels: { v: 1 } } })]
        .map((o) => JSON.stringify(o))
        .join(sep);
      const r = parseManifestText(text, 'pods.ndjson');
      expect(r.reader).toBe('json');
      const e = r.issues.filter((i) => i.severity === 'error');
      expect(e).toHaveLength(1);
      expect(e[0]).toMatchObject({ field: 'metadata.labels.v', object: 'Pod default/b' });
      // The second object's labels, on the second line (or the first, back to back).
      expect(e[0]?.location?.line).toBe(sep === '' ? 1 : lineOf(text, '"v":1'));
      const line = text.split('\n')[(e[0]?.location?.line ?? 0) - 1] ?? '';
      expect(e[0]?.location?.column).toBe(line.indexOf('"v":1') + 5);
      expect(r.pods.map((p) => p.name)).toEqual(['a']);
    }
  });

  it('a broken value after two good ones: those load, the error says where and what stops', () => {
    const text = `${JSON.stringify(pod('a'))}\n${JSON.stringify(pod('b'))}\n{"apiVersion": "v1", "kind": }\n${JSON.stringify(pod('c'))}\n`;
    const r = parseManifestText(text, 'pods.json');
    expect(r.pods.map((p) => p.name)).toEqual(['a', 'b']);
    const e = r.issues.filter((i) => i.severity === 'error');
    expect(e).toHaveLength(1);
    expect(e[0]?.message).toMatch(/^malformed JSON: .*; the rest of this file was not loaded$/);
    expect(e[0]?.location).toEqual({ file: 'pods.json', line: 3, column: 30 });
  });

  it('one value, then YAML: kubectl reads on as YAML after one JSON object', () => {
    const text = `${JSON.stringify(pod('a'), null, 2)}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: shop}\n`;
    const r = parseManifestText(text, 'mixed.yaml');
    expect(r.issues).toEqual([]);
    expect(r.pods.map((p) => p.name)).toEqual(['a', 'b']);
    expect(r.pods[1]?.location).toEqual({
      file: 'mixed.yaml',
      line: lineOf(text, 'apiVersion: v1'),
      column: 1,
    });
  });

  it('one value, then something neither JSON nor YAML: the JSON error, as kubectl gives it', () => {
    const text = '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}}\n';
    const e = errors(text, 'ns.json');
    expect(e).toHaveLength(1);
    expect(e[0]?.message).toMatch(/^malformed JSON: .*; the rest of this file was not loaded$/);
    expect(e[0]?.location).toEqual({ file: 'ns.json', line: 1, column: text.lastIndexOf('}') + 1 });
    expect(parseManifestText(text, 'ns.json').namespaces.map((n) => n.name)).toEqual(['a']);
  });
});

describe('JSON documents in a YAML stream', () => {
  const docs = [
    pod('a'),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } },
    pod('b', { spec: { hostNetwork: 'yes', containers: [] } }),
  ];
  const text = docs.map((d) => `${JSON.stringify(d, null, 4)}\n`).join('---\n');

  it('take JSON.parse, with the values and positions the general reader gives', () => {
    const fast = readDocuments(text, 'docs.yaml');
    const slow = readDocuments(text, 'docs.yaml', { noFastYaml: true });
    expect(fast.reader).toBe('json'); // the first value is JSON: kubectl's JSON-then-YAML path
    expect(slow.reader).toBe('json');
    expect(fast.docs.map((d) => d.value)).toEqual(docs);
    const r = parseManifestText(text, 'docs.yaml');
    const e = r.issues.filter((i) => i.severity === 'error');
    expect(e.map((i) => [i.field, i.location?.line])).toEqual([
      ['spec.hostNetwork', lineOf(text, '"hostNetwork": "yes"')],
    ]);
  });

  it('after a YAML document too (the fast reader reads them), positioned like the yaml package', () => {
    const mixed = `apiVersion: v1\nkind: Namespace\nmetadata: {name: first}\n---\n${text}`;
    const fast = readDocuments(mixed, 'docs.yaml');
    const slow = readDocuments(mixed, 'docs.yaml', { noFastYaml: true });
    expect(fast.reader).toBe('fast-yaml');
    expect(slow.reader).toBe('yaml');
    expect(fast.docs.map((d) => d.value)).toEqual(slow.docs.map((d) => d.value));
    const paths: FieldPath[] = [
      [],
      ['metadata', 'name'],
      ['metadata', 'labels', 'app'],
      ['spec', 'containers', 0, 'ports', 0, 'name'],
      ['spec', 'containers', 0, 'missing'],
      ['spec', 'hostNetwork'],
      ['nowhere', 3],
    ];
    fast.docs.forEach((d, i) => {
      for (const p of paths)
        expect(d.locate(p), `${i} ${JSON.stringify(p)}`).toEqual(slow.docs[i]?.locate(p));
    });
  });

  it('take the JSON shortcut unless go-yaml would read them otherwise', () => {
    const doc = (o: unknown): string => `---\n${JSON.stringify(o, null, 2)}\n`;
    // A label that looks like an exponent is a string, not a number: no reason to leave the shortcut.
    const plain = doc({ a: 'de01e123', n: 1.5e10, m: -2e-8 }) + doc({ b: [1, 'x'] });
    expect(readJsonDocuments(plain, 0)?.map((v) => v.value)).toEqual([
      { a: 'de01e123', n: 1.5e10, m: -2e-8 },
      { b: [1, 'x'] },
    ]);
    // go-yaml keeps 1e999 as a string, folds a line separator in a string to a space, and refuses DEL.
    for (const odd of ['{"a": 1e999}', '{"a": "x\u2028y"}', '{"a": "x\u007fy"}', '# comment\n{}', '  {}'])
      expect(readJsonDocuments(`---\n${odd}\n`, 0), odd).toBeUndefined();
    expect(readDocuments(`{}\n---\n{"a": 1e999}\n`, 'x.yaml').docs.map((d) => d.value)).toEqual([
      {},
      { a: '1e999' },
    ]);
  });

  it('a document that is YAML flow style, not JSON, is still read as YAML', () => {
    const r = parseManifestText(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n{apiVersion: v1, kind: Namespace, metadata: {name: b}}\n',
      'flow.yaml',
    );
    expect(r.issues).toEqual([]);
    expect(r.namespaces.map((n) => n.name)).toEqual(['a', 'b']);
  });

  it('random documents: JSON and YAML readings agree, values and positions', () => {
    const key = fc.constantFrom(
      'a',
      'name',
      'x y',
      'app.kubernetes.io/name',
      '1',
      'true',
      '<<',
      '__proto__',
      '',
    );
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('yes', '010', '\t', 'a\nb', '#', '- x', '\u2028'),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('arr'), tie('obj')),
      arr: fc.array(tie('node'), { maxLength: 4 }),
      obj: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    })).node;
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 2, 4),
        fc.boolean(),
        (objects, indent, yamlFirst) => {
          const text =
            (yamlFirst ? 'kind: First\n---\n' : '') +
            objects.map((o) => `${JSON.stringify(o, null, indent)}\n`).join('---\n');
          const fast = readDocuments(text, 'r.yaml');
          const slow = readDocuments(text, 'r.yaml', { noFastYaml: true });
          expect(fast.issues.filter((i) => i.severity === 'error')).toEqual([]);
          // JSON numbers: -0 is 0 to go-yaml; the reading is otherwise the same.
          const norm = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
          expect(norm(fast.docs.map((d) => d.value))).toEqual(norm(slow.docs.map((d) => d.value)));
          fast.docs.forEach((d, i) => {
            for (const p of [[], ['a'], ['a', 0], ['name', 'x y'], ['1', 2, 'a']] as FieldPath[])
              expect(d.locate(p)).toEqual(slow.docs[i]?.locate(p));
          });
        },
      ),
      { numRuns: 300, seed: 1010 },
    );
  });
});

describe('JSON files', () => {
  it('a kubectl get -o json List: every item positioned', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [pod('a'), pod('b'), pod('c')], metadata: {} };
    const text = JSON.stringify(list, null, 4);
    const r = parseManifestText(text, 'list.json');
    expect(r.issues).toEqual([]);
    expect(r.pods.map((p) => p.location?.line)).toEqual(
      [...text.split('\n').entries()].filter(([, l]) => l === '        {').map(([i]) => i + 1),
    );
  });

  it('a .json file that is not JSON: the JSON error, nothing loaded', () => {
    const e = errors('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n', 'yaml-inside.json');
    expect(e).toHaveLength(1);
    expect(e[0]?.message).toMatch(/^malformed JSON: .*; nothing in this file was loaded$/);
    expect(e[0]?.location).toMatchObject({ file: 'yaml-inside.json', line: 1, column: 1 });
  });

  it('empty and null: nothing, no error', () => {
    for (const text of ['', '  \n', 'null', '{}\n---\nnull\n'])
      expect(
        errors(text, 'e.json').filter((i) => !/kind is missing|apiVersion|metadata/.test(i.message)),
      ).toEqual([]);
  });
});
