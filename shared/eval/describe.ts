/**
 * Words for explanations, shared by the CLI and the UI so both say the same thing about a verdict.
 */
import type {
  AdminRuleMatch,
  CalicoRuleMatch,
  CiliumRuleMatch,
  Direction,
  RuleMatch,
  SideResult,
} from './types.ts';

function peerAndPort(m: RuleMatch): string {
  const peersKey = m.direction === 'ingress' ? 'from' : 'to';
  const peer =
    m.peer === 'any'
      ? `any ${m.direction === 'ingress' ? 'source' : 'destination'}`
      : `${peersKey}[${m.peer}]`;
  const port = m.port === 'any' ? 'any port' : `ports[${m.port}]`;
  return `(${peer}, ${port})`;
}

/** `ns/policy ingress[0] (from[1], ports[0])`: the rule, peer and port that matched, as written. */
export function formatRuleMatch(m: RuleMatch): string {
  return `${m.policy} ${m.direction}[${m.rule}] ${peerAndPort(m)}`;
}

/**
 * `Admin \`deny-cross-ns\` rule \`deny-all\` (egress[0]) Deny (priority 10)`: an admin-tier rule that
 * matched, with its action. The policy is named by its key (a legacy one as `AdminNetworkPolicy:name`),
 * the rule by its name when it has one and always by its position, since names are optional and need not
 * be unique. `note` joins the priority in the closing parenthesis.
 */
export function formatAdminRuleMatch(m: AdminRuleMatch, note?: string): string {
  const position = `${m.direction}[${m.rule}]`;
  const rule = m.ruleName !== undefined && m.ruleName !== '' ? `\`${m.ruleName}\` (${position})` : position;
  return `${m.tier} \`${m.policy}\` rule ${rule} ${m.action} (priority ${m.priority}${note ? `; ${note}` : ''})`;
}

/**
 * One step of the way a side went through the tiers, in evaluation order:
 * - `rule`: an Admin- or Baseline-tier rule matched (Accept/Deny end the chain, Pass goes on);
 * - `network-policy-allow`: NetworkPolicies isolate the pod and these rules allow the connection;
 * - `network-policy-deny`: NetworkPolicies isolate the pod and none of their rules matches;
 * - `default-allow`: nothing decided, so the connection is allowed.
 * `notIsolated` marks the first step after the NetworkPolicy tier was passed through without isolation
 * (why the Baseline tier, or the default, was read at all).
 */
export type TierStep =
  | { readonly kind: 'rule'; readonly match: AdminRuleMatch; readonly notIsolated: boolean }
  | { readonly kind: 'network-policy-allow'; readonly matches: readonly RuleMatch[] }
  | {
      readonly kind: 'network-policy-deny';
      readonly direction: Direction;
      readonly policies: readonly string[];
    }
  | { readonly kind: 'default-allow'; readonly notIsolated: boolean }
  /** A Cilium rule matched in the NetworkPolicy tier (a deny denies, an allow allows, maybe conditionally). */
  | { readonly kind: 'cilium-rule'; readonly match: CiliumRuleMatch }
  /** A Calico tier's rule, its NetworkPolicies or its default action matched (Pass goes on to the next tier). */
  | { readonly kind: 'calico-rule'; readonly match: CalicoRuleMatch };

/**
 * The steps that decided a side, from its `tiers` trace; empty when the side has no trace (the snapshot
 * has no admin-tier policies) or enforces nothing. For an `unknown` side only the admin-tier rules that
 * matched are steps: what the unread objects would have decided is the side's `reason`.
 */
