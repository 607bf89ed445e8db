/**
 * Lint findings: problems in a snapshot that load fine but likely do not do what their author meant.
 * Plain data (JSON-safe), like the snapshot, so every front end can show them.
 */
import type { LoadIssue, Snapshot, SourceLocation } from '../model/snapshot.ts';

/**
 * `error`: the API server refuses the object as written (in new objects); `warning`: likely wrong;
 * `info`: worth knowing, nothing to fix for sure. The `lint` command's exit status follows the worst one.
 */
export type LintSeverity = 'error' | 'warning' | 'info';

/** Severities from the worst down: the order thresholds and exit statuses read them in. */
export const LINT_SEVERITIES: readonly LintSeverity[] = ['error', 'warning', 'info'];

/** Whether `s` is at least as severe as `threshold`. */
export function atLeast(s: LintSeverity, threshold: LintSeverity): boolean {
  return LINT_SEVERITIES.indexOf(s) <= LINT_SEVERITIES.indexOf(threshold);
}

export interface LintFinding {
  /** The rule that found it, e.g. `admin-priority-tie`. */
  readonly id: string;
  readonly severity: LintSeverity;
  /** The object concerned, by the key every command accepts (`ns/name`, a ClusterNetworkPolicy's name, `AdminNetworkPolicy:name`). */
  readonly object: string;
  /**
   * Where the object (or, for findings from the loader, the field) is written; absent for objects read
   * from a live cluster.
   */
  readonly location?: SourceLocation;
  /** The field concerned, as a path into the object (`spec.egress[1].to[0]`), when there is one. */
  readonly field?: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** One lint rule: an id, what it looks for, and the check itself (pure, on the snapshot alone). */
export interface LintRule {
  readonly id: string;
  readonly severity: LintSeverity;
  /** One line for help texts and docs. */
  readonly summary: string;
  check(snapshot: Snapshot): readonly LintFinding[];
  /**
   * Load issues this rule reports as findings (by their `detail`): a front end that lints should not
   * also print them as load issues, nor refuse the input for them.
   */
  reportsIssue?(issue: LoadIssue): boolean;
}
