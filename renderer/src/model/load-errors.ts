/**
 * Objects that failed to load must not vanish silently: a namespace whose NetworkPolicy was refused
 * would otherwise look unprotected. The loader names each refused object in its issues
 * (`object: "NetworkPolicy shop/web"`, with the file and line); this reads them back per namespace.
 */
import type { LoadIssue, Snapshot } from '../../../shared/model/snapshot.ts';

export interface FailedPolicy {
  readonly namespace: string;
  readonly name: string;
  /** The errors that kept it out, in load order (each with its file and line where known). */
  readonly issues: readonly LoadIssue[];
}

const POLICY_OBJECT = /^NetworkPolicy ([^/\s]+)\/(\S+)$/;

/** The number of load errors (the status line's "Loaded with N errors"). */
export function loadErrorCount(issues: readonly LoadIssue[]): number {
  return issues.filter((i) => i.severity === 'error').length;
}

/**
 * NetworkPolicies named by a load error and absent from the snapshot, per namespace. A policy that
 * loaded despite an error about it (a later duplicate was dropped, say) is there to see, so it is
 * not listed.
 */
export function failedPoliciesByNamespace(
  snapshot: Pick<Snapshot, 'issues' | 'policies'>,
): ReadonlyMap<string, readonly FailedPolicy[]> {
  const loaded = new Set(snapshot.policies.map((p) => `${p.namespace}/${p.name}`));
  const byKey = new Map<string, { namespace: string; name: string; issues: LoadIssue[] }>();
  for (const issue of snapshot.issues) {
    if (issue.severity !== 'error' || issue.object === undefined) continue;
    const match = POLICY_OBJECT.exec(issue.object);
    if (match === null) continue;
    const [, namespace = '', name = ''] = match;
    const key = `${namespace}/${name}`;
    if (loaded.has(key)) continue;
    const entry = byKey.get(key) ?? { namespace, name, issues: [] };
    entry.issues.push(issue);
    byKey.set(key, entry);
  }
  const out = new Map<string, FailedPolicy[]>();
  for (const failed of byKey.values()) {
    out.set(failed.namespace, [...(out.get(failed.namespace) ?? []), failed]);
  }
  return out;
}
