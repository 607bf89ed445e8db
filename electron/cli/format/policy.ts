/** Rendering of `netglass policy` results. */
import type { ConnectionRef, PolicyEffect } from '../../../shared/eval/index.ts';
import type {
  AdminRule,
  CalicoPolicy,
  CiliumPolicy,
  ClusterNetworkPolicy,
  NetworkPolicy,
} from '../../../shared/model/snapshot.ts';
import type { PolicyResult } from '../commands/policy.ts';
import { connectionText, type WordingContext } from '../../../shared/eval/wording.ts';
import { calicoRuleText } from '../../../shared/model/calico-wording.ts';
import { formatPeer, formatPort } from '../targets.ts';
import { peerText, policyTitle, portText, ruleLabel, subjectText } from './admin.ts';
import { plural } from './text.ts';

/** One connection for people: stand-in ports and addresses in words ("any other TCP port"). */
export function formatConnection(c: ConnectionRef, ctx: WordingContext): string {
  return connectionText(c, ctx);
}

function ref(c: ConnectionRef): unknown {
  return { from: formatPeer(c.from), to: formatPeer(c.to), port: formatPort(c) };
}

export function policyJson(r: PolicyResult): unknown {
  switch (r.kind) {
    case 'network':
      return networkPolicyJson(r.policy, r.effect);
    case 'cluster':
      return clusterPolicyJson(r.policy, r.effect);
    case 'cilium':
      return ciliumPolicyJson(r.policy, r.effect);
    case 'calico':
      return calicoPolicyJson(r.policy, r.effect);
  }
}

/** The network sets one rule side picks, as the effect carries them (none: empty lists). */
function setsOf(
  e: PolicyEffect,
  direction: 'ingress' | 'egress',
  rule: number,
  side: 'source' | 'destination',
): { sure: readonly string[]; possibly: readonly string[] } {
  const found = e.calicoNetworkSets?.find(
    (x) => x.direction === direction && x.rule === rule && x.side === side,
  );
  return { sure: found?.sure ?? [], possibly: found?.possibly ?? [] };
}

/** A Calico policy: kind, tier, order, selector, types, each rule in words with its count, the lists. */
function calicoPolicyJson(policy: CalicoPolicy, e: PolicyEffect): unknown {
  const rules = (['ingress', 'egress'] as const).flatMap((direction) =>
    policy[direction].map((rule, index) => {
      const effect = e.rules.find((x) => x.direction === direction && x.rule === index);
      return {
        rule: `${direction}[${index}]`,
        action: rule.action,
        text: calicoRuleText(rule),
        matched: effect?.matched ?? 0,
        matchesNothing: effect?.matchesNothing ?? false,
        networkSets: {
          source: setsOf(e, direction, index, 'source'),
          destination: setsOf(e, direction, index, 'destination'),
        },
      };
    }),
  );
  return {
    policy: e.policy,
    kind: policy.kind,
    apiVersion: policy.apiVersion,
    location: policy.location ?? null,
    tier: policy.tier,
    order: policy.order ?? null,
    selector: policy.selector,
    types: policy.types,
    staged: policy.staged,
    selects: e.selects,
    isolates: e.isolates,
    counts: e.counts,
    rules,
    permittedFlowing: e.permittedFlowing.map(ref),
    permittedBlocked: e.permittedBlocked.map(ref),
    denied: e.denied.map(ref),
    passed: e.passed.map(ref),
    unknown: e.unknown.map(ref),
    truncated: e.truncated,
  };
}

