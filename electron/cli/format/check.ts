/** Rendering of `netglass check` results. */
import { formatRuleMatch, formatTierChain, tierSteps } from '../../../shared/eval/index.ts';
import type { SideResult } from '../../../shared/eval/index.ts';
import { sideAllows } from '../../../shared/eval/index.ts';
import type { CheckResult } from '../commands/check.ts';
import { nearMissText } from '../../../shared/eval/wording.ts';
import type { Peer } from '../../../shared/eval/index.ts';
import { formatPeer, formatPort } from '../targets.ts';

function where(result: CheckResult, policy: string): string {
  const loc = (result.policies.get(policy) ?? result.clusterPolicies.get(policy))?.location;
  return loc ? ` at ${loc.file}:${loc.line}` : '';
}

/** The policies a tier chain names, in order, each once: where to read them. */
function chainPolicies(side: SideResult, direction: 'egress' | 'ingress'): string[] {
  const names: string[] = [];
  for (const step of tierSteps(side, direction)) {
    if (step.kind === 'rule') names.push(step.match.policy);
    else if (step.kind === 'network-policy-allow') names.push(...step.matches.map((m) => m.policy));
    else if (step.kind === 'network-policy-deny') names.push(...step.policies);
  }
  return [...new Set(names)];
}

/**
 * A side of a snapshot with admin-tier policies: the verdict with the tier chain on one line, then where
 * each policy it names is written. Sides without a trace keep the NetworkPolicy-only wording.
 */
function tieredLines(
  result: CheckResult,
  side: SideResult,
  direction: 'egress' | 'ingress',
): string[] | undefined {
  if (side.kind === 'not-subject' || side.kind === 'unknown') return undefined;
  const chain = formatTierChain(side, direction);
  if (chain === undefined) return undefined;
  const lines = [`${side.kind === 'denied' ? 'denied' : 'allowed'}: ${chain}`];
  const located = chainPolicies(side, direction)
    .map((p) => [p, where(result, p)] as const)
    .filter(([, at]) => at !== '');
  lines.push(...located.map(([p, at]) => `  ${p}${at}`));
  if (side.kind === 'allowed' && side.policies.length > 0)
    lines.push(`(isolated for ${direction} by ${side.policies.join(', ')})`);
  return lines;
}

/** "closest rules:" and one line per near miss, where `other` is the side's other end. */
function nearMissLines(side: SideResult, other: Peer): string[] {
  if (side.kind !== 'denied' || !side.nearMisses || side.nearMisses.length === 0) return [];
  return ['closest rules:', ...side.nearMisses.map((m) => `  ${nearMissText(m, other)}`)];
}

function sideLines(
  result: CheckResult,
  side: SideResult,
  direction: 'egress' | 'ingress',
  subject: string,
  other: Peer,
): string[] {
  const tiered = tieredLines(result, side, direction);
  if (tiered) return [...tiered, ...nearMissLines(side, other)];
  switch (side.kind) {
    case 'not-subject':
      return [
        side.reason === 'external'
          ? `allowed: ${subject} is an address outside the cluster; no policy applies to it`
          : `allowed: ${subject} uses the host network; ${result.clusterPolicies.size > 0 ? 'no network policy of any tier applies' : 'NetworkPolicy does not apply'} to it`,
      ];
    case 'not-isolated':
      return [`allowed: no policy selects ${subject} for ${direction}, so all ${direction} is allowed`];
    case 'allowed':
      return [
        `allowed by ${side.matches.length === 1 ? 'the rule' : 'these rules'}:`,
        ...side.matches.map((m) => `  ${formatRuleMatch(m)}${where(result, m.policy)}`),
        `(isolated for ${direction} by ${side.policies.join(', ')})`,
      ];
    case 'denied':
      return [
        `denied: isolated for ${direction} by ${side.policies.join(', ')}, and no ${direction} rule of ${side.policies.length === 1 ? 'it' : 'these'} matches`,
        ...side.policies.map((p) => `  ${p}${where(result, p)}`),
        ...nearMissLines(side, other),
      ];
    case 'unknown': {
      const chain = formatTierChain(side, direction);
      return [
        `${side.conditional === true ? 'conditional' : 'unknown'}: ${side.reason}`,
        ...(chain !== undefined ? [`  admin-tier rules that matched: ${chain}`] : []),
        ...(side.possible.length > 0
          ? ['possibly allowed by:', ...side.possible.map((m) => `  ${formatRuleMatch(m)}`)]
          : []),
      ];
    }
  }
}

export function checkText(result: CheckResult): string {
  const v = result.verdict;
  const from = formatPeer(v.query.from);
  const to = formatPeer(v.query.to);
  const port = `${formatPort(v.query)}${result.portName !== undefined ? ` (${result.portName})` : ''}`;
  const lines = [`${from} -> ${to} on ${port}: ${v.verdict.toUpperCase()}`, ''];
  lines.push(`egress at ${from}:`);
  lines.push(...sideLines(result, v.egress, 'egress', from, v.query.to).map((l) => `  ${l}`));
  lines.push('', `ingress at ${to}:`);
  lines.push(...sideLines(result, v.ingress, 'ingress', to, v.query.from).map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

/**
 * `{"from", "to", "port", "portName"?, "verdict", "allowed", "egress": {...}, "ingress": {...}}` (`portName`:
 * the name `--port` gave, `port` the number it resolved to at the destination); each side is the
 * evaluator's SideResult (`kind`: not-subject | not-isolated | allowed | denied | unknown) plus `allows`,
 * and, when the snapshot has admin-tier policies, its structured `tiers` trace and the one-line `chain`
 * the text output prints. A denied side carries `nearMisses` (rules that matched all but the port, the
 * pod or the namespace) and `nearMissText`, their wording.
 */
export function checkJson(result: CheckResult): unknown {
  const v = result.verdict;
  const side = (s: SideResult, direction: 'egress' | 'ingress'): unknown => {
    const chain = formatTierChain(s, direction);
    const other = direction === 'egress' ? v.query.to : v.query.from;
    const near = s.kind === 'denied' && s.nearMisses ? s.nearMisses.map((m) => nearMissText(m, other)) : [];
    return {
      allows: sideAllows(s),
      ...s,
      ...(chain !== undefined ? { chain } : {}),
      ...(near.length > 0 ? { nearMissText: near } : {}),
    };
  };
  return {
    from: formatPeer(v.query.from),
    to: formatPeer(v.query.to),
    port: formatPort(v.query),
    ...(result.portName !== undefined ? { portName: result.portName } : {}),
    verdict: v.verdict,
    allowed: v.verdict === 'allowed',
    egress: side(v.egress, 'egress'),
    ingress: side(v.ingress, 'ingress'),
  };
}
