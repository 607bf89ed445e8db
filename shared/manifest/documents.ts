/**
 * Manifest text → plain JS documents, each able to say where a field path sits in the text.
 *
 * Three readers, picked per file (and per document):
 * - JSON (`.json`, or text starting with `{`/`[`): `JSON.parse`, of the whole text or, as kubectl's
 *   decoder reads a stream, of each value in turn (`json-documents.ts`). A YAML stream's documents that
 *   are JSON (`---` between `kubectl get -o json` objects) take JSON.parse too, in the fast reader.
 *   Positions are found only when a message needs one, by scanning the text along the path.
 * - Fast YAML (`fast-yaml.ts`): a reader for the block-style subset that kubectl and most hand-written
 *   manifests use; several times faster than a general parser. It refuses anything outside the subset.
 * - The `yaml` package (`parseAllDocuments` with a `LineCounter`): everything else, and every file whose
 *   fast read was refused. It also reports syntax errors with their positions.
 */
import { LineCounter, isMap, isPair, isSeq, parseAllDocuments } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { LoadIssue } from '../model/snapshot.ts';
import { readJsonDocuments, readJsonText, skipJsonSpace } from './json-documents.ts';
import type { JsonFailure, JsonValue } from './json-documents.ts';
import { fastYamlDocuments } from './fast-yaml.ts';
import {
  goYamlCharErrors,
  goYamlTabErrors,
  hasNonYamlChar,
  KubectlYamlError,
  kubectlKeyOf,
  kubectlText,
  kubectlValue,
} from './kubectl-yaml.ts';

export type FieldPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface RawDocument {
  readonly value: unknown;
  /** Where the node at `path` starts, or where its nearest existing ancestor starts. */
  locate(path: FieldPath): Position;
}

export interface ReadResult {
  readonly docs: readonly RawDocument[];
  readonly issues: readonly LoadIssue[];
  /** Which reader produced the documents (for diagnostics and tests). */
  readonly reader: 'json' | 'fast-yaml' | 'yaml' | 'empty';
}

/** Renders a path the way the API server names fields: `spec.ingress[0].ports[1].endPort`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Line starts of a text, computed once and searched by bisection. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

function yamlNodeAt(root: unknown, path: FieldPath): { node: YamlNode | undefined; keyNode?: YamlNode } {
  let node = root as YamlNode | null | undefined;
  let keyNode: YamlNode | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      // The last pair with the key: kubectl keeps the last of duplicate keys.
      const pair = node.items.findLast((p) => isPair(p) && kubectlKeyOf(p.key) === String(seg));
      if (!pair) break;
      keyNode = pair.key as YamlNode;
      if (pair.value === null || pair.value === undefined) {
        node = undefined;
        break;
      }
      node = pair.value as YamlNode;
      keyNode = undefined;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined || item === null) break;
      node = item as YamlNode;
    } else {
      break;
    }
  }
  return { node: node ?? undefined, ...(keyNode ? { keyNode } : {}) };
}

function readYaml(text: string, file: string): ReadResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const docs: RawDocument[] = [];
  const issues: LoadIssue[] = [];
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const list = Array.isArray(parsed) ? parsed : [];
  // Tabs and characters go-yaml refuses: each fails the document it sits in (or the next one, between
  // documents).
  const tabErrors = [...goYamlTabErrors(text, list), ...goYamlCharErrors(text)].sort(
    (a, b) => a.offset - b.offset,
  );
  for (const doc of list) {
    for (const w of doc.warnings) {
      issues.push({
        severity: 'warning',
        message: `YAML: ${firstLine(w.message)}`,
        location: { file, ...at(w.pos[0]) },
      });
    }
    const errors = doc.errors.map((e) => ({
      offset: e.pos[0],
      // The `yaml` package runs out of stack on absurd nesting; say what that means.
      message: /stack/i.test(e.message) ? 'the document is nested too deeply' : firstLine(e.message),
    }));
    while (tabErrors.length > 0 && tabErrors[0]!.offset <= doc.range[2]) errors.push(tabErrors.shift()!);
    if (errors.length > 0) {
      // The first few: a broken deep structure yields one error per level, which helps nobody.
      for (const e of errors.slice(0, 3)) {
        issues.push({
          severity: 'error',
          message: `malformed YAML: ${e.message}; this document was not loaded`,
          location: { file, ...at(e.offset) },
        });
      }
      continue;
    }
    if (doc.contents === null) continue; // empty document (e.g. a trailing `---` or only comments)
    let value: unknown;
    try {
      const read = kubectlValue(doc);
      value = read.value;
      for (const d of read.duplicates) {
        issues.push({
          severity: 'warning',
          message: `duplicate key "${d.key}": kubectl keeps only the last value, and so does netglass`,
          location: { file, ...at(d.offset) },
        });
      }
    } catch (e) {
      const offset = e instanceof KubectlYamlError ? e.offset : (doc.contents.range?.[0] ?? 0);
      issues.push({
        severity: 'error',
        message: `malformed YAML: ${e instanceof Error ? e.message : String(e)}; this document was not loaded`,
        location: { file, ...at(offset) },
      });
      continue;
    }
    if (value === null) continue; // kubectl skips a document that reads as null (`~`, `null`)
    const contents = doc.contents;
    docs.push({
      value,
      locate(path) {
        const { node, keyNode } = yamlNodeAt(contents, path);
        const target = node ?? keyNode;
        const offset = target?.range?.[0] ?? contents.range?.[0] ?? 0;
        return at(offset);
      },
    });
  }
  return { docs, issues, reader: list.length === 0 ? 'empty' : 'yaml' };
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return (nl < 0 ? message : message.slice(0, nl)).replace(/\s+at line \d+, column \d+:?$/, '').trim();
}

export interface ReadOptions {
  /** Skip the fast YAML reader (tests compare both). */
  readonly noFastYaml?: boolean;
}

