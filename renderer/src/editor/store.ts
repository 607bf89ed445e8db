/**
 * The policy editor's state: the drafts (each on or off for the what-if), which one the form shows,
 * whether the editor is open, the "only changes" filter and the what-if answer. Drafts never touch the
 * source: they are previewed (what-if), saved to a file or applied to a cluster on request only.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NetglassApi } from '../../../shared/api/api.ts';
import type { EditorDraft } from '../../../shared/editor/index.ts';
import { duplicateEditorDraft, isClusterDraft } from '../../../shared/editor/index.ts';
import type { ConnectionDiff } from '../../../shared/eval/index.ts';
import type { LoadIssue } from '../../../shared/model/snapshot.ts';

export interface DraftEntry {
  readonly id: string;
  /** A NetworkPolicy, ClusterNetworkPolicy, Cilium or Calico policy draft. */
  readonly draft: EditorDraft;
  /** Part of the what-if preview. */
  readonly enabled: boolean;
}

export type WhatIfState =
  /** No enabled valid draft: nothing to preview. */
  | { readonly status: 'off' }
  /** `value`: the previous answer, kept on screen while the new one is computed. */
  | { readonly status: 'loading'; readonly value: ConnectionDiff | undefined }
  | { readonly status: 'ready'; readonly value: ConnectionDiff; readonly revision: number }
  | { readonly status: 'failed'; readonly error: string };

export interface EditorState {
  readonly open: boolean;
  readonly drafts: readonly DraftEntry[];
  readonly activeId: string | undefined;
  /** Dim everything the changes do not touch. */
  readonly onlyChanges: boolean;
  readonly whatIf: WhatIfState;
  /** Enabled drafts left out of the preview because they have errors. */
  readonly invalidEnabled: number;
  /** The "new policy" chooser (blank deny-all or a template) is shown. */
  readonly chooser: boolean;
  /**
   * Errors of YAML typed into the shown draft's pane that does not load (the form keeps the last
   * version that did). While there are some the draft counts as invalid everywhere: footer, Save,
   * Copy, Apply and the what-if. Only the shown draft has a pane, so only it can have them.
   */
  readonly yamlErrors: { readonly id: string; readonly issues: readonly LoadIssue[] } | undefined;
}

export interface EditorActions {
  readonly setOpen: (open: boolean) => void;
  /** Opens the editor on the "new policy" chooser (or closes the chooser). */
  readonly setChooser: (chooser: boolean) => void;
  /** Adds a draft (enabled), shows it in the form and opens the editor. */
  readonly add: (draft: EditorDraft) => string;
  /** A new version of a draft (from the form, or YAML that loads): pending YAML errors are gone. */
  readonly update: (id: string, draft: EditorDraft) => void;
  /** The errors of YAML typed into a draft's pane that does not load ([] once it does). */
  readonly setYamlErrors: (id: string, issues: readonly LoadIssue[]) => void;
  readonly remove: (id: string) => void;
  /** A copy under a free name, without origin (it adds a policy). */
  readonly duplicate: (id: string, takenNames?: Iterable<string>) => string | undefined;
  readonly setEnabled: (id: string, enabled: boolean) => void;
  readonly activate: (id: string) => void;
  readonly setOnlyChanges: (on: boolean) => void;
  readonly setWhatIf: (whatIf: WhatIfState, invalidEnabled?: number) => void;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

/** The editor's store and the API it saves and applies through (absent in tests that need neither). */
export interface EditorHandle {
  readonly store: EditorStore;
  readonly api?: NetglassApi;
}

export const initialEditorState: EditorState = {
  open: false,
  drafts: [],
  activeId: undefined,
  onlyChanges: false,
  whatIf: { status: 'off' },
  invalidEnabled: 0,
  chooser: false,
  yamlErrors: undefined,
};

const NO_ISSUES: readonly LoadIssue[] = [];

/**
 * The YAML errors pending on a draft (none unless it is the shown one with text that does not load).
 * The same empty list every time, so that it can be a store selector.
 */
export function yamlErrorsOf(state: Pick<EditorState, 'yamlErrors'>, id: string): readonly LoadIssue[] {
  return state.yamlErrors?.id === id ? state.yamlErrors.issues : NO_ISSUES;
}

export function createEditorStore(initial: Partial<EditorState> = {}): EditorStore {
  let next = 1;
  return createStore<EditorState & EditorActions>()((set, get) => ({
    ...initialEditorState,
    ...initial,
    // Whenever the YAML pane goes away (closed, chooser, another draft shown) its text goes too.
    setOpen(open) {
      set({ open, chooser: false, yamlErrors: undefined });
    },
    setChooser(chooser) {
      set(chooser ? { chooser, open: true, yamlErrors: undefined } : { chooser });
    },
    add(draft) {
      const id = `d${next++}`;
      set({
        drafts: [...get().drafts, { id, draft, enabled: true }],
        activeId: id,
        open: true,
        chooser: false,
        yamlErrors: undefined,
      });
      return id;
    },
    update(id, draft) {
      set({
        drafts: get().drafts.map((d) => (d.id === id ? { ...d, draft } : d)),
        ...(get().yamlErrors?.id === id ? { yamlErrors: undefined } : {}),
      });
    },
    setYamlErrors(id, issues) {
      const errors = issues.filter((i) => i.severity === 'error');
      const current = get().yamlErrors;
      if (errors.length === 0) {
        if (current?.id === id) set({ yamlErrors: undefined });
        return;
      }
      set({ yamlErrors: { id, issues: errors } });
    },
    remove(id) {
      const drafts = get().drafts;
      const index = drafts.findIndex((d) => d.id === id);
      if (index < 0) return;
      const rest = drafts.filter((d) => d.id !== id);
      const activeId =
        get().activeId === id ? (rest[Math.min(index, rest.length - 1)]?.id ?? undefined) : get().activeId;
      set({ drafts: rest, activeId, ...(get().yamlErrors?.id === id ? { yamlErrors: undefined } : {}) });
    },
    duplicate(id, takenNames = []) {
      const entry = get().drafts.find((d) => d.id === id);
      if (entry === undefined) return undefined;
      const draft = entry.draft;
      // Names clash among policies of one kind, within a namespace unless the kind is cluster-scoped.
      const namespaceOf = (d: EditorDraft): string | undefined =>
        isClusterDraft(d) ? undefined : d.namespace;
      const sameScope = (other: EditorDraft): boolean =>
        (other.kind ?? 'NetworkPolicy') === (draft.kind ?? 'NetworkPolicy') &&
        namespaceOf(other) === namespaceOf(draft);
      const names = [
        ...takenNames,
        ...get()
          .drafts.filter((d) => sameScope(d.draft))
          .map((d) => d.draft.name),
      ];
      return get().add(duplicateEditorDraft(draft, names));
    },
    setEnabled(id, enabled) {
      set({ drafts: get().drafts.map((d) => (d.id === id ? { ...d, enabled } : d)) });
    },
    activate(id) {
      if (!get().drafts.some((d) => d.id === id)) return;
      set({
        activeId: id,
        open: true,
        chooser: false,
        ...(get().yamlErrors?.id !== id ? { yamlErrors: undefined } : {}),
      });
    },
    setOnlyChanges(on) {
      set({ onlyChanges: on });
    },
    setWhatIf(whatIf, invalidEnabled) {
      set({ whatIf, ...(invalidEnabled !== undefined ? { invalidEnabled } : {}) });
    },
  }));
}
