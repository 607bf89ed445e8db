/**
 * JSON manifests at `JSON.parse` speed: one value, or a stream of values the way kubectl's decoder
 * (apimachinery's YAMLOrJSONDecoder) reads a stream that starts with `{`: values one after another
 * (`{…}{…}`, or one a line as `jq -c` prints them). Positions are found only when asked, by scanning
 * the text along the path (`json-locate.ts`), so valid input pays nothing for them.
 */
import type { FieldPath } from './documents.ts';
import { jsonArrayOffsets, jsonErrorOffset, locateJson, skipValue } from './json-locate.ts';

/** Where paths of one JSON value (the text between `start` and `end`) sit, found lazily. */
export class JsonLocator {
  private readonly text: string;
  private readonly start: number;
  private readonly end: number;
  private slice: string | undefined;
  /** Offsets (in `slice`) of the root `items` entries: every List item's position is asked for. */
  private items: number[] | undefined;

  constructor(text: string, start: number, end: number) {
    this.text = text;
    this.start = start;
    this.end = end;
  }

  /** Offset in the whole text of the value at `path`, or of its deepest existing ancestor. */
  locate(path: FieldPath): number {
    if (path.length === 0) return this.start;
    this.slice ??=
      this.start === 0 && this.end === this.text.length ? this.text : this.text.slice(this.start, this.end);
    const slice = this.slice;
    if (path.length >= 2 && path[0] === 'items' && typeof path[1] === 'number') {
      this.items ??= jsonArrayOffsets(slice, ['items']);
      const item = this.items[path[1]];
      if (item !== undefined) {
        if (path.length === 2) return this.start + item;
        const itemEnd = this.items[path[1] + 1] ?? slice.length;
        return this.start + item + locateJson(slice.slice(item, itemEnd), path.slice(2));
      }
    }
    return this.start + locateJson(slice, path);
  }
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export function skipJsonSpace(text: string, i: number): number {
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

export interface JsonFailure {
  /** Offset of the syntax error in the whole text. */
  readonly offset: number;
  /** The engine's message without its own (engine-specific) position. */
  readonly message: string;
}

/** A syntax error of the JSON text between `start` and `end`, positioned (computed only now). */
export function jsonFailure(text: string, start: number, end: number, error: unknown): JsonFailure {
  const raw = error instanceof Error ? error.message : String(error);
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  const message = raw
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*(?:in JSON )?at position \d+/, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON$/, '');
  return { offset: start + jsonErrorOffset(slice), message };
}

export interface JsonValue {
  readonly value: unknown;
  readonly locator: JsonLocator;
}

export type JsonRead =
  | { readonly kind: 'values'; readonly values: readonly JsonValue[] }
  | {
      /** Values read before the stream stopped being JSON, and where and why it stopped. */
      readonly kind: 'stopped';
      readonly values: readonly JsonValue[];
      /** Computed when asked: finding the offset costs a scan, and a YAML text starting with `{` never needs it. */
      readonly failure: () => JsonFailure;
      /** Where the first value ended (white space up to the next line break skipped): kubectl reads on as YAML from here when only one value came before. */
      readonly resume: number;
    };

/**
 * Reads `text` as JSON: first as one value (one JSON.parse), else as a stream of values as kubectl's
 * decoder does. Never throws.
 */
export function readJsonText(text: string): JsonRead {
  try {
    return {
      kind: 'values',
      values: [
        { value: JSON.parse(text), locator: new JsonLocator(text, skipJsonSpace(text, 0), text.length) },
      ],
    };
  } catch (e) {
    return readStream(text, e);
  }
}

function readStream(text: string, wholeError: unknown): JsonRead {
  const values: JsonValue[] = [];
  let resume = 0;
  let i = skipJsonSpace(text, 0);
  while (i < text.length) {
    const end = skipValue(text, i);
    let value: unknown;
    try {
      value = JSON.parse(text.slice(i, end));
    } catch (e) {
      // The first value broken: the whole text's error says it best (its offset is in the text).
      const start = i;
      const failure = (): JsonFailure =>
        values.length === 0
          ? jsonFailure(text, 0, text.length, wholeError)
          : jsonFailure(text, start, end, e);
      return { kind: 'stopped', values, failure, resume };
    }
    values.push({ value, locator: new JsonLocator(text, i, end) });
    if (values.length === 1) resume = afterFirstLineBreak(text, end);
    i = skipJsonSpace(text, end);
  }
  return { kind: 'values', values };
}

const DOCUMENT_START = /---\r?\n/y;
/**
 * What go-yaml reads otherwise than JSON.parse, for the YAML reader to handle: characters it refuses
 * (kubectl-yaml.ts NOT_YAML_CHAR), the BOM, and NEL, LS and PS, which are line breaks to go-yaml (a
 * quoted string folds them to a space).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_PLAIN_JSON_DOCUMENT = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
/**
 * Numbers go-yaml reads otherwise than JSON.parse: past a double's range JSON.parse says Infinity (or
 * 0) where go-yaml keeps the text as a string. Rare enough to leave to the YAML reader.
 */
// A number token (after `:`, `,` or `[`): `e123` inside a string (a hash in a label) is not one.
const OUT_OF_RANGE_NUMBER = /[:,[]\s*-?\d+(?:\.\d+)?[eE][-+]?\d{3}|\d{300}/;

/**
 * A YAML document that is JSON, read by JSON.parse: go-yaml gives valid JSON the same values. Undefined
 * when it is not JSON, or holds what the two read differently (control characters go-yaml refuses,
 * numbers out of range).
 */
export function parseJsonDocument(slice: string): { value: unknown } | undefined {
  if (NOT_PLAIN_JSON_DOCUMENT.test(slice) || OUT_OF_RANGE_NUMBER.test(slice)) return undefined;
  try {
    return { value: JSON.parse(slice) };
  } catch {
    return undefined;
  }
}

/**
 * The rest of a text, from `from`, when it is JSON documents each after a `---` line (`kubectl get -o
 * json` objects joined the way people join them): one JSON.parse each, no YAML reading. go-yaml reads
 * a JSON document to the same values, so this is only a shortcut; undefined whenever the rest has any
 * other shape (comments, `...`, indentation, YAML, control characters), and the YAML reader decides.
 */
export function readJsonDocuments(text: string, from: number): JsonValue[] | undefined {
  const values: JsonValue[] = [];
  let i = from;
  while (skipJsonSpace(text, i) < text.length) {
    DOCUMENT_START.lastIndex = i;
    if (!DOCUMENT_START.test(text)) return undefined;
    const start = DOCUMENT_START.lastIndex;
    const c = text.charCodeAt(start);
    if (c !== 0x7b && c !== 0x5b) return undefined;
    // A JSON string holds no line break, so a line starting with `---` ends the document.
    const marker = text.indexOf('\n---', start);
    const end = marker < 0 ? text.length : marker + 1;
    const doc = parseJsonDocument(text.slice(start, end));
    if (doc === undefined) return undefined;
    values.push({ value: doc.value, locator: new JsonLocator(text, start, end) });
    i = end;
  }
  return values;
}

/** kubectl's `consumeWhitespace`: white space after a value, up to and including the first line break. */
function afterFirstLineBreak(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) return i + 1;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0b && c !== 0x0c) return i;
    i++;
  }
  return i;
}
