/**
 * Finds where a field path sits in JSON text without building a position map: one forward scan that
 * skips every value off the path. Used only when a message needs a position, so the common case
 * (valid input) pays nothing. The text is known to be valid JSON (JSON.parse accepted it).
 */
import type { FieldPath } from './documents.ts';

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Index just past the string starting at `i` (which is a '"'). */
function skipString(text: string, i: number): number {
  i++;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    let bs = 0;
    for (let k = q - 1; k >= i && text.charCodeAt(k) === 0x5c; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** A run of characters that are neither quotes nor brackets. */
const PLAIN_RUN = /[^"{}[\]]*/y;

/**
 * Index just past the value starting at `i`: bracket counting outside strings, the text's end when a
 * bracket or string is left open. It does not validate (JSON.parse does). Char codes and a sticky
 * regular expression, not one-character strings: it scans megabytes.
 */
export function skipValue(text: string, i: number): number {
  const n = text.length;
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    while (i < n) {
      // Jump to the next quote or bracket natively (a sticky regex's test allocates nothing).
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(text);
      i = PLAIN_RUN.lastIndex;
      if (i >= n) return n;
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i = skipString(text, i);
        continue;
      }
      if (ch === 0x7b || ch === 0x5b) depth++;
      else if (ch === 0x7d || ch === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < n) {
    const ch = text.charCodeAt(i);
    // A scalar ends at white space or a structural character (a stream may hold `1{}`).
    if (
      ch === 0x2c ||
      ch === 0x5d ||
      ch === 0x7d ||
      ch === 0x5b ||
      ch === 0x7b ||
      ch === 0x22 ||
      ch === 0x20 ||
      ch === 0x0a ||
      ch === 0x0d ||
      ch === 0x09
    )
      break;
    i++;
  }
  return i;
}

/** Offsets of the elements of the array at `path` (empty when there is none), in one scan. */
export function jsonArrayOffsets(text: string, path: FieldPath): number[] {
  const start = locateJson(text, path);
  if (text[start] !== '[') return [];
  const out: number[] = [];
  let j = skipWs(text, start + 1);
  while (j < text.length && text[j] !== ']') {
    out.push(j);
    j = skipWs(text, skipValue(text, j));
    if (text[j] === ',') j = skipWs(text, j + 1);
    else break;
  }
  return out;
}

/** Offset of the value at `path`, or of the deepest enclosing value that exists. */
export function locateJson(text: string, path: FieldPath): number {
  let i = skipWs(text, 0);
  for (const seg of path) {
    const c = text[i];
    if (c === '{' && typeof seg === 'string') {
      let j = skipWs(text, i + 1);
      let found = -1;
      while (j < text.length && text[j] === '"') {
        const end = skipString(text, j);
        const raw = text.slice(j, end);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        j = skipWs(text, end);
        j = skipWs(text, j + 1); // past ':'
        if (key === seg) {
          found = j;
          break;
        }
        j = skipWs(text, skipValue(text, j));
        if (text[j] === ',') j = skipWs(text, j + 1);
      }
      if (found < 0) return i;
      i = found;
    } else if (c === '[' && typeof seg === 'number') {
      let j = skipWs(text, i + 1);
      let k = 0;
      while (k < seg && j < text.length && text[j] !== ']') {
        j = skipWs(text, skipValue(text, j));
        if (text[j] === ',') j = skipWs(text, j + 1);
        k++;
      }
      if (k < seg || text[j] === ']') return i;
      i = j;
    } else {
      return i;
    }
  }
  return i;
}

class SyntaxAt extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super(`JSON syntax error at ${offset}`);
    this.offset = offset;
  }
}

/**
 * Offset of the first syntax error in `text` (which JSON.parse rejected), for messages whose engine
 * gives no position. A validator over the JSON grammar with an explicit stack, not recursion: a file of
 * `[[[[…` nested tens of thousands deep must get a position, not a stack overflow.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxAt(i);
  };
  const ws = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const str = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const n = text[i + 1] ?? '';
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail();
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(n) || n === '') {
          i++;
          fail();
        }
        i += 2;
        continue;
      }
      i++;
    }
  };
  /** A scalar (string, number, literal) at i, or an opening bracket pushed on `open`. */
  const open: string[] = [];
  const begin = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      open.push('}');
      key();
      return;
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      open.push(']');
      return; // the caller reads the first element
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/.exec(
      text.slice(i, i + 400),
    );
    if (!m) fail();
    i += m?.[0].length ?? 0;
  };
  /** `"key":` inside an object; the value follows. */
  const key = (): void => {
    ws();
    if (text[i] !== '"') fail();
    str();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  try {
    for (;;) {
      const depth = open.length;
      begin();
      // A container was opened: read its first value next.
      if (open.length > depth) continue;
      // A value ended: close containers or move to the next member.
      for (;;) {
        const closer = open[open.length - 1];
        if (closer === undefined) {
          ws();
          if (i < text.length) fail();
          return i;
        }
        ws();
        if (text[i] === ',') {
          i++;
          if (closer === '}') key();
          break;
        }
        if (text[i] === closer) {
          i++;
          open.pop();
          continue;
        }
        fail();
      }
    }
  } catch (e) {
    if (e instanceof SyntaxAt) return e.offset;
    throw e;
  }
}
