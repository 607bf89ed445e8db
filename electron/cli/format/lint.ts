/** Rendering of lint findings (`netglass lint`, and the lint section of `netglass analyze`). */
import type { LintFinding } from '../../../shared/lint/index.ts';
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

export function warningCount(findings: readonly LintFinding[]): number {
  return findings.filter((f) => f.severity === 'warning').length;
}

/** `2 warnings, 1 note`, or `no problems found`. */
export function findingsSummary(findings: readonly LintFinding[]): string {
  if (findings.length === 0) return 'no problems found';
  const warnings = warningCount(findings);
  const notes = findings.length - warnings;
  return [warnings > 0 ? plural(warnings, 'warning') : '', notes > 0 ? plural(notes, 'note') : '']
    .filter(Boolean)
    .join(', ');
}
