/**
 * What the NetworkPolicy lint rules ask of a snapshot: which pods a policy selects, which pods a peer
 * matches, what a named port resolves to. Every label test is the evaluator's (`selectorMatches`,
 * `selectorMatchesByName`, `resolveNamedPort`, `parseCidr`/`parseAddress`); this module only composes them
 * the way the model documents a peer (a lone podSelector means the policy's own namespace) and caches the
 * answers per selector, so a rule costs O(distinct selectors × pods), not O(peers × pods).
 */
import type {
  LabelSelector,
  Namespace,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  Snapshot,
  SourceLocation,
} from '../model/snapshot.ts';
import { NAMESPACE_NAME_LABEL, policyKey, PROTOCOLS } from '../model/snapshot.ts';
import { parseAddress, parseCidr } from '../eval/ip.ts';
import { resolveNamedPort } from '../eval/named-ports.ts';
import { encodePort, protocolRange } from '../eval/ports.ts';
import { selectorKey, selectorMatches, selectorMatchesByName } from '../eval/selector.ts';
import type { LintFinding, LintRule } from './types.ts';

export type Direction = 'ingress' | 'egress';
export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

/** A selector peer (the only kind that selects pods by label). */
export type SelectorPeer = Extract<PolicyPeer, { kind: 'selector' }>;

/** Pods and external address ranges a peer (or a rule's peers together) matches. */
export interface PeerSet {
  readonly pods: ReadonlySet<Pod>;
  /** Address ranges outside the pods (ipBlocks), sorted and disjoint, inclusive bounds. */
  readonly ranges: readonly (readonly [bigint, bigint])[];
}

/** A peer without podSelector: every pod of its namespaces (one object, so its key is computed once). */
const EVERY_POD: LabelSelector = { matchLabels: {}, matchExpressions: [] };

const ALL_ADDRESSES: readonly [bigint, bigint] = [0n, (1n << 128n) + (1n << 32n) - 1n];