export function tierSteps(side: SideResult, direction: Direction): TierStep[] {
  if (side.kind === 'not-subject' || side.tiers === undefined) return [];
  const t = side.tiers;
  const steps: TierStep[] = [];
  if (t.calicoPath)
    return t.calicoPath.map((s): TierStep => {
      if (s.kind === 'admin') return { kind: 'rule', match: s.match, notIsolated: false };
      if (s.kind === 'calico') return { kind: 'calico-rule', match: s.match };
      return { kind: 'default-allow', notIsolated: false };
    });
  if (t.admin) {
    steps.push({ kind: 'rule', match: t.admin, notIsolated: false });
    if (t.admin.action !== 'Pass') return steps;
  }
  if (t.cilium) {
    steps.push({ kind: 'cilium-rule', match: t.cilium });
    if (side.kind === 'unknown') return steps;
    const decided =
      t.decidedBy === 'NetworkPolicy' &&
      ((side.kind === 'allowed' && side.matches.length === 0) ||
        (side.kind === 'denied' && t.cilium.action === 'Deny'));
    if (decided) return steps;
  }
  if (side.kind === 'unknown') {
    if (t.baseline) steps.push({ kind: 'rule', match: t.baseline, notIsolated: true });
    return steps;
  }
  if (t.decidedBy === 'NetworkPolicy') {
    if (side.kind === 'allowed') steps.push({ kind: 'network-policy-allow', matches: side.matches });
    else if (side.kind === 'denied')
      steps.push({ kind: 'network-policy-deny', direction, policies: side.policies });
    return steps;
  }
  if (t.baseline) {
    steps.push({ kind: 'rule', match: t.baseline, notIsolated: true });
    if (t.baseline.action !== 'Pass') return steps;
  }
  steps.push({ kind: 'default-allow', notIsolated: !t.baseline });
  return steps;
}

const NOT_ISOLATED = 'no NetworkPolicy isolates the pod';

export function formatTierStep(step: TierStep): string {
  switch (step.kind) {
    case 'rule':
      return formatAdminRuleMatch(step.match, step.notIsolated ? NOT_ISOLATED : undefined);
    case 'network-policy-allow':
      return `NetworkPolicy ${step.matches
        .map((m) => `\`${m.policy}\` ${m.direction}[${m.rule}] ${peerAndPort(m)}`)
        .join(', ')} Allow`;
    case 'network-policy-deny': {
      const names = step.policies.map((p) => `\`${p}\``).join(', ');
      return step.policies.length === 1
        ? `NetworkPolicy ${names} isolates the pod and no ${step.direction} rule of it matches: Deny`
        : `NetworkPolicies ${names} isolate the pod and no ${step.direction} rule of theirs matches: Deny`;
    }
    case 'default-allow':
      return step.notIsolated ? `default allow (${NOT_ISOLATED})` : 'default allow';
    case 'calico-rule':
      return formatCalicoMatch(step.match);
    case 'cilium-rule': {
      const m = step.match;
      const port = m.port === 'any' ? 'any port' : `toPorts[${m.port}]`;
      return `Cilium \`${m.policy}\` ${m.rule} (${port}) ${m.action}${m.conditional !== undefined ? ` (conditional: ${m.conditional})` : ''}`;
    }
  }
}

/** A Calico match in one line: `Calico tier \`security\` \`Calico:GlobalNetworkPolicy/security.x\` ingress[0] Deny`. */
export function formatCalicoMatch(m: CalicoRuleMatch): string {
  const cond = m.conditional !== undefined ? ` (conditional: ${m.conditional})` : '';
  switch (m.source.kind) {
    case 'rule': {
      const order = m.source.order !== undefined ? `order ${m.source.order}` : 'no order';
      return `Calico tier \`${m.tier}\` \`${m.source.policy}\` (${order}) ${m.direction}[${m.source.rule}] ${m.action}${cond}`;
    }
    case 'network-policies':
      return `Calico tier \`${m.tier}\`: NetworkPolicies ${m.source.policies.map((p) => `\`${p}\``).join(', ')} (order 1000) Allow`;
    case 'tier-default':
      return `Calico tier \`${m.tier}\` applies to the pod and no rule of it matched: its default action ${m.action}`;
  }
}

/**
 * The tier chain of a side in one line, e.g.
 * `Admin \`pass-db\` rule \`to-np\` (ingress[0]) Pass (priority 30) → NetworkPolicy \`db/allow-web\` ingress[0] (from[0], any port) Allow`;
 * undefined when the side has no trace (no admin-tier policies in the snapshot).
 */
export function formatTierChain(side: SideResult, direction: Direction): string | undefined {
  if (side.kind === 'not-subject' || side.tiers === undefined) return undefined;
  const steps = tierSteps(side, direction);
  return steps.length === 0 ? undefined : steps.map(formatTierStep).join(' → ');
}
