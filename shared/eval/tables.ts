/**
 * Per-profile tables: `table[c * W ..]` = the probes a side profile allows towards/from peer class c.
 * The summary, the diff and the effects build them once per distinct profile and read them for every
 * class pair; this is the one builder they share.
 */
import { forEachBit, newBitset } from './bitset.ts';
import type { Profile } from './profile.ts';
import { profileMask, type ProbeSet } from './query.ts';
import type { EvalState } from './state.ts';
import {
  chainTable,
  ciliumBands,
  combineCiliumTable,
  combineTable,
  type AdminChain,
  type ChainMember,
} from './tiers.ts';

/** The NetworkPolicy tier of a profile over classes `0..n-1`: O(bits set in its groups) plus named terms. */
function npTable(
  state: EvalState,
  profile: Profile,
  probes: ProbeSet,
  table: Uint32Array,
  n: number,
  maybe: boolean,
): void {
  const W = probes.words;
  table.fill(0, 0, n * W);
  for (const g of profile.groups) {
    const m = probes.maskOf(g.ports);
    forEachBit(maybe ? g.maybe : g.classes, (c) => {
      if (c >= n) return;
      for (let i = 0; i < W; i++) table[c * W + i] = (table[c * W + i] ?? 0) | (m[i] ?? 0);
    });
  }
  if (profile.named.length === 0) return;
  const tmp = newBitset(W);
  const namedOnly: Profile = {
    key: profile.key,
    policies: profile.policies,
    groups: [],
    named: profile.named,
  };
  for (let c = 0; c < n; c++) {
    // Empty classes weigh nothing; skipping them keeps named-port profiles O(live classes).
    if ((state.classes.classes[c]?.pods.size ?? 0) === 0) continue;
    tmp.fill(0);
    profileMask(state, namedOnly, c, probes, tmp, maybe);
    for (let i = 0; i < W; i++) table[c * W + i] = (table[c * W + i] ?? 0) | (tmp[i] ?? 0);
  }
}

function fillAll(table: Uint32Array, probes: ProbeSet, n: number): void {
  const W = probes.words;
  for (let c = 0; c < n; c++) for (let i = 0; i < W; i++) table[c * W + i] = probes.all[i] ?? 0;
}

function chainOutcomes(state: EvalState, chain: AdminChain<ChainMember>, probes: ProbeSet) {
  let t = probes.chainTables.get(chain);
  if (!t) {
    t = chainTable(chain, probes, state.classes.classes, probes.policyTables);
    probes.chainTables.set(chain, t);
  }
  return t;
}

/**
 * The last NetworkPolicy-tier table built per pass, for callers that visit profiles sharing one
 * NetworkPolicy profile in a row (the profile itself, and tiered profiles over it with different admin
 * or Cilium chains). A table whose groups read no unread namespace labels is the same in both passes,
 * so one pass may read the other's. Callers pass the same slot for both passes.
 */
export class NpTableSlot {
  readonly #keys: [string | undefined, string | undefined] = [undefined, undefined];
  readonly #certain: [boolean, boolean] = [false, false];
  readonly #tables: [Uint32Array, Uint32Array] = [new Uint32Array(0), new Uint32Array(0)];

  /** Copies the table of `key` for a pass into `table` when this slot holds it. */
  read(key: string, maybe: boolean, table: Uint32Array, size: number): boolean {
    const p = maybe ? 1 : 0;
    const from = this.#keys[p] === key ? p : this.#keys[1 - p] === key && this.#certain[1 - p] ? 1 - p : -1;
    const held = from === 0 || from === 1 ? this.#tables[from] : undefined;
    if (!held || held.length < size) return false;
    table.set(held.subarray(0, size));
    return true;
  }

