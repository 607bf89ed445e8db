/**
 * A fast reader for the block-style YAML subset that kubectl (go-yaml) prints and most hand-written
 * manifests use: block mappings and sequences, plain / single- / double-quoted scalars (multi-line
 * folded too), literal and folded block scalars, single-line flow collections, comments, `---`, and
 * documents that are JSON (`kubectl get -o json` objects between `---` lines: one JSON.parse each).
 *
 * It gives exactly the values kubectl reads (documents.ts `kubectlValue` over the `yaml` package's
 * syntax tree: go-yaml v2 / YAML 1.1 scalars, see `resolveKubectl`), and it refuses (returns undefined)
 * anything else: anchors, aliases, merge keys, tags, directives, complex keys, tabs outside scalar
 * content, duplicate keys, null keys, `.inf`/`.nan` values, multi-line flow collections, odd
 * indentation, nesting past MAX_DEPTH, and every syntax error. The caller then falls back to the
 * `yaml` package path, which also reports the errors with their positions (the caller also sends it
 * texts with control characters or inner BOMs). Differential tests (test/unit/manifest/fast-yaml.test.ts,
 * reader-*.test.ts, json-input.test.ts and the fuzzer in test/property/manifest-fuzz.test.ts) hold the
 * two readers together.
 *
 * Cost (npm run bench, the L cluster's 7.3 MB of YAML, 2 busy cores): ~0.15 s, about half of js-yaml's
 * time and a thirtieth of the `yaml` package's. What keeps it there: every scan stays on its line (a
 * backward search to the start of the text once made it quadratic), lines are measured once
 * (indentation and kind), and plain scalars that cannot be booleans, nulls or numbers skip the YAML 1.1
 * resolution.
 */
import type { FieldPath } from './documents.ts';
import { JsonLocator, parseJsonDocument } from './json-documents.ts';

export interface FastDocument {
  readonly value: unknown;
  /** Offset of the node at `path` (or of its deepest existing ancestor) in the whole text. */
  locate(path: FieldPath): number;
}

/** Ends a locate pass early (not an error; thrown once per locate). */
const DONE = new Error('located');

/** The text is outside the subset (thrown at most once per file, so the cost of an Error is fine). */
class Refuse extends Error {
  override readonly name = 'Refuse';
}

function refuse(reason: string): never {
  throw new Refuse(reason);
}

/** YAML 1.1 booleans that YAML 1.2 reads as strings (go-yaml v2's resolve table). */
export const YAML11_TRUE_RE = /^(?:y|Y|yes|Yes|YES|on|On|ON)$/;
export const YAML11_FALSE_RE = /^(?:n|N|no|No|NO|off|Off|OFF)$/;

/** go-yaml v2's table of words (resolve.go): the plain scalars it maps without parsing. */
const WORDS = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w): [string, unknown] => [
    w,
    true,
  ]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (w): [string, unknown] => [w, false],
  ),
  ...['', '~', 'null', 'Null', 'NULL'].map((w): [string, unknown] => [w, null]),
  ...['.nan', '.NaN', '.NAN'].map((w): [string, unknown] => [w, NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w): [string, unknown] => [w, Infinity]),
  ...['-.inf', '-.Inf', '-.INF'].map((w): [string, unknown] => [w, -Infinity]),
]);

/** Go's `strconv.ParseInt(s, 0, 64)` syntax: sign, then 0x / 0b / 0o / leading-0 octal / decimal. */
const GO_INT_RE = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]+)|(0|[1-9][0-9]*))$/;
/** go-yaml v2's `yamlStyleFloat`. */
const GO_FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What `strconv.ParseFloat` accepts of a text starting with '.' (Go literal syntax: `_` between digits). */
const GO_DOT_FLOAT_RE = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A plain scalar as go-yaml v2 resolves it; `float` tells an integer-valued float from an int. */
export interface Resolved {
  readonly value: unknown;
  readonly float: boolean;
}

const asString = (s: string): Resolved => ({ value: s, float: false });

/**
 * go-yaml v2's `resolve` for an untagged plain scalar: the YAML 1.1 reading kubectl does through
 * sigs.k8s.io/yaml. First the word table (YAML 1.1 booleans `yes`/`on`/`y`..., nulls, `.inf`,
 * `.nan`); then, for a leading digit or sign, Go's integer syntax after removing every `_` (`010` is
 * 8, `0b1010000` is 80, `1_000` is 1000, `-0x1F` is -31), int64 then uint64; then YAML floats (`08`
 * is 8 this way). Timestamps stay strings, as go-yaml v2 hands them to an untyped target, and
 * base-60 numbers (`1:30`) are strings too.
 */