export class NpIndex {
  readonly snapshot: Snapshot;
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly #podsByNamespace = new Map<string, Pod[]>();
  readonly #podSelections = new Map<string, readonly Pod[]>();
  readonly #namespaceSelections = new Map<string, readonly string[]>();
  readonly #addresses = new Map<Pod, readonly bigint[]>();

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    const namespaces = new Map(snapshot.namespaces.map((n) => [n.name, n] as const));
    // As the evaluator does: a namespace only referenced is there, with only its name label known.
    for (const { namespace } of [...snapshot.pods, ...snapshot.policies])
      if (!namespaces.has(namespace))
        namespaces.set(namespace, {
          name: namespace,
          labels: { [NAMESPACE_NAME_LABEL]: namespace },
          declared: false,
        });
    this.namespaces = namespaces;
    for (const pod of snapshot.pods) {
      const list = this.#podsByNamespace.get(pod.namespace);
      if (list) list.push(pod);
      else this.#podsByNamespace.set(pod.namespace, [pod]);
    }
  }

  podsIn(namespace: string): readonly Pod[] {
    return this.#podsByNamespace.get(namespace) ?? [];
  }

  /** Namespaces that hold at least one pod, sorted. */
  populatedNamespaces(): string[] {
    return [...this.#podsByNamespace.keys()].sort();
  }

  /** Pods of `namespace` (hostNetwork ones included) whose labels `selector` matches. */
  podsMatching(namespace: string, selector: LabelSelector): readonly Pod[] {
    const key = `${namespace}\u0000${keyOf(selector)}`;
    let pods = this.#podSelections.get(key);
    if (!pods) {
      pods = this.podsIn(namespace).filter((p) => selectorMatches(selector, p.labels));
      this.#podSelections.set(key, pods);
    }
    return pods;
  }

  /** The pods a policy applies to: those it selects that are on the pod network (hostNetwork pods never are). */
  subjects(policy: NetworkPolicy): readonly Pod[] {
    return this.podsMatching(policy.namespace, policy.podSelector).filter((p) => !p.hostNetwork);
  }

  /**
   * Namespaces a namespaceSelector matches. A namespace whose labels are unknown (not declared in the
   * input, or not readable) is decided by its name where that decides it; otherwise it counts as a match
   * when `possibly`, and not as one when not (so callers can take the side that keeps them from claiming
   * too much).
   */
  namespacesMatching(selector: LabelSelector, possibly: boolean): readonly string[] {
    const key = `${possibly ? 'p' : 's'}${keyOf(selector)}`;
    let names = this.#namespaceSelections.get(key);
    if (!names) {
      const unread = this.snapshot.visibility?.namespacesUnreadable === true;
      names = [...this.namespaces.values()]
        .filter((ns) => {
          if (!unread && ns.declared) return selectorMatches(selector, ns.labels);
          const byName = selectorMatchesByName(selector, ns.name);
          return byName === 'unknown' ? possibly : byName;
        })
        .map((ns) => ns.name);
      this.#namespaceSelections.set(key, names);
    }
    return names;
  }

  /** The namespaces a selector peer of `policy` looks in (see `namespacesMatching` for `possibly`). */
  peerNamespaces(policy: NetworkPolicy, peer: SelectorPeer, possibly: boolean): readonly string[] {
    return peer.namespaceSelector
      ? this.namespacesMatching(peer.namespaceSelector, possibly)
      : [policy.namespace];
  }

  /** Pods a selector peer of `policy` matches (see `namespacesMatching` for `possibly`). */
  selectorPeerPods(policy: NetworkPolicy, peer: SelectorPeer, possibly: boolean): Pod[] {
    const selector = peer.podSelector ?? EVERY_POD;
    return this.peerNamespaces(policy, peer, possibly).flatMap((ns) => this.podsMatching(ns, selector));
  }

  /** Whether a selector peer of `policy` matches at least one pod (cheaper than listing them). */
  selectorPeerMatchesAny(policy: NetworkPolicy, peer: SelectorPeer, possibly: boolean): boolean {
    const selector = peer.podSelector ?? EVERY_POD;
    return this.peerNamespaces(policy, peer, possibly).some(
      (ns) => this.podsMatching(ns, selector).length > 0,
    );
  }

  /** Whether pods of `namespace` may be missing from the snapshot (not read from a live cluster). */
  podsUnread(namespace: string): boolean {
    const unreadable = this.snapshot.visibility?.podsUnreadable;
    return unreadable === 'all' || (unreadable?.includes(namespace) ?? false);
  }

  /** Whether NetworkPolicies of `namespace` may be missing from the snapshot. */
  policiesUnread(namespace: string): boolean {
    const unreadable = this.snapshot.visibility?.policiesUnreadable;
    return unreadable === 'all' || (unreadable?.includes(namespace) ?? false);
  }

  /** Whether a namespaceSelector's answer depends on labels that could not be read. */
  get namespaceLabelsUnread(): boolean {
    return this.snapshot.visibility?.namespacesUnreadable === true;
  }

  #podAddresses(pod: Pod): readonly bigint[] {
    let values = this.#addresses.get(pod);
    if (!values) {
      values = pod.ips.map(parseAddress).filter((v): v is bigint => v !== undefined);
      this.#addresses.set(pod, values);
    }
    return values;
  }

  /** Pods with an address in `ranges` (an ipBlock matches pods by their IPs, as the evaluator does). */
  #podsInRanges(key: string, ranges: readonly (readonly [bigint, bigint])[]): readonly Pod[] {
    let pods = this.#blockPods.get(key);
    if (!pods) {
      pods = this.snapshot.pods.filter((pod) =>
        this.#podAddresses(pod).some((v) => ranges.some(([lo, hi]) => lo <= v && v <= hi)),
      );
      this.#blockPods.set(key, pods);
    }
    return pods;
  }

  readonly #blockPods = new Map<string, readonly Pod[]>();

  /**
   * What the peers of a rule of `policy` match together: pods (by selector, or by IP in an ipBlock) and
   * address ranges (see `namespacesMatching` for `possibly`).
   */
  rulePeers(policy: NetworkPolicy, peers: 'any' | readonly PolicyPeer[], possibly: boolean): PeerSet {
    // Policies repeat a few peer lists; a big cluster would otherwise build one set of every pod per rule.
    const ownNamespace = peers !== 'any' && peers.some((p) => p.kind === 'selector' && !p.namespaceSelector);
    const key = `${possibly ? 'p' : 's'}${ownNamespace ? policy.namespace : ''}\u0000${peerListKey(peers)}`;
    let set = this.#rulePeers.get(key);
    if (!set) {
      set = this.#computeRulePeers(policy, peers, possibly);
      this.#rulePeers.set(key, set);
    }
    return set;
  }

  readonly #rulePeers = new Map<string, PeerSet>();

  #computeRulePeers(policy: NetworkPolicy, peers: 'any' | readonly PolicyPeer[], possibly: boolean): PeerSet {
    if (peers === 'any') return { pods: new Set(this.snapshot.pods), ranges: [ALL_ADDRESSES] };
    const pods = new Set<Pod>();
    const ranges: [bigint, bigint][] = [];
    for (const peer of peers) {
      if (peer.kind === 'selector') {
        for (const pod of this.selectorPeerPods(policy, peer, possibly)) pods.add(pod);
        continue;
      }
      const block = blockRanges(peer.ipBlock.cidr, peer.ipBlock.except);
      ranges.push(...block);
      const key = [peer.ipBlock.cidr, ...peer.ipBlock.except].join(' ');
      for (const pod of this.#podsInRanges(key, block)) pods.add(pod);
    }
    return { pods, ranges: mergeRanges(ranges) };
  }
}

