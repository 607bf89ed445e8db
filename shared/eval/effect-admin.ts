/**
 * The effect of one admin-tier policy P (see `PolicyEffect`): each connection is classed by the rule of
 * P that decides one of its sides, as `check` explains it — permitted (an Accept of P; flowing, or
 * blocked by the other side), denied (a Deny of P), passed (a Pass of P sends the side to the next
 * tier), else unaffected. Only sides whose pod P applies to can be decided by P, so the work is
 * O(subject classes × endpoints), as for NetworkPolicies. A Baseline rule decides only where the Admin
 * tier falls through and no NetworkPolicy isolates the pod.
 *
 * "Surely" and "possibly" decided (tiers.ts) give the class when they agree; else the connection is
 * `unknown` (unread objects, `nodes`/`domainNames` peers, or a tie of equal priorities).
 */
import type { AdminAction } from '../model/snapshot.ts';
import { hasBit, newBitset, popcount32, type Bitset } from './bitset.ts';
import type { CompiledAdminPolicy, CompiledAdminRule } from './admin.ts';
import { effectEndpoints, EffectLists, finish, type Endpoint } from './effect.ts';
import { egressMasks, ingressMasks, npReach, ProbeSet, walkFor } from './query.ts';
import type { EvalState } from './state.ts';
import { universe } from './universe.ts';
import type { Direction, PolicyEffect, RuleEffect } from './types.ts';

interface Decided {
  /** Per action: probes P surely / possibly decides at this side. */
  readonly sure: Record<AdminAction, Bitset>;
  readonly possibly: Record<AdminAction, Bitset>;
}

