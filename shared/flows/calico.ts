/**
 * Calico flow logs from Goldmane (calico goldmane/proto/api.proto, as protojson: a `FlowResult`
 * `{"id", "flow": {"Key": {...}, "start_time", ...}}` or a bare `Flow`) and from Whisker's backend
 * (`/whisker-backend/flows`: flat `{"source_name", "dest_port", "action", "policies": {"enforced",
 * "pending"}, ...}`). Endpoints are aggregated: a workload name stands for the pods sharing a
 * generateName (`api-7d9f8c-*`) and labels are the intersection over those pods; a network is only
 * `pub` or `pvt`, with no address. The policy trace lists the enforced rule hits and the pending ones
 * (what staged policies would do).
 */
import type { Protocol } from '../model/snapshot.ts';
import { field, isObject, labelsFrom, list, num, obj, str, timeMs, type Json } from './fields.ts';
import type { EndpointEntity, FlowEndpoint, ObservedPolicy, RecordParse } from './types.ts';

export function isCalicoShaped(o: Json): boolean {
  if ('Key' in o || 'key' in o) return true;
  if (isObject(o['flow']) && ('Key' in o['flow'] || 'key' in o['flow'])) return true;
  return 'source_name' in o || 'sourceName' in o || 'dest_name' in o || 'destName' in o;
}

const ACTIONS = ['unknown', 'allow', 'deny', 'pass'] as const;
const ENDPOINT_TYPES = ['', 'WorkloadEndpoint', 'HostEndpoint', 'NetworkSet', 'Network'];
const POLICY_KINDS = [
  'KindUnspecified',
  'CalicoNetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
  'NetworkPolicy',
  'ClusterNetworkPolicyAdminTier',
  'ClusterNetworkPolicyBaselineTier',
  'Profile',
  'EndOfTier',
];

function action(v: unknown): ObservedPolicy['action'] {
  if (typeof v === 'number') return ACTIONS[v] ?? 'unknown';
  if (typeof v !== 'string') return 'unknown';
  const a = v.toLowerCase();
  return a === 'allow' || a === 'deny' || a === 'pass' ? a : 'unknown';
}

function protocolOf(v: unknown): Protocol | 'icmp' | undefined {
  const p = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.toLowerCase() : '';
  if (p === 'tcp' || p === '6') return 'TCP';
  if (p === 'udp' || p === '17') return 'UDP';
  if (p === 'sctp' || p === '132') return 'SCTP';
  if (p === 'icmp' || p === 'icmpv6' || p === 'icmp6' || p === '1' || p === '58') return 'icmp';
  return undefined;
}

function labels(v: unknown): readonly string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  // Whisker joins them with " | ".
  if (typeof v === 'string' && v.trim() !== '') return v.split('|').map((s) => s.trim());
  return [];
}

function typeOf(v: unknown): string {
  if (typeof v === 'number') return ENDPOINT_TYPES[v] ?? '';
  return typeof v === 'string' ? v : '';
}

function endpoint(
  name: string | undefined,
  namespace: string | undefined,
  type: string,
  rawLabels: unknown,
): FlowEndpoint {
  const t = type.toLowerCase();
  const n = (name ?? '').toLowerCase();
  if (
    t === 'network' ||
    t === 'net' ||
    (t === '' && namespace === undefined && (n === 'pub' || n === 'pvt'))
  ) {
    const entity: EndpointEntity =
      n === 'pvt' || n.includes('private') ? 'network-private' : 'network-public';
    return { entity };
  }
  if (t === 'hostendpoint' || t === 'hep') return { entity: 'other', detail: `HostEndpoint ${name ?? ''}` };
  if (t === 'networkset' || t === 'ns')
    return { entity: 'other', detail: `NetworkSet ${namespace ? `${namespace}/` : ''}${name ?? ''}` };
  const ls = labelsFrom(labels(rawLabels));
  const agg = name !== undefined && name.endsWith('*');
  return {
    entity: 'workload',
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? (agg ? { aggregatedName: name } : { podName: name }) : {}),
    labels: ls,
  };
}

function kindOf(h: Json): string {
  const raw = field(h, 'kind');
  return typeof raw === 'number'
    ? (POLICY_KINDS[raw] ?? 'KindUnspecified')
    : (str(h, 'kind') ?? 'KindUnspecified');
}

