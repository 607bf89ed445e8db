/**
 * One side of one connection through Calico's tiers (calico.ts), with provenance: each tier's first
 * matching rule (a Pass goes on to the next tier), the Kubernetes NetworkPolicies inside the default
 * tier, a tier's default action, the admin tiers at kube-admin / kube-baseline, and the profile's
 * allow at the end. It reads the same chains as the bitset paths and reaches the same verdict by the
 * same rule: a set of possible outcomes per tier, a verdict only when they all agree.
 */
import { hasBit } from './bitset.ts';
import type { CalicoMember, CalicoStage, CompiledCalicoRule } from './calico.ts';
import { refProtocol, type PodClass } from './classes.ts';
import { readChain, type Outcome } from './explain-tiers.ts';
import { encodePort } from './ports.ts';
import { entityAtom, type Entity } from './query.ts';
import type { EvalState } from './state.ts';
import type { AdminChain } from './tiers.ts';
import {
  sideAllows,
  type CalicoPathStep,
  type CalicoRuleMatch,
  type DecidingTier,
  type Direction,
  type RuleMatch,
  type SideResult,
  type TierTrace,
} from './types.ts';
import { View } from './visibility.ts';

interface Reason {
  readonly text: string;
  /** The match holds for some requests only (HTTP): the verdict is conditional rather than unknown. */
  readonly conditional: boolean;
}

/** One stage read for a connection: possible outcomes, the first match, why more than one is possible. */
interface Reading {
  readonly possible: ReadonlySet<Outcome>;
  readonly step: CalicoPathStep | undefined;
  readonly reasons: readonly Reason[];
  readonly decidedBy: DecidingTier;
  /** The Calico policies (keys) whose rule matched first, for the side's `policies`. */
  readonly policies: readonly string[];
  /** The NetworkPolicies of the default tier matched first. */
  readonly np: boolean;
}

function outcomeOf(action: CompiledCalicoRule['action']): Outcome {
  return action === 'Accept' ? 'accept' : action === 'Deny' ? 'deny' : 'fall';
}

function matchOf(cp: CalicoMember, rule: CompiledCalicoRule): CalicoRuleMatch {
  const base = {
    tier: cp.tier.name,
    direction: rule.direction,
    action: rule.calicoAction,
    ...(rule.conditional !== undefined ? { conditional: rule.conditional } : {}),
  };
  switch (cp.kind) {
    case 'policy':
      return {
        ...base,
        source: {
          kind: 'rule',
          policy: cp.key,
          policyKind: cp.policy.kind,
          ...(cp.policy.order !== undefined ? { order: cp.policy.order } : {}),
          rule: rule.index,
        },
      };
    case 'np':
      return {
        ...base,
        source: { kind: 'network-policies', policies: cp.profile.policies.map((p) => p.key) },
      };
    case 'end':
      return { ...base, source: { kind: 'tier-default' } };
  }
}

function describeMatch(m: CalicoRuleMatch): string {
  switch (m.source.kind) {
    case 'rule':
      return `${m.source.policy} ${m.direction}[${m.source.rule}]`;
    case 'network-policies':
      return `the NetworkPolicies of tier ${m.tier}`;
    case 'tier-default':
      return `the default action of tier ${m.tier}`;
  }
}

/** Reads one Calico tier's chain: the first sure match decides; possible ones before it widen. */
function readCalicoChain(
  state: EvalState,
  chain: AdminChain<CalicoMember>,
  subjectNamespace: string,
  other: Entity,
  code: number,
  dst: PodClass | undefined,
): Reading {
  const possible = new Set<Outcome>();
  const reasons: Reason[] = [];
  let first: { match: CalicoRuleMatch; cp: CalicoMember } | undefined;
  const done = (): Reading => ({
    possible,
    step: first ? { kind: 'calico', match: first.match } : undefined,
    reasons,
    decidedBy: 'NetworkPolicy',
    policies: first?.cp.kind === 'policy' ? [first.cp.key] : [],
    np: first?.cp.kind === 'np',
  });
  if (chain.hidden) {
    for (const o of ['accept', 'deny', 'fall'] as const) possible.add(o);
    reasons.push({ text: View.policiesReason(subjectNamespace), conditional: false });
    return done();
  }
  for (const step of chain.steps)
    for (const p of step.policies)
      for (const cr of p.rules) {
        const rule = cr.rule;
        const staticHit = state.portSets.contains(cr.ports, code);
        const namedHit = cr.peerNamed.some((ref) =>
          (dst?.namedPorts.get(ref) ?? []).some((port) => encodePort(refProtocol(ref), port) === code),
        );
        if (!staticHit && !namedHit) continue;
        const sure = other >= 0 ? hasBit(rule.classes, other) : hasBit(rule.ext, entityAtom(other));
        const maybe = other >= 0 ? hasBit(rule.maybe, other) : hasBit(rule.maybeExt, entityAtom(other));
        if (!sure && !maybe) continue;
        const m = matchOf(p.cp, rule);
        possible.add(outcomeOf(rule.action));
        if (sure && p.sure) {
          if (!first || possible.size === 1) first = { match: m, cp: p.cp };
          return done();
        }
        first ??= { match: m, cp: p.cp };
        const why =
          !p.sure && p.cp.kind === 'policy'
            ? (p.cp.subjectWhy ?? `whether ${p.cp.key} applies to this pod is uncertain`)
            : rule.conditional !== undefined
              ? `${describeMatch(m)}: ${rule.conditional}`
              : `${describeMatch(m)} matches only possibly: ${rule.unknown ?? 'it reads namespace labels that could not be read'}`;
        reasons.push({
          text: why,
          conditional: p.sure && rule.conditional !== undefined && rule.unknown === undefined,
        });
      }
  possible.add('fall');
  return done();
}

