/**
 * The policy editor's core (pure TS): the draft model behind the form, its conversions to and from
 * NetworkPolicy objects and YAML, inline validation with the manifest loader's messages, the
 * one-click operations and the templates. The form itself is the renderer's; applying to a cluster
 * is the Node side's (`dryRunPolicy` / `applyPolicy` in the API).
 *
 *   const draft = draftFromPolicy(policy);             // edit an existing policy
 *   const v = validateDraft(draft);                     // issues keyed by form field
 *   const yaml = draftToYaml(draft);                    // the YAML pane
 *   const back = draftFromYaml(editedText);             // YAML → form, errors at their line
 *   const whatIf = draftDeltas(draft);                  // feed analyzer.whatIf(...)
 *   api.dryRunPolicy({ manifest: draftToManifest(draft) });
 *
 * ClusterNetworkPolicy drafts (`ClusterPolicyDraft`) have the same set (`clusterDraftFromPolicy`,
 * `validateClusterDraft`, `clusterDraftToYaml`, ...); Cilium and Calico drafts are YAML only
 * (cilium-draft.ts, calico-draft.ts on yaml-policy-draft.ts); the `EditorDraft` functions
 * (editor-draft.ts) take a draft of any kind.
 */
export type {
  DraftOrigin,
  DraftPath,
  ExpressionDraft,
  LabelDraft,
  ManifestValue,
  PeerDraft,
  PolicyDraft,
  MutableJson,
  NetworkPolicyManifest,
  PolicyManifest,
  PolicyTypesDraft,
  PortDraft,
  RuleDraft,
  SelectorDraft,
} from './draft.ts';
export {
  DESCRIPTION_ANNOTATION,
  EMPTY_SELECTOR,
  draftFromPolicy,
  draftToManifest,
  effectiveTypes,
  isEmptySelector,
} from './draft.ts';
export { DRAFT_FILE, draftFromYaml, draftToYaml } from './yaml.ts';
export type { DraftFromYamlResult, YamlReadOptions } from './yaml.ts';
export { draftDeltas, draftToPolicy, issuesAt, issuesUnder, validateDraft } from './validate.ts';
export type { DraftIssue, DraftPolicyResult, DraftValidation } from './validate.ts';
export { draftPathFor, parseFieldPath } from './paths.ts';
export {
  DENY_ALL_EGRESS_EXPLANATION,
  DISABLE_INGRESS_EXPLANATION,
  NEW_DRAFT_EXPLANATION,
  denyAllEgress,
  disableIngressRules,
  duplicateDraft,
  newDraft,
  uniqueName,
} from './operations.ts';
export { TEMPLATES, templateById } from './templates.ts';
export type { PolicyTemplate } from './templates.ts';
export type {
  AdminPeerDraft,
  AdminPortDraft,
  AdminRuleDraft,
  AdminSubjectDraft,
  ClusterDraftOrigin,
  ClusterPolicyDraft,
  ClusterPolicyManifest,
} from './cluster-draft.ts';
export {
  CLUSTER_POLICY_GROUP,
  CLUSTER_POLICY_VERSIONS,
  DEFAULT_CLUSTER_POLICY_API_VERSION,
  MAX_CLUSTER_PRIORITY,
  canEditClusterPolicy,
  clusterDraftFromPolicy,
  clusterDraftToManifest,
} from './cluster-draft.ts';
export { clusterDraftPathFor } from './cluster-paths.ts';
export { clusterDraftFromYaml, clusterDraftToYaml } from './cluster-yaml.ts';
export type { ClusterDraftFromYamlResult, ClusterYamlReadOptions } from './cluster-yaml.ts';
export {
  clusterDraftDeltas,
  clusterDraftToPolicy,
  draftPriority,
  replacedClusterKey,
  samePriorityPolicies,
  validateClusterDraft,
} from './validate-cluster.ts';
export type { ClusterDraftContext, ClusterDraftPolicyResult } from './validate-cluster.ts';
export {
  NEW_CLUSTER_DRAFT_EXPLANATION,
  duplicateClusterDraft,
  freePriority,
  moveRule,
  newClusterDraft,
} from './cluster-operations.ts';
export { CLUSTER_TEMPLATES, clusterTemplateById } from './cluster-templates.ts';
export type { ClusterPolicyTemplate } from './cluster-templates.ts';
export {
  duplicateEditorDraft,
  editorDraftDeltas,
  editorDraftFromYaml,
  editorDraftKey,
  editorDraftLabel,
  editorDraftOriginKey,
  editorDraftReplaces,
  editorDraftToManifest,
  editorDraftToYaml,
  editorDraftKind,
  isApplicableDraft,
  isCalicoDraft,
  isCiliumDraft,
  isClusterDraft,
  isNetworkPolicyDraft,
  isYamlOnlyDraft,
  validateEditorDraft,
} from './editor-draft.ts';
export {
  CILIUM_KINDS,
  CILIUM_TEMPLATES,
  ciliumDraftFromTemplate,
  ciliumDraftKey,
  duplicateCiliumDraft,
  readCiliumDraft,
  validateCiliumDraft,
} from './cilium-draft.ts';
export type { CiliumDraftOrigin, CiliumPolicyDraft, CiliumTemplate } from './cilium-draft.ts';
export {
  BUILT_IN_CALICO_TIERS,
  CALICO_TEMPLATES,
  calicoDraftFromTemplate,
  calicoDraftKey,
  duplicateCalicoDraft,
  enforcedKind,
  readCalicoDraft,
  validateCalicoDraft,
} from './calico-draft.ts';
export type {
  CalicoDraftContext,
  CalicoDraftKind,
  CalicoDraftOrigin,
  CalicoPolicyDraft,
  CalicoTemplate,
} from './calico-draft.ts';
export { calicoDraftFromPolicy, calicoPolicyToYaml, calicoUnwritable } from './calico-manifest.ts';
export type { CalicoDraftFromPolicy } from './calico-manifest.ts';
export type {
  ApplicableDraft,
  EditorDraft,
  EditorDraftContext,
  EditorDraftFromYamlResult,
  ExistingPolicies,
} from './editor-draft.ts';
export { withoutLoadTail } from './messages.ts';
