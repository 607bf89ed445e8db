/**
 * Lint rules over load issues: the loader sees some problems first (it keeps only what it could read)
 * and tags its issue with a `detail`; a rule made here turns each such issue into a finding with the
 * issue's own object, field and line, so `netglass lint` reports it (and SARIF carries it), and a front
 * end that lints does not print it twice.
 */
import type { LoadIssue, LoadIssueDetail, Snapshot } from '../model/snapshot.ts';
import type { LintFinding, LintRule, LintSeverity } from './types.ts';

/** `NetworkPolicy shop/web` → `shop/web`; `AdminNetworkPolicy x` → `AdminNetworkPolicy:x` (the keys commands accept). */
function objectKey(object: string | undefined): string {
  if (object === undefined) return '(unknown object)';
  const space = object.indexOf(' ');
  if (space < 0) return object;
  const kind = object.slice(0, space);
  const name = object.slice(space + 1);
  return kind === 'NetworkPolicy' || kind === 'ClusterNetworkPolicy' ? name : `${kind}:${name}`;
}

/** An object a cluster already stores keeps working (the address rules): only creating it anew fails. */
function severityFor(snapshot: Snapshot, rule: LintSeverity): LintSeverity {
  return snapshot.source.kind === 'cluster' ? 'warning' : rule;
}

export function issueRule<K extends LoadIssueDetail['kind']>(
  spec: Pick<LintRule, 'id' | 'severity' | 'summary'>,
  kind: K,
  text: (
    detail: Extract<LoadIssueDetail, { kind: K }>,
    issue: LoadIssue,
  ) => { readonly message: string; readonly fix: string },
): LintRule {
  const claims = (issue: LoadIssue): boolean => issue.detail?.kind === kind;
  return {
    ...spec,
    reportsIssue: claims,
    check(snapshot) {
      const out: LintFinding[] = [];
      for (const issue of snapshot.issues) {
        const detail = issue.detail;
        if (detail?.kind !== kind) continue;
        out.push({
          id: spec.id,
          severity: severityFor(snapshot, spec.severity),
          object: objectKey(issue.object),
          ...(issue.location ? { location: issue.location } : {}),
          ...(issue.field !== undefined ? { field: issue.field } : {}),
          ...text(detail as Extract<LoadIssueDetail, { kind: K }>, issue),
        });
      }
      return out;
    },
  };
}