/**
 * The side at `subject` through Calico's tiers. `np` gives the NetworkPolicy tier's own answer, used
 * for its rule matches when the NetworkPolicies of the default tier allow.
 */
export function calicoSide(
  state: EvalState,
  direction: Direction,
  subject: Entity,
  other: Entity,
  code: number,
  np: () => SideResult,
): SideResult {
  const profile = state.side(subject, direction);
  const stages: readonly CalicoStage[] = profile?.tiers?.calico ?? [];
  const { admin, baseline } = state.adminChains(subject, direction);
  const cls = state.classes.get(subject);
  const dstEntity = direction === 'ingress' ? subject : other;
  const dst = dstEntity >= 0 ? state.classes.get(dstEntity) : undefined;
  const tiers = stages.flatMap((s) =>
    s.kind === 'chain' ? [s.tier.name] : s.kind === 'admin' ? ['kube-admin'] : ['kube-baseline'],
  );
  const trace = (decidedBy: DecidingTier, path: readonly CalicoPathStep[]): TierTrace => ({
    adminPolicies: admin ? admin.steps.flatMap((s) => s.policies.map((p) => p.cp.key)) : [],
    baselinePolicies: baseline ? baseline.steps.flatMap((s) => s.policies.map((p) => p.cp.key)) : [],
    calicoTiers: [...new Set(tiers)],
    calicoPath: path,
    decidedBy,
  });

  const read = (stage: CalicoStage): Reading | undefined => {
    if (stage.kind === 'chain') return readCalicoChain(state, stage.chain, cls.namespace, other, code, dst);
    const chain = stage.kind === 'admin' ? admin : baseline;
    if (!chain) return undefined;
    const r = readChain(state, chain, other, code, dst);
    return {
      possible: r.possible,
      step: r.match ? { kind: 'admin', match: r.match } : undefined,
      reasons: r.reasons.map((text) => ({ text, conditional: false })),
      decidedBy: stage.kind === 'admin' ? 'Admin' : 'Baseline',
      policies: [],
      np: false,
    };
  };

  const from = (k: number, path: readonly CalicoPathStep[]): SideResult => {
    const stage = stages[k];
    if (!stage) {
      const last = [...path, { kind: 'profile' as const }];
      return { kind: 'not-isolated', tiers: trace('default', last) };
    }
    const r = read(stage);
    if (!r) return from(k + 1, path);
    const here = r.step ? [...path, r.step] : path;
    const only = (o: Outcome): boolean => r.possible.size === 1 && r.possible.has(o);
    const allowed = (): SideResult => {
      const n = r.np ? np() : undefined;
      const matches: readonly RuleMatch[] = n?.kind === 'allowed' ? n.matches : [];
      const policies = n?.kind === 'allowed' ? n.policies : r.policies;
      return { kind: 'allowed', policies, matches, tiers: trace(r.decidedBy, here) };
    };
    if (only('deny')) return { kind: 'denied', policies: r.policies, tiers: trace(r.decidedBy, here) };
    if (only('accept')) return allowed();
    const next = from(k + 1, here);
    if (only('fall')) return next;
    const nextAllows = sideAllows(next);
    const surely = !r.possible.has('deny') && (!r.possible.has('fall') || nextAllows === true);
    const possibly = r.possible.has('accept') || (r.possible.has('fall') && nextAllows !== false);
    if (surely) return next.kind === 'allowed' || next.kind === 'not-isolated' ? next : allowed();
    if (!possibly)
      return next.kind === 'denied'
        ? next
        : { kind: 'denied', policies: r.policies, tiers: trace(r.decidedBy, here) };
    const nextConditional = next.kind !== 'unknown' || next.conditional === true;
    // An HTTP rule's "else" is what the rest of the tier says (often its default Deny): the side is
    // conditional when every doubt comes from such rules, a possible Deny included.
    const conditional = nextConditional && r.reasons.length > 0 && r.reasons.every((x) => x.conditional);
    const reasons = new Set([
      ...r.reasons.map((x) => x.text),
      ...(next.kind === 'unknown' ? next.reason.split('; ') : []),
    ]);
    return {
      kind: 'unknown',
      reason: [...reasons].join('; '),
      policies:
        next.kind === 'allowed' || next.kind === 'denied' || next.kind === 'unknown'
          ? [...new Set([...r.policies, ...next.policies])]
          : r.policies,
      possible: next.kind === 'unknown' ? next.possible : [],
      ...(conditional ? { conditional: true } : {}),
      tiers: trace(r.decidedBy, here),
    };
  };
  return from(0, []);
}
