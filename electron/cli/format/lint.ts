/** Rendering of lint findings (`netglass lint`, and the lint section of `netglass analyze`). */
import type { LintFinding, LintSeverity } from '../../../shared/lint/index.ts';
import { plural } from './text.ts';

/**
 * `file:line:col: warning: field: message [id]` (like load issues; the object key stands in for the
 * position when the object was read from a cluster), then `  fix: ...` on its own line.
 */
export function formatFinding(f: LintFinding): string {
  const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : f.object;
  const field = f.field !== undefined ? `${f.field}: ` : '';
  return `${where}: ${f.severity}: ${field}${f.message} [${f.id}]\n  fix: ${f.fix}`;
}

export function findingJson(f: LintFinding): unknown {
  return {
    id: f.id,
    severity: f.severity,
    object: f.object,
    location: f.location ?? null,
    field: f.field ?? null,
    message: f.message,
    fix: f.fix,
  };
}

export function severityCount(findings: readonly LintFinding[], severity: LintSeverity): number {
  return findings.filter((f) => f.severity === severity).length;
}

/** `1 error, 2 warnings, 1 note`, or `no problems found`. */
export function findingsSummary(findings: readonly LintFinding[]): string {
  if (findings.length === 0) return 'no problems found';
  const counts: [number, string][] = [
    [severityCount(findings, 'error'), 'error'],
    [severityCount(findings, 'warning'), 'warning'],
    [severityCount(findings, 'info'), 'note'],
  ];
  return counts
    .filter(([n]) => n > 0)
    .map(([n, word]) => plural(n, word))
    .join(', ');
}

/** `netglass lint --format json`: the findings in order, and a count per severity. */
export function lintJson(findings: readonly LintFinding[]): unknown {
  return {
    findings: findings.map(findingJson),
    errors: severityCount(findings, 'error'),
    warnings: severityCount(findings, 'warning'),
    notes: severityCount(findings, 'info'),
  };
}
