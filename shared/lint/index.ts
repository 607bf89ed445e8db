/**
 * Lint: problems in a snapshot that loads fine but probably does not do what its author meant. One
 * registry of rules; a new rule is a `LintRule` added to `LINT_RULES` (its id, severity, a one-line
 * summary, and a pure check on the snapshot). The CLI (`netglass lint`, `netglass analyze`) prints the
 * findings; any front end may.
 */
import type { LoadIssue, Snapshot } from '../model/snapshot.ts';
import { ADDRESS_LINT_RULES } from './addresses.ts';
import { ADMIN_LINT_RULES } from './admin.ts';
import { CALICO_LINT_RULES } from './calico.ts';
import { unknownKind } from './kinds.ts';
import { noDefaultDeny } from './np-default-deny.ts';
import { namedPortMismatch } from './np-named-ports.ts';
import { redundantRule } from './np-redundant.ts';
import { peerMatchesNothing, selectsNoPod } from './np-selection.ts';
import type { LintFinding, LintRule } from './types.ts';

export type { LintFinding, LintRule, LintSeverity } from './types.ts';
export { atLeast, LINT_SEVERITIES } from './types.ts';

/** Every lint rule, in the order their summaries are listed. Ids are unique. */
export const LINT_RULES: readonly LintRule[] = [
  selectsNoPod,
  peerMatchesNothing,
  redundantRule,
  noDefaultDeny,
  namedPortMismatch,
  ...ADDRESS_LINT_RULES,
  unknownKind,
  ...ADMIN_LINT_RULES,
  ...CALICO_LINT_RULES,
];

/** Whether one of `rules` reports this load issue as a finding (a front end then leaves it to lint). */
export function reportedByLint(issue: LoadIssue, rules: readonly LintRule[] = LINT_RULES): boolean {
  return rules.some((r) => r.reportsIssue?.(issue) === true);
}

/**
 * The findings of `rules` (default: all) on the snapshot, ordered by file and line (objects without a
 * location last, by key), then by rule order: stable, so output can be compared run to run.
 */
export function lintSnapshot(snapshot: Snapshot, rules: readonly LintRule[] = LINT_RULES): LintFinding[] {
  const order = new Map(rules.map((r, i) => [r.id, i] as const));
  const found = rules.flatMap((r) => [...r.check(snapshot)]);
  const indexed = found.map((f, i) => [f, i] as const);
  indexed.sort(([a, ai], [b, bi]) => {
    const fa = a.location?.file;
    const fb = b.location?.file;
    if (fa !== fb) return fa === undefined ? 1 : fb === undefined ? -1 : fa < fb ? -1 : 1;
    const byLine = (a.location?.line ?? 0) - (b.location?.line ?? 0);
    if (byLine !== 0) return byLine;
    if (a.object !== b.object) return a.object < b.object ? -1 : 1;
    return (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0) || ai - bi;
  });
  return indexed.map(([f]) => f);
}
