/**
 * The normalized cluster state every source produces (live cluster, manifests, demo) and every
 * consumer reads (evaluator, CLI, renderer). Plain data only: it crosses IPC and WebSocket
 * boundaries as JSON, so no classes, Maps or functions live here.
 */

/** Label or annotation map, as in `metadata.labels`. */
export type Labels = Readonly<Record<string, string>>;

/** Where an object or field came from, for messages a user can act on. Lines and columns are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Non-empty for In/NotIn, empty for Exists/DoesNotExist (validated at load). */
  readonly values: readonly string[];
}

/** matchLabels AND matchExpressions. Both empty selects everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface Namespace {
  readonly name: string;
  /** Always includes `kubernetes.io/metadata.name`, as the API server guarantees. */
  readonly labels: Labels;
  /** False when objects referenced the namespace but no input declared it. */
  readonly declared: boolean;
  readonly location?: SourceLocation;
}

/** A container port as declared in a pod spec; only named ones matter to policies, all are kept for display. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface PodOwner {
  readonly kind: string;
  readonly name: string;
}

export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** status.podIPs (or podIP). Empty for a pod without an IP yet, or one expanded from a workload template. */
  readonly ips: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly phase?: string;
  /** hostNetwork pods are not subject to NetworkPolicy. */
  readonly hostNetwork: boolean;
  /** The controlling workload (Deployment rather than ReplicaSet where it can be told). */
  readonly owner?: PodOwner;
  /** True when this pod stands for a workload's pod template (manifest review before deployment). */
  readonly fromTemplate: boolean;
  readonly location?: SourceLocation;
}

export type PolicyType = 'Ingress' | 'Egress';

/** One entry of `ports:` in a rule. `port` absent means every port of the protocol. */
export interface PolicyPort {
  readonly protocol: Protocol;
  /** A number, or a container port name resolved against the destination pod. */
  readonly port?: number | string;
  /** Inclusive end of a numeric range starting at `port`. */
  readonly endPort?: number;
}

export interface IPBlock {
  readonly cidr: string;
  readonly except: readonly string[];
}

/**
 * One entry of `from:` / `to:`. Selector peers: podSelector alone = pods of the policy's namespace;
 * namespaceSelector alone = every pod of matching namespaces; both = AND.
 */
export type PolicyPeer =
  | {
      readonly kind: 'selector';
      readonly namespaceSelector?: LabelSelector;
      readonly podSelector?: LabelSelector;
    }
  | { readonly kind: 'ipBlock'; readonly ipBlock: IPBlock };

/** An ingress or egress rule. `peers`/`ports` of 'any' stand for a missing or empty list (matches all). */
export interface PolicyRule {
  readonly peers: 'any' | readonly PolicyPeer[];
  readonly ports: 'any' | readonly PolicyPort[];
}

export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  /** Effective policy types: declared, or defaulted (Ingress always, Egress when egress rules exist). */
  readonly policyTypes: readonly PolicyType[];
  /** Whether `spec.policyTypes` was written in the input (the editor's "Default" is false). */
  readonly policyTypesDeclared: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly location?: SourceLocation;
}

/** The tiers of admin network policy (sig-network's network-policy-api). */
export type AdminTier = 'Admin' | 'Baseline';

/**
 * An admin rule's action. v1alpha1's `Allow` is read as `Accept`. Accept and Deny end the evaluation
 * of the side; Pass skips the rest of the tier (Admin → NetworkPolicy; Baseline → default allow).
 */
export type AdminAction = 'Accept' | 'Deny' | 'Pass';