export function resolveKubectl(s: string): Resolved {
  const word = WORDS.get(s);
  if (word !== undefined || WORDS.has(s)) return { value: word, float: typeof word === 'number' };
  const c = s.charCodeAt(0);
  if (c === 0x2e /* . */) {
    if (!GO_DOT_FLOAT_RE.test(s)) return asString(s);
    const f = parseFloat(s.replaceAll('_', ''));
    return Number.isFinite(f) ? { value: f, float: true } : asString(s);
  }
  const isDigit = c >= 0x30 && c <= 0x39;
  if (!isDigit && c !== 0x2b && c !== 0x2d) return asString(s);
  const quick = quickNumber(s);
  if (quick !== undefined) return quick;
  const plain = s.includes('_') ? s.replaceAll('_', '') : s;
  const m = GO_INT_RE.exec(plain);
  if (m !== null) {
    const [, sign, hex, bin, oct, oldOct, dec] = m;
    const digits =
      hex !== undefined
        ? `0x${hex}`
        : bin !== undefined
          ? `0b${bin}`
          : oct !== undefined
            ? `0o${oct}`
            : oldOct !== undefined
              ? `0o${oldOct}`
              : (dec ?? '0');
    const magnitude = BigInt(digits);
    const n = sign === '-' ? -magnitude : magnitude;
    // ParseInt (int64), then ParseUint (which takes no sign), as go-yaml tries them.
    if ((n >= INT64_MIN && n <= INT64_MAX) || (sign === '' && n <= UINT64_MAX)) {
      const v = Number(n);
      return { value: v === 0 ? 0 : v, float: false };
    }
  }
  if (GO_FLOAT_RE.test(plain)) {
    const f = parseFloat(plain);
    if (Number.isFinite(f)) return { value: f, float: true };
  }
  return asString(s);
}

/**
 * Whether a plain scalar surely reads as itself: it starts with a letter that begins no word of
 * go-yaml's table (y, n, t, f, o in either case), so no boolean, null or number. Most do.
 */
function startsNoWord(s: string): boolean {
  const c = s.charCodeAt(0) | 0x20; // lower case for letters
  return c >= 0x61 && c <= 0x7a && c !== 0x79 && c !== 0x6e && c !== 0x74 && c !== 0x66 && c !== 0x6f;
}

/**
 * The common cases of `resolveKubectl` for a text starting with a digit or sign, without regular
 * expressions: a plain decimal integer (`8080`), or a text no number syntax accepts (an IP address
 * has two dots; `80/TCP` has a slash). Undefined for everything else.
 */
function quickNumber(s: string): Resolved | undefined {
  const n = s.length;
  let digits = true;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    digits = false;
    if (c === 0x2e) {
      if (++dots > 1) return asString(s);
      continue;
    }
    const l = c | 0x20;
    // What Go's integer and YAML's float syntax may hold besides digits and one dot.
    if (c === 0x5f || c === 0x2b || c === 0x2d || (l >= 0x61 && l <= 0x66) || l === 0x78 || l === 0x6f)
      continue;
    return asString(s);
  }
  // Up to 15 digits is exact in a double; a leading 0 is octal (Go) and needs the full path.
  if (digits && n <= 15 && (n === 1 || s.charCodeAt(0) !== 0x30)) return { value: Number(s), float: false };
  return undefined;
}

/** A plain scalar's value as kubectl reads it (see `resolveKubectl`). */
export function resolvePlain(s: string): unknown {
  if (startsNoWord(s)) return s;
  return resolveKubectl(s).value;
}

/**
 * How sigs.k8s.io/yaml turns a resolved YAML key into a JSON key: strings as they are, integers in
 * decimal, floats as Go's `FormatFloat(f, 'g', -1, 32)` (with go-yaml's `.inf`/`.nan` spellings),
 * booleans as `true`/`false`. A null key has no JSON form: undefined (kubectl refuses the document).
 */
export function jsonKey(r: Resolved): string | undefined {
  const v = r.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v !== 'number') return undefined;
  if (!r.float) return BigInt(v).toString();
  return goFloat32G(v);
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 32)`, with go-yaml's spellings of infinities and NaN. */
function goFloat32G(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const x = Math.fround(f);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // The shortest decimal that reads back as the same float32.
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const e = x.toExponential(p - 1);
    if (Math.fround(Number(e)) === x) {
      const [mant = '', ex = '0'] = e.split('e');
      digits = mant.replace('-', '').replace('.', '');
      exp = Number(ex);
      break;
    }
  }
  const sign = x < 0 ? '-' : '';
  // %e when the exponent is < -4 or >= 6 (Go's precision for the shortest form).
  const nd = digits.length;
  if (exp < -4 || exp >= 6) {
    const frac = nd > 1 ? `.${digits.slice(1)}` : '';
    const ae = Math.abs(exp);
    return `${sign}${digits[0] ?? ''}${frac}e${exp < 0 ? '-' : '+'}${ae < 10 ? `0${ae}` : String(ae)}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (nd <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - nd)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** A plain key's JSON form; refuses null keys (the general reader reports them). */
function plainKey(raw: string): string {
  if (startsNoWord(raw)) return raw;
  const key = jsonKey(resolveKubectl(raw));
  if (key === undefined) refuse('null key');
  return key;
}

/** A plain value; refuses `.inf` and `.nan` (no JSON form: kubectl fails; the general reader says so). */
function plainValue(raw: string): unknown {
  const v = resolvePlain(raw);
  if (typeof v === 'number' && !Number.isFinite(v)) refuse('non-finite number');
  return v;
}

// Characters that cannot start a plain scalar (when followed by a space, for '-', '?', ':').
const INDICATORS = new Set([
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
]);

