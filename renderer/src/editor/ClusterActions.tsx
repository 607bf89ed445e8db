/**
 * Saving a draft to a file and applying it to a live cluster.
 *
 * Save writes under the loaded manifest folders; anywhere else only where the user picks in the
 * native save dialog (Electron, capability `save-dialog`), and in web mode the browser downloads the
 * YAML: the page never names a path the Node side writes to outside those folders.
 *
 * Apply is server-side apply, and always follows a server-side dry-run of the very same manifest:
 * its answer (create/update, every field of the object that changes, or the refusal in plain words)
 * is shown, and "Apply" asks for a confirmation listing exactly what will change. A field another
 * field manager owns is a conflict: its fields and managers are shown, and only the user's choice
 * ("take them over") sends a dry-run with force, whose token the apply then uses. A
 * ClusterNetworkPolicy is cluster-scoped: it is named without a namespace, and the confirmation says
 * that it reaches every namespace its subject selects.
 */
import { useState, type ReactNode } from 'react';
import type {
  ApiError,
  ApplyFailure,
  DryRunResult,
  FieldChange,
  FieldConflict,
  NetglassApi,
  SavePathSuggestion,
} from '../../../shared/api/api.ts';
import type { ApplicableDraft, EditorDraft } from '../../../shared/editor/index.ts';
import { editorDraftToManifest, editorDraftToYaml, isClusterDraft } from '../../../shared/editor/index.ts';
import { saveExportFile } from '../export/save-file.ts';
import { useSource } from '../store/context.tsx';

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

/** Fields other field managers own, and who owns them. */
export function ConflictList({ conflicts, testId }: { conflicts: readonly FieldConflict[]; testId: string }) {
  return (
    <ul className="ed-causes" data-testid={testId}>
      {conflicts.map((c) => (
        <li key={`${c.field} ${c.manager}`}>
          <span className="mono">{c.field}</span> owned by <span className="mono">{c.manager}</span>
        </li>
      ))}
    </ul>
  );
}

/** An API error in plain words; a refusal of the API server with its field causes or conflicts. */
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
        {f.reason === 'field-conflict' && <ConflictList conflicts={f.conflicts} testId="field-conflicts" />}
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
        <li key={c.path} className={`ed-change ed-change-${c.change}`} data-path={c.path}>
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

/** A file name for the draft (`<name>.yaml`), as `savePolicyAs` and downloads want it. */
export function policyFileName(draft: EditorDraft): string {
  const name = `${draft.name}.yaml`;
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}\.ya?ml$/.test(name) ? name : 'policy.yaml';
}

