/**
 * One side of one connection through the tiers, with provenance: which Admin rule matched (Pass, or the
 * deciding Accept/Deny), what the NetworkPolicy tier said, which Baseline rule matched. It reads the
 * same chains as the bitset paths (tiers.ts) and reaches the same verdict by the same rule: a set of
 * possible outcomes per tier, a verdict only when they all agree.
 */
import type { AdminAction } from '../model/snapshot.ts';
import { hasBit } from './bitset.ts';
import type { CompiledAdminPolicy, CompiledAdminRule } from './admin.ts';
import { refProtocol, type ClassId, type PodClass } from './classes.ts';
import { encodePort } from './ports.ts';
import { entityAtom, type Entity } from './query.ts';
import type { EvalState } from './state.ts';
import type { AdminChain, ChainMember, ChainPolicy } from './tiers.ts';
import { ciliumRulePath, type CompiledCiliumPart, type CompiledCiliumRule } from './cilium.ts';
import {
  sideAllows,
  type AdminRuleMatch,
  type CiliumRuleMatch,
  type DecidingTier,
  type Direction,
  type SideResult,
  type TierTrace,
} from './types.ts';
import { View } from './visibility.ts';

export type Outcome = 'accept' | 'deny' | 'fall';

export interface TierReading {
  /** Outcomes that are possible; exactly one when the tier's answer is certain. */
  readonly possible: ReadonlySet<Outcome>;
  /** The first matching rule (the deciding one when certain). */
  readonly match: AdminRuleMatch | undefined;
  /** Why more than one outcome is possible. */
  readonly reasons: readonly string[];
}

function portEntries(rule: CompiledAdminRule, state: EvalState, code: number, dst: PodClass | undefined) {
  if (rule.ports === 'any') return ['any' as const];
  const out: number[] = [];
  for (const entry of rule.ports) {
    if (entry.named.length > 0) {
      const hit = entry.named.some((ref) =>
        (dst?.namedPorts.get(ref) ?? []).some((p) => encodePort(refProtocol(ref), p) === code),
      );
      if (hit) out.push(entry.index);
    } else if (state.portSets.contains(entry.staticPorts, code)) out.push(entry.index);
  }
  return out;
}

function matchOf(
  cp: CompiledAdminPolicy,
  rule: CompiledAdminRule,
  peer: number,
  port: number | 'any',
): AdminRuleMatch {
  return {
    policy: cp.key,
    kind: cp.policy.kind,
    tier: cp.tier,
    priority: cp.priority,
    direction: rule.direction,
    rule: rule.index,
    ...(rule.name !== undefined ? { ruleName: rule.name } : {}),
    action: rule.action,
    peer,
    port,
  };
}

function outcomeOf(action: AdminAction): Outcome {
  return action === 'Accept' ? 'accept' : action === 'Deny' ? 'deny' : 'fall';
}

function describeRule(m: AdminRuleMatch): string {
  return `${m.policy} ${m.direction}[${m.rule}]${m.ruleName ? ` (${m.ruleName})` : ''}`;
}

