/**
 * Observed flows against the evaluated policies. Every aggregated flow is asked of the evaluator once
 * (`Analyzer.check`, so every semantic is the evaluator's) and classed per observed outcome:
 * confirmed (seen allowed and the policies allow it, or dropped by a policy and they deny it),
 * contradiction (the two disagree; with the likely cause), audit (Cilium audit mode, Calico staged
 * policies: would be dropped), or undecided (the evaluator cannot say: unknown verdicts, endpoints
 * that stand for several pods which the policies treat differently, both ends outside the cluster).
 * Each rule that allows some seen flow is counted; the rest allowed nothing that was seen.
 */
import type { Analyzer, ConnectionVerdict, Direction, Peer, Verdict } from '../eval/index.ts';
import type { ClusterNetworkPolicy, NetworkPolicy, Pod, Snapshot } from '../model/snapshot.ts';
import { calicoPolicyKey, ciliumPolicyKey, clusterPolicyKey, policyKey } from '../model/snapshot.ts';
import type { AggregatedFlow, FlowAggregator, UnmappedEndpoint } from './aggregate.ts';
import {
  droppedButAllowed,
  forwardedButDenied,
  observedName,
  type Cause,
  type CauseContext,
} from './cause.ts';
import type { MappedEndpoint } from './map.ts';
import type { FlowReadError, FlowReadStats } from './types.ts';
import { isOpenWindow, type TimeWindow } from './window.ts';

/** Members evaluated per side for an endpoint standing for several pods or address classes. */
export const MAX_MEMBERS = 16;

export type FindingStatus = 'confirmed' | 'contradiction' | 'audit' | 'undecided';
export type Evaluated = Verdict | 'mixed' | 'not-evaluated';

export interface FlowFinding {
  readonly flow: AggregatedFlow;
  /** Which observed outcome of the flow this finding is about. */
  readonly observed: 'allowed' | 'denied' | 'audit';
  /** Connections or events with that outcome. */
  readonly count: number;
  readonly status: FindingStatus;
  readonly evaluated: Evaluated;
  /** For contradictions. */
  readonly cause?: Cause;
  /** For audit and undecided findings, and denials: what the evaluator or the CNI said. */
  readonly note?: string;
  /** The rules that allow it (allowed), or the sides that deny it (denied). */
  readonly decidedBy: readonly string[];
  /**
   * The rules that allow it, as keys into `FlowComparison.rules` (each side's allowing rules, over
   * every pod the ends stand for); empty when the policies deny it.
   */
  readonly rules: readonly RuleRef[];
}

/** A rule as the comparison counts it. */
export interface RuleRef {
  readonly policy: string;
  readonly direction: Direction;
  readonly rule: number;
}

export interface RuleUsage {
  /** `namespace/name`, or an admin policy's key. */
  readonly policy: string;
  readonly tier: 'NetworkPolicy' | 'Admin' | 'Baseline';
  readonly direction: Direction;
  readonly rule: number;
  readonly ruleName?: string;
  /** Seen flows (aggregated) this rule allowed, and the connections they stand for. */
  flows: number;
  connections: number;
}

export interface FlowComparison {
  /** The imported records' times, ms since the epoch; undefined when no record carried a time. */
  readonly window: { readonly first?: number; readonly last?: number };
  /**
   * The time window compared (absent: every record). Flows, findings, rule usage and unmapped
   * endpoints are over the records inside it; `read` and `mapping` stay over every record read.
   */
  readonly selected?: TimeWindow;
  /** Records left out by `selected` (outside it, or without a time). */
  readonly outsideWindow: number;
  readonly read: FlowReadStats;
  /** The first read errors, with file and line. */
  readonly errors: readonly FlowReadError[];
  /** Distinct (source, destination, protocol, port) flows. */
  readonly flows: number;
  readonly mapping: Readonly<Record<string, number>>;
  readonly unmapped: readonly UnmappedEndpoint[];
  /** Flows not compared because an end is unmapped. */
  readonly unmappedFlows: number;
  /** Connections dropped for reasons that are not policies (not compared). */
  readonly droppedOther: number;
  readonly findings: readonly FlowFinding[];
  readonly counts: Readonly<Record<FindingStatus, number>>;
  /** Every rule that can allow traffic (NetworkPolicy rules, admin Accept rules), with what it allowed. */
  readonly rules: readonly RuleUsage[];
}

