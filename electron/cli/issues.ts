/** LoadIssues as compiler-style lines: `file:line:col: field: message` (warnings/info say so after the position). */
import { existsSync } from 'node:fs';
import path from 'node:path';
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
 * The Helm charts that errors point into (a `Chart.yaml`, or a file in the `templates/` beside one):
 * their errors all have one cause, templates given where rendered manifests are read.
 */
export function helmCharts(issues: readonly LoadIssue[]): string[] {
  const charts = new Set<string>();
  for (const issue of issues) {
    if (issue.severity !== 'error') continue;
    const file = issue.location?.file;
    if (file === undefined) continue;
    if (path.basename(file) === 'Chart.yaml') charts.add(path.dirname(file));
    else {
      // Only beside a Chart.yaml: a plain `templates/` folder of manifests may hold a real YAML slip.
      const dir = path.dirname(file);
      if (path.basename(dir) === 'templates' && existsSync(path.join(dir, '..', 'Chart.yaml')))
        charts.add(path.dirname(dir));
    }
  }
  return [...charts].sort();
}

/**
 * Prints errors and warnings (and info with `verbose`) to stderr, one per line, and returns the number
 * of errors. Errors that come from a Helm chart end with what to do about them.
 */
export function reportIssues(issues: readonly LoadIssue[], io: CliIO, verbose: boolean): number {
  let errors = 0;
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.severity === 'error') errors++;
    if (issue.severity === 'info' && !verbose) continue;
    lines.push(formatIssue(issue));
  }
  for (const chart of helmCharts(issues))
    lines.push(
      `hint: ${chart} looks like a Helm chart: netglass reads manifests, not templates; render it first ` +
        `(helm template <release> ${chart} > rendered.yaml) and give rendered.yaml`,
    );
  if (lines.length > 0) io.err(`${lines.join('\n')}\n`);
  return errors;
}
