/**
 * A comparison seen from one policy or one pod, for their details panels: per rule, the seen flows
 * it allowed (from the findings' rule keys, which the evaluator's verdicts gave); per pod, the seen
 * flows into and out of it with their verdicts. Lists are cut at `limit`; counts stay exact.
 */
import type { Protocol } from '../model/snapshot.ts';
import type { Cause } from './cause.ts';
import type { FindingStatus, FlowComparison, FlowFinding, RuleUsage } from './compare.ts';
import type { MappedRef } from './map.ts';

/** A seen flow a rule allowed. */
export interface RuleSeen {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly connections: number;
  readonly status: FindingStatus;
}

export interface RuleFlows {
  readonly policy: string;
  /** Every rule of the policy that can allow traffic, in the comparison's order, with what it allowed. */
  readonly rules: readonly (RuleUsage & { readonly seen: readonly RuleSeen[] })[];
}

export interface PodFlow {
  /** The other end, as people read it. */
  readonly peer: string;
  /** The other end's pod keys when it is a single pod (for a link); absent otherwise. */
  readonly peerPod?: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly observed: FlowFinding['observed'];
  readonly status: FindingStatus;
  readonly count: number;
  readonly evaluated: FlowFinding['evaluated'];
  readonly cause?: Cause;
  readonly note?: string;
}

export type StatusTotals = Readonly<
  Record<FindingStatus, { readonly flows: number; readonly connections: number }>
>;

export interface PodFlows {
  readonly pod: string;
  readonly inbound: readonly PodFlow[];
  readonly outbound: readonly PodFlow[];
  /** Every finding of the pod per direction and status, however many are listed. */
  readonly totals: { readonly inbound: StatusTotals; readonly outbound: StatusTotals };
}

const ORDER: Readonly<Record<FindingStatus, number>> = {
  contradiction: 0,
  audit: 1,
  confirmed: 2,
  undecided: 3,
};

function byWeight<T extends { readonly status: FindingStatus; readonly count: number }>(a: T, b: T): number {
  return ORDER[a.status] - ORDER[b.status] || b.count - a.count;
}

export function ruleFlows(comparison: FlowComparison, policy: string, limit = 20): RuleFlows {
  const seen = new Map<string, (RuleSeen & { count: number })[]>();
  const key = (direction: string, rule: number): string => `${direction}[${rule}]`;
  for (const f of comparison.findings) {
    if (f.observed !== 'allowed') continue;
    for (const r of f.rules) {
      if (r.policy !== policy) continue;
      const k = key(r.direction, r.rule);
      let list = seen.get(k);
      if (!list) {
        list = [];
        seen.set(k, list);
      }
      list.push({
        from: f.flow.src.label,
        to: f.flow.dst.label,
        protocol: f.flow.protocol,
        port: f.flow.port,
        connections: f.count,
        count: f.count,
        status: f.status,
      });
    }
  }
  return {
    policy,
    rules: comparison.rules
      .filter((u) => u.policy === policy)
      .map((u) => ({
        ...u,
        seen: (seen.get(key(u.direction, u.rule)) ?? [])
          .sort(byWeight)
          .slice(0, limit)
          .map(({ count: _count, ...s }) => s),
      })),
  };
}

function emptyTotals(): Record<FindingStatus, { flows: number; connections: number }> {
  return {
    contradiction: { flows: 0, connections: 0 },
    audit: { flows: 0, connections: 0 },
    confirmed: { flows: 0, connections: 0 },
    undecided: { flows: 0, connections: 0 },
  };
}

function holds(ref: MappedRef, pod: string): boolean {
  return ref.endpoint.kind === 'pods' && ref.endpoint.pods.includes(pod);
}

function podFlow(f: FlowFinding, peer: MappedRef): PodFlow {
  const e = peer.endpoint;
  return {
    peer: peer.label,
    ...(e.kind === 'pods' && e.pods.length === 1 && e.pods[0] !== undefined ? { peerPod: e.pods[0] } : {}),
    protocol: f.flow.protocol,
    port: f.flow.port,
    observed: f.observed,
    status: f.status,
    count: f.count,
    evaluated: f.evaluated,
    ...(f.cause !== undefined ? { cause: f.cause } : {}),
    ...(f.note !== undefined ? { note: f.note } : {}),
  };
}

/** `pod`: `namespace/name`. */
export function podFlows(comparison: FlowComparison, pod: string, limit = 100): PodFlows {
  const inbound: PodFlow[] = [];
  const outbound: PodFlow[] = [];
  const totals = { inbound: emptyTotals(), outbound: emptyTotals() };
  for (const f of comparison.findings) {
    if (holds(f.flow.dst, pod)) {
      inbound.push(podFlow(f, f.flow.src));
      totals.inbound[f.status].flows++;
      totals.inbound[f.status].connections += f.count;
    }
    if (holds(f.flow.src, pod)) {
      outbound.push(podFlow(f, f.flow.dst));
      totals.outbound[f.status].flows++;
      totals.outbound[f.status].connections += f.count;
    }
  }
  return {
    pod,
    inbound: inbound.sort(byWeight).slice(0, limit),
    outbound: outbound.sort(byWeight).slice(0, limit),
    totals,
  };
}