interface Evaluation {
  readonly evaluated: Evaluated;
  readonly verdicts: readonly ConnectionVerdict[];
  readonly reason?: string;
}

function peers(e: MappedEndpoint): Peer[] {
  if (e.kind === 'pods')
    return e.pods.slice(0, MAX_MEMBERS).map((key) => {
      const slash = key.indexOf('/');
      return { kind: 'pod', namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    });
  if (e.kind === 'external') return e.ips.slice(0, MAX_MEMBERS).map((ip) => ({ kind: 'external', ip }));
  return [];
}

function samePeer(a: Peer, b: Peer): boolean {
  return a.kind === 'pod' && b.kind === 'pod' && a.namespace === b.namespace && a.name === b.name;
}

function evaluate(analyzer: Analyzer, flow: AggregatedFlow): Evaluation {
  const src = flow.src.endpoint;
  const dst = flow.dst.endpoint;
  if (src.kind === 'external' && dst.kind === 'external')
    return { evaluated: 'not-evaluated', verdicts: [], reason: 'both ends are outside the cluster' };
  const verdicts: ConnectionVerdict[] = [];
  for (const from of peers(src))
    for (const to of peers(dst)) {
      if (samePeer(from, to)) continue;
      verdicts.push(analyzer.check({ from, to, port: flow.port, protocol: flow.protocol }));
    }
  if (verdicts.length === 0)
    return { evaluated: 'not-evaluated', verdicts, reason: 'a pod talking to itself: policies do not apply' };
  const kinds = new Set(verdicts.map((v) => v.verdict));
  if (kinds.has('unknown'))
    return {
      evaluated: 'unknown',
      verdicts,
      reason: 'the verdict depends on objects that could not be read',
    };
  if (kinds.size > 1)
    return {
      evaluated: 'mixed',
      verdicts,
      reason: `the policies allow it for some of the pods or addresses ${flow.src.label} and ${flow.dst.label} stand for, and deny it for others`,
    };
  return { evaluated: verdicts[0]?.verdict ?? 'unknown', verdicts };
}

function ruleKey(policy: string, direction: Direction, rule: number): string {
  return `${policy}\u0000${direction}\u0000${rule}`;
}

function usageTable(snapshot: Snapshot): Map<string, RuleUsage> {
  const out = new Map<string, RuleUsage>();
  for (const p of snapshot.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      p[direction].forEach((_, rule) => {
        const key = policyKey(p);
        out.set(ruleKey(key, direction, rule), {
          policy: key,
          tier: 'NetworkPolicy',
          direction,
          rule,
          flows: 0,
          connections: 0,
        });
      });
    }
  }
  for (const p of snapshot.clusterPolicies) {
    const key = clusterPolicyKey(p);
    for (const direction of ['ingress', 'egress'] as const)
      p[direction].forEach((r, rule) => {
        if (r.action !== 'Accept') return;
        out.set(ruleKey(key, direction, rule), {
          policy: key,
          tier: p.tier,
          direction,
          rule,
          ...(r.name !== undefined ? { ruleName: r.name } : {}),
          flows: 0,
          connections: 0,
        });
      });
  }
  return out;
}

interface AllowingRule {
  readonly text: string;
  readonly ref: RuleRef;
}

