/**
 * The policy editor: the drafts (NetworkPolicy, ClusterNetworkPolicy, or a Cilium or Calico policy as YAML),
 * the what-if counts, the form beside its YAML, and save / dry-run / apply. Opened from a policy's details ("Edit a copy") or
 * the header ("New policy"). Whether a draft is valid is `draftStatus`'s answer (validity.ts), the
 * same for the draft list, the footer, Copy, Save, Apply and the what-if.
 */
import { useRef, useState } from 'react';
import type { EditorDraft } from '../../../shared/editor/index.ts';
import {
  calicoDraftKey,
  ciliumDraftKey,
  editorDraftKind,
  editorDraftLabel,
  editorDraftToYaml,
  isApplicableDraft,
  isCalicoDraft,
  isCiliumDraft,
  isClusterDraft,
  isYamlOnlyDraft,
} from '../../../shared/editor/index.ts';
import type { ConnectionDiff } from '../../../shared/eval/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { calicoPolicyKey } from '../../../shared/model/snapshot.ts';
import { useFocusWhileOpen } from '../components/focus.ts';
import { IconClose } from '../components/icons.tsx';
import { plural } from '../components/parts.tsx';
import { useSource, useView } from '../store/context.tsx';
import { ApplyActions, SaveButton } from './ClusterActions.tsx';
import { ClusterPolicyForm } from './ClusterPolicyForm.tsx';
import { Choice } from './fields.tsx';
import { useEditor, useEditorHandle } from './hooks.ts';
import { PolicyForm } from './PolicyForm.tsx';
import {
  defaultNamespace,
  NEW_POLICY_ACTIONS,
  newPolicyDescription,
  takenCalicoNames,
  takenCiliumNames,
  takenClusterNames,
  takenNames,
  type NewPolicyAction,
  type NewPolicyKind,
} from './new-policy.ts';
import type { DraftEntry } from './store.ts';
import { draftStatus, existingPolicies, useDraftStatus, type DraftStatus } from './validity.ts';
import { YamlPane } from './YamlPane.tsx';
import { TightenedNote } from '../flows/tighten-note.tsx';

// The names and namespace a new draft takes live with the ways to start one (the palette uses them too).
export { defaultNamespace, takenCalicoNames, takenCiliumNames, takenClusterNames, takenNames };

/** What drafting a YAML-only kind means, above its templates. */
const YAML_HINT: Readonly<Partial<Record<NewPolicyKind, string>>> = {
  Cilium:
    "Cilium policies are drafted as YAML: the reader's messages show at their line, and the what-if shows the effect on the graph. Save or copy the result; apply it with kubectl.",
  Calico:
    "Calico policies (projectcalico.org/v3) are drafted as YAML: the reader's messages show at their line, and the what-if shows the effect on the graph. Save or copy the result; apply it with kubectl or calicoctl.",
};

/** One way to start a policy, as a button: its title and what it makes (in the namespace chosen). */
function ActionButton({
  action,
  namespace,
  onPick,
}: {
  action: NewPolicyAction;
  namespace: string;
  onPick: (action: NewPolicyAction) => void;
}) {
  return (
    <button
      type="button"
      className={`ed-template ${action.blank !== undefined ? 'ed-template-blank' : ''}`}
      data-testid={action.id}
      onClick={() => onPick(action)}
    >
      <span className="ed-template-title">{action.title}</span>
      <span className="ed-template-text">{newPolicyDescription(action, namespace)}</span>
    </button>
  );
}

