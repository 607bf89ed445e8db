/**
 * The evaluator: one implementation of networking.k8s.io/v1 NetworkPolicy semantics for the CLI, the UI
 * worker and the tests. Start with `createAnalyzer(snapshot)`.
 */
export { createAnalyzer } from './analyzer.ts';
export {
  applyDeltas,
  CHANGE_KINDS,
  diffConnections,
  type ChangeKind,
  type ConnectionChange,
  type ConnectionDiff,
  type DiffCounts,
  type DiffOptions,
  type DiffUniverse,
  type NamespacePairDiff,
  type ObjectChanges,
  type PolicyAttribution,
  type PortDiff,
} from './diff.ts';
export type {
  Analyzer,
  AnalyzerStats,
  ClusterSummary,
  ConnectionQuery,
  ConnectionRef,
  ConnectionUniverse,
  ConnectionVerdict,
  Coverage,
  Direction,
  DirectionIsolation,
  IsolationState,
  NamespaceCell,
  Peer,
  PolicyEffect,
  PortProbe,
  ReachCell,
  ReachTable,
  RuleEffect,
  RuleMatch,
  SideResult,
  SnapshotDelta,
  UpdateResult,
  Verdict,
} from './types.ts';
export {
  AnalysisError,
  CELL_ALLOWED,
  CELL_EGRESS_ALLOWS,
  CELL_EGRESS_UNKNOWN,
  CELL_INGRESS_ALLOWS,
  CELL_INGRESS_UNKNOWN,
  CELL_UNKNOWN,
  sideAllows,
} from './types.ts';
export { formatRuleMatch } from './describe.ts';