/** The rules that allow each allowing side of the verdicts (deduplicated). */
function allowingRules(verdicts: readonly ConnectionVerdict[]): Map<string, AllowingRule> {
  const out = new Map<string, AllowingRule>();
  for (const v of verdicts) {
    if (v.verdict !== 'allowed') continue;
    for (const side of ['egress', 'ingress'] as const) {
      const s = v[side];
      if (s.kind !== 'allowed') continue;
      const t = s.tiers;
      const admin = t?.decidedBy === 'Admin' ? t.admin : t?.decidedBy === 'Baseline' ? t.baseline : undefined;
      if (admin) {
        out.set(ruleKey(admin.policy, admin.direction, admin.rule), {
          text: `${admin.policy} ${admin.direction}[${admin.rule}]${admin.ruleName !== undefined ? ` (${admin.ruleName})` : ''} Accept`,
          ref: { policy: admin.policy, direction: admin.direction, rule: admin.rule },
        });
        continue;
      }
      for (const m of s.matches)
        out.set(ruleKey(m.policy, m.direction, m.rule), {
          text: `${m.policy} ${m.direction}[${m.rule}]`,
          ref: { policy: m.policy, direction: m.direction, rule: m.rule },
        });
    }
  }
  return out;
}

function denyingSides(verdicts: readonly ConnectionVerdict[]): string[] {
  const out = new Set<string>();
  for (const v of verdicts) {
    if (v.verdict !== 'denied') continue;
    for (const side of ['egress', 'ingress'] as const) {
      const s = v[side];
      if (s.kind !== 'denied') continue;
      const t = s.tiers;
      const admin = t?.decidedBy === 'Admin' ? t.admin : t?.decidedBy === 'Baseline' ? t.baseline : undefined;
      out.add(
        admin
          ? `${side}: ${admin.policy} ${admin.direction}[${admin.rule}] Deny`
          : `${side}: isolated by ${s.policies.join(', ')}`,
      );
    }
  }
  return [...out];
}

function auditNote(flow: AggregatedFlow, evaluated: Evaluated): string {
  const pending = flow.policies.filter((p) => p.pending === true && p.action === 'deny');
  const who = flow.formats.has('calico')
    ? `staged policies would deny it${pending.length > 0 ? ` (${pending.map(observedName).join(', ')})` : ''}`
    : 'Cilium let it through in audit mode: its policy would drop it';
  const ours =
    evaluated === 'denied'
      ? 'the snapshot’s policies deny it too'
      : evaluated === 'allowed'
        ? 'the snapshot’s policies allow it'
        : 'the snapshot’s policies do not decide it';
  return `${who}; ${ours}`;
}

export interface CompareInput {
  readonly snapshot: Snapshot;
  readonly analyzer: Analyzer;
  readonly aggregator: FlowAggregator;
  readonly read: FlowReadStats;
  readonly errors: readonly FlowReadError[];
  /** Compare only the records inside this window (`FlowAggregator.windowed`). */
  readonly window?: TimeWindow;
}

/** Endpoints not in the snapshot among the windowed flows, by the connections they stand for. */
function unmappedIn(flows: readonly AggregatedFlow[]): UnmappedEndpoint[] {
  const out = new Map<string, UnmappedEndpoint>();
  for (const flow of flows)
    for (const end of [flow.src, flow.dst]) {
      if (end.endpoint.kind !== 'unmapped') continue;
      const c = flow.counts;
      const n = c.allowed + c.denied + c.audit + c['dropped-other'];
      const u = out.get(end.label);
      if (u) u.records += n;
      else out.set(end.label, { label: end.label, reason: end.endpoint.reason, records: n });
    }
  return [...out.values()];
}