const SELECTOR_KEYS = new WeakMap<LabelSelector, string>();

/** `selectorKey`, once per selector object (the same selector is looked up for every pod of a namespace). */
function keyOf(selector: LabelSelector): string {
  let key = SELECTOR_KEYS.get(selector);
  if (key === undefined) {
    key = selectorKey(selector);
    SELECTOR_KEYS.set(selector, key);
  }
  return key;
}

/** Equal keys ⇔ equal peer lists (selectors compared as `selectorKey` does). */
function peerListKey(peers: 'any' | readonly PolicyPeer[]): string {
  if (peers === 'any') return 'any';
  return peers
    .map((p) =>
      p.kind === 'ipBlock'
        ? `b${[p.ipBlock.cidr, ...p.ipBlock.except].join(' ')}`
        : `s${p.namespaceSelector ? keyOf(p.namespaceSelector) : '-'}|${p.podSelector ? keyOf(p.podSelector) : '-'}`,
    )
    .join('\n');
}

/** An ipBlock as inclusive ranges: the CIDR minus its exceptions. */
function blockRanges(cidr: string, except: readonly string[]): [bigint, bigint][] {
  const whole = parseCidr(cidr);
  if (!whole) return [];
  let out: [bigint, bigint][] = [[whole.start, whole.end]];
  for (const e of except) {
    const hole = parseCidr(e);
    if (!hole) continue;
    out = out.flatMap(([lo, hi]): [bigint, bigint][] => {
      if (hole.end < lo || hole.start > hi) return [[lo, hi]];
      const parts: [bigint, bigint][] = [];
      if (hole.start > lo) parts.push([lo, hole.start - 1n]);
      if (hole.end < hi) parts.push([hole.end + 1n, hi]);
      return parts;
    });
  }
  return out;
}

function mergeRanges(ranges: readonly (readonly [bigint, bigint])[]): [bigint, bigint][] {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) last[1] = hi > last[1] ? hi : last[1];
    else out.push([lo, hi]);
  }
  return out;
}

/** Whether every range of `inner` lies inside the (merged) ranges of `outer`. */
export function rangesWithin(
  inner: readonly (readonly [bigint, bigint])[],
  outer: readonly (readonly [bigint, bigint])[],
): boolean {
  return inner.every(([lo, hi]) => outer.some(([olo, ohi]) => olo <= lo && hi <= ohi));
}

