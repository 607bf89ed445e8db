/**
 * The evaluator: one implementation of network policy semantics for the CLI, the UI worker and the
 * tests — networking.k8s.io/v1 NetworkPolicy as one tier between the admin tiers (ClusterNetworkPolicy,
 * legacy AdminNetworkPolicy / BaselineAdminNetworkPolicy). Start with `createAnalyzer(snapshot)`.
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
  AdminRuleMatch,
  Analyzer,
  AnalyzerStats,
  ClusterSummary,
  ConnectionQuery,
  ConnectionRef,
  ConnectionUniverse,
  ConnectionVerdict,
  Coverage,
  DecidingTier,
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
  TierTrace,
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
export {
  formatAdminRuleMatch,
  formatRuleMatch,
  formatTierChain,
  formatTierStep,
  tierSteps,
  type TierStep,
} from './describe.ts';
