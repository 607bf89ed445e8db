/**
 * Least-privilege NetworkPolicy drafts from observed allowed flows: one policy per workload, allowing
 * exactly the (peer workload or address, port) pairs that were seen, in the directions it was seen in.
 *
 * Workloads are the smallest sets of pods a label selector can name: pods of one owner (else with the
 * same stable labels), with the labels all of them share minus per-pod and per-revision ones
 * (`pod-template-hash`, ...); groups whose selectors overlap are merged until every group is exactly
 * what its selector selects in its namespace. So a generated rule allows a seen connection's whole
 * workload pair, and nothing outside it. Namespaces are named by `kubernetes.io/metadata.name`;
 * addresses outside the cluster by a /32 (/128) ipBlock; ports by the container port name every
 * destination pod gives them, else by number.
 */
import type {
  Labels,
  LabelSelector,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
  Snapshot,
} from '../model/snapshot.ts';
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.ts';
import { DESCRIPTION_ANNOTATION, draftFromPolicy } from '../editor/draft.ts';
import { draftToYaml } from '../editor/yaml.ts';
import { parseAddress } from '../eval/ip.ts';
import { selectorMatches } from '../eval/selector.ts';
import type { AggregatedFlow } from './aggregate.ts';

/** Labels that differ between replicas or revisions of one workload: never part of a generated selector. */
export const UNSTABLE_LABELS: readonly string[] = [
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
];

export interface Workload {
  readonly namespace: string;
  /** Owner name, else the `app` label, else the first pod's name. */
  readonly name: string;
  readonly pods: readonly Pod[];
  /** matchLabels that select exactly `pods` in their namespace (empty: every pod of the namespace). */
  readonly selector: Labels;
}

export interface GeneratedPolicy {
  readonly policy: NetworkPolicy;
  readonly workload: Workload;
  /** Seen flows and connections the policy's rules stand for. */
  readonly flows: number;
  readonly connections: number;
}

export interface GenerateOptions {
  readonly directions?: 'both' | 'ingress' | 'egress';
  /** Prefix of generated policy names (default `observed-`). */
  readonly prefix?: string;
}

export interface GenerateResult {
  readonly policies: readonly GeneratedPolicy[];
  /** Seen allowed flows left out, with why (an unmapped end, a hostNetwork pod, an address-less network). */
  readonly skipped: readonly { readonly flow: string; readonly reason: string }[];
}

function stableLabels(pod: Pod): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(pod.labels)) if (!UNSTABLE_LABELS.includes(k)) out[k] = v;
  return out;
}

function intersect(pods: readonly Pod[]): Labels {
  const [first, ...rest] = pods;
  if (!first) return {};
  const out: Record<string, string> = { ...stableLabels(first) };
  for (const p of rest) for (const k of Object.keys(out)) if (p.labels[k] !== out[k]) delete out[k];
  return out;
}

/** Workloads of one namespace, each exactly what its selector selects there. */
function namespaceWorkloads(pods: readonly Pod[]): Workload[] {
  const parent = pods.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const union = (a: number, b: number): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return false;
    parent[rb] = ra;
    return true;
  };
  const initial = new Map<string, number>();
  pods.forEach((p, i) => {
    const key = p.owner
      ? `o:${p.owner.kind}/${p.owner.name}`
      : `l:${JSON.stringify(Object.entries(stableLabels(p)).sort())}`;
    const first = initial.get(key);
    if (first === undefined) initial.set(key, i);
    else union(first, i);
  });
  // Merge until each group's shared labels select only the group: a selector never reaches past it.
  for (let changed = true; changed;) {
    changed = false;
    const groups = new Map<number, number[]>();
    pods.forEach((_, i) => {
      const r = find(i);
      const g = groups.get(r) ?? [];
      g.push(i);
      groups.set(r, g);
    });
    for (const [root, members] of groups) {
      // The selector the group's policy would carry, matched as the evaluator matches selectors.
      const shared = selector(intersect(members.map((i) => pods[i] as Pod)));
      pods.forEach((p, i) => {
        if (selectorMatches(shared, p.labels) && union(root, i)) changed = true;
      });
    }
  }
  const groups = new Map<number, Pod[]>();
  pods.forEach((p, i) => {
    const r = find(i);
    const g = groups.get(r) ?? [];
    g.push(p);
    groups.set(r, g);
  });
  return [...groups.values()].map((members) => {
    const first = members[0] as Pod;
    const owners = new Set(members.map((p) => (p.owner ? p.owner.name : undefined)));
    const owner = owners.size === 1 ? [...owners][0] : undefined;
    const selector = intersect(members);
    return {
      namespace: first.namespace,
      name:
        owner ?? selector['app.kubernetes.io/name'] ?? selector['app'] ?? selector['k8s-app'] ?? first.name,
      pods: members,
      selector,
    };
  });
}