function hits(v: unknown, pending: boolean): ObservedPolicy[] {
  if (!Array.isArray(v)) return [];
  const out: ObservedPolicy[] = [];
  for (const h of v) {
    if (!isObject(h)) continue;
    const hitKind = kindOf(h);
    const trigger = obj(h, 'trigger');
    // An end-of-tier drop is the policy that selected the endpoint (its trigger) having no matching
    // rule: that policy is the one to name.
    const named = hitKind === 'EndOfTier' && trigger ? trigger : h;
    const kind = named === h ? hitKind : kindOf(named);
    const name =
      str(named, 'name') ?? (hitKind === 'EndOfTier' ? `end of tier ${str(h, 'tier') ?? ''}` : undefined);
    if (name === undefined) continue;
    const namespace = str(named, 'namespace');
    const tier = str(h, 'tier');
    out.push({
      kind,
      name,
      action: action(field(h, 'action')),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(tier !== undefined ? { tier } : {}),
      ...(pending ? { pending: true } : {}),
    });
  }
  return out;
}

function sameTrace(a: readonly ObservedPolicy[], b: readonly ObservedPolicy[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return (
        q !== undefined &&
        p.kind === q.kind &&
        p.name === q.name &&
        p.namespace === q.namespace &&
        p.action === q.action
      );
    })
  );
}

/** The last hit's action decides a trace (Calico walks tiers in order; the last hit ended it). */
function finalAction(trace: readonly ObservedPolicy[]): ObservedPolicy['action'] {
  for (let i = trace.length - 1; i >= 0; i--) {
    const a = trace[i]?.action;
    if (a === 'allow' || a === 'deny') return a;
  }
  return 'unknown';
}

/** One parsed JSON value of a Calico flow file (Goldmane FlowResult/Flow, or Whisker's flow). */
export function parseCalico(value: Json): RecordParse {
  const flow = obj(value, 'flow') ?? value;
  const key = obj(flow, 'Key') ?? obj(flow, 'key');
  // Goldmane nests the identifying fields in Key; Whisker flattens them into the flow.
  const k = key ?? flow;
  const sourceName = str(k, 'source_name');
  const destName = str(k, 'dest_name');
  if (sourceName === undefined && destName === undefined)
    return { kind: 'error', message: 'a Calico flow needs source_name and dest_name', field: 'source_name' };
  const rawProto = field(k, 'proto') ?? field(k, 'protocol');
  const protocol = protocolOf(rawProto);
  if (protocol === 'icmp') return { kind: 'skip', reason: 'icmp' };
  if (protocol === undefined) {
    if (rawProto === undefined) return { kind: 'error', message: 'proto is missing', field: 'proto' };
    return { kind: 'skip', reason: 'unsupported-protocol' };
  }
  const port = num(k, 'dest_port');
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
    return { kind: 'error', message: 'dest_port is missing or not a port (1-65535)', field: 'dest_port' };
  const trace = obj(k, 'policies') ?? obj(flow, 'policies');
  const enforced = trace ? hits(field(trace, 'enforced_policies') ?? field(trace, 'enforced'), false) : [];
  const pendingAll = trace ? hits(field(trace, 'pending_policies') ?? field(trace, 'pending'), true) : [];
  // Goldmane repeats the enforced trace as the pending one when no staged policy applies: only a
  // pending trace that differs says something.
  const pending = sameTrace(enforced, pendingAll) ? [] : pendingAll;
  const act = action(field(k, 'action'));
  if (act === 'pass') return { kind: 'skip', reason: 'pass' };
  if (act === 'unknown') return { kind: 'error', message: 'action must be Allow or Deny', field: 'action' };
  const outcome = act === 'deny' ? 'denied' : finalAction(pending) === 'deny' ? 'audit' : 'allowed';
  const reporter = field(k, 'reporter');
  const rep =
    typeof reporter === 'number'
      ? ['', 'src', 'dst'][reporter]
      : typeof reporter === 'string'
        ? reporter.toLowerCase()
        : '';
  const start = timeMs(field(flow, 'start_time'));
  const end = timeMs(field(flow, 'end_time'));
  const started = num(flow, 'num_connections_started') ?? 0;
  return {
    kind: 'record',
    record: {
      format: 'calico',
      source: endpoint(
        sourceName,
        str(k, 'source_namespace'),
        typeOf(field(k, 'source_type')),
        field(flow, 'source_labels'),
      ),
      destination: endpoint(
        destName,
        str(k, 'dest_namespace'),
        typeOf(field(k, 'dest_type')),
        field(flow, 'dest_labels'),
      ),
      protocol,
      port,
      outcome,
      policies: [...enforced, ...pending],
      ...(rep === 'src' ? { direction: 'egress' } : rep === 'dst' ? { direction: 'ingress' } : {}),
      ...(start !== undefined ? { start } : {}),
      ...(end !== undefined ? { end } : start !== undefined ? { end: start } : {}),
      count: Math.max(1, started),
    },
  };
}

/** Items of a whole-document capture: a `FlowListResult` (`flows`), a Whisker list (`items`), an array. */
export function documentItems(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (isObject(value)) {
    const flows = list(value, 'flows');
    if (flows.length > 0) return flows;
    const items = list(value, 'items');
    if (items.length > 0) return items;
  }
  return undefined;
}
