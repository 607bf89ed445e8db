/** UI state that belongs to no source: selection, side panel tab, filter, popovers, reach query, view options. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CniProfile, Protocol } from '../../../shared/model/snapshot.ts';

export type Selection =
  | { readonly kind: 'namespace'; readonly name: string }
  | { readonly kind: 'pod'; readonly key: string }
  | { readonly kind: 'policy'; readonly key: string }
  /** A group of replicas shown as one node (workload aggregation). */
  | { readonly kind: 'workload'; readonly id: string }
  /** A cell of the namespace matrix: connections from pods of `from` to pods of `to`. */
  | { readonly kind: 'cell'; readonly from: string; readonly to: string };

export type PanelTab = 'namespaces' | 'pods' | 'policies';

/** Which tiers the policy list shows: admin-tier policies (Admin, Baseline), Calico's, NetworkPolicies, Cilium's. */
export type TierFilter = 'all' | 'Admin' | 'Calico' | 'NetworkPolicy' | 'Cilium' | 'Baseline';

/** One end of a reach query: a pod, or an address typed in. */
export type Endpoint =
  { readonly kind: 'pod'; readonly key: string } | { readonly kind: 'external'; readonly ip: string };

export interface ReachState {
  /** The reach panel is open: clicks on pods fill the source, then the destination. */
  readonly active: boolean;
  readonly from: Endpoint | undefined;
  readonly to: Endpoint | undefined;
  /** As typed: a number 1–65535. */
  readonly port: string;
  readonly protocol: Protocol;
}

export type StageMode = 'graph' | 'matrix';
export type ThemeChoice = 'light' | 'dark' | 'system';
/** `auto` groups replicas when the cluster is large. */
export type GroupingChoice = 'auto' | 'on' | 'off';

export interface ViewState {
  readonly selection: Selection | undefined;
  readonly tab: PanelTab;
  readonly filter: string;
  readonly tierFilter: TierFilter;
  readonly issuesOpen: boolean;
  /** Bumped to ask the graph to fit everything into view. */
  readonly fitRequest: number;
  readonly reach: ReachState;
  readonly stage: StageMode;
  readonly paletteOpen: boolean;
  readonly theme: ThemeChoice;
  /** Whether the side panel's legend is open (remembered, like the theme: closed, it gives the lists room). */
  readonly legendOpen: boolean;
  /** Namespaces left out of the graph and the lists' counts (remembered per source). */
  readonly hidden: readonly string[];
  /**
   * The CNI the user says the source runs (remembered per source); undefined: the one the source
   * detected, else the default. The analysis reads the snapshot under it.
   */
  readonly cni: CniProfile | undefined;
  readonly grouping: GroupingChoice;
  /** Workload groups shown as their pods although grouping is on. */
  readonly expanded: readonly string[];
  /**
   * Namespaces the user collapsed (true) or expanded (false) on the graph, overriding the automatic
   * choice (big graphs collapse namespaces into one node each).
   */
  readonly collapsed: Readonly<Record<string, boolean>>;
}

export interface ViewActions {
  readonly select: (selection: Selection | undefined) => void;
  readonly setTab: (tab: PanelTab) => void;
  readonly setFilter: (filter: string) => void;
  readonly setTierFilter: (tier: TierFilter) => void;
  readonly setIssuesOpen: (open: boolean) => void;
  readonly requestFit: () => void;
  readonly openReach: (from?: Endpoint) => void;
  readonly closeReach: () => void;
  readonly setReach: (patch: Partial<Omit<ReachState, 'active'>>) => void;
  /** A click on a pod in reach mode: fills the source, then the destination, then starts over. */
  readonly pickEndpoint: (endpoint: Endpoint) => void;
  readonly swapReach: () => void;
  readonly setStage: (stage: StageMode) => void;
  readonly setPaletteOpen: (open: boolean) => void;
  readonly setTheme: (theme: ThemeChoice) => void;
  readonly setLegendOpen: (open: boolean) => void;
  readonly setHidden: (hidden: readonly string[]) => void;
  readonly setCni: (cni: CniProfile | undefined) => void;
  readonly toggleHidden: (namespace: string) => void;
  readonly setGrouping: (grouping: GroupingChoice) => void;
  readonly toggleExpanded: (workload: string) => void;
  /** Shows a namespace as one node (`collapse` true) or with its pods (false). */
  readonly setCollapsed: (namespace: string, collapse: boolean) => void;
  /** Replaces every collapse choice at once (a source's remembered ones). */
  readonly restoreCollapsed: (collapsed: Readonly<Record<string, boolean>>) => void;
  /** Escape: closes what is open, innermost first (palette, reach, selection). */
  readonly escape: () => void;
}