/** The API objects that compile to an admin-tier policy; legacy v1alpha1 kinds keep their kind for display. */
export type AdminPolicyKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** Pods in namespaces matching `namespaceSelector` whose labels match `podSelector`. */
export interface NamespacedPodSelector {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** Which pods an admin policy applies to: every pod of matching namespaces, or selected pods. */
export type AdminSubject =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | ({ readonly kind: 'pods' } & NamespacedPodSelector);

/**
 * One peer of an admin rule. `networks` are CIDRs (egress only) that match pod IPs as well as external
 * addresses. `nodes` and `domainNames` (egress only, experimental channel) are kept for display: netglass
 * cannot know node IPs or DNS answers, so verdicts they could decide are `unknown`. `unrecognized` is a
 * peer with no field netglass knows (a newer API field): it fails closed (an Accept rule matches nothing
 * through it, a Deny or Pass rule matches everything).
 */
export type AdminPeer =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | ({ readonly kind: 'pods' } & NamespacedPodSelector)
  | { readonly kind: 'networks'; readonly cidrs: readonly string[] }
  | { readonly kind: 'nodes'; readonly nodeSelector: LabelSelector }
  | { readonly kind: 'domainNames'; readonly domainNames: readonly string[] }
  | { readonly kind: 'unrecognized'; readonly fields: readonly string[] };

/**
 * One entry of a rule's `protocols` (v1alpha2) or `ports` (v1alpha1): a protocol with every port, a port,
 * an inclusive range, or a named container port of the destination pod (any protocol).
 */
export type AdminPort =
  | { readonly kind: 'port'; readonly protocol: Protocol; readonly port?: number; readonly endPort?: number }
  | { readonly kind: 'named'; readonly name: string };

/** An admin rule. `ports` of 'any' stands for a missing list (every port of every protocol). */
export interface AdminRule {
  readonly name?: string;
  readonly action: AdminAction;
  readonly peers: readonly AdminPeer[];
  readonly ports: 'any' | readonly AdminPort[];
}

/**
 * A cluster-scoped admin policy: ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) or a legacy
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1), normalized to one form. Within a tier,
 * lower `priority` goes first; rules go in written order and the first match decides. Unlike a
 * NetworkPolicy, selecting a pod does not isolate it.
 */
export interface ClusterNetworkPolicy {
  readonly kind: AdminPolicyKind;
  readonly apiVersion: string;
  readonly name: string;
  readonly tier: AdminTier;
  /** 0..1000 (lower goes first); a BaselineAdminNetworkPolicy, which has none, gets 1000. */
  readonly priority: number;
  readonly subject: AdminSubject;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly location?: SourceLocation;
}

/** Cilium's policy kinds (cilium.io/v2): namespaced and cluster-wide. */
export type CiliumPolicyKind = 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';

/** Cilium's entities: peers named by what they are rather than by labels or addresses. */
export type CiliumEntity =
  | 'all'
  | 'world'
  | 'world-ipv4'
  | 'world-ipv6'
  | 'cluster'
  | 'host'
  | 'remote-node'
  | 'kube-apiserver'
  | 'ingress'
  | 'init'
  | 'health'
  | 'unmanaged';

export const CILIUM_ENTITIES: readonly CiliumEntity[] = [
  'all',
  'world',
  'world-ipv4',
  'world-ipv6',
  'cluster',
  'host',
  'remote-node',
  'kube-apiserver',
  'ingress',
  'init',
  'health',
  'unmanaged',
];

/**
 * One peer of a Cilium rule, normalized. `endpoints` selectors are already scoped: Cilium's namespace
 * label (`k8s:io.kubernetes.pod.namespace`) became a namespaceSelector on `kubernetes.io/metadata.name`,
 * `io.cilium.k8s.namespace.labels.*` keys became namespace labels, and a CiliumNetworkPolicy's selector
 * naming no namespace got the policy's own. `cidr` peers match addresses outside the cluster only
 * (Cilium's default policy-cidr-match-mode). `fqdn` and `service` peers depend on DNS answers and
 * Service endpoints netglass does not see: traffic they could allow is *conditional*. `unsupported` is a
 * field netglass does not model (fromNodes, fromGroups, fromRequires, a reserved label): it matches
 * nothing, with a warning at load.
 */
export type CiliumPeer =
  | {
      readonly kind: 'endpoints';
      readonly namespaceSelector: LabelSelector;
      readonly podSelector: LabelSelector;
    }
  | { readonly kind: 'entity'; readonly entity: CiliumEntity }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] }
  | { readonly kind: 'fqdn'; readonly pattern: string }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'unsupported'; readonly field: string };