const DQ_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

interface ReadDocument {
  readonly value: unknown;
  /** The line its root starts on. */
  readonly line: number;
  /** Offsets of the root `items:` entries, if it has them. */
  readonly items: number[] | undefined;
  /** For a document that is JSON: where its paths are. */
  readonly json: JsonLocator | undefined;
}

/**
 * Nesting deeper than this is left to the general reader (kubectl's go-yaml allows 10,000 levels; no
 * manifest comes near, and the general reader's recursion may not reach it on a small stack).
 */
const MAX_DEPTH = 1000;

const CONTENT = 0;
const SKIPPABLE = 1;
const TAB_LED = 2;

class Reader {
  private readonly text: string;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Leading spaces of each line. */
  private readonly indents: number[] = [];
  /** CONTENT, SKIPPABLE (blank or comment) or TAB_LED (a tab before any content). */
  private readonly kinds: number[] = [];
  private li = 0;
  /** Block collections open (see MAX_DEPTH). */
  private depth = 0;
  /** Set while reading the root mapping's `items:` sequence: its items' offsets go here (List manifests). */
  private recordItems: number[] | null = null;
  // Position tracking (locate mode only).
  private track: FieldPath | undefined;
  private stack: (string | number)[] = [];
  private matchDepth = 0;
  bestOffset = 0;
  /** Offsets of the root `items:` entries of the last document read, if it had them. */
  rootItems: number[] | undefined;

  constructor(text: string) {
    this.text = text;
    let start = 0;
    const n = text.length;
    while (start <= n) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) nl = n;
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      let i = start;
      while (i < end && text.charCodeAt(i) === 32) i++;
      const c = i < end ? text.charCodeAt(i) : -1;
      this.starts.push(start);
      this.ends.push(end);
      this.indents.push(i - start);
      this.kinds.push(c === -1 || c === 35 ? SKIPPABLE : c === 9 ? TAB_LED : CONTENT);
      start = nl + 1;
      if (nl === n) break;
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(li: number): number {
    return this.starts[li] ?? this.text.length;
  }

  private indentOf(li: number): number {
    return this.indents[li] ?? 0;
  }

  /** Next line index at or after `li` holding content (blank and comment lines skipped). */
  private nextContent(li: number): number {
    const kinds = this.kinds;
    for (; li < kinds.length; li++) {
      const k = kinds[li];
      if (k === CONTENT) break;
      // A tab where go-yaml wants indentation: the general reader says what kubectl says.
      if (k === TAB_LED) refuse('tab');
    }
    return li;
  }

  private isDocMarker(li: number): boolean {
    const s = this.starts[li] ?? 0;
    const e = this.ends[li] ?? 0;
    if (e - s < 3) return false;
    const t = this.text;
    const c = t.charCodeAt(s);
    if (c !== 45 /* - */ && c !== 46 /* . */) return false;
    if (t.charCodeAt(s + 1) !== c || t.charCodeAt(s + 2) !== c) return false;
    return e - s === 3 || t.charCodeAt(s + 3) === 32;
  }

  // ---- tracking ----

  push(seg: string | number, offset: number): void {
    const d = this.stack.length;
    this.stack.push(seg);
    if (this.track && this.matchDepth === d && this.track[d] === seg) {
      this.matchDepth = d + 1;
      this.bestOffset = offset;
    }
  }

  pop(): void {
    this.stack.pop();
    // Leaving a node on the tracked path: nothing deeper can match any more (keys are unique).
    if (this.matchDepth > this.stack.length) throw DONE;
  }

  /** Offset of `path` in the document whose root starts on line `docLine`. */
  locate(docLine: number, path: FieldPath): number {
    this.track = path;
    this.stack = [];
    this.matchDepth = 0;
    this.depth = 0;
    this.bestOffset = this.lineStart(docLine) + this.indentOf(docLine);
    try {
      this.li = docLine;
      this.blockNode(-1, docLine, false);
    } catch (e) {
      if (e !== DONE) throw e;
    }
    return this.bestOffset;
  }

  // ---- documents ----

  /** Parses documents; returns each document's value and first line. */
  documents(maxDocs = Infinity): ReadDocument[] {
    const out: ReadDocument[] = [];
    let li = this.nextContent(0);
    while (li < this.starts.length && out.length < maxDocs) {
      const s = this.starts[li] ?? 0;
      const c = this.text.charCodeAt(s);
      if (c === 37) refuse('directive'); // '%'
      if (this.isDocMarker(li)) {
        const marker = this.text.slice(s, s + 3);
        const rest = this.text.slice(s + 3, this.ends[li]).replace(/^ +| +$/g, '');
        if (rest !== '' && !rest.startsWith('#')) refuse('content after document marker');
        li = this.nextContent(li + 1);
        if (marker === '---' && (li >= this.starts.length || this.isDocMarker(li))) {
          // An empty document; the `yaml` package gives it null contents, which readers skip.
          if (li < this.starts.length && this.text.startsWith('...', this.starts[li] ?? 0))
            li = this.nextContent(li + 1);
        }
        continue;
      }
      const docLine = li;
      const json = this.jsonDocument(li);
      if (json !== undefined) {
        out.push({ value: json.value, line: docLine, items: undefined, json: json.locator });
        li = this.nextContent(json.next);
        continue;
      }
      this.li = li;
      this.rootItems = undefined;
      const value = this.blockNode(-1, li, false);
      li = this.nextContent(this.li);
      if (li < this.starts.length && !this.isDocMarker(li)) refuse('content after the document root');
      out.push({ value, line: docLine, items: this.rootItems, json: undefined });
    }
    return out;
  }

