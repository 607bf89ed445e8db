/**
 * Typed access to a raw JS document with issues recorded at field paths. Every check names the field,
 * what is wrong, and what is expected; `ctx.failed` tells whether an error was recorded.
 */
import type { IssueSeverity, LoadIssue, LoadIssueDetail } from '../model/snapshot.ts';
import type { FieldPath, RawDocument } from './documents.ts';
import { formatPath } from './documents.ts';
import { closest } from './names.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "a string \"app=web\"", "a number (80)", "a list", ... for messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return typeof v;
}

export class ObjectContext {
  readonly file: string;
  readonly doc: RawDocument;
  /** `NetworkPolicy shop/allow-web`; set once kind/namespace/name are known. */
  object: string | undefined;
  readonly issues: LoadIssue[];
  /** Whether unknown fields outside the readers' own checks are refused (see field-schema.ts). */
  readonly strictFields: boolean;
  errors = 0;

  constructor(file: string, doc: RawDocument, issues: LoadIssue[], strictFields = true) {
    this.file = file;
    this.doc = doc;
    this.object = undefined;
    this.issues = issues;
    this.strictFields = strictFields;
  }

  get failed(): boolean {
    return this.errors > 0;
  }

  location(path: FieldPath): { file: string; line: number; column: number } {
    const pos = this.doc.locate(path);
    return { file: this.file, line: pos.line, column: pos.column };
  }

  report(severity: IssueSeverity, path: FieldPath, message: string, detail?: LoadIssueDetail): void {
    if (severity === 'error') this.errors++;
    this.issues.push({
      severity,
      message,
      location: this.location(path),
      ...(path.length > 0 ? { field: formatPath(path) } : {}),
      ...(this.object !== undefined ? { object: this.object } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
  }

  error(path: FieldPath, message: string, detail?: LoadIssueDetail): void {
    this.report('error', path, message, detail);
  }

  warn(path: FieldPath, message: string, detail?: LoadIssueDetail): void {
    this.report('warning', path, message, detail);
  }

  info(path: FieldPath, message: string): void {
    this.report('info', path, message);
  }

  /** An optional mapping; null/absent gives undefined; a wrong type is an error. */
  object_(value: unknown, path: FieldPath, what: string): JsonObject | undefined {
    if (value === null || value === undefined) return undefined;
    if (isObject(value)) return value;
    this.error(path, `must be a mapping (${what}), got ${describe(value)}`);
    return undefined;
  }

  list(value: unknown, path: FieldPath, what: string): unknown[] | undefined {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) return value as unknown[];
    this.error(path, `must be a list (${what}), got ${describe(value)}`);
    return undefined;
  }

  string(value: unknown, path: FieldPath, what: string): string | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string') return value;
    this.error(path, `must be a string (${what}), got ${describe(value)}`);
    return undefined;
  }

  integer(value: unknown, path: FieldPath, what: string): number | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    this.error(path, `must be an integer (${what}), got ${describe(value)}`);
    return undefined;
  }

  boolean(value: unknown, path: FieldPath, what: string): boolean | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    this.error(path, `must be true or false (${what}), got ${describe(value)}`);
    return undefined;
  }

  /**
   * Errors for fields not in `known` (strict decoding, as `kubectl apply` does by default). A field set
   * to null is not one: kubectl and the API server accept `foo: null` anywhere.
   */
  unknownFields(obj: JsonObject, path: FieldPath, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key) || obj[key] === null || obj[key] === undefined) continue;
      const hint = closest(key, known);
      this.error(
        [...path, key],
        `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; expected one of ${known.join(', ')}`,
      );
    }
  }
}