/** One port of a Cilium `toPorts[].ports` entry; `ANY` was expanded to TCP, UDP and SCTP at load. */
export interface CiliumPort {
  readonly protocol: Protocol;
  /** A number or a named container port; absent (or 0 as written) = every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** One `toPorts` entry: its ports ('any': none listed) and, when it has L7 rules, what they filter. */
export interface CiliumPortRule {
  readonly ports: 'any' | readonly CiliumPort[];
  /** "HTTP GET /api", "DNS *.example.com", ...: the entry allows only requests these rules accept. */
  readonly l7?: string;
}

/**
 * A Cilium ingress/egress (allow or deny) rule. `peers`: 'all' when the rule names no peer but has
 * toPorts (any peer on those ports), 'none' for an empty rule `{}` (it matches nothing: the usual way to
 * write default deny), else one kind of peer (Cilium refuses mixing fromEndpoints, fromCIDR, ...).
 */
export interface CiliumRule {
  readonly peers: 'all' | 'none' | readonly CiliumPeer[];
  /** The field the peers came from (`fromEndpoints`, `toCIDRSet`, ...), for explanations. */
  readonly peerField?: string;
  readonly toPorts: 'any' | readonly CiliumPortRule[];
}

/** One rule of a Cilium policy (`spec`, or one entry of `specs`). */
export interface CiliumSpec {
  /** The endpoints it applies to; undefined for a nodeSelector (host policy, not evaluated). */
  readonly subject: NamespacedPodSelector | undefined;
  readonly ingress: readonly CiliumRule[];
  readonly ingressDeny: readonly CiliumRule[];
  readonly egress: readonly CiliumRule[];
  readonly egressDeny: readonly CiliumRule[];
  /**
   * Whether selecting an endpoint puts it in default deny, per direction: `enableDefaultDeny` as
   * written, else true for a direction with (allow or deny) rules.
   */
  readonly defaultDeny: { readonly ingress: boolean; readonly egress: boolean };
  readonly description?: string;
}

/**
 * A CiliumNetworkPolicy (namespaced) or CiliumClusterwideNetworkPolicy, normalized. Its rules live in
 * the NetworkPolicy tier: deny rules beat every allow of that tier, allows add up with NetworkPolicy
 * allows, and selecting a pod isolates it per `defaultDeny`.
 */
export interface CiliumPolicy {
  readonly kind: CiliumPolicyKind;
  readonly apiVersion: string;
  /** The namespace of a CiliumNetworkPolicy; undefined for a cluster-wide one. */
  readonly namespace?: string;
  readonly name: string;
  readonly specs: readonly CiliumSpec[];
  /** Whether the object used `specs` (a list) rather than `spec`, so indexes are shown as written. */
  readonly multi: boolean;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly location?: SourceLocation;
}

/** Calico's policy kinds (projectcalico.org/v3, or the crd.projectcalico.org/v1 storage form). */
export type CalicoPolicyKind =
  'NetworkPolicy' | 'GlobalNetworkPolicy' | 'StagedNetworkPolicy' | 'StagedGlobalNetworkPolicy';

/** A Calico rule's action: Allow and Deny end the evaluation, Pass jumps to the next tier, Log goes on. */
export type CalicoAction = 'Allow' | 'Deny' | 'Log' | 'Pass';

/** One entry of a Calico `ports`/`notPorts` list: a port, an inclusive range `a:b`, or a named port. */
export type CalicoPort =
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly name: string };

/**
 * A rule's `source` or `destination`. Selectors are Calico selector expressions, kept as written (the
 * evaluator parses them; the reader checked that they parse). Every field present must match (AND).
 */
export interface CalicoEntityRule {
  readonly selector?: string;
  readonly notSelector?: string;
  readonly namespaceSelector?: string;
  readonly nets: readonly string[];
  readonly notNets: readonly string[];
  readonly ports: readonly CalicoPort[];
  readonly notPorts: readonly CalicoPort[];
  /** `serviceAccounts`: names and/or a selector over service account labels, which netglass does not read. */
  readonly serviceAccounts?: { readonly names: readonly string[]; readonly selector?: string };
  /** `services`: a Service whose endpoints netglass does not read. */
  readonly services?: { readonly name: string; readonly namespace?: string };
}

/**
 * The protocol a Calico rule matches: one netglass models, or another (ICMP, UDPLite, a number) that
 * no TCP/UDP/SCTP connection is.
 */
export type CalicoProtocol = Protocol | { readonly other: string };

export interface CalicoRule {
  readonly action: CalicoAction;
  readonly protocol?: CalicoProtocol;
  readonly notProtocol?: CalicoProtocol;
  readonly source: CalicoEntityRule;
  readonly destination: CalicoEntityRule;
  /** Set when the rule has an `http` match (methods/paths): it allows only those requests. */
  readonly http?: string;
  /** Set when the rule has an `icmp`/`notICMP` match or an `ipVersion`, as written (for messages). */
  readonly other?: string;
}

/**
 * A Calico NetworkPolicy (namespaced) or GlobalNetworkPolicy, normalized. `name` is without the
 * `<tier>.` prefix that Calico before 3.32 required (`writtenName` keeps what was written). Staged
 * kinds are what-if drafts: listed, never enforced.
 */
