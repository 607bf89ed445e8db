/**
 * The one answer to "is this draft valid, and what is wrong with it", for every part of the editor:
 * the draft list, the form's summary, Copy, Save, Apply and the what-if. The side edited last
 * decides: YAML typed into the pane that does not load holds errors (the store's `yamlErrors`, set
 * by the pane, cleared by the next change that loads or comes from the form), otherwise the form's
 * draft is validated. Nothing else may decide validity on its own.
 */
import { useMemo } from 'react';
import type { DraftValidation, EditorDraftContext, ExistingPolicies } from '../../../shared/editor/index.ts';
import { editorDraftReplaces, validateEditorDraft } from '../../../shared/editor/index.ts';
import type { LoadIssue, Snapshot } from '../../../shared/model/snapshot.ts';
import { useSource } from '../store/context.tsx';
import { useEditor } from './hooks.ts';
import type { DraftEntry, EditorState } from './store.ts';
import { yamlErrorsOf } from './store.ts';

export interface DraftStatus {
  /** The form's draft, validated (for messages at the inputs). */
  readonly validation: DraftValidation;
  /** Errors of YAML typed into the pane that does not load; the form then holds an older version. */
  readonly yamlErrors: readonly LoadIssue[];
  /** The existing policy this draft takes the place of without editing it (`namespace/name` or key). */
  readonly replaces: string | undefined;
  readonly errors: number;
  readonly warnings: number;
  /** No errors on the side edited last: the draft may be previewed, copied, saved and applied. */
  readonly valid: boolean;
}

const NO_POLICIES: ExistingPolicies = { policies: [], clusterPolicies: [] };

export function draftStatus(
  entry: DraftEntry,
  pending: Pick<EditorState, 'yamlErrors'>,
  existing: ExistingPolicies = NO_POLICIES,
): DraftStatus {
  const context: EditorDraftContext = {
    clusterPolicies: existing.clusterPolicies,
    ...(existing.calicoTiers !== undefined ? { calicoTiers: existing.calicoTiers } : {}),
  };
  const validation = validateEditorDraft(entry.draft, context);
  const yamlErrors = yamlErrorsOf(pending, entry.id);
  // While the pane holds text that does not load, the form's (older) draft is not what the user
  // sees last: its own errors are beside the point, and its validity must not leak through.
  const errors =
    yamlErrors.length > 0
      ? yamlErrors.length
      : validation.issues.filter((i) => i.severity === 'error').length;
  const replaces = editorDraftReplaces(entry.draft, existing);
  const warnings =
    validation.issues.filter((i) => i.severity === 'warning').length + (replaces !== undefined ? 1 : 0);
  return { validation, yamlErrors, replaces, errors, warnings, valid: errors === 0 };
}

/** The snapshot's policies as `draftStatus` wants them (none before a snapshot loads). */
export function existingPolicies(snapshot: Snapshot | undefined): ExistingPolicies {
  return snapshot === undefined
    ? NO_POLICIES
    : {
        policies: snapshot.policies,
        clusterPolicies: snapshot.clusterPolicies,
        ciliumPolicies: snapshot.ciliumPolicies ?? [],
        calicoPolicies: snapshot.calicoPolicies ?? [],
        calicoTiers: snapshot.calicoTiers ?? [],
      };
}

/** `draftStatus` for a component, recomputed when the draft, its pending YAML or the snapshot change. */
export function useDraftStatus(entry: DraftEntry): DraftStatus {
  const snapshot = useSource((s) => s.snapshot);
  const yamlErrors = useEditor((s) => yamlErrorsOf(s, entry.id));
  return useMemo(
    () =>
      draftStatus(entry, { yamlErrors: { id: entry.id, issues: yamlErrors } }, existingPolicies(snapshot)),
    [entry, yamlErrors, snapshot],
  );
}
