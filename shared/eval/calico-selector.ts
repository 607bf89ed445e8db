/**
 * Calico's selector language (projectcalico.org/v3 `selector`, `namespaceSelector`, ...), parsed into
 * a small tree and matched against label maps. Written from Calico's "Selectors" reference:
 *
 *   k == 'v'   k != 'v'   k in {'a', 'b'}   k not in {...}   has(k)   !has(k)
 *   k contains 's'   k starts with 's'   k ends with 's'   all()   global()
 *   a && b   a || b   !a   (a)
 *
 * `!=` and `not in` also match a label that is absent (Calico's documented meaning: "not equal" is
 * the negation of `==`). `global()` matches only non-namespaced objects (GlobalNetworkSets, host
 * endpoints), never a pod. An empty selector matches everything, as Calico reads an omitted policy
 * selector as `all()`.
 *
 * Matching is three-valued: a label whose value netglass cannot know (service account labels,
 * unread namespace labels) makes the leaves that read it `unknown`, and `!`, `&&`, `||` combine as in
 * Kleene's logic, so a selector is `unknown` only when the answer truly depends on such a label.
 */
import type { Labels } from '../model/snapshot.ts';

export type CalicoSelectorNode =
  | { readonly op: 'all' }
  | { readonly op: 'global' }
  | { readonly op: 'has'; readonly key: string }
  | { readonly op: '=='; readonly key: string; readonly value: string }
  | { readonly op: '!='; readonly key: string; readonly value: string }
  | { readonly op: 'in'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'not in'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'contains' | 'starts with' | 'ends with'; readonly key: string; readonly value: string }
  | { readonly op: '!'; readonly operand: CalicoSelectorNode }
  | { readonly op: '&&' | '||'; readonly left: CalicoSelectorNode; readonly right: CalicoSelectorNode };

export interface CalicoSelectorError {
  readonly message: string;
  /** 1-based column in the selector text. */
  readonly column: number;
}

export type CalicoSelectorParse =
  | { readonly ok: true; readonly selector: CalicoSelectorNode }
  | { readonly ok: false; readonly error: CalicoSelectorError };

type Token =
  | { readonly t: 'ident'; readonly v: string; readonly at: number }
  | { readonly t: 'string'; readonly v: string; readonly at: number }
  | { readonly t: 'sym'; readonly v: string; readonly at: number }
  | { readonly t: 'end'; readonly at: number };

class SelectorSyntaxError extends Error {
  readonly column: number;
  constructor(message: string, at: number) {
    super(message);
    this.column = at + 1;
  }
}