type SaveStep =
  | { readonly step: 'closed' }
  | {
      readonly step: 'asking';
      /** '' with no loaded manifest folder: then only the dialog or the download can save. */
      readonly path: string;
      readonly rooted: boolean;
      readonly suggestion?: SavePathSuggestion;
      readonly overwrite: boolean;
      readonly error?: ApiError;
    }
  | { readonly step: 'saving'; readonly path: string }
  | { readonly step: 'choosing' }
  | { readonly step: 'saved'; readonly path: string; readonly replaced: boolean; readonly bytes: number }
  | { readonly step: 'downloaded'; readonly fileName: string };

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
  const nativeDialog = useSource((s) => s.info?.capabilities.includes('save-dialog') ?? false);
  if (api?.suggestPolicyPath === undefined || api.savePolicy === undefined) return null;
  const suggestPolicyPath = api.suggestPolicyPath.bind(api);
  const savePolicy = api.savePolicy.bind(api);
  const savePolicyAs = nativeDialog ? api.savePolicyAs?.bind(api) : undefined;
  const fileName = policyFileName(draft);
  const chooseFile =
    savePolicyAs === undefined
      ? undefined
      : async (): Promise<void> => {
          setState({ step: 'choosing' });
          const result = await savePolicyAs({ yaml: editorDraftToYaml(draft), fileName });
          if (!result.ok)
            setState({ step: 'asking', path: '', rooted: false, overwrite: false, error: result.error });
          else if (result.value.outcome === 'cancelled') setState({ step: 'closed' });
          else
            setState({
              step: 'saved',
              path: result.value.path,
              replaced: result.value.replaced,
              bytes: result.value.bytes,
            });
        };
  // Web mode: the browser downloads the YAML where it keeps downloads, and the server writes nothing.
  const download = async (): Promise<void> => {
    const result = await saveExportFile({
      fileName,
      mime: 'application/yaml',
      data: editorDraftToYaml(draft),
    });
    if (result.outcome === 'downloaded') setState({ step: 'downloaded', fileName });
    else if (result.outcome === 'saved')
      setState({ step: 'saved', path: result.path, replaced: false, bytes: result.bytes });
    else if (result.outcome === 'cancelled') setState({ step: 'closed' });
    else
      setState({
        step: 'asking',
        path: '',
        rooted: false,
        overwrite: false,
        error: { code: 'write-failed', message: result.message, path: fileName },
      });
  };
  const start = async (): Promise<void> => {
    const result = await suggestPolicyPath({
      // '' for a cluster-scoped policy (ClusterNetworkPolicy, CiliumClusterwideNetworkPolicy).
      namespace: isClusterDraft(draft) ? '' : (draft.namespace ?? ''),
      name: draft.name,
      ...(originFile !== undefined ? { originFile } : {}),
    });
    const rooted = result.ok && result.value.path !== undefined;
    // No loaded folder to save in: in Electron, straight to the native dialog.
    if (!rooted && chooseFile !== undefined && result.ok) return chooseFile();
    if (result.ok)
      setState({
        step: 'asking',
        path: result.value.path ?? '',
        rooted,
        suggestion: result.value,
        overwrite: false,
      });
    else setState({ step: 'asking', path: '', rooted: false, overwrite: false, error: result.error });
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
        rooted: true,
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
        disabled={disabled || state.step === 'choosing'}
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
              {chooseFile !== undefined ? (
                <button
                  type="button"
                  className={state.rooted ? 'button' : 'button button-primary'}
                  data-testid="save-choose"
                  onClick={() => void chooseFile()}
                >
                  Choose a file…
                </button>
              ) : (
                <button
                  type="button"
                  className={state.rooted ? 'button' : 'button button-primary'}
                  data-testid="save-download"
                  onClick={() => void download()}
                >
                  Download {fileName}
                </button>
              )}
              {state.rooted && (
                <button
                  type="button"
                  className="button button-primary"
                  data-testid="confirm-save"
                  disabled={
                    state.path.trim() === '' || (state.suggestion?.exists === true && !state.overwrite)
                  }
                  onClick={() => void save(state.path.trim(), state.overwrite)}
                >
                  {state.suggestion?.exists === true ? 'Replace file' : 'Save'}
                </button>
              )}
            </>
          }
        >
          {state.rooted ? (
            <label className="ed-dialog-label">
              File under the loaded manifest folders (absolute path, .yaml or .yml)
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
          ) : (
            <p data-testid="save-no-folder">
              No manifest folder is loaded, so there is no folder to save next to.{' '}
              {chooseFile !== undefined
                ? 'Choose a file to save the policy in.'
                : 'Download the YAML: your browser saves it where it keeps downloads.'}
            </p>
          )}
          {state.suggestion?.note !== undefined && <p className="fine-print">{state.suggestion.note}</p>}
          {state.rooted && state.suggestion?.exists === true && (
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
          {state.error?.code === 'exists' && !state.rooted && <ErrorText error={state.error} />}
        </Dialog>
      )}
      {state.step === 'saving' && <span className="inline-loading">Saving…</span>}
      {state.step === 'choosing' && <span className="inline-loading">Choosing a file…</span>}
      {state.step === 'saved' && (
        <span className="ed-done" role="status" data-testid="save-result" title={state.path}>
          {state.replaced ? 'Replaced' : 'Saved'} {state.path.split(/[\\/]/).pop()}
        </span>
      )}
      {state.step === 'downloaded' && (
        <span className="ed-done" role="status" data-testid="save-result">
          Downloaded {state.fileName}
        </span>
      )}
    </>
  );
}

type ApplyStep =
  | { readonly step: 'idle' }
  | { readonly step: 'dry-running'; readonly force: boolean }
  | { readonly step: 'dry-run'; readonly key: string; readonly result: DryRunResult }
  | { readonly step: 'confirm'; readonly key: string; readonly result: DryRunResult }
  | { readonly step: 'applying'; readonly key: string; readonly result: DryRunResult }
  | { readonly step: 'applied'; readonly message: string }
  /** Other field managers own fields the draft sets: the user may dry-run again with force. */
  | {
      readonly step: 'conflict';
      readonly key: string;
      readonly error: ApiError;
      readonly conflicts: readonly FieldConflict[];
    }
  | { readonly step: 'failed'; readonly error: ApiError };

