/**
 * Manifests read as kubectl 1.34 reads them (go-yaml v2 through sigs.k8s.io/yaml, non-strict), by both
 * readers. The expected values were recorded from kubectl's own decoding path (apimachinery's
 * YAMLOrJSONDecoder, the one `kubectl apply -f` uses) on these exact inputs. Then a differential
 * property test: the fast reader and the general reader agree on manifests mutated with every class
 * (tabs before colons, YAML 1.1 integers, merge keys, duplicate keys, BOMs, lone CRs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDocuments } from '../../../shared/manifest/documents.ts';
import { jsonErrorOffset } from '../../../shared/manifest/json-locate.ts';
import { parseManifestText } from '../../../shared/manifest/index.ts';

function both(text: string): {
  fast: ReturnType<typeof readDocuments>;
  slow: ReturnType<typeof readDocuments>;
} {
  return { fast: readDocuments(text, 'm.yaml'), slow: readDocuments(text, 'm.yaml', { noFastYaml: true }) };
}
const values = (r: ReturnType<typeof readDocuments>) => r.docs.map((d) => d.value);
const errors = (r: ReturnType<typeof readDocuments>) => r.issues.filter((i) => i.severity === 'error');

/** [input, what kubectl read (documents), or 'error'] — recorded from kubectl's decoder. */
const KUBECTL: [string, unknown[] | 'error'][] = [
  ['a:\n  ports\t: 1\n  b : 2\n', [{ a: { b: 2, ports: 1 } }]],
  ['hostNetwork\t: true\n', [{ hostNetwork: true }]],
  ['a:\tb\n', [{ a: 'b' }]],
  ['a: b\t# c\n', [{ a: 'b' }]],
  ['a: [1,\t2]\n', [{ a: [1, 2] }]],
  ['- \tx\n', 'error'],
  ['- a\n-\tb\n', 'error'],
  ['a: b\n\t\n', 'error'],
  ['a: b\n\t# c\nd: e\n', 'error'],
  [
    'a: 010\nb: 0b1010000\nc: 1_000\nd: 0x50\ne: 0o17\nf: 1_0.5\ng: -010\nh: +0b11\ni: 0_10\nj: 1:30\nl: 08\nm: 0x_1F\no: 1.5e3\np: .5\nq: 1.\ns: 0b\nt: 0x\nu: 1__0\nv: _1\nw: 1_\n',
    [
      {
        a: 8,
        b: 80,
        c: 1000,
        d: 80,
        e: 15,
        f: 10.5,
        g: -8,
        h: 3,
        i: 8,
        j: '1:30',
        l: 8,
        m: 31,
        o: 1500,
        p: 0.5,
        q: 1,
        s: '0b',
        t: '0x',
        u: 10,
        v: '_1',
        w: 1,
      },
    ],
  ],
  [
    'a: 0X1F\nb: 0B11\nc: 0O17\nd: -0x1F\ne: +0x1F\nf: -0b11\ni: 0.\nj: -.5\nk: +1e3\nn2: .5_0\no: 0x1p3\np: ._5\nr: 00\ns: -0\nt: 0b2\nu: 0o8\nv: 1e\n',
    [
      {
        a: 31,
        b: 3,
        c: 15,
        d: -31,
        e: 31,
        f: -3,
        i: 0,
        j: -0.5,
        k: 1000,
        n2: 0.5,
        o: '0x1p3',
        p: '._5',
        r: 0,
        s: 0,
        t: '0b2',
        u: '0o8',
        v: '1e',
      },
    ],
  ],
  [
    '1.5: y\n1e3: z\n010: w\n0x1F: u\n.inf: v\n',
    [{ '8': 'w', '31': 'u', '1000': 'z', '1.5': true, '.inf': 'v' }],
  ],
  ['a: 2024-01-01\nb: 2024-01-01T10:00:00Z\n', [{ a: '2024-01-01', b: '2024-01-01T10:00:00Z' }]],
  [
    'base: &b\n  x: 1\n  y: 2\nm:\n  <<: *b\n  y: 3\nn1:\n  <<: [*b, {z: 4}]\n  x: 9\no:\n  x: 9\n  <<: *b\n',
    [
      {
        base: { x: 1, true: 2 },
        m: { x: 1, true: 3 },
        n1: { x: 9, true: 2, z: 4 },
        o: { x: 1, true: 2 },
      },
    ],
  ],
  ['a: 1\nb: 2\na: 3\n', [{ a: 3, b: 2 }]],
  ['a: 1\n"a": 2\n', [{ a: 2 }]],
  ['a: 1\n---\n\ufeffb: 2\n', [{ a: 1 }, { b: 2 }]],
  ['x: 1\n---\n\ufeff---\nb: 2\n', [{ x: 1 }, { b: 2 }]],
  ['a: 1\n\ufeffb: 2\n', [{ a: 1, '\ufeffb': 2 }]],
  ['a: 1\rb: 2\r', [{ a: 1, b: 2 }]],
  ['a: |\r  x\r  y\rb: 1\r', [{ a: 'x\ny\n', b: 1 }]],
  ['a: 1\r\n\rb: 2\n', [{ a: 1, b: 2 }]],
  ['a: x\ry\n', 'error'],
  ['a: x\u2028y\n', 'error'],
  ['a: .inf\n', 'error'],
  ['a: [.nan]\n', 'error'],
  ['~: x\n', 'error'],
  ['---\n~\n---\nnull\n---\na: 1\n', [{ a: 1 }]],
  // Only spaces and tabs are white space: a trailing BOM or no-break space stays in the value.
  ['a: x\ufeff\nb: y\u00a0\n', [{ a: 'x\ufeff', b: 'y\u00a0' }]],
  // go-yaml refuses control characters anywhere, quoted text and comments included.
  ['a: "x\u0005y"\n', 'error'],
  ['a: "x\u007f"\n', 'error'],
  ['# c \u0001\na: b\n', 'error'],
];

