/**
 * Cilium policies in the oracle, one connection at a time, transcribed from Cilium's documentation
 * (docs.cilium.io "Policy enforcement modes", "Layer 3 / Layer 4 / Layer 7 examples", "Deny policies",
 * the CRD field docs of EnableDefaultDeny), not from shared/eval:
 *
 * - a rule (`spec` / `specs[i]`) applies to the pods its endpointSelector holds (the model's
 *   namespaceSelector AND podSelector); host-networked pods are never Cilium endpoints;
 * - "Deny policies take precedence over allow policies, regardless of whether they are a Cilium Network
 *   Policy, a Clusterwide Cilium Network Policy or even a Kubernetes Network Policy": a matching deny
 *   rule denies the side; else a matching allow rule allows it; else the NetworkPolicy tier's isolation
 *   decides, where "If any rule selects an endpoint and the rule has an ingress section, the endpoint
 *   goes into default deny at ingress" unless the rule sets enableDefaultDeny false;
 * - peers: endpoints = pods on the pod network; `world` = addresses outside the cluster; `cluster` =
 *   every pod (host-networked ones are the cluster's nodes); `all` = anything; `host` / `remote-node`:
 *   a host-networked pod is one or the other, which one netglass cannot know ('unknown' unless the rule
 *   names both); `kube-apiserver`: its addresses are unknown ('unknown' for an address or a node);
 *   CIDRs match addresses outside the cluster only (policy-cidr-match-mode default); DNS names and
 *   Services are 'unknown' (conditional in the engine);
 * - ports: none = every port; a toPorts entry with L7 rules matches 'unknown' (the engine calls it
 *   conditional: only the requests the L7 rules accept pass);
 * - a rule `{}` matches nothing; a rule with toPorts and no peer matches every peer on those ports.
 */
import {
  ciliumPolicyKey,
  type CiliumPeer,
  type CiliumPolicy,
  type CiliumRule,
  type CiliumSpec,
  type Pod,
  type Protocol,
  type Snapshot,
} from '../../shared/model/snapshot.ts';
import { all, any, inCidr, labelsMatch, namespaceMatches, type OraclePeer, type Tri } from './basics.ts';
import type { Direction } from './admin.ts';

export function ciliumSubjectHolds(snapshot: Snapshot, spec: CiliumSpec, pod: Pod): Tri {
  if (!spec.subject || pod.hostNetwork) return false;
  return all([
    namespaceMatches(snapshot, spec.subject.namespaceSelector, pod.namespace),
    labelsMatch(spec.subject.podSelector, pod.labels),
  ]);
}

function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

function peerMatches(snapshot: Snapshot, peer: CiliumPeer, rule: CiliumRule, other: OraclePeer): Tri {
  switch (peer.kind) {
    case 'endpoints':
      if (other.kind === 'external' || other.pod.hostNetwork) return false;
      return all([
        namespaceMatches(snapshot, peer.namespaceSelector, other.pod.namespace),
        labelsMatch(peer.podSelector, other.pod.labels),
      ]);
    case 'cidr':
      return (
        other.kind === 'external' &&
        inCidr(other.ip, peer.cidr) &&
        !peer.except.some((e) => inCidr(other.ip, e))
      );
    case 'fqdn':
      return other.kind === 'external' ? 'unknown' : false;
    case 'service':
      return other.kind === 'external' || !other.pod.hostNetwork ? 'unknown' : false;
    case 'unsupported':
      return false;
    case 'entity':
      switch (peer.entity) {
        case 'all':
          return true;
        case 'world':
          return other.kind === 'external';
        case 'world-ipv4':
          return other.kind === 'external' && !isIPv6(other.ip);
        case 'world-ipv6':
          return other.kind === 'external' && isIPv6(other.ip);
        case 'cluster':
          return other.kind === 'pod';
        case 'host':
        case 'remote-node': {
          if (other.kind === 'external' || !other.pod.hostNetwork) return false;
          const both =
            Array.isArray(rule.peers) &&
            (rule.peers as readonly CiliumPeer[]).some(
              (p) => p.kind === 'entity' && p.entity === (peer.entity === 'host' ? 'remote-node' : 'host'),
            );
          return both ? true : 'unknown';
        }
        case 'kube-apiserver':
          return other.kind === 'external' || other.pod.hostNetwork ? 'unknown' : false;
        case 'ingress':
        case 'init':
        case 'health':
        case 'unmanaged':
          return false;
      }
  }
}

