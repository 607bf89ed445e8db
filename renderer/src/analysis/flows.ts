/**
 * Imported flow logs, answered in the analysis worker beside the engine: the files are read in the
 * browser and sent here in pieces (never to the Node side), folded into one `FlowImport`
 * (shared/flows) as they arrive, and compared with the evaluator of the snapshot the engine holds.
 * The answers are bounded views (counts stay exact), so a million records never cross to the UI.
 */
import {
  applyDeltas,
  createAnalyzer,
  type Analyzer,
  type Peer,
  type SnapshotDelta,
} from '../../../shared/eval/index.ts';
import {
  compareFlows,
  FlowImport,
  generatePolicies,
  podFlows,
  ruleFlows,
  tightenPolicy,
  type AggregatedFlow,
  type FindingStatus,
  type FlowComparison,
  type FlowFinding,
  type FlowReader,
  type MappedEndpoint,
  type PodFlows,
  type RuleFlows,
  type RuleUsage,
  type TimeWindow,
} from '../../../shared/flows/index.ts';
import type { NetworkPolicy, Protocol, Snapshot } from '../../../shared/model/snapshot.ts';
import type { AnalysisMethod, AnalysisRequest, AnalysisResponse } from './protocol.ts';

/** The requests this handler answers (every other is the engine's or the what-if's). */
type FlowsMethod = Extract<AnalysisMethod, `flows${string}`>;

const isFlowsMethod = (method: AnalysisMethod): method is FlowsMethod => method.startsWith('flows');

/** Findings listed per status (counts stay exact). */
export const MAX_FINDINGS = 500;
/** Pods or addresses per endpoint drawn on the graph. */
const MAX_PEERS = 16;

export interface FlowsPushParams {
  /** `begin` drops any earlier import; `push` adds text of `file`; `end` closes the files and compares. */
  readonly step: 'begin' | 'push' | 'end';
  readonly file?: string;
  readonly text?: string;
}

/** The seen flows of one pod, or per rule of one policy, over the chosen window. */
export type FlowsForParams =
  { readonly kind: 'pod'; readonly pod: string } | { readonly kind: 'policy'; readonly policy: string };

export type FlowsFor =
  { readonly kind: 'pod'; readonly value: PodFlows } | { readonly kind: 'policy'; readonly value: RuleFlows };

/** Seen flows listed per direction (pod) or per rule (policy) in the details panels. */
export const MAX_DETAIL_FLOWS = 50;

export interface FlowEndpointView {
  readonly label: string;
  /** What the graph draws the end as (pods or addresses); empty when unmapped. */
  readonly peers: readonly Peer[];
}

export interface FlowFindingView {
  readonly status: FindingStatus;
  readonly observed: FlowFinding['observed'];
  readonly count: number;
  readonly src: FlowEndpointView;
  readonly dst: FlowEndpointView;
  readonly protocol: Protocol;
  readonly port: number;
  readonly evaluated: FlowFinding['evaluated'];
  readonly cause?: FlowFinding['cause'];
  readonly note?: string;
  readonly decidedBy: readonly string[];
  /** `file:line` of the flow's first record. */
  readonly location: string;
}

export interface FlowsView {
  /** The snapshot revision the comparison was made on. */
  readonly revision: number;
  readonly files: readonly string[];
  readonly read: FlowComparison['read'];
  /** The first read errors as `file:line: field: message`. */
  readonly errors: readonly string[];
  /** The imported records' times. */
  readonly window: FlowComparison['window'];
  /** The window compared (absent: every record), and the records it left out. */
  readonly selected?: TimeWindow;
  readonly outsideWindow: number;
  readonly flows: number;
  readonly counts: FlowComparison['counts'];
  readonly unmapped: FlowComparison['unmapped'];
  readonly unmappedFlows: number;
  readonly droppedOther: number;
  /** Up to MAX_FINDINGS per status, contradictions first. */
  readonly findings: readonly FlowFindingView[];
  readonly rules: readonly RuleUsage[];
}

export interface FlowsGenerated {
  readonly policies: readonly {
    readonly policy: NetworkPolicy;
    readonly flows: number;
    readonly connections: number;
  }[];
  readonly skipped: readonly { readonly flow: string; readonly reason: string }[];
}

/** A NetworkPolicy tightened to the seen flows it allowed (shared/flows/tighten.ts). */
export interface FlowsTightened {
  readonly policy: NetworkPolicy;
  /** Rules removed (no seen flow used them) and rules narrowed (open peers or ports cut to the seen ones). */
  readonly removed: number;
  readonly narrowed: number;
  /** Seen flows the policy admitted. */
  readonly flows: number;
}