/** Every pod's workload, for the namespaces asked. */
export function workloadsOf(snapshot: Snapshot, namespaces: ReadonlySet<string>): Map<string, Workload> {
  const byNamespace = new Map<string, Pod[]>();
  for (const p of snapshot.pods) {
    if (!namespaces.has(p.namespace)) continue;
    const list = byNamespace.get(p.namespace) ?? [];
    list.push(p);
    byNamespace.set(p.namespace, list);
  }
  const out = new Map<string, Workload>();
  for (const pods of byNamespace.values())
    for (const w of namespaceWorkloads(pods)) for (const p of w.pods) out.set(`${p.namespace}/${p.name}`, w);
  return out;
}

function selector(labels: Labels): LabelSelector {
  return { matchLabels: { ...labels }, matchExpressions: [] };
}

/** The port as the destination workload names it, when every pod of it gives the number one same name. */
export function portFor(dst: Workload | undefined, protocol: Protocol, port: number): PolicyPort {
  if (dst) {
    let names: Set<string> | undefined;
    for (const p of dst.pods) {
      const here = new Set(
        p.ports
          .filter((c) => c.name !== undefined && c.containerPort === port && c.protocol === protocol)
          .map((c) => c.name as string),
      );
      // A name must also mean this number on every pod (a pod could give it to another number too).
      names = names ? new Set([...names].filter((n) => here.has(n))) : here;
    }
    const name = names ? [...names].sort()[0] : undefined;
    if (name !== undefined) return { protocol, port: name };
  }
  return { protocol, port };
}

export type PeerKey = string;

interface Side {
  /** Peer key → (peer, port key → port). */
  readonly peers: Map<PeerKey, { peer: PolicyPeer; ports: Map<string, PolicyPort> }>;
  flows: number;
  connections: number;
}

/** The peer naming `other` (a workload, or an address by its /32 or /128) from a policy in `subject`'s namespace. */
export function peerFor(
  subject: Pick<Workload, 'namespace'>,
  other: Workload | string,
): [PeerKey, PolicyPeer] {
  if (typeof other === 'string') {
    const v = parseAddress(other);
    const cidr = `${other}/${other.includes(':') ? 128 : 32}`;
    return [`ip:${v ?? other}`, { kind: 'ipBlock', ipBlock: { cidr, except: [] } }];
  }
  const key = `w:${other.namespace}/${JSON.stringify(Object.entries(other.selector).sort())}`;
  if (other.namespace === subject.namespace)
    return [key, { kind: 'selector', podSelector: selector(other.selector) }];
  const namespaceSelector = selector({ [NAMESPACE_NAME_LABEL]: other.namespace });
  // An empty pod selector with a namespace: every pod of it, which is then the whole workload.
  return [
    key,
    Object.keys(other.selector).length === 0
      ? { kind: 'selector', namespaceSelector }
      : { kind: 'selector', namespaceSelector, podSelector: selector(other.selector) },
  ];
}

function addTo(side: Side, key: PeerKey, peer: PolicyPeer, port: PolicyPort, connections: number): void {
  let entry = side.peers.get(key);
  if (!entry) {
    entry = { peer, ports: new Map() };
    side.peers.set(key, entry);
  }
  entry.ports.set(`${port.protocol}/${String(port.port)}`, port);
  side.flows++;
  side.connections += connections;
}