function portsMatch(rule: CiliumRule, protocol: Protocol, port: number, dst: OraclePeer): Tri {
  if (rule.toPorts === 'any') return true;
  return any(
    rule.toPorts.map((entry) => {
      const hit =
        entry.ports === 'any' ||
        entry.ports.some((p) => {
          if (p.protocol !== protocol) return false;
          if (p.port === undefined) return true;
          if (typeof p.port === 'string')
            return (
              dst.kind === 'pod' &&
              dst.pod.ports.some(
                (c) => c.name === p.port && c.protocol === protocol && c.containerPort === port,
              )
            );
          return p.endPort === undefined ? port === p.port : p.port <= port && port <= p.endPort;
        });
      if (!hit) return false;
      return entry.l7 !== undefined ? 'unknown' : true;
    }),
  );
}

function ruleMatches(
  snapshot: Snapshot,
  rule: CiliumRule,
  other: OraclePeer,
  protocol: Protocol,
  port: number,
  dst: OraclePeer,
): Tri {
  if (rule.peers === 'none') return false;
  const peerOk =
    rule.peers === 'all' ? true : any(rule.peers.map((p) => peerMatches(snapshot, p, rule, other)));
  return all([peerOk, portsMatch(rule, protocol, port, dst)]);
}

function specs(snapshot: Snapshot): { policy: CiliumPolicy; spec: CiliumSpec }[] {
  return (snapshot.ciliumPolicies ?? []).flatMap((policy) => policy.specs.map((spec) => ({ policy, spec })));
}

/** Cilium rules with default deny in this direction select the pod. */
export function ciliumIsolates(snapshot: Snapshot, pod: Pod, direction: Direction): boolean {
  const d = direction === 'Ingress' ? 'ingress' : 'egress';
  return specs(snapshot).some(
    ({ spec }) => spec.defaultDeny[d] && ciliumSubjectHolds(snapshot, spec, pod) === true,
  );
}

/** Every way the Cilium rules may come out for one side: Deny, Accept, or Fall (to isolation). */
export function ciliumOutcomes(
  snapshot: Snapshot,
  direction: Direction,
  subject: Pod,
  other: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
): ('Deny' | 'Accept' | 'Fall')[] {
  const applying = specs(snapshot).filter(({ spec }) => ciliumSubjectHolds(snapshot, spec, subject) === true);
  const match = (deny: boolean): Tri =>
    any(
      applying.flatMap(({ spec }) =>
        (direction === 'Ingress'
          ? deny
            ? spec.ingressDeny
            : spec.ingress
          : deny
            ? spec.egressDeny
            : spec.egress
        ).map((r) => ruleMatches(snapshot, r, other, protocol, port, dst)),
      ),
    );
  const deny = match(true);
  if (deny === true) return ['Deny'];
  const out: ('Deny' | 'Accept' | 'Fall')[] = deny === 'unknown' ? ['Deny'] : [];
  const allow = match(false);
  if (allow !== false) out.push('Accept');
  if (allow !== true) out.push('Fall');
  return out;
}

/** Whether a (deny or allow) rule of the Cilium policies `keys` (all when undefined) applying to the pod matches. */
export function ciliumRulesMatch(
  snapshot: Snapshot,
  direction: Direction,
  subject: Pod,
  other: OraclePeer,
  dst: OraclePeer,
  protocol: Protocol,
  port: number,
  deny: boolean,
  key?: string,
): Tri {
  const applying = specs(snapshot).filter(
    ({ policy, spec }) =>
      (key === undefined || ciliumPolicyKey(policy) === key) &&
      ciliumSubjectHolds(snapshot, spec, subject) === true,
  );
  return any(
    applying.flatMap(({ spec }) =>
      (direction === 'Ingress'
        ? deny
          ? spec.ingressDeny
          : spec.ingress
        : deny
          ? spec.egressDeny
          : spec.egress
      ).map((r) => ruleMatches(snapshot, r, other, protocol, port, dst)),
    ),
  );
}

/** The keys of the Cilium policies with a default-deny rule in this direction that holds the pod. */
export function ciliumIsolatingKeys(snapshot: Snapshot, pod: Pod, direction: Direction): Set<string> {
  const d = direction === 'Ingress' ? 'ingress' : 'egress';
  return new Set(
    specs(snapshot)
      .filter(({ spec }) => spec.defaultDeny[d] && ciliumSubjectHolds(snapshot, spec, pod) === true)
      .map(({ policy }) => ciliumPolicyKey(policy)),
  );
}
