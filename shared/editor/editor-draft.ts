/**
 * The editor holds drafts of four kinds: NetworkPolicy (`PolicyDraft`, draft.ts),
 * ClusterNetworkPolicy (`ClusterPolicyDraft`, cluster-draft.ts), Cilium policies
 * (`CiliumPolicyDraft`, cilium-draft.ts) and Calico policies (`CalicoPolicyDraft`, calico-draft.ts);
 * the last two are YAML only. These functions take any and hand it to its kind's module, so the
 * panel, the YAML pane, the what-if and save need not care.
 */
import type {
  CalicoPolicy,
  CalicoTier,
  CiliumPolicy,
  ClusterNetworkPolicy,
  LoadIssue,
  NetworkPolicy,
} from '../model/snapshot.ts';
import { calicoPolicyKey, clusterPolicyKey } from '../model/snapshot.ts';
import type { CalicoDraftContext, CalicoPolicyDraft } from './calico-draft.ts';
import {
  calicoDraftDeltas,
  calicoDraftKey,
  calicoDraftLabel,
  duplicateCalicoDraft,
  readCalicoDraft,
  replacedCalicoKey,
  validateCalicoDraft,
} from './calico-draft.ts';
import type { CiliumPolicyDraft } from './cilium-draft.ts';
import {
  ciliumDraftDeltas,
  ciliumDraftKey,
  ciliumDraftLabel,
  duplicateCiliumDraft,
  isCiliumKind,
  readCiliumDraft,
  replacedCiliumKey,
  validateCiliumDraft,
} from './cilium-draft.ts';
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

export type EditorDraft = PolicyDraft | ClusterPolicyDraft | CiliumPolicyDraft | CalicoPolicyDraft;

/** What validation may use beyond the draft (the snapshot's admin policies and Calico tiers). */
export type EditorDraftContext = ClusterDraftContext & CalicoDraftContext;

export function isClusterDraft(draft: EditorDraft): draft is ClusterPolicyDraft {
  return draft.kind === 'ClusterNetworkPolicy';
}

export function isCiliumDraft(draft: EditorDraft): draft is CiliumPolicyDraft {
  return draft.kind !== undefined && isCiliumKind(draft.kind);
}

export function isCalicoDraft(draft: EditorDraft): draft is CalicoPolicyDraft {
  return draft.kind === 'Calico';
}

/** A draft the editor shows as YAML only (no form): Cilium and Calico policies. */
export function isYamlOnlyDraft(draft: EditorDraft): draft is CiliumPolicyDraft | CalicoPolicyDraft {
  return isCiliumDraft(draft) || isCalicoDraft(draft);
}

/** The kind as users read it: `NetworkPolicy`, `CiliumNetworkPolicy`, `Calico GlobalNetworkPolicy`… */
export function editorDraftKind(draft: EditorDraft): string {
  return isCalicoDraft(draft) ? `Calico ${draft.calicoKind}` : (draft.kind ?? 'NetworkPolicy');
}

/** A NetworkPolicy draft (the form's `PolicyDraft`). */
export function isNetworkPolicyDraft(draft: EditorDraft): draft is PolicyDraft {
  return draft.kind === undefined || draft.kind === 'NetworkPolicy';
}

/**
 * The key the draft's policy has in the snapshot: `namespace/name`, a ClusterNetworkPolicy's name, or
 * a Cilium policy's key.
 */
export function editorDraftKey(draft: EditorDraft): string {
  if (isCiliumDraft(draft)) return ciliumDraftKey(draft);
  if (isCalicoDraft(draft)) return calicoDraftKey(draft);
  return isClusterDraft(draft) ? draft.name : `${draft.namespace}/${draft.name}`;
}

/** `shop/web`, or a cluster-scoped policy's name: how lists name a draft. */
export function editorDraftLabel(draft: EditorDraft): string {
  if (isCiliumDraft(draft)) return ciliumDraftLabel(draft);
  if (isCalicoDraft(draft)) return calicoDraftLabel(draft);
  return isClusterDraft(draft) ? draft.name : `${draft.namespace}/${draft.name}`;
}