  /**
   * A document that is JSON (`kubectl get -o json` objects between `---` lines): one JSON.parse of
   * the lines up to the next document marker. JSON is YAML, and go-yaml gives valid JSON the same
   * values. Undefined when the document does not start with a bracket or is not JSON.
   */
  private jsonDocument(li: number): { value: unknown; locator: JsonLocator; next: number } | undefined {
    const s = (this.starts[li] ?? 0) + this.indentOf(li);
    const c = this.text.charCodeAt(s);
    if (c !== 0x7b && c !== 0x5b) return undefined;
    let next = li + 1;
    while (next < this.starts.length && !this.isDocMarker(next)) next++;
    const e = this.ends[next - 1] ?? s;
    // Not JSON (YAML flow style, or broken), or JSON the YAML reading differs on: the block reader decides.
    const doc = parseJsonDocument(this.text.slice(s, e));
    if (doc === undefined) return undefined;
    return { value: doc.value, locator: new JsonLocator(this.text, s, e), next };
  }

  // ---- block nodes ----

  /**
   * Parses the node whose content starts on line `li` (already known to hold content) and whose
   * indentation must exceed `parent`. Sets this.li to the line after the node.
   */
  private blockNode(parent: number, li: number, allowSeqAtParent: boolean): unknown {
    const indent = this.indentOf(li);
    const s = (this.starts[li] ?? 0) + indent;
    const e = this.ends[li] ?? 0;
    const c = this.text.charCodeAt(s);
    if (c === 45 /* - */ && (s + 1 === e || this.text.charCodeAt(s + 1) === 32)) {
      if (indent <= parent && !(allowSeqAtParent && indent === parent)) refuse('indentation');
      return this.blockSeq(indent, li);
    }
    if (indent <= parent) refuse('indentation');
    const keyEnd = this.findKey(s, e);
    if (keyEnd >= 0) return this.blockMap(indent, li, s, parent === -1);
    return this.scalarAt(parent, li, s, e);
  }

  /**
   * If the text at [s, e) starts a `key:` entry, returns the index of the ':' ; else -1.
   * Refuses keys it does not understand.
   */
  private findKey(s: number, e: number): number {
    const t = this.text;
    const c = t[s] ?? '';
    if (c === '"' || c === "'") {
      const close = c === '"' ? this.dqClose(s, e) : this.sqClose(s, e);
      if (close < 0) return -1; // a multi-line quoted scalar, not a key
      let i = close + 1;
      while (i < e && t.charCodeAt(i) === 32) i++;
      if (t.charCodeAt(i) === 58 && (i + 1 === e || t.charCodeAt(i + 1) === 32)) return i;
      return -1;
    }
    // plain: first ': ' or a ':' ending the line
    let i = t.indexOf(':', s);
    while (i >= 0 && i < e) {
      if (i + 1 === e || t.charCodeAt(i + 1) === 32) {
        // go-yaml takes `ports<TAB>:` as the key `ports`; the general reader does too. Leave tabs to it.
        for (let k = s; k < i; k++) if (t.charCodeAt(k) === 9) refuse('tab');
        if (
          c === '?' ||
          c === '[' ||
          c === '{' ||
          c === '&' ||
          c === '*' ||
          c === '!' ||
          c === '|' ||
          c === '>' ||
          c === '%' ||
          c === '@' ||
          c === '`' ||
          c === '#' ||
          c === ',' ||
          c === ']' ||
          c === '}'
        ) {
          refuse('key indicator');
        }
        return i;
      }
      i = t.indexOf(':', i + 1);
    }
    return -1;
  }