export function comparePorts(a: PolicyPort, b: PolicyPort): number {
  const ka = `${a.protocol}/${typeof a.port === 'number' ? String(a.port).padStart(5, '0') : String(a.port)}`;
  const kb = `${b.protocol}/${typeof b.port === 'number' ? String(b.port).padStart(5, '0') : String(b.port)}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** One rule per set of ports; peers that were seen on the same ports share it. */
function rules(side: Side | undefined): PolicyRule[] {
  if (!side) return [];
  const byPorts = new Map<string, { peers: PolicyPeer[]; ports: PolicyPort[] }>();
  for (const key of [...side.peers.keys()].sort()) {
    const entry = side.peers.get(key);
    if (!entry) continue;
    const ports = [...entry.ports.values()].sort(comparePorts);
    const pk = JSON.stringify(ports);
    const r = byPorts.get(pk) ?? { peers: [], ports };
    r.peers.push(entry.peer);
    byPorts.set(pk, r);
  }
  return [...byPorts.values()].map((r) => ({ peers: r.peers, ports: r.ports }));
}

function dnsName(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, 63).replace(/-+$/, '') || 'workload';
}

/** Policies allowing the seen allowed flows, per workload (see the module comment). */
export function generatePolicies(
  snapshot: Snapshot,
  flows: Iterable<AggregatedFlow>,
  options: GenerateOptions = {},
): GenerateResult {
  const directions = options.directions ?? 'both';
  const prefix = options.prefix ?? 'observed-';
  const seen: AggregatedFlow[] = [];
  const skipped: { flow: string; reason: string }[] = [];
  const namespaces = new Set<string>();
  const podsByKey = new Map<string, Pod>(snapshot.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  for (const f of flows) {
    if (f.counts.allowed === 0) continue;
    const label = `${f.src.label} → ${f.dst.label} ${f.port}/${f.protocol}`;
    const ends = [f.src.endpoint, f.dst.endpoint];
    const bad = ends.find((e) => e.kind === 'unmapped' || (e.kind === 'external' && e.by === 'network'));
    if (bad) {
      skipped.push({
        flow: label,
        reason:
          bad.kind === 'unmapped'
            ? `an end is not in the snapshot: ${bad.reason}`
            : 'Calico reports no address for a network end',
      });
      continue;
    }
    if (ends.every((e) => e.kind === 'external')) continue;
    const host = ends
      .flatMap((e) => (e.kind === 'pods' ? e.pods : []))
      .find((k) => podsByKey.get(k)?.hostNetwork === true);
    if (host !== undefined) {
      skipped.push({ flow: label, reason: `${host} uses the host network: policies do not apply to it` });
      continue;
    }
    for (const e of ends)
      if (e.kind === 'pods') for (const k of e.pods) namespaces.add(k.slice(0, k.indexOf('/')));
    seen.push(f);
  }
  const workloads = workloadsOf(snapshot, namespaces);
  const ingress = new Map<Workload, Side>();
  const egress = new Map<Workload, Side>();
  const side = (m: Map<Workload, Side>, w: Workload): Side => {
    let s = m.get(w);
    if (!s) {
      s = { peers: new Map(), flows: 0, connections: 0 };
      m.set(w, s);
    }
    return s;
  };
  const members = (e: AggregatedFlow['src']['endpoint']): (Workload | string)[] => {
    if (e.kind === 'external') return [...e.ips];
    if (e.kind !== 'pods') return [];
    return [...new Set(e.pods.map((k) => workloads.get(k)).filter((w): w is Workload => w !== undefined))];
  };
  for (const f of seen) {
    const srcs = members(f.src.endpoint);
    const dsts = members(f.dst.endpoint);
    for (const s of srcs)
      for (const d of dsts) {
        if (typeof d !== 'string' && directions !== 'egress') {
          const [key, peer] = peerFor(d, s);
          addTo(side(ingress, d), key, peer, portFor(d, f.protocol, f.port), f.counts.allowed);
        }
        if (typeof s !== 'string' && directions !== 'ingress') {
          const [key, peer] = peerFor(s, d);
          const dst = typeof d === 'string' ? undefined : d;
          addTo(side(egress, s), key, peer, portFor(dst, f.protocol, f.port), f.counts.allowed);
        }
      }
  }
  const subjects = [...new Set([...ingress.keys(), ...egress.keys()])].sort((a, b) =>
    a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1,
  );
  const used = new Set<string>();
  const policies: GeneratedPolicy[] = subjects.map((w) => {
    const inSide = ingress.get(w);
    const outSide = egress.get(w);
    let name = dnsName(`${prefix}${w.name}`);
    for (let i = 2; used.has(`${w.namespace}/${name}`); i++) name = dnsName(`${prefix}${w.name}-${i}`);
    used.add(`${w.namespace}/${name}`);
    const flowCount = (inSide?.flows ?? 0) + (outSide?.flows ?? 0);
    const policy: NetworkPolicy = {
      namespace: w.namespace,
      name,
      podSelector: selector(w.selector),
      policyTypes: [...(inSide ? (['Ingress'] as const) : []), ...(outSide ? (['Egress'] as const) : [])],
      policyTypesDeclared: true,
      ingress: rules(inSide),
      egress: rules(outSide),
      labels: {},
      annotations: {
        [DESCRIPTION_ANNOTATION]: `Drafted by netglass from ${flowCount} observed flow${flowCount === 1 ? '' : 's'} of ${w.pods.length} pod${w.pods.length === 1 ? '' : 's'}: allows only what was seen. Review before applying.`,
      },
    };
    return {
      policy,
      workload: w,
      flows: flowCount,
      connections: (inSide?.connections ?? 0) + (outSide?.connections ?? 0),
    };
  });
  return { policies, skipped };
}

/** The policy as YAML, through the policy editor's writer (a new draft: no origin). */
export function policyYaml(policy: NetworkPolicy): string {
  const { origin: _existing, ...draft } = draftFromPolicy(policy);
  return draftToYaml(draft);
}