// Label keys: an optional DNS prefix and a slash, then name characters (Calico is lenient here too).
const IDENT = /[A-Za-z0-9_./-]/;
const SYMBOLS = ['==', '!=', '&&', '||', '!', '(', ')', '{', '}', ','];

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new SelectorSyntaxError(`unterminated string: no closing ${ch}`, i);
      out.push({ t: 'string', v: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const sym = SYMBOLS.find((s) => text.startsWith(s, i));
    if (sym) {
      out.push({ t: 'sym', v: sym, at: i });
      i += sym.length;
      continue;
    }
    if (IDENT.test(ch)) {
      let j = i;
      while (j < text.length && IDENT.test(text[j] ?? '')) j++;
      out.push({ t: 'ident', v: text.slice(i, j), at: i });
      i = j;
      continue;
    }
    if (ch === '=') throw new SelectorSyntaxError('unexpected "=": Calico compares with "==" (or "!=")', i);
    throw new SelectorSyntaxError(`unexpected character ${JSON.stringify(ch)}`, i);
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

class Parser {
  readonly #tokens: Token[];
  #pos = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  get #peek(): Token {
    return this.#tokens[this.#pos] ?? { t: 'end', at: 0 };
  }

  #next(): Token {
    const t = this.#peek;
    if (t.t !== 'end') this.#pos++;
    return t;
  }

  #isSym(v: string): boolean {
    const t = this.#peek;
    return t.t === 'sym' && t.v === v;
  }

  #expectSym(v: string, what: string): void {
    const t = this.#next();
    if (t.t !== 'sym' || t.v !== v)
      throw new SelectorSyntaxError(`expected "${v}" ${what}, got ${show(t)}`, t.at);
  }

  parseAll(): CalicoSelectorNode {
    const node = this.#or();
    const t = this.#peek;
    if (t.t !== 'end')
      throw new SelectorSyntaxError(`unexpected ${show(t)}: join expressions with "&&" or "||"`, t.at);
    return node;
  }

  #or(): CalicoSelectorNode {
    let left = this.#and();
    while (this.#isSym('||')) {
      this.#next();
      left = { op: '||', left, right: this.#and() };
    }
    return left;
  }

  #and(): CalicoSelectorNode {
    let left = this.#unary();
    while (this.#isSym('&&')) {
      this.#next();
      left = { op: '&&', left, right: this.#unary() };
    }
    return left;
  }

  #unary(): CalicoSelectorNode {
    if (this.#isSym('!')) {
      this.#next();
      return { op: '!', operand: this.#unary() };
    }
    return this.#primary();
  }

  #string(what: string): string {
    const t = this.#next();
    if (t.t !== 'string')
      throw new SelectorSyntaxError(`expected a quoted string ${what}, got ${show(t)}`, t.at);
    return t.v;
  }

  #primary(): CalicoSelectorNode {
    const t = this.#next();
    if (t.t === 'sym' && t.v === '(') {
      const inner = this.#or();
      this.#expectSym(')', 'to close "("');
      return inner;
    }
    if (t.t !== 'ident') throw new SelectorSyntaxError(`expected a label expression, got ${show(t)}`, t.at);
    if ((t.v === 'all' || t.v === 'global' || t.v === 'has') && this.#isSym('(')) {
      this.#next();
      if (t.v === 'has') {
        const k = this.#next();
        if (k.t !== 'ident')
          throw new SelectorSyntaxError(`expected a label key in has(), got ${show(k)}`, k.at);
        this.#expectSym(')', 'after the key of has()');
        return { op: 'has', key: k.v };
      }
      this.#expectSym(')', `after ${t.v}(`);
      return { op: t.v === 'all' ? 'all' : 'global' };
    }
    const key = t.v;
    const op = this.#next();
    if (op.t === 'sym' && (op.v === '==' || op.v === '!='))
      return { op: op.v, key, value: this.#string(`after ${op.v}`) };
    if (op.t === 'ident') {
      if (op.v === 'in') return { op: 'in', key, values: this.#set() };
      if (op.v === 'contains') return { op: 'contains', key, value: this.#string('after contains') };
      const second = this.#peek;
      if (op.v === 'not' && second.t === 'ident' && second.v === 'in') {
        this.#next();
        return { op: 'not in', key, values: this.#set() };
      }
      if ((op.v === 'starts' || op.v === 'ends') && second.t === 'ident' && second.v === 'with') {
        this.#next();
        const which = op.v === 'starts' ? 'starts with' : 'ends with';
        return { op: which, key, value: this.#string(`after ${which}`) };
      }
    }
    throw new SelectorSyntaxError(
      `expected an operator after ${JSON.stringify(key)} (==, !=, in, not in, contains, starts with, ends with), got ${show(op)}`,
      op.at,
    );
  }

  #set(): string[] {
    this.#expectSym('{', 'to open the set of values');
    const values: string[] = [];
    if (this.#isSym('}')) {
      this.#next();
      return values;
    }
    for (;;) {
      values.push(this.#string('in the set'));
      const t = this.#next();
      if (t.t === 'sym' && t.v === '}') return values;
      if (t.t !== 'sym' || t.v !== ',')
        throw new SelectorSyntaxError(`expected "," or "}" in the set, got ${show(t)}`, t.at);
    }
  }
}

function show(t: Token): string {
  switch (t.t) {
    case 'end':
      return 'the end of the selector';
    case 'string':
      return `the string ${JSON.stringify(t.v)}`;
    case 'ident':
    case 'sym':
      return JSON.stringify(t.v);
  }
}

const parsed = new Map<string, CalicoSelectorParse>();

/** Parses a selector; errors give the column. Results are cached (selectors repeat across policies). */
export function parseCalicoSelector(text: string): CalicoSelectorParse {
  const cached = parsed.get(text);
  if (cached) return cached;
  let result: CalicoSelectorParse;
  try {
    const tokens = tokenize(text);
    result =
      tokens.length === 1
        ? { ok: true, selector: { op: 'all' } }
        : { ok: true, selector: new Parser(tokens).parseAll() };
  } catch (e) {
    if (!(e instanceof SelectorSyntaxError)) throw e;
    result = { ok: false, error: { message: e.message, column: e.column } };
  }
  if (parsed.size > 10_000) parsed.clear();
  parsed.set(text, result);
  return result;
}

/** A three-valued truth: `unknown` when the answer depends on a label netglass cannot know. */
export type Tri = boolean | 'unknown';

export interface MatchContext {
  /** The object is cluster-scoped (a GlobalNetworkSet): what `global()` matches. */
  readonly global?: boolean;
  /** Keys whose values are unknown (absent from `labels` does not mean absent from the object). */
  readonly unknownKey?: (key: string) => boolean;
}

function not(a: Tri): Tri {
  return a === 'unknown' ? 'unknown' : !a;
}

/** Matches a parsed selector against labels. */
export function matchCalicoSelector(node: CalicoSelectorNode, labels: Labels, ctx: MatchContext = {}): Tri {
  const leaf = (key: string, test: (v: string | undefined) => boolean): Tri =>
    ctx.unknownKey?.(key) ? 'unknown' : test(Object.hasOwn(labels, key) ? labels[key] : undefined);
  switch (node.op) {
    case 'all':
      return true;
    case 'global':
      return ctx.global === true;
    case 'has':
      return leaf(node.key, (v) => v !== undefined);
    case '==':
      return leaf(node.key, (v) => v === node.value);
    case '!=':
      return leaf(node.key, (v) => v !== node.value);
    case 'in':
      return leaf(node.key, (v) => v !== undefined && node.values.includes(v));
    case 'not in':
      return leaf(node.key, (v) => v === undefined || !node.values.includes(v));
    case 'contains':
      return leaf(node.key, (v) => v !== undefined && v.includes(node.value));
    case 'starts with':
      return leaf(node.key, (v) => v !== undefined && v.startsWith(node.value));
    case 'ends with':
      return leaf(node.key, (v) => v !== undefined && v.endsWith(node.value));
    case '!':
      return not(matchCalicoSelector(node.operand, labels, ctx));
    case '&&': {
      const a = matchCalicoSelector(node.left, labels, ctx);
      if (a === false) return false;
      const b = matchCalicoSelector(node.right, labels, ctx);
      if (b === false) return false;
      return a === true && b === true ? true : 'unknown';
    }
    case '||': {
      const a = matchCalicoSelector(node.left, labels, ctx);
      if (a === true) return true;
      const b = matchCalicoSelector(node.right, labels, ctx);
      if (b === true) return true;
      return a === false && b === false ? false : 'unknown';
    }
  }
}

/** The label keys a selector reads. */
export function* calicoSelectorKeys(node: CalicoSelectorNode): Generator<string> {
  switch (node.op) {
    case 'all':
    case 'global':
      return;
    case '!':
      yield* calicoSelectorKeys(node.operand);
      return;
    case '&&':
    case '||':
      yield* calicoSelectorKeys(node.left);
      yield* calicoSelectorKeys(node.right);
      return;
    case 'has':
    case '==':
    case '!=':
    case 'in':
    case 'not in':
    case 'contains':
    case 'starts with':
    case 'ends with':
      yield node.key;
  }
}

/** Whether a selector mentions `global()` anywhere (it then may match cluster-scoped objects). */
export function mentionsGlobal(node: CalicoSelectorNode): boolean {
  switch (node.op) {
    case 'global':
      return true;
    case '!':
      return mentionsGlobal(node.operand);
    case '&&':
    case '||':
      return mentionsGlobal(node.left) || mentionsGlobal(node.right);
    case 'all':
    case 'has':
    case '==':
    case '!=':
    case 'in':
    case 'not in':
    case 'contains':
    case 'starts with':
    case 'ends with':
      return false;
  }
}
