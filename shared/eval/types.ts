/**
 * Public types of the evaluator. The CLI, the UI worker and the tests code against these; keep the
 * names stable. Everything here is plain data (JSON-safe) except the `Analyzer` interface itself.
 */
import type {
  CalicoAction,
  CalicoPolicyKind,
  CiliumPolicyKind,
  CniProfile,
  AdminAction,
  AdminPolicyKind,
  AdminTier,
  PolicyPort,
  Protocol,
  Visibility,
} from '../model/snapshot.ts';
import type { SnapshotDelta } from '../model/delta.ts';

export type Direction = 'ingress' | 'egress';

/** `unknown` is carried for live sources with partial RBAC; manifests and the demo never produce it. */
export type Verdict = 'allowed' | 'denied' | 'unknown' | 'conditional';

/** One end of a connection: a pod of the snapshot, or an address outside it (IPv4 or IPv6 literal). */
export type Peer =
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'external'; readonly ip: string };

export interface PortProbe {
  readonly protocol: Protocol;
  readonly port: number;
}

export interface ConnectionQuery {
  readonly from: Peer;
  readonly to: Peer;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A rule of a policy that matched a connection. Indexes are 0-based positions in the policy as written. */
export interface RuleMatch {
  /** `namespace/name` */
  readonly policy: string;
  readonly direction: Direction;
  readonly rule: number;
  /** Index in `from`/`to`, or 'any' when the rule has no peer list. */
  readonly peer: number | 'any';
  /** Index in `ports`, or 'any' when the rule has no port list. */
  readonly port: number | 'any';
}

/** A rule of an admin-tier policy that matched one side of a connection. Indexes are 0-based, as written. */
export interface AdminRuleMatch {
  /** `clusterPolicyKey` of the policy. */
  readonly policy: string;
  readonly kind: AdminPolicyKind;
  readonly tier: AdminTier;
  readonly priority: number;
  readonly direction: Direction;
  readonly rule: number;
  readonly ruleName?: string;
  readonly action: AdminAction;
  /** Index in `from`/`to`. */
  readonly peer: number;
  /** Index in `protocols`/`ports`, or 'any' when the rule has none. */
  readonly port: number | 'any';
}

/**
 * A Cilium rule that matched one side of a connection (it decides in the NetworkPolicy tier: a deny
 * rule denies, an allow rule allows, `conditional` says for which requests only).
 */
export interface CiliumRuleMatch {
  /** `ciliumPolicyKey` of the policy. */
  readonly policy: string;
  readonly kind: CiliumPolicyKind;
  readonly direction: Direction;
  /** Where the rule is written: `spec.ingressDeny[0]`, `specs[1].egress[2]`. */
  readonly rule: string;
  readonly action: 'Allow' | 'Deny';
  /** Index of the first toPorts entry that matched, or 'any'. */
  readonly port: number | 'any';
  /** Why the match holds only for some requests (L7 rules, DNS names, Service endpoints). */
  readonly conditional?: string;
}

/**
 * What matched in a Calico tier: a rule of a Calico policy, the Kubernetes NetworkPolicies (which
 * Calico reads in its `default` tier at order 1000), or the tier's default action (nothing matched in
 * a tier that applies to the pod).
 */
export interface CalicoRuleMatch {
  readonly tier: string;
  readonly direction: Direction;
  readonly source:
    | {
        readonly kind: 'rule';
        /** `calicoPolicyKey` of the policy. */
        readonly policy: string;
        readonly policyKind: CalicoPolicyKind;
        readonly order?: number;
        /** Index in the policy's `ingress`/`egress`. */
        readonly rule: number;
      }
    | { readonly kind: 'network-policies'; readonly policies: readonly string[] }
    | { readonly kind: 'tier-default' };
  readonly action: CalicoAction;
  /** Why the match holds only for some requests (HTTP rules). */
  readonly conditional?: string;
}

/** One step of a side through Calico's tiers: an admin-tier rule, a Calico match, or the profile's allow. */
export type CalicoPathStep =
  | { readonly kind: 'admin'; readonly match: AdminRuleMatch }
  | { readonly kind: 'calico'; readonly match: CalicoRuleMatch }
  | { readonly kind: 'profile' };

/** The tier that decided a side: an admin rule's Accept/Deny, NetworkPolicy isolation, or the default allow. */
export type DecidingTier = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';

/**
 * How a side went through the tiers (present whenever the snapshot has admin-tier policies):
 * the Admin tier's matching rule (a Pass, or the deciding Accept/Deny), then NetworkPolicy isolation,
 * then the Baseline tier's matching rule (read only for a pod no NetworkPolicy isolates in that
 * direction), then the default allow.
 */
export interface TierTrace {
  /** Admin-tier policies whose subject holds the side's pod and that have rules in this direction, in order. */
  readonly adminPolicies: readonly string[];
  /** The first matching Admin-tier rule (Accept, Deny or Pass), if one matched. */
  readonly admin?: AdminRuleMatch;
  /** Baseline-tier policies that apply to the side's pod in this direction, in order. */
  readonly baselinePolicies: readonly string[];
  /** The first matching Baseline-tier rule, if the Baseline tier was read and one matched. */
  readonly baseline?: AdminRuleMatch;
  /** Cilium policies with rules in this direction that select the side's pod (NetworkPolicy tier). */
  readonly ciliumPolicies?: readonly string[];
  /** The Cilium rule that decided (or first possibly matched), if one did. */
  readonly cilium?: CiliumRuleMatch;
  /** Calico tiers read for the side's pod, in order (present when a Calico policy applies to it). */
  readonly calicoTiers?: readonly string[];
  /** The way through Calico's tiers: Pass matches, then what decided (present with `calicoTiers`). */
  readonly calicoPath?: readonly CalicoPathStep[];
  readonly decidedBy: DecidingTier;
}

/**
 * The verdict of one side of a connection: egress at the source, ingress at the destination.
 * - `not-subject`: the side has no policy enforcement at all (an external address, or a hostNetwork pod).
 * - `not-isolated`: a pod no policy isolates in this direction and no admin rule decides; allows everything.
 * - `allowed`: an Admin-tier Accept decided (`tiers.admin`), or the pod is isolated and at least one rule
 *   of the isolating policies matches (all matches listed), or a Baseline-tier Accept decided.
 * - `denied`: an Admin-tier Deny decided, or the pod is isolated and no rule matches (`policies` are the
 *   isolating ones), or a Baseline-tier Deny decided.
 * `tiers` (present when the snapshot has admin-tier policies) says which tier decided and how.
 * - `unknown`: the side depends on objects that could not be read (live sources only; see `Visibility`
 *   in the model and the semantics in visibility.ts): no visible rule definitely matches, and either
 *   the NetworkPolicies of the subject's namespace could not be read (`policies` then lists the visible
 *   ones selecting the subject, possibly none) or a rule matches only if an unread namespace's labels
 *   match its namespaceSelector (those rules are in `possible`). Admin tiers add causes: admin policies
 *   that could not be read, equal priorities whose order decides, and `nodes`/`domainNames` peers.
 */
export type SideResult =
  | { readonly kind: 'not-subject'; readonly reason: 'external' | 'host-network' }
  | { readonly kind: 'not-isolated'; readonly tiers?: TierTrace }
  | {
      readonly kind: 'allowed';
      readonly policies: readonly string[];
      readonly matches: readonly RuleMatch[];
      readonly tiers?: TierTrace;
    }
  | {
      readonly kind: 'denied';
      readonly policies: readonly string[];
      readonly tiers?: TierTrace;
      /** Rules of the isolating NetworkPolicies that came close (present when there is at least one). */
      readonly nearMisses?: readonly NearMiss[];
    }
  | {
      readonly kind: 'unknown';
      readonly tiers?: TierTrace;
      /** What could not be read, for people: "NetworkPolicies in namespace shop could not be read". */
      readonly reason: string;
      /** Visible policies selecting the subject in this direction (sorted; may be empty). */
      readonly policies: readonly string[];
      /** Rule matches that hold only if unread namespace labels match a namespaceSelector. */
      readonly possible: readonly RuleMatch[];
      /**
       * The side is allowed only for some requests: a Cilium allow rule with L7 rules, or one whose peers
       * are DNS names or Service endpoints, is all that may allow it (`reason` says which).
       */
      readonly conditional?: boolean;
    };

/**
 * A rule of an isolating NetworkPolicy that did not match a denied connection but matched all of it
 * save one part, so a person can see what to change:
 * - `port`: a peer entry (or the missing peer list) matches the other end; the port is not among `ports`.
 * - `pod`: the port matches and the peer's namespace part holds the other end, its podSelector does not.
 * - `namespace`: the port matches and the peer's podSelector matches the other end's labels, but the
 *   other end is in another namespace: `ownNamespace` when the peer has no namespaceSelector (a lone
 *   podSelector means pods of the policy's own namespace), else its namespaceSelector does not match.
 */
export interface NearMiss {
  /** `namespace/name` */
  readonly policy: string;
  readonly direction: Direction;
  readonly rule: number;
  /** Index in `from`/`to` of the entry that (half) matched, or 'any' when the rule has no peer list. */
  readonly peer: number | 'any';
  readonly missed: 'port' | 'pod' | 'namespace';
  /** The rule's port list as written ('any': none); for a `port` miss, all the rule allows. */
  readonly ports: 'any' | readonly PolicyPort[];
  /** For a `port` miss: the numbers the rule's named ports stand for at the destination pod. */
  readonly resolved?: readonly PortProbe[];
  /** For a `namespace` miss by a lone podSelector: the policy's namespace, the only one it selects in. */
  readonly ownNamespace?: string;
}

export interface ConnectionVerdict {
  readonly query: ConnectionQuery;
  readonly verdict: Verdict;
  readonly egress: SideResult;
  readonly ingress: SideResult;
}

/** Does a side allow the connection? `not-subject`, `not-isolated` and `allowed` do. */
export function sideAllows(side: SideResult): boolean | 'unknown' {
  switch (side.kind) {
    case 'not-subject':
    case 'not-isolated':
    case 'allowed':
      return true;
    case 'denied':
      return false;
    case 'unknown':
      return 'unknown';
  }
}

export interface DirectionIsolation {
  /**
   * `true` when a visible policy isolates the pod in this direction; `'unknown'` when none does but the
   * pod's namespace has NetworkPolicies that could not be read (one of them might); `false` otherwise.
   * Always a boolean with full visibility.
   */
  readonly isolated: boolean | 'unknown';
  /** Visible policies of the pod's namespace that select it and have this direction in their policy types. */
  readonly policies: readonly string[];
  /**
   * Admin-tier policies whose subject holds the pod and that have rules in this direction, Admin tier
   * first, each tier by priority (they never isolate; their rules decide before/after NetworkPolicies).
   */
  readonly adminPolicies: readonly string[];
}

export interface IsolationState {
  readonly pod: string;
  /** hostNetwork pods are never subject to policies, even when selected (both directions then allow all). */
  readonly hostNetwork: boolean;
  /** The NetworkPolicies of the pod's namespace could not be read: more policies than listed may select it. */
  readonly policiesUnreadable: boolean;
  readonly ingress: DirectionIsolation;
  readonly egress: DirectionIsolation;
}

/**
 * Bulk results for `peers × peers × ports`. Cell bits: `ALLOWED` (both sides definitely allow),
 * `EGRESS_ALLOWS`, `INGRESS_ALLOWS` (that side definitely allows), and, only with partial visibility,
 * `EGRESS_UNKNOWN`, `INGRESS_UNKNOWN` (that side is `unknown`) and `UNKNOWN` (the verdict is `unknown`:
 * no side definitely denies, not both definitely allow). Per side, neither ALLOWS nor UNKNOWN means the
 * side definitely denies; a cell with neither `ALLOWED` nor `UNKNOWN` is `denied`.
 * Cells with `from === to`, and external → external cells, are 0 and not meaningful.
 */
export interface ReachTable {
  readonly peers: readonly Peer[];
  readonly ports: readonly PortProbe[];
  /** Index `(from * peers.length + to) * ports.length + port`. */
  readonly cells: Uint8Array;
  cell(from: number, to: number, port: number): ReachCell;
}

export interface ReachCell {
  /** The verdict is `allowed` (both sides definitely allow). */
  readonly allowed: boolean;
  /** The egress side definitely allows. */
  readonly egress: boolean;
  readonly ingress: boolean;
  /** The verdict is `unknown` (always false with full visibility). */
  readonly unknown: boolean;
  /** The egress side is `unknown` (always false with full visibility). */
  readonly egressUnknown: boolean;
  readonly ingressUnknown: boolean;
}

export const CELL_ALLOWED = 1;
export const CELL_EGRESS_ALLOWS = 2;
export const CELL_INGRESS_ALLOWS = 4;
export const CELL_EGRESS_UNKNOWN = 8;
export const CELL_INGRESS_UNKNOWN = 16;
export const CELL_UNKNOWN = 32;

/**
 * The set of connections whole-cluster answers (summary, policy effect) range over:
 * - sources and destinations: every pod, plus one representative address for every class of external
 *   addresses that the ipBlocks treat alike (an "IP atom"; the rest of IPv4 is one such class, IPv6
 *   is included only when some pod or ipBlock uses it). Representatives are never pod IPs.
 * - ordered pairs of distinct endpoints with at least one pod (external → external is nobody's business);
 * - ports: `mentionedPorts()`, plus the lowest port of every class of ports that the rules treat alike
 *   and that contains no mentioned port (so "every other TCP port" is one probe, e.g. TCP/1).
 * With partial visibility these range over what could be read (visible pods, visible policies' ports
 * and ipBlocks); `partial` says so.
 */
export interface ConnectionUniverse {
  readonly ports: readonly PortProbe[];
  readonly externals: readonly string[];
  /** The snapshot's `visibility` says something could not be read (pods, policies or namespaces). */
  readonly partial: boolean;
}

export interface AnalyzerStats {
  readonly pods: number;
  readonly namespaces: number;
  readonly policies: number;
  /** Admin-tier policies (ClusterNetworkPolicy and legacy kinds). */
  readonly clusterPolicies: number;
  /** CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies (absent: none). */
  readonly ciliumPolicies?: number;
  /**
   * The CNI profile the analysis assumed, when the snapshot names one, and the policies it left out
   * because that CNI does not enforce their kind (counted per kind).
   */
  readonly cni?: {
    readonly profile: CniProfile;
    readonly label: string;
    readonly ignored: Readonly<Record<string, number>>;
  };
  /** Enforced Calico NetworkPolicies and GlobalNetworkPolicies, and the staged ones (absent: none). */
  readonly calicoPolicies?: { readonly enforced: number; readonly staged: number };
  /** Pod equivalence classes (pods no selector, named port or ipBlock tells apart). */
  readonly classes: number;
  readonly distinctSelectors: number;
  readonly ipAtoms: number;
  readonly portSets: number;
  readonly profiles: { readonly ingress: number; readonly egress: number };
}

/**
 * Namespace-to-namespace reachability over the universe: source pods of `from`, destination pods of
 * `to` (distinct pods), universe ports. `all`: every such (src, dst, port) connection flows; `none`: none
 * does; `some`: otherwise; `empty`: there is no such connection (a namespace without pods, or a
 * namespace with one pod paired with itself). With partial visibility each of these is stated only when
 * certain (`some` needs one connection definitely allowed and one definitely denied); `unknown` when
 * unknown verdicts leave it open. Manifests and the demo never produce `unknown`.
 */
export type Coverage = 'all' | 'some' | 'none' | 'empty' | 'unknown';

export interface NamespaceCell {
  readonly from: string;
  readonly to: string;
  readonly coverage: Coverage;
  /** Connections whose verdict is `allowed`. */
  readonly allowed: number;
  /** Connections whose verdict is `unknown` (0 with full visibility); the rest of `total` is denied. */
  readonly unknown: number;
  readonly total: number;
}

export interface ClusterSummary {
  readonly stats: AnalyzerStats;
  /** Pods a visible policy isolates (per direction), and hostNetwork pods. */
  readonly isolated: { readonly ingress: number; readonly egress: number; readonly hostNetwork: number };
  /** Pods no visible policy isolates whose namespace's policies could not be read (0 with full visibility). */
  readonly isolatedUnknown: { readonly ingress: number; readonly egress: number };
  /** Something could not be read: counts cover visible pods only and may include `unknown`s. */
  readonly partial: boolean;
  /** The snapshot's visibility, echoed when present. */
  readonly visibility?: Visibility;
  readonly universe: ConnectionUniverse;
  /** Namespace names in matrix order. */
  readonly namespaces: readonly string[];
  /** Row-major, `namespaces.length²` cells. */
  readonly matrix: readonly NamespaceCell[];
  /** Per universe port: ordered pairs of distinct pods that can connect (`allowed`), or may (`unknown`). */
  readonly allowedPodPairs: readonly {
    readonly probe: PortProbe;
    readonly allowed: number;
    readonly unknown: number;
    readonly total: number;
  }[];
}

export interface ConnectionRef {
  readonly from: Peer;
  readonly to: Peer;
  readonly protocol: Protocol;
  readonly port: number;
}

export interface RuleEffect {
  readonly direction: Direction;
  readonly rule: number;
  /**
   * No connection of the universe matches this rule, not even possibly (its peers, ports or the
   * policy's subject are empty).
   */
  readonly matchesNothing: boolean;
  /** Universe connections this rule matches. */
  readonly matched: number;
  /** Universe connections this rule matches only if unread namespace labels match (0 with full visibility). */
  readonly unknown: number;
}

/**
 * The effect of one policy P over the connection universe (see `ConnectionUniverse`), per DESIGN.md:
 * - permitted by P: some rule of P matches (P selects the destination and an ingress rule matches, or P
 *   selects the source and an egress rule matches; only directions in P's policy types count, and
 *   hostNetwork pods are never subjects). Split into `permittedFlowing` and `permittedBlocked` (the
 *   other side or the other direction denies).
 * - denied by P: flows without P, does not flow with P (and not permitted by P).
 * - unaffected: all other universe connections.
 * With partial visibility a connection is put in one of these classes only when it is in that class
 * whatever the unread objects (policies, namespace labels) are; otherwise it is `unknown`. E.g. a
 * connection P does not permit, into a pod that P alone isolates (in a namespace whose policies could
 * be read), is `denied` if the source's egress surely allows it, `unaffected` if it surely denies it,
 * and `unknown` if that is unknown (say, the source's namespace's policies could not be read).
 * Counts are in connections (pod, pod|address, port); lists hold at most `limit` entries each.
 *
 * For an admin-tier policy P (ClusterNetworkPolicy and legacy kinds) a connection is classed by the
 * rule of P that decides one of its sides (as `check` explains it): permitted (an Accept of P decides a
 * side; flowing or blocked as above), denied (a Deny of P decides a side), passed (a Pass of P sends a
 * side on to the next tier), else unaffected. A NetworkPolicy permits only where the NetworkPolicy tier
 * is reached (no Admin-tier rule decided that side first).
 */
export interface PolicyEffect {
  readonly policy: string;
  /** The policy's tier: 'NetworkPolicy' for a NetworkPolicy. */
  readonly tier: 'Admin' | 'NetworkPolicy' | 'Baseline';
  readonly selects: readonly string[];
  readonly isolates: { readonly ingress: boolean; readonly egress: boolean };
  readonly rules: readonly RuleEffect[];
  readonly counts: {
    readonly permittedFlowing: number;
    readonly permittedBlocked: number;
    readonly denied: number;
    /** Connections a Pass rule of an admin-tier P sends on to the next tier (0 for a NetworkPolicy). */
    readonly passed: number;
    /** Connections whose class depends on unread objects (0 with full visibility). */
    readonly unknown: number;
    readonly unaffected: number;
    readonly total: number;
  };
  readonly permittedFlowing: readonly ConnectionRef[];
  readonly permittedBlocked: readonly ConnectionRef[];
  readonly denied: readonly ConnectionRef[];
  readonly passed: readonly ConnectionRef[];
  readonly unknown: readonly ConnectionRef[];
  /** True when some list was cut at `limit`. */
  readonly truncated: boolean;
  /** A Calico policy's rule sides whose selector picks network sets, and which (absent otherwise). */
  readonly calicoNetworkSets?: readonly CalicoRuleNetworkSets[];
}

/** The network sets (by `calicoNetworkSetKey`) one side of a Calico rule picks with its selector. */
export interface CalicoRuleNetworkSets {
  readonly direction: Direction;
  readonly rule: number;
  readonly side: 'source' | 'destination';
  readonly sure: readonly string[];
  /** Sets whose match depends on labels netglass could not read. */
  readonly possibly: readonly string[];
}

/** A `PolicyEffect` without its connection lists (`Analyzer.policyEffectTallies`). */
export interface PolicyEffectTally {
  readonly policy: string;
  readonly tier: PolicyEffect['tier'];
  /** How many pods the policy selects. */
  readonly selects: number;
  readonly isolates: PolicyEffect['isolates'];
  readonly rules: readonly RuleEffect[];
  readonly counts: PolicyEffect['counts'];
}

export type { SnapshotDelta } from '../model/delta.ts';

/** What `update` had to do: `incremental` touched only what changed; `rebuild` redid the analysis. */
export interface UpdateResult {
  readonly mode: 'incremental' | 'rebuild';
  /** Why a rebuild was needed (new label key, new ipBlock boundary, namespace change, capacity). */
  readonly reason?: string;
}

/** Pod keys, sorted: where a Calico policy's selectors surely match, and where they only possibly do. */
export interface CalicoSubjects {
  readonly sure: readonly string[];
  readonly possibly: readonly string[];
}

export interface Analyzer {
  stats(): AnalyzerStats;
  /** What the source could not read (the snapshot's `visibility`); undefined when it read everything. */
  visibility(): Visibility | undefined;
  hasPod(namespace: string, name: string): boolean;
  /** Throws `AnalysisError` for an unknown pod key (`namespace/name`). */
  isolation(podKey: string): IsolationState;
  /** Explains one connection: per side, the policies and every matching rule. Throws `AnalysisError` on an unknown pod or a bad IP. */
  check(query: ConnectionQuery): ConnectionVerdict;
  /** Truth table over every ordered pair of peers and every port; computed per class pair, expanded to peers. */
  reach(peers: readonly Peer[], ports: readonly PortProbe[]): ReachTable;
  /** Port/protocol probes the policies mention: port numbers, range endpoints, named ports resolved on every pod that has them. Sorted. */
  mentionedPorts(): readonly PortProbe[];
  universe(): ConnectionUniverse;
  summary(): ClusterSummary;
  /** Throws `AnalysisError` for an unknown policy key. `limit` bounds each list (default 1000). */
  policyEffect(policyKey: string, options?: { readonly limit?: number }): PolicyEffect;
  /**
   * The counts and rule effects of `policyEffect` for every NetworkPolicy and admin-tier policy (not
   * Cilium policies), computed together at about the cost of one whole-cluster pass.
   */
  policyEffectTallies(): readonly PolicyEffectTally[];
  /** The pods a Calico policy applies to (see `CalicoSubjects`). Throws `AnalysisError` for an unknown key. */
  calicoSubjects(policyKey: string): CalicoSubjects;
  /** Applies changes in place, recomputing only what they touch when it can. */
  update(deltas: readonly SnapshotDelta[]): UpdateResult;
  /** A separate analyzer for the snapshot with these changes (what-if); this one is untouched. */
  whatIf(deltas: readonly SnapshotDelta[]): Analyzer;
}

/** Errors the evaluator throws for bad queries (unknown pod or policy, unparsable IP). */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';
}
