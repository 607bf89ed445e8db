/**
 * The fast YAML reader must give exactly what the `yaml` package gives, or refuse. Differential tests:
 * hand-picked edge cases, and random values printed by `yaml` in many styles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { fastYamlDocuments } from '../../../shared/manifest/fast-yaml.ts';
import { readDocuments } from '../../../shared/manifest/documents.ts';
import { goYamlTabErrors, kubectlValue } from '../../../shared/manifest/kubectl-yaml.ts';

/** The general path: the `yaml` package's syntax tree, read as kubectl reads it. */
export function reference(text: string): unknown[] | 'error' {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.some((d) => d.errors.length > 0) || goYamlTabErrors(text, list).length > 0) return 'error';
  try {
    return list.filter((d) => d.contents !== null).map((d) => kubectlValue(d).value);
  } catch {
    return 'error';
  }
}

/** Fast result equals the reference, or the fast reader refused. Returns whether it accepted. */
function agree(text: string): boolean {
  const fast = fastYamlDocuments(text);
  if (fast === undefined) return false;
  const ref = reference(text);
  expect(ref, `fast reader accepted invalid YAML:\n${text}`).not.toBe('error');
  expect(
    fast.map((d) => d.value),
    text,
  ).toEqual(ref);
  return true;
}

const ACCEPTED: string[] = [
  "a: 1\nb: two\nc: \"three\"\nd: 'fo''ur'\ne:\nf: ~\ng: null\nh: true\ni: False\nj: 0x1F\nk: 0o17\nl: 1.5e3\np: 007\nq: +5\nr: 1.\n",
  // YAML 1.1 integers as go-yaml v2 reads them: octal, binary, underscores, signed hex, `08` as a float.
  'a: 010\nb: 0b1010000\nc: 1_000\nd: 0x50\ne: -0x1F\nf: 08\ng: 1_0.5\nh: 1:30\ni: 0X1f\nj: .5_0\nk: 2024-01-01\n',
  // Keys become JSON keys as sigs.k8s.io/yaml writes them.
  '010: a\n0x1F: b\n1e3: c\n1.5: d\n.inf: e\ny: f\n',
  'list:\n- a\n- b: 1\n  c: 2\n-\n  - nested\n- "x"\n',
  'list:\n  - a\n  -   b: 1\n      c: 2\n',
  'text: |\n  line one\n    indented\n  line three\n\nnext: x\n',
  'text: |-\n  a\n\n  b\n\n\nnext: x\n',
  'text: |+\n  a\n\n\nnext: x\n',
  'folded: >\n  one\n  two\n\n  three\nnext: x\n',
  'folded: >-\n  one\n  two\n',
  'plain: this is\n  a long plain\n  scalar\n\n  with a break\nnext: 1\n',
  "sq: 'a long single\n  quoted ''string''\n\n  with a break'\nnext: 1\n",
  'dq: "a long double\n  quoted \\"string\\"\n  with \\t escapes \\u00e9"\nnext: 1\n',
  'flow: {a: 1, b: [x, "y", \'z\'], c: {}}\nempty: []\n',
  '# comment\n---\na: 1 # trailing\n# between\nb: 2\n...\n---\nc: 3\n',
  'key with spaces: v\n"quoted key": v\n\'sq key\': v\n1: one\ntrue: yes\n"null": n\n',
  'url: http://example.com:8080/path\nimage: nginx:1.25\ntime: "2024-01-01T00:00:00Z"\n',
  'a:\n  b:\n    c:\n      d: deep\n  e: f\n',
  'root-seq-item: 1\n---\n- a\n- b\n---\nplain scalar document\n',
  'crlf: 1\r\nb:\r\n  - x\r\n',
  'empty-flow-in-seq:\n- {}\n- []\n',
  'k: v#not-a-comment\nl: "x" # comment\n',
  // YAML 1.1 booleans, as kubectl reads them; quoted or longer words stay strings.
  'a: yes\nb: No\nc: ON\nd: off\ne: y\nf: N\ng: "yes"\nh: \'off\'\ni: yesterday\nj: only\nyes: key\nn: k\nl: [y, "n", on]\nm: {o: Off}\n',
];

const REFUSED: string[] = [
  'a: &anchor 1\nb: *anchor\n',
  'a: !!str 1\n',
  '%YAML 1.2\n---\na: 1\n',
  '? complex\n: key\n',
  'a:\n\t- tab\n',
  'a: 1\na: 2\n',
  'a: [1,\n  2]\n',
  'a: b: c\n',
  'a: "unterminated\n',
  'a:\n  b: 1\n c: 2\n',
  '<<: {a: 1}\n',
  // Left to the general reader, which reports them (kubectl refuses) or reads them as kubectl does.
  'a: .inf\n',
  'a: [.nan]\n',
  '~: x\n',
  'a:\n  ports\t: 1\n',
  'a:\tb\n',
  'a: b\t# c\n',
  'a: [1,\t2]\n',
  '1: a\n"1": b\n',
];