/**
 * Reads every document of a manifest file. Never throws: whatever goes wrong becomes an error that
 * names the file, so one bad file never fails the others.
 */
export function readDocuments(text: string, file: string, options: ReadOptions = {}): ReadResult {
  try {
    return readAll(text, file, options);
  } catch (e) {
    const reason =
      e instanceof RangeError ? 'it is nested too deeply' : e instanceof Error ? e.message : String(e);
    return {
      docs: [],
      issues: [
        {
          severity: 'error',
          message: `could not read this file: ${reason}; nothing in this file was loaded`,
          location: { file, line: 1, column: 1 },
        },
      ],
      reader: 'yaml',
    };
  }
}

function readAll(text: string, file: string, options: ReadOptions): ReadResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const isJsonFile = /\.json$/i.test(file);
  const first = text.charCodeAt(skipJsonSpace(text, 0));
  if (isJsonFile || first === 0x7b /* { */ || first === 0x5b /* [ */) {
    if (isJsonFile && skipJsonSpace(text, 0) === text.length)
      return { docs: [], issues: [], reader: 'empty' };
    const json = readJsonText(text);
    if (json.kind === 'values') return jsonResult(text, file, json.values, []);
    const { values, failure } = json;
    if (values.length >= 2 || (values.length === 0 && isJsonFile)) {
      // Two values make it a JSON stream for kubectl, whose error is then final.
      return jsonResult(text, file, values, [jsonIssue(text, file, failure(), values.length === 0)]);
    }
    if (values.length === 1) {
      // kubectl reads on as YAML after one JSON value (`{…}` then `---`); if that fails at once, it
      // reports the JSON error. JSON documents between `---` lines need no YAML reader at all.
      const more = options.noFastYaml ? undefined : readJsonDocuments(text, json.resume);
      if (more !== undefined) return jsonResult(text, file, [...values, ...more], []);
      const rest = readYamlText(blankBefore(text, json.resume), file, options);
      const restFailed = rest.docs.length === 0 && rest.issues.some((i) => i.severity === 'error');
      if (restFailed) return jsonResult(text, file, values, [jsonIssue(text, file, failure(), false)]);
      const head = jsonResult(text, file, values, []);
      return { docs: [...head.docs, ...rest.docs], issues: rest.issues, reader: 'json' };
    }
    // Not JSON after all: YAML flow style, or broken; the YAML reader has the final word.
  }
  return readYamlText(text, file, options);
}

function jsonResult(
  text: string,
  file: string,
  values: readonly JsonValue[],
  issues: LoadIssue[],
): ReadResult {
  let index: LineIndex | undefined;
  const docs = values.map((v): RawDocument => ({
    value: v.value,
    locate(path) {
      index ??= new LineIndex(text);
      return index.position(v.locator.locate(path));
    },
  }));
  return { docs, issues, reader: 'json' };
}

function jsonIssue(text: string, file: string, failure: JsonFailure, nothingLoaded: boolean): LoadIssue {
  return {
    severity: 'error',
    message: `malformed JSON: ${failure.message}; ${nothingLoaded ? 'nothing in this file was loaded' : 'the rest of this file was not loaded'}`,
    location: { file, ...new LineIndex(text).position(failure.offset) },
  };
}

/** The text with everything before `end` blanked (line breaks kept, so positions stay right). */
function blankBefore(text: string, end: number): string {
  return text.slice(0, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

function readYamlText(text: string, file: string, options: ReadOptions): ReadResult {
  text = kubectlText(text);
  // Control characters: the general reader reports them, document by document. BOMs inside the text
  // (go-yaml skips one at the start of a line between tokens): the general reader too.
  if (!options.noFastYaml && !hasNonYamlChar(text) && !text.includes('\ufeff')) {
    const fast = fastYamlDocuments(text);
    if (fast !== undefined) {
      let index: LineIndex | undefined;
      return {
        // kubectl skips a document that reads as null (`~`, `null`).
        docs: fast
          .filter((d) => d.value !== null)
          .map((d) => ({
            value: d.value,
            locate(path: FieldPath) {
              index ??= new LineIndex(text);
              return index.position(d.locate(path));
            },
          })),
        issues: [],
        reader: fast.every((d) => d.value === null) ? 'empty' : 'fast-yaml',
      };
    }
  }
  try {
    return readYaml(text, file);
  } catch (e) {
    // The yaml package does not throw on bad input; this guards against the unexpected.
    return {
      docs: [],
      issues: [
        {
          severity: 'error',
          message: `could not read YAML: ${e instanceof Error ? e.message : String(e)}; nothing in this file was loaded`,
          location: { file, line: 1, column: 1 },
        },
      ],
      reader: 'yaml',
    };
  }
}
