/**
 * The admin tiers of the oracle (ClusterNetworkPolicy and the legacy AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy, normalized in the model), transcribed from the API's Go type docs
 * (sigs.k8s.io/network-policy-api apis/v1beta1) and site-src/api-overview.md, one connection at a time:
 *
 * - a policy applies to a pod its subject holds (`namespaces`: every pod of matching namespaces;
 *   `pods`: namespaceSelector AND podSelector); host-networked pods are never held;
 * - within a tier, policies go by ascending priority and rules in written order; the first rule whose
 *   peers and ports match decides: Accept, Deny, or Pass (skip the rest of this tier);
 * - peers: `namespaces` / `pods` never match host-networked pods nor addresses; `networks` match
 *   addresses and pod IPs (host-networked pods' too); `domainNames` never match a pod and, against an
 *   address, match or not depending on DNS answers netglass does not have: 'unknown'; `nodes` "selects
 *   the nodeIPs": never a pod on the pod network; an address may or may not be a selected node's
 *   ('unknown'); a host-networked pod has its node's IP, so an empty nodeSelector (every node) matches
 *   it and any other selector may ('unknown': netglass has no Node objects);
 * - a peer with no field netglass knows fails closed as the API says: "For Accept rules, treat the rule
 *   as matching no traffic. For Deny and Pass rules, treat the rule as a 'Deny all' rule";
 * - ports: none listed = every port of every protocol; a protocol alone = all its ports; a number; an
 *   inclusive range; a named container port of the destination pod (with that port's protocol);
 * - "If two (or more) policies in the same tier with the same priority could match a connection, then
 *   the implementation can apply any of the matching policies": every order of equal priorities is
 *   walked, and the tier's possible outcomes are those of every order.
 *
 * Uncertainty is handled by listing every path the tier may take (each unknown rule match taken both
 * ways, independently of the others; every order of equal priorities), never by reasoning about classes
 * or bitsets.
 */
import {
  clusterPolicyKey,
  type AdminAction,
  type AdminPeer,
  type AdminPort,
  type AdminRule,
  type AdminTier,
  type ClusterNetworkPolicy,
  type LabelSelector,
  type Pod,
  type Protocol,
  type Snapshot,
} from '../../shared/model/snapshot.ts';
import { all, any, inCidr, labelsMatch, namespaceMatches, type OraclePeer, type Tri } from './basics.ts';

export type Direction = 'Ingress' | 'Egress';

/** Does the policy's subject hold `pod`? Host-networked pods are never held. */
export function subjectHolds(snapshot: Snapshot, policy: ClusterNetworkPolicy, pod: Pod): Tri {
  if (pod.hostNetwork) return false;
  const s = policy.subject;
  const ns = namespaceMatches(snapshot, s.namespaceSelector, pod.namespace);
  return s.kind === 'namespaces' ? ns : all([ns, labelsMatch(s.podSelector, pod.labels)]);
}

