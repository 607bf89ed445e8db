/**
 * The ways into the policy editor that other panels show: "New policy", "Edit a copy", and for a
 * Calico policy "Duplicate" or, when it is staged, "Try staged policy".
 */
import { useMemo } from 'react';
import type { EditorDraft } from '../../../shared/editor/index.ts';
import {
  calicoDraftFromPolicy,
  canEditClusterPolicy,
  clusterDraftFromPolicy,
  draftFromPolicy,
  duplicateCalicoDraft,
  editorDraftKey,
  editorDraftOriginKey,
  isCalicoDraft,
} from '../../../shared/editor/index.ts';
import {
  calicoPolicyKey,
  clusterPolicyKey,
  isCalicoPolicyKey,
  isClusterPolicyKey,
} from '../../../shared/model/snapshot.ts';
import { policyKeyKind } from '../model/cilium.ts';
import { useSource } from '../store/context.tsx';
import { takenCalicoNames } from './EditorPanel.tsx';
import { useEditor, useEditorHandle } from './hooks.ts';
import type { EditorStore } from './store.ts';

export function NewPolicyButton() {
  const snapshot = useSource((s) => s.snapshot);
  const open = useEditor((s) => s.open);
  const { setChooser, setOpen } = useEditorHandle().store.getState();
  return (
    <button
      type="button"
      className={`button ed-new-button ${open ? 'button-active' : ''}`}
      aria-pressed={open}
      disabled={snapshot === undefined}
      data-testid="new-policy"
      aria-label="New policy"
      title="Draft a policy and preview what it changes"
      onClick={() => (open ? setOpen(false) : setChooser(true))}
    >
      <svg className="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
        <path
          d="M8 3.5v9M3.5 8h9"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinecap="round"
          fill="none"
        />
      </svg>
      <span className="button-label">New policy</span>
    </button>
  );
}

/**
 * In a policy's details: a draft of it in the editor (the what-if then replaces the policy).
 * `policyKey` is a NetworkPolicy's `namespace/name`, an admin policy's `clusterPolicyKey` or a Calico
 * policy's `calicoPolicyKey`; only ClusterNetworkPolicy among the admin kinds can be edited (the legacy
 * v1alpha1 kinds have another schema, and a peer of an unknown field could not be written back).
 */
export function EditCopyButton({ policyKey }: { policyKey: string }) {
  return isCalicoPolicyKey(policyKey) ? (
    <CalicoDraftButtons policyKey={policyKey} />
  ) : (
    <EditCopy policyKey={policyKey} />
  );
}

/** Shows the draft already open that `matches` (the same policy's), else adds `draft`. */
function openDraft(store: EditorStore, draft: EditorDraft, matches: (d: EditorDraft) => boolean): void {
  const existing = store.getState().drafts.find((d) => matches(d.draft));
  if (existing !== undefined) store.getState().activate(existing.id);
  else store.getState().add(draft);
}

/** "Edit a copy": a draft that edits the policy `policyKey` (the one already open, if any). */
function EditCopyAction({ policyKey, draft }: { policyKey: string; draft: EditorDraft }) {
  const { store } = useEditorHandle();
  return (
    <button
      type="button"
      className="button"
      data-testid="edit-copy"
      title="Open a draft of this policy in the editor; the cluster is not changed"
      onClick={() => openDraft(store, draft, (d) => editorDraftOriginKey(d) === policyKey)}
    >
      Edit a copy
    </button>
  );
}

/**
 * A Calico policy's ways into the editor: "Edit a copy" (a draft that edits it) and "Duplicate" (a new
 * policy, renamed) for an enforced one; "Try staged policy" for a staged one (a draft of the enforced
 * policy it would become). A policy whose manifest cannot be written back says why instead.
 */
function CalicoDraftButtons({ policyKey }: { policyKey: string }) {
  const snapshot = useSource((s) => s.snapshot);
  const { store } = useEditorHandle();
  const policy = snapshot?.calicoPolicies?.find((p) => calicoPolicyKey(p) === policyKey);
  const made = useMemo(() => (policy === undefined ? undefined : calicoDraftFromPolicy(policy)), [policy]);
  if (policy === undefined || made === undefined) return null;
  if (!made.ok)
    return (
      <button
        type="button"
        className="button"
        data-testid="edit-copy"
        disabled
        title={`Not editable in netglass: ${made.reason}`}
      >
        Edit a copy
      </button>
    );
  const draft = made.draft;
  if (policy.staged)
    return (
      <button
        type="button"
        className="button"
        data-testid="try-staged"
        title={`Open this ${policy.kind} as the ${draft.calicoKind} it would become; the what-if shows what enforcing it changes`}
        onClick={() =>
          openDraft(
            store,
            draft,
            (d) => isCalicoDraft(d) && d.origin === undefined && editorDraftKey(d) === editorDraftKey(draft),
          )
        }
      >
        Try staged policy
      </button>
    );
  return (
    <>
      <EditCopyAction policyKey={policyKey} draft={draft} />
      <button
        type="button"
        className="button"
        data-testid="duplicate-policy"
        title="Open a copy under a new name: the what-if adds it beside this policy"
        onClick={() =>
          store
            .getState()
            .add(
              duplicateCalicoDraft(
                draft,
                takenCalicoNames(snapshot, store.getState().drafts, draft.calicoKind, draft.namespace),
              ),
            )
        }
      >
        Duplicate
      </button>
    </>
  );
}

function EditCopy({ policyKey }: { policyKey: string }) {
  const snapshot = useSource((s) => s.snapshot);
  const draft = useMemo((): EditorDraft | undefined => {
    if (snapshot === undefined) return undefined;
    // Cilium policies have no editor form (yet): no draft.
    if (policyKeyKind(policyKey) === 'cilium') return undefined;
    if (isClusterPolicyKey(policyKey)) {
      const policy = snapshot.clusterPolicies.find((p) => clusterPolicyKey(p) === policyKey);
      return policy !== undefined && canEditClusterPolicy(policy)
        ? clusterDraftFromPolicy(policy)
        : undefined;
    }
    const policy = snapshot.policies.find((p) => `${p.namespace}/${p.name}` === policyKey);
    return policy === undefined ? undefined : draftFromPolicy(policy);
  }, [snapshot, policyKey]);
  return draft === undefined ? null : <EditCopyAction policyKey={policyKey} draft={draft} />;
}
