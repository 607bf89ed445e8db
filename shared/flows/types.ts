/**
 * Observed traffic, normalized: what the flow readers (Hubble, Calico) produce and what mapping,
 * comparison and the policy generator read. Plain data (JSON-safe), like the snapshot model.
 */
import type { Labels, Protocol } from '../model/snapshot.ts';

export type FlowFormat = 'hubble' | 'calico';

/** Where a record came from, for messages: 1-based line of the file (or of the document's start). */
export interface FlowLocation {
  readonly file: string;
  readonly line: number;
}

/**
 * What the CNI says an endpoint is. `workload`: a pod (by name, or a Calico workload aggregate);
 * `world`: outside the cluster; `host`: a node (host, remote node, kube-apiserver); `network-public` /
 * `network-private`: Calico's "pub"/"pvt" networks, reported without an address; `other`: an entity
 * that no NetworkPolicy can name (Calico NetworkSet, HostEndpoint, Cilium reserved identities such as
 * health or ingress).
 */
export type EndpointEntity = 'workload' | 'world' | 'host' | 'network-public' | 'network-private' | 'other';

export interface FlowEndpoint {
  readonly entity: EndpointEntity;
  readonly namespace?: string;
  readonly podName?: string;
  /** Calico's aggregated workload name (pods sharing a generateName: `api-7d9f8c-*`). */
  readonly aggregatedName?: string;
  /** Kubernetes labels of the pod (CNI-internal labels removed). */
  readonly labels?: Labels;
  /**
   * Hubble's labels as written (`k8s:app=web`, `reserved:world`): read into `labels` only when the
   * name and the address both fail to find the pod, which keeps a million records cheap.
   */
  readonly ciliumLabels?: readonly string[];
  readonly ip?: string;
  /** The CNI's own name for an `other` entity (`reserved:health`, `NetworkSet ns/name`). */
  readonly detail?: string;
}

/**
 * What happened to the traffic:
 * - `allowed`: forwarded (Hubble FORWARDED/REDIRECTED, Calico Allow);
 * - `denied`: dropped by a policy (Hubble DROPPED with a policy drop reason, Calico Deny);
 * - `audit`: let through but a policy in audit/staged mode would drop it (Hubble AUDIT, Calico Allow
 *   whose pending trace ends in Deny);
 * - `dropped-other`: dropped for a reason that is not a policy (not compared with policies).
 */
export type ObservedOutcome = 'allowed' | 'denied' | 'audit' | 'dropped-other';

/** A policy the CNI named for a record: Hubble `*_allowed_by`/`*_denied_by`, a Calico trace hit. */
export interface ObservedPolicy {
  /** As the CNI spells it: NetworkPolicy, CiliumNetworkPolicy, CalicoNetworkPolicy, EndOfTier, ... */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Calico tier. */
  readonly tier?: string;
  readonly action: 'allow' | 'deny' | 'pass' | 'unknown';
  /** A Calico pending (staged) hit rather than an enforced one. */
  readonly pending?: boolean;
}

export interface FlowRecord {
  readonly format: FlowFormat;
  readonly source: FlowEndpoint;
  readonly destination: FlowEndpoint;
  readonly protocol: Protocol;
  /** Destination port. */
  readonly port: number;
  readonly outcome: ObservedOutcome;
  readonly policies: readonly ObservedPolicy[];
  /** Hubble `drop_reason_desc` for drops. */
  readonly dropReason?: string;
  /** Where the verdict was taken (Hubble traffic_direction, Calico reporter Src = egress, Dst = ingress). */
  readonly direction?: 'ingress' | 'egress';
  /** Milliseconds since the epoch: the record's time (Calico: start and end of its aggregation window). */
  readonly start?: number;
  readonly end?: number;
  /** How many connections or events the record stands for (Calico aggregates; Hubble: 1). */
  readonly count: number;
}

/**
 * Records read but not compared, by why: `reply` (the answer of an allowed connection), `l7` (an L7
 * record: its L3/L4 record carries the verdict), `non-ip` (ARP and the like), `icmp` (NetworkPolicy has
 * no ICMP rules), `unsupported-protocol`, `trace` (Hubble TRACED/TRANSLATED observation points and
 * other verdicts that decide nothing), `error` (Hubble ERROR), `not-a-flow` (agent events, node
 * status, lost-event notices), `pass` (a Calico Pass without a final action).
 */
export type SkipReason =
  'reply' | 'l7' | 'non-ip' | 'icmp' | 'unsupported-protocol' | 'trace' | 'error' | 'not-a-flow' | 'pass';

export type RecordParse =
  | { readonly kind: 'record'; readonly record: FlowRecord }
  | { readonly kind: 'skip'; readonly reason: SkipReason }
  | { readonly kind: 'error'; readonly message: string; readonly field?: string };

/** A line (or document item) that is not a flow record of a known format. */
export interface FlowReadError {
  readonly location: FlowLocation;
  readonly message: string;
  readonly field?: string;
}

export interface FlowReadStats {
  /** Non-empty lines (or document items) read. */
  readonly lines: number;
  /** Records taken into the comparison, per format. */
  readonly records: Readonly<Record<FlowFormat, number>>;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  /** Every error counted; `errors` in the result keeps the first few. */
  readonly errorCount: number;
}
