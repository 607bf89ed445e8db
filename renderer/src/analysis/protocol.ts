/**
 * The messages between the UI and the analysis worker. The worker runs the shared evaluator
 * (`shared/eval`) on each snapshot and answers typed requests; every request carries an id, every
 * response the same id and the revision of the snapshot it was computed on, so the UI can drop answers
 * about a snapshot it no longer shows. Everything here is structured-clone safe (plain data).
 */
import type {
  AnalyzerStats,
  ClusterSummary,
  ConnectionQuery,
  ConnectionVerdict,
  IsolationState,
  Peer,
  PolicyEffect,
  PortProbe,
} from '../../../shared/eval/index.ts';
import type { Denial } from '../../../shared/eval/denial.ts';
import type { OpenPorts } from '../../../shared/eval/open-ports.ts';
import type { SnapshotChange } from '../../../shared/model/delta.ts';
import type { AdminTier, Snapshot } from '../../../shared/model/snapshot.ts';
import type { WhatIfParams, WhatIfResult } from './whatif.ts';
import type {
  FlowsFor,
  FlowsForParams,
  FlowsGenerated,
  FlowsTightened,
  FlowsKept,
  FlowsPushParams,
  FlowsView,
} from './flows.ts';
import type { TimeWindow } from '../../../shared/flows/window.ts';
import type { SnapshotDelta } from '../../../shared/eval/index.ts';

/** Isolation of one pod, as the graph's badges need it. */
export interface PodBadge {
  readonly ingress: boolean | 'unknown';
  readonly egress: boolean | 'unknown';
  readonly hostNetwork: boolean;
  /** A Cilium policy puts the pod in default deny (some direction); absent otherwise. */
  readonly cilium?: true;
  /** A Calico policy isolates the pod (its tier's default action is Deny); absent otherwise. */
  readonly calico?: true;
  /**
   * The admin-tier policies (keys, Admin tier first, each tier by priority) that apply to the pod per
   * direction, from the evaluator's `isolation(pod)`, and the highest tier among them; absent when none
   * does.
   */
  readonly admin?: {
    readonly ingress: readonly string[];
    readonly egress: readonly string[];
    readonly tier: AdminTier;
  };
}

export interface LoadResult {
  readonly revision: number;
  /** `initial`: first snapshot; `incremental`/`rebuild`: what `update(deltas)` did; `replace`: a new analyzer. */
  readonly mode: 'initial' | 'incremental' | 'rebuild' | 'replace';
  readonly deltas: number;
  readonly stats: AnalyzerStats;
  /**
   * Per pod key: every pod's, or with `badgesPatch` only those of the pods a live change named
   * (their isolation is all a pod change can move), with `removedBadges` for pods that went.
   */
  readonly badges: Readonly<Record<string, PodBadge>>;
  readonly badgesPatch?: true;
  readonly removedBadges?: readonly string[];
  /** Something could not be read: verdicts may be `unknown`. */
  readonly partial: boolean;
  readonly ports: readonly PortProbe[];
  /** Ports the policies name; the other universe ports stand for "every other port" of a class. */
  readonly mentionedPorts: readonly PortProbe[];
  readonly externals: readonly string[];
  readonly ms: number;
}

/** Which ports (indexes into `ports`) one peer may use towards or from the pod. */
export interface PeerAccess {
  readonly peer: Peer;
  readonly allowed: readonly number[];
  readonly unknown: readonly number[];
}

export interface PodView {
  readonly pod: string;
  readonly isolation: IsolationState;
  readonly ports: readonly PortProbe[];
  /** Peers that may connect to the pod (at least one port allowed or unknown). */
  readonly inbound: readonly PeerAccess[];
  /** Peers the pod may connect to. */
  readonly outbound: readonly PeerAccess[];
  /** How many peers were probed (pods and external address classes). */
  readonly peers: number;
}

export interface PairAccess {
  readonly from: string;
  readonly to: string;
  readonly allowed: readonly number[];
  readonly unknown: readonly number[];
}

