/**
 * The manifest fuzzer of manifest-fuzz.test.ts: seeded mutants of the fixture manifests, and a worker
 * thread that reads them through the library, so the test can stop a read that hangs (synchronous
 * code cannot be interrupted from its own thread).
 *
 * Mutant `i` of seed `s` depends only on (s, i): a failure names both, and `mutant(s, i)` rebuilds it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readDocuments } from '../../shared/manifest/documents.ts';
import { buildSnapshot, parseManifestText } from '../../shared/manifest/index.ts';
import type { LoadIssue } from '../../shared/model/snapshot.ts';
import { rng } from '../bench/generate.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

function manifestFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return manifestFiles(p);
      return /\.(ya?ml|json)$/.test(name) ? [p] : [];
    });
}

/** The fixtures, cut to a few documents each so a mutant stays small (the reader's cost is per byte). */
export const BASES: readonly { readonly name: string; readonly docs: readonly string[] }[] = manifestFiles(
  FIXTURES,
).map((p) => ({
  name: relative(FIXTURES, p),
  docs: readFileSync(p, 'utf8')
    .split(/^---[ \t]*$/m)
    .filter((d) => d.trim() !== ''),
}));

/** Text the readers treat specially: YAML indicators, YAML 1.1 scalars, line breaks of every kind. */
const INSERTS = [
  '\t',
  ' ',
  '  ',
  '\n',
  '\r',
  '\r\n',
  ':',
  ': ',
  '- ',
  '-',
  '#',
  ' # c',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '&a ',
  '*a',
  '!!str ',
  '!!int ',
  '|',
  '|-',
  '>',
  '? ',
  '%YAML 1.1\n',
  '---\n',
  '--- ',
  '...\n',
  '<<: ',
  '<<: *a',
  '\ufeff',
  '\u2028',
  '\u0085',
  '\0',
  '~',
  '@',
  '`',
  '\\',
  '\\u12',
  '{"a":',
  '"\\',
  '0x',
  '010',
  '0b11',
  '1_000',
  '.inf',
  '.nan',
  'yes',
  'y',
  'Off',
  'null',
  '9'.repeat(25),
  '1e999',
  '-0',
  'é',
  '\u{1f642}',
  'a: b',
  '{}',
  '[]',
  'kind: List\n',
  'items:\n',
  '__proto__',
  'constructor',
];

/** Values put where a scalar was: numbers kubectl reads differently, out-of-range ports, wrong types. */
const VALUES = [
  '010',
  '0b1010000',
  '1_000',
  '0x50',
  '08',
  '1.5',
  '-1',
  '0',
  '65536',
  '"80"',
  "'80'",
  'yes',
  'no',
  'on',
  '~',
  'null',
  '',
  '[]',
  '{}',
  '[a, b]',
  '{a: 1}',
  '.inf',
  '-.inf',
  '.NaN',
  '"a\\tb"',
  '|\n  text',
  '>-\n  x',
  '&x value',
  '*x',
  '!!str 80',
  '2024-01-01',
  '1:30',
  'TCP',
  'tcp',
  'In',
  'Exists',
  'Ingress',
  'Admin',
  'Accept',
  '10.0.0.0/8',
  '10.0.0.1/8',
  '::1',
  'a'.repeat(300),
  '"\\u00e9"',
  'x: y: z',
  '- - -',
];

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const at = (r: Rand, n: number): number => Math.floor(r() * (n + 1));

function lineBounds(text: string, r: Rand): [number, number] {
  const start = text.lastIndexOf('\n', at(r, text.length) - 1) + 1;
  const nl = text.indexOf('\n', start);
  return [start, nl < 0 ? text.length : nl];
}

