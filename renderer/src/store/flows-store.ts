/**
 * Imported flow logs in the app: the files are read here in the browser, a slice at a time, and sent
 * to the analysis worker (analysis/flows.ts), which folds them into one import and compares them with
 * the snapshot it holds; nothing goes to the Node side. The store keeps the worker's bounded answer,
 * which verdicts the panel lists, whether the graph shows the flows layer, and, while the editor
 * previews drafts, whether the seen flows stay allowed under them. The comparison is asked again when
 * the worker analyses a new snapshot.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { draftFromPolicy, type PolicyDraft } from '../../../shared/editor/index.ts';
import type { FindingStatus, TimeWindow } from '../../../shared/flows/index.ts';
import type { AnalysisClient, AnalysisOutcome } from '../analysis/client.ts';
import type { FlowsFor, FlowsForParams, FlowsKept, FlowsTightened, FlowsView } from '../analysis/flows.ts';
import type { EditorStore } from '../editor/store.ts';
import { enabledDeltas } from '../editor/whatif-binding.ts';
import { existingPolicies } from '../editor/validity.ts';
import type { AnalysisStore } from './analysis-store.ts';
import type { SourceStore } from './source-store.ts';

/** The most the app reads at once; past it the CLI (`netglass flows`) streams files of any size. */
export const MAX_FLOW_BYTES = 1024 * 1024 * 1024;
/** Bytes read and sent to the worker per request. */
export const SLICE_BYTES = 8 * 1024 * 1024;

export const ALL_STATUSES: readonly FindingStatus[] = ['contradiction', 'audit', 'confirmed', 'undecided'];