describe('fast YAML reader', () => {
  for (const [i, text] of ACCEPTED.entries()) {
    it(`accepts and agrees: sample ${i}`, () => {
      expect(agree(text)).toBe(true);
    });
  }
  for (const [i, text] of REFUSED.entries()) {
    it(`refuses: sample ${i}`, () => {
      expect(fastYamlDocuments(text)).toBeUndefined();
    });
  }

  it('agrees with the yaml package on random values in many print styles', () => {
    const key = fc.oneof(
      fc.constantFrom(
        'a',
        'name',
        'app.kubernetes.io/name',
        'x y',
        '1',
        'true',
        'null',
        'with: colon',
        '#hash',
        '-dash',
        "it's",
      ),
      fc.string({ maxLength: 12 }),
    );
    const scalar = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '',
        ' ',
        'yes',
        'No',
        '~',
        'null',
        'True',
        '0x10',
        '0o7',
        '1e3',
        '.5',
        '- x',
        ': x',
        'a: b',
        'a #b',
        '#c',
        "'q'",
        '"d"',
        'multi\nline\n',
        'tab\there',
        'trailing ',
      ),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.lorem({ maxCount: 30 }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('arr'), tie('obj')),
      arr: fc.array(tie('node'), { maxLength: 4 }),
      obj: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    })).node;
    const style = fc.record({
      lineWidth: fc.constantFrom(0, 20, 40, 80),
      indent: fc.constantFrom(2, 4),
      indentSeq: fc.boolean(),
      defaultStringType: fc.constantFrom(
        'PLAIN',
        'QUOTE_DOUBLE',
        'QUOTE_SINGLE',
        'BLOCK_LITERAL',
        'BLOCK_FOLDED',
      ),
      flowLevel: fc.constantFrom(undefined, 2),
    });
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), { minLength: 1, maxLength: 3 }),
        style,
        (docs, st) => {
          const text = docs
            .map((d) =>
              stringify(d, {
                lineWidth: st.lineWidth,
                indent: st.indent,
                indentSeq: st.indentSeq,
                defaultStringType: st.defaultStringType as 'PLAIN',
                ...(st.flowLevel !== undefined ? { flowLevel: st.flowLevel } : {}),
              }),
            )
            .join('---\n');
          total++;
          if (agree(text)) accepted++;
        },
      ),
      { numRuns: 2000, seed: 4242 },
    );
    // Random strings hit the refusals (tabs, odd indentation) often; agreement is what matters here.
    expect(accepted / total).toBeGreaterThan(0.1);
  });

  it('accepts what kubectl-like printers write', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/);
    const scalar = fc.oneof(
      word,
      fc.integer({ min: 0, max: 70000 }),
      fc.boolean(),
      fc.lorem({ maxCount: 25 }),
      fc.constantFrom('', '2024-01-01T00:00:00Z', 'a: b', '{"json": [1, 2]}'),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('arr'), tie('obj')),
      arr: fc.array(tie('node'), { maxLength: 4 }),
      obj: fc.dictionary(word, tie('node'), { maxKeys: 5 }),
    })).node;
    fc.assert(
      fc.property(
        fc.dictionary(word, value, { minKeys: 1, maxKeys: 6 }),
        fc.constantFrom(0, 80),
        fc.boolean(),
        (doc, lineWidth, indentSeq) => {
          const text = stringify(doc, { lineWidth, indentSeq });
          expect(agree(text), text).toBe(true);
        },
      ),
      { numRuns: 1000, seed: 77 },
    );
  });

  it('locates fields like the yaml package', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata:\n    name: a\n    labels:\n      x: "1"\n- kind: Pod\n  spec:\n    containers:\n    - name: c\n      ports:\n      - containerPort: 80\n';
    const fast = readDocuments(text, 'f.yaml');
    const slow = readDocuments(text, 'f.yaml', { noFastYaml: true });
    expect(fast.reader).toBe('fast-yaml');
    expect(slow.reader).toBe('yaml');
    const paths: (string | number)[][] = [
      [],
      ['items'],
      ['items', 0],
      ['items', 0, 'metadata', 'name'],
      ['items', 0, 'metadata', 'labels', 'x'],
      ['items', 0, 'metadata', 'missing'],
      ['items', 1, 'spec', 'containers', 0, 'ports', 0, 'containerPort'],
      ['items', 1, 'spec', 'containers', 0, 'ports', 3],
    ];
    for (const p of paths)
      expect(fast.docs[0]?.locate(p), JSON.stringify(p)).toEqual(slow.docs[0]?.locate(p));

    const flow =
      'spec:\n  podSelector: {matchExpressions: [{key: a, operator: In, values: [b, c]}]}\n  ingress: [{ports: [{port: 80}, {port: 81, protocol: UDP}]}, {}]\n';
    const f2 = readDocuments(flow, 'f.yaml');
    const s2 = readDocuments(flow, 'f.yaml', { noFastYaml: true });
    expect(f2.reader).toBe('fast-yaml');
    const flowPaths: (string | number)[][] = [
      ['spec', 'podSelector', 'matchExpressions', 0, 'operator'],
      ['spec', 'podSelector', 'matchExpressions', 0, 'values', 1],
      ['spec', 'podSelector', 'matchExpressions', 0, 'missing'],
      ['spec', 'ingress', 0, 'ports', 1, 'protocol'],
      ['spec', 'ingress', 1],
    ];
    for (const p of flowPaths)
      expect(f2.docs[0]?.locate(p), JSON.stringify(p)).toEqual(s2.docs[0]?.locate(p));
  });
});