export interface CellPairs {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly PortProbe[];
  /** Pod pairs with at least one allowed or unknown port. */
  readonly pairs: readonly PairAccess[];
  /** Pod pairs probed. */
  readonly total: number;
  readonly truncated: boolean;
  /** When no pair connects: the policies that deny (from a sample of the pairs). */
  readonly denial?: Denial;
}

/** A label search's answer: the keys of the pods it selects, or why it could not be read. */
export type LabelMatch =
  | { readonly ok: true; readonly query: string; readonly pods: readonly string[] }
  | { readonly ok: false; readonly query: string; readonly error: string };

export interface AnalysisMethods {
  load: {
    readonly params: { readonly snapshot: Snapshot; readonly revision: number };
    readonly result: LoadResult;
  };
  /** A live change to the loaded snapshot (revision `revision - 1`), as the Node side sent it. */
  update: {
    readonly params: { readonly change: SnapshotChange; readonly revision: number };
    readonly result: LoadResult;
  };
  policyEffect: {
    readonly params: { readonly policy: string; readonly limit?: number };
    readonly result: PolicyEffect;
  };
  check: { readonly params: ConnectionQuery; readonly result: ConnectionVerdict };
  /** Every universe port from one peer to another ("which ports are open between A and B"). */
  openPorts: { readonly params: { readonly from: Peer; readonly to: Peer }; readonly result: OpenPorts };
  podView: { readonly params: { readonly pod: string }; readonly result: PodView };
  summary: { readonly params: null; readonly result: ClusterSummary };
  cellPairs: {
    readonly params: { readonly from: string; readonly to: string; readonly limit?: number };
    readonly result: CellPairs;
  };
  /** The pods a label search (`app=web,tier!=db`) selects, matched by the evaluator's selector code. */
  matchLabels: { readonly params: { readonly query: string }; readonly result: LabelMatch };
  /** The policy editor's what-if (answered by whatif.ts in the worker, not by the engine). */
  whatIf: { readonly params: WhatIfParams; readonly result: WhatIfResult };
  /** Imported flow logs (answered by flows.ts in the worker): pieces of files, then the comparison. */
  flowsPush: { readonly params: FlowsPushParams; readonly result: FlowsView | null };
  /** The imported flows compared again with the snapshot the worker holds now. */
  flowsView: { readonly params: null; readonly result: FlowsView };
  /** Chooses the time window every flows answer is over ({}: every record), and compares again. */
  flowsWindow: { readonly params: { readonly window: TimeWindow }; readonly result: FlowsView };
  /** One pod's seen flows in and out, or one policy's seen flows per rule, over the window. */
  flowsFor: { readonly params: FlowsForParams; readonly result: FlowsFor };
  /** Least-privilege NetworkPolicy drafts from the seen allowed flows. */
  flowsGenerate: { readonly params: null; readonly result: FlowsGenerated };
  /** A NetworkPolicy (`namespace/name`) tightened to the seen flows it allowed, over the window. */
  flowsTighten: { readonly params: { readonly policy: string }; readonly result: FlowsTightened };
  /** Whether the seen allowed flows stay allowed under the editor's drafts. */
  flowsKept: { readonly params: { readonly deltas: readonly SnapshotDelta[] }; readonly result: FlowsKept };
  flowsClear: { readonly params: null; readonly result: null };
}

export type AnalysisMethod = keyof AnalysisMethods;
export type AnalysisParams<M extends AnalysisMethod> = AnalysisMethods[M]['params'];
export type AnalysisResult<M extends AnalysisMethod> = AnalysisMethods[M]['result'];

export interface AnalysisRequest<M extends AnalysisMethod = AnalysisMethod> {
  readonly id: number;
  readonly method: M;
  readonly params: AnalysisParams<M>;
}

export type AnalysisResponse =
  | { readonly id: number; readonly revision: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly revision: number; readonly ok: false; readonly error: string };

/** A value the UI can show for a port probe: `TCP 8080`, or `TCP other` for a class representative. */
export function probeKey(probe: PortProbe): string {
  return `${probe.protocol}/${probe.port}`;
}