/** Reads one tier's chain for a connection whose other end is `other`, on port `code`. */
export function readChain(
  state: EvalState,
  chain: AdminChain | undefined,
  other: Entity,
  code: number,
  dst: PodClass | undefined,
): TierReading {
  const possible = new Set<Outcome>();
  if (!chain) return { possible: new Set(['fall']), match: undefined, reasons: [] };
  if (chain.hidden)
    return {
      possible: new Set(['accept', 'deny', 'fall']),
      match: undefined,
      reasons: [View.clusterPoliciesReason()],
    };
  const reasons: string[] = [];
  let first: AdminRuleMatch | undefined;
  for (const step of chain.steps) {
    let stepMayFall = true;
    const stepMatches: AdminRuleMatch[] = [];
    for (const p of step.policies) {
      const { mayFall } = readPolicy(state, p, other, code, dst, (m, sure, why) => {
        possible.add(outcomeOf(m.action));
        stepMatches.push(m);
        first ??= m;
        if (!sure && why) reasons.push(why);
      });
      if (!mayFall) stepMayFall = false;
    }
    if (step.policies.length > 1 && stepMatches.length > 0) {
      const actions = new Set(stepMatches.map((m) => outcomeOf(m.action)));
      if (actions.size > 1 || stepMayFall) {
        const names = step.policies.map((p) => p.cp.key).join(', ');
        reasons.push(
          `${names} share priority ${step.policies[0]?.cp.priority ?? ''} in the ${step.policies[0]?.cp.tier ?? ''} tier and apply to this pod: their order, and so which rule decides, is implementation-defined`,
        );
      }
    }
    if (!stepMayFall) return { possible, match: first, reasons };
  }
  possible.add('fall');
  return { possible, match: first, reasons };
}

/**
 * Walks one policy's rules; `found` gets every rule that possibly matches before the first sure one
 * (and that one). Returns whether no rule may match (evaluation may go on past the policy).
 */
function readPolicy(
  state: EvalState,
  p: ChainPolicy,
  other: Entity,
  code: number,
  dst: PodClass | undefined,
  found: (m: AdminRuleMatch, sure: boolean, why: string | undefined) => void,
): { readonly mayFall: boolean } {
  for (const cr of p.rules) {
    const rule = cr.rule;
    const ports = portEntries(rule, state, code, dst);
    if (ports.length === 0) continue;
    const port = ports[0] ?? 'any';
    let surePeer = -1;
    let maybePeer = -1;
    for (const peer of rule.peers) {
      const sure = other >= 0 ? hasBit(peer.classes, other) : hasBit(peer.ext, entityAtom(other));
      const maybe = other >= 0 ? hasBit(peer.maybe, other) : hasBit(peer.maybeExt, entityAtom(other));
      if (sure && surePeer < 0) surePeer = peer.index;
      if (maybe && maybePeer < 0) maybePeer = peer.index;
    }
    if (surePeer >= 0 && p.sure) {
      found(matchOf(p.cp, rule, surePeer, port), true, undefined);
      return { mayFall: false };
    }
    const possiblePeer = surePeer >= 0 ? surePeer : maybePeer;
    if (possiblePeer < 0) continue;
    const m = matchOf(p.cp, rule, possiblePeer, port);
    const kind = rule.peers[possiblePeer]?.peer.kind;
    const why = !p.sure
      ? `whether ${p.cp.key} applies to this pod depends on namespace labels that could not be read`
      : kind === 'nodes' || kind === 'domainNames'
        ? `${describeRule(m)} matches ${kind === 'nodes' ? 'node addresses' : 'domain names'}, which netglass cannot resolve: whether this address is one is unknown`
        : `${describeRule(m)} matches only if namespace labels that could not be read match its selector`;
    found(m, false, why);
  }
  return { mayFall: true };
}

function policyKeys(chain: AdminChain<ChainMember> | undefined): string[] {
  return chain ? chain.steps.flatMap((s) => s.policies.map((p) => p.cp.key)) : [];
}

/** Admin-tier policies with rules in this direction that apply to a class: Admin tier, then Baseline. */
export function chainPolicyKeys(state: EvalState, c: ClassId, direction: Direction): string[] {
  const { admin, baseline } = state.adminChains(c, direction);
  return [...policyKeys(admin), ...policyKeys(baseline)];
}

/** Allowed / denied / unknown of a side, from the sides kinds. */
function allows(result: SideResult): boolean | 'unknown' {
  return sideAllows(result);
}

/**
 * The side through the tiers: Admin chain, then the NetworkPolicy tier (`np`, computed only when an
 * outcome may fall through), then the Baseline chain for a pod no NetworkPolicy isolates.
 */
