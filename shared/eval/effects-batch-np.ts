/**
 * The NetworkPolicy part of the batch effect counts (effects-batch.ts): `policyEffect` (effect.ts) for
 * one policy, read from the shared column tables, over only the pairs the policy can affect.
 */
import { hasBit, popcount32 } from './bitset.ts';
import type { CompiledPolicy } from './compiled.ts';
import { onlyRule, type Endpoint } from './effect.ts';
import {
  finishCounts,
  ruleEffects,
  selectedPods,
  zeroCounts,
  type Columns,
  type Memo,
  type TablePair,
} from './effects-batch-columns.ts';
import { buildEgressProfile, buildIngressProfile } from './profile.ts';
import type { Direction, PolicyEffectTally } from './types.ts';

/** Per subject class of one policy and direction: its side without P and what P's rules permit there. */
interface SubjectSide {
  readonly without: TablePair;
  /** P is the only NetworkPolicy isolating the subject in this direction. */
  readonly alone: boolean;
  readonly permit: TablePair;
  /** Peers (endpoint indexes) whose pairs with the subject P may affect at this side, and as a mask. */
  readonly affected: Int32Array;
  readonly mark: Uint8Array;
}

/** The NetworkPolicy part of the batch: `policyEffect` for one compiled policy, over the shared columns. */
export function networkPolicyTally(cols: Columns, memo: Memo, cp: CompiledPolicy): PolicyEffectTally {
  const { state, W, endpoints, col, all } = cols;
  const valid = cols.probes.all;
  const uncertain = state.uncertain;
  const rules = [...cp.ingress, ...cp.egress];
  const ruleMatched = new Float64Array(rules.length);
  const ruleUnknown = new Float64Array(rules.length);
  const ruleTables = new Map<string, TablePair>();
  const ruleTable = (r: number, subject: Endpoint): TablePair => {
    const rule = rules[r];
    if (!rule || !subject.cls) throw new Error('rule table without a rule or subject');
    const named = rule.direction === 'ingress' && cp.usesIngressNamed;
    const k = `r${r}:${rule.direction}:${named ? subject.cls.namedKey : ''}`;
    let t = ruleTables.get(k);
    if (!t) {
      const only = onlyRule(cp, rule);
      const profile =
        rule.direction === 'ingress'
          ? buildIngressProfile(k, [only], subject.cls, state)
          : buildEgressProfile(k, [only], state);
      const yes = cols.table(profile, false);
      t = { yes, maybe: rule.maybe === rule.classes ? yes : cols.table(profile, true) };
      ruleTables.set(k, t);
    }
    return t;
  };

  /** Subjects of P in a direction, by endpoint index. */
  const sides = (direction: Direction): Map<number, SubjectSide> => {
    const out = new Map<number, SubjectSide>();
    if (!(direction === 'ingress' ? cp.ingressOn : cp.egressOn)) return out;
    const first = direction === 'ingress' ? 0 : cp.ingress.length;
    const count = direction === 'ingress' ? cp.ingress.length : cp.egress.length;
    // What P's rules permit at a subject depends on its named ports (ingress) and its chains (reach).
    const permits = new Map<TablePair, Map<string, TablePair>>();
    endpoints.forEach((e, index) => {
      const cls = e.cls;
      if (!cls || cls.hostNetwork || !hasBit(cp.subject, e.entity)) return;
      const rest = state.selecting(cls.id, direction).filter((p) => p !== cp);
      const restProfile = rest.length > 0 ? state.profileFor(direction, rest, cls) : undefined;
      const reach = cols.reach(e.entity, direction);
      const named = direction === 'ingress' && cp.usesIngressNamed;
      const pk = named ? cls.namedKey : '';
      let byNamed = permits.get(reach);
      if (!byNamed) permits.set(reach, (byNamed = new Map<string, TablePair>()));
      let permit = byNamed.get(pk);
      // No rule in this direction permits nothing; one rule read without chains permits its own table.
      if (!permit && count === 0) permit = { yes: cols.nothing, maybe: cols.nothing };
      if (!permit && count === 1 && !uncertain && reach === cols.open) {
        const t = ruleTable(first, e);
        permit = { yes: t.yes, maybe: t.yes };
      }
      if (permit) byNamed.set(pk, permit);
      else {
        const yes = new Uint32Array(all.length);
        const maybe = uncertain ? new Uint32Array(all.length) : yes;
        for (let r = first; r < first + count; r++) {
          const t = ruleTable(r, e);
          for (let i = 0; i < yes.length; i++) {
            const y = (t.yes[i] ?? 0) & (reach.yes[i] ?? 0);
            yes[i] = (yes[i] ?? 0) | y;
            if (uncertain) maybe[i] = (maybe[i] ?? 0) | ((t.maybe[i] ?? 0) & (reach.maybe[i] ?? 0)) | y;
          }
        }
        byNamed.set(pk, (permit = { yes, maybe }));
      }
      // Rule counts over every pair with this subject at the rule's side: Σ over peers of the probes
      // matched × both weights, the pair of the subject with itself weighing w(w - 1), not w².
      for (let r = first; r < first + count; r++) {
        const s = memo.sums(ruleTable(r, e), reach, uncertain);
        ruleMatched[r] = (ruleMatched[r] ?? 0) + e.weight * s.yesTotal - (s.yes[index] ?? 0) * e.weight;
        ruleUnknown[r] =
          (ruleUnknown[r] ?? 0) + e.weight * s.unknownTotal - (s.unknown[index] ?? 0) * e.weight;
      }
      const without = cols.side(e, direction, restProfile);
      const alone = restProfile === undefined;
      const own = (direction === 'ingress' ? cols.ingress : cols.egress)[index];
      if (!own) return;
      out.set(index, { without, alone, permit, ...memo.affected(own, without, permit, uncertain && alone) });
    });
    return out;
  };
  const SI = sides('ingress');
  const SE = sides('egress');

  const c = zeroCounts();
  const E = endpoints.length;
  const egAt: (SubjectSide | undefined)[] = new Array<SubjectSide | undefined>(E);
  const ingAt: (SubjectSide | undefined)[] = new Array<SubjectSide | undefined>(E);
  for (const [i, side] of SE) egAt[i] = side;
  for (const [j, side] of SI) ingAt[j] = side;
  const { weights } = cols;
  /** Adds pair (a, b) (endpoint indexes) with P's sides `eg` at a and `ing` at b (either may be absent). */
  const pair = (i: number, j: number, eg: SubjectSide | undefined, ing: SubjectSide | undefined): void => {
    const ca = (col[i] ?? 0) * W;
    const cb = (col[j] ?? 0) * W;
    // Two external addresses are no pair; an endpoint with itself weighs w(w - 1).
    if (ca >= cols.n * W && cb >= cols.n * W) return;
    const wa = weights[i] ?? 0;
    const w = i === j ? wa * (wa - 1) : wa * (weights[j] ?? 0);
    const e1 = cols.egress[i];
    const i1 = cols.ingress[j];
    if (w === 0 || !e1 || !i1) return;
    const e0 = eg ? eg.without : e1;
    const i0 = ing ? ing.without : i1;
    const peY = eg ? eg.permit.yes : cols.nothing;
    const piY = ing ? ing.permit.yes : cols.nothing;
    const e1Y = e1.yes;
    const i1Y = i1.yes;
    const e0Y = e0.yes;
    const i0Y = i0.yes;
    for (let k = 0; k < W; k++) {
      const v = valid[k] ?? 0;
      const pY = ((peY[cb + k] ?? 0) | (piY[ca + k] ?? 0)) & v;
      const fY = (e1Y[cb + k] ?? 0) & (i1Y[ca + k] ?? 0);
      const f0Y = (e0Y[cb + k] ?? 0) & (i0Y[ca + k] ?? 0);
      if (!uncertain) {
        if (pY !== 0) {
          c.permittedFlowing += popcount32(pY & fY) * w;
          c.permittedBlocked += popcount32(pY & ~fY) * w;
        }
        const denied = ~pY & ~fY & f0Y & v;
        if (denied !== 0) c.denied += popcount32(denied) * w;
        continue;
      }
      // As `classifyPartial` in effect.ts, one word of probes at a time.
      const pM =
        ((eg ? (eg.permit.maybe[cb + k] ?? 0) : 0) | (ing ? (ing.permit.maybe[ca + k] ?? 0) : 0) | pY) & v;
      const fM = (e1.maybe[cb + k] ?? 0) & (i1.maybe[ca + k] ?? 0);
      const notP = ~pY & v;
      const rest = notP & ~pM;
      const denied = rest & ~fM & f0Y;
      const open = (ing?.alone ? (e0.maybe[cb + k] ?? 0) : 0) | (eg?.alone ? (i0.maybe[ca + k] ?? 0) : 0);
      const unknown = (pY & ~fY & fM) | (notP & pM) | (rest & ~denied & ~fY & open);
      c.permittedFlowing += popcount32(pY & fY) * w;
      c.permittedBlocked += popcount32(pY & ~fY & ~fM) * w;
      c.denied += popcount32(denied) * w;
      c.unknown += popcount32(unknown) * w;
    }
  };
  // Every pair P may affect, once: those its egress side may affect, then those its ingress side may
  // affect that the first loop did not take.
  for (const [i, eg] of SE) for (const j of eg.affected) pair(i, j, eg, ingAt[j]);
  for (const [j, ing] of SI)
    for (const i of ing.affected) {
      const eg = egAt[i];
      if (eg && eg.mark[j] === 1) continue;
      pair(i, j, eg, ing);
    }
  return {
    policy: cp.key,
    tier: 'NetworkPolicy',
    selects: selectedPods(state, cp.subject),
    isolates: { ingress: SI.size > 0, egress: SE.size > 0 },
    rules: ruleEffects(rules, ruleMatched, ruleUnknown),
    counts: finishCounts(c, cols.total),
  };
}
