/**
 * Hubble flows as JSON (`hubble observe -o json`, the Hubble exporter's file): one
 * `GetFlowsResponse` per line (`{"flow": {...}, "node_name": ..., "time": ...}`) or a bare `Flow`.
 * Written from cilium's api/v1/flow/flow.proto and observer.proto: endpoints carry namespace, pod name,
 * labels (`k8s:app=web`) and a security identity; `IP` the addresses; `l4` one of TCP/UDP/SCTP/ICMPv4/
 * ICMPv6; `verdict`, `drop_reason_desc`, `traffic_direction`, `is_reply`; newer agents add the policies
 * that allowed or denied the flow (`ingress_allowed_by`, `egress_denied_by`, ...), older ones do not.
 */
import type { Labels, Protocol } from '../model/snapshot.ts';
import { bool, field, isObject, labelsFrom, list, num, obj, str, timeMs, type Json } from './fields.ts';
import type { EndpointEntity, FlowEndpoint, ObservedPolicy, RecordParse } from './types.ts';

/** Whether an object looks like a Hubble response or flow (rather than a Calico flow). */
export function isHubbleShaped(o: Json): boolean {
  return (
    'flow' in o ||
    'verdict' in o ||
    'IP' in o ||
    'l4' in o ||
    'node_status' in o ||
    'nodeStatus' in o ||
    'lost_events' in o ||
    'lostEvents' in o ||
    'agent_event' in o ||
    'agentEvent' in o ||
    'debug_event' in o ||
    'debugEvent' in o
  );
}

const VERDICTS = [
  'VERDICT_UNKNOWN',
  'FORWARDED',
  'DROPPED',
  'ERROR',
  'AUDIT',
  'REDIRECTED',
  'TRACED',
  'TRANSLATED',
];

/** Reserved identities (cilium pkg/identity): numbers and `reserved:` labels. */
const RESERVED_BY_ID: Readonly<Record<number, EndpointEntity>> = {
  1: 'host',
  2: 'world',
  3: 'other',
  4: 'other',
  5: 'other',
  6: 'host',
  7: 'host',
  8: 'other',
  9: 'world',
  10: 'world',
};
const RESERVED_BY_LABEL: Readonly<Record<string, EndpointEntity>> = {
  world: 'world',
  'world-ipv4': 'world',
  'world-ipv6': 'world',
  host: 'host',
  'remote-node': 'host',
  'kube-apiserver': 'host',
};

/** Cilium-internal keys among an endpoint's `k8s:` labels: not labels of the pod. */
function ciliumInternal(key: string): boolean {
  return key.startsWith('io.cilium.') || key.startsWith('io.kubernetes.pod.namespace');
}

function podLabel(item: string): string | undefined {
  const colon = item.indexOf(':');
  const eq = item.indexOf('=');
  // `source:key=value`; a label key itself never holds a colon.
  if (colon >= 0 && (eq < 0 || colon < eq)) {
    if (item.slice(0, colon) !== 'k8s') return undefined;
    item = item.slice(colon + 1);
  }
  const at = item.indexOf('=');
  const key = at < 0 ? item : item.slice(0, at);
  return ciliumInternal(key) ? undefined : item;
}

/** The pod's Kubernetes labels among an endpoint's Cilium labels. */
export function ciliumPodLabels(items: readonly unknown[]): Labels {
  return labelsFrom(
    items.filter((l): l is string => typeof l === 'string'),
    podLabel,
  );
}

function endpoint(e: Json | undefined, ip: string | undefined): FlowEndpoint {
  const namespace = e && str(e, 'namespace');
  const podName = e && str(e, 'pod_name');
  // Kept as written (strings are checked when they are read): most records never need them.
  const rawLabels = (e ? list(e, 'labels') : []) as readonly string[];
  if (namespace !== undefined || podName !== undefined) {
    // One object shape for every record (no spreads): this runs twice per record.
    return { entity: 'workload', namespace, podName, ciliumLabels: rawLabels, ip };
  }
  let entity: EndpointEntity | undefined;
  let detail: string | undefined;
  for (const l of rawLabels) {
    if (typeof l !== 'string' || !l.startsWith('reserved:')) continue;
    const name = l.slice('reserved:'.length);
    entity = RESERVED_BY_LABEL[name] ?? 'other';
    detail = l;
    break;
  }
  const identity = e ? num(e, 'identity') : undefined;
  if (entity === undefined && identity !== undefined) {
    entity = RESERVED_BY_ID[identity];
    if (entity === 'other') detail = `identity ${identity}`;
  }
  // A CIDR identity, or no identity at all, outside any namespace: an address outside the cluster.
  return { entity: entity ?? 'world', ip, detail };
}

const POLICY_LISTS = [
  ['ingress_allowed_by', 'allow'],
  ['egress_allowed_by', 'allow'],
  ['ingress_denied_by', 'deny'],
  ['egress_denied_by', 'deny'],
] as const;

const NO_POLICIES: readonly ObservedPolicy[] = Object.freeze([]);

/** Both spellings of the policy lists, to tell cheaply that a record has none (most records). */
const POLICY_KEYS = POLICY_LISTS.flatMap(([snake]) => [
  snake,
  snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
]);

