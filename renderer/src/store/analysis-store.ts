/**
 * What the analysis worker said about the current snapshot, and the answers to the questions the view
 * asks (the selected policy's effect, the selected pod's neighbourhood, the reach query, the matrix).
 * `bindAnalysis` keeps it in step with the source and view stores: a new snapshot is sent to the
 * worker, and every question whose subject or snapshot changed is asked again. Answers about an older
 * question are dropped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  ClusterSummary,
  ConnectionQuery,
  ConnectionVerdict,
  Peer,
  PolicyEffect,
} from '../../../shared/eval/index.ts';
import type { OpenPorts } from '../../../shared/eval/open-ports.ts';
import { parsePortField, resolvePortField, type ResolvedPort } from '../../../shared/eval/port-field.ts';
import { podKey, type Snapshot } from '../../../shared/model/snapshot.ts';
import type { AnalysisClient } from '../analysis/client.ts';
import type {
  AnalysisMethod,
  AnalysisParams,
  AnalysisResult,
  CellPairs,
  LabelMatch,
  LoadResult,
  PodBadge,
  PodView,
} from '../analysis/protocol.ts';
import { looksLikeLabelQuery } from '../analysis/label-query.ts';
import { selectorKeys, workloadKey } from '../graph/elements.ts';
import type { SourceStore } from './source-store.ts';
import type { Endpoint, ReachState, ViewStore } from './view-store.ts';

export interface Query<T> {
  /** What was asked (without the revision): a policy key, a pod key, a query… */
  readonly subject: string;
  readonly revision: number;
  readonly status: 'loading' | 'ready' | 'failed';
  /** While a new answer loads for the same subject, the previous one stays. */
  readonly value: T | undefined;
  readonly error: string | undefined;
}

export interface AnalysisState {
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  readonly error: string | undefined;
  /** The revision the worker analysed last. */
  readonly revision: number;
  readonly load: LoadResult | undefined;
  /** Requests in flight (for the loading indicator). */
  readonly pending: number;
  readonly policy: Query<PolicyEffect> | undefined;
  readonly pod: Query<PodView> | undefined;
  /** A selected workload: the view of its first pod (policies treat its replicas alike). */
  readonly workload: Query<PodView> | undefined;
  readonly check: Query<ConnectionVerdict> | undefined;
  /** Every universe port between the reach ends (the "which ports are open" list). */
  readonly ports: Query<OpenPorts> | undefined;
  readonly summary: Query<ClusterSummary> | undefined;
  readonly cell: Query<CellPairs> | undefined;
  /** The pods tab's search, when it is a label selector: the pods it selects (lit on the graph). */
  readonly labelMatch: Query<LabelMatch> | undefined;
}

export type QueryName = 'policy' | 'pod' | 'workload' | 'check' | 'ports' | 'summary' | 'cell' | 'labelMatch';

export type AnalysisStore = StoreApi<AnalysisState>;

export const initialAnalysisState: AnalysisState = {
  status: 'idle',
  error: undefined,
  revision: -1,
  load: undefined,
  pending: 0,
  policy: undefined,
  pod: undefined,
  workload: undefined,
  check: undefined,
  ports: undefined,
  summary: undefined,
  cell: undefined,
  labelMatch: undefined,
};

export function createAnalysisStore(): AnalysisStore {
  return createStore<AnalysisState>()(() => initialAnalysisState);
}

/** The pods a workload node stands for: the graph's grouping (owner, and the labels selectors read). */
export function workloadPods(snapshot: Snapshot, id: string): Snapshot['pods'] {
  const keys = selectorKeys(snapshot);
  return snapshot.pods.filter((p) => workloadKey(p, keys) === id);
}

export function endpointPeer(endpoint: Endpoint): Peer {
  if (endpoint.kind === 'external') return { kind: 'external', ip: endpoint.ip.trim() };
  const slash = endpoint.key.indexOf('/');
  return { kind: 'pod', namespace: endpoint.key.slice(0, slash), name: endpoint.key.slice(slash + 1) };
}

