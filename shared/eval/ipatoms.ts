/**
 * The address space cut at every ipBlock CIDR/except boundary. Within one atom every ipBlock either
 * contains all addresses or none, so an ipBlock is exactly a set of atoms and an address is just the
 * atom it falls in.
 */
import type { IPBlock } from '../model/snapshot.ts';
import { newBitset, setBit, wordsFor, type Bitset } from './bitset.ts';
import { IPV4_SPACE, IPV6_SPACE, parseCidr, type AddressRange } from './ip.ts';

export function ipBlockKey(block: IPBlock): string {
  return `${block.cidr}|${[...block.except].sort().join(',')}`;
}

interface ParsedBlock {
  readonly cidr: AddressRange | undefined;
  readonly except: readonly AddressRange[];
}

function parseBlock(block: IPBlock): ParsedBlock {
  const except: AddressRange[] = [];
  for (const e of block.except) {
    const r = parseCidr(e);
    if (r) except.push(r);
  }
  return { cidr: parseCidr(block.cidr), except };
}

export class IPPartition {
  /** Start of each atom; atom i ends where atom i+1 starts (the last one at the end of IPv4). */
  readonly starts: readonly bigint[];
  readonly words: number;
  /** Identifies the boundary set: two partitions with equal keys have identical atoms. */
  readonly key: string;
  readonly #blocks = new Map<string, Bitset>();
  readonly #ends: readonly bigint[];

  constructor(blocks: Iterable<IPBlock>) {
    const cuts = new Set<bigint>([IPV6_SPACE.start, IPV4_SPACE.start]);
    for (const block of blocks) {
      const parsed = parseBlock(block);
      for (const r of parsed.cidr ? [parsed.cidr, ...parsed.except] : []) {
        cuts.add(r.start);
        if (r.end + 1n <= IPV4_SPACE.end) cuts.add(r.end + 1n);
      }
    }
    const starts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.starts = starts;
    this.#ends = starts.map((s, i) => (i + 1 < starts.length ? (starts[i + 1] ?? 0n) - 1n : IPV4_SPACE.end));
    this.words = wordsFor(starts.length);
    this.key = starts.join(',');
  }

  get size(): number {
    return this.starts.length;
  }

  atomRange(atom: number): AddressRange {
    return { start: this.starts[atom] ?? 0n, end: this.#ends[atom] ?? 0n };
  }

  /** The atom holding `address` (a value from `parseAddress`). */
  atomOf(address: bigint): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.starts[mid] ?? 0n) <= address) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Whether every boundary of `block` is already a cut here (so adding it would not split an atom). */
  covers(block: IPBlock): boolean {
    const parsed = parseBlock(block);
    if (!parsed.cidr) return true;
    for (const r of [parsed.cidr, ...parsed.except]) {
      if (this.starts[this.atomOf(r.start)] !== r.start) return false;
      if (r.end < IPV4_SPACE.end && this.starts[this.atomOf(r.end + 1n)] !== r.end + 1n) return false;
    }
    return true;
  }

  /** The atoms of CIDR minus excepts. An unparsable CIDR matches nothing (the loader reports it). */
  blockAtoms(block: IPBlock): Bitset {
    const key = ipBlockKey(block);
    const cached = this.#blocks.get(key);
    if (cached) return cached;
    const set = newBitset(this.words);
    const parsed = parseBlock(block);
    if (parsed.cidr) {
      const cidr = parsed.cidr;
      for (let a = this.atomOf(cidr.start); a < this.starts.length; a++) {
        const start = this.starts[a] ?? 0n;
        if (start > cidr.end) break;
        if (!parsed.except.some((e) => e.start <= start && start <= e.end)) setBit(set, a);
      }
    }
    this.#blocks.set(key, set);
    return set;
  }
}
