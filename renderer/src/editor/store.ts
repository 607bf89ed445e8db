/**
 * The policy editor's state: the drafts (each on or off for the what-if), which one the form shows,
 * whether the editor is open, the "only changes" filter and the what-if answer. Drafts never touch the
 * source: they are previewed (what-if), saved to a file or applied to a cluster on request only.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NetglassApi } from '../../../shared/api/api.ts';
import type { PolicyDraft } from '../../../shared/editor/index.ts';
import { duplicateDraft } from '../../../shared/editor/index.ts';
import type { ConnectionDiff } from '../../../shared/eval/index.ts';

export interface DraftEntry {
  readonly id: string;
  readonly draft: PolicyDraft;
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
}

export interface EditorActions {
  readonly setOpen: (open: boolean) => void;
  /** Opens the editor on the "new policy" chooser (or closes the chooser). */
  readonly setChooser: (chooser: boolean) => void;
  /** Adds a draft (enabled), shows it in the form and opens the editor. */
  readonly add: (draft: PolicyDraft) => string;
  readonly update: (id: string, draft: PolicyDraft) => void;
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
};

export function createEditorStore(initial: Partial<EditorState> = {}): EditorStore {
  let next = 1;
  return createStore<EditorState & EditorActions>()((set, get) => ({
    ...initialEditorState,
    ...initial,
    setOpen(open) {
      set({ open, chooser: false });
    },
    setChooser(chooser) {
      set(chooser ? { chooser, open: true } : { chooser });
    },
    add(draft) {
      const id = `d${next++}`;
      set({
        drafts: [...get().drafts, { id, draft, enabled: true }],
        activeId: id,
        open: true,
        chooser: false,
      });
      return id;
    },
    update(id, draft) {
      set({ drafts: get().drafts.map((d) => (d.id === id ? { ...d, draft } : d)) });
    },
    remove(id) {
      const drafts = get().drafts;
      const index = drafts.findIndex((d) => d.id === id);
      if (index < 0) return;
      const rest = drafts.filter((d) => d.id !== id);
      const activeId =
        get().activeId === id ? (rest[Math.min(index, rest.length - 1)]?.id ?? undefined) : get().activeId;
      set({ drafts: rest, activeId });
    },
    duplicate(id, takenNames = []) {
      const entry = get().drafts.find((d) => d.id === id);
      if (entry === undefined) return undefined;
      const names = [
        ...takenNames,
        ...get()
          .drafts.filter((d) => d.draft.namespace === entry.draft.namespace)
          .map((d) => d.draft.name),
      ];
      return get().add(duplicateDraft(entry.draft, names));
    },
    setEnabled(id, enabled) {
      set({ drafts: get().drafts.map((d) => (d.id === id ? { ...d, enabled } : d)) });
    },
    activate(id) {
      if (get().drafts.some((d) => d.id === id)) set({ activeId: id, open: true, chooser: false });
    },
    setOnlyChanges(on) {
      set({ onlyChanges: on });
    },
    setWhatIf(whatIf, invalidEnabled) {
      set({ whatIf, ...(invalidEnabled !== undefined ? { invalidEnabled } : {}) });
    },
  }));
}