export function parsePort(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * The probe the reach port field means: a number with the chosen protocol, or a container port name
 * resolved on the destination pod (as `netglass check --port` does); undefined while the field is empty.
 */
export function reachPort(reach: ReachState, snapshot: Snapshot | undefined): ResolvedPort | undefined {
  if (reach.port.trim() === '') return undefined;
  const field = parsePortField(reach.port);
  const to = reach.to;
  const pod = to?.kind === 'pod' ? snapshot?.pods.find((p) => podKey(p) === to.key) : undefined;
  if (field.kind === 'named' && to === undefined) return undefined;
  return resolvePortField(field, pod, reach.protocol);
}

/** The connection query a reach state stands for, or undefined while it is incomplete. */
export function reachQuery(reach: ReachState, snapshot?: Snapshot): ConnectionQuery | undefined {
  if (reach.from === undefined || reach.to === undefined) return undefined;
  const port = reachPort(reach, snapshot);
  if (port?.kind !== 'ok') return undefined;
  return { from: endpointPeer(reach.from), to: endpointPeer(reach.to), ...port.probe };
}

interface Ask<M extends AnalysisMethod> {
  readonly name: QueryName;
  readonly subject: string;
  readonly method: M;
  readonly params: AnalysisParams<M>;
}

/** The questions the view asks now (by query slot); slots not listed are cleared. */
function questions(
  view: ReturnType<ViewStore['getState']>,
  snapshot: Snapshot | undefined,
): Ask<AnalysisMethod>[] {
  const asks: Ask<AnalysisMethod>[] = [];
  const sel = view.selection;
  if (sel?.kind === 'policy')
    asks.push({ name: 'policy', subject: sel.key, method: 'policyEffect', params: { policy: sel.key } });
  if (sel?.kind === 'pod')
    asks.push({ name: 'pod', subject: sel.key, method: 'podView', params: { pod: sel.key } });
  if (sel?.kind === 'workload' && snapshot !== undefined) {
    const first = workloadPods(snapshot, sel.id)[0];
    if (first !== undefined) {
      const key = podKey(first);
      asks.push({ name: 'workload', subject: key, method: 'podView', params: { pod: key } });
    }
  }
  if (sel?.kind === 'cell')
    asks.push({
      name: 'cell',
      subject: `${sel.from}→${sel.to}`,
      method: 'cellPairs',
      params: { from: sel.from, to: sel.to },
    });
  if (view.stage === 'matrix' || sel?.kind === 'cell')
    asks.push({ name: 'summary', subject: 'summary', method: 'summary', params: null });
  if (view.reach.active) {
    const query = reachQuery(view.reach, snapshot);
    if (query !== undefined)
      asks.push({ name: 'check', subject: JSON.stringify(query), method: 'check', params: query });
    const { from, to } = view.reach;
    if (from !== undefined && to !== undefined) {
      const params = { from: endpointPeer(from), to: endpointPeer(to) };
      asks.push({ name: 'ports', subject: JSON.stringify(params), method: 'openPorts', params });
    }
  }
  const query = view.filter.trim();
  if (view.tab === 'pods' && looksLikeLabelQuery(query))
    asks.push({ name: 'labelMatch', subject: query, method: 'matchLabels', params: { query } });
  return asks;
}

const SLOTS: readonly QueryName[] = [
  'policy',
  'pod',
  'workload',
  'check',
  'ports',
  'summary',
  'cell',
  'labelMatch',
];

export interface AnalysisBinding {
  /** Ask the current questions again if their subject or the revision changed. */
  refresh(): void;
  dispose(): void;
}

export function bindAnalysis(options: {
  readonly client: AnalysisClient;
  readonly source: SourceStore;
  readonly view: ViewStore;
  readonly analysis: AnalysisStore;
}): AnalysisBinding {
  const { client, source, view, analysis } = options;
  let requestedRevision = -1;
  let lastSnapshot = source.getState().snapshot;
  /** Every pod's badge, as the answers so far left it. */
  let badges: Readonly<Record<string, PodBadge>> = {};

  const offPending = client.onPending((pending) => analysis.setState({ pending }));

  function sendLoad(): void {
    const { snapshot: received, revision, change } = source.getState();
    if (received === undefined) return;
    lastSnapshot = received;
    // The CNI the user chose for this source wins over the one the source detected.
    const chosen = view.getState().cni;
    const snapshot = chosen ? { ...received, cni: chosen } : received;
    // A live change that follows what the worker was last given goes as it is; the worker answers in
    // order, so it holds that revision by the time it reads the change.
    const asChange = change !== undefined && requestedRevision === revision - 1;
    requestedRevision = revision;
    analysis.setState({ status: 'loading' });
    const answer = asChange
      ? client.request('update', { change, revision })
      : client.request('load', { snapshot, revision });
    void answer.then((outcome) => {
      // Every answer is folded in, in order, even one a newer request overtook: patches build on it.
      let value = outcome.ok ? outcome.value : undefined;
      if (value !== undefined) {
        if (value.badgesPatch === true) {
          const merged: Record<string, PodBadge> = { ...badges, ...value.badges };
          for (const key of value.removedBadges ?? []) delete merged[key];
          badges = merged;
        } else badges = value.badges;
        value = { ...value, badges };
      }
      if (revision !== requestedRevision) return;
      if (!outcome.ok && asChange) {
        // The worker did not hold the revision before (a load failed): give it the whole snapshot.
        requestedRevision = -1;
        sendLoad();
        return;
      }
      if (!outcome.ok) {
        analysis.setState({ status: 'failed', error: outcome.error });
        return;
      }
      analysis.setState({ status: 'ready', error: undefined, revision, load: value });
      refresh();
    });
  }

  function ask<M extends AnalysisMethod>(q: Ask<M>, revision: number): void {
    const current = analysis.getState()[q.name] as Query<unknown> | undefined;
    if (current !== undefined && current.subject === q.subject && current.revision === revision) return;
    const keep = current !== undefined && current.subject === q.subject ? current.value : undefined;
    analysis.setState({
      [q.name]: { subject: q.subject, revision, status: 'loading', value: keep, error: undefined },
    });
    void client.request(q.method, q.params).then((outcome) => {
      const now = analysis.getState()[q.name] as Query<unknown> | undefined;
      if (now === undefined || now.subject !== q.subject || now.revision !== revision) return;
      const next: Query<AnalysisResult<M>> = outcome.ok
        ? { subject: q.subject, revision, status: 'ready', value: outcome.value, error: undefined }
        : { subject: q.subject, revision, status: 'failed', value: undefined, error: outcome.error };
      analysis.setState({ [q.name]: next });
    });
  }

  function refresh(): void {
    const state = analysis.getState();
    const asks = questions(view.getState(), source.getState().snapshot);
    const wanted = new Set(asks.map((a) => a.name));
    const clear: Partial<Record<QueryName, undefined>> = {};
    for (const slot of SLOTS) if (!wanted.has(slot) && state[slot] !== undefined) clear[slot] = undefined;
    if (Object.keys(clear).length > 0) analysis.setState(clear);
    if (state.status !== 'ready' || state.revision !== requestedRevision) return;
    for (const q of asks) ask(q, state.revision);
  }

  const offSource = source.subscribe((s) => {
    if (s.snapshot !== lastSnapshot) sendLoad();
  });
  const offView = view.subscribe((s, prev) => {
    if (s.cni !== prev.cni) {
      // Same revision, other semantics: every answer is asked again of a freshly loaded snapshot.
      const clear: Partial<Record<QueryName, undefined>> = {};
      for (const slot of SLOTS) clear[slot] = undefined;
      analysis.setState(clear);
      requestedRevision = -1;
      sendLoad();
      return;
    }
    if (
      s.selection !== prev.selection ||
      s.reach !== prev.reach ||
      s.stage !== prev.stage ||
      s.filter !== prev.filter ||
      s.tab !== prev.tab
    )
      refresh();
  });
  if (lastSnapshot !== undefined) sendLoad();

  return {
    refresh,
    dispose() {
      offPending();
      offSource();
      offView();
    },
  };
}