  write(key: string, maybe: boolean, certain: boolean, table: Uint32Array, size: number): void {
    const p = maybe ? 1 : 0;
    if (this.#tables[p].length < size) this.#tables[p] = new Uint32Array(size);
    this.#tables[p].set(table.subarray(0, size));
    this.#keys[p] = key;
    this.#certain[p] = certain;
  }
}

/** Whether a profile's NetworkPolicy tier reads the same surely and possibly. */
function npCertain(profile: Profile): boolean {
  for (const g of profile.groups) if (g.maybe !== g.classes) return false;
  for (const t of profile.named) if (t.maybe !== t.classes) return false;
  return true;
}

/** The NetworkPolicy-tier table of `profile` under `key`, from the slot when it holds it. */
function npTableVia(
  state: EvalState,
  profile: Profile,
  key: string,
  probes: ProbeSet,
  table: Uint32Array,
  n: number,
  maybe: boolean,
  slot: NpTableSlot | undefined,
): void {
  const size = n * probes.words;
  if (slot?.read(key, maybe, table, size)) return;
  npTable(state, profile, probes, table, n, maybe);
  slot?.write(key, maybe, npCertain(profile), table, size);
}

/** The key of a profile's NetworkPolicy tier: equal keys, equal NetworkPolicy-tier tables. */
export function npKeyOf(profile: Profile | undefined): string {
  if (!profile) return '';
  return profile.tiers ? profile.key.slice(0, profile.key.indexOf('|')) : profile.key;
}

/**
 * Whether `profileTable` gives the same table for `profile` surely and possibly: nothing in it reads
 * unread namespace labels, and no chain of it leaves an outcome open.
 */
export function certainTable(profile: Profile | undefined): boolean {
  if (!profile) return true;
  for (const g of profile.groups) if (g.maybe !== g.classes) return false;
  for (const t of profile.named) if (t.maybe !== t.classes) return false;
  const t = profile.tiers;
  if (!t) return true;
  if (t.np === 'any') return false;
  if (t.calico?.some((s) => s.kind === 'chain' && s.chain.uncertain)) return false;
  return !t.admin?.uncertain && !t.baseline?.uncertain && !t.cilium?.uncertain;
}

/**
 * Fills `table[c * W ..]` for c in `0..n-1` with the probes `profile` allows for peer class c: surely,
 * or with `maybe` possibly. Undefined = the side allows everything.
 */
export function profileTable(
  state: EvalState,
  profile: Profile | undefined,
  probes: ProbeSet,
  table: Uint32Array,
  n: number,
  maybe: boolean,
  slot?: NpTableSlot,
): void {
  const W = probes.words;
  if (!profile) {
    fillAll(table, probes, n);
    return;
  }
  const t = profile.tiers;
  if (!t) {
    npTableVia(state, profile, profile.key, probes, table, n, maybe, slot);
    return;
  }
  if (t.calico) {
    // Calico's tiers from the last back to the first, over the profile's final allow (calico.ts).
    fillAll(table, probes, n);
    for (let k = t.calico.length - 1; k >= 0; k--) {
      const stage = t.calico[k];
      const chain: AdminChain<ChainMember> | undefined =
        stage?.kind === 'chain' ? stage.chain : stage?.kind === 'admin' ? t.admin : t.baseline;
      if (chain)
        combineTable(
          chainOutcomes(state, chain, probes),
          table,
          probes.all,
          W,
          n,
          maybe,
          probes.combineScratch,
        );
    }
    return;
  }
  if (t.np === 'isolated') npTableVia(state, profile, npKeyOf(profile), probes, table, n, maybe, slot);
  else if (t.np === 'any') {
    if (maybe) fillAll(table, probes, n);
    else table.fill(0, 0, n * W);
  } else {
    fillAll(table, probes, n);
    if (t.baseline)
      combineTable(
        chainOutcomes(state, t.baseline, probes),
        table,
        probes.all,
        W,
        n,
        maybe,
        probes.combineScratch,
      );
  }
  if (t.cilium && ciliumBands(t.cilium))
    combineCiliumTable(t.cilium, probes, state.classes.classes, table, n, maybe);
  else if (t.cilium)
    combineTable(
      chainOutcomes(state, t.cilium, probes),
      table,
      probes.all,
      W,
      n,
      maybe,
      probes.combineScratch,
    );
  if (t.admin)
    combineTable(
      chainOutcomes(state, t.admin, probes),
      table,
      probes.all,
      W,
      n,
      maybe,
      probes.combineScratch,
    );
}

/**
 * Tables kept once per distinct content, each with its index: many profiles give the same table, and
 * the summary's loop reads one column per distinct table.
 */
export class DistinctTables {
  readonly tables: Uint32Array[] = [];
  readonly #size: number;
  readonly #byHash = new Map<number, number[]>();

  constructor(size: number) {
    this.#size = size;
  }

  /** The index of a table with `t`'s first `size` words (a copy is kept when it is new). */
  add(t: Uint32Array): number {
    const size = this.#size;
    let h = 0x811c9dc5;
    for (let k = 0; k < size; k++) h = Math.imul(h ^ (t[k] ?? 0), 0x01000193);
    const list = this.#byHash.get(h);
    if (list)
      for (const j of list) {
        const u = this.tables[j] as Uint32Array;
        let k = 0;
        while (k < size && u[k] === t[k]) k++;
        if (k === size) return j;
      }
    const j = this.tables.length;
    this.tables.push(t.slice(0, size));
    if (list) list.push(j);
    else this.#byHash.set(h, [j]);
    return j;
  }
}

/**
 * Tables over classes `0..n-1` side by side: row d holds every table's words for class d, so a loop
 * over sources for one destination reads one short row instead of one word from each table.
 */
export function sideBySide(tables: readonly Uint32Array[], n: number, W: number): Uint32Array {
  const columns = tables.length;
  const out = new Uint32Array(n * columns * W);
  // A block of tables at a time: each row of the block is one short run of writes.
  const BLOCK = 16;
  for (let t0 = 0; t0 < columns; t0 += BLOCK) {
    const count = Math.min(BLOCK, columns - t0);
    for (let d = 0; d < n; d++)
      for (let b = 0; b < count; b++) {
        const from = tables[t0 + b] as Uint32Array;
        const at = (d * columns + t0 + b) * W;
        for (let i = 0; i < W; i++) out[at + i] = from[d * W + i] ?? 0;
      }
  }
  return out;
}