  private blockSeq(indent: number, li: number): unknown[] {
    if (++this.depth > MAX_DEPTH) refuse('depth');
    const out: unknown[] = [];
    const t = this.text;
    const record = this.recordItems;
    this.recordItems = null;
    for (;;) {
      const s = (this.starts[li] ?? 0) + indent;
      const e = this.ends[li] ?? 0;
      // content after "- "
      let cs = s + 1;
      while (cs < e && t.charCodeAt(cs) === 32) cs++;
      const index = out.length;
      if (record) record.push(cs < e && t.charCodeAt(cs) !== 35 ? cs : s);
      if (this.track) this.push(index, cs < e ? cs : s);
      let value: unknown;
      if (cs >= e || t.charCodeAt(cs) === 35 /* # */) {
        if (cs < e && t.charCodeAt(cs - 1) !== 32) refuse('comment');
        const next = this.nextContent(li + 1);
        if (next < this.starts.length && !this.isDocMarker(next) && this.indentOf(next) > indent) {
          if (this.track) this.bestOffsetIfCurrent(this.starts[next]! + this.indentOf(next));
          value = this.blockNode(indent, next, false);
        } else {
          value = null;
          this.li = li + 1;
        }
      } else {
        const c = t.charCodeAt(cs);
        if (c === 45 && (cs + 1 === e || t.charCodeAt(cs + 1) === 32))
          value = this.blockSeq(cs - (this.starts[li] ?? 0), li);
        else if (this.findKey(cs, e) >= 0) value = this.blockMap(cs - (this.starts[li] ?? 0), li, cs);
        else value = this.inlineValue(indent, li, cs, e);
      }
      if (this.track) this.pop();
      out.push(value);
      li = this.nextContent(this.li);
      if (li >= this.starts.length || this.isDocMarker(li)) break;
      const ind = this.indentOf(li);
      if (ind < indent) break;
      if (ind > indent) refuse('indentation');
      const ls = (this.starts[li] ?? 0) + indent;
      if (!(t.charCodeAt(ls) === 45 && (ls + 1 === (this.ends[li] ?? 0) || t.charCodeAt(ls + 1) === 32)))
        break;
    }
    this.li = li;
    this.depth--;
    return out;
  }

  private bestOffsetIfCurrent(offset: number): void {
    if (this.matchDepth === this.stack.length && this.stack.length > 0) this.bestOffset = offset;
  }