function Chooser() {
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const drafts = useEditor((s) => s.drafts);
  const add = useEditor((s) => s.add);
  const setChooser = useEditor((s) => s.setChooser);
  const selectedNs = selection?.kind === 'namespace' ? selection.name : undefined;
  const [namespace, setNamespace] = useState(() => defaultNamespace(snapshot, selectedNs));
  const [kind, setKind] = useState<NewPolicyKind>('NetworkPolicy');
  const namespaces = snapshot?.namespaces.map((n) => n.name) ?? [];
  // The action names the draft and moves a template's priority so that it neither replaces an
  // existing policy nor ties with one (typing such a name or priority afterwards says so).
  const pick = (action: NewPolicyAction) => add(action.create({ snapshot, drafts, namespace }));
  const actions = NEW_POLICY_ACTIONS.filter((a) => a.kind === kind);
  const blanks = actions.filter((a) => a.blank !== undefined);
  const templates = actions.filter((a) => a.blank === undefined);
  const hint = YAML_HINT[kind];
  return (
    <div className="ed-chooser" data-testid="new-policy-chooser" data-kind={kind}>
      <Choice<NewPolicyKind>
        path="new-kind"
        label="Kind of policy"
        value={kind}
        options={[
          { value: 'NetworkPolicy', label: 'NetworkPolicy' },
          { value: 'ClusterNetworkPolicy', label: 'ClusterNetworkPolicy (admin)' },
          { value: 'Cilium', label: 'Cilium (YAML)' },
          { value: 'Calico', label: 'Calico (YAML)' },
        ]}
        onChange={setKind}
      />
      <div className="ed-chooser-head">
        <label className="ed-dialog-label">
          Namespace
          <select
            className="ed-select"
            data-testid="chooser-namespace"
            value={namespace}
            onChange={(e) => setNamespace(e.target.value)}
          >
            {namespaces.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {drafts.length > 0 && (
          <button type="button" className="button button-ghost" onClick={() => setChooser(false)}>
            Back to drafts
          </button>
        )}
      </div>
      {hint !== undefined && <p className="fine-print ed-hint">{hint}</p>}
      {blanks.map((a) => (
        <ActionButton key={a.id} action={a} namespace={namespace} onPick={pick} />
      ))}
      {blanks.length > 0 && (
        <h3 className="section-title ed-chooser-title">
          <span>From template…</span>
        </h3>
      )}
      <div className="ed-templates">
        {templates.map((a) => (
          <ActionButton key={a.id} action={a} namespace={namespace} onPick={pick} />
        ))}
      </div>
    </div>
  );
}

function DraftList() {
  const drafts = useEditor((s) => s.drafts);
  const activeId = useEditor((s) => s.activeId);
  const yamlErrors = useEditor((s) => s.yamlErrors);
  const { activate, setEnabled, duplicate, remove } = useEditorHandle().store.getState();
  const snapshot = useSource((s) => s.snapshot);
  return (
    <ul className="ed-drafts" aria-label="Drafts" data-testid="drafts">
      {drafts.map((d) => {
        const { errors, replaces } = draftStatus(d, { yamlErrors }, existingPolicies(snapshot));
        return (
          <li
            key={d.id}
            className={`ed-draft ${d.id === activeId ? 'active' : ''} ${d.enabled ? '' : 'off'}`}
            data-testid="draft"
            data-name={d.draft.name}
            data-kind={d.draft.kind ?? 'NetworkPolicy'}
          >
            <label
              className="ed-switch"
              title={d.enabled ? 'In the what-if preview' : 'Left out of the preview'}
            >
              <input
                type="checkbox"
                role="switch"
                aria-label={`Preview ${d.draft.name}`}
                checked={d.enabled}
                data-testid="draft-enabled"
                onChange={(e) => setEnabled(d.id, e.target.checked)}
              />
              <span aria-hidden="true" />
            </label>
            <button type="button" className="ed-draft-name" onClick={() => activate(d.id)}>
              <span className="mono">{editorDraftLabel(d.draft)}</span>
              {isClusterDraft(d.draft) && <span className="tag">{d.draft.tier} tier</span>}
              {isYamlOnlyDraft(d.draft) && <span className="tag">{editorDraftKind(d.draft)}</span>}
              {replaces !== undefined ? (
                <span className="tag tag-open" data-testid="draft-replaces">
                  replaces {replaces}
                </span>
              ) : (
                <span className={`tag ${d.draft.origin !== undefined ? 'tag-ingress' : ''}`}>
                  {d.draft.origin !== undefined ? 'edit' : 'new'}
                </span>
              )}
              {errors > 0 && <span className="tag tag-deny">{plural(errors, 'error')}</span>}
            </button>
            <button
              type="button"
              className="text-button"
              data-testid="duplicate-draft"
              onClick={() =>
                duplicate(
                  d.id,
                  isCiliumDraft(d.draft)
                    ? takenCiliumNames(snapshot, [], d.draft.kind, d.draft.namespace)
                    : isCalicoDraft(d.draft)
                      ? takenCalicoNames(snapshot, [], d.draft.calicoKind, d.draft.namespace)
                      : isClusterDraft(d.draft)
                        ? takenClusterNames(snapshot, [])
                        : takenNames(snapshot, [], d.draft.namespace),
                )
              }
            >
              Duplicate
            </button>
            <button
              type="button"
              className="text-button ed-danger"
              data-testid="delete-draft"
              onClick={() => remove(d.id)}
            >
              Delete
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function WhatIfBar() {
  const whatIf = useEditor((s) => s.whatIf);
  const invalid = useEditor((s) => s.invalidEnabled);
  const onlyChanges = useEditor((s) => s.onlyChanges);
  const setOnlyChanges = useEditor((s) => s.setOnlyChanges);
  const value: ConnectionDiff | undefined =
    whatIf.status === 'ready' ? whatIf.value : whatIf.status === 'loading' ? whatIf.value : undefined;
  const c = value?.counts;
  return (
    <div
      className="ed-whatif"
      data-testid="whatif"
      data-status={whatIf.status}
      data-added={c?.added ?? ''}
      data-removed={c?.removed ?? ''}
      data-unchanged={c?.unchanged ?? ''}
    >
      <span className="ed-whatif-label">What-if</span>
      {whatIf.status === 'off' ? (
        <span className="muted">Switch a valid draft on to preview its effect on the graph.</span>
      ) : whatIf.status === 'failed' ? (
        <span className="warn-text">{whatIf.error}</span>
      ) : c === undefined ? (
        <span className="inline-loading">
          <span className="spinner" aria-hidden="true" /> Computing…
        </span>
      ) : (
        <>
          <span className="ed-count ed-count-added" data-testid="whatif-added">
            +{c.added.toLocaleString('en-US')} added
          </span>
          <span className="ed-count ed-count-removed" data-testid="whatif-removed">
            −{c.removed.toLocaleString('en-US')} removed
          </span>
          <span className="ed-count" data-testid="whatif-unchanged">
            {c.unchanged.toLocaleString('en-US')} unchanged
          </span>
          {whatIf.status === 'loading' && <span className="spinner" aria-hidden="true" />}
        </>
      )}
      {invalid > 0 && <span className="tag tag-deny">{plural(invalid, 'draft')} with errors left out</span>}
      <span className="ed-spacer" />
      <label className="ed-check">
        <input
          type="checkbox"
          data-testid="only-changes"
          checked={onlyChanges}
          onChange={(e) => setOnlyChanges(e.target.checked)}
        />
        Only changes
      </label>
    </div>
  );
}

function ValidationSummary({ status }: { status: DraftStatus }) {
  const { errors, warnings, validation, yamlErrors, replaces } = status;
  const [open, setOpen] = useState(false);
  if (errors + warnings === 0)
    return (
      <span className="ed-summary ed-summary-ok" data-testid="validation-summary" data-errors="0">
        ✓ Valid
      </span>
    );
  return (
    <span className="ed-summary-wrap">
      <button
        type="button"
        className={`ed-summary ${errors > 0 ? 'ed-summary-error' : 'ed-summary-warning'}`}
        data-testid="validation-summary"
        data-errors={errors}
        data-warnings={warnings}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {[errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : '']
          .filter(Boolean)
          .join(' · ')}
      </button>
      {open && (
        <ul className="ed-summary-list">
          {yamlErrors.map((i, n) => (
            <li key={`y${n}`} className="ed-issue ed-issue-error">
              <span className="mono">YAML line {i.location?.line ?? '?'}: </span>
              {i.message}
            </li>
          ))}
          {replaces !== undefined && (
            <li className="ed-issue ed-issue-warning" data-testid="summary-replaces">
              replaces {replaces}: the what-if, Save and Apply put this draft in its place
            </li>
          )}
          {/* While the YAML does not load, the form's older version is not what counts. */}
          {validation.issues
            .filter((i) => i.severity !== 'info' && (yamlErrors.length === 0 || i.severity !== 'error'))
            .map((i, n) => (
              <li key={n} className={`ed-issue ed-issue-${i.severity}`}>
                {i.field !== '' && <span className="mono">{i.field}: </span>}
                {i.message}
              </li>
            ))}
        </ul>
      )}
    </span>
  );
}

function CopyButton({ draft, disabled }: { draft: EditorDraft; disabled: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button"
      data-testid="copy-yaml"
      disabled={disabled}
      title={disabled ? 'Fix the errors first' : undefined}
      onClick={() => {
        void navigator.clipboard
          ?.writeText(editorDraftToYaml(draft))
          .then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          })
          .catch(() => setCopied(false));
      }}
    >
      {copied ? 'Copied' : 'Copy YAML'}
    </button>
  );
}

function originFileOf(draft: EditorDraft, snapshot: Snapshot | undefined): string | undefined {
  const origin = draft.origin;
  if (origin === undefined || snapshot === undefined) return undefined;
  if (isCiliumDraft(draft)) {
    const key = ciliumDraftKey(draft.origin ?? draft);
    return snapshot.ciliumPolicies?.find((p) => ciliumDraftKey(p) === key)?.location?.file;
  }
  if (isCalicoDraft(draft)) {
    const key = draft.origin !== undefined ? calicoPolicyKey(draft.origin) : calicoDraftKey(draft);
    return snapshot.calicoPolicies?.find((p) => calicoPolicyKey(p) === key)?.location?.file;
  }
  if (isClusterDraft(draft)) {
    return snapshot.clusterPolicies.find(
      (p) => p.kind === 'ClusterNetworkPolicy' && p.name === draft.origin?.name,
    )?.location?.file;
  }
  return snapshot.policies.find(
    (p) => p.namespace === draft.origin?.namespace && p.name === draft.origin.name,
  )?.location?.file;
}

function ActiveDraft({ entry }: { entry: DraftEntry }) {
  const { api, store } = useEditorHandle();
  const snapshot = useSource((s) => s.snapshot);
  const info = useSource((s) => s.info);
  const status = useDraftStatus(entry);
  const { validation, valid, replaces } = status;
  const draft = entry.draft;
  const onChange = (next: EditorDraft) => store.getState().update(entry.id, next);
  const namespaces = snapshot?.namespaces.map((n) => n.name) ?? [];
  const originFile = originFileOf(draft, snapshot);
  const capabilities = info?.capabilities ?? [];
  const live = snapshot?.source.kind === 'cluster' && capabilities.includes('dry-run');
  return (
    <>
      <div className={`ed-body ${isYamlOnlyDraft(draft) ? 'ed-body-yaml-only' : ''}`}>
        {!isYamlOnlyDraft(draft) && (
          <div className="ed-form-col">
            {isClusterDraft(draft) ? (
              <ClusterPolicyForm
                draft={draft}
                onChange={onChange}
                validation={validation}
                {...(replaces !== undefined ? { replaces } : {})}
              />
            ) : (
              <PolicyForm
                draft={draft}
                onChange={onChange}
                validation={validation}
                namespaces={namespaces}
                {...(replaces !== undefined ? { replaces } : {})}
              />
            )}
          </div>
        )}
        <div className="ed-yaml-col">
          <h3 className="section-title">
            <span>{isYamlOnlyDraft(draft) ? editorDraftKind(draft) : 'YAML'}</span>
            {isYamlOnlyDraft(draft) ? (
              replaces !== undefined ? (
                <span
                  className="section-aside warn-text"
                  data-testid={isCiliumDraft(draft) ? 'cilium-replaces' : 'calico-replaces'}
                  role="status"
                >
                  replaces {replaces}
                </span>
              ) : (
                <span className="section-aside">YAML: messages show at their line</span>
              )
            ) : (
              <span className="section-aside">edit either side</span>
            )}
          </h3>
          <YamlPane
            key={entry.id}
            draft={draft}
            onChange={onChange}
            onErrors={(issues) => store.getState().setYamlErrors(entry.id, issues)}
          />
        </div>
      </div>
      <div className="ed-footer" data-testid="editor-footer" data-valid={valid ? 'true' : 'false'}>
        <ValidationSummary status={status} />
        <span className="ed-spacer" />
        <CopyButton draft={draft} disabled={!valid} />
        <SaveButton api={api} draft={draft} originFile={originFile} disabled={!valid} />
      </div>
      {live && (
        <div className="ed-footer ed-footer-live">
          {isApplicableDraft(draft) ? (
            <ApplyActions
              api={api}
              draft={draft}
              canApply={capabilities.includes('apply')}
              disabled={!valid}
            />
          ) : (
            <span
              className="fine-print"
              data-testid={isCiliumDraft(draft) ? 'cilium-apply-note' : 'calico-apply-note'}
            >
              netglass applies NetworkPolicies and ClusterNetworkPolicies; save this {editorDraftKind(draft)}{' '}
              and apply it{' '}
              {isCalicoDraft(draft)
                ? 'with calicoctl, or with kubectl where the Calico API server serves projectcalico.org/v3 (`kubectl apply --dry-run=server -f` first).'
                : 'with kubectl (`kubectl apply --dry-run=server -f` first).'}
            </span>
          )}
        </div>
      )}
    </>
  );
}

export function EditorPanel() {
  const open = useEditor((s) => s.open);
  const chooser = useEditor((s) => s.chooser);
  const drafts = useEditor((s) => s.drafts);
  const activeId = useEditor((s) => s.activeId);
  const { setOpen, setChooser } = useEditorHandle().store.getState();
  // Opened from the header, the palette or a policy's details: the keyboard goes where the editor is.
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusWhileOpen(open, heading);
  if (!open) return null;
  const active = drafts.find((d) => d.id === activeId);
  const showChooser = chooser || drafts.length === 0;
  return (
    <aside className="editor" aria-label="Policy editor" data-testid="policy-editor">
      <div className="details-header ed-header">
        <div className="details-heading">
          <div className="eyebrow">Policy editor</div>
          <h2 className="details-title" ref={heading} tabIndex={-1} data-testid="editor-heading">
            {showChooser ? 'New policy' : (active?.draft.name ?? 'Drafts')}
          </h2>
        </div>
        <div className="details-actions">
          {!showChooser && (
            <button
              type="button"
              className="button"
              data-testid="editor-new"
              onClick={() => setChooser(true)}
            >
              New…
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Close the policy editor"
            data-testid="close-editor"
            onClick={() => setOpen(false)}
          >
            <IconClose />
          </button>
        </div>
      </div>
      {!showChooser && active !== undefined && <TightenedNote draftId={active.id} />}
      {drafts.length > 0 && <DraftList />}
      {drafts.length > 0 && <WhatIfBar />}
      <div className="ed-scroll">
        {showChooser ? <Chooser /> : active !== undefined && <ActiveDraft entry={active} />}
      </div>
    </aside>
  );
}