export type ViewStore = StoreApi<ViewState & ViewActions>;

function selectionId(s: Selection): string {
  switch (s.kind) {
    case 'namespace':
      return s.name;
    case 'pod':
    case 'policy':
      return s.key;
    case 'workload':
      return s.id;
    case 'cell':
      return `${s.from}\u0000${s.to}`;
  }
}

export function sameSelection(a: Selection | undefined, b: Selection | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.kind === b.kind && selectionId(a) === selectionId(b);
}

export function sameEndpoint(a: Endpoint | undefined, b: Endpoint | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === 'pod') return b.kind === 'pod' && a.key === b.key;
  return b.kind === 'external' && a.ip === b.ip;
}

export const initialReach: ReachState = {
  active: false,
  from: undefined,
  to: undefined,
  port: '',
  protocol: 'TCP',
};

export function createViewStore(initial: Partial<ViewState> = {}): ViewStore {
  return createStore<ViewState & ViewActions>()((set, get) => ({
    selection: undefined,
    tab: 'namespaces',
    filter: '',
    tierFilter: 'all',
    issuesOpen: false,
    fitRequest: 0,
    reach: initialReach,
    stage: 'graph',
    paletteOpen: false,
    theme: 'system',
    legendOpen: true,
    hidden: [],
    cni: undefined,
    grouping: 'auto',
    expanded: [],
    collapsed: {},
    ...initial,
    select(selection) {
      if (!sameSelection(get().selection, selection)) set({ selection });
    },
    setTab(tab) {
      set({ tab });
    },
    setFilter(filter) {
      set({ filter: filter.slice(0, 200) });
    },
    setTierFilter(tierFilter) {
      set({ tierFilter });
    },
    setIssuesOpen(open) {
      set({ issuesOpen: open });
    },
    requestFit() {
      set({ fitRequest: get().fitRequest + 1 });
    },
    openReach(from) {
      const reach = get().reach;
      set({ reach: { ...reach, active: true, from: from ?? reach.from } });
    },
    closeReach() {
      set({ reach: { ...get().reach, active: false } });
    },
    setReach(patch) {
      set({ reach: { ...get().reach, ...patch } });
    },
    pickEndpoint(endpoint) {
      const reach = get().reach;
      if (reach.from === undefined) set({ reach: { ...reach, from: endpoint } });
      else if (reach.to === undefined) {
        if (!sameEndpoint(reach.from, endpoint)) set({ reach: { ...reach, to: endpoint } });
      } else set({ reach: { ...reach, from: endpoint, to: undefined } });
    },
    swapReach() {
      const reach = get().reach;
      set({ reach: { ...reach, from: reach.to, to: reach.from } });
    },
    setStage(stage) {
      set({ stage });
    },
    setPaletteOpen(open) {
      set({ paletteOpen: open });
    },
    setTheme(theme) {
      set({ theme });
    },
    setLegendOpen(legendOpen) {
      if (get().legendOpen !== legendOpen) set({ legendOpen });
    },
    setHidden(hidden) {
      set({ hidden: [...new Set(hidden)].sort() });
    },
    setCni(cni) {
      // Restoring the same choice again must not reload the analysis.
      if (JSON.stringify(get().cni ?? null) !== JSON.stringify(cni ?? null)) set({ cni });
    },
    toggleHidden(namespace) {
      const hidden = get().hidden;
      set({
        hidden: hidden.includes(namespace)
          ? hidden.filter((n) => n !== namespace)
          : [...hidden, namespace].sort(),
      });
    },
    setGrouping(grouping) {
      set({ grouping });
    },
    toggleExpanded(workload) {
      const expanded = get().expanded;
      set({
        expanded: expanded.includes(workload)
          ? expanded.filter((w) => w !== workload)
          : [...expanded, workload],
      });
    },
    restoreCollapsed(collapsed) {
      set({ collapsed: { ...collapsed } });
    },
    setCollapsed(namespace, collapse) {
      if (get().collapsed[namespace] !== collapse)
        set({ collapsed: { ...get().collapsed, [namespace]: collapse } });
    },
    escape() {
      const s = get();
      if (s.paletteOpen) set({ paletteOpen: false });
      else if (s.issuesOpen) set({ issuesOpen: false });
      else if (s.reach.active) set({ reach: { ...s.reach, active: false } });
      else if (s.selection !== undefined) set({ selection: undefined });
    },
  }));
}
