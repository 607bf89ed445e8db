/**
 * Words for explanations, shared by the CLI and the UI so both say the same thing about a verdict.
 */
import type { RuleMatch } from './types.ts';

/** `ns/policy ingress[0] (from[1], ports[0])`: the rule, peer and port that matched, as written. */
export function formatRuleMatch(m: RuleMatch): string {
  const peersKey = m.direction === 'ingress' ? 'from' : 'to';
  const peer =
    m.peer === 'any'
      ? `any ${m.direction === 'ingress' ? 'source' : 'destination'}`
      : `${peersKey}[${m.peer}]`;
  const port = m.port === 'any' ? 'any port' : `ports[${m.port}]`;
  return `${m.policy} ${m.direction}[${m.rule}] (${peer}, ${port})`;
}
