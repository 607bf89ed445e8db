/**
 * YAML read as kubectl reads it. kubectl (1.34) splits the stream on `---` lines, converts each
 * document to JSON with sigs.k8s.io/yaml over go-yaml v2 (non-strict) and sends that JSON. So:
 * YAML 1.1 scalars (`resolveKubectl`), `<<` merge keys applied in order (a later merge overrides an
 * earlier key), duplicate keys silently last-wins (the API server's strict duplicate-field check never
 * sees them: kubectl sends the converted JSON), keys converted to JSON strings, `.inf`/`.nan` values
 * and null keys refused (they have no JSON form), a BOM skipped at the start of every document, and
 * CR, NEL, LS and PS taken as line breaks. The `yaml` package supplies the syntax tree; this module
 * turns it into values with those rules. The fast reader (fast-yaml.ts) gives the same values or
 * refuses.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { jsonKey, resolveKubectl, type Resolved } from './fast-yaml.ts';

/** A document kubectl refuses, with the offset of the node at fault. */
export class KubectlYamlError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** A duplicate key: kubectl keeps the last value, silently; netglass says so. */
export interface DuplicateKey {
  readonly key: string;
  readonly offset: number;
}

/**
 * The text as go-yaml's scanner sees it, offsets kept: lone CR, NEL, LS and PS become line feeds
 * (go-yaml breaks lines on them; the `yaml` package does not), and a BOM right after a `---` line is
 * dropped (kubectl starts a fresh decoder there, which skips it). Line numbers count every break.
 */
export function kubectlText(text: string): string {
  let out = text;
  if (/[\r\u0085\u2028\u2029]/.test(out)) out = out.replace(/\r(?!\n)|[\u0085\u2028\u2029]/g, '\n');
  if (out.includes('\ufeff')) out = out.replace(/(^|\n)(---[ \t]*(?:#[^\n]*)?\r?\n)\ufeff/g, '$1$2');
  return out;
}

const OUTPUT_NODE_LIMIT = 1_000_000;
const ALIAS_LIMIT = 10_000;

interface Entry {
  /** The Go map key's identity: int 1, float 1 and string "1" are three keys that share a JSON form. */
  readonly id: string;
  readonly value: unknown;
}

function startOf(node: unknown): number {
  const range = (node as { range?: readonly number[] } | null)?.range;
  return range?.[0] ?? 0;
}

/** A scalar's value as text, for the rare values the `yaml` package does not keep as a primitive. */
function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

function plainSource(node: Scalar): string {
  return typeof node.source === 'string' ? node.source : scalarText(node.value);
}

function isUntaggedPlain(node: unknown): boolean {
  return isScalar(node) && node.type === Scalar.PLAIN && node.tag === undefined;
}

/** The Go value of a scalar key, as go-yaml resolves it (tagged and quoted keys are strings). */
function resolvedKey(node: Scalar): Resolved {
  if (node.type === Scalar.PLAIN && node.tag === undefined) return resolveKubectl(plainSource(node));
  const v = node.value;
  if (typeof v === 'string' || typeof v === 'boolean') return { value: v, float: false };
  if (typeof v === 'number') return { value: v, float: !Number.isInteger(v) };
  if (v === null) return { value: null, float: false };
  return { value: scalarText(v), float: false };
}

/** The JSON key kubectl gives a map key node, or undefined for a key it refuses. */
export function kubectlKeyOf(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  return jsonKey(resolvedKey(node));
}

class Converter {
  private readonly doc: Document.Parsed;
  private produced = 0;
  private aliases = 0;
  readonly duplicates: DuplicateKey[] = [];

  constructor(doc: Document.Parsed) {
    this.doc = doc;
  }

  value(node: unknown): unknown {
    if (++this.produced > OUTPUT_NODE_LIMIT)
      throw new KubectlYamlError('the document expands to too many nodes (aliases)', startOf(node));
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.value(this.dereference(node));
    if (isScalar(node)) return this.scalar(node);
    if (isSeq(node)) return node.items.map((item) => this.value(item));
    if (isMap(node)) {
      const entries = new Map<string, Entry>();
      this.mapInto(node, entries);
      return Object.fromEntries([...entries].map(([k, e]) => [k, e.value]));
    }
    throw new KubectlYamlError('unsupported YAML node', startOf(node));
  }

  private dereference(node: YamlNode): unknown {
    if (++this.aliases > ALIAS_LIMIT)
      throw new KubectlYamlError('the document uses too many aliases', startOf(node));
    const target = isAlias(node) ? node.resolve(this.doc) : undefined;
    if (target === undefined) throw new KubectlYamlError('unknown alias', startOf(node));
    return target;
  }

  private scalar(node: Scalar): unknown {
    let v: unknown;
    if (isUntaggedPlain(node)) v = resolveKubectl(plainSource(node)).value;
    else if (node.tag === '!!str' || node.tag === 'tag:yaml.org,2002:str') v = scalarText(node.value);
    else v = node.value;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new KubectlYamlError(
        `${isUntaggedPlain(node) ? plainSource(node) : String(v)} has no JSON form (kubectl refuses the document)`,
        startOf(node),
      );
    }
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Uint8Array || (typeof v === 'object' && v !== null)) return scalarText(node.source);
    return v;
  }

  /** Sets the pairs of a mapping into `out` in order, as go-yaml fills a Go map. */
  private mapInto(node: YamlNode, out: Map<string, Entry>): void {
    if (!isMap(node)) return;
    const own = new Map<string, string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      if (isScalar(keyNode) && isUntaggedPlain(keyNode) && plainSource(keyNode) === '<<') {
        this.merge(pair.value, startOf(keyNode), out);
        continue;
      }
      const keyTarget = isAlias(keyNode) ? this.dereference(keyNode) : keyNode;
      if (!isScalar(keyTarget)) {
        throw new KubectlYamlError('a map key must be a scalar (kubectl: invalid map key)', startOf(keyNode));
      }
      const resolved = resolvedKey(keyTarget);
      const key = jsonKey(resolved);
      if (key === undefined) {
        throw new KubectlYamlError(
          'a null map key has no JSON form (kubectl: unsupported map key)',
          startOf(keyNode),
        );
      }
      const id = `${typeof resolved.value}:${resolved.float ? 'f' : ''}:${scalarText(resolved.value)}`;
      const seen = own.get(key);
      if (seen !== undefined) {
        if (seen !== id) throw this.collision(key, keyNode);
        this.duplicates.push({ key, offset: startOf(keyNode) });
      }
      own.set(key, id);
      const prior = out.get(key);
      if (prior !== undefined && prior.id !== id) throw this.collision(key, keyNode);
      out.set(key, { id, value: this.value(pair.value) });
    }
  }

  private collision(key: string, node: unknown): KubectlYamlError {
    return new KubectlYamlError(
      `two different keys both become "${key}" in JSON (kubectl keeps one of them at random); quote the keys as they are meant`,
      startOf(node),
    );
  }

  /** `<<: map`, `<<: *alias` or `<<: [maps]` (the last first, so earlier ones win), as go-yaml v2. */
  private merge(value: unknown, at: number, out: Map<string, Entry>): void {
    const target = isAlias(value) ? this.dereference(value) : value;
    if (isMap(target)) {
      this.mapInto(target, out);
      return;
    }
    if (isSeq(target)) {
      for (let i = target.items.length - 1; i >= 0; i--) {
        const item = target.items[i];
        const map = isAlias(item) ? this.dereference(item) : item;
        if (!isMap(map)) throw mergeError(startOf(item ?? null) || at);
        this.mapInto(map, out);
      }
      return;
    }
    throw mergeError(startOf(value) || at);
  }
}

