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
 * The last NetworkPolicy-tier table built, for callers that visit tiered profiles sharing one
 * NetworkPolicy profile in a row (several admin chains over the same isolating policies).
 */
export class NpTableSlot {
  key = '';
  maybe = false;
  table: Uint32Array = new Uint32Array(0);
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
    npTable(state, profile, probes, table, n, maybe);
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
  if (t.np === 'isolated') {
    const npKey = profile.key.slice(0, profile.key.indexOf('|'));
    if (slot && slot.key === npKey && slot.maybe === maybe && slot.table.length >= n * W)
      table.set(slot.table.subarray(0, n * W));
    else {
      npTable(state, profile, probes, table, n, maybe);
      if (slot) {
        slot.key = npKey;
        slot.maybe = maybe;
        if (slot.table.length < n * W) slot.table = new Uint32Array(n * W);
        slot.table.set(table.subarray(0, n * W));
      }
    }
  } else if (t.np === 'any') {
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