export function adminPolicyEffect(state: EvalState, cp: CompiledAdminPolicy, limit: number): PolicyEffect {
  const u = universe(state);
  const probes = new ProbeSet(state, u.ports);
  const W = probes.words;
  const P = u.ports.length;
  const { endpoints, pods, externals } = effectEndpoints(state, u.externals);
  const out = new EffectLists(limit, u.ports);
  const rules: CompiledAdminRule[] = [...cp.ingress, ...cp.egress];
  const ruleMatched = new Float64Array(rules.length);
  const ruleUnknown = new Float64Array(rules.length);
  const tier = cp.tier === 'Admin' ? 'admin' : 'baseline';

  const applies = (e: Endpoint, direction: Direction): boolean =>
    e.cls !== undefined && cp[direction].length > 0 && hasBit(cp.maybeSubject, e.entity);

  /** What P decides at the side of `subject` towards `peer`, counting its rules with weight `w`. */
  const decide = (subject: Endpoint, direction: Direction, peer: Endpoint, w: number): Decided => {
    const fresh = (): Record<AdminAction, Bitset> => ({
      Accept: newBitset(W),
      Deny: newBitset(W),
      Pass: newBitset(W),
    });
    const d: Decided = { sure: fresh(), possibly: fresh() };
    const chain = state.adminChains(subject.entity, direction)[tier];
    if (!chain) return d;
    const perRule = new Map<CompiledAdminRule, { sure: Bitset; possibly: Bitset }>();
    walkFor(state, chain, peer.entity, probes, (p, cr, possibly, sure) => {
      if (p.cp !== cp) return;
      const m = perRule.get(cr.rule) ?? { sure: newBitset(W), possibly: newBitset(W) };
      for (let i = 0; i < W; i++) {
        m.sure[i] = (m.sure[i] ?? 0) | (sure[i] ?? 0);
        m.possibly[i] = (m.possibly[i] ?? 0) | (possibly[i] ?? 0);
      }
      perRule.set(cr.rule, m);
    });
    // A Baseline rule is read only past the Admin tier, for a pod no NetworkPolicy isolates.
    let gateYes: Bitset = probes.all;
    let gateMaybe: Bitset = probes.all;
    if (tier === 'baseline') {
      const cls = subject.cls;
      const isolated = (direction === 'ingress' ? state.ingressProfile : state.egressProfile)[subject.entity];
      if (!cls || isolated || state.ciliumIsolates(subject.entity, direction)) return d;
      const r = npReach(state, subject.entity, direction, peer.entity, probes);
      gateYes = state.view.policiesHidden(cls.namespace) ? newBitset(W) : r.yes;
      gateMaybe = r.maybe;
    }
    for (const [rule, m] of perRule) {
      let sureBits = 0;
      let maybeBits = 0;
      for (let i = 0; i < W; i++) {
        const s = (m.sure[i] ?? 0) & (gateYes[i] ?? 0);
        const p = (m.possibly[i] ?? 0) & (gateMaybe[i] ?? 0);
        d.sure[rule.action][i] = (d.sure[rule.action][i] ?? 0) | s;
        d.possibly[rule.action][i] = (d.possibly[rule.action][i] ?? 0) | p;
        sureBits += popcount32(s);
        maybeBits += popcount32(p & ~s);
      }
      const r = rules.indexOf(rule);
      ruleMatched[r] = (ruleMatched[r] ?? 0) + sureBits * w;
      ruleUnknown[r] = (ruleUnknown[r] ?? 0) + maybeBits * w;
    }
    return d;
  };

  const none: Decided = {
    sure: { Accept: newBitset(W), Deny: newBitset(W), Pass: newBitset(W) },
    possibly: { Accept: newBitset(W), Deny: newBitset(W), Pass: newBitset(W) },
  };
  const ingressEnds = endpoints.filter((b) => applies(b, 'ingress'));
  for (const a of endpoints) {
    const egSubject = applies(a, 'egress');
    for (const b of egSubject ? endpoints : ingressEnds) {
      if (!a.cls && !b.cls) continue;
      const inSubject = applies(b, 'ingress');
      if (!egSubject && !inSubject) continue;
      const w = a === b ? a.weight * (a.weight - 1) : a.weight * b.weight;
      if (w === 0) continue;
      const e = egSubject ? decide(a, 'egress', b, w) : none;
      const i = inSubject ? decide(b, 'ingress', a, w) : none;
      const e1 = egressMasks(state, a.entity, b.entity, probes);
      const i1 = ingressMasks(state, b.entity, a.entity, probes);
      for (let k = 0; k < P; k++) {
        const word = k >>> 5;
        const bit = 1 << (k & 31);
        const at = (m: Bitset): boolean => ((m[word] ?? 0) & bit) !== 0;
        const sure = (x: AdminAction): boolean => at(e.sure[x]) || at(i.sure[x]);
        const possibly = (x: AdminAction): boolean => at(e.possibly[x]) || at(i.possibly[x]);
        if (sure('Accept')) {
          const flows = at(e1.yes) && at(i1.yes);
          const mayFlow = at(e1.maybe) && at(i1.maybe);
          out.record(flows ? 'permittedFlowing' : mayFlow ? 'unknown' : 'permittedBlocked', a, b, k, w);
        } else if (possibly('Accept')) out.record('unknown', a, b, k, w);
        else if (sure('Deny')) out.record('denied', a, b, k, w);
        else if (possibly('Deny')) out.record('unknown', a, b, k, w);
        else if (sure('Pass')) out.record('passed', a, b, k, w);
        else if (possibly('Pass')) out.record('unknown', a, b, k, w);
      }
    }
  }
  const total = (pods * (pods - 1) + 2 * pods * externals) * P;
  const selects = state.classes.classes
    .filter((c) => c.pods.size > 0 && hasBit(cp.subject, c.id))
    .flatMap((c) => [...c.pods])
    .sort();
  const ruleEffects: RuleEffect[] = rules.map((rule, r) => ({
    direction: rule.direction,
    rule: rule.index,
    matched: ruleMatched[r] ?? 0,
    unknown: ruleUnknown[r] ?? 0,
    matchesNothing: (ruleMatched[r] ?? 0) + (ruleUnknown[r] ?? 0) === 0,
  }));
  return {
    policy: cp.key,
    tier: cp.tier,
    selects,
    isolates: { ingress: false, egress: false },
    rules: ruleEffects,
    ...finish(out, total),
  };
}
