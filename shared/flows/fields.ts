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

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * `YYYY-MM-DDThh:mm:ss[.fraction]Z`, as Hubble writes every record's time, without `Date.parse`
 * (a million times over); undefined for any other form, which `Date.parse` then reads.
 */
function utcTime(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T') return undefined;
  if (s[13] !== ':' || s[16] !== ':') return undefined;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) {
    const d = digit(s, i);
    if (d < 0 || d > 9) return undefined;
  }
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  let ms = 0;
  if (n > 20) {
    // A fraction: `.` and at least one digit; milliseconds are its first three digits.
    if (s[19] !== '.' || n < 22) return undefined;
    let scale = 100;
    for (let i = 20; i < n - 1; i++) {
      const d = digit(s, i);
      if (d < 0 || d > 9) return undefined;
      ms += d * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + two(s, 2);
  // Date.UTC reads years 0-99 as 1900-1999; Date.parse does not.
  if (year < 100) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** A time as an RFC 3339 string, or seconds since the epoch (Goldmane's int64), in ms. */
export function timeMs(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const fast = utcTime(v);
    if (fast !== undefined) return fast;
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
