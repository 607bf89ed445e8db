/**
 * Words and YAML for what policies say: each rule's peers and ports in plain language, the policy as
 * YAML rendered from the normalized model (read-only), and which policies name a pod as a peer.
 */
import { peerText, probeText } from '../../../shared/eval/wording.ts';
import { parseAddress, parseCidr } from '../../../shared/eval/ip.ts';
import { selectorMatches } from '../../../shared/eval/selector.ts';
import type { Direction, Peer, PortProbe } from '../../../shared/eval/index.ts';
import {
  policyKey,
  type LabelSelector,
  type NetworkPolicy,
  type Pod,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import { describeSelector, isEmptySelector, podDisplayName } from './summary.ts';

export function describePeer(peer: PolicyPeer, policyNamespace: string): string {
  if (peer.kind === 'ipBlock') {
    const { cidr, except } = peer.ipBlock;
    return except.length === 0 ? `addresses in ${cidr}` : `addresses in ${cidr} except ${except.join(', ')}`;
  }
  const pods =
    peer.podSelector === undefined || isEmptySelector(peer.podSelector)
      ? 'all pods'
      : `pods ${describeSelector(peer.podSelector)}`;
  if (peer.namespaceSelector === undefined) return `${pods} in ${policyNamespace}`;
  if (isEmptySelector(peer.namespaceSelector)) return `${pods} in every namespace`;
  return `${pods} in namespaces ${describeSelector(peer.namespaceSelector)}`;
}

export function describePort(port: PolicyPort): string {
  if (port.port === undefined) return `${port.protocol} every port`;
  if (typeof port.port === 'string') return `${port.protocol} ${port.port} (named)`;
  return port.endPort !== undefined
    ? `${port.protocol} ${port.port}–${port.endPort}`
    : `${port.protocol} ${port.port}`;
}

export interface RuleDescription {
  readonly direction: Direction;
  readonly index: number;
  /** `ingress[0]` */
  readonly label: string;
  readonly peers: readonly string[];
  readonly ports: readonly string[];
  /** The direction is not in the policy's types: the rule has no effect. */
  readonly ignored: boolean;
}

export function describeRules(policy: NetworkPolicy): RuleDescription[] {
  const out: RuleDescription[] = [];
  const add = (direction: Direction, rules: readonly PolicyRule[]): void => {
    const ignored = !policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
    rules.forEach((rule, index) => {
      out.push({
        direction,
        index,
        label: `${direction}[${index}]`,
        peers:
          rule.peers === 'any'
            ? ['everyone (every pod and every address)']
            : rule.peers.map((p) => describePeer(p, policy.namespace)),
        ports: rule.ports === 'any' ? ['every port'] : rule.ports.map(describePort),
        ignored,
      });
    });
  };
  add('ingress', policy.ingress);
  add('egress', policy.egress);
  return out;
}

// ---------- YAML ----------

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

export function scalar(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (PLAIN.test(value) && !RESERVED.test(value) && !/^\d+(\.\d+)?$/.test(value)) return value;
  return JSON.stringify(value);
}

function selectorYaml(selector: LabelSelector, indent: string): string[] {
  const lines: string[] = [];
  const labels = Object.entries(selector.matchLabels);
  if (labels.length > 0) {
    lines.push(`${indent}matchLabels:`);
    for (const [k, v] of labels) lines.push(`${indent}  ${scalar(k)}: ${scalar(v)}`);
  }
  if (selector.matchExpressions.length > 0) {
    lines.push(`${indent}matchExpressions:`);
    for (const e of selector.matchExpressions) {
      lines.push(`${indent}  - key: ${scalar(e.key)}`);
      lines.push(`${indent}    operator: ${e.operator}`);
      if (e.values.length > 0) lines.push(`${indent}    values: [${e.values.map(scalar).join(', ')}]`);
    }
  }
  return lines;
}

export function selectorField(name: string, selector: LabelSelector, indent: string): string[] {
  const body = selectorYaml(selector, `${indent}  `);
  return body.length === 0 ? [`${indent}${name}: {}`] : [`${indent}${name}:`, ...body];
}

function peerYaml(peer: PolicyPeer, indent: string): string[] {
  const first = `${indent}- `;
  const rest = `${indent}  `;
  let lines: string[];
  if (peer.kind === 'ipBlock') {
    lines = [`${rest}ipBlock:`, `${rest}  cidr: ${scalar(peer.ipBlock.cidr)}`];
    if (peer.ipBlock.except.length > 0) {
      lines.push(`${rest}  except:`);
      for (const e of peer.ipBlock.except) lines.push(`${rest}    - ${scalar(e)}`);
    }
  } else {
    lines = [];
    if (peer.namespaceSelector !== undefined)
      lines.push(...selectorField('namespaceSelector', peer.namespaceSelector, rest));
    if (peer.podSelector !== undefined) lines.push(...selectorField('podSelector', peer.podSelector, rest));
  }
  if (lines.length === 0) return [`${first}{}`];
  lines[0] = first + (lines[0] ?? '').slice(rest.length);
  return lines;
}

function portYaml(port: PolicyPort, indent: string): string[] {
  const lines = [`${indent}- protocol: ${port.protocol}`];
  if (port.port !== undefined) lines.push(`${indent}  port: ${scalar(port.port)}`);
  if (port.endPort !== undefined) lines.push(`${indent}  endPort: ${port.endPort}`);
  return lines;
}

function rulesYaml(name: 'ingress' | 'egress', rules: readonly PolicyRule[]): string[] {
  if (rules.length === 0) return [];
  const lines = [`  ${name}:`];
  const peerField = name === 'ingress' ? 'from' : 'to';
  for (const rule of rules) {
    const body: string[] = [];
    if (rule.peers !== 'any') {
      body.push(`    ${peerField}:`);
      for (const p of rule.peers) body.push(...peerYaml(p, '      '));
    }
    if (rule.ports !== 'any') {
      body.push('    ports:');
      for (const p of rule.ports) body.push(...portYaml(p, '      '));
    }
    if (body.length === 0) lines.push('    - {}');
    else {
      body[0] = `    - ${(body[0] ?? '').slice(4)}`;
      lines.push(...body.map((l, i) => (i === 0 ? l : `  ${l}`)));
    }
  }
  return lines;
}

/** The policy as YAML, from the normalized model (so defaults netglass applied are visible as comments). */
export function policyYaml(policy: NetworkPolicy): string {
  const lines = ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:'];
  lines.push(`  name: ${scalar(policy.name)}`, `  namespace: ${scalar(policy.namespace)}`);
  const labels = Object.entries(policy.labels);
  if (labels.length > 0) {
    lines.push('  labels:');
    for (const [k, v] of labels) lines.push(`    ${scalar(k)}: ${scalar(v)}`);
  }
  const annotations = Object.entries(policy.annotations);
  if (annotations.length > 0) {
    lines.push('  annotations:');
    for (const [k, v] of annotations) lines.push(`    ${scalar(k)}: ${scalar(v)}`);
  }
  lines.push('spec:');
  lines.push(...selectorField('podSelector', policy.podSelector, '  '));
  if (policy.policyTypesDeclared) {
    lines.push('  policyTypes:');
    for (const t of policy.policyTypes) lines.push(`    - ${t}`);
  } else {
    lines.push(`  # policyTypes not set: in effect ${policy.policyTypes.join(', ') || 'none'}`);
  }
  lines.push(...rulesYaml('ingress', policy.ingress));
  lines.push(...rulesYaml('egress', policy.egress));
  return `${lines.join('\n')}\n`;
}

// ---------- peers ----------

function podInPeer(
  peer: PolicyPeer,
  policy: NetworkPolicy,
  pod: Pod,
  nsLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
): boolean {
  if (peer.kind === 'ipBlock') {
    const range = parseCidr(peer.ipBlock.cidr);
    if (range === undefined) return false;
    return pod.ips.some((ip) => {
      const v = parseAddress(ip);
      if (v === undefined || v < range.start || v > range.end) return false;
      return !peer.ipBlock.except.some((e) => {
        const r = parseCidr(e);
        return r !== undefined && v >= r.start && v <= r.end;
      });
    });
  }
  const nsOk =
    peer.namespaceSelector === undefined
      ? pod.namespace === policy.namespace
      : selectorMatches(peer.namespaceSelector, nsLabels.get(pod.namespace) ?? {});
  if (!nsOk) return false;
  return peer.podSelector === undefined || selectorMatches(peer.podSelector, pod.labels);
}

export interface PeerReference {
  readonly policy: string;
  readonly direction: Direction;
  readonly rule: number;
}

/** Rules (of effective directions) whose peer list names this pod by a selector or an ipBlock. */
export function policiesNamingPod(snapshot: Snapshot, pod: Pod): PeerReference[] {
  const nsLabels = new Map(snapshot.namespaces.map((n) => [n.name, n.labels]));
  const refs: PeerReference[] = [];
  for (const policy of snapshot.policies) {
    const check = (direction: Direction, rules: readonly PolicyRule[]): void => {
      if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) return;
      rules.forEach((rule, index) => {
        if (rule.peers === 'any') return;
        if (rule.peers.some((p) => podInPeer(p, policy, pod, nsLabels)))
          refs.push({ policy: policyKey(policy), direction, rule: index });
      });
    };
    check('ingress', policy.ingress);
    check('egress', policy.egress);
  }
  return refs;
}

/**
 * `ns/pod`, or an address; with the snapshot's ipBlock CIDRs (`snapshotCidrs`), the stand-in for
 * addresses no ipBlock names reads "any other address".
 */
export function peerLabel(peer: Peer, cidrs?: readonly string[]): string {
  if (cidrs !== undefined) return peerText(peer, cidrs);
  return peer.kind === 'pod' ? `${peer.namespace}/${peer.name}` : peer.ip;
}

export function shortPodName(pod: Pod): string {
  const d = podDisplayName(pod);
  return d.secondary === '' ? d.primary : `${d.primary}-${d.secondary}`;
}

/**
 * A universe port as the UI labels it: `TCP 443`, or "any other TCP port" for the stand-in of the
 * ports no policy names (the same words the CLI prints; see shared/eval/wording.ts).
 */
export function formatProbe(
  probe: PortProbe,
  mentioned: readonly PortProbe[],
  universe?: readonly PortProbe[],
): string {
  return probeText(probe, mentioned, 'ui', universe);
}
