/**
 * The effect counts of every NetworkPolicy and admin-tier policy at once (the report's per-policy
 * table). The classes are exactly those of `policyEffect` (effect.ts, effect-admin.ts); what changes
 * is the cost. The single-policy path computes every side mask per pair of endpoints from the profiles
 * and walks admin chains per pair, policy after policy; here each side is read from a table over peer
 * columns (tables.ts), built once per distinct profile and shared by every policy and pair that reads
 * that profile, and each admin chain is walked once per peer for all the policies in it. Per policy
 * what remains is a few word operations per pair of endpoints it can affect. Lists of connections are
 * not produced (the single-policy path gives them where a view needs them).
 */
import { adminTally, ChainWalks } from './effects-batch-admin.ts';
import { Columns, Memo } from './effects-batch-columns.ts';
import { networkPolicyTally } from './effects-batch-np.ts';
import type { EvalState } from './state.ts';
import type { PolicyEffectTally } from './types.ts';

/**
 * The effect counts of every NetworkPolicy (in `state.compiled` order) and every admin-tier policy
 * (in `state.adminCompiled` order), equal to `policyEffect(state, key, 0)`'s counts and rule effects.
 * Cilium policies are not included (`policyEffect` gives them one at a time).
 */
export function policyEffectTallies(state: EvalState): PolicyEffectTally[] {
  const cols = new Columns(state);
  const memo = new Memo(cols);
  const out: PolicyEffectTally[] = [];
  for (const cp of state.compiled.values()) {
    out.push(cols.scoped(() => networkPolicyTally(cols, memo, cp)));
    memo.clear();
  }
  const walks = new ChainWalks(cols);
  for (const cp of state.adminCompiled.values()) out.push(adminTally(cols, walks, memo, cp));
  return out;
}
