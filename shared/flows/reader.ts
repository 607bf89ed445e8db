/**
 * Reads flow files of either format, one chunk at a time: JSON lines (one record per line, the way
 * `hubble observe -o json`, the Hubble exporter and `jq -c` write them), or one JSON document (a
 * Goldmane `List` capture, a Whisker response, an array, a pretty-printed record). Each value is told
 * apart by its shape, so one file may even mix formats. Records go to `onRecord` as they are read;
 * lines that are not records of a known format are errors with their file and line, counted, and do
 * not stop the reading.
 */
import { documentItems, isCalicoShaped, parseCalico } from './calico.ts';
import { isObject } from './fields.ts';
import { isHubbleShaped, parseHubble } from './hubble.ts';
import { LineSplitter } from './lines.ts';
import type {
  FlowFormat,
  FlowLocation,
  FlowReadError,
  FlowReadStats,
  FlowRecord,
  RecordParse,
  SkipReason,
} from './types.ts';

/** Errors kept with their location; the rest are only counted. */
export const MAX_KEPT_ERRORS = 50;

/** Counts over every file read (one per comparison). */
export class FlowReadTally {
  lines = 0;
  readonly records: Record<FlowFormat, number> = { hubble: 0, calico: 0 };
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  errorCount = 0;
  readonly errors: FlowReadError[] = [];

  error(location: FlowLocation, message: string, field?: string): void {
    this.errorCount++;
    if (this.errors.length < MAX_KEPT_ERRORS)
      this.errors.push({ location, message, ...(field !== undefined ? { field } : {}) });
  }

  /** Another tally's counts and kept errors (a part of a file read elsewhere), lines shifted by `lineOffset`. */
  absorb(stats: FlowReadStats, errors: readonly FlowReadError[], lineOffset: number): void {
    this.lines += stats.lines;
    this.records.hubble += stats.records.hubble;
    this.records.calico += stats.records.calico;
    for (const [k, n] of Object.entries(stats.skipped) as [SkipReason, number | undefined][])
      this.skipped[k] = (this.skipped[k] ?? 0) + (n ?? 0);
    for (const e of errors)
      if (this.errors.length < MAX_KEPT_ERRORS)
        this.errors.push({ ...e, location: { file: e.location.file, line: e.location.line + lineOffset } });
    this.errorCount += stats.errorCount;
  }

  stats(): FlowReadStats {
    return {
      lines: this.lines,
      records: { ...this.records },
      skipped: { ...this.skipped },
      errorCount: this.errorCount,
    };
  }
}

export function parseValue(value: unknown): RecordParse {
  if (!isObject(value)) return { kind: 'error', message: 'expected a JSON object (a flow record)' };
  // Calico first: a Goldmane FlowResult wraps its flow in `flow` too, but keyed by `Key`.
  if (isCalicoShaped(value)) return parseCalico(value);
  if (isHubbleShaped(value)) return parseHubble(value);
  return {
    kind: 'error',
    message:
      'not a Hubble flow (no flow, verdict, IP or l4) nor a Calico flow (no Key, source_name or dest_name)',
  };
}

function describeJsonError(e: unknown): string {
  return `not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
}

/** Reads one file (or stdin) pushed in chunks; call `end()` after the last chunk. */
export class FlowReader {
  readonly #file: string;
  readonly #tally: FlowReadTally;
  readonly #onRecord: (record: FlowRecord, location: FlowLocation) => void;
  readonly #lines: LineSplitter;
  /** Set once the first value shows the file is one JSON document rather than JSON lines. */
  #document: { start: number; parts: string[] } | undefined;
  #sawValue = false;

  /**
   * `linesOnly`: the text is a part of a JSON-lines file after its start (read in parallel), so a
   * line that does not parse is an error, never the start of one pretty-printed document.
   */
  constructor(
    file: string,
    tally: FlowReadTally,
    onRecord: (record: FlowRecord, location: FlowLocation) => void,
    options: { readonly linesOnly?: boolean } = {},
  ) {
    this.#file = file;
    this.#tally = tally;
    this.#onRecord = onRecord;
    this.#sawValue = options.linesOnly === true;
    this.#lines = new LineSplitter((text, line) => this.#line(text, line));
  }

  push(chunk: string): void {
    this.#lines.push(chunk);
  }

  /** Lines read so far, blank ones too (after `end()`: the file's). */
  get lines(): number {
    return this.#lines.lines;
  }

  end(): void {
    this.#lines.end();
    const doc = this.#document;
    if (!doc) return;
    this.#document = undefined;
    const location = { file: this.#file, line: doc.start };
    let value: unknown;
    try {
      value = JSON.parse(doc.parts.join('\n'));
    } catch (e) {
      this.#tally.lines++;
      this.#tally.error(location, describeJsonError(e));
      return;
    }
    this.#value(value, location);
  }

  #line(text: string, line: number): void {
    if (this.#document) {
      this.#document.parts.push(text);
      return;
    }
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      // The first value opens but does not close on its line: the file is one pretty-printed document.
      if (!this.#sawValue && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
        this.#document = { start: line, parts: [text] };
        return;
      }
      this.#tally.lines++;
      this.#tally.error({ file: this.#file, line }, describeJsonError(e));
      return;
    }
    this.#sawValue = true;
    this.#value(value, { file: this.#file, line });
  }

  #value(value: unknown, location: FlowLocation): void {
    const items = documentItems(value);
    if (items) {
      for (const item of items) this.#item(item, location);
      return;
    }
    this.#item(value, location);
  }

  #item(value: unknown, location: FlowLocation): void {
    this.#parsed(parseValue(value), location);
  }

  #parsed(parsed: RecordParse, location: FlowLocation): void {
    const tally = this.#tally;
    tally.lines++;
    switch (parsed.kind) {
      case 'record':
        tally.records[parsed.record.format]++;
        this.#onRecord(parsed.record, location);
        return;
      case 'skip':
        tally.skipped[parsed.reason] = (tally.skipped[parsed.reason] ?? 0) + 1;
        return;
      case 'error':
        tally.error(location, parsed.message, parsed.field);
        return;
    }
  }
}
