/**
 * The selected policy as a Markdown report: what the details panel shows, in words. Its subjects
 * (the selector and the pods it selects), the directions it isolates, each rule with its peers, ports
 * and how many connections it matches, and the effect counts. Pure: the caller passes the policy and
 * the analysis's answer (or none yet), so the same input always gives the same text.
 */
import type { PolicyEffect, RuleEffect } from '../../../shared/eval/index.ts';
import type {
  CalicoPolicy,
  CiliumPolicy,
  ClusterNetworkPolicy,
  NetworkPolicy,
  SourceLocation,
} from '../../../shared/model/snapshot.ts';
import { describeAdminRules, describeSubject } from '../model/admin.ts';
import {
  calicoTierText,
  CALICO_ACTION_HINT,
  describeCalicoRules,
  type CalicoTierSummary,
} from '../model/calico.ts';
import { describeCiliumPolicy } from '../model/cilium.ts';
import { describeRules } from '../model/describe.ts';
import { describeSelector, policyNotes, POLICY_NOTE_TEXT } from '../model/summary.ts';

export type ReportPolicy =
  | { readonly kind: 'NetworkPolicy'; readonly policy: NetworkPolicy }
  | { readonly kind: 'admin'; readonly policy: ClusterNetworkPolicy }
  | { readonly kind: 'cilium'; readonly policy: CiliumPolicy }
  /** A Calico policy, with the snapshot's tiers so the report says where Calico reads it. */
  | { readonly kind: 'calico'; readonly policy: CalicoPolicy; readonly tiers: readonly CalicoTierSummary[] };

export interface ReportInput {
  readonly policy: ReportPolicy;
  /** The analysis's effect of this policy; absent while it is computed or when it failed. */
  readonly effect?: PolicyEffect;
  /** The source, as the header names it (`Manifests: /srv/k8s`). */
  readonly source: string;
  /** Pods listed by name before "and N more". */
  readonly podLimit?: number;
}

