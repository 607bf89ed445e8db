/**
 * Builds the isolation report from the evaluator: the cluster summary (matrix, universe), per-pod
 * isolation, per-policy effects, a grouped truth table for pods and external addresses, and lint. No
 * policy semantics live here; the only look at a policy itself is whether its podSelector is empty
 * (a default-deny, which isolates pods that do not exist yet and so cannot be seen from current pods).
 */
import { CELL_ALLOWED, CELL_UNKNOWN, createAnalyzer } from '../eval/index.ts';
import type { Analyzer, Direction, Peer } from '../eval/index.ts';
import { createReachSource } from '../eval/reach-groups.ts';
import { lintSnapshot } from '../lint/index.ts';
import type { LintFinding } from '../lint/index.ts';
import type { NetworkPolicy, Snapshot, SnapshotSource } from '../model/snapshot.ts';
import { clusterPolicyKey, podKey, policyKey } from '../model/snapshot.ts';
import type {
  CrossNamespaceFlow,
  ExternalFlow,
  NamespaceIsolation,
  PolicyEffectCounts,
  Report,
  UnprotectedPod,
} from './model.ts';

export interface ReportOptions {
  /** Lint findings to include; default `lintSnapshot(snapshot)`. */
  readonly lint?: readonly LintFinding[];
}

export function describeSource(source: SnapshotSource): string {
  switch (source.kind) {
    case 'demo':
      return 'the demo cluster';
    case 'manifests':
      return `manifests: ${source.paths.join(', ')}`;
    case 'dropped':
      return `files: ${source.files.join(', ')}`;
    case 'cluster':
      return `cluster: context ${source.context} (${source.server})`;
  }
}

function selectsAll(p: NetworkPolicy): boolean {
  return Object.keys(p.podSelector.matchLabels).length === 0 && p.podSelector.matchExpressions.length === 0;
}

const TYPE_OF: Readonly<Record<Direction, 'Ingress' | 'Egress'>> = { ingress: 'Ingress', egress: 'Egress' };

function defaultDenies(snapshot: Snapshot, namespace: string, direction: Direction): string[] {
  return snapshot.policies
    .filter((p) => p.namespace === namespace && selectsAll(p) && p.policyTypes.includes(TYPE_OF[direction]))
    .map(policyKey)
    .sort();
}

function isolationSections(
  snapshot: Snapshot,
  analyzer: Analyzer,
  namespaces: readonly string[],
): { namespaces: NamespaceIsolation[]; unprotected: Report['unprotected'] } {
  const counts = new Map<string, { pods: number; ingress: number; egress: number }>(
    namespaces.map((n) => [n, { pods: 0, ingress: 0, egress: 0 }]),
  );
  const unprotected: Record<Direction, UnprotectedPod[]> = { ingress: [], egress: [] };
  const pods = [...snapshot.pods].sort((a, b) => (podKey(a) < podKey(b) ? -1 : 1));
  for (const pod of pods) {
    const key = podKey(pod);
    const state = analyzer.isolation(key);
    const c = counts.get(pod.namespace);
    if (c) c.pods++;
    for (const direction of ['ingress', 'egress'] as const) {
      const side = state[direction];
      if (side.isolated === true && !state.hostNetwork) {
        if (c) c[direction]++;
        continue;
      }
      unprotected[direction].push({
        pod: key,
        hostNetwork: state.hostNetwork,
        certain: side.isolated !== 'unknown' || state.hostNetwork,
        adminPolicies: side.adminPolicies,
      });
    }
  }
  return {
    namespaces: namespaces.map((namespace) => {
      const c = counts.get(namespace) ?? { pods: 0, ingress: 0, egress: 0 };
      return {
        namespace,
        pods: c.pods,
        ingress: { defaultDeny: defaultDenies(snapshot, namespace, 'ingress'), isolatedPods: c.ingress },
        egress: { defaultDeny: defaultDenies(snapshot, namespace, 'egress'), isolatedPods: c.egress },
      };
    }),
    unprotected,
  };
}

function crossNamespace(cells: Report['matrix']['cells']): CrossNamespaceFlow[] {
  return cells
    .filter((c) => c.from !== c.to && c.allowed + c.unknown > 0)
    .map((c) => ({ ...c }))
    .sort(
      (a, b) => b.allowed - a.allowed || b.unknown - a.unknown || (a.from + a.to < b.from + b.to ? -1 : 1),
    );
}

/**
 * Pods ↔ external addresses through grouped tables. All pods of a group (an evaluator class) have the
 * same cells, so each group is asked once, through a table of one of its pods and the external
 * addresses: its rows then span those few groups, not every group of the cluster.
 */