export function tieredSide(
  state: EvalState,
  direction: Direction,
  subject: Entity,
  other: Entity,
  code: number,
  np: () => SideResult,
): SideResult {
  const { admin, baseline, cilium } = state.adminChains(subject, direction);
  const dstEntity = direction === 'ingress' ? subject : other;
  const dst = dstEntity >= 0 ? state.classes.get(dstEntity) : undefined;
  const a = readChain(state, admin, other, code, dst);
  const only = (r: TierReading, o: Outcome): boolean => r.possible.size === 1 && r.possible.has(o);
  // Cilium's rules are read only where the Admin tier may fall through to the NetworkPolicy tier.
  const c = cilium && a.possible.has('fall') ? readCilium(state, cilium, other, code, dst) : undefined;
  const trace = (decidedBy: DecidingTier, b?: TierReading): TierTrace => ({
    adminPolicies: policyKeys(admin),
    ...(a.match ? { admin: a.match } : {}),
    baselinePolicies: policyKeys(baseline),
    ...(b?.match ? { baseline: b.match } : {}),
    ...(cilium ? { ciliumPolicies: [...new Set(policyKeys(cilium))] } : {}),
    ...(c?.match ? { cilium: c.match } : {}),
    decidedBy,
  });
  if (only(a, 'accept')) return { kind: 'allowed', policies: [], matches: [], tiers: trace('Admin') };
  if (only(a, 'deny')) return { kind: 'denied', policies: [], tiers: trace('Admin') };

  // The next tier: Cilium's rules first (deny, then allow), then NetworkPolicy isolation, else
  // Baseline, else the default allow.
  let b: TierReading | undefined;
  const next = c ? ciliumSide(c, belowCilium, () => trace('NetworkPolicy', b)) : belowCilium();
  if (only(a, 'fall')) return next;
  return adminOver(next);

  function belowCilium(): SideResult {
    const n = np();
    let next: SideResult;
    if (n.kind !== 'not-isolated' && n.kind !== 'not-subject') next = { ...n, tiers: trace('NetworkPolicy') };
    else {
      b = readChain(state, baseline, other, code, dst);
      if (only(b, 'accept'))
        next = { kind: 'allowed', policies: [], matches: [], tiers: trace('Baseline', b) };
      else if (only(b, 'deny')) next = { kind: 'denied', policies: [], tiers: trace('Baseline', b) };
      else if (only(b, 'fall')) next = { kind: 'not-isolated', tiers: trace('default', b) };
      else
        next = b.possible.has('deny')
          ? {
              kind: 'unknown',
              reason: [...new Set(b.reasons)].join('; '),
              policies: [],
              possible: [],
              tiers: trace('Baseline', b),
            }
          : { kind: 'not-isolated', tiers: trace('default', b) };
    }
    return next;
  }

  function adminOver(next: SideResult): SideResult {
    // Several Admin outcomes are possible: stated only when all of them agree with the next tier.
    const nextAllows = allows(next);
    const surely = !a.possible.has('deny') && (!a.possible.has('fall') || nextAllows === true);
    const possibly = a.possible.has('accept') || (a.possible.has('fall') && nextAllows !== false);
    if (surely)
      return next.kind === 'allowed' || next.kind === 'not-isolated'
        ? next
        : { kind: 'allowed', policies: [], matches: [], tiers: trace('Admin') };
    if (!possibly)
      return next.kind === 'denied' ? next : { kind: 'denied', policies: [], tiers: trace('Admin') };
    const reasons = new Set([...a.reasons, ...(next.kind === 'unknown' ? next.reason.split('; ') : [])]);
    return {
      kind: 'unknown',
      reason: [...reasons].join('; '),
      policies:
        next.kind === 'allowed' || next.kind === 'denied' || next.kind === 'unknown' ? next.policies : [],
      possible: next.kind === 'unknown' ? next.possible : [],
      tiers: trace('Admin', b),
    };
  }
}