/** One small change to the text. */
function mutateOnce(text: string, r: Rand): string {
  const n = text.length;
  switch (Math.floor(r() * 12)) {
    case 0:
    case 1: {
      const i = at(r, n);
      return text.slice(0, i) + pick(r, INSERTS) + text.slice(i);
    }
    case 2: {
      const i = at(r, n);
      return text.slice(0, i) + text.slice(Math.min(n, i + 1 + Math.floor(r() * 20)));
    }
    case 3: {
      // A value replaced: `key: value` on a random line.
      const [s, e] = lineBounds(text, r);
      const colon = text.indexOf(': ', s);
      if (colon < 0 || colon >= e) return text.slice(0, s) + pick(r, VALUES) + text.slice(e);
      return text.slice(0, colon + 2) + pick(r, VALUES) + text.slice(e);
    }
    case 4: {
      // A key misspelt, recased or doubled (duplicate keys).
      const [s, e] = lineBounds(text, r);
      const line = text.slice(s, e);
      const m = /^(\s*-?\s*)([A-Za-z][\w.-]*)(:.*)$/.exec(line);
      if (!m) return text;
      const [, lead = '', key = '', rest = ''] = m;
      const k = Math.floor(r() * key.length);
      const variants = [
        key.slice(0, k) + key.slice(k + 1),
        key.slice(0, k) + key.charAt(k).toUpperCase() + key.slice(k + 1),
        `${key}s`,
        `${key}\t`,
      ];
      const changed = `${lead}${pick(r, variants)}${rest}`;
      const doubled = r() < 0.3 ? `\n${' '.repeat(lead.length)}${key}${rest}` : '';
      return text.slice(0, s) + changed + doubled + text.slice(e);
    }
    case 5: {
      // Indentation changed.
      const [s] = lineBounds(text, r);
      if (r() < 0.5) return `${text.slice(0, s)}${' '.repeat(1 + Math.floor(r() * 3))}${text.slice(s)}`;
      return text.slice(s, s + 1) === ' ' ? text.slice(0, s) + text.slice(s + 1) : text;
    }
    case 6: {
      // Two lines swapped.
      const [a, ae] = lineBounds(text, r);
      const [b, be] = lineBounds(text, r);
      if (a === b) return text;
      const [s1, e1, s2, e2] = a < b ? [a, ae, b, be] : [b, be, a, ae];
      if (e1 >= s2) return text;
      return (
        text.slice(0, s1) + text.slice(s2, e2) + text.slice(e1, s2) + text.slice(s1, e1) + text.slice(e2)
      );
    }
    case 7: {
      // A line copied elsewhere.
      const [s, e] = lineBounds(text, r);
      const i = at(r, n);
      return `${text.slice(0, i)}${text.slice(s, e)}\n${text.slice(i)}`;
    }
    case 8:
      return text.slice(0, at(r, n));
    case 9: {
      const i = at(r, n);
      return text.slice(0, i) + String.fromCharCode(Math.floor(r() * 128)) + text.slice(i + 1);
    }
    case 10: {
      // Tabs for indentation on a line, or everywhere.
      if (r() < 0.2) return text.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2));
      const [s] = lineBounds(text, r);
      return `${text.slice(0, s)}\t${text.slice(s)}`;
    }
    default: {
      // Line breaks of another kind.
      const breaks = ['\r\n', '\r', '\u2028', '\u0085'];
      return r() < 0.5 ? text.replaceAll('\n', pick(r, breaks)) : text.replace('\n', pick(r, breaks));
    }
  }
}

/** The documents respelt: as JSON (a List, a stream, documents between `---`, one value), or with BOMs. */
function respell(docs: readonly string[], r: Rand): string | undefined {
  const objects = docs.flatMap((d) => readDocuments(d, 'base.yaml').docs.map((x) => x.value));
  if (objects.length === 0) return undefined;
  switch (Math.floor(r() * 5)) {
    case 0:
      return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 4);
    case 1:
      return objects.map((o) => JSON.stringify(o)).join('\n');
    case 2:
      return objects.map((o) => JSON.stringify(o, null, 2)).join('\n---\n');
    case 3:
      return `\ufeff${docs.join('---\n\ufeff')}`;
    default:
      return JSON.stringify(objects[0], null, 2);
  }
}

/** Absurd nesting: readers must answer with a position, not a stack overflow. */
function deep(r: Rand): string {
  return pick(r, ['[', '{"a":', '- ', 'a:\n  ', '{a: ']).repeat(500 + Math.floor(r() * 9000));
}