describe('YAML as kubectl reads it', () => {
  for (const [i, [text, expected]] of KUBECTL.entries()) {
    it(`case ${i}: ${JSON.stringify(text).slice(0, 60)}`, () => {
      const { fast, slow } = both(text);
      for (const r of [fast, slow]) {
        if (expected === 'error') {
          expect(errors(r).length, r.reader).toBeGreaterThan(0);
          for (const e of errors(r)) expect(e.location?.line).toBeGreaterThan(0);
        } else {
          expect(errors(r), r.reader).toEqual([]);
          expect(values(r), r.reader).toEqual(expected);
        }
      }
    });
  }

  it('a tab before the colon keeps the port and hostNetwork of a pod', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  hostNetwork\t: true\n  containers:\n  - name: c\n    image: x\n    ports\t:\n    - containerPort: 010\n';
    const parse = parseManifestText(text, 'pod.yaml');
    expect(parse.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(parse.pods[0]?.hostNetwork).toBe(true);
    expect(parse.pods[0]?.ports.map((p) => p.containerPort)).toEqual([8]);
  });

  it('a duplicate key warns at the duplicate, with file, line and column', () => {
    const { slow, fast } = both('a: 1\nb: 2\na: 3\n');
    for (const r of [fast, slow]) {
      expect(r.issues).toEqual([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringMatching(/duplicate key "a"/) as unknown,
          location: { file: 'm.yaml', line: 3, column: 1 },
        }),
      ]);
    }
  });
});

describe('JSON errors', () => {
  it('a deeply nested broken file gets a position, not a stack overflow', () => {
    for (const text of ['{"a":'.repeat(20_000) + 'x', '['.repeat(100_000) + '}', '{'.repeat(9_000)]) {
      expect(() => jsonErrorOffset(text)).not.toThrow();
      for (const file of ['deep.json', 'deep.yaml']) {
        const r = readDocuments(text, file);
        expect(errors(r).length, file).toBeGreaterThan(0);
        expect(errors(r).length).toBeLessThanOrEqual(3);
        for (const e of errors(r)) expect(e.location).toMatchObject({ file, line: 1 });
      }
    }
  });

  it('finds the offset JSON.parse reports', () => {
    for (const [text, offset] of [
      ['{"a":1,}', 7],
      ['[1 2]', 3],
      ['{"a" 1}', 5],
      ['{"a":{"b":1}}}', 13],
      ['[1,2', 4],
    ] as const) {
      expect(jsonErrorOffset(text), text).toBe(offset);
    }
  });
});

describe('the two readers agree on mutated manifests', () => {
  const base = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    '  labels:',
    '    app: web',
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    '      app: web',
    '  ingress:',
    '  - ports:',
    '    - port: 80',
    '      protocol: TCP',
    '    from:',
    '    - podSelector: {}',
  ];
  const ints = [
    '010',
    '0b1010000',
    '1_000',
    '0x50',
    '-0x1F',
    '08',
    '0o17',
    '+80',
    '1e3',
    '0X50',
    '.5_0',
    '1:30',
  ];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('tab-colon' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('int' as const), line: fc.nat(), value: fc.constantFrom(...ints) }),
    fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('bom-doc' as const) }),
    fc.record({ kind: fc.constant('cr' as const), lone: fc.boolean() }),
    fc.record({ kind: fc.constant('merge' as const) }),
    fc.record({ kind: fc.constant('tab' as const), line: fc.nat(), at: fc.nat() }),
  );

  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;
  function mutate(lines: readonly string[], m: Mutation): string[] {
    const out = [...lines];
    const pick = (n: number) => n % out.length;
    switch (m.kind) {
      case 'tab-colon': {
        const i = pick(m.line);
        out[i] = (out[i] ?? '').replace(/^(\s*-?\s*[\w.]+)(:)/, '$1\t$2');
        break;
      }
      case 'int': {
        const i = pick(m.line);
        out[i] = (out[i] ?? '').replace(/: .*$/, `: ${m.value}`);
        break;
      }
      case 'duplicate': {
        const i = pick(m.line);
        out.splice(i + 1, 0, out[i] ?? '');
        break;
      }
      case 'bom-doc':
        out.push('---', `\ufeff${out[0] ?? ''}`, 'kind: Namespace', 'metadata: {name: x}');
        break;
      case 'cr':
        return out.join(m.lone ? '\r' : '\r\n').split('\n');
      case 'merge':
        out.splice(9, 0, '    <<: {matchLabels: {tier: x}, extra: 1}');
        break;
      case 'tab': {
        const i = pick(m.line);
        const line = out[i] ?? '';
        const at = m.at % (line.length + 1);
        out[i] = `${line.slice(0, at)}\t${line.slice(at)}`;
        break;
      }
    }
    return out;
  }

  it('values, errors and positions of errors', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let lines = base;
        for (const m of ms) lines = mutate(lines, m);
        const text = `${lines.join('\n')}\n`;
        const { fast, slow } = both(text);
        expect(errors(fast).length > 0, text).toBe(errors(slow).length > 0);
        if (errors(slow).length === 0) expect(values(fast), text).toEqual(values(slow));
        for (const e of [...errors(fast), ...errors(slow)]) expect(e.location?.line, text).toBeGreaterThan(0);
      }),
      { numRuns: 1500, seed: 1101 },
    );
  }, 120_000);
});
