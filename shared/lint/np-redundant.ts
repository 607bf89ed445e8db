/**
 * Redundant NetworkPolicy rules. NetworkPolicies only allow, and what they allow is the union of their
 * rules, so a rule adds nothing when another rule that applies to at least the same pods (a rule of the
 * same policy, or of another policy of the namespace that selects every pod this one selects, in a
 * direction both enforce) already allows every peer and port it allows. Such a rule is dead weight at
 * best; more often its author meant it to be narrower or the other rule to be.
 *
 * "Every peer and port" is decided on the input: the pods the peers match (selectors and ipBlocks through
 * the evaluator's matchers), the address ranges of the ipBlocks, and the ports per destination pod (a
 * named port is what it resolves to there). Where a namespace's labels are unknown, the rule under test
 * is taken at its widest and the covering rule at its narrowest, so a finding is never a guess.
 */
import type { NetworkPolicy, Pod, PolicyRule } from '../model/snapshot.ts';
import { policyKey } from '../model/snapshot.ts';
import type { Direction, NpIndex, PeerSet } from './np-index.ts';
import {
  DIRECTIONS,
  enforces,
  hasNamedPort,
  npAt,
  npRule,
  npTitle,
  portsWithin,
  rangesWithin,
  rulePath,
  rulePortRanges,
  rulesOf,
} from './np-index.ts';

interface RuleRef {
  readonly policy: NetworkPolicy;
  readonly direction: Direction;
  readonly index: number;
  readonly rule: PolicyRule;
  /** The policy's subjects (pods it applies to). */
  readonly subjects: readonly Pod[];
  /** At its widest (for the rule under test). */
  readonly widest: PeerSet;
  /** At its narrowest (for a covering rule). */
  readonly narrowest: PeerSet;
}

/** Whether `a`'s ports hold `b`'s toward `dst` (a pod, or undefined for an address outside the pods). */
function portsHeld(a: RuleRef, b: RuleRef, dst: Pod | undefined): boolean {
  return portsWithin(rulePortRanges(b.rule.ports, dst), rulePortRanges(a.rule.ports, dst));
}

/** Whether `a` allows every connection `b` allows, on the pods `b`'s policy applies to. */
function covers(a: RuleRef, b: RuleRef): boolean {
  const need = b.widest;
  const have = a.narrowest;
  if (need.pods.size > have.pods.size) return false;
  for (const pod of need.pods) if (!have.pods.has(pod)) return false;
  if (!rangesWithin(need.ranges, have.ranges)) return false;
  // Without named ports the ports are the same toward every destination: compare them once.
  if (!hasNamedPort(a.rule.ports) && !hasNamedPort(b.rule.ports)) return portsHeld(a, b, undefined);
  if (b.direction === 'ingress') {
    // Ports are the destination's: the subjects' own (named ports resolve on them).
    return b.subjects.every((s) => portsHeld(a, b, s));
  }
  for (const pod of need.pods) if (!portsHeld(a, b, pod)) return false;
  return need.ranges.length === 0 || portsHeld(a, b, undefined);
}

/** A total order on rules, so of two rules that cover each other only the later one is reported. */
function before(a: RuleRef, b: RuleRef): boolean {
  const ka = policyKey(a.policy);
  const kb = policyKey(b.policy);
  if (ka !== kb) return ka < kb;
  return a.index < b.index;
}

function isEmpty(set: PeerSet): boolean {
  return set.pods.size === 0 && set.ranges.length === 0;
}

function subset(inner: readonly Pod[], outer: readonly Pod[]): boolean {
  const have = new Set(outer);
  return inner.every((p) => have.has(p));
}

function describeRef(ref: RuleRef, of: NetworkPolicy): string {
  const path = rulePath(ref.direction, ref.index);
  return ref.policy === of
    ? path
    : `${path} of ${npTitle(ref.policy)}${npAt(ref.policy)}, which selects every pod this policy selects`;
}

function namespaceRules(index: NpIndex, policies: readonly NetworkPolicy[], direction: Direction): RuleRef[] {
  const out: RuleRef[] = [];
  for (const policy of policies) {
    if (!enforces(policy, direction)) continue;
    const subjects = index.subjects(policy);
    if (subjects.length === 0) continue;
    rulesOf(policy, direction).forEach((rule, i) =>
      out.push({
        policy,
        direction,
        index: i,
        rule,
        subjects,
        widest: index.rulePeers(policy, rule.peers, true),
        narrowest: index.rulePeers(policy, rule.peers, false),
      }),
    );
  }
  return out;
}

export const redundantRule = npRule(
  {
    id: 'np-redundant-rule',
    severity: 'warning',
    summary:
      'a rule that allows nothing more than another rule of the same policy, or of a policy selecting the same pods or more, already allows',
  },
  (index, report) => {
    const byNamespace = new Map<string, NetworkPolicy[]>();
    for (const p of index.snapshot.policies)
      byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
    for (const [namespace, policies] of byNamespace) {
      // With policies or pods missing from the view, "nothing more" cannot be claimed.
      if (index.policiesUnread(namespace) || index.podsUnread(namespace)) continue;
      for (const direction of DIRECTIONS) {
        const rules = namespaceRules(index, policies, direction);
        for (const b of rules) {
          if (isEmpty(b.widest)) continue;
          const a = rules.find(
            (a) =>
              a !== b &&
              (a.policy === b.policy || subset(b.subjects, a.subjects)) &&
              covers(a, b) &&
              // Two rules allowing the same: report the later one only.
              (before(a, b) || !covers(b, a) || (b.policy !== a.policy && !subset(a.subjects, b.subjects))),
          );
          if (!a) continue;
          report(b.policy, {
            field: rulePath(direction, b.index),
            message:
              `${npTitle(b.policy)} rule ${rulePath(direction, b.index)} is redundant: ${describeRef(a, b.policy)} ` +
              `already allows every ${direction === 'ingress' ? 'source' : 'destination'} and port it allows`,
            fix: `delete ${rulePath(direction, b.index)}, or narrow ${rulePath(a.direction, a.index)}${a.policy === b.policy ? '' : ` of ${policyKey(a.policy)}`} if it allows more than was meant`,
          });
        }
      }
    }
  },
);
