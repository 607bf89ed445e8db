/**
 * Keeps the editor's what-if in step with the drafts and the snapshot: the deltas of every enabled,
 * valid draft (NetworkPolicy: upsert/remove policy; ClusterNetworkPolicy: upsert/remove cluster
 * policy, replacing an admin policy of the same key; Cilium and Calico policies alike by their keys) go to the analysis worker (`whatIf`, analysis/whatif.ts) a moment after the last edit,
 * and the answer lands in the editor store. Answers to an older question are dropped.
 */
import { editorDraftDeltas } from '../../../shared/editor/index.ts';
import type { SnapshotDelta } from '../../../shared/eval/index.ts';
import type { AnalysisClient } from '../analysis/client.ts';
import type { SourceStore } from '../store/source-store.ts';
import type { ExistingPolicies } from '../../../shared/editor/index.ts';
import type { DraftEntry, EditorState, EditorStore } from './store.ts';
import { draftStatus, existingPolicies } from './validity.ts';

export interface WhatIfBinding {
  /** Asks again now (tests; the binding otherwise waits `delayMs` after the last change). */
  flush(): void;
  dispose(): void;
}

/**
 * The deltas of the enabled drafts that are valid (`draftStatus`, the editor's one answer), and how
 * many enabled drafts are not.
 */
export function enabledDeltas(
  drafts: readonly DraftEntry[],
  pending: Pick<EditorState, 'yamlErrors'> = { yamlErrors: undefined },
  existing?: ExistingPolicies,
): {
  deltas: SnapshotDelta[];
  invalid: number;
} {
  const deltas: SnapshotDelta[] = [];
  let invalid = 0;
  for (const entry of drafts) {
    if (!entry.enabled) continue;
    if (!draftStatus(entry, pending, existing).valid) {
      invalid++;
      continue;
    }
    const result = editorDraftDeltas(entry.draft);
    if (result.ok) deltas.push(...result.deltas);
    else invalid++;
  }
  return { deltas, invalid };
}

export function bindWhatIf(options: {
  readonly client: AnalysisClient;
  readonly source: SourceStore;
  readonly editor: EditorStore;
  readonly delayMs?: number;
}): WhatIfBinding {
  const { client, source, editor } = options;
  const delay = options.delayMs ?? 180;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let lastKey = '';

  function run(): void {
    timer = undefined;
    const { snapshot, revision } = source.getState();
    const { deltas, invalid } = enabledDeltas(
      editor.getState().drafts,
      editor.getState(),
      existingPolicies(snapshot),
    );
    if (snapshot === undefined || deltas.length === 0) {
      lastKey = '';
      asked++;
      editor.getState().setWhatIf({ status: 'off' }, invalid);
      return;
    }
    const key = `${revision}\u0000${JSON.stringify(deltas)}`;
    if (key === lastKey && editor.getState().whatIf.status !== 'failed') {
      editor.setState({ invalidEnabled: invalid });
      return;
    }
    lastKey = key;
    const ticket = ++asked;
    const previous = editor.getState().whatIf;
    const keep =
      previous.status === 'ready'
        ? previous.value
        : previous.status === 'loading'
          ? previous.value
          : undefined;
    editor.getState().setWhatIf({ status: 'loading', value: keep }, invalid);
    void client.request('whatIf', { deltas }).then((outcome) => {
      if (ticket !== asked) return;
      if (!outcome.ok) {
        lastKey = '';
        editor.getState().setWhatIf({ status: 'failed', error: outcome.error });
        return;
      }
      editor.getState().setWhatIf({ status: 'ready', value: outcome.value, revision: outcome.revision });
    });
  }

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, delay);
  }

  const offEditor = editor.subscribe((s, prev) => {
    if (s.drafts !== prev.drafts || s.yamlErrors !== prev.yamlErrors) schedule();
  });
  const offSource = source.subscribe((s, prev) => {
    if (s.snapshot !== prev.snapshot) schedule();
  });
  if (editor.getState().drafts.length > 0) schedule();

  return {
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      run();
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      offEditor();
      offSource();
    },
  };
}