interface CiliumReading {
  readonly possible: ReadonlySet<Outcome>;
  readonly match: CiliumRuleMatch | undefined;
  /** Why more than one outcome is possible, and whether each reason is a condition (L7/FQDN/Service). */
  readonly reasons: readonly { readonly text: string; readonly conditional: boolean }[];
}

function ciliumMatchOf(
  cp: CompiledCiliumPart,
  rule: CompiledCiliumRule,
  port: number | 'any',
): CiliumRuleMatch {
  return {
    policy: cp.key,
    kind: cp.policy.kind,
    direction: rule.direction,
    rule: ciliumRulePath(cp.policy, cp.spec, rule.list, rule.index),
    action: rule.action === 'Deny' ? 'Deny' : 'Allow',
    port,
    ...(rule.conditional !== undefined ? { conditional: rule.conditional } : {}),
  };
}

/** Reads the Cilium chain: the first sure match decides (deny members come first); maybes widen. */
function readCilium(
  state: EvalState,
  chain: AdminChain<CompiledCiliumPart>,
  other: Entity,
  code: number,
  dst: PodClass | undefined,
): CiliumReading {
  const possible = new Set<Outcome>();
  const reasons: { text: string; conditional: boolean }[] = [];
  let first: CiliumRuleMatch | undefined;
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
        const m = ciliumMatchOf(p.cp, rule, rule.port);
        possible.add(outcomeOf(rule.action));
        if (sure) {
          // A sure match before any possible one is the answer; after one, it still ends the walk.
          if (!first || possible.size === 1) first = m;
          return { possible, match: first, reasons };
        }
        first ??= m;
        const where = `${m.policy} ${m.rule}`;
        if (rule.conditional !== undefined)
          reasons.push({ text: `${where}: ${rule.conditional}`, conditional: true });
        else
          reasons.push({ text: `${where}: ${rule.unknown ?? 'its match is uncertain'}`, conditional: false });
      }
  possible.add('fall');
  return { possible, match: first, reasons };
}

/** The NetworkPolicy tier with Cilium's rules read first; `below` is isolation / Baseline / default. */
function ciliumSide(c: CiliumReading, below: () => SideResult, trace: () => TierTrace): SideResult {
  const only = (o: Outcome): boolean => c.possible.size === 1 && c.possible.has(o);
  const policies = c.match ? [c.match.policy] : [];
  if (only('deny')) return { kind: 'denied', policies, tiers: trace() };
  if (only('accept')) return { kind: 'allowed', policies, matches: [], tiers: trace() };
  const next = below();
  // What `below` returns carries its own trace, this Cilium reading included.
  if (only('fall')) return next;
  const nextAllows = sideAllows(next);
  const surely = !c.possible.has('deny') && (!c.possible.has('fall') || nextAllows === true);
  const possibly = c.possible.has('accept') || (c.possible.has('fall') && nextAllows !== false);
  if (surely)
    return next.kind === 'allowed' || next.kind === 'not-isolated'
      ? next
      : { kind: 'allowed', policies, matches: [], tiers: trace() };
  if (!possibly) return next.kind === 'denied' ? next : { kind: 'denied', policies, tiers: trace() };
  const nextConditional = next.kind !== 'unknown' || next.conditional === true;
  const conditional = nextConditional && c.reasons.every((r) => r.conditional) && !c.possible.has('deny');
  const reasons = new Set([
    ...c.reasons.map((r) => r.text),
    ...(next.kind === 'unknown' ? next.reason.split('; ') : []),
  ]);
  return {
    kind: 'unknown',
    reason: [...reasons].join('; '),
    policies:
      next.kind === 'allowed' || next.kind === 'denied' || next.kind === 'unknown'
        ? [...new Set([...policies, ...next.policies])]
        : policies,
    possible: next.kind === 'unknown' ? next.possible : [],
    ...(conditional ? { conditional: true } : {}),
    tiers: trace(),
  };
}