  /** A block mapping whose first key starts at `first` on line `li`, at column `indent`. */
  private blockMap(indent: number, li: number, first: number, isRoot = false): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) refuse('depth');
    const out: Record<string, unknown> = {};
    const t = this.text;
    let ks = first;
    for (;;) {
      const e = this.ends[li] ?? 0;
      const colon = this.findKey(ks, e);
      if (colon < 0) refuse('expected a key');
      let key: string;
      const c = t[ks];
      if (c === '"' || c === "'") {
        const close = c === '"' ? this.dqClose(ks, e) : this.sqClose(ks, e);
        key = c === '"' ? this.dqValue(t.slice(ks + 1, close)) : t.slice(ks + 1, close).replaceAll("''", "'");
      } else {
        let ke = colon;
        while (ke > ks && t.charCodeAt(ke - 1) === 32) ke--;
        const raw = t.slice(ks, ke);
        if (raw.includes(' #') || raw[0] === ':' || raw[0] === '-' || raw.length > 1000) refuse('key');
        key = plainKey(raw);
      }
      if (key === '__proto__' || key === '<<') refuse('special key');
      // One keyed load in the common case; own-property check only for names Object.prototype has.
      if (out[key] !== undefined && Object.hasOwn(out, key)) refuse('duplicate key');
      let vs = colon + 1;
      while (vs < e && t.charCodeAt(vs) === 32) vs++;
      if (this.track) this.push(key, vs < e && t.charCodeAt(vs) !== 35 ? vs : ks);
      let value: unknown;
      if (vs >= e || t.charCodeAt(vs) === 35) {
        if (vs < e && t.charCodeAt(vs - 1) !== 32) refuse('comment');
        const next = this.nextContent(li + 1);
        if (next < this.starts.length && !this.isDocMarker(next)) {
          const ind = this.indentOf(next);
          const ns = (this.starts[next] ?? 0) + ind;
          const isSeq =
            t.charCodeAt(ns) === 45 && (ns + 1 === (this.ends[next] ?? 0) || t.charCodeAt(ns + 1) === 32);
          if (ind > indent || (ind === indent && isSeq)) {
            if (this.track) this.bestOffsetIfCurrent(ns);
            if (isRoot && key === 'items' && isSeq) this.rootItems = this.recordItems = [];
            value = this.blockNode(indent, next, true);
            this.recordItems = null;
          } else {
            value = null;
            this.li = li + 1;
          }
        } else {
          value = null;
          this.li = li + 1;
        }
      } else {
        const vc = t.charCodeAt(vs);
        if (vc === 45 && (vs + 1 === e || t.charCodeAt(vs + 1) === 32)) refuse('sequence as a compact value');
        value = this.inlineValue(indent, li, vs, e);
      }
      if (this.track) this.pop();
      out[key] = value;
      li = this.nextContent(this.li);
      if (li >= this.starts.length || this.isDocMarker(li)) break;
      const ind = this.indentOf(li);
      if (ind < indent) break;
      if (ind > indent) refuse('indentation');
      ks = (this.starts[li] ?? 0) + ind;
      const kc = t.charCodeAt(ks);
      if (kc === 45 && (ks + 1 === (this.ends[li] ?? 0) || t.charCodeAt(ks + 1) === 32)) break; // a sequence at the parent's indent
    }
    this.li = li;
    this.depth--;
    return out;
  }

  /** A value starting at `vs` on line `li`, after `key: ` or `- `; `parent` is the enclosing indent. */
  private inlineValue(parent: number, li: number, vs: number, e: number): unknown {
    const t = this.text;
    const c = t[vs] ?? '';
    if (c === '|' || c === '>') return this.blockScalar(parent, li, vs, e);
    if (c === '&' || c === '*' || c === '!' || c === '%' || c === '@' || c === '`' || c === '?')
      refuse('indicator');
    return this.scalarAt(parent, li, vs, e);
  }

  /** A flow scalar or flow collection starting at `vs` on line `li`, possibly continuing on more-indented lines. */
  private scalarAt(parent: number, li: number, vs: number, e: number): unknown {
    const t = this.text;
    const c = t[vs] ?? '';
    if (c === '"' || c === "'") return this.quoted(parent, li, vs, c);
    if (c === '[' || c === '{') {
      const r = new FlowReader(t, vs, e, this.track ? this : undefined);
      const v = r.value();
      r.end();
      this.li = li + 1;
      return v;
    }
    if (INDICATORS.has(c) && !((c === ':' || c === '?') && vs + 1 < e && t[vs + 1] !== ' '))
      refuse('indicator');
    if (c === '-' && (vs + 1 === e || t[vs + 1] === ' ')) refuse('sequence indicator');
    // plain scalar: ends at ' #' ; ': ' is an error in YAML
    let end = this.plainEnd(vs, e);
    const text = t.slice(vs, end);
    // continuation lines
    let next = li + 1;
    let folded = text;
    let pendingBreaks = 0;
    let multi = false;
    for (; next < this.starts.length; next++) {
      const ls = this.starts[next] ?? 0;
      const le = this.ends[next] ?? 0;
      let i = ls;
      while (i < le && t.charCodeAt(i) === 32) i++;
      if (i < le && t.charCodeAt(i) === 9) refuse('tab');
      if (i === le) {
        pendingBreaks++;
        continue;
      }
      if (i - ls <= parent) break;
      if (t.charCodeAt(i) === 35) break; // a comment ends the scalar
      if (end < e) refuse('comment inside multi-line plain scalar'); // first line had a comment
      if (this.isDocMarker(next) && i === ls) break;
      const pe = this.plainEnd(i, le);
      if (pe < le) refuse('comment after multi-line plain scalar');
      const piece = t.slice(i, pe);
      folded += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) + piece : ' ' + piece;
      pendingBreaks = 0;
      multi = true;
      end = pe;
    }
    if (multi) {
      this.li = next;
      return folded;
    }
    // plainEnd trimmed the spaces; only spaces and tabs are white space to go-yaml, so a trailing BOM
    // or no-break space stays (String.prototype.trim would drop them).
    this.li = li + 1;
    return plainValue(text);
  }

  /** End of a plain scalar's text on one line: before ' #' or the line end; refuses ': '. */
  private plainEnd(s: number, e: number): number {
    const t = this.text;
    let end = e;
    for (let i = s; i < e; i++) {
      const c = t.charCodeAt(i);
      if (c === 35 /* # */ && i > s && t.charCodeAt(i - 1) === 32) {
        end = i;
        break;
      }
      if (c === 58 /* : */ && i + 1 < e && t.charCodeAt(i + 1) === 32) refuse('": " inside a plain scalar');
      // A tab may separate (`a:<TAB>b`, `b<TAB># c`) where go-yaml allows it: the general reader decides.
      if (c === 9) refuse('tab');
    }
    while (end > s && t.charCodeAt(end - 1) === 32) end--;
    if (t.charCodeAt(end - 1) === 58) refuse('":" ending a plain scalar');
    return end;
  }

  /** Index of the closing '"' on the same line, or -1. */
  private dqClose(s: number, e: number): number {
    const t = this.text;
    for (let i = s + 1; i < e; i++) {
      const c = t.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 34) return i;
    }
    return -1;
  }

  private sqClose(s: number, e: number): number {
    const t = this.text;
    for (let i = s + 1; i < e; i++) {
      if (t.charCodeAt(i) === 39) {
        if (t.charCodeAt(i + 1) === 39) i++;
        else return i;
      }
    }
    return -1;
  }

  private dqValue(raw: string): string {
    if (!raw.includes('\\')) return raw;
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i] ?? '';
      if (c !== '\\') {
        out += c;
        continue;
      }
      const n = raw[++i] ?? '';
      const simple = DQ_ESCAPES[n];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const len = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      if (len === 0) refuse('escape');
      const hex = raw.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) refuse('escape');
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    }
    return out;
  }

  /** A quoted scalar starting at `vs`, possibly spanning lines (folded as YAML does). */
  private quoted(parent: number, li: number, vs: number, q: string): string {
    const t = this.text;
    const e = this.ends[li] ?? 0;
    const close = q === '"' ? this.dqClose(vs, e) : this.sqClose(vs, e);
    if (close >= 0) {
      this.afterScalar(close + 1, e);
      this.li = li + 1;
      const raw = t.slice(vs + 1, close);
      return q === '"' ? this.dqValue(raw) : raw.replaceAll("''", "'");
    }
    // multi-line: gather lines until the closing quote
    const lines: string[] = [t.slice(vs + 1, e)];
    let cur = li + 1;
    for (;;) {
      if (cur >= this.starts.length) refuse('unterminated quoted scalar');
      const ls = this.starts[cur] ?? 0;
      const le = this.ends[cur] ?? 0;
      let i = ls;
      while (i < le && t.charCodeAt(i) === 32) i++;
      if (i < le && t.charCodeAt(i) === 9) refuse('tab');
      if (i < le && i - ls <= parent) refuse('indentation in quoted scalar');
      if (i === ls && this.isDocMarker(cur)) refuse('document marker in quoted scalar');
      const endQ = q === '"' ? this.dqClose(i - 1, le) : this.sqClose(i - 1, le);
      if (endQ >= 0) {
        lines.push(t.slice(i, endQ));
        this.afterScalar(endQ + 1, le);
        break;
      }
      lines.push(t.slice(i, le));
      cur++;
    }
    this.li = cur + 1;
    // fold: trailing/leading white space trimmed; one break → space; n empty lines → n newlines
    let out = '';
    let breaks = 0;
    for (let k = 0; k < lines.length; k++) {
      let line = lines[k] ?? '';
      const isFirst = k === 0;
      const isLast = k === lines.length - 1;
      if (!isLast) {
        if (q === '"' && /(^|[^\\])(\\\\)*\\$/.test(line)) refuse('escaped line break');
        if (/\t/.test(line)) refuse('tab');
        line = line.replace(/ +$/, '');
      }
      if (!isFirst) line = line.replace(/^ +/, '');
      if (!isFirst && !isLast && line === '') {
        breaks++;
        continue;
      }
      const piece = q === '"' ? this.dqValue(line) : line.replaceAll("''", "'");
      if (isFirst) out = piece;
      else out += (breaks > 0 ? '\n'.repeat(breaks) : ' ') + piece;
      breaks = 0;
    }
    return out;
  }

  /** After a closing quote: only spaces and a comment may follow. */
  private afterScalar(i: number, e: number): void {
    const t = this.text;
    const j = i;
    while (i < e && t.charCodeAt(i) === 32) i++;
    if (i < e && t.charCodeAt(i) === 9) refuse('tab');
    if (i < e && !(t.charCodeAt(i) === 35 && i > j)) refuse('text after a quoted scalar');
  }

  /** `|` or `>` with optional chomping indicator; content lines are more indented than `parent`. */
  private blockScalar(parent: number, li: number, vs: number, e: number): string {
    const t = this.text;
    const style = t[vs];
    let i = vs + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    if (t[i] === '-') {
      chomp = 'strip';
      i++;
    } else if (t[i] === '+') {
      chomp = 'keep';
      i++;
    }
    if (i < e && t.charCodeAt(i) !== 32) refuse('block scalar header');
    while (i < e && t.charCodeAt(i) === 32) i++;
    if (i < e && t.charCodeAt(i) !== 35) refuse('block scalar header');
    // content
    let cur = li + 1;
    let indent = -1;
    const lines: string[] = [];
    for (; cur < this.starts.length; cur++) {
      const ls = this.starts[cur] ?? 0;
      const le = this.ends[cur] ?? 0;
      let k = ls;
      while (k < le && t.charCodeAt(k) === 32) k++;
      if (k === le) {
        if (le > ls) refuse('white space line in block scalar');
        lines.push('');
        continue;
      }
      if (t.charCodeAt(k) === 9 && (indent < 0 || k - ls < indent)) refuse('tab');
      const ind = k - ls;
      if (indent < 0) {
        if (ind <= parent) break;
        indent = ind;
      } else if (ind < indent) {
        break;
      }
      if (ind === 0 && this.isDocMarker(cur)) break;
      lines.push(t.slice(ls + indent, le));
    }
    this.li = cur;
    // trailing empty lines
    let last = lines.length;
    while (last > 0 && lines[last - 1] === '') last--;
    const trailing = lines.length - last;
    const body = lines.slice(0, last);
    let text: string;
    if (style === '|') {
      text = body.join('\n');
    } else {
      if (body.some((l) => l.startsWith(' ') || l.startsWith('\t')))
        refuse('more-indented line in folded scalar');
      text = foldWithEmptyLines(body);
    }
    if (body.length === 0) refuse('empty block scalar');
    if (chomp === 'strip') return text;
    if (chomp === 'clip') return text + '\n';
    return text + '\n' + '\n'.repeat(trailing);
  }
}

