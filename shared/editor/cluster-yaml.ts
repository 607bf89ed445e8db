/**
 * The YAML beside the ClusterNetworkPolicy form, both ways, as yaml.ts does for NetworkPolicy
 * drafts: written through `clusterDraftToManifest`, read back through the project's manifest reader
 * so that a mistake gets the reader's message (the CLI's) at its line.
 */
import { stringify } from 'yaml';
import type { LoadIssue } from '../model/snapshot.ts';
import { buildSnapshot, parseManifestText } from '../manifest/index.ts';
import type { ClusterDraftOrigin, ClusterPolicyDraft } from './cluster-draft.ts';
import { clusterDraftFromPolicy, clusterDraftToManifest } from './cluster-draft.ts';
import { DRAFT_FILE } from './yaml.ts';

/** The draft as YAML: canonical order, two-space indent, YAML 1.1 look-alikes quoted (as yaml.ts). */
export function clusterDraftToYaml(draft: ClusterPolicyDraft): string {
  return stringify(clusterDraftToManifest(draft), { lineWidth: 0, version: '1.1' });
}

export interface ClusterYamlReadOptions {
  /** The file name for issue locations (default `draft.yaml`). */
  readonly file?: string;
  /** The existing policy the edited draft stands for; kept on the result. */
  readonly origin?: ClusterDraftOrigin;
}

export type ClusterDraftFromYamlResult =
  | { readonly ok: true; readonly draft: ClusterPolicyDraft; readonly issues: readonly LoadIssue[] }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/**
 * Reads YAML (or JSON) holding exactly one ClusterNetworkPolicy into a draft. Anything else in the
 * text (another object, a legacy AdminNetworkPolicy, a second policy) is an error at its line.
 */
export function clusterDraftFromYaml(
  text: string,
  options: ClusterYamlReadOptions = {},
): ClusterDraftFromYamlResult {
  const file = options.file ?? DRAFT_FILE;
  const parse = parseManifestText(text, file);
  const snapshot = buildSnapshot([parse], { kind: 'manifests', paths: [file] });
  // The snapshot's note that a namespace is not declared in the text says nothing about a draft.
  const issues: LoadIssue[] = snapshot.issues.filter(
    (i) => !(i.severity === 'info' && i.object?.startsWith('Namespace ') === true && i.field === undefined),
  );
  const start = { file, line: 1, column: 1 };
  const legacy = snapshot.clusterPolicies.filter((p) => p.kind !== 'ClusterNetworkPolicy');
  const kinds = [
    ...(parse.namespaces.length > 0 ? ['Namespace'] : []),
    ...(parse.pods.length > 0 ? ['Pod'] : []),
    ...(parse.policies.length > 0 ? ['NetworkPolicy'] : []),
    ...new Set([...parse.workloads.map((w) => w.kind), ...legacy.map((p) => p.kind)]),
    ...Object.keys(parse.skippedKinds),
  ];
  if (kinds.length > 0) {
    const first =
      parse.namespaces[0]?.location ??
      parse.pods[0]?.location ??
      parse.policies[0]?.location ??
      parse.workloads[0]?.location ??
      legacy[0]?.location;
    issues.push({
      severity: 'error',
      message: `only one ClusterNetworkPolicy belongs in this draft; this text also holds ${kinds.join(', ')}`,
      location: first ?? start,
    });
  }
  const policies = snapshot.clusterPolicies.filter((p) => p.kind === 'ClusterNetworkPolicy');
  if (policies.length > 1) {
    issues.push({
      severity: 'error',
      message: `the editor edits one ClusterNetworkPolicy at a time; this text holds ${policies.length}`,
      location: policies[1]?.location ?? start,
    });
  }
  const policy = policies[0];
  if (policy === undefined && !issues.some((i) => i.severity === 'error')) {
    issues.push({ severity: 'error', message: 'no ClusterNetworkPolicy in this text', location: start });
  }
  if (policy === undefined || issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  const { origin: _ignored, ...draft } = clusterDraftFromPolicy(policy);
  return { ok: true, draft: { ...draft, ...(options.origin ? { origin: options.origin } : {}) }, issues };
}