/** Whether the seen allowed flows stay allowed once `deltas` (the editor's drafts) apply. */
export interface FlowsKept {
  /** Seen allowed flows the snapshot's policies allow (the ones a draft could take away). */
  readonly total: number;
  readonly kept: number;
  /** Flows the drafts would deny, as `source → destination port/protocol`. */
  readonly lost: readonly string[];
  /** Seen allowed flows the snapshot's policies deny (contradictions) that the drafts allow. */
  readonly opened: number;
}

export type FlowsHeld = {
  readonly snapshot: Snapshot;
  readonly revision: number;
  readonly analyzer: Analyzer;
};

function peersOf(e: MappedEndpoint): Peer[] {
  if (e.kind === 'pods')
    return e.pods.slice(0, MAX_PEERS).map((key) => {
      const slash = key.indexOf('/');
      return { kind: 'pod', namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    });
  if (e.kind === 'external') return e.ips.slice(0, MAX_PEERS).map((ip) => ({ kind: 'external', ip }));
  return [];
}

const STATUS_ORDER: readonly FindingStatus[] = ['contradiction', 'audit', 'confirmed', 'undecided'];

export function flowLabel(flow: AggregatedFlow): string {
  return `${flow.src.label} → ${flow.dst.label} ${flow.port}/${flow.protocol}`;
}

export function viewOf(comparison: FlowComparison, files: readonly string[], revision: number): FlowsView {
  const findings: FlowFindingView[] = [];
  for (const status of STATUS_ORDER) {
    let n = 0;
    for (const f of comparison.findings) {
      if (f.status !== status) continue;
      if (n++ >= MAX_FINDINGS) break;
      findings.push({
        status: f.status,
        observed: f.observed,
        count: f.count,
        src: { label: f.flow.src.label, peers: peersOf(f.flow.src.endpoint) },
        dst: { label: f.flow.dst.label, peers: peersOf(f.flow.dst.endpoint) },
        protocol: f.flow.protocol,
        port: f.flow.port,
        evaluated: f.evaluated,
        ...(f.cause !== undefined ? { cause: f.cause } : {}),
        ...(f.note !== undefined ? { note: f.note } : {}),
        decidedBy: f.decidedBy,
        location: `${f.flow.location.file}:${f.flow.location.line}`,
      });
    }
  }
  return {
    revision,
    files,
    read: comparison.read,
    errors: comparison.errors.map(
      (e) =>
        `${e.location.file}:${e.location.line}: ${e.field !== undefined ? `${e.field}: ` : ''}${e.message}`,
    ),
    window: comparison.window,
    ...(comparison.selected !== undefined ? { selected: comparison.selected } : {}),
    outsideWindow: comparison.outsideWindow,
    flows: comparison.flows,
    counts: comparison.counts,
    unmapped: comparison.unmapped.slice(0, 50),
    unmappedFlows: comparison.unmappedFlows,
    droppedOther: comparison.droppedOther,
    findings,
    rules: comparison.rules,
  };
}

interface ImportState {
  readonly flows: FlowImport;
  readonly files: string[];
  reader: { readonly file: string; readonly reader: FlowReader } | undefined;
  /** The revision the endpoints were mapped on. */
  readonly revision: number;
  /** The time window every answer is over (open: every record). */
  window: TimeWindow;
  /** The last comparison, reused while the snapshot, the window and the records stay the same. */
  cached: { readonly key: unknown[]; readonly comparison: FlowComparison } | undefined;
}

export interface FlowsHandler {
  /** The answer to a `flows*` request; undefined for every other request. */
  handle(request: AnalysisRequest): AnalysisResponse | undefined;
}

/** `current`: the snapshot, revision and analyzer the engine holds. */
export function createFlowsHandler(current: () => FlowsHeld | undefined): FlowsHandler {
  let held: ImportState | undefined;

  function need(): FlowsHeld {
    const c = current();
    if (c === undefined)
      throw new Error('No snapshot has been analysed yet: open a cluster before importing flows.');
    return c;
  }

  function imported(): ImportState {
    if (held === undefined) throw new Error('No flows have been imported.');
    return held;
  }

  function closeReader(state: ImportState): void {
    state.reader?.reader.end();
    state.reader = undefined;
  }

  /** The comparison against the snapshot the engine holds now (the mapping stays the import's). */
  function compareNow(state: ImportState, c: FlowsHeld): FlowComparison {
    // Selecting pod after pod asks for the same comparison: it is made once per snapshot and window.
    const key = [c.snapshot, c.analyzer, state.window, state.flows.tally.lines];
    const cached = state.cached;
    if (cached !== undefined && cached.key.every((k, i) => k === key[i])) return cached.comparison;
    const comparison = compareFlows({
      snapshot: c.snapshot,
      analyzer: c.analyzer,
      aggregator: state.flows.aggregator,
      read: state.flows.tally.stats(),
      errors: state.flows.tally.errors,
      window: state.window,
    });
    state.cached = { key, comparison };
    return comparison;
  }

  function push(p: FlowsPushParams): FlowsView | null {
    if (p.step === 'begin') {
      const c = need();
      // The engine's analyzer: mapping reads only its external address classes, and every comparison
      // is made with the analyzer of the moment (compareNow), so no second analyzer is built.
      held = {
        flows: new FlowImport(c.snapshot, c.analyzer),
        files: [],
        reader: undefined,
        revision: c.revision,
        window: {},
        cached: undefined,
      };
      return null;
    }
    const state = imported();
    if (p.step === 'push') {
      const file = p.file ?? 'flows';
      if (state.reader?.file !== file) {
        closeReader(state);
        state.reader = { file, reader: state.flows.reader(file) };
        state.files.push(file);
      }
      state.reader.reader.push(p.text ?? '');
      return null;
    }
    closeReader(state);
    const c = need();
    return viewOf(compareNow(state, c), state.files, c.revision);
  }

  function kept(deltas: readonly SnapshotDelta[]): FlowsKept {
    const state = imported();
    const c = need();
    const before = compareNow(state, c);
    const after = applyDeltas(c.snapshot, deltas);
    const afterComparison = compareFlows({
      snapshot: after,
      analyzer: createAnalyzer(after),
      aggregator: state.flows.aggregator,
      read: before.read,
      errors: [],
      window: state.window,
    });
    const allowedBefore = new Set(
      before.findings.filter((f) => f.observed === 'allowed' && f.evaluated === 'allowed').map((f) => f.flow),
    );
    const lost: string[] = [];
    let keptCount = 0;
    let opened = 0;
    for (const f of afterComparison.findings) {
      if (f.observed !== 'allowed') continue;
      if (!allowedBefore.has(f.flow)) {
        if (f.evaluated === 'allowed') opened++;
        continue;
      }
      if (f.evaluated === 'allowed') keptCount++;
      else lost.push(flowLabel(f.flow));
    }
    return { total: allowedBefore.size, kept: keptCount, lost: lost.slice(0, MAX_FINDINGS), opened };
  }

  function run(method: FlowsMethod, request: AnalysisRequest): unknown {
    switch (method) {
      case 'flowsPush':
        return push(request.params as FlowsPushParams);
      case 'flowsView': {
        const state = imported();
        const c = need();
        return viewOf(compareNow(state, c), state.files, c.revision);
      }
      case 'flowsWindow': {
        const state = imported();
        const { window } = request.params as { readonly window: TimeWindow };
        state.window = {
          ...(window.since !== undefined ? { since: window.since } : {}),
          ...(window.until !== undefined ? { until: window.until } : {}),
        };
        return viewOf(compareNow(state, need()), state.files, need().revision);
      }
      case 'flowsFor': {
        const p = request.params as FlowsForParams;
        const comparison = compareNow(imported(), need());
        const value: FlowsFor =
          p.kind === 'pod'
            ? { kind: 'pod', value: podFlows(comparison, p.pod, MAX_DETAIL_FLOWS) }
            : { kind: 'policy', value: ruleFlows(comparison, p.policy, MAX_DETAIL_FLOWS) };
        return value;
      }
      case 'flowsTighten': {
        const { policy: key } = request.params as { readonly policy: string };
        const { snapshot } = need();
        const policy = snapshot.policies.find((p) => `${p.namespace}/${p.name}` === key);
        if (policy === undefined) throw new Error(`No NetworkPolicy ${key} in the snapshot.`);
        const t = tightenPolicy(snapshot, policy, compareNow(imported(), need()).findings);
        const value: FlowsTightened = {
          policy: t.policy,
          removed: t.rules.filter((r) => r.kind === 'removed').length,
          narrowed: t.rules.filter((r) => r.kind === 'narrowed').length,
          flows: t.flows,
        };
        return value;
      }
      case 'flowsGenerate': {
        const state = imported();
        const result = generatePolicies(need().snapshot, state.flows.aggregator.windowed(state.window).flows);
        const value: FlowsGenerated = {
          policies: result.policies.map((g) => ({
            policy: g.policy,
            flows: g.flows,
            connections: g.connections,
          })),
          skipped: result.skipped,
        };
        return value;
      }
      case 'flowsKept':
        return kept((request.params as { readonly deltas: readonly SnapshotDelta[] }).deltas);
      case 'flowsClear':
        held = undefined;
        return null;
    }
  }

  return {
    handle(request) {
      const method = request.method;
      if (!isFlowsMethod(method)) return undefined;
      const revision = current()?.revision ?? -1;
      try {
        return { id: request.id, revision, ok: true, value: run(method, request) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { id: request.id, revision, ok: false, error: message };
      }
    },
  };
}
