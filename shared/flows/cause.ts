/**
 * Why observed traffic and the evaluated policies disagree: the likely cause of a contradiction, from
 * what the CNI said (the policies it named) and how the evaluator decided. A guess is worded as one.
 */
import type { ConnectionVerdict, SideResult } from '../eval/index.ts';
import {
  calicoPolicyKey,
  ciliumPolicyKey,
  type CalicoPolicyKind,
  type NetworkPolicy,
  type Pod,
} from '../model/snapshot.ts';
import type { ObservedPolicy } from './types.ts';

/**
 * - `unmodelled-cni-policy`: the CNI named a policy outside the analysis: a kind netglass does not
 *   evaluate (Calico profiles, say), or a Cilium or Calico policy the snapshot does not hold;
 * - `policy-changed`: the policies in force when the traffic was seen differ from the snapshot's (a
 *   named policy is missing or its rules say otherwise now), or nothing else explains it;
 * - `cni-semantics`: the CNI reads the same policy differently (ipBlock on pod addresses; a CNI that does
 *   not enforce the admin tiers).
 */
export type CauseKind = 'unmodelled-cni-policy' | 'policy-changed' | 'cni-semantics';

export interface Cause {
  readonly kind: CauseKind;
  readonly detail: string;
}

export interface CauseContext {
  readonly policies: ReadonlyMap<string, NetworkPolicy>;
  readonly clusterPolicyKeys: ReadonlySet<string>;
  /** `ciliumPolicyKey`s of the snapshot's Cilium policies (absent: none). */
  readonly ciliumPolicyKeys?: ReadonlySet<string>;
  /** `calicoPolicyKey`s of the snapshot's Calico policies (absent: none). */
  readonly calicoPolicyKeys?: ReadonlySet<string>;
  readonly pods: ReadonlyMap<string, Pod>;
}

const ADMIN_KINDS = ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'];

/**
 * `cilium`, `calico`: a CNI policy the snapshot holds (evaluated like any other); `cni-missing`: one of
 * those kinds the snapshot does not hold; `cni`: a kind netglass does not evaluate.
 */
type PolicyClass = 'network-policy' | 'admin' | 'cilium' | 'calico' | 'cni-missing' | 'cni' | 'unnamed-kind';

/** Calico's policy kinds as its flow logs name them (their `NetworkPolicy` is Kubernetes'). */
const CALICO_FLOW_KINDS: Readonly<Record<string, CalicoPolicyKind>> = {
  CalicoNetworkPolicy: 'NetworkPolicy',
  GlobalNetworkPolicy: 'GlobalNetworkPolicy',
  StagedNetworkPolicy: 'StagedNetworkPolicy',
  StagedGlobalNetworkPolicy: 'StagedGlobalNetworkPolicy',
};

/** The snapshot key of a Cilium policy the CNI named, when it names one of Cilium's kinds. */
function ciliumKey(p: ObservedPolicy): string | undefined {
  if (p.kind === 'CiliumNetworkPolicy' && p.namespace !== undefined)
    return ciliumPolicyKey({ kind: p.kind, namespace: p.namespace, name: p.name });
  if (p.kind === 'CiliumClusterwideNetworkPolicy') return ciliumPolicyKey({ kind: p.kind, name: p.name });
  return undefined;
}

/** The snapshot key of a Calico policy the CNI named (flow logs may keep the tier in the name). */
function calicoKey(p: ObservedPolicy): string | undefined {
  const kind = CALICO_FLOW_KINDS[p.kind];
  if (kind === undefined) return undefined;
  const global = kind === 'GlobalNetworkPolicy' || kind === 'StagedGlobalNetworkPolicy';
  if (!global && p.namespace === undefined) return undefined;
  const tier = p.tier ?? 'default';
  const name = p.name.startsWith(`${tier}.`) ? p.name.slice(tier.length + 1) : p.name;
  return calicoPolicyKey({ kind, ...(global ? {} : { namespace: p.namespace }), tier, name });
}

