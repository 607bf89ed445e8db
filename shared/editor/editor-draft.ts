/**
 * The editor holds drafts of two kinds: NetworkPolicy (`PolicyDraft`, draft.ts) and
 * ClusterNetworkPolicy (`ClusterPolicyDraft`, cluster-draft.ts). These functions take either and
 * hand it to its kind's module, so the panel, the YAML pane, the what-if and apply need not care.
 */
import type { ClusterNetworkPolicy, LoadIssue, NetworkPolicy } from '../model/snapshot.ts';
import { clusterPolicyKey } from '../model/snapshot.ts';
import type { SnapshotDelta } from '../eval/types.ts';
import type { ClusterPolicyDraft } from './cluster-draft.ts';
import { clusterDraftToManifest } from './cluster-draft.ts';
import { duplicateClusterDraft } from './cluster-operations.ts';
import { clusterDraftFromYaml, clusterDraftToYaml } from './cluster-yaml.ts';
import type { ClusterDraftContext } from './validate-cluster.ts';
import { clusterDraftDeltas, replacedClusterKey, validateClusterDraft } from './validate-cluster.ts';
import type { PolicyDraft, PolicyManifest } from './draft.ts';
import { draftToManifest } from './draft.ts';
import { withoutLoadTail } from './messages.ts';
import { duplicateDraft } from './operations.ts';
import type { DraftValidation } from './validate.ts';
import { draftDeltas, validateDraft } from './validate.ts';
import { draftFromYaml, draftToYaml } from './yaml.ts';

export type EditorDraft = PolicyDraft | ClusterPolicyDraft;

/** What validation may use beyond the draft (the snapshot's admin policies). */
export type EditorDraftContext = ClusterDraftContext;

export function isClusterDraft(draft: EditorDraft): draft is ClusterPolicyDraft {
  return draft.kind === 'ClusterNetworkPolicy';
}

/** The key the draft's policy has in the snapshot: `namespace/name`, or a ClusterNetworkPolicy's name. */
export function editorDraftKey(draft: EditorDraft): string {
  return isClusterDraft(draft) ? draft.name : `${draft.namespace}/${draft.name}`;
}

/** The key of the existing policy a draft edits, if it edits one. */
export function editorDraftOriginKey(draft: EditorDraft): string | undefined {
  if (draft.origin === undefined) return undefined;
  return isClusterDraft(draft)
    ? clusterPolicyKey({ kind: 'ClusterNetworkPolicy', name: draft.origin.name })
    : `${draft.origin.namespace}/${draft.origin.name}`;
}

export function editorDraftToYaml(draft: EditorDraft): string {
  return isClusterDraft(draft) ? clusterDraftToYaml(draft) : draftToYaml(draft);
}

export function editorDraftToManifest(draft: EditorDraft): PolicyManifest {
  return isClusterDraft(draft) ? clusterDraftToManifest(draft) : draftToManifest(draft);
}

export function validateEditorDraft(draft: EditorDraft, context: EditorDraftContext = {}): DraftValidation {
  return isClusterDraft(draft) ? validateClusterDraft(draft, context) : validateDraft(draft);
}

export function editorDraftDeltas(
  draft: EditorDraft,
):
  | { readonly ok: true; readonly deltas: readonly SnapshotDelta[] }
  | { readonly ok: false; readonly validation: DraftValidation } {
  return isClusterDraft(draft) ? clusterDraftDeltas(draft) : draftDeltas(draft);
}

export type EditorDraftFromYamlResult =
  | { readonly ok: true; readonly draft: EditorDraft; readonly issues: readonly LoadIssue[] }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/**
 * YAML typed into the pane of `current` → a draft of the same kind, keeping its origin (and, for a
 * NetworkPolicy, its namespace when the text names none). Messages lose the loader's "… was not
 * loaded" tail: the only object here is the draft.
 */
export function editorDraftFromYaml(text: string, current: EditorDraft): EditorDraftFromYamlResult {
  const result = isClusterDraft(current)
    ? clusterDraftFromYaml(text, current.origin !== undefined ? { origin: current.origin } : {})
    : draftFromYaml(text, {
        namespace: current.namespace,
        ...(current.origin !== undefined ? { origin: current.origin } : {}),
      });
  const issues = result.issues.map((i) => ({ ...i, message: withoutLoadTail(i.message) }));
  return { ...result, issues };
}

/** The policies a draft may collide with: the snapshot's. */
export interface ExistingPolicies {
  readonly policies: readonly Pick<NetworkPolicy, 'namespace' | 'name'>[];
  readonly clusterPolicies: readonly ClusterNetworkPolicy[];
}

/**
 * The existing policy a draft replaces without editing it: a draft named like another policy of its
 * scope (`namespace/name` for a NetworkPolicy, the admin key for a ClusterNetworkPolicy). An edit
 * that keeps the name of the policy it edits replaces nothing new. The what-if upserts by that key,
 * so the existing policy is really gone from the preview; the editor says so.
 */
export function editorDraftReplaces(draft: EditorDraft, existing: ExistingPolicies): string | undefined {
  if (isClusterDraft(draft)) return replacedClusterKey(draft, existing.clusterPolicies);
  const origin = draft.origin;
  if (origin !== undefined && origin.namespace === draft.namespace && origin.name === draft.name) {
    return undefined;
  }
  const found = existing.policies.find((p) => p.namespace === draft.namespace && p.name === draft.name);
  return found === undefined ? undefined : `${found.namespace}/${found.name}`;
}

/** A copy (no origin) under a name not in `takenNames`. */
export function duplicateEditorDraft(draft: EditorDraft, takenNames: Iterable<string> = []): EditorDraft {
  return isClusterDraft(draft) ? duplicateClusterDraft(draft, takenNames) : duplicateDraft(draft, takenNames);
}
