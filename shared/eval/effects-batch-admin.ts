/**
 * The admin-tier part of the batch effect counts (effects-batch.ts): `adminPolicyEffect`
 * (effect-admin.ts) for one policy. Each chain is walked once per peer for every policy in it, and what
 * a policy decides at a side is a table per chain and gate, shared by the subjects that have them.
 */
import type { AdminAction } from '../model/snapshot.ts';
import { hasBit, newBitset, popcount32, type Bitset } from './bitset.ts';
import type { CompiledAdminPolicy, CompiledAdminRule } from './admin.ts';
import type { Endpoint } from './effect.ts';
import {
  finishCounts,
  ruleEffects,
  selectedPods,
  zeroCounts,
  type Columns,
  type Memo,
  type RuleSums,
} from './effects-batch-columns.ts';
import { walkFor } from './query.ts';
import type { AdminChain } from './tiers.ts';
import type { Direction, PolicyEffectTally } from './types.ts';

type Observed = Map<CompiledAdminRule, { readonly sure: Bitset; readonly possibly: Bitset }>;

/** Admin and Baseline chain walks per peer, each recording what every rule of the chain decides. */
export class ChainWalks {
  readonly #cols: Columns;
  readonly #walks = new Map<AdminChain, (Observed | undefined)[]>();

  constructor(cols: Columns) {
    this.#cols = cols;
  }

  get(chain: AdminChain, peer: number): Observed {
    let byPeer = this.#walks.get(chain);
    if (!byPeer) this.#walks.set(chain, (byPeer = []));
    let seen = byPeer[peer];
    if (!seen) {
      const { state, probes, W, endpoints } = this.#cols;
      const out: Observed = new Map();
      walkFor(state, chain, endpoints[peer]?.entity ?? 0, probes, (_p, cr, possibly, sure) => {
        let m = out.get(cr.rule);
        if (!m) out.set(cr.rule, (m = { sure: newBitset(W), possibly: newBitset(W) }));
        for (let i = 0; i < W; i++) {
          m.sure[i] = (m.sure[i] ?? 0) | (sure[i] ?? 0);
          m.possibly[i] = (m.possibly[i] ?? 0) | (possibly[i] ?? 0);
        }
      });
      byPeer[peer] = seen = out;
    }
    return seen;
  }
}

const ACTIONS: readonly AdminAction[] = ['Accept', 'Deny', 'Pass'];

/**
 * What one admin-tier policy P decides at a side (a chain of P's tier, read through a gate) towards
 * every endpoint, by endpoint index: per action the probes it surely and possibly decides, and per rule
 * of P in that direction the probes it matches there, summed over endpoints by pod weight.
 */
interface AdminSide {
  /** 1 where P decides something towards the endpoint; `list` holds those endpoints. */
  readonly any: Uint8Array;
  readonly list: Int32Array;
  /** `[action][j * W + k]`, actions in `ACTIONS` order. */
  readonly sure: readonly Uint32Array[];
  readonly possibly: readonly Uint32Array[];
  readonly rules: readonly RuleSums[];
}

