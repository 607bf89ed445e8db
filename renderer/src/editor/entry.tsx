/** The ways into the policy editor that other panels show: "New policy" and "Edit a copy". */
import { useMemo } from 'react';
import type { EditorDraft } from '../../../shared/editor/index.ts';
import {
  canEditClusterPolicy,
  clusterDraftFromPolicy,
  draftFromPolicy,
  editorDraftOriginKey,
} from '../../../shared/editor/index.ts';
import { clusterPolicyKey, isClusterPolicyKey } from '../../../shared/model/snapshot.ts';
import { policyKeyKind } from '../model/cilium.ts';
import { useSource } from '../store/context.tsx';
import { useEditor, useEditorHandle } from './hooks.ts';

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
 * `policyKey` is a NetworkPolicy's `namespace/name` or an admin policy's `clusterPolicyKey`; only
 * ClusterNetworkPolicy among the admin kinds can be edited (the legacy v1alpha1 kinds have another
 * schema, and a peer of an unknown field could not be written back).
 */
export function EditCopyButton({ policyKey }: { policyKey: string }) {
  const snapshot = useSource((s) => s.snapshot);
  const { store } = useEditorHandle();
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
  if (draft === undefined) return null;
  return (
    <button
      type="button"
      className="button"
      data-testid="edit-copy"
      title="Open a draft of this policy in the editor; the cluster is not changed"
      onClick={() => {
        const existing = store.getState().drafts.find((d) => editorDraftOriginKey(d.draft) === policyKey);
        if (existing !== undefined) store.getState().activate(existing.id);
        else store.getState().add(draft);
      }}
    >
      Edit a copy
    </button>
  );
}
