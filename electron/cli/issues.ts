/** LoadIssues as compiler-style lines: `file:line:col: field: message` (warnings/info say so after the position). */
import type { LoadIssue } from '../../shared/model/snapshot.ts';
import type { CliIO } from './io.ts';

export function formatIssue(issue: LoadIssue): string {
  const parts: string[] = [];
  if (issue.location) parts.push(`${issue.location.file}:${issue.location.line}:${issue.location.column}`);
  if (issue.severity !== 'error') parts.push(issue.severity);
  if (issue.field) parts.push(issue.field);
  parts.push(issue.message.replace(/\s*\n\s*/g, ' '));
  return parts.join(': ');
}

/**
 * Prints errors and warnings (and info with `verbose`) to stderr, one per line, and returns the number
 * of errors.
 */
export function reportIssues(issues: readonly LoadIssue[], io: CliIO, verbose: boolean): number {
  let errors = 0;
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.severity === 'error') errors++;
    if (issue.severity === 'info' && !verbose) continue;
    lines.push(formatIssue(issue));
  }
  if (lines.length > 0) io.err(`${lines.join('\n')}\n`);
  return errors;
}