function classify(p: ObservedPolicy, ctx: CauseContext): PolicyClass {
  if (p.kind === 'NetworkPolicy') return 'network-policy';
  if (ADMIN_KINDS.some((k) => p.kind.startsWith(k))) return 'admin';
  const cilium = ciliumKey(p);
  if (cilium !== undefined) return ctx.ciliumPolicyKeys?.has(cilium) === true ? 'cilium' : 'cni-missing';
  const calico = calicoKey(p);
  if (calico !== undefined) return ctx.calicoPolicyKeys?.has(calico) === true ? 'calico' : 'cni-missing';
  // Older Cilium agents name the policy without its kind.
  if (p.kind === 'Policy' || p.kind === 'KindUnspecified') return 'unnamed-kind';
  return 'cni';
}

export function observedName(p: ObservedPolicy): string {
  const name = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
  return `${p.kind} ${name}${p.tier !== undefined && p.tier !== 'default' ? ` (tier ${p.tier})` : ''}`;
}

function snapshotHas(p: ObservedPolicy, ctx: CauseContext): boolean {
  const cls = classify(p, ctx);
  if (cls === 'cilium' || cls === 'calico') return true;
  if (cls === 'admin') return ctx.clusterPolicyKeys.has(p.name);
  return p.namespace !== undefined && ctx.policies.has(`${p.namespace}/${p.name}`);
}

function fromCni(
  named: readonly ObservedPolicy[],
  did: 'allowed' | 'denied',
  ctx: CauseContext,
): Cause | undefined {
  const missing = named.filter((p) => classify(p, ctx) === 'cni-missing');
  const other = named.filter((p) => classify(p, ctx) === 'cni');
  if (missing.length + other.length === 0) return undefined;
  const parts: string[] = [];
  if (missing.length > 0) {
    const one = missing.length === 1;
    parts.push(
      `${missing.map(observedName).join(', ')} ${did} it; the snapshot does not hold ${
        one ? 'it' : 'them'
      } (not read, or deleted since?), so netglass did not evaluate ${one ? 'it' : 'them'}`,
    );
  }
  if (other.length > 0) {
    const kinds = [...new Set(other.map((p) => p.kind))].join(', ');
    parts.push(`${other.map(observedName).join(', ')} ${did} it; netglass does not evaluate ${kinds}`);
  }
  return { kind: 'unmodelled-cni-policy', detail: parts.join('; ') };
}

function fromKnown(
  named: readonly ObservedPolicy[],
  did: 'allowed' | 'denied',
  ctx: CauseContext,
): Cause | undefined {
  const known = named.filter((p) => {
    const cls = classify(p, ctx);
    return cls !== 'cni' && cls !== 'cni-missing';
  });
  const missing = known.filter((p) => !snapshotHas(p, ctx));
  if (missing.length > 0) {
    return {
      kind: 'policy-changed',
      detail: `${missing.map(observedName).join(', ')} ${did} it when it was seen and ${
        missing.length === 1 ? 'is' : 'are'
      } not in the snapshot (deleted or renamed since?)`,
    };
  }
  if (known.length > 0) {
    return {
      kind: 'policy-changed',
      detail: `${known.map(observedName).join(', ')} ${did} it when it was seen; in the snapshot ${
        did === 'allowed' ? 'no rule allows it' : 'the policies allow it'
      } (edited since?)`,
    };
  }
  return undefined;
}

function sideName(v: ConnectionVerdict, side: 'egress' | 'ingress'): string {
  const peer = side === 'egress' ? v.query.from : v.query.to;
  return `${side} at ${peer.kind === 'pod' ? `${peer.namespace}/${peer.name}` : peer.ip}`;
}

