/** Rendering of `netglass check` results. */
import { formatRuleMatch } from '../../../shared/eval/index.ts';
import type { SideResult } from '../../../shared/eval/index.ts';
import { sideAllows } from '../../../shared/eval/index.ts';
import type { CheckResult } from '../commands/check.ts';
import { formatPeer, formatPort } from '../targets.ts';

function where(result: CheckResult, policy: string): string {
  const loc = result.policies.get(policy)?.location;
  return loc ? ` at ${loc.file}:${loc.line}` : '';
}

function sideLines(
  result: CheckResult,
  side: SideResult,
  direction: 'egress' | 'ingress',
  subject: string,
): string[] {
  switch (side.kind) {
    case 'not-subject':
      return [
        side.reason === 'external'
          ? `allowed: ${subject} is an address outside the cluster; no policy applies to it`
          : `allowed: ${subject} uses the host network; NetworkPolicy does not apply to it`,
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
      ];
    case 'unknown':
      return [
        `unknown: ${side.reason}`,
        ...(side.possible.length > 0
          ? ['possibly allowed by:', ...side.possible.map((m) => `  ${formatRuleMatch(m)}`)]
          : []),
      ];
  }
}

export function checkText(result: CheckResult): string {
  const v = result.verdict;
  const from = formatPeer(v.query.from);
  const to = formatPeer(v.query.to);
  const port = formatPort(v.query);
  const lines = [`${from} -> ${to} on ${port}: ${v.verdict.toUpperCase()}`, ''];
  lines.push(`egress at ${from}:`);
  lines.push(...sideLines(result, v.egress, 'egress', from).map((l) => `  ${l}`));
  lines.push('', `ingress at ${to}:`);
  lines.push(...sideLines(result, v.ingress, 'ingress', to).map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

/**
 * `{"from", "to", "port", "verdict", "allowed", "egress": {...}, "ingress": {...}}`; each side is the
 * evaluator's SideResult (`kind`: not-subject | not-isolated | allowed | denied | unknown) plus `allows`.
 */
export function checkJson(result: CheckResult): unknown {
  const v = result.verdict;
  const side = (s: SideResult): unknown => ({ allows: sideAllows(s), ...s });
  return {
    from: formatPeer(v.query.from),
    to: formatPeer(v.query.to),
    port: formatPort(v.query),
    verdict: v.verdict,
    allowed: v.verdict === 'allowed',
    egress: side(v.egress),
    ingress: side(v.ingress),
  };
}
