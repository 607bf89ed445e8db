/** UI state that belongs to no source: selection, side panel tab, filter, popovers. */
import { createStore, type StoreApi } from 'zustand/vanilla';

export type Selection =
  | { readonly kind: 'namespace'; readonly name: string }
  | { readonly kind: 'pod'; readonly key: string }
  | { readonly kind: 'policy'; readonly key: string };

export type PanelTab = 'namespaces' | 'pods' | 'policies';

export interface ViewState {
  readonly selection: Selection | undefined;
  readonly tab: PanelTab;
  readonly filter: string;
  readonly issuesOpen: boolean;
  /** Bumped to ask the graph to fit everything into view. */
  readonly fitRequest: number;
}

export interface ViewActions {
  readonly select: (selection: Selection | undefined) => void;
  readonly setTab: (tab: PanelTab) => void;
  readonly setFilter: (filter: string) => void;
  readonly setIssuesOpen: (open: boolean) => void;
  readonly requestFit: () => void;
}

export type ViewStore = StoreApi<ViewState & ViewActions>;

export function sameSelection(a: Selection | undefined, b: Selection | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind) return false;
  return (a.kind === 'namespace' ? a.name : a.key) === (b.kind === 'namespace' ? b.name : b.key);
}

export function createViewStore(): ViewStore {
  return createStore<ViewState & ViewActions>()((set, get) => ({
    selection: undefined,
    tab: 'namespaces',
    filter: '',
    issuesOpen: false,
    fitRequest: 0,
    select(selection) {
      if (!sameSelection(get().selection, selection)) set({ selection });
    },
    setTab(tab) {
      set({ tab });
    },
    setFilter(filter) {
      set({ filter: filter.slice(0, 200) });
    },
    setIssuesOpen(open) {
      set({ issuesOpen: open });
    },
    requestFit() {
      set({ fitRequest: get().fitRequest + 1 });
    },
  }));
}
