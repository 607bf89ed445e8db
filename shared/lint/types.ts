/**
 * Lint findings: problems in a snapshot that load fine but likely do not do what their author meant.
 * Plain data (JSON-safe), like the snapshot, so every front end can show them.
 */
import type { Snapshot, SourceLocation } from '../model/snapshot.ts';

/** `warning`: likely wrong (the `lint` command exits 1); `info`: worth knowing, nothing to fix for sure. */
export type LintSeverity = 'warning' | 'info';

export interface LintFinding {
  /** The rule that found it, e.g. `admin-priority-tie`. */
  readonly id: string;
  readonly severity: LintSeverity;
  /** The object concerned, by the key every command accepts (`ns/name`, a ClusterNetworkPolicy's name, `AdminNetworkPolicy:name`). */
  readonly object: string;
  /** Where the object is written (the policy's location); absent for objects read from a live cluster. */
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
}