/** A file as the browser gives it (a `File`), reduced to what reading needs (tests pass their own). */
export interface FlowFile {
  readonly name: string;
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export type FlowsStatus =
  | { readonly step: 'idle' }
  | { readonly step: 'reading'; readonly file: string; readonly read: number; readonly total: number }
  | { readonly step: 'ready' }
  | { readonly step: 'failed'; readonly message: string };

export type GenerateState =
  | { readonly step: 'idle' }
  | { readonly step: 'running' }
  | { readonly step: 'done'; readonly opened: number; readonly skipped: number }
  | { readonly step: 'failed'; readonly message: string };

export interface FlowsState {
  readonly status: FlowsStatus;
  readonly view: FlowsView | undefined;
  /** The Flows panel is shown (beside the graph, where the details go). */
  readonly open: boolean;
  /** The graph draws the seen flows instead of the selection. */
  readonly layer: boolean;
  /** Verdicts listed and drawn. */
  readonly statuses: readonly FindingStatus[];
  readonly generate: GenerateState;
  /** Under the editor's enabled drafts: the seen allowed flows they keep (undefined: no drafts). */
  readonly kept: FlowsKept | undefined;
  /**
   * The time window chosen in the panel ({}: every record). The view follows it once the worker has
   * compared again (`view.selected`); this is what the controls show meanwhile.
   */
  readonly window: TimeWindow;
}

export interface FlowsActions {
  readonly setOpen: (open: boolean) => void;
  readonly setLayer: (layer: boolean) => void;
  readonly toggleStatus: (status: FindingStatus) => void;
}

export type FlowsStore = StoreApi<FlowsState & FlowsActions>;

export const initialFlowsState: FlowsState = {
  status: { step: 'idle' },
  view: undefined,
  open: false,
  layer: true,
  statuses: ALL_STATUSES,
  generate: { step: 'idle' },
  kept: undefined,
  window: {},
};

export function createFlowsStore(initial: Partial<FlowsState> = {}): FlowsStore {
  return createStore<FlowsState & FlowsActions>()((set, get) => ({
    ...initialFlowsState,
    ...initial,
    setOpen: (open) => set({ open }),
    setLayer: (layer) => set({ layer }),
    toggleStatus(status) {
      const on = get().statuses.includes(status);
      set({
        statuses: on
          ? get().statuses.filter((s) => s !== status)
          : ALL_STATUSES.filter((s) => s === status || get().statuses.includes(s)),
      });
    },
  }));
}

/** What the UI calls: reading files into the worker, drafts into the editor, clearing. */
export interface FlowsHandle {
  readonly store: FlowsStore;
  importFiles(files: readonly FlowFile[]): Promise<void>;
  /** Opens the generator's drafts in the editor (nothing is saved or applied). */
  generateDrafts(): Promise<void>;
  /** Compares only the records inside `window` ({}: every record); a burst of calls asks once. */
  setWindow(window: TimeWindow): void;
  /** One pod's seen flows, or one policy's per rule, over the chosen window. */
  flowsFor(params: FlowsForParams): Promise<AnalysisOutcome<FlowsFor>>;
  /**
   * Opens in the editor the NetworkPolicy `namespace/name` tightened to the seen flows it allowed, as
   * an edit of it (the what-if shows what it would stop allowing); nothing is saved or applied.
   */
  tightenPolicy(policy: string): Promise<AnalysisOutcome<FlowsTightened>>;
  clear(): void;
  dispose(): void;
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Why the files cannot be imported, or undefined when they can. */
export function checkFlowFiles(files: readonly FlowFile[]): string | undefined {
  if (files.length === 0) return 'Choose one or more flow files (Hubble JSON lines, Calico flows).';
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > MAX_FLOW_BYTES)
    return `${files.map((f) => f.name).join(', ')}: ${sizeText(total)} is more than the app reads at once (${sizeText(MAX_FLOW_BYTES)}). Import a shorter window (hubble observe --since …), or run netglass flows --flows <file> on the command line, which reads files of any size.`;
  return undefined;
}

/** A generated policy as a new draft (no origin: it replaces nothing in the snapshot). */
export function generatedDraft(policy: Parameters<typeof draftFromPolicy>[0]): PolicyDraft {
  const { origin: _origin, ...draft } = draftFromPolicy(policy);
  return draft;
}

export function bindFlows(options: {
  readonly client: AnalysisClient;
  readonly source: SourceStore;
  readonly analysis: AnalysisStore;
  readonly editor?: EditorStore;
  readonly store?: FlowsStore;
  /** How long after the last draft edit the seen flows are checked again (the what-if's pace). */
  readonly delayMs?: number;
}): FlowsHandle {
  const { client, source, analysis, editor } = options;
  const store = options.store ?? createFlowsStore();
  /** Bumped per question: answers to an older one are dropped. */
  let asked = 0;
  let keptAsked = 0;
  /** The source the flows were mapped on: another source's pods are not theirs. */
  let importedSource: string | undefined;
  let keptTimer: ReturnType<typeof setTimeout> | undefined;
  let windowTimer: ReturnType<typeof setTimeout> | undefined;
  const delay = options.delayMs ?? 180;
  const sourceId = (): string => JSON.stringify(source.getState().snapshot?.source ?? null);

  async function importFiles(files: readonly FlowFile[]): Promise<void> {
    const problem = checkFlowFiles(files);
    if (problem !== undefined) {
      store.setState({ status: { step: 'failed', message: problem } });
      return;
    }
    if (source.getState().snapshot === undefined) {
      store.setState({
        status: { step: 'failed', message: 'Open a cluster or manifests before importing flows.' },
      });
      return;
    }
    // A window asked for the previous import must not land on this one.
    clearTimeout(windowTimer);
    const ticket = ++asked;
    importedSource = sourceId();
    const fail = (message: string): void => {
      if (ticket === asked) store.setState({ status: { step: 'failed', message } });
    };
    const begin = await client.request('flowsPush', { step: 'begin' });
    if (!begin.ok) return fail(begin.error);
    for (const file of files) {
      const decoder = new TextDecoder();
      for (let offset = 0; offset < file.size || offset === 0; offset += SLICE_BYTES) {
        if (ticket !== asked) return;
        store.setState({ status: { step: 'reading', file: file.name, read: offset, total: file.size } });
        let text: string;
        try {
          const bytes = await file.slice(offset, Math.min(offset + SLICE_BYTES, file.size)).arrayBuffer();
          const last = offset + SLICE_BYTES >= file.size;
          text = decoder.decode(bytes, { stream: !last });
        } catch (e) {
          return fail(`Cannot read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
        const pushed = await client.request('flowsPush', { step: 'push', file: file.name, text });
        if (!pushed.ok) return fail(pushed.error);
        if (file.size === 0) break;
      }
    }
    const end = await client.request('flowsPush', { step: 'end' });
    if (ticket !== asked) return;
    if (!end.ok) return fail(end.error);
    const view = end.value;
    if (view === null) return fail('The analysis worker did not compare the flows.');
    const records = view.read.records.hubble + view.read.records.calico;
    const skipped = Object.values(view.read.skipped).reduce((a, b) => a + (b ?? 0), 0);
    if (records + skipped === 0) {
      const first = view.errors.slice(0, 3).join('; ');
      return fail(
        `No Hubble or Calico flow record in ${files.map((f) => f.name).join(', ')}${
          view.read.lines === 0 ? ' (empty)' : ''
        }: expected JSON lines from hubble observe -o json, or Goldmane/Whisker flows.${first === '' ? '' : ` ${first}`}`,
      );
    }
    store.setState({
      status: { step: 'ready' },
      view,
      open: true,
      layer: true,
      generate: { step: 'idle' },
      window: {},
    });
    askKept();
  }

  /** Dragging a range control sends a value per step: the worker compares once the hand pauses. */
  function setWindow(window: TimeWindow): void {
    if (store.getState().view === undefined) return;
    store.setState({ window });
    clearTimeout(windowTimer);
    windowTimer = setTimeout(() => {
      const ticket = ++asked;
      void client.request('flowsWindow', { window }).then((outcome) => {
        if (ticket !== asked) return;
        if (outcome.ok) store.setState({ view: outcome.value, status: { step: 'ready' } });
        else store.setState({ status: { step: 'failed', message: outcome.error } });
        askKept();
      });
    }, delay);
  }

  async function refresh(): Promise<void> {
    if (store.getState().view === undefined) return;
    const ticket = ++asked;
    const outcome = await client.request('flowsView', null);
    if (ticket !== asked) return;
    if (outcome.ok) store.setState({ view: outcome.value, status: { step: 'ready' } });
    else store.setState({ status: { step: 'failed', message: outcome.error } });
  }

  async function generateDrafts(): Promise<void> {
    if (editor === undefined) return;
    store.setState({ generate: { step: 'running' } });
    const outcome = await client.request('flowsGenerate', null);
    if (!outcome.ok) {
      store.setState({ generate: { step: 'failed', message: outcome.error } });
      return;
    }
    const { policies, skipped } = outcome.value;
    const taken = new Set(
      editor
        .getState()
        .drafts.map((d) => ('namespace' in d.draft ? `${d.draft.namespace}/${d.draft.name}` : d.draft.name)),
    );
    let opened = 0;
    for (const g of policies) {
      const draft = generatedDraft(g.policy);
      // Asking twice does not open the same drafts twice.
      if (taken.has(`${draft.namespace}/${draft.name}`)) continue;
      editor.getState().add(draft);
      opened++;
    }
    store.setState({ generate: { step: 'done', opened, skipped: skipped.length } });
  }

  function askKept(): void {
    if (editor === undefined) return;
    const ticket = ++keptAsked;
    const { drafts } = editor.getState();
    if (store.getState().view === undefined || drafts.length === 0) {
      store.setState({ kept: undefined });
      return;
    }
    const { deltas } = enabledDeltas(drafts, editor.getState(), existingPolicies(source.getState().snapshot));
    if (deltas.length === 0) {
      store.setState({ kept: undefined });
      return;
    }
    void client.request('flowsKept', { deltas }).then((outcome) => {
      if (ticket !== keptAsked) return;
      store.setState({ kept: outcome.ok ? outcome.value : undefined });
    });
  }

  function clear(): void {
    clearTimeout(windowTimer);
    asked++;
    keptAsked++;
    importedSource = undefined;
    void client.request('flowsClear', null);
    store.setState({ ...initialFlowsState, statuses: store.getState().statuses, window: {} });
  }

  const offAnalysis = analysis.subscribe((s, prev) => {
    if (s.load === prev.load || s.load === undefined || store.getState().view === undefined) return;
    if (importedSource !== undefined && importedSource !== sourceId()) {
      const files = store.getState().view?.files.join(', ') ?? '';
      clear();
      store.setState({
        status: {
          step: 'failed',
          message: `The flows of ${files} were mapped on the previous source; import them again to compare them with this one.`,
        },
      });
      return;
    }
    void refresh().then(askKept);
  });
  // Each keystroke in the editor changes the drafts: check once the typing pauses.
  const offEditor = editor?.subscribe((s, prev) => {
    if (s.drafts === prev.drafts && s.yamlErrors === prev.yamlErrors) return;
    clearTimeout(keptTimer);
    keptTimer = setTimeout(askKept, delay);
  });

  return {
    store,
    importFiles,
    generateDrafts,
    setWindow,
    flowsFor: (params) => client.request('flowsFor', params),
    async tightenPolicy(policy) {
      const outcome = await client.request('flowsTighten', { policy });
      if (outcome.ok && editor !== undefined) editor.getState().add(draftFromPolicy(outcome.value.policy));
      return outcome;
    },
    clear,
    dispose() {
      clearTimeout(keptTimer);
      clearTimeout(windowTimer);
      offAnalysis();
      offEditor?.();
    },
  };
}