function fieldConflictOf(error: ApiError): Extract<ApplyFailure, { reason: 'field-conflict' }> | undefined {
  return error.code === 'policy-rejected' && error.failure.reason === 'field-conflict'
    ? error.failure
    : undefined;
}

/** What a forced dry-run takes over, said before the user applies it. */
function ForceNote({ result }: { result: DryRunResult }) {
  if (!result.force) return null;
  if (result.conflicts.every((c) => c.manager === result.fieldManager)) {
    // Fields an earlier netglass wrote by replace (before apply was server-side): nobody else's.
    return (
      <div className="callout callout-hint" data-testid="dry-run-forced">
        <div>
          An earlier {result.fieldManager} set {result.conflicts.length === 1 ? 'this field' : 'these fields'}{' '}
          with a plain update; this apply takes {result.conflicts.length === 1 ? 'it' : 'them'} over as its
          own (no other field manager is involved):
        </div>
        <ConflictList conflicts={result.conflicts} testId="dry-run-force-fields" />
      </div>
    );
  }
  return (
    <div className="callout callout-warning" data-testid="dry-run-forced">
      <div>
        Forced: {result.fieldManager} takes {result.conflicts.length === 1 ? 'this field' : 'these fields'}{' '}
        over from {result.conflicts.length === 1 ? 'its manager' : 'their managers'}, which may set{' '}
        {result.conflicts.length === 1 ? 'it' : 'them'} back:
      </div>
      <ConflictList conflicts={result.conflicts} testId="dry-run-force-fields" />
    </div>
  );
}

export function ApplyActions({
  api,
  draft,
  canApply,
  disabled,
}: {
  api: NetglassApi | undefined;
  draft: ApplicableDraft;
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
  const dryRun = async (force: boolean): Promise<void> => {
    setState({ step: 'dry-running', force });
    const result = await dryRunPolicy(force ? { manifest, force } : { manifest });
    if (result.ok) return setState({ step: 'dry-run', key, result: result.value });
    const conflict = fieldConflictOf(result.error);
    setState(
      conflict !== undefined
        ? { step: 'conflict', key, error: result.error, conflicts: conflict.conflicts }
        : { step: 'failed', error: result.error },
    );
  };
  const apply = async (result: DryRunResult): Promise<void> => {
    if (applyPolicy === undefined) return;
    setState({ step: 'applying', key, result });
    const applied = await applyPolicy({ manifest, dryRunToken: result.dryRunToken });
    if (applied.ok) {
      return setState({
        step: 'applied',
        message: `${applied.value.operation === 'create' ? 'Created' : 'Updated'} ${shortLabel(kind, applied.value.namespace, applied.value.name)} on ${applied.value.context} (resourceVersion ${applied.value.resourceVersion}).`,
      });
    }
    // Another manager took a field over since the dry-run: the same choice as after a dry-run.
    const conflict = fieldConflictOf(applied.error);
    setState(
      conflict !== undefined
        ? { step: 'conflict', key, error: applied.error, conflicts: conflict.conflicts }
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
          onClick={() => void dryRun(false)}
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
          <ForceNote result={state.result} />
          {!state.result.unchanged && <ChangeList changes={state.result.changes} />}
          {state.result.operation === 'update' && (
            <p className="fine-print" data-testid="dry-run-kept">
              Server-side apply as field manager {state.result.fieldManager}: every other field of the live
              object (owner references, finalizers, labels and annotations set by others) stays as it is.
            </p>
          )}
        </div>
      )}
      {state.step === 'conflict' && (
        <div className="ed-dry-run" data-testid="dry-run-conflict">
          <ErrorText error={state.error} />
          {canApply && (
            <button
              type="button"
              className="button"
              data-testid="dry-run-force"
              disabled={disabled || state.key !== key}
              title={state.key !== key ? 'The draft changed: dry-run it first' : undefined}
              onClick={() => void dryRun(true)}
            >
              Dry-run taking {state.conflicts.length === 1 ? 'it' : 'them'} over (force)
            </button>
          )}
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
          <ForceNote result={state.result} />
        </Dialog>
      )}
    </div>
  );
}