function selectsEverything(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

/** Does one (recognized) peer match the other end of the connection? */
export function adminPeerMatches(snapshot: Snapshot, peer: AdminPeer, other: OraclePeer): Tri {
  switch (peer.kind) {
    case 'namespaces':
      if (other.kind === 'external' || other.pod.hostNetwork) return false;
      return namespaceMatches(snapshot, peer.namespaceSelector, other.pod.namespace);
    case 'pods':
      if (other.kind === 'external' || other.pod.hostNetwork) return false;
      return all([
        namespaceMatches(snapshot, peer.namespaceSelector, other.pod.namespace),
        labelsMatch(peer.podSelector, other.pod.labels),
      ]);
    case 'networks': {
      const ips = other.kind === 'external' ? [other.ip] : other.pod.ips;
      return ips.some((ip) => peer.cidrs.some((c) => inCidr(ip, c)));
    }
    case 'nodes':
      // "It selects the nodeIPs as the peer type": an address may be a node's, and a host-networked pod
      // has its node's IP (the upstream conformance suite reaches host-network pods through `nodes`
      // peers); which node, with which labels, netglass does not know. A pod IP is never a node IP.
      if (other.kind === 'external') return 'unknown';
      if (!other.pod.hostNetwork) return false;
      // An empty selector selects every node, so surely the one this pod runs on.
      return selectsEverything(peer.nodeSelector) ? true : 'unknown';
    case 'domainNames':
      return other.kind === 'external' ? 'unknown' : false;
    case 'unrecognized':
      throw new Error('oracle: an unrecognized peer is decided at the rule (fail closed)');
  }
}

export function adminPortMatches(
  entry: AdminPort,
  protocol: Protocol,
  port: number,
  dst: OraclePeer,
): boolean {
  if (entry.kind === 'named') {
    if (dst.kind !== 'pod') return false;
    return dst.pod.ports.some(
      (p) => p.name === entry.name && p.protocol === protocol && p.containerPort === port,
    );
  }
  if (entry.protocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (entry.endPort === undefined) return port === entry.port;
  return entry.port <= port && port <= entry.endPort;
}

/** Whether a rule matches the connection, and the action it then takes. */
export function adminRuleApplies(
  snapshot: Snapshot,
  rule: AdminRule,
  other: OraclePeer,
  protocol: Protocol,
  port: number,
  dst: OraclePeer,
): { readonly matches: Tri; readonly action: AdminAction } {
  if (rule.peers.some((p) => p.kind === 'unrecognized')) {
    // Fail closed, the whole rule (its other peers and its ports too): an Accept matches nothing, a
    // Deny or Pass becomes a "Deny all".
    return rule.action === 'Accept'
      ? { matches: false, action: 'Accept' }
      : { matches: true, action: 'Deny' };
  }
  const peerOk = any(rule.peers.map((p) => adminPeerMatches(snapshot, p, other)));
  const portOk = rule.ports === 'any' || rule.ports.some((p) => adminPortMatches(p, protocol, port, dst));
  return { matches: all([peerOk, portOk]), action: rule.action };
}

/** The rule that decided a tier: its policy key, its index as written, and the action it took. */
export interface AdminDecision {
  readonly policy: string;
  readonly rule: number;
  readonly action: AdminAction;
}

/**
 * One way a tier may come out for a connection: Accept, Deny, or Fall (a Pass, or no rule matched: the
 * next tier decides), with the rule that matched, if any. `hidden`: decided by unread admin policies.
 */
export interface TierPath {
  readonly outcome: 'Accept' | 'Deny' | 'Fall';
  readonly decision?: AdminDecision;
  readonly hidden?: true;
}

function rulesOf(policy: ClusterNetworkPolicy, direction: Direction): readonly AdminRule[] {
  return direction === 'Egress' ? policy.egress : policy.ingress;
}

/** Every order of `xs`. */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) =>
    permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

/** Every order of the policies that ascending priority allows (equal priorities in any order). */
export function priorityOrders(policies: readonly ClusterNetworkPolicy[]): ClusterNetworkPolicy[][] {
  const priorities = [...new Set(policies.map((p) => p.priority))].sort((a, b) => a - b);
  let orders: ClusterNetworkPolicy[][] = [[]];
  for (const priority of priorities) {
    const group = permutations(policies.filter((p) => p.priority === priority));
    orders = orders.flatMap((prefix) => group.map((g) => [...prefix, ...g]));
  }
  return orders;
}

/**
 * Every path one tier may take for one side of a connection: egress at the source (`subject` = the
 * source pod, `other` = the destination) or ingress at the destination.
 */
export function tierPaths(
  snapshot: Snapshot,
  tier: AdminTier,
  direction: Direction,
  subject: Pod,
  other: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): TierPath[] {
  const candidates = snapshot.clusterPolicies.filter(
    (p) => p.tier === tier && subjectHolds(snapshot, p, subject) !== false,
  );
  const paths = new Map<string, TierPath>();
  const add = (path: TierPath): void => void paths.set(JSON.stringify(path), path);

  const walk = (order: readonly ClusterNetworkPolicy[], i: number, r: number): void => {
    const policy = order[i];
    if (!policy) return add({ outcome: 'Fall' });
    if (r === 0 && subjectHolds(snapshot, policy, subject) === 'unknown') walk(order, i + 1, 0); // may not apply
    const rule = rulesOf(policy, direction)[r];
    if (!rule) return walk(order, i + 1, 0);
    const { matches, action } = adminRuleApplies(snapshot, rule, other, protocol, port, dst);
    if (matches !== false) {
      const decision = { policy: clusterPolicyKey(policy), rule: r, action };
      add({ outcome: action === 'Pass' ? 'Fall' : action, decision });
    }
    if (matches !== true) walk(order, i, r + 1);
  };
  for (const order of priorityOrders(candidates)) walk(order, 0, 0);

  if (snapshot.visibility?.clusterPoliciesUnreadable) {
    // An unread policy of this tier may come first and decide anything.
    for (const outcome of ['Accept', 'Deny', 'Fall'] as const) add({ outcome, hidden: true });
  }
  return [...paths.values()];
}

/**
 * The admin policies of a tier whose subject surely holds `pod` and that have rules in `direction`,
 * by ascending priority (equal priorities by key: their order is not defined).
 */
export function adminPoliciesFor(
  snapshot: Snapshot,
  tier: AdminTier,
  pod: Pod,
  direction: Direction,
): ClusterNetworkPolicy[] {
  return snapshot.clusterPolicies
    .filter(
      (p) => p.tier === tier && rulesOf(p, direction).length > 0 && subjectHolds(snapshot, p, pod) === true,
    )
    .sort((a, b) => a.priority - b.priority || (clusterPolicyKey(a) < clusterPolicyKey(b) ? -1 : 1));
}
