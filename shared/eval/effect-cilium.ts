/**
 * The effect of one Cilium policy P (see `PolicyEffect`), over the sides of pods P selects, as `check`
 * reads them (cilium.ts): a side is decided by P where the Admin tier falls through to the NetworkPolicy
 * tier and
 * - an allow rule of P matches and no deny rule (of any policy) does: **permitted**, flowing or blocked
 *   at the other side (allows add up: another policy's allow matching too does not take it from P);
 * - else a deny rule of P matches: **denied** (another policy's deny matching too does not take it
 *   from P, as for allows);
 * - else P alone isolates the pod in that direction (no NetworkPolicy and no other Cilium rule with
 *   default deny selects it), nothing allows the connection, and without P the Baseline tier (or the
 *   default) would let it through: **denied** by P's default deny.
 * "Surely" and "possibly" give the class when they agree; else the connection is `unknown`
 * (conditional rules, unknowable entities, ties or unread objects upstream).
 */
import { hasBit, newBitset, type Bitset } from './bitset.ts';
import { effectEndpoints, EffectLists, finish, type Endpoint } from './effect.ts';
import { egressMasks, entityAtom, ingressMasks, ProbeSet, walkFor } from './query.ts';
import type { EvalState } from './state.ts';
import { rulePorts, type ChainOutcome } from './tiers.ts';
import { universe } from './universe.ts';
import type { Direction, PolicyEffect } from './types.ts';

interface Decided {
  readonly permitted: { readonly sure: Bitset; readonly possibly: Bitset };
  readonly denied: { readonly sure: Bitset; readonly possibly: Bitset };
}