/** The admin-tier part of the batch: `adminPolicyEffect` for one policy, over the shared walks. */
export function adminTally(
  cols: Columns,
  walks: ChainWalks,
  memo: Memo,
  cp: CompiledAdminPolicy,
): PolicyEffectTally {
  const { state, W, endpoints, col, weights } = cols;
  const E = endpoints.length;
  const rules: CompiledAdminRule[] = [...cp.ingress, ...cp.egress];
  const ruleMatched = new Float64Array(rules.length);
  const ruleUnknown = new Float64Array(rules.length);
  const tier = cp.tier === 'Admin' ? 'admin' : 'baseline';
  const applies = (e: Endpoint, direction: Direction): boolean =>
    e.cls !== undefined && cp[direction].length > 0 && hasBit(cp.maybeSubject, e.entity);

  const built = new Map<string, AdminSide>();
  /** P's side at a subject (endpoint index), shared by subjects with the same chain and gate. */
  const sideOf = (subject: number, direction: Direction): AdminSide | undefined => {
    const s = endpoints[subject];
    const chain = s?.cls ? state.adminChains(s.entity, direction)[tier] : undefined;
    if (!s?.cls || !chain) return undefined;
    let gateYes: Uint32Array | undefined;
    let gateMaybe: Uint32Array | undefined;
    if (tier === 'baseline') {
      // A Baseline rule is read only past the Admin tier, for a pod no NetworkPolicy isolates.
      const isolated = (direction === 'ingress' ? state.ingressProfile : state.egressProfile)[s.entity];
      if (isolated || state.ciliumIsolates(s.entity, direction)) return undefined;
      const r = cols.reach(s.entity, direction);
      gateYes = state.view.policiesHidden(s.cls.namespace) ? cols.nothing : r.yes;
      gateMaybe = r.maybe;
    }
    const key = `${direction}\u0000${chain.key}\u0000${gateYes ? memo.key(gateYes, gateMaybe ?? gateYes) : ''}`;
    let side = built.get(key);
    if (side) return side;
    const own = cp[direction];
    const any = new Uint8Array(E);
    const sure = ACTIONS.map(() => new Uint32Array(E * W));
    const possibly = ACTIONS.map(() => new Uint32Array(E * W));
    const ruleSure = own.map(() => new Float64Array(E));
    const ruleMaybe = own.map(() => new Float64Array(E));
    const ruleSureTotal = own.map(() => 0);
    const ruleMaybeTotal = own.map(() => 0);
    for (let j = 0; j < E; j++) {
      const seen = walks.get(chain, j);
      const at = (col[j] ?? 0) * W;
      own.forEach((rule, r) => {
        const m = seen.get(rule);
        if (!m) return;
        const a = ACTIONS.indexOf(rule.action);
        let sureBits = 0;
        let maybeBits = 0;
        for (let k = 0; k < W; k++) {
          const y = (m.sure[k] ?? 0) & (gateYes ? (gateYes[at + k] ?? 0) : -1);
          const p = (m.possibly[k] ?? 0) & (gateMaybe ? (gateMaybe[at + k] ?? 0) : -1);
          const sa = sure[a];
          const pa = possibly[a];
          if (sa) sa[j * W + k] = (sa[j * W + k] ?? 0) | y;
          if (pa) pa[j * W + k] = (pa[j * W + k] ?? 0) | p;
          if ((y | p) !== 0) any[j] = 1;
          sureBits += popcount32(y);
          maybeBits += popcount32(p & ~y);
        }
        const rs = ruleSure[r];
        const rm = ruleMaybe[r];
        if (rs) rs[j] = sureBits;
        if (rm) rm[j] = maybeBits;
        ruleSureTotal[r] = (ruleSureTotal[r] ?? 0) + sureBits * (weights[j] ?? 0);
        ruleMaybeTotal[r] = (ruleMaybeTotal[r] ?? 0) + maybeBits * (weights[j] ?? 0);
      });
    }
    const list: number[] = [];
    any.forEach((x, j) => {
      if (x === 1) list.push(j);
    });
    side = {
      any,
      list: Int32Array.from(list),
      sure,
      possibly,
      rules: own.map((_, r) => ({
        yes: ruleSure[r] ?? new Float64Array(E),
        yesTotal: ruleSureTotal[r] ?? 0,
        unknown: ruleMaybe[r] ?? new Float64Array(E),
        unknownTotal: ruleMaybeTotal[r] ?? 0,
      })),
    };
    built.set(key, side);
    return side;
  };

  const egAt: (AdminSide | undefined)[] = new Array<AdminSide | undefined>(E);
  const ingAt: (AdminSide | undefined)[] = new Array<AdminSide | undefined>(E);
  endpoints.forEach((e, j) => {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!applies(e, direction)) continue;
      const side = sideOf(j, direction);
      (direction === 'ingress' ? ingAt : egAt)[j] = side;
      if (!side) continue;
      // Rule counts over every pair with this subject at the rule's side (see networkPolicyTally).
      const first = direction === 'ingress' ? 0 : cp.ingress.length;
      side.rules.forEach((sums, r) => {
        ruleMatched[first + r] =
          (ruleMatched[first + r] ?? 0) + e.weight * sums.yesTotal - (sums.yes[j] ?? 0) * e.weight;
        ruleUnknown[first + r] =
          (ruleUnknown[first + r] ?? 0) + e.weight * sums.unknownTotal - (sums.unknown[j] ?? 0) * e.weight;
      });
    }
  });

  const c = zeroCounts();
  const valid = cols.probes.all;
  const add = (i: number, j: number, eg: AdminSide | undefined, ing: AdminSide | undefined): void => {
    const a = endpoints[i];
    const b = endpoints[j];
    if (!a || !b || (!a.cls && !b.cls)) return;
    const w = cols.weight(a, b);
    const e1 = cols.egress[i];
    const i1 = cols.ingress[j];
    if (w === 0 || !e1 || !i1) return;
    const eAny = eg !== undefined && eg.any[j] === 1;
    const iAny = ing !== undefined && ing.any[i] === 1;
    const ca = (col[i] ?? 0) * W;
    const cb = (col[j] ?? 0) * W;
    for (let k = 0; k < W; k++) {
      const v = valid[k] ?? 0;
      const je = j * W + k;
      const ii = i * W + k;
      const sure = (x: number): number =>
        ((eAny ? (eg.sure[x]?.[je] ?? 0) : 0) | (iAny ? (ing.sure[x]?.[ii] ?? 0) : 0)) & v;
      const possibly = (x: number): number =>
        ((eAny ? (eg.possibly[x]?.[je] ?? 0) : 0) | (iAny ? (ing.possibly[x]?.[ii] ?? 0) : 0)) & v;
      const flows = (e1.yes[cb + k] ?? 0) & (i1.yes[ca + k] ?? 0);
      const mayFlow = (e1.maybe[cb + k] ?? 0) & (i1.maybe[ca + k] ?? 0);
      // As adminPolicyEffect: the first of Accept, Deny, Pass that surely or possibly decides.
      const accept = sure(0);
      c.permittedFlowing += popcount32(accept & flows) * w;
      c.permittedBlocked += popcount32(accept & ~flows & ~mayFlow) * w;
      let unknown = accept & ~flows & mayFlow;
      let rest = v & ~accept;
      for (let x = 0; x < ACTIONS.length; x++) {
        if (x > 0) {
          const decided = rest & sure(x);
          if (x === 1) c.denied += popcount32(decided) * w;
          else c.passed += popcount32(decided) * w;
          rest &= ~decided;
        }
        const maybe = possibly(x);
        unknown |= rest & maybe;
        rest &= ~maybe;
      }
      c.unknown += popcount32(unknown) * w;
    }
  };
  // Only pairs where P decides something at one side: those at the egress side, then those at the
  // ingress side that the first loop did not take.
  egAt.forEach((eg, i) => {
    if (eg) for (const j of eg.list) add(i, j, eg, ingAt[j]);
  });
  ingAt.forEach((ing, j) => {
    if (!ing) return;
    for (const i of ing.list) {
      const eg = egAt[i];
      if (eg && eg.any[j] === 1) continue;
      add(i, j, eg, ing);
    }
  });
  return {
    policy: cp.key,
    tier: cp.tier,
    selects: selectedPods(state, cp.subject),
    isolates: { ingress: false, egress: false },
    rules: ruleEffects(rules, ruleMatched, ruleUnknown),
    counts: finishCounts(c, cols.total),
  };
}