function externalFlows(
  snapshot: Snapshot,
  externals: readonly string[],
  namespaces: readonly string[],
): ExternalFlow[] {
  if (externals.length === 0 || snapshot.pods.length === 0) return [];
  const source = createReachSource(snapshot);
  const ports = source.universePorts();
  const pods = snapshot.pods.map((p): Peer => ({ kind: 'pod', namespace: p.namespace, name: p.name }));
  const outside = externals.map((ip): Peer => ({ kind: 'external', ip }));
  const { groupOf } = source.grouped([...pods, ...outside], ports);
  type Tally = { pods: number; podsTotal: number; allowed: number; unknown: number; total: number };
  const fresh = (): Tally => ({ pods: 0, podsTotal: 0, allowed: 0, unknown: 0, total: 0 });
  /** Per group of pods, the tally of one of its pods. */
  const byGroup = new Map<number, Record<Direction, Tally>>();
  const groupTally = (pod: Peer): Record<Direction, Tally> => {
    const table = source.grouped([pod, ...outside], ports);
    const t = { egress: fresh(), ingress: fresh() };
    for (const direction of ['egress', 'ingress'] as const) {
      const tally = t[direction];
      for (let e = 1; e <= outside.length; e++) {
        for (let p = 0; p < ports.length; p++) {
          const bits = direction === 'egress' ? table.peerCell(0, e, p) : table.peerCell(e, 0, p);
          tally.total++;
          if (bits & CELL_ALLOWED) tally.allowed++;
          else if (bits & CELL_UNKNOWN) tally.unknown++;
        }
      }
      tally.podsTotal = 1;
      tally.pods = tally.allowed > 0 ? 1 : 0;
    }
    return t;
  };
  const tallies = new Map<string, Record<Direction, Tally>>();
  snapshot.pods.forEach((pod, i) => {
    const g = groupOf[i] ?? 0;
    let one = byGroup.get(g);
    if (!one) byGroup.set(g, (one = groupTally(pods[i] as Peer)));
    let t = tallies.get(pod.namespace);
    if (!t) {
      t = { egress: fresh(), ingress: fresh() };
      tallies.set(pod.namespace, t);
    }
    for (const direction of ['egress', 'ingress'] as const) {
      const tally = t[direction];
      const add = one[direction];
      tally.pods += add.pods;
      tally.podsTotal += add.podsTotal;
      tally.allowed += add.allowed;
      tally.unknown += add.unknown;
      tally.total += add.total;
    }
  });
  return namespaces.flatMap((namespace) => {
    const t = tallies.get(namespace);
    if (!t) return [];
    return (['egress', 'ingress'] as const).map((direction) => ({ namespace, direction, ...t[direction] }));
  });
}

function policyEffects(snapshot: Snapshot, analyzer: Analyzer): PolicyEffectCounts[] {
  // All policies in one pass over the class tables: one by one, `policyEffect` costs a pass each.
  const tallies = new Map(analyzer.policyEffectTallies().map((t) => [t.policy, t]));
  const entries = [
    ...[...snapshot.policies]
      .map((p) => ({ key: policyKey(p), location: p.location }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    ...[...snapshot.clusterPolicies]
      .map((p) => ({ key: clusterPolicyKey(p), location: p.location }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
  ];
  return entries.map(({ key, location }) => {
    const e = tallies.get(key);
    if (!e) throw new Error(`no effect counts for policy ${key}`);
    return {
      policy: key,
      tier: e.tier,
      selects: e.selects,
      ...e.counts,
      rulesMatchingNothing: e.rules.filter((r) => r.matchesNothing).map((r) => `${r.direction}[${r.rule}]`),
      ...(location ? { location } : {}),
    };
  });
}

export function buildReport(snapshot: Snapshot, options: ReportOptions = {}): Report {
  const analyzer = createAnalyzer(snapshot);
  const summary = analyzer.summary();
  const namespaces = summary.namespaces;
  const { namespaces: isolation, unprotected } = isolationSections(snapshot, analyzer, namespaces);
  const externals = summary.universe.externals;
  return {
    schema: 1,
    source: describeSource(snapshot.source),
    ...(summary.stats.cni ? { cni: summary.stats.cni.label } : {}),
    partial: summary.partial,
    totals: {
      pods: summary.stats.pods,
      namespaces: summary.stats.namespaces,
      policies: summary.stats.policies,
      clusterPolicies: summary.stats.clusterPolicies,
    },
    universe: {
      ports: summary.universe.ports.map((p) => `${p.port}/${p.protocol}`),
      externals,
    },
    namespaces: isolation,
    unprotected,
    crossNamespace: crossNamespace(summary.matrix),
    external: externalFlows(snapshot, externals, namespaces),
    policies: policyEffects(snapshot, analyzer),
    matrix: { namespaces, cells: summary.matrix },
    lint: options.lint ?? lintSnapshot(snapshot),
  };
}