export function ciliumPolicyEffect(state: EvalState, key: string, limit: number): PolicyEffect {
  const parts = state.ciliumParts.filter((p) => p.key === key);
  const u = universe(state);
  const probes = new ProbeSet(state, u.ports);
  const W = probes.words;
  const P = u.ports.length;
  const { endpoints, pods, externals } = effectEndpoints(state, u.externals);
  const out = new EffectLists(limit, u.ports);
  const subject = newBitset(state.words);
  for (const p of parts)
    for (let i = 0; i < subject.length; i++) subject[i] = (subject[i] ?? 0) | (p.subject[i] ?? 0);
  const isolates = (direction: Direction): boolean => parts.some((p) => p.defaultDeny[direction]);
  const applies = (e: Endpoint, direction: Direction): boolean =>
    e.cls !== undefined &&
    !e.cls.hostNetwork &&
    hasBit(subject, e.entity) &&
    (isolates(direction) || parts.some((p) => p[direction].length > 0));

  const decide = (s: Endpoint, direction: Direction, peer: Endpoint): Decided => {
    const fresh = (): { sure: Bitset; possibly: Bitset } => ({ sure: newBitset(W), possibly: newBitset(W) });
    const d = { permitted: fresh(), denied: fresh() };
    const { admin, baseline, cilium } = state.adminChains(s.entity, direction);
    // Where the NetworkPolicy tier is reached: surely (only a fall-through) and possibly.
    let reachYes: Bitset = probes.all;
    let reachMaybe: Bitset = probes.all;
    if (admin) {
      const o = walkFor(state, admin, peer.entity, probes);
      reachYes = newBitset(W);
      for (let i = 0; i < W; i++) reachYes[i] = (o.fall[i] ?? 0) & ~(o.accept[i] ?? 0) & ~(o.deny[i] ?? 0);
      reachMaybe = o.fall;
    }
    const all = probes.all;
    let o: ChainOutcome = { accept: newBitset(W), deny: newBitset(W), fall: all.slice() };
    // P's rules that match, surely and possibly, per action (a rule of P matching is what counts,
    // whichever policy's rule comes first).
    const match = { Accept: fresh(), Deny: fresh() };
    if (cilium) {
      o = walkFor(state, cilium, peer.entity, probes);
      const tmp = newBitset(W);
      for (const step of cilium.steps)
        for (const p of step.policies) {
          if (p.cp.key !== key) continue;
          const into = match[p.cp.deny ? 'Deny' : 'Accept'];
          for (const cr of p.rules) {
            const r = cr.rule;
            const atom = peer.entity >= 0 ? -1 : entityAtom(peer.entity);
            const sure = atom < 0 ? hasBit(r.classes, peer.entity) : hasBit(r.ext, atom);
            const maybe = atom < 0 ? hasBit(r.maybe, peer.entity) : hasBit(r.maybeExt, atom);
            if (!maybe) continue;
            const m = rulePorts(cr, peer.cls, probes, tmp);
            for (let i = 0; i < W; i++) {
              if (sure) into.sure[i] = (into.sure[i] ?? 0) | (m[i] ?? 0);
              into.possibly[i] = (into.possibly[i] ?? 0) | (m[i] ?? 0);
            }
          }
        }
    }
    // Default deny of P alone: no NetworkPolicy, no other Cilium rule with default deny selects the pod.
    const profile = direction === 'ingress' ? state.ingressProfile : state.egressProfile;
    const alone =
      isolates(direction) &&
      profile[s.entity] === undefined &&
      !state.view.policiesHidden(s.cls?.namespace ?? '') &&
      state.ciliumIsolating(s.entity, direction).every((k) => k === key) &&
      parts.some((p) => p.defaultDeny[direction] && hasBit(p.subject, s.entity));
    let baseYes: Bitset = all;
    let baseMaybe: Bitset = all;
    if (alone && baseline) {
      const b = walkFor(state, baseline, peer.entity, probes);
      baseYes = newBitset(W);
      baseMaybe = newBitset(W);
      for (let i = 0; i < W; i++) {
        baseYes[i] = ~(b.deny[i] ?? 0) & (all[i] ?? 0);
        baseMaybe[i] = ((b.accept[i] ?? 0) | (b.fall[i] ?? 0)) & (all[i] ?? 0);
      }
    }
    for (let i = 0; i < W; i++) {
      const denySure = (o.deny[i] ?? 0) & ~(o.accept[i] ?? 0) & ~(o.fall[i] ?? 0);
      const fallOnly = (o.fall[i] ?? 0) & ~(o.accept[i] ?? 0) & ~(o.deny[i] ?? 0);
      d.permitted.sure[i] = (match.Accept.sure[i] ?? 0) & (reachYes[i] ?? 0) & ~(o.deny[i] ?? 0);
      d.permitted.possibly[i] = (match.Accept.possibly[i] ?? 0) & (reachMaybe[i] ?? 0) & ~denySure;
      const isoSure = alone ? (reachYes[i] ?? 0) & fallOnly & (baseYes[i] ?? 0) : 0;
      const isoMaybe = alone ? (reachMaybe[i] ?? 0) & (o.fall[i] ?? 0) & (baseMaybe[i] ?? 0) : 0;
      d.denied.sure[i] = ((match.Deny.sure[i] ?? 0) & (reachYes[i] ?? 0)) | isoSure;
      d.denied.possibly[i] = ((match.Deny.possibly[i] ?? 0) & (reachMaybe[i] ?? 0)) | isoMaybe;
    }
    return d;
  };

  const none: Decided = {
    permitted: { sure: newBitset(W), possibly: newBitset(W) },
    denied: { sure: newBitset(W), possibly: newBitset(W) },
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
      const e = egSubject ? decide(a, 'egress', b) : none;
      const i = inSubject ? decide(b, 'ingress', a) : none;
      const e1 = egressMasks(state, a.entity, b.entity, probes);
      const i1 = ingressMasks(state, b.entity, a.entity, probes);
      for (let k = 0; k < P; k++) {
        const word = k >>> 5;
        const bit = 1 << (k & 31);
        const at = (m: Bitset): boolean => ((m[word] ?? 0) & bit) !== 0;
        if (at(e.permitted.sure) || at(i.permitted.sure)) {
          const flows = at(e1.yes) && at(i1.yes);
          const mayFlow = at(e1.maybe) && at(i1.maybe);
          out.record(flows ? 'permittedFlowing' : mayFlow ? 'unknown' : 'permittedBlocked', a, b, k, w);
        } else if (at(e.permitted.possibly) || at(i.permitted.possibly)) out.record('unknown', a, b, k, w);
        else if (at(e.denied.sure) || at(i.denied.sure)) out.record('denied', a, b, k, w);
        else if (at(e.denied.possibly) || at(i.denied.possibly)) out.record('unknown', a, b, k, w);
      }
    }
  }
  const total = (pods * (pods - 1) + 2 * pods * externals) * P;
  const selects = state.classes.classes
    .filter((c) => c.pods.size > 0 && hasBit(subject, c.id))
    .flatMap((c) => [...c.pods])
    .sort();
  return {
    policy: key,
    tier: 'NetworkPolicy',
    selects,
    isolates: {
      ingress: isolates('ingress') && selects.length > 0,
      egress: isolates('egress') && selects.length > 0,
    },
    // Cilium rules are named by their place in the object (spec / specs[i], the four lists), which
    // RuleEffect's direction + index cannot say; check and reach name them.
    rules: [],
    ...finish(out, total),
  };
}