function deniedBy(v: ConnectionVerdict): string {
  const parts: string[] = [];
  for (const side of ['egress', 'ingress'] as const) {
    const s: SideResult = v[side];
    if (s.kind !== 'denied') continue;
    const admin =
      s.tiers?.decidedBy === 'Admin'
        ? s.tiers.admin
        : s.tiers?.decidedBy === 'Baseline'
          ? s.tiers.baseline
          : undefined;
    parts.push(
      admin
        ? `${sideName(v, side)}: ${admin.tier} rule ${admin.policy} ${admin.direction}[${admin.rule}] Deny`
        : `${sideName(v, side)}: isolated by ${s.policies.join(', ')}, no rule allows it`,
    );
  }
  return parts.join('; ');
}

/** Seen forwarded; the snapshot's policies deny it. */
export function forwardedButDenied(
  observed: readonly ObservedPolicy[],
  verdict: ConnectionVerdict | undefined,
  ctx: CauseContext,
): Cause {
  const allowedBy = observed.filter((p) => p.action === 'allow' && p.pending !== true);
  const cni = fromCni(allowedBy, 'allowed', ctx);
  if (cni) return cni;
  if (verdict) {
    for (const side of ['egress', 'ingress'] as const) {
      const s = verdict[side];
      if (s.kind === 'denied' && (s.tiers?.decidedBy === 'Admin' || s.tiers?.decidedBy === 'Baseline')) {
        return {
          kind: 'cni-semantics',
          detail: `${deniedBy(verdict)}; the CNI forwarded it: does it enforce the admin tiers (ClusterNetworkPolicy)?`,
        };
      }
    }
  }
  const known = fromKnown(allowedBy, 'allowed', ctx);
  if (known) return known;
  return {
    kind: 'policy-changed',
    detail: `${verdict ? `${deniedBy(verdict)}; ` : ''}the policies in force when it was seen allowed it (changed since, or a policy netglass does not see?)`,
  };
}

/** Which allowing sides of `v` rest only on ipBlock peers matching a pod's address. */
function ipBlockOnPod(v: ConnectionVerdict, ctx: CauseContext): string | undefined {
  for (const side of ['egress', 'ingress'] as const) {
    const s = v[side];
    if (s.kind !== 'allowed' || s.matches.length === 0) continue;
    const other = side === 'egress' ? v.query.to : v.query.from;
    if (other.kind !== 'pod') continue;
    const viaIpBlock = s.matches.every((m) => {
      const policy = ctx.policies.get(m.policy);
      const rule = policy?.[m.direction][m.rule];
      if (!rule || rule.peers === 'any' || m.peer === 'any') return false;
      return rule.peers[m.peer]?.kind === 'ipBlock';
    });
    if (!viaIpBlock) continue;
    const m = s.matches[0];
    const ips = ctx.pods.get(`${other.namespace}/${other.name}`)?.ips.join(', ') ?? '';
    return `${sideName(v, side)} is allowed only by ipBlock (${m?.policy} ${m?.direction}[${m?.rule}]) matching the address of pod ${other.namespace}/${other.name} (${ips}); some CNIs (Cilium) do not apply ipBlock to pod addresses`;
  }
  return undefined;
}

/** Dropped by a policy; the snapshot's policies allow it. */
export function droppedButAllowed(
  observed: readonly ObservedPolicy[],
  verdict: ConnectionVerdict | undefined,
  ctx: CauseContext,
): Cause {
  const deniedByNamed = observed.filter((p) => p.action === 'deny' && p.pending !== true);
  const cni = fromCni(deniedByNamed, 'denied', ctx);
  if (cni) return cni;
  // Before the named policies: a CNI that reads ipBlock differently names the very policy it misreads.
  const ipBlock = verdict ? ipBlockOnPod(verdict, ctx) : undefined;
  if (ipBlock) return { kind: 'cni-semantics', detail: ipBlock };
  const known = fromKnown(deniedByNamed, 'denied', ctx);
  if (known) return known;
  return {
    kind: 'policy-changed',
    detail:
      'the snapshot’s policies allow it; a policy dropped it when it was seen (changed since, or a deny rule of a policy netglass does not see?)',
  };
}
