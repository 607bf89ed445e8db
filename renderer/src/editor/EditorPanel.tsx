/**
 * The policy editor: the drafts (NetworkPolicy, ClusterNetworkPolicy, or a Cilium or Calico policy as YAML),
 * the what-if counts, the form beside its YAML, and save / dry-run / apply. Opened from a policy's details ("Edit a copy") or
 * the header ("New policy"). Whether a draft is valid is `draftStatus`'s answer (validity.ts), the
 * same for the draft list, the footer, Copy, Save, Apply and the what-if.
 */
import { useState } from 'react';
import type { EditorDraft, PolicyDraft } from '../../../shared/editor/index.ts';
import {
  CALICO_TEMPLATES,
  CILIUM_TEMPLATES,
  CLUSTER_TEMPLATES,
  NEW_CLUSTER_DRAFT_EXPLANATION,
  NEW_DRAFT_EXPLANATION,
  TEMPLATES,
  calicoDraftFromTemplate,
  calicoDraftKey,
  ciliumDraftFromTemplate,
  ciliumDraftKey,
  editorDraftKind,
  editorDraftLabel,
  editorDraftToYaml,
  enforcedKind,
  freePriority,
  isApplicableDraft,
  isCalicoDraft,
  isCiliumDraft,
  isClusterDraft,
  isNetworkPolicyDraft,
  isYamlOnlyDraft,
  newClusterDraft,
  newDraft,
  uniqueName,
} from '../../../shared/editor/index.ts';
import type { CalicoDraftKind, ClusterPolicyDraft } from '../../../shared/editor/index.ts';
import type { ConnectionDiff } from '../../../shared/eval/index.ts';
import type { CiliumPolicyKind, ClusterNetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import { calicoPolicyKey } from '../../../shared/model/snapshot.ts';
import { IconClose } from '../components/icons.tsx';
import { plural } from '../components/parts.tsx';
import { useSource, useView } from '../store/context.tsx';
import { ApplyActions, SaveButton } from './ClusterActions.tsx';
import { ClusterPolicyForm } from './ClusterPolicyForm.tsx';
import { Choice } from './fields.tsx';
import { useEditor, useEditorHandle } from './hooks.ts';
import { PolicyForm } from './PolicyForm.tsx';
import type { DraftEntry } from './store.ts';
import { draftStatus, existingPolicies, useDraftStatus, type DraftStatus } from './validity.ts';
import { YamlPane } from './YamlPane.tsx';

const NO_CLUSTER_POLICIES: readonly ClusterNetworkPolicy[] = [];

/** The namespace a new policy starts in: the selected one, else the first that is not kube-system. */
export function defaultNamespace(snapshot: Snapshot | undefined, selected: string | undefined): string {
  const names = snapshot?.namespaces.map((n) => n.name) ?? [];
  if (selected !== undefined && names.includes(selected)) return selected;
  return names.find((n) => n !== 'kube-system' && !n.startsWith('kube-')) ?? names[0] ?? 'default';
}

/** NetworkPolicy names in use in `namespace`: the snapshot's and the drafts'. */
export function takenNames(
  snapshot: Snapshot | undefined,
  drafts: readonly DraftEntry[],
  namespace: string,
): string[] {
  return [
    ...(snapshot?.policies.filter((p) => p.namespace === namespace).map((p) => p.name) ?? []),
    ...drafts.flatMap((d) =>
      isNetworkPolicyDraft(d.draft) && d.draft.namespace === namespace ? [d.draft.name] : [],
    ),
  ];
}

/**
 * Cilium policy names in use in the scope of `kind` (a namespace for CiliumNetworkPolicy, the cluster
 * for CiliumClusterwideNetworkPolicy): the snapshot's and the drafts'.
 */
export function takenCiliumNames(
  snapshot: Snapshot | undefined,
  drafts: readonly DraftEntry[],
  kind: CiliumPolicyKind,
  namespace: string | undefined,
): string[] {
  const inScope = (p: { kind: string; namespace?: string | undefined }) =>
    p.kind === kind && (kind === 'CiliumClusterwideNetworkPolicy' || p.namespace === namespace);
  return [
    ...(snapshot?.ciliumPolicies ?? []).filter(inScope).map((p) => p.name),
    ...drafts.flatMap((d) => (isCiliumDraft(d.draft) && inScope(d.draft) ? [d.draft.name] : [])),
  ];
}

/**
 * Calico policy names (without the tier prefix) in use in the scope of `kind`: a namespace for
 * NetworkPolicy, the cluster for GlobalNetworkPolicy; every tier, staged policies included (a staged
 * policy's name is the one it would take once enforced). The snapshot's and the drafts'.
 */
export function takenCalicoNames(
  snapshot: Snapshot | undefined,
  drafts: readonly DraftEntry[],
  kind: CalicoDraftKind,
  namespace: string | undefined,
): string[] {
  const inScope = (k: CalicoDraftKind, ns: string | undefined) =>
    k === kind && (kind === 'GlobalNetworkPolicy' || ns === namespace);
  return [
    ...(snapshot?.calicoPolicies ?? [])
      .filter((p) => inScope(enforcedKind(p.kind), p.namespace))
      .map((p) => p.name),
    ...drafts.flatMap((d) =>
      isCalicoDraft(d.draft) && inScope(d.draft.calicoKind, d.draft.namespace) ? [d.draft.name] : [],
    ),
  ];
}

/** ClusterNetworkPolicy names in use: the snapshot's and the drafts' (they are cluster-scoped). */
export function takenClusterNames(snapshot: Snapshot | undefined, drafts: readonly DraftEntry[]): string[] {
  return [
    ...(snapshot?.clusterPolicies.filter((p) => p.kind === 'ClusterNetworkPolicy').map((p) => p.name) ?? []),
    ...drafts.flatMap((d) => (isClusterDraft(d.draft) ? [d.draft.name] : [])),
  ];
}

type NewKind = 'NetworkPolicy' | 'ClusterNetworkPolicy' | 'Cilium' | 'Calico';

/** A template of a YAML-only kind (Cilium, Calico) in the chooser. */
interface YamlTemplate {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Made for the chosen namespace (else cluster-wide). */
  readonly namespaced: boolean;
}

/** The chooser's body for a YAML-only kind: what drafting it means, then its templates. */
function YamlTemplates<T extends YamlTemplate>({
  hint,
  templates,
  namespace,
  onPick,
}: {
  hint: string;
  templates: readonly T[];
  namespace: string;
  onPick: (template: T) => void;
}) {
  return (
    <>
      <p className="fine-print ed-hint">{hint}</p>
      <div className="ed-templates">
        {templates.map((t) => (
          <button
            key={t.id}
            type="button"
            className="ed-template"
            data-testid={`template:${t.id}`}
            onClick={() => onPick(t)}
          >
            <span className="ed-template-title">{t.title}</span>
            <span className="ed-template-text">
              {t.description}
              {t.namespaced ? ` (in namespace ${namespace})` : ''}
            </span>
          </button>
        ))}
      </div>
    </>
  );
}

const CILIUM_CHOICES = CILIUM_TEMPLATES.map((t) => ({ ...t, namespaced: t.kind === 'CiliumNetworkPolicy' }));
const CALICO_CHOICES = CALICO_TEMPLATES.map((t) => ({ ...t, namespaced: t.kind === 'NetworkPolicy' }));

function Chooser() {
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const drafts = useEditor((s) => s.drafts);
  const add = useEditor((s) => s.add);
  const setChooser = useEditor((s) => s.setChooser);
  const selectedNs = selection?.kind === 'namespace' ? selection.name : undefined;
  const [namespace, setNamespace] = useState(() => defaultNamespace(snapshot, selectedNs));
  const [kind, setKind] = useState<NewKind>('NetworkPolicy');
  const namespaces = snapshot?.namespaces.map((n) => n.name) ?? [];
  const clusterPolicies = snapshot?.clusterPolicies ?? NO_CLUSTER_POLICIES;
  const create = (draft: PolicyDraft) =>
    add({
      ...draft,
      name: takenNames(snapshot, drafts, namespace).includes(draft.name) ? `${draft.name}-2` : draft.name,
    });
  // A template's name and priority are moved to free ones, so that it neither replaces an existing
  // policy nor ties with one (typing such a name or priority afterwards says so).
  const createCluster = (draft: ClusterPolicyDraft) =>
    add({
      ...draft,
      name: uniqueName(draft.name, takenClusterNames(snapshot, drafts)),
      priority: String(freePriority(draft.tier, Number(draft.priority), clusterPolicies)),
    });
  return (
    <div className="ed-chooser" data-testid="new-policy-chooser" data-kind={kind}>
      <Choice<NewKind>
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
      {kind === 'Cilium' ? (
        <YamlTemplates
          hint="Cilium policies are drafted as YAML: the reader's messages show at their line, and the what-if shows the effect on the graph. Save or copy the result; apply it with kubectl."
          templates={CILIUM_CHOICES}
          namespace={namespace}
          onPick={(t) =>
            add(ciliumDraftFromTemplate(t, namespace, takenCiliumNames(snapshot, drafts, t.kind, namespace)))
          }
        />
      ) : kind === 'Calico' ? (
        <YamlTemplates
          hint="Calico policies (projectcalico.org/v3) are drafted as YAML: the reader's messages show at their line, and the what-if shows the effect on the graph. Save or copy the result; apply it with kubectl or calicoctl."
          templates={CALICO_CHOICES}
          namespace={namespace}
          onPick={(t) =>
            add(calicoDraftFromTemplate(t, namespace, takenCalicoNames(snapshot, drafts, t.kind, namespace)))
          }
        />
      ) : kind === 'NetworkPolicy' ? (
        <>
          <button
            type="button"
            className="ed-template ed-template-blank"
            data-testid="new-blank"
            onClick={() => add(newDraft(namespace, takenNames(snapshot, drafts, namespace)))}
          >
            <span className="ed-template-title">New policy (deny-all)</span>
            <span className="ed-template-text">{NEW_DRAFT_EXPLANATION}</span>
          </button>
          <h3 className="section-title ed-chooser-title">
            <span>From template…</span>
          </h3>
          <div className="ed-templates">
            {TEMPLATES.map((t) => (
              <button
                key={t.id}
                type="button"
                className="ed-template"
                data-testid={`template:${t.id}`}
                onClick={() => create(t.create(namespace))}
              >
                <span className="ed-template-title">{t.title}</span>
                <span className="ed-template-text">{t.description}</span>
              </button>
            ))}
          </div>
        </>
      ) : (
        <>
          <button
            type="button"
            className="ed-template ed-template-blank"
            data-testid="new-blank-cluster"
            onClick={() =>
              add(newClusterDraft(namespace, takenClusterNames(snapshot, drafts), clusterPolicies))
            }
          >
            <span className="ed-template-title">New ClusterNetworkPolicy</span>
            <span className="ed-template-text">{NEW_CLUSTER_DRAFT_EXPLANATION}</span>
          </button>
          <h3 className="section-title ed-chooser-title">
            <span>From template…</span>
          </h3>
          <div className="ed-templates">
            {CLUSTER_TEMPLATES.map((t) => (
              <button
                key={t.id}
                type="button"
                className="ed-template"
                data-testid={`template:${t.id}`}
                onClick={() => createCluster(t.create(namespace))}
              >
                <span className="ed-template-title">{t.title}</span>
                <span className="ed-template-text">
                  {t.description}
                  {t.perNamespace ? ` (for namespace ${namespace})` : ''}
                </span>
              </button>
            ))}
          </div>
        </>
      )}
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
  if (!open) return null;
  const active = drafts.find((d) => d.id === activeId);
  const showChooser = chooser || drafts.length === 0;
  return (
    <aside className="editor" aria-label="Policy editor" data-testid="policy-editor">
      <div className="details-header ed-header">
        <div className="details-heading">
          <div className="eyebrow">Policy editor</div>
          <h2 className="details-title">{showChooser ? 'New policy' : (active?.draft.name ?? 'Drafts')}</h2>
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
      {drafts.length > 0 && <DraftList />}
      {drafts.length > 0 && <WhatIfBar />}
      <div className="ed-scroll">
        {showChooser ? <Chooser /> : active !== undefined && <ActiveDraft entry={active} />}
      </div>
    </aside>
  );
}
