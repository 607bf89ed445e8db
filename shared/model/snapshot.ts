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
}

export type SnapshotSource =
  | { readonly kind: 'demo' }
  | { readonly kind: 'manifests'; readonly paths: readonly string[] }
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
}

export interface Snapshot {
  readonly source: SnapshotSource;
  /** Absent: everything was read. */
  readonly visibility?: Visibility;
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly policies: readonly NetworkPolicy[];
  readonly issues: readonly LoadIssue[];
  /** Objects of kinds netglass does not model, counted per kind. */
  readonly skippedKinds: Readonly<Record<string, number>>;
}

export function podKey(pod: { readonly namespace: string; readonly name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

export const policyKey = podKey;

/** The label every namespace carries since Kubernetes 1.21. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