/**
 * The ports a rule's `ports` allow toward destination `dst` (a pod, or undefined for an address outside
 * the pods, where named ports match nothing), as inclusive ranges on the evaluator's port number line
 * (`encodePort`: one line for every protocol).
 */
export function rulePortRanges(
  ports: 'any' | readonly PolicyPort[],
  dst: Pod | undefined,
): [number, number][] {
  if (ports === 'any') return PROTOCOLS.map(protocolRange);
  const out: [number, number][] = [];
  for (const p of ports) {
    if (p.port === undefined) out.push(protocolRange(p.protocol));
    else if (typeof p.port === 'number')
      out.push([encodePort(p.protocol, p.port), encodePort(p.protocol, p.endPort ?? p.port)]);
    else if (dst)
      for (const r of resolveNamedPort(dst, { name: p.port, protocol: p.protocol }))
        out.push([encodePort(r.protocol, r.port), encodePort(r.protocol, r.port)]);
  }
  return out;
}

/** Whether the ports depend on the destination pod (a named port is resolved there). */
export function hasNamedPort(ports: 'any' | readonly PolicyPort[]): boolean {
  return ports !== 'any' && ports.some((p) => typeof p.port === 'string');
}

/** Whether every port range of `inner` is inside the union of `outer`'s. */
export function portsWithin(inner: readonly [number, number][], outer: readonly [number, number][]): boolean {
  const merged = [...outer].sort((a, b) => a[0] - b[0]);
  const union: [number, number][] = [];
  for (const [lo, hi] of merged) {
    const last = union[union.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else union.push([lo, hi]);
  }
  return inner.every(([lo, hi]) => lo > hi || union.some(([olo, ohi]) => olo <= lo && hi <= ohi));
}

// ---- findings about NetworkPolicies

export function npTitle(p: NetworkPolicy): string {
  return `NetworkPolicy \`${policyKey(p)}\``;
}

export function npAt(p: { readonly location?: SourceLocation }): string {
  return p.location ? ` (${p.location.file}:${p.location.line})` : '';
}

/** `spec.ingress[1]` */
export function rulePath(direction: Direction, index: number): string {
  return `spec.${direction}[${index}]`;
}

/** `spec.ingress[1].from[0]` */
export function peerPath(direction: Direction, rule: number, peer: number): string {
  return `${rulePath(direction, rule)}.${direction === 'ingress' ? 'from' : 'to'}[${peer}]`;
}

export interface NpFindingText {
  readonly field?: string;
  readonly message: string;
  readonly fix: string;
}

export type NpReport = (policy: NetworkPolicy, text: NpFindingText) => void;

/** A rule whose check reports findings about NetworkPolicies; id, severity, object and location are filled in. */
export function npRule(
  spec: Pick<LintRule, 'id' | 'severity' | 'summary'>,
  check: (index: NpIndex, report: NpReport) => void,
): LintRule {
  return {
    ...spec,
    check(snapshot) {
      const out: LintFinding[] = [];
      check(indexFor(snapshot), (policy, text) =>
        out.push({
          id: spec.id,
          severity: spec.severity,
          object: policyKey(policy),
          ...(policy.location ? { location: policy.location } : {}),
          ...(text.field !== undefined ? { field: text.field } : {}),
          message: text.message,
          fix: text.fix,
        }),
      );
      return out;
    },
  };
}

/** One index per snapshot, shared by the rules of one `lintSnapshot` call (snapshots are immutable). */
const INDEXES = new WeakMap<Snapshot, NpIndex>();

export function indexFor(snapshot: Snapshot): NpIndex {
  let index = INDEXES.get(snapshot);
  if (!index) {
    index = new NpIndex(snapshot);
    INDEXES.set(snapshot, index);
  }
  return index;
}

export function rulesOf(p: NetworkPolicy, direction: Direction): NetworkPolicy['ingress'] {
  return direction === 'ingress' ? p.ingress : p.egress;
}

/** Whether the policy's rules of `direction` take effect (the direction is among its policy types). */
export function enforces(p: NetworkPolicy, direction: Direction): boolean {
  return p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
}