export interface CalicoPolicy {
  readonly kind: CalicoPolicyKind;
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly name: string;
  readonly writtenName: string;
  readonly tier: string;
  /** Lower goes first; absent = after every ordered policy of the tier. */
  readonly order?: number;
  readonly selector: string;
  readonly namespaceSelector?: string;
  readonly serviceAccountSelector?: string;
  readonly types: readonly PolicyType[];
  /** Whether `types` was written (else defaulted as Calico does from the rules present). */
  readonly typesDeclared: boolean;
  readonly ingress: readonly CalicoRule[];
  readonly egress: readonly CalicoRule[];
  /** A Staged* kind: a draft, not enforced. */
  readonly staged: boolean;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly location?: SourceLocation;
}

/** A Calico Tier: the order it is read in (absent = last) and what happens when its policies take no action. */
export interface CalicoTier {
  readonly name: string;
  readonly order?: number;
  readonly defaultAction: 'Deny' | 'Pass';
  readonly location?: SourceLocation;
}

/** A Calico NetworkSet (namespaced) or GlobalNetworkSet: labelled CIDRs that rule selectors match. */
export interface CalicoNetworkSet {
  readonly kind: 'NetworkSet' | 'GlobalNetworkSet';
  readonly namespace?: string;
  readonly name: string;
  readonly labels: Labels;
  readonly nets: readonly string[];
  readonly location?: SourceLocation;
}

export type IssueSeverity = 'error' | 'warning' | 'info';

/**
 * A problem found while loading input. Errors mean something was not loaded as written; the rest of
 * the input still loads and the issues travel with the snapshot.
 */
export interface LoadIssue {
  readonly severity: IssueSeverity;
  readonly message: string;
  readonly location?: SourceLocation;
  /** The field, as a path into the object (`spec.ingress[0].ports[1].endPort`). */
  readonly field?: string;
  /** The object concerned (`NetworkPolicy shop/allow-web`). */
  readonly object?: string;
  /** What the issue is about, for tools that act on it (lint reports these as findings). */
  readonly detail?: LoadIssueDetail;
}

/**
 * Machine-readable kinds of load issue. Two are addresses Kubernetes 1.36's strict IP/CIDR validation
 * refuses in new objects (existing ones are kept): a CIDR with host bits set, and an IPv4 address with a
 * leading zero in an octet (read as decimal by the API server, as octal by some other tools). The third
 * is a kind one slip away from one netglass reads (`NetworkPolicyy`): skipped, it changes no verdict.
 */
export type LoadIssueDetail =
  | { readonly kind: 'cidr-host-bits'; readonly written: string; readonly canonical: string }
  | { readonly kind: 'ip-leading-zero'; readonly written: string }
  | { readonly kind: 'unknown-kind'; readonly written: string; readonly meant: string };

export type SnapshotSource =
  | { readonly kind: 'demo' }
  | { readonly kind: 'manifests'; readonly paths: readonly string[] }
  /** Files dropped on the window (their names; their text is on the Node side). */
  | { readonly kind: 'dropped'; readonly files: readonly string[] }
  | { readonly kind: 'cluster'; readonly context: string; readonly server: string };

/**
 * What a live source could not read, because RBAC forbids it. Verdicts that depend on unread objects
 * are `unknown`, never `allowed` or `denied` by omission. Manifests and the demo read everything.
 */
export interface Visibility {
  /** Namespaces whose NetworkPolicies could not be listed, or 'all'. */
  readonly policiesUnreadable: 'all' | readonly string[];
  /** Namespaces whose Pods could not be listed, or 'all'. Unread pods are simply absent from the view. */
  readonly podsUnreadable: 'all' | readonly string[];
  /** Namespaces could not be listed: their labels are unknown (only their names, from other objects). */
  readonly namespacesUnreadable: boolean;
  /**
   * Admin network policies (ClusterNetworkPolicy, or legacy AdminNetworkPolicy /
   * BaselineAdminNetworkPolicy) exist as an API but could not be listed. Any side may then be decided by
   * an unread admin rule. Absent or false: read (or not installed, which means there are none).
   */
  readonly clusterPoliciesUnreadable?: boolean;
}

/**
 * The CNI whose behaviour the analysis assumes where the NetworkPolicy spec leaves room (whether ipBlock
 * matches pod and node addresses, whether pod selectors see host-network pods, which policy kinds are
 * enforced): see shared/eval/cni.ts. `upstream` is what Kubernetes' own network policy tests expect.
 */
export type CniName = 'upstream' | 'generic' | 'calico' | 'cilium' | 'antrea' | 'ovn-kubernetes';

export const CNI_NAMES: readonly CniName[] = [
  'upstream',
  'generic',
  'calico',
  'cilium',
  'antrea',
  'ovn-kubernetes',
];

