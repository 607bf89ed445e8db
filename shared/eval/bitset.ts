/**
 * Fixed-capacity bitsets over small integer ids (classes, IP atoms, probes). Plain Uint32Array so hot
 * loops stay monomorphic and the buffers can be transferred to a worker.
 */
export type Bitset = Uint32Array;

export function wordsFor(bits: number): number {
  return Math.max(1, (bits + 31) >>> 5);
}

export function newBitset(words: number): Bitset {
  return new Uint32Array(words);
}

export function hasBit(set: Bitset, i: number): boolean {
  return ((set[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

export function setBit(set: Bitset, i: number): void {
  const w = i >>> 5;
  set[w] = (set[w] ?? 0) | (1 << (i & 31));
}

export function clearBit(set: Bitset, i: number): void {
  const w = i >>> 5;
  set[w] = (set[w] ?? 0) & ~(1 << (i & 31));
}

export function orInto(target: Bitset, source: Bitset): void {
  const n = target.length;
  for (let i = 0; i < n; i++) target[i] = (target[i] ?? 0) | (source[i] ?? 0);
}

export function andInto(target: Bitset, source: Bitset): void {
  const n = target.length;
  for (let i = 0; i < n; i++) target[i] = (target[i] ?? 0) & (source[i] ?? 0);
}

export function andNotInto(target: Bitset, source: Bitset): void {
  const n = target.length;
  for (let i = 0; i < n; i++) target[i] = (target[i] ?? 0) & ~(source[i] ?? 0);
}

export function and(a: Bitset, b: Bitset): Bitset {
  const out = a.slice();
  andInto(out, b);
  return out;
}

export function isEmpty(set: Bitset): boolean {
  for (let i = 0; i < set.length; i++) if (set[i] !== 0) return false;
  return true;
}

export function intersects(a: Bitset, b: Bitset): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (((a[i] ?? 0) & (b[i] ?? 0)) !== 0) return true;
  return false;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function count(set: Bitset): number {
  let n = 0;
  for (let i = 0; i < set.length; i++) n += popcount32(set[i] ?? 0);
  return n;
}

/** Calls `fn` for every set bit, in increasing order. */
export function forEachBit(set: Bitset, fn: (i: number) => void): void {
  for (let w = 0; w < set.length; w++) {
    let word = set[w] ?? 0;
    while (word !== 0) {
      const low = word & -word;
      fn((w << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

export function bitsToArray(set: Bitset): number[] {
  const out: number[] = [];
  forEachBit(set, (i) => out.push(i));
  return out;
}

/** Sets bits [0, n). */
export function fillBits(set: Bitset, n: number): void {
  const full = n >>> 5;
  for (let i = 0; i < full; i++) set[i] = 0xffffffff;
  if ((n & 31) !== 0) set[full] = (set[full] ?? 0) | ((1 << (n & 31)) - 1);
}