function calicoPolicyText(p: CalicoPolicy, e: PolicyEffect, limit: number, ctx: WordingContext): string {
  const out: string[] = [];
  const loc = p.location ? ` (${p.location.file}:${p.location.line})` : '';
  out.push(`${p.kind} ${e.policy}${loc}${p.staged ? ' (staged: a draft, never enforced)' : ''}`);
  out.push(`tier ${p.tier}, order ${p.order ?? 'none (after every ordered policy)'}; selector ${p.selector}`);
  out.push(
    `types: ${p.types.join(', ')}${p.typesDeclared ? '' : ' (not declared: defaulted from the rules)'}`,
  );
  out.push(selectsLine(e, limit));
  out.push('', 'rules (per direction, in order; the first that matches decides):');
  const rules = (['ingress', 'egress'] as const).flatMap((direction) =>
    p[direction].map((rule, index) => {
      const effect = e.rules.find((x) => x.direction === direction && x.rule === index);
      const matched = effect
        ? ` [${effect.matchesNothing ? 'matches nothing' : `matches ${effect.matched}`}]`
        : '';
      const sets = (['source', 'destination'] as const).flatMap((side) => {
        const { sure, possibly } = setsOf(e, direction, index, side);
        const all = [...sure, ...possibly.map((k) => `${k} (possibly)`)];
        return all.length > 0 ? [`      ${side} network sets: ${all.join(', ')}`] : [];
      });
      return [`  ${direction}[${index}] ${calicoRuleText(rule)}${matched}`, ...sets].join('\n');
    }),
  );
  out.push(
    ...(rules.length > 0 ? rules : ["  none: the tier's default action decides for the pods it selects"]),
  );
  return finish(
    out,
    effectLines(e, limit, ctx, {
      permitted: ': an Allow rule decides a side',
      denied: ": a Deny rule or the tier's default action decides a side",
      passed: true,
      unknown: {
        label: 'conditional or unknown',
        why: 'HTTP matches, service accounts, services or what netglass cannot know; netglass check gives the reason for one',
      },
    }),
  );
}

/** A Cilium policy: its kind, where it is, what it selects and isolates, and the effect lists. */
function ciliumPolicyJson(policy: CiliumPolicy, e: PolicyEffect): unknown {
  return {
    policy: e.policy,
    kind: policy.kind,
    location: policy.location ?? null,
    selects: e.selects,
    isolates: e.isolates,
    counts: e.counts,
    permittedFlowing: e.permittedFlowing.map(ref),
    permittedBlocked: e.permittedBlocked.map(ref),
    denied: e.denied.map(ref),
    unknown: e.unknown.map(ref),
    truncated: e.truncated,
  };
}

/** The NetworkPolicy form, unchanged by admin tiers (`passed` is always 0 for a NetworkPolicy: left out). */
function networkPolicyJson(policy: NetworkPolicy, e: PolicyEffect): unknown {
  const c = e.counts;
  return {
    policy: e.policy,
    location: policy.location ?? null,
    policyTypes: policy.policyTypes,
    policyTypesDeclared: policy.policyTypesDeclared,
    selects: e.selects,
    isolates: e.isolates,
    counts: {
      permittedFlowing: c.permittedFlowing,
      permittedBlocked: c.permittedBlocked,
      denied: c.denied,
      unknown: c.unknown,
      unaffected: c.unaffected,
      total: c.total,
    },
    rules: e.rules.map((rule) => ({
      rule: `${rule.direction}[${rule.rule}]`,
      matched: rule.matched,
      matchesNothing: rule.matchesNothing,
    })),
    rulesMatchingNothing: e.rules
      .filter((rule) => rule.matchesNothing)
      .map((rule) => `${rule.direction}[${rule.rule}]`),
    permittedFlowing: e.permittedFlowing.map(ref),
    permittedBlocked: e.permittedBlocked.map(ref),
    denied: e.denied.map(ref),
    truncated: e.truncated,
  };
}

function adminRulesJson(policy: ClusterNetworkPolicy, e: PolicyEffect): unknown[] {
  const out: unknown[] = [];
  const add = (direction: 'ingress' | 'egress', rules: readonly AdminRule[]): void => {
    rules.forEach((rule, index) => {
      const effect = e.rules.find((x) => x.direction === direction && x.rule === index);
      out.push({
        rule: `${direction}[${index}]`,
        ...(rule.name !== undefined ? { name: rule.name } : {}),
        action: rule.action,
        peers: rule.peers,
        ports: rule.ports,
        matched: effect?.matched ?? 0,
        matchesNothing: effect?.matchesNothing ?? false,
      });
    });
  };
  add('ingress', policy.ingress);
  add('egress', policy.egress);
  return out;
}

/**
 * An admin-tier policy: `policy` (its key), `kind`, `apiVersion`, `name`, `location`, `tier`, `priority`,
 * `subject`, `selects`, `counts` (with `passed`), `rules [{rule, name?, action, peers, ports, matched,
 * matchesNothing}]`, `rulesMatchingNothing`, and the lists, `passed` included.
 */
