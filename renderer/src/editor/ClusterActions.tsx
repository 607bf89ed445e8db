/**
 * Saving a draft to a file and applying it to a live cluster. Apply always follows a server-side
 * dry-run of the very same manifest: its answer (create/update, the field changes, or the refusal in
 * plain words) is shown, and "Apply" asks for a confirmation listing exactly what will change. A
 * ClusterNetworkPolicy is cluster-scoped: it is named without a namespace, and the confirmation says
 * that it reaches every namespace its subject selects.
 */
import { useState, type ReactNode } from 'react';
import type {
  ApiError,
  DryRunResult,
  FieldChange,
  NetglassApi,
  SavePathSuggestion,
} from '../../../shared/api/api.ts';
import type { EditorDraft } from '../../../shared/editor/index.ts';
import { editorDraftToManifest, editorDraftToYaml, isClusterDraft } from '../../../shared/editor/index.ts';

/**
 * How the answers name the object: `shop/web` for a NetworkPolicy (as before admin tiers), and
 * `ClusterNetworkPolicy deny-x` for the cluster-scoped kind, which has no namespace to tell it apart.
 */
function shortLabel(kind: string, namespace: string, name: string): string {
  return namespace === '' ? `${kind} ${name}` : `${namespace}/${name}`;
}

/** `NetworkPolicy shop/web`, `ClusterNetworkPolicy deny-x`. */
function fullLabel(kind: string, namespace: string, name: string): string {
  return namespace === '' ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

export function Dialog({
  title,
  children,
  actions,
  onClose,
  testId,
}: {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  onClose: () => void;
  testId?: string;
}) {
  return (
    <div
      className="ed-dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="ed-dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2 className="ed-dialog-title">{title}</h2>
        <div className="ed-dialog-body">{children}</div>
        <div className="ed-dialog-actions">{actions}</div>
      </div>
    </div>
  );
}

/** An API error in plain words; a refusal of the API server with its field causes. */
export function ErrorText({ error }: { error: ApiError }) {
  if (error.code === 'policy-rejected') {
    const f = error.failure;
    return (
      <div className="callout callout-danger" role="alert" data-testid="server-refusal">
        <div>{f.message}</div>
        {f.reason === 'invalid' && f.causes.length > 0 && (
          <ul className="ed-causes">
            {f.causes.map((c, i) => (
              <li key={i}>
                {c.field !== undefined && <span className="mono">{c.field}: </span>}
                {c.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div className="callout callout-danger" role="alert">
      {error.message}
    </div>
  );
}

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function ChangeList({ changes }: { changes: readonly FieldChange[] }) {
  return (
    <ul className="ed-changes" data-testid="dry-run-changes">
      {changes.map((c) => (
        <li key={c.path} className={`ed-change ed-change-${c.change}`}>
          <span className="ed-change-kind">{c.change}</span>
          <span className="mono ed-change-path">{c.path}</span>
          <span className="mono ed-change-values">
            {c.change === 'added'
              ? show(c.after)
              : c.change === 'removed'
                ? show(c.before)
                : `${show(c.before)} → ${show(c.after)}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

type SaveStep =
  | { readonly step: 'closed' }
  | {
      readonly step: 'asking';
      readonly path: string;
      readonly suggestion?: SavePathSuggestion;
      readonly overwrite: boolean;
      readonly error?: ApiError;
    }
  | { readonly step: 'saving'; readonly path: string }
  | { readonly step: 'saved'; readonly path: string; readonly replaced: boolean; readonly bytes: number };

export function SaveButton({
  api,
  draft,
  originFile,
  disabled,
}: {
  api: NetglassApi | undefined;
  draft: EditorDraft;
  originFile: string | undefined;
  disabled: boolean;
}) {
  const [state, setState] = useState<SaveStep>({ step: 'closed' });
  if (api?.suggestPolicyPath === undefined || api.savePolicy === undefined) return null;
  const suggestPolicyPath = api.suggestPolicyPath.bind(api);
  const savePolicy = api.savePolicy.bind(api);
  const start = async (): Promise<void> => {
    const result = await suggestPolicyPath({
      // '' for a cluster-scoped ClusterNetworkPolicy.
      namespace: isClusterDraft(draft) ? '' : draft.namespace,
      name: draft.name,
      ...(originFile !== undefined ? { originFile } : {}),
    });
    if (result.ok)
      setState({ step: 'asking', path: result.value.path ?? '', suggestion: result.value, overwrite: false });
    else setState({ step: 'asking', path: '', overwrite: false, error: result.error });
  };
  const save = async (path: string, overwrite: boolean): Promise<void> => {
    setState({ step: 'saving', path });
    const result = await savePolicy({ path, yaml: editorDraftToYaml(draft), overwrite });
    if (result.ok)
      setState({
        step: 'saved',
        path: result.value.path,
        replaced: result.value.replaced,
        bytes: result.value.bytes,
      });
    else
      setState({
        step: 'asking',
        path,
        overwrite: false,
        error: result.error,
        ...(result.error.code === 'exists' ? { suggestion: { path, exists: true } } : {}),
      });
  };
  const close = () => setState({ step: 'closed' });
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={disabled}
        data-testid="save-policy"
        onClick={() => void start()}
      >
        Save to file…
      </button>
      {state.step === 'asking' && (
        <Dialog
          title="Save the policy to a file"
          onClose={close}
          testId="save-dialog"
          actions={
            <>
              <button type="button" className="button button-ghost" onClick={close}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-primary"
                data-testid="confirm-save"
                disabled={state.path.trim() === '' || (state.suggestion?.exists === true && !state.overwrite)}
                onClick={() => void save(state.path.trim(), state.overwrite)}
              >
                {state.suggestion?.exists === true ? 'Replace file' : 'Save'}
              </button>
            </>
          }
        >
          <label className="ed-dialog-label">
            File (absolute path, .yaml or .yml)
            <input
              className="ed-input mono"
              data-testid="save-path"
              value={state.path}
              placeholder="/path/to/policy.yaml"
              onChange={(e) =>
                setState({ ...state, path: e.target.value, overwrite: false, suggestion: undefined })
              }
            />
          </label>
          {state.suggestion?.note !== undefined && <p className="fine-print">{state.suggestion.note}</p>}
          {state.suggestion?.exists === true && (
            <label className="ed-check ed-check-warn">
              <input
                type="checkbox"
                data-testid="save-overwrite"
                checked={state.overwrite}
                onChange={(e) => setState({ ...state, overwrite: e.target.checked })}
              />
              This file exists: replace it
            </label>
          )}
          {state.error !== undefined && state.error.code !== 'exists' && <ErrorText error={state.error} />}
        </Dialog>
      )}
      {state.step === 'saving' && <span className="inline-loading">Saving…</span>}
      {state.step === 'saved' && (
        <span className="ed-done" role="status" data-testid="save-result" title={state.path}>
          {state.replaced ? 'Replaced' : 'Saved'} {state.path.split(/[\\/]/).pop()}
        </span>
      )}
    </>
  );
}

type ApplyStep =
  | { readonly step: 'idle' }
  | { readonly step: 'dry-running' }
  | { readonly step: 'dry-run'; readonly key: string; readonly result: DryRunResult }
  | { readonly step: 'confirm'; readonly key: string; readonly result: DryRunResult }
  | { readonly step: 'applying'; readonly key: string; readonly result: DryRunResult }
  | { readonly step: 'applied'; readonly message: string }
  | { readonly step: 'failed'; readonly error: ApiError };

export function ApplyActions({
  api,
  draft,
  canApply,
  disabled,
}: {
  api: NetglassApi | undefined;
  draft: EditorDraft;
  canApply: boolean;
  disabled: boolean;
}) {
  const [state, setState] = useState<ApplyStep>({ step: 'idle' });
  if (api?.dryRunPolicy === undefined) return null;
  const dryRunPolicy = api.dryRunPolicy.bind(api);
  const applyPolicy = api.applyPolicy?.bind(api);
  const manifest = editorDraftToManifest(draft);
  const kind = manifest.kind;
  const key = JSON.stringify(manifest);
  const current =
    (state.step === 'dry-run' || state.step === 'confirm') && state.key === key ? state.result : undefined;
  const dryRun = async (): Promise<void> => {
    setState({ step: 'dry-running' });
    const result = await dryRunPolicy({ manifest });
    setState(
      result.ok ? { step: 'dry-run', key, result: result.value } : { step: 'failed', error: result.error },
    );
  };
  const apply = async (result: DryRunResult): Promise<void> => {
    if (applyPolicy === undefined) return;
    setState({ step: 'applying', key, result });
    const applied = await applyPolicy({ manifest, dryRunToken: result.dryRunToken });
    setState(
      applied.ok
        ? {
            step: 'applied',
            message: `${applied.value.operation === 'create' ? 'Created' : 'Updated'} ${shortLabel(kind, applied.value.namespace, applied.value.name)} on ${applied.value.context} (resourceVersion ${applied.value.resourceVersion}).`,
          }
        : { step: 'failed', error: applied.error },
    );
  };
  return (
    <div className="ed-apply" data-testid="apply-actions">
      <div className="ed-apply-buttons">
        <button
          type="button"
          className="button"
          disabled={disabled}
          data-testid="dry-run"
          onClick={() => void dryRun()}
        >
          Dry-run on server
        </button>
        {canApply && applyPolicy !== undefined && (
          <button
            type="button"
            className="button button-primary"
            disabled={disabled || current === undefined || current.unchanged}
            data-testid="apply"
            title={current === undefined ? 'Dry-run this version first' : undefined}
            onClick={() => current !== undefined && setState({ step: 'confirm', key, result: current })}
          >
            Apply…
          </button>
        )}
        {state.step === 'dry-running' && <span className="inline-loading">Asking the API server…</span>}
      </div>
      {(state.step === 'dry-run' || state.step === 'confirm') && (
        <div className="ed-dry-run" data-testid="dry-run-result">
          {state.key !== key && (
            <p className="warn-text">The draft changed since this dry-run: dry-run again.</p>
          )}
          <p>
            The server would <strong>{state.result.operation}</strong>{' '}
            {shortLabel(kind, state.result.namespace, state.result.name)} on {state.result.context}
            {state.result.unchanged
              ? ': nothing would change.'
              : `, ${state.result.changes.length} field ${state.result.changes.length === 1 ? 'change' : 'changes'}:`}
          </p>
          {!state.result.unchanged && <ChangeList changes={state.result.changes} />}
        </div>
      )}
      {state.step === 'failed' && <ErrorText error={state.error} />}
      {state.step === 'applied' && (
        <div className="callout ed-applied" role="status" data-testid="apply-result">
          {state.message}
        </div>
      )}
      {state.step === 'confirm' && (
        <Dialog
          title={`Apply to ${state.result.context}?`}
          onClose={() => setState({ step: 'dry-run', key: state.key, result: state.result })}
          testId="apply-dialog"
          actions={
            <>
              <button
                type="button"
                className="button button-ghost"
                onClick={() => setState({ step: 'dry-run', key: state.key, result: state.result })}
              >
                Cancel
              </button>
              <button
                type="button"
                className="button button-primary"
                data-testid="confirm-apply"
                onClick={() => void apply(state.result)}
              >
                {state.result.operation === 'create' ? 'Create policy' : 'Update policy'}
              </button>
            </>
          }
        >
          <p>
            This will {state.result.operation} {fullLabel(kind, state.result.namespace, state.result.name)} on
            the live cluster {state.result.context}
            {kind === 'ClusterNetworkPolicy'
              ? ', a cluster-scoped policy that applies to every namespace its subject selects'
              : ''}
            . Exactly these fields change:
          </p>
          <ChangeList changes={state.result.changes} />
        </Dialog>
      )}
    </div>
  );
}