export function compareFlows(input: CompareInput): FlowComparison {
  const { snapshot, analyzer, aggregator } = input;
  const ctx: CauseContext = {
    policies: new Map<string, NetworkPolicy>(snapshot.policies.map((p) => [policyKey(p), p])),
    clusterPolicyKeys: new Set(
      snapshot.clusterPolicies.map((p: ClusterNetworkPolicy) => clusterPolicyKey(p)),
    ),
    ciliumPolicyKeys: new Set((snapshot.ciliumPolicies ?? []).map((p) => ciliumPolicyKey(p))),
    calicoPolicyKeys: new Set((snapshot.calicoPolicies ?? []).map((p) => calicoPolicyKey(p))),
    pods: new Map<string, Pod>(snapshot.pods.map((p) => [policyKey(p), p])),
  };
  const usage = usageTable(snapshot);
  const findings: FlowFinding[] = [];
  const counts: Record<FindingStatus, number> = { confirmed: 0, contradiction: 0, audit: 0, undecided: 0 };
  let unmappedFlows = 0;
  let droppedOther = 0;
  const push = (f: FlowFinding): void => {
    counts[f.status]++;
    findings.push(f);
  };
  const windowed = isOpenWindow(input.window) ? undefined : aggregator.windowed(input.window);
  const flows = windowed?.flows ?? aggregator.flows;
  for (const flow of flows) {
    droppedOther += flow.counts['dropped-other'];
    const { allowed, denied, audit } = flow.counts;
    if (allowed + denied + audit === 0) continue;
    if (flow.src.endpoint.kind === 'unmapped' || flow.dst.endpoint.kind === 'unmapped') {
      unmappedFlows++;
      continue;
    }
    const ev = evaluate(analyzer, flow);
    const allowing = allowingRules(ev.verdicts);
    const rules = new Map([...allowing].map(([k, r]) => [k, r.text]));
    const refs = [...allowing.values()].map((r) => r.ref);
    const denying = denyingSides(ev.verdicts);
    const verdict = ev.verdicts[0];
    const undecided =
      ev.evaluated === 'unknown' || ev.evaluated === 'mixed' || ev.evaluated === 'not-evaluated';
    if (allowed > 0) {
      for (const [key] of rules) {
        const u = usage.get(key);
        if (u) {
          u.flows++;
          u.connections += allowed;
        }
      }
      const base = {
        flow,
        observed: 'allowed' as const,
        count: allowed,
        evaluated: ev.evaluated,
        rules: refs,
      };
      if (undecided)
        push({
          ...base,
          status: 'undecided',
          decidedBy: [...rules.values()],
          ...(ev.reason ? { note: ev.reason } : {}),
        });
      else if (ev.evaluated === 'allowed')
        push({ ...base, status: 'confirmed', decidedBy: [...rules.values()] });
      else
        push({
          ...base,
          status: 'contradiction',
          decidedBy: denying,
          cause: forwardedButDenied(
            flow.policies,
            ev.verdicts.find((v) => v.verdict === 'denied') ?? verdict,
            ctx,
          ),
        });
    }
    if (denied > 0) {
      const base = {
        flow,
        observed: 'denied' as const,
        count: denied,
        evaluated: ev.evaluated,
        rules: ev.evaluated === 'denied' ? [] : refs,
      };
      if (undecided)
        push({ ...base, status: 'undecided', decidedBy: denying, ...(ev.reason ? { note: ev.reason } : {}) });
      else if (ev.evaluated === 'denied') push({ ...base, status: 'confirmed', decidedBy: denying });
      else
        push({
          ...base,
          status: 'contradiction',
          decidedBy: [...rules.values()],
          cause: droppedButAllowed(
            flow.policies,
            ev.verdicts.find((v) => v.verdict === 'allowed') ?? verdict,
            ctx,
          ),
        });
    }
    if (audit > 0) {
      push({
        flow,
        observed: 'audit',
        count: audit,
        evaluated: ev.evaluated,
        status: 'audit',
        decidedBy: ev.evaluated === 'allowed' ? [...rules.values()] : denying,
        rules: ev.evaluated === 'allowed' ? refs : [],
        note: auditNote(flow, ev.evaluated),
      });
    }
  }
  return {
    window: {
      ...(aggregator.first !== undefined ? { first: aggregator.first } : {}),
      ...(aggregator.last !== undefined ? { last: aggregator.last } : {}),
    },
    ...(windowed ? { selected: windowed.window } : {}),
    outsideWindow: windowed?.outside ?? 0,
    read: input.read,
    errors: input.errors,
    flows: flows.length,
    mapping: { ...aggregator.mapping },
    unmapped: (windowed ? unmappedIn(flows) : [...aggregator.unmapped.values()]).sort(
      (a, b) => b.records - a.records || (a.label < b.label ? -1 : 1),
    ),
    unmappedFlows,
    droppedOther,
    findings,
    counts,
    rules: [...usage.values()],
  };
}