function clusterPolicyJson(policy: ClusterNetworkPolicy, e: PolicyEffect): unknown {
  return {
    policy: e.policy,
    kind: policy.kind,
    apiVersion: policy.apiVersion,
    name: policy.name,
    location: policy.location ?? null,
    tier: policy.tier,
    priority: policy.priority,
    subject: policy.subject,
    selects: e.selects,
    counts: e.counts,
    rules: adminRulesJson(policy, e),
    rulesMatchingNothing: e.rules
      .filter((rule) => rule.matchesNothing)
      .map((rule) => `${rule.direction}[${rule.rule}]`),
    permittedFlowing: e.permittedFlowing.map(ref),
    permittedBlocked: e.permittedBlocked.map(ref),
    denied: e.denied.map(ref),
    passed: e.passed.map(ref),
    truncated: e.truncated,
  };
}

function list(
  ctx: WordingContext,
  title: string,
  count: number,
  items: readonly ConnectionRef[],
  limit: number,
): string[] {
  if (count === 0) return [];
  const lines = [`${title} (${count}):`];
  for (const c of items.slice(0, limit)) lines.push(`  ${formatConnection(c, ctx)}`);
  if (count > Math.min(limit, items.length))
    lines.push(`  ... ${count - Math.min(limit, items.length)} more (--limit)`);
  return lines;
}

/** How one policy kind words its effect counts (the figures and lists are the same for all kinds). */
interface EffectWords {
  /** After "permitted by this policy: N connections (… blocked at the other side)". */
  readonly permitted: string;
  /** After "denied by this policy: N connections". */
  readonly denied: string;
  /** Admin tiers: a line and a list for what Pass rules send on. */
  readonly passed?: boolean;
  /** Said only when some connection's answer is unknown; `listed: false` leaves out its list. */
  readonly unknown?: { readonly label: string; readonly why: string; readonly listed?: boolean };
  /** A line between the counts and the lists. */
  readonly note?: string;
}

function effectLines(e: PolicyEffect, limit: number, ctx: WordingContext, words: EffectWords): string[] {
  const c = e.counts;
  const pad = (label: string) => `${label}:`.padEnd(26);
  const out = [
    '',
    `${pad('permitted by this policy')}${c.permittedFlowing + c.permittedBlocked} connections (${c.permittedFlowing} flow, ${c.permittedBlocked} blocked at the other side)${words.permitted}`,
    `${pad('denied by this policy')}${c.denied} connections${words.denied}`,
  ];
  if (words.passed === true)
    out.push(
      `${pad('passed by this policy')}${c.passed} connections: a Pass rule sends a side on to the next tier`,
    );
  if (words.unknown !== undefined && c.unknown > 0)
    out.push(`${pad(words.unknown.label)}${c.unknown} connections (${words.unknown.why})`);
  out.push(`${pad('unaffected')}${c.unaffected} of ${c.total} connections`);
  if (words.note !== undefined) out.push('', words.note);
  out.push(
    '',
    ...list(ctx, 'permitted and flowing', c.permittedFlowing, e.permittedFlowing, limit),
    ...list(
      ctx,
      'permitted here but blocked at the other side',
      c.permittedBlocked,
      e.permittedBlocked,
      limit,
    ),
    ...list(ctx, 'denied', c.denied, e.denied, limit),
  );
  if (words.passed === true) out.push(...list(ctx, 'passed to the next tier', c.passed, e.passed, limit));
  if (words.unknown !== undefined && words.unknown.listed !== false)
    out.push(...list(ctx, words.unknown.label, c.unknown, e.unknown, limit));
  return out;
}