/** The key of the existing policy a draft edits, if it edits one. */
export function editorDraftOriginKey(draft: EditorDraft): string | undefined {
  if (draft.origin === undefined) return undefined;
  if (isCiliumDraft(draft)) return ciliumDraftKey(draft.origin);
  if (isCalicoDraft(draft)) return calicoPolicyKey(draft.origin);
  return isClusterDraft(draft)
    ? clusterPolicyKey({ kind: 'ClusterNetworkPolicy', name: draft.origin.name })
    : `${draft.origin.namespace}/${draft.origin.name}`;
}

export function editorDraftToYaml(draft: EditorDraft): string {
  if (isYamlOnlyDraft(draft)) return draft.yaml;
  return isClusterDraft(draft) ? clusterDraftToYaml(draft) : draftToYaml(draft);
}

/** The drafts the editor applies to a cluster (after a server-side dry-run). */
export type ApplicableDraft = PolicyDraft | ClusterPolicyDraft;

/**
 * Whether apply (dry-run, then apply) takes this draft; Cilium and Calico drafts are saved and applied
 * elsewhere (kubectl, calicoctl).
 */
export function isApplicableDraft(draft: EditorDraft): draft is ApplicableDraft {
  return !isYamlOnlyDraft(draft);
}

/** The manifest apply sends. */
export function editorDraftToManifest(draft: ApplicableDraft): PolicyManifest {
  return isClusterDraft(draft) ? clusterDraftToManifest(draft) : draftToManifest(draft);
}

export function validateEditorDraft(draft: EditorDraft, context: EditorDraftContext = {}): DraftValidation {
  if (isCiliumDraft(draft)) return validateCiliumDraft(draft);
  if (isCalicoDraft(draft)) return validateCalicoDraft(draft, context);
  return isClusterDraft(draft) ? validateClusterDraft(draft, context) : validateDraft(draft);
}

export function editorDraftDeltas(
  draft: EditorDraft,
):
  | { readonly ok: true; readonly deltas: readonly SnapshotDelta[] }
  | { readonly ok: false; readonly validation: DraftValidation } {
  if (isCiliumDraft(draft)) return ciliumDraftDeltas(draft);
  if (isCalicoDraft(draft)) return calicoDraftDeltas(draft);
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
  if (isYamlOnlyDraft(current)) {
    const read = isCiliumDraft(current)
      ? readCiliumDraft(text, current.origin)
      : readCalicoDraft(text, current.origin);
    return read.ok ? { ok: true, draft: read.draft, issues: read.issues } : read;
  }
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
  readonly ciliumPolicies?: readonly Pick<CiliumPolicy, 'kind' | 'namespace' | 'name'>[];
  readonly calicoPolicies?: readonly Pick<CalicoPolicy, 'kind' | 'namespace' | 'tier' | 'name'>[];
  /** The source's Calico tiers (absent: not known, so an undeclared tier is not warned about). */
  readonly calicoTiers?: readonly Pick<CalicoTier, 'name'>[];
}

/**
 * The existing policy a draft replaces without editing it: a draft named like another policy of its
 * scope (`namespace/name` for a NetworkPolicy, the admin key for a ClusterNetworkPolicy). An edit
 * that keeps the name of the policy it edits replaces nothing new. The what-if upserts by that key,
 * so the existing policy is really gone from the preview; the editor says so.
 */
export function editorDraftReplaces(draft: EditorDraft, existing: ExistingPolicies): string | undefined {
  if (isCiliumDraft(draft)) return replacedCiliumKey(draft, existing.ciliumPolicies ?? []);
  if (isCalicoDraft(draft)) return replacedCalicoKey(draft, existing.calicoPolicies ?? []);
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
  if (isCiliumDraft(draft)) return duplicateCiliumDraft(draft, takenNames);
  if (isCalicoDraft(draft)) return duplicateCalicoDraft(draft, takenNames);
  return isClusterDraft(draft) ? duplicateClusterDraft(draft, takenNames) : duplicateDraft(draft, takenNames);
}