/** Folded block scalar content (no more-indented lines): n empty lines between content → n newlines. */
function foldWithEmptyLines(body: readonly string[]): string {
  let out = '';
  let empties = 0;
  let started = false;
  for (const line of body) {
    if (line === '') {
      empties++;
      continue;
    }
    if (!started) {
      out = '\n'.repeat(empties) + line;
      started = true;
    } else {
      out += empties > 0 ? '\n'.repeat(empties) + line : ' ' + line;
    }
    empties = 0;
  }
  return out;
}

/** Single-line flow collections: `[a, "b"]`, `{k: v, x: [1]}`, `{}`, `[]`. */
class FlowReader {
  private readonly t: string;
  private i: number;
  private readonly e: number;
  /** The block reader, in locate mode only: flow entries report their positions to it. */
  private readonly tracker: Reader | undefined;
  /** Flow collections open (see MAX_DEPTH). */
  private depth = 0;

  constructor(t: string, s: number, e: number, tracker: Reader | undefined) {
    this.t = t;
    this.i = s;
    this.e = e;
    this.tracker = tracker;
    // Tabs separate flow entries in go-yaml; the general reader handles them.
    const tab = t.indexOf('\t', s);
    if (tab >= 0 && tab < e) refuse('tab');
  }

  private ws(): void {
    while (this.i < this.e && this.t.charCodeAt(this.i) === 32) this.i++;
  }