function finish(head: readonly string[], tail: readonly string[]): string {
  const out = [...head, ...tail];
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

export function policyText(r: PolicyResult, limit: number): string {
  switch (r.kind) {
    case 'network':
      return networkPolicyText(r.policy, r.effect, limit, r.wording);
    case 'cluster':
      return clusterPolicyText(r.policy, r.effect, limit, r.wording);
    case 'cilium':
      return ciliumPolicyText(r.policy, r.effect, limit, r.wording);
    case 'calico':
      return calicoPolicyText(r.policy, r.effect, limit, r.wording);
  }
}

function ciliumPolicyText(p: CiliumPolicy, e: PolicyEffect, limit: number, ctx: WordingContext): string {
  const out: string[] = [];
  const loc = p.location ? ` (${p.location.file}:${p.location.line})` : '';
  out.push(`${e.policy}${loc}`);
  out.push(
    `${plural(p.specs.length, 'rule')} in the NetworkPolicy tier (after the Admin tier; deny rules beat every allow)`,
  );
  out.push(selectsLine(e, limit));
  const dirs = [e.isolates.ingress ? 'ingress' : '', e.isolates.egress ? 'egress' : ''].filter(Boolean);
  out.push(`default deny: ${dirs.length > 0 ? dirs.join(' and ') : 'none (it isolates no pod)'}`);
  return finish(
    out,
    effectLines(e, limit, ctx, {
      permitted: ': an allow rule matches',
      denied: ': a deny rule decides, or its default deny alone blocks them',
      unknown: {
        label: 'conditional or unknown',
        why: 'L7, DNS-name or Service rules, or what netglass cannot know; netglass check gives the reason for one',
      },
    }),
  );
}

function selectsLine(e: PolicyEffect, limit: number): string {
  const shown = e.selects.slice(0, limit);
  return `selects ${plural(e.selects.length, 'pod')}${e.selects.length > 0 ? `: ${shown.join(', ')}${e.selects.length > shown.length ? `, ... ${e.selects.length - shown.length} more` : ''}` : ''}`;
}

function clusterPolicyText(
  p: ClusterNetworkPolicy,
  e: PolicyEffect,
  limit: number,
  ctx: WordingContext,
): string {
  const out: string[] = [];
  const loc = p.location ? ` (${p.location.file}:${p.location.line})` : '';
  out.push(`${policyTitle(p)}${loc}`);
  out.push(
    `tier: ${p.tier}, priority ${p.priority} (${p.tier === 'Admin' ? 'before NetworkPolicies' : 'after NetworkPolicies, for pods they do not isolate'}; lower priority first)`,
  );
  out.push(`subject: ${subjectText(p.subject)}`);
  out.push(selectsLine(e, limit));
  out.push('', 'rules (per direction, the first that matches decides):');
  const rules: string[] = [];
  const add = (direction: 'ingress' | 'egress', list: readonly AdminRule[]): void => {
    list.forEach((rule, index) => {
      const effect = e.rules.find((x) => x.direction === direction && x.rule === index);
      const peers = rule.peers.map(peerText).join('; ');
      const ports = rule.ports === 'any' ? 'every port' : rule.ports.map(portText).join(', ');
      const matched = effect
        ? ` [${effect.matchesNothing ? 'matches nothing' : `matches ${effect.matched}`}]`
        : '';
      rules.push(
        `  ${ruleLabel(direction, index, rule)} ${rule.action} ${direction === 'ingress' ? 'from' : 'to'} ${peers}; ports: ${ports}${matched}`,
      );
    });
  };
  add('ingress', p.ingress);
  add('egress', p.egress);
  out.push(...(rules.length > 0 ? rules : ['  none: it decides nothing']));
  return finish(
    out,
    effectLines(e, limit, ctx, {
      permitted: ': an Accept rule decides a side',
      denied: ': a Deny rule decides a side',
      passed: true,
      unknown: {
        label: 'unknown',
        why: 'they depend on what netglass cannot know: unread objects, nodes or domainNames peers, or equal priorities whose order decides; netglass check gives the reason for one',
        listed: false,
      },
    }),
  );
}

function networkPolicyText(p: NetworkPolicy, e: PolicyEffect, limit: number, ctx: WordingContext): string {
  const out: string[] = [];
  const loc = p.location ? ` (${p.location.file}:${p.location.line})` : '';
  out.push(`NetworkPolicy ${e.policy}${loc}`);
  out.push(
    `policy types: ${p.policyTypes.join(', ')}${p.policyTypesDeclared ? '' : ' (not declared: the default)'}`,
  );
  out.push(selectsLine(e, limit));
  const dirs = [e.isolates.ingress ? 'ingress' : '', e.isolates.egress ? 'egress' : ''].filter(Boolean);
  out.push(
    `isolates: ${dirs.length > 0 ? dirs.join(' and ') : 'nothing (it selects no pod subject to policies)'}`,
  );
  const nothing = e.rules.filter((rule) => rule.matchesNothing);
  return finish(
    out,
    effectLines(e, limit, ctx, {
      permitted: '',
      denied: ' (they would flow without it)',
      ...(nothing.length > 0
        ? {
            note: `rules that match nothing: ${nothing.map((rule) => `${rule.direction}[${rule.rule}]`).join(', ')}`,
          }
        : {}),
    }),
  );
}