/** Cilium's `policy-cidr-match-mode`: which in-cluster addresses its CIDR rules (and ipBlock) match. */
export type CiliumCidrMatch = 'nodes' | 'pods';

export interface CniProfile {
  readonly cni: CniName;
  /** Cilium only: the agent's policy-cidr-match-mode (absent or empty: Cilium's default, neither). */
  readonly ciliumCidrMatch?: readonly CiliumCidrMatch[];
  /** How the profile was chosen: detected from the cluster's objects, or chosen by a person or a flag. */
  readonly origin?: 'detected' | 'chosen';
}

export interface Snapshot {
  readonly source: SnapshotSource;
  /** The CNI behaviour assumed (absent: `upstream`). */
  readonly cni?: CniProfile;
  /** Absent: everything was read. */
  readonly visibility?: Visibility;
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly policies: readonly NetworkPolicy[];
  /** Admin-tier policies (cluster-scoped), every kind normalized to one form. */
  readonly clusterPolicies: readonly ClusterNetworkPolicy[];
  /** CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies (absent: none). */
  readonly ciliumPolicies?: readonly CiliumPolicy[];
  /** Calico NetworkPolicies / GlobalNetworkPolicies, staged ones included (absent: none). */
  readonly calicoPolicies?: readonly CalicoPolicy[];
  /** Calico Tiers declared in the input (absent: none; the `default` tier always exists). */
  readonly calicoTiers?: readonly CalicoTier[];
  /** Calico NetworkSets / GlobalNetworkSets (absent: none). */
  readonly calicoNetworkSets?: readonly CalicoNetworkSet[];
  readonly issues: readonly LoadIssue[];
  /** Objects of kinds netglass does not model, counted per kind. */
  readonly skippedKinds: Readonly<Record<string, number>>;
}

export function podKey(pod: { readonly namespace: string; readonly name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

export const policyKey = podKey;

/**
 * The key of an admin policy wherever policies are named: a ClusterNetworkPolicy by its name (it is
 * cluster-scoped, so no slash), a legacy v1alpha1 object as `Kind:name` (a colon is never part of a
 * Kubernetes name, so keys of every kind stay distinct from each other and from `namespace/name`).
 */
export function clusterPolicyKey(policy: { readonly kind: AdminPolicyKind; readonly name: string }): string {
  return policy.kind === 'ClusterNetworkPolicy' ? policy.name : `${policy.kind}:${policy.name}`;
}

/** Whether a policy key names an admin-tier policy rather than a NetworkPolicy (`namespace/name`). */
export function isClusterPolicyKey(key: string): boolean {
  return !key.includes('/');
}

/** The label every namespace carries since Kubernetes 1.21. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The key of a Cilium policy wherever policies are named: `CiliumNetworkPolicy:namespace/name` or
 * `CiliumClusterwideNetworkPolicy:name` (the kind prefix keeps them apart from NetworkPolicies and admin
 * policies of the same name).
 */
export function ciliumPolicyKey(policy: {
  readonly kind: CiliumPolicyKind;
  readonly namespace?: string;
  readonly name: string;
}): string {
  return policy.namespace !== undefined
    ? `${policy.kind}:${policy.namespace}/${policy.name}`
    : `${policy.kind}:${policy.name}`;
}

export function isCiliumPolicyKey(key: string): boolean {
  return key.startsWith('CiliumNetworkPolicy:') || key.startsWith('CiliumClusterwideNetworkPolicy:');
}

/** A Calico NetworkSet's or GlobalNetworkSet's key: `NetworkSet:<namespace>/<name>`, `GlobalNetworkSet:/<name>`. */
export function calicoNetworkSetKey(set: {
  readonly kind: CalicoNetworkSet['kind'];
  readonly namespace?: string;
  readonly name: string;
}): string {
  return `${set.kind}:${set.namespace ?? ''}/${set.name}`;
}

/**
 * The key of a Calico policy wherever policies are named: `Calico:GlobalNetworkPolicy/tier.name` or
 * `Calico:NetworkPolicy/namespace/tier.name` (the prefix keeps them apart from Kubernetes
 * NetworkPolicies, whose keys are `namespace/name`; the slash keeps them from reading as admin keys).
 */
export function calicoPolicyKey(policy: {
  readonly kind: CalicoPolicyKind;
  readonly namespace?: string;
  readonly tier: string;
  readonly name: string;
}): string {
  const ns = policy.namespace !== undefined ? `${policy.namespace}/` : '';
  return `Calico:${policy.kind}/${ns}${policy.tier}.${policy.name}`;
}

export function isCalicoPolicyKey(key: string): boolean {
  return key.startsWith('Calico:');
}