/** Characters Markdown would read as formatting in running text. */
export function mdText(text: string): string {
  return text.replace(/[\\`*_[\]{}<>#|~!]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A code span that holds any text: a fence longer than the longest run of backticks inside. */
export function mdCode(text: string): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function location(loc: SourceLocation | undefined): string[] {
  return loc === undefined ? [] : [`- Defined in: ${mdCode(`${loc.file}:${loc.line}`)}`];
}

const NETWORK_POLICY_CLASSES = [
  ['permittedFlowing', 'Permitted, flows'],
  ['permittedBlocked', 'Permitted, blocked elsewhere'],
  ['denied', 'Denied by it'],
  ['unaffected', 'Unaffected'],
] as const;

const ADMIN_CLASSES = [
  ['permittedFlowing', 'Accepted, flows'],
  ['permittedBlocked', 'Accepted, blocked elsewhere'],
  ['denied', 'Denied by it'],
  ['passed', 'Passed on'],
  ['unaffected', 'Unaffected'],
] as const;

/** As the details panel names a Calico policy's classes: its rules Allow, Deny or Pass. */
const CALICO_CLASSES = [
  ['permittedFlowing', 'Allowed, flows'],
  ['permittedBlocked', 'Allowed, blocked elsewhere'],
  ['denied', 'Denied by it'],
  ['passed', 'Passed on'],
  ['unaffected', 'Unaffected'],
] as const;

function effectSection(effect: PolicyEffect | undefined, calico: boolean): string[] {
  if (effect === undefined)
    return ['## Effect', '', '_Not computed yet: export again once the details panel shows it._'];
  const c = effect.counts;
  const classes = calico
    ? CALICO_CLASSES
    : effect.tier === 'NetworkPolicy'
      ? NETWORK_POLICY_CLASSES
      : ADMIN_CLASSES;
  const lines = ['## Effect', '', '| Class | Connections |', '| --- | ---: |'];
  for (const [key, label] of classes) lines.push(`| ${label} | ${c[key].toLocaleString('en-US')} |`);
  if (c.unknown > 0)
    lines.push(
      `| ${calico ? 'Unknown or conditional (HTTP matches, service accounts, Services or objects that could not be read)' : 'Unknown (depends on objects that could not be read)'} | ${c.unknown.toLocaleString('en-US')} |`,
    );
  lines.push('', `Of ${count(c.total, 'connection')} (source, destination, port) in this cluster.`);
  return lines;
}

function podsLine(effect: PolicyEffect | undefined, limit: number): string {
  if (effect === undefined) return '- Pods: _not computed yet_';
  if (effect.selects.length === 0) return '- Pods: selects no pod';
  const shown = effect.selects.slice(0, limit).map(mdCode).join(', ');
  const more = effect.selects.length > limit ? `, and ${effect.selects.length - limit} more` : '';
  return `- Pods (${effect.selects.length}): ${shown}${more}`;
}

function ruleMatch(effect: RuleEffect | undefined, ignored: boolean): string {
  if (ignored) return 'ignored: its direction is not in policyTypes';
  if (effect === undefined) return 'not computed yet';
  if (effect.matchesNothing) return 'matches nothing';
  return `matches ${count(effect.matched, 'connection')}${effect.unknown > 0 ? ` (${effect.unknown} more only if unread labels match)` : ''}`;
}

function networkPolicyReport(
  policy: NetworkPolicy,
  effect: PolicyEffect | undefined,
  limit: number,
): string[] {
  const isolates = [
    ...(policy.policyTypes.includes('Ingress') ? ['Ingress'] : []),
    ...(policy.policyTypes.includes('Egress') ? ['Egress'] : []),
  ];
  const lines = [
    `# NetworkPolicy ${mdText(`${policy.namespace}/${policy.name}`)}`,
    '',
    '## Subjects',
    '',
    `- Namespace: ${mdCode(policy.namespace)}`,
    `- Selector: ${mdText(describeSelector(policy.podSelector, 'every pod in the namespace'))}`,
    podsLine(effect, limit),
    `- Isolates: ${isolates.length === 0 ? 'no direction' : isolates.join(', ')}${policy.policyTypesDeclared ? '' : ' (policyTypes defaulted)'}`,
    ...location(policy.location),
  ];
  const notes = policyNotes(policy);
  if (notes.length > 0) lines.push('', ...notes.map((n) => `> ${POLICY_NOTE_TEXT[n]}.`));
  lines.push('', '## Rules', '');
  const rules = describeRules(policy);
  if (rules.length === 0) {
    lines.push(
      'No rules: every direction it isolates is denied for the pods it selects, unless another policy allows it.',
    );
  }
  for (const r of rules) {
    const re = effect?.rules.find((x) => x.direction === r.direction && x.rule === r.index);
    lines.push(
      `${rules.indexOf(r) + 1}. **${r.label}** (${ruleMatch(re, r.ignored)}): ${r.direction === 'ingress' ? 'from' : 'to'} ${r.peers.map(mdText).join('; ')}, on ${r.ports.map(mdText).join(', ')}`,
    );
  }
  return lines;
}

function adminReport(
  policy: ClusterNetworkPolicy,
  effect: PolicyEffect | undefined,
  limit: number,
): string[] {
  const lines = [
    `# ${policy.kind} ${mdText(policy.name)}`,
    '',
    '## Subjects',
    '',
    `- Tier: ${policy.tier}, priority ${policy.priority} (lower goes first)`,
    `- Applies to: ${mdText(describeSubject(policy.subject))}`,
    podsLine(effect, limit),
    ...location(policy.location),
    '',
    '## Rules',
    '',
    'In the order in which the first match decides.',
    '',
  ];
  const rules = describeAdminRules(policy);
  if (rules.length === 0) lines.push('No rules: it decides nothing.');
  rules.forEach((r, i) => {
    const re = effect?.rules.find((x) => x.direction === r.direction && x.rule === r.index);
    const name = r.name !== undefined && r.name !== '' ? ` ${mdCode(r.name)}` : '';
    const decides =
      re === undefined
        ? 'not computed yet'
        : re.matchesNothing
          ? 'matches nothing'
          : `decides ${count(re.matched, 'connection')}`;
    lines.push(
      `${i + 1}. **${r.action}**${name} **${r.label}** (${decides}): ${r.direction === 'ingress' ? 'from' : 'to'} ${r.peers.map(mdText).join('; ')}, on ${r.ports.map(mdText).join(', ')}`,
    );
  });
  return lines;
}

/**
 * A Cilium policy: each spec with its subject and default deny, then its rules as the details panel
 * words them (deny lists first: a deny wins over every allow), conditional rules with their reasons.
 * The effect counts are the NetworkPolicy tier's classes, where the evaluator places Cilium rules.
 */
function ciliumReport(policy: CiliumPolicy, effect: PolicyEffect | undefined, limit: number): string[] {
  const lines = [
    `# ${policy.kind} ${mdText(policy.namespace !== undefined ? `${policy.namespace}/${policy.name}` : policy.name)}`,
    '',
    '## Subjects',
    '',
    ...(policy.namespace !== undefined ? [`- Namespace: ${mdCode(policy.namespace)}`] : ['- Cluster-wide']),
    podsLine(effect, limit),
    ...location(policy.location),
  ];
  for (const spec of describeCiliumPolicy(policy)) {
    lines.push('', `## ${mdCode(spec.label)}`, '');
    if (spec.description !== undefined) lines.push(`${mdText(spec.description)}`, '');
    lines.push(
      `- Applies to: ${mdText(spec.subject)}`,
      `- Default deny: ingress ${spec.defaultDeny.ingress ? 'on' : 'off'}, egress ${spec.defaultDeny.egress ? 'on' : 'off'} (a selected endpoint is isolated in the directions that are on)`,
      '',
    );
    if (spec.rules.length === 0) lines.push('No rules.');
    spec.rules.forEach((r, i) => {
      const peers =
        r.peers === 'any'
          ? 'any peer'
          : r.peers === 'none'
            ? 'nothing (an empty rule: it only turns on default deny)'
            : r.peers.map((p) => mdText(p.text)).join('; ');
      const conditional =
        r.conditional.length === 0
          ? ''
          : ` Conditional: allowed only for ${r.conditional.map(mdText).join('; ')}.`;
      lines.push(
        `${i + 1}. **${r.action === 'deny' ? 'Deny' : 'Allow'}** **${r.label}**: ${r.direction === 'ingress' ? 'from' : 'to'} ${peers}, on ${r.ports.map(mdText).join(', ')}.${conditional}`,
      );
    });
  }
  return lines;
}

/**
 * A Calico policy: where Calico reads it (tier with its order and default action, the policy's order),
 * its selectors as written, then its rules per direction in the order whose first match decides.
 */
function calicoReport(
  policy: CalicoPolicy,
  tiers: readonly CalicoTierSummary[],
  effect: PolicyEffect | undefined,
  limit: number,
): string[] {
  const tier = tiers.find((t) => t.name === policy.tier);
  const lines = [
    `# Calico ${policy.kind} ${mdText(policy.namespace !== undefined ? `${policy.namespace}/${policy.name}` : policy.name)}`,
    '',
    ...(policy.staged ? ['> A staged policy: a draft Calico shows but never enforces.', ''] : []),
    '## Subjects',
    '',
    policy.namespace !== undefined ? `- Namespace: ${mdCode(policy.namespace)}` : '- Global',
    `- Tier: ${mdCode(policy.tier)}${tier !== undefined ? ` (${mdText(calicoTierText(tier))})` : ''}`,
    `- Order: ${policy.order !== undefined ? `${policy.order} (lower goes first in the tier)` : 'none (after every ordered policy of the tier)'}`,
    `- Selector: ${mdCode(policy.selector)}`,
    ...(policy.namespaceSelector !== undefined ? [`- Namespaces: ${mdCode(policy.namespaceSelector)}`] : []),
    ...(policy.serviceAccountSelector !== undefined
      ? [`- Service accounts: ${mdCode(policy.serviceAccountSelector)}`]
      : []),
    `- Types: ${policy.types.length === 0 ? 'none' : policy.types.join(', ')}${policy.typesDeclared ? '' : ' (defaulted from the rules)'}`,
    podsLine(effect, limit),
    ...location(policy.location),
    '',
    '## Rules',
    '',
    'Per direction, in order: the first rule that matches decides.',
    '',
  ];
  const rules = describeCalicoRules(policy);
  if (rules.length === 0) lines.push("No rules: its tier's default action decides for the pods it selects.");
  rules.forEach((r, i) => {
    const protocol = r.protocols.length > 0 ? ` ${r.protocols.map(mdText).join(', ')}` : '';
    const side = (parts: readonly string[]): string =>
      parts.length === 0 ? 'anywhere' : parts.map(mdCode).join(' and ');
    const extras = r.extras.length > 0 ? `, matching ${r.extras.map(mdCode).join(', ')}` : '';
    lines.push(
      `${i + 1}. **${r.action}**${protocol} **${r.label}** (${mdText(CALICO_ACTION_HINT[r.action])}): from ${side(r.source)} to ${side(r.destination)}${extras}${r.conditional ? '. Conditional: it matches only some requests, or what netglass cannot see.' : ''}`,
    );
  });
  return lines;
}

function reportBody(policy: ReportPolicy, effect: PolicyEffect | undefined, limit: number): string[] {
  switch (policy.kind) {
    case 'NetworkPolicy':
      return networkPolicyReport(policy.policy, effect, limit);
    case 'cilium':
      return ciliumReport(policy.policy, effect, limit);
    case 'calico':
      return calicoReport(policy.policy, policy.tiers, effect, limit);
    case 'admin':
      return adminReport(policy.policy, effect, limit);
  }
}

export function policyReport(input: ReportInput): string {
  const limit = input.podLimit ?? 100;
  const [title, ...rest] = reportBody(input.policy, input.effect, limit);
  const effect = effectSection(input.effect, input.policy.kind === 'calico');
  return [title, '', `Source: ${mdText(input.source)}`, ...rest, '', ...effect, ''].join('\n');
}

/** `policy-shop-web.md`: the policy key as a file name. */
export function reportFileName(key: string): string {
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 120);
  return `policy-${slug === '' ? 'report' : slug}.md`;
}