function policies(f: Json): readonly ObservedPolicy[] {
  if (POLICY_KEYS.every((k) => f[k] === undefined)) return NO_POLICIES;
  let out: ObservedPolicy[] | undefined;
  for (const [name, action] of POLICY_LISTS) {
    for (const p of list(f, name)) {
      if (!isObject(p)) continue;
      const policyName = str(p, 'name');
      if (policyName === undefined) continue;
      const namespace = str(p, 'namespace');
      const derived = list(p, 'labels')
        .filter((l): l is string => typeof l === 'string')
        .find((l) => l.includes('io.cilium.k8s.policy.derived-from='));
      const kind = str(p, 'kind') ?? derived?.slice(derived.indexOf('=') + 1) ?? 'Policy';
      (out ??= []).push({ kind, name: policyName, action, namespace });
    }
  }
  return out ?? NO_POLICIES;
}

function verdictOf(f: Json): string {
  const v = field(f, 'verdict');
  if (typeof v === 'number') return VERDICTS[v] ?? 'VERDICT_UNKNOWN';
  return typeof v === 'string' ? v : 'VERDICT_UNKNOWN';
}

/** Drop reasons that mean a policy decided (flow.proto DropReason: POLICY_DENIED 133, POLICY_DENY 181). */
function policyDrop(f: Json): { policy: boolean; reason?: string } {
  const desc = field(f, 'drop_reason_desc');
  if (typeof desc === 'string' && desc !== '' && desc !== 'DROP_REASON_UNKNOWN') {
    return { policy: desc.includes('POLICY'), reason: desc };
  }
  const code = typeof desc === 'number' ? desc : num(f, 'drop_reason');
  if (code === undefined || code === 0) return { policy: false };
  return { policy: code === 133 || code === 181, reason: String(code) };
}

const LOWER = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' } as const;

function l4(f: Json): { protocol: Protocol; port: number } | 'icmp' | 'none' | 'bad-port' {
  const l = obj(f, 'l4');
  if (!l) return 'none';
  for (const [key, protocol] of [
    ['TCP', 'TCP'],
    ['UDP', 'UDP'],
    ['SCTP', 'SCTP'],
  ] as const) {
    const p = l[key] ?? l[LOWER[key]];
    if (!isObject(p)) continue;
    const port = num(p, 'destination_port');
    if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return 'bad-port';
    return { protocol, port };
  }
  if ('ICMPv4' in l || 'ICMPv6' in l || 'icmpv4' in l || 'icmpv6' in l) return 'icmp';
  return 'none';
}

/** One parsed JSON value of a Hubble file. */
export function parseHubble(value: Json): RecordParse {
  let f: Json = value;
  let wrapperTime: unknown;
  if ('flow' in value) {
    const inner = value['flow'];
    if (!isObject(inner)) return { kind: 'error', message: '"flow" is not an object', field: 'flow' };
    f = inner;
    wrapperTime = value['time'];
  } else if (!('verdict' in value) && !('IP' in value) && !('l4' in value) && !('source' in value)) {
    return { kind: 'skip', reason: 'not-a-flow' };
  }
  const type = field(f, 'Type') ?? f['type'];
  if (type === 'L7' || type === 2 || obj(f, 'l7') !== undefined) return { kind: 'skip', reason: 'l7' };
  if (bool(f, 'is_reply') || bool(f, 'reply')) return { kind: 'skip', reason: 'reply' };
  const verdict = verdictOf(f);
  if (verdict === 'ERROR') return { kind: 'skip', reason: 'error' };
  if (verdict === 'TRACED' || verdict === 'TRANSLATED' || verdict === 'VERDICT_UNKNOWN')
    return { kind: 'skip', reason: 'trace' };
  const ip = obj(f, 'IP') ?? obj(f, 'ip');
  if (!ip) return { kind: 'skip', reason: 'non-ip' };
  const ports = l4(f);
  if (ports === 'icmp') return { kind: 'skip', reason: 'icmp' };
  if (ports === 'none') return { kind: 'skip', reason: 'unsupported-protocol' };
  if (ports === 'bad-port')
    return { kind: 'error', message: 'destination_port is missing or not a port (1-65535)', field: 'l4' };
  const drop = verdict === 'DROPPED' ? policyDrop(f) : undefined;
  const outcome =
    verdict === 'AUDIT'
      ? 'audit'
      : verdict === 'DROPPED'
        ? drop?.policy === true
          ? 'denied'
          : 'dropped-other'
        : 'allowed';
  const direction = str(f, 'traffic_direction');
  const time = timeMs(field(f, 'time') ?? wrapperTime);
  return {
    kind: 'record',
    record: {
      format: 'hubble',
      source: endpoint(obj(f, 'source'), str(ip, 'source')),
      destination: endpoint(obj(f, 'destination'), str(ip, 'destination')),
      protocol: ports.protocol,
      port: ports.port,
      outcome,
      policies: policies(f),
      dropReason: drop?.reason,
      direction: direction === 'INGRESS' ? 'ingress' : direction === 'EGRESS' ? 'egress' : undefined,
      start: time,
      end: time,
      count: 1,
    },
  };
}