  end(): void {
    this.ws();
    if (this.i < this.e && this.t.charCodeAt(this.i) !== 35) refuse('text after a flow collection');
    if (this.i < this.e && this.t.charCodeAt(this.i - 1) !== 32) refuse('comment');
  }

  value(): unknown {
    this.ws();
    const c = this.t[this.i];
    if (c === '[') return this.seq();
    if (c === '{') return this.map();
    if (c === '"' || c === "'") return this.quoted(c);
    return plainValue(this.plain());
  }

  private quoted(q: string): string {
    const t = this.t;
    const s = this.i;
    let i = s + 1;
    for (; i < this.e; i++) {
      const c = t[i];
      if (q === '"' && c === '\\') i++;
      else if (c === q) {
        if (q === "'" && t[i + 1] === "'") i++;
        else break;
      }
    }
    if (i >= this.e) refuse('multi-line flow');
    this.i = i + 1;
    const raw = t.slice(s + 1, i);
    if (q === "'") return raw.replaceAll("''", "'");
    if (raw.includes('\\')) {
      try {
        return JSON.parse(`"${raw}"`) as string;
      } catch {
        refuse('escape');
      }
    }
    return raw;
  }

  private plain(): string {
    const t = this.t;
    const s = this.i;
    const c = t[s] ?? '';
    if (INDICATORS.has(c) || c === '-' || c === '') refuse('flow plain scalar');
    let i = s;
    while (i < this.e) {
      const ch = t[i];
      if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}') break;
      if (ch === ':' && (i + 1 >= this.e || /[ ,[\]{}]/.test(t[i + 1] ?? ''))) break;
      if (ch === '#' && t[i - 1] === ' ') refuse('comment in flow');
      i++;
    }
    this.i = i;
    let end = i;
    while (end > s && t.charCodeAt(end - 1) === 32) end--;
    return t.slice(s, end);
  }

  private seq(): unknown[] {
    if (++this.depth > MAX_DEPTH) refuse('depth');
    const out = this.seqItems();
    this.depth--;
    return out;
  }

  private seqItems(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.t[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      this.tracker?.push(out.length, this.i);
      const v = this.value();
      this.tracker?.pop();
      this.ws();
      if (this.t[this.i] === ':') refuse('pair in flow sequence');
      out.push(v);
      const c = this.t[this.i];
      this.i++;
      if (c === ']') return out;
      if (c !== ',') refuse('flow sequence');
      this.ws();
      if (this.t[this.i] === ']') {
        this.i++;
        return out;
      }
    }
  }

  private map(): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) refuse('depth');
    const out = this.mapEntries();
    this.depth--;
    return out;
  }

  private mapEntries(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.t[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const kc = this.t[this.i];
      const key = kc === '"' || kc === "'" ? this.quoted(kc) : plainKey(this.plain());
      this.ws();
      if (this.t[this.i] !== ':') refuse('flow key without value');
      this.i++;
      if (this.i < this.e && !/[ ,[\]{}]/.test(this.t[this.i] ?? '')) refuse('flow colon');
      this.ws();
      let v: unknown = null;
      const c = this.t[this.i];
      this.tracker?.push(key, this.i);
      if (c !== ',' && c !== '}') v = this.value();
      this.tracker?.pop();
      if (key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(out, key))
        refuse('key');
      out[key] = v;
      this.ws();
      const d = this.t[this.i];
      this.i++;
      if (d === '}') return out;
      if (d !== ',') refuse('flow mapping');
      this.ws();
      if (this.t[this.i] === '}') {
        this.i++;
        return out;
      }
    }
  }
}

/**
 * Reads every document of `text`, or returns undefined when the text is outside the subset (or not
 * valid YAML). Never throws.
 */
export function fastYamlDocuments(text: string): FastDocument[] | undefined {
  try {
    const reader = new Reader(text);
    const docs = reader.documents();
    let tracker: Reader | undefined;
    return docs.map((d) => ({
      value: d.value,
      locate(path: FieldPath): number {
        // Object positions are asked for every object: answer those without reading again.
        if (d.json !== undefined) return d.json.locate(path);
        if (path.length === 0) return reader.lineStart(d.line) + indentAt(text, reader.lineStart(d.line));
        if (
          path.length === 2 &&
          path[0] === 'items' &&
          typeof path[1] === 'number' &&
          d.items?.[path[1]] !== undefined
        ) {
          return d.items[path[1]] ?? 0;
        }
        try {
          tracker ??= new Reader(text);
          return tracker.locate(d.line, path);
        } catch {
          return reader.lineStart(d.line);
        }
      },
    }));
  } catch (e) {
    if (e instanceof Refuse) return undefined;
    if (e instanceof RangeError) return undefined; // e.g. stack exhaustion on absurd nesting
    throw e;
  }
}

function indentAt(text: string, s: number): number {
  let i = s;
  while (text.charCodeAt(i) === 32) i++;
  return i - s;
}