function mergeError(offset: number): KubectlYamlError {
  return new KubectlYamlError('a merge key (<<) needs a map or a list of maps', offset);
}

/**
 * The document's value as kubectl reads it, with the duplicate keys it silently resolved; throws
 * KubectlYamlError (with an offset) for what kubectl refuses.
 */
export function kubectlValue(doc: Document.Parsed): { value: unknown; duplicates: DuplicateKey[] } {
  const converter = new Converter(doc);
  try {
    const value = converter.value(doc.contents);
    return { value, duplicates: converter.duplicates };
  } catch (e) {
    if (e instanceof RangeError)
      throw new KubectlYamlError('the document is nested too deeply', startOf(doc.contents));
    throw e;
  }
}

/**
 * Tabs go-yaml refuses where the `yaml` package accepts them: a blank or comment line that starts
 * with a tab ("found a tab character that violates indentation") and a tab after a block sequence's
 * `-` ("found character that cannot start any token"). Lines inside quoted or block scalars are
 * content and left alone. Offsets of the offending tabs, in the whole text.
 */
export function goYamlTabErrors(
  text: string,
  docs: readonly Document.Parsed[],
): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  if (!text.includes('\t')) return out;
  const scalars: [number, number][] = [];
  for (const doc of docs) {
    visit(doc, {
      Scalar(_k, node) {
        if (node.type !== Scalar.PLAIN && node.range) scalars.push([node.range[0], node.range[1]]);
      },
    });
  }
  const inside = (offset: number): boolean => scalars.some(([s, e]) => offset > s && offset < e);
  const re = /^(?:(\t[ \t\r]*(?:#.*)?)$|( *- *)\t)/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const offset = m.index + (m[2]?.length ?? 0);
    if (inside(offset)) continue;
    out.push({
      offset,
      message:
        m[1] !== undefined
          ? 'a tab where go-yaml expects indentation (kubectl: found a tab character that violates indentation)'
          : 'a tab after "-" (kubectl: found character that cannot start any token)',
    });
  }
  return out;
}

/**
 * Characters go-yaml's reader refuses anywhere in a document, comments and quoted text included
 * ("control characters are not allowed"): the C0 controls but TAB, LF and CR, DEL, the C1 controls but
 * NEL, and U+FFFE/U+FFFF. (Lone surrogates, which go-yaml would refuse too, cannot come from UTF-8
 * text.) The `yaml` package takes them; kubectl refuses the document.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_YAML_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/g;

export function goYamlCharErrors(text: string): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  NOT_YAML_CHAR.lastIndex = 0;
  for (let m = NOT_YAML_CHAR.exec(text); m !== null; m = NOT_YAML_CHAR.exec(text)) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    out.push({
      offset: m.index,
      message: `a control character (U+${code}) (kubectl: control characters are not allowed)`,
    });
  }
  return out;
}

/** Whether the text holds a character go-yaml refuses (cheap: one native scan). */
export function hasNonYamlChar(text: string): boolean {
  NOT_YAML_CHAR.lastIndex = 0;
  return NOT_YAML_CHAR.test(text);
}
