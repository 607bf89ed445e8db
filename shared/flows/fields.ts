/**
 * Reading protojson-shaped objects: both readers accept the proto field name (`drop_reason_desc`, as
 * `hubble observe -o json` and Whisker print) and protojson's lowerCamel name (`dropReasonDesc`, as
 * other protojson writers print).
 */
import type { Labels } from '../model/snapshot.ts';

export type Json = Record<string, unknown>;

const camelCache = new Map<string, string>();

function camel(snake: string): string {
  let c = camelCache.get(snake);
  if (c === undefined) {
    c = snake.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
    camelCache.set(snake, c);
  }
  return c;
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The field by its proto name or its lowerCamel JSON name. */
export function field(o: Json, snake: string): unknown {
  const v = o[snake];
  // A name without an underscore is its own lowerCamel form: no second lookup (most keys, per record).
  return v !== undefined || !snake.includes('_') ? v : o[camel(snake)];
}

export function str(o: Json, snake: string): string | undefined {
  const v = field(o, snake);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function obj(o: Json, snake: string): Json | undefined {
  const v = field(o, snake);
  return isObject(v) ? v : undefined;
}

/** int64 fields arrive as numbers or (protojson) as decimal strings. */
export function num(o: Json, snake: string): number | undefined {
  const v = field(o, snake);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

export function bool(o: Json, snake: string): boolean {
  return field(o, snake) === true;
}

const NONE: readonly unknown[] = Object.freeze([]);

export function list(o: Json, snake: string): readonly unknown[] {
  const v = field(o, snake);
  return Array.isArray(v) ? v : NONE;
}

/** A time as an RFC 3339 string, or seconds since the epoch (Goldmane's int64), in ms. */
export function timeMs(v: unknown): number | undefined {
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v) * 1000;
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v * 1000;
  // google.protobuf.Timestamp written as an object by some exporters.
  if (isObject(v)) {
    const s = num(v, 'seconds');
    if (s !== undefined) return s * 1000 + Math.floor((num(v, 'nanos') ?? 0) / 1e6);
  }
  return undefined;
}

/**
 * `k=v` strings to labels; `drop(key)` says which keys are not Kubernetes pod labels. A string
 * without `=` is a key with an empty value (as Cilium prints `k8s:key=` for one).
 */
export function labelsFrom(
  items: readonly string[],
  transform: (item: string) => string | undefined = (s) => s,
): Labels {
  const out: Record<string, string> = {};
  for (const item of items) {
    const t = transform(item);
    if (t === undefined) continue;
    const eq = t.indexOf('=');
    const key = eq < 0 ? t : t.slice(0, eq);
    if (key === '') continue;
    out[key] = eq < 0 ? '' : t.slice(eq + 1);
  }
  return out;
}