/** Mutant `index` of `seed`: a window of one fixture's documents, respelt or changed 1 to 4 times. */
export function mutant(seed: number, index: number): { name: string; text: string } {
  const r = rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const base = pick(r, BASES);
  const first = Math.floor(r() * base.docs.length);
  const docs = base.docs.slice(first, first + 1 + Math.floor(r() * 3));
  let text = docs.join('---\n');
  const spelling = r();
  if (spelling < 0.002) text = deep(r);
  else if (spelling < 0.08) text = respell(docs, r) ?? text;
  const changes = 1 + Math.floor(r() * r() * 4); // mostly one: more mutants get past the first error
  for (let k = 0; k < changes; k++) text = mutateOnce(text, r);
  const ext = text.trimStart().startsWith('{') && r() < 0.5 ? 'json' : 'yaml';
  return { name: `${base.name.replace(/[/.]/g, '_')}-${index}.${ext}`, text };
}

/** What is wrong with reading one mutant, or undefined when all is well. */
export function checkMutant(name: string, text: string): string | undefined {
  const parse = parseManifestText(text, name);
  const snapshot = buildSnapshot([parse], { kind: 'manifests', paths: [name] });
  const lines = text.split(/\r\n|[\n\r\u2028\u2029\u0085]/).length;
  const bad = (i: LoadIssue): boolean => {
    const l = i.location;
    return (
      l === undefined ||
      l.file !== name ||
      !Number.isInteger(l.line) ||
      l.line < 1 ||
      l.line > lines + 1 ||
      !Number.isInteger(l.column) ||
      l.column < 1
    );
  };
  const unpositioned = [...parse.issues, ...snapshot.issues].filter((i) => i.severity === 'error' && bad(i));
  if (unpositioned.length > 0) return `an error without a position: ${JSON.stringify(unpositioned[0])}`;
  const internal = parse.issues.find((i) => i.message.startsWith('internal error'));
  if (internal) return `an exception inside the reader: ${internal.message}`;
  if (parse.reader === 'fast-yaml' || parse.reader === 'json') {
    // The fast paths (block YAML, JSON documents between `---`) must read what the general reader
    // reads: the same values and the same errors. (JSON that is one value or a stream takes one path.)
    const fast = readDocuments(text, name);
    const slow = readDocuments(text, name, { noFastYaml: true });
    const errors = (r: typeof fast): string => JSON.stringify(r.issues.filter((i) => i.severity === 'error'));
    if (errors(fast) !== errors(slow))
      return `the readers disagree on errors:\nfast:    ${errors(fast).slice(0, 1000)}\ngeneral: ${errors(slow).slice(0, 1000)}`;
    const a = JSON.stringify(fast.docs.map((d) => d.value));
    const b = JSON.stringify(slow.docs.map((d) => d.value));
    if (a !== b) return `the readers disagree:\nfast:    ${a.slice(0, 1000)}\ngeneral: ${b.slice(0, 1000)}`;
  }
  return undefined;
}

/** Messages between the test and the worker. */
export interface FuzzJob {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  /** Int32Array over a SharedArrayBuffer: [index being read, mutants done]. */
  readonly progress: SharedArrayBuffer;
}
export type FuzzReport =
  | { readonly kind: 'done'; readonly count: number }
  | {
      readonly kind: 'failed';
      readonly index: number;
      readonly name: string;
      readonly text: string;
      readonly problem: string;
    };

if (!isMainThread && parentPort !== null && (workerData as { fuzz?: unknown } | null)?.fuzz === true) {
  const port = parentPort;
  port.on('message', (job: FuzzJob) => {
    const progress = new Int32Array(job.progress);
    for (let i = job.from; i < job.to; i++) {
      Atomics.store(progress, 0, i);
      const { name, text } = mutant(job.seed, i);
      let problem: string | undefined;
      try {
        problem = checkMutant(name, text);
      } catch (e) {
        problem = `an exception escaped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
      }
      if (problem !== undefined) {
        port.postMessage({
          kind: 'failed',
          index: i,
          name,
          text: text.slice(0, 4000),
          problem,
        } satisfies FuzzReport);
        return;
      }
      Atomics.add(progress, 1, 1);
    }
    port.postMessage({ kind: 'done', count: job.to - job.from } satisfies FuzzReport);
  });
}
