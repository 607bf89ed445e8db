/**
 * The isolation report (`netglass report`): plain data (JSON-safe), built from the evaluator's answers
 * by build.ts and rendered by markdown.ts, html.ts and json.ts. Lists are complete; renderers decide how
 * much of each to show.
 */
import type { Coverage, Direction, NamespaceCell } from '../eval/index.ts';
import type { LintFinding } from '../lint/index.ts';
import type { SourceLocation } from '../model/snapshot.ts';

export interface ReportTotals {
  readonly pods: number;
  readonly namespaces: number;
  readonly policies: number;
  /** Admin-tier policies (ClusterNetworkPolicy and the legacy kinds). */
  readonly clusterPolicies: number;
}

/** Per direction: does the namespace start every pod isolated, and how many pods are isolated now. */
export interface NamespaceDirection {
  /**
   * NetworkPolicies of the namespace with an empty podSelector and this direction in their policy
   * types: they isolate every pod of the namespace, including pods created later. Empty: no default-deny.
   */
  readonly defaultDeny: readonly string[];
  /** Pods a NetworkPolicy isolates in this direction (hostNetwork pods never are). */
  readonly isolatedPods: number;
}

export interface NamespaceIsolation {
  readonly namespace: string;
  readonly pods: number;
  readonly ingress: NamespaceDirection;
  readonly egress: NamespaceDirection;
}

/** A pod no NetworkPolicy isolates in a direction: everything in that direction reaches it (or leaves it). */
export interface UnprotectedPod {
  readonly pod: string;
  /** hostNetwork pods are never subject to policies, selected or not. */
  readonly hostNetwork: boolean;
  /** `unknown`: the namespace's NetworkPolicies could not be read (live sources), so one might isolate it. */
  readonly certain: boolean;
  /** Admin-tier policies with rules for the pod in this direction: they may still deny some traffic. */
  readonly adminPolicies: readonly string[];
}

/** Connections between two different namespaces (source pods of `from`, destination pods of `to`). */
export interface CrossNamespaceFlow {
  readonly from: string;
  readonly to: string;
  readonly coverage: Coverage;
  readonly allowed: number;
  readonly unknown: number;
  readonly total: number;
}

/** Connections between a namespace's pods and the external addresses of the universe, one direction. */
export interface ExternalFlow {
  readonly namespace: string;
  readonly direction: Direction;
  /** Pods with at least one allowed connection to (egress) or from (ingress) an external address. */
  readonly pods: number;
  readonly podsTotal: number;
  readonly allowed: number;
  readonly unknown: number;
  readonly total: number;
}

export interface PolicyEffectCounts {
  readonly policy: string;
  readonly tier: 'Admin' | 'NetworkPolicy' | 'Baseline';
  readonly selects: number;
  readonly permittedFlowing: number;
  readonly permittedBlocked: number;
  readonly denied: number;
  readonly passed: number;
  readonly unknown: number;
  readonly unaffected: number;
  readonly total: number;
  /** Rules that match no connection of the universe, as `ingress[0]`. */
  readonly rulesMatchingNothing: readonly string[];
  readonly location?: SourceLocation;
}

export interface Report {
  /** Bumped when a field changes meaning or goes away (fields may be added). */
  readonly schema: 1;
  /** Where the cluster state came from, for people: manifest paths, or the context and server. */
  readonly source: string;
  /** The CNI profile the analysis assumed, when the input named one (absent: Kubernetes' tests' reading). */
  readonly cni?: string;
  /** A live source could not read everything: counts cover what was read and may hold unknowns. */
  readonly partial: boolean;
  readonly totals: ReportTotals;
  /** The connections every count ranges over (see `ConnectionUniverse`). */
  readonly universe: { readonly ports: readonly string[]; readonly externals: readonly string[] };
  /** Every namespace, in matrix order. */
  readonly namespaces: readonly NamespaceIsolation[];
  readonly unprotected: {
    readonly ingress: readonly UnprotectedPod[];
    readonly egress: readonly UnprotectedPod[];
  };
  /** Namespace pairs (distinct) with at least one allowed or unknown connection, most allowed first. */
  readonly crossNamespace: readonly CrossNamespaceFlow[];
  /** Per namespace with pods and direction, sorted by namespace then egress first. */
  readonly external: readonly ExternalFlow[];
  /** NetworkPolicies by key, then admin-tier policies by key. */
  readonly policies: readonly PolicyEffectCounts[];
  readonly matrix: {
    readonly namespaces: readonly string[];
    /** Row-major, `namespaces.length²` cells, as `ClusterSummary.matrix`. */
    readonly cells: readonly NamespaceCell[];
  };
  readonly lint: readonly LintFinding[];
}
