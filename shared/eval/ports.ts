/**
 * Port sets as sorted disjoint inclusive intervals on one number line: protocol p's port n is
 * `offset(p) + n`. Sets are interned so rules that allow the same ports share one id, and unions are
 * memoized by id pair.
 */
import type { Protocol } from '../model/snapshot.ts';

export type PortSetId = number;

const OFFSETS: Readonly<Record<Protocol, number>> = { TCP: 0, UDP: 65536, SCTP: 131072 };
export const PROTOCOL_ORDER: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export function encodePort(protocol: Protocol, port: number): number {
  return OFFSETS[protocol] + port;
}

export function decodePort(code: number): { protocol: Protocol; port: number } {
  const index = Math.floor(code / 65536);
  return { protocol: PROTOCOL_ORDER[index] ?? 'TCP', port: code - index * 65536 };
}

/** Every port of a protocol; port 0 is not a real port, but a protocol-only entry covers 1-65535. */
export function protocolRange(protocol: Protocol): [number, number] {
  return [OFFSETS[protocol] + 1, OFFSETS[protocol] + 65535];
}

/** Flat `[lo0, hi0, lo1, hi1, …]`, sorted, disjoint and non-adjacent. */
export type Intervals = readonly number[];

export function normalize(pairs: readonly (readonly [number, number])[]): number[] {
  const sorted = pairs.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] ?? 0) + 1) out[last] = Math.max(out[last] ?? 0, hi);
    else out.push(lo, hi);
  }
  return out;
}

export function intervalsContain(set: Intervals, code: number): boolean {
  let lo = 0;
  let hi = (set.length >>> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (code < (set[2 * mid] ?? 0)) hi = mid - 1;
    else if (code > (set[2 * mid + 1] ?? 0)) lo = mid + 1;
    else return true;
  }
  return false;
}

export class PortSetTable {
  readonly #ids = new Map<string, PortSetId>();
  readonly sets: Intervals[] = [];
  readonly #unions = new Map<number, PortSetId>();
  readonly empty: PortSetId;
  readonly all: PortSetId;

  constructor() {
    this.empty = this.intern([]);
    this.all = this.intern(normalize(PROTOCOL_ORDER.map((p) => protocolRange(p))));
  }

  intern(intervals: readonly number[]): PortSetId {
    const key = intervals.join(',');
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(intervals);
      this.#ids.set(key, id);
    }
    return id;
  }

  fromPairs(pairs: readonly (readonly [number, number])[]): PortSetId {
    return this.intern(normalize(pairs));
  }

  union(a: PortSetId, b: PortSetId): PortSetId {
    if (a === b || b === this.empty) return a;
    if (a === this.empty) return b;
    const key = a < b ? a * 1048576 + b : b * 1048576 + a;
    let id = this.#unions.get(key);
    if (id === undefined) {
      const pairs: [number, number][] = [];
      for (const s of [this.sets[a] ?? [], this.sets[b] ?? []]) {
        for (let i = 0; i < s.length; i += 2) pairs.push([s[i] ?? 0, s[i + 1] ?? 0]);
      }
      id = this.fromPairs(pairs);
      this.#unions.set(key, id);
    }
    return id;
  }

  contains(id: PortSetId, code: number): boolean {
    return intervalsContain(this.sets[id] ?? [], code);
  }
}
