/**
 * Connection diff between two states of a cluster: what `netglass diff` prints and what the policy
 * editor's what-if view colours (added green, removed red, the rest unchanged). One function for both:
 * `diffConnections(before, after, options)` over two snapshots (the UI passes its current snapshot and
 * `applyDeltas(current, drafts)`).
 *
 * ## The universe compared
 *
 * - Pods: those present in BOTH states (same `namespace/name`). A pod present in one state only is
 *   listed under `pods.added` / `pods.removed`, and its connections are not compared at all (they are
 *   neither changes nor unchanged: with the pod gone, "its connections changed" says nothing a list
 *   of added/removed pods does not). A pod in both states whose labels, IPs, named ports or hostNetwork
 *   differ is listed under `pods.changed` and compared like any other (a relabelled pod can gain or
 *   lose connections).
 * - External addresses: one representative address per class of addresses that the ipBlocks (and the
 *   Cilium CIDRs, Calico nets and network sets) of BOTH states treat alike (the common refinement of the two states' IP atoms). Each state's own universe
 *   externals are used as the representatives where they fall in a class (so the addresses are the
 *   familiar ones), a fresh address where a class has none (the plain union could miss a change: with
 *   10.0.0.0/8 before and 10.0.0.0/16 after, no address of either universe lies in 10.1.0.0-10.255.255.255);
 *   never a pod IP of either state; IPv6 only when a pod or an ipBlock of either state uses it (as in
 *   `universe()`). Both states are asked about exactly these addresses.
 * - Ports: the union of both states' universe ports (`Analyzer.universe()`), plus the lowest port of
 *   every class of ports that the rules of both states treat alike and that holds none of them (same
 *   reason). A probe stands for its class: counts are in (from, to, probe) connections, as in `summary`.
 * - Connections: ordered pairs of distinct endpoints with at least one pod, times the probes.
 *
 * ## Verdict transitions
 *
 * Each connection has a verdict per state (`allowed`, `denied`, or `unknown` under partial visibility,
 * see visibility.ts) and falls in exactly one class:
 * - `added`: denied before, allowed after; `removed`: allowed before, denied after;
 * - `becameUnknown`: allowed or denied before, unknown after; `becameKnown`: unknown before, allowed or
 *   denied after (manifests never produce these);
 * - `unchanged`: the same verdict in both states (unknown in both included).
 *
 * ## Cost
 *
 * Pods are grouped by (class before, class after): two pods of a group are alike in both states. Every
 * pair of groups is compared once with bitmasks over the probes (per-profile tables as in `summary`),
 * weighted by the group sizes: O(groups² × probes/32), never pods². When only policies changed (the
 * what-if case), only pairs with an end an edited policy selects are compared. Lists are expanded to
 * pods only for the first `limit` entries of each, in a stable order (source, then destination: pods
 * by `namespace/name`, then addresses; then probe), with exact counts beside them.
 */
import { applySnapshotDeltas } from '../model/delta.ts';
import type {
  CalicoPolicy,
  CiliumPolicy,
  ClusterNetworkPolicy,
  IPBlock,
  Namespace,
  NetworkPolicy,
  Pod,
  Snapshot,
} from '../model/snapshot.ts';
import { calicoPolicyKey, ciliumPolicyKey, clusterPolicyKey, podKey, policyKey } from '../model/snapshot.ts';
import { hasBit, popcount32 } from './bitset.ts';
import { formatAddress, isIPv4Value, parseAddress, parseCidr } from './ip.ts';
import { IPPartition, ipBlockKey } from './ipatoms.ts';
import { decodePort, encodePort, PROTOCOL_ORDER, protocolRange } from './ports.ts';
import type { Profile } from './profile.ts';
import { egressMasks, externalEntity, ingressMasks, ProbeSet, type Entity } from './query.ts';
import { calicoInput, EvalState } from './state.ts';
import type { ConnectionRef, Direction, PortProbe, Verdict } from './types.ts';
import { mentionedPorts, rulePortSets, universe } from './universe.ts';
import { adminIPBlocks } from './admin.ts';
import { calicoIPBlocks } from './calico.ts';
import { ciliumIPBlocks } from './cilium.ts';
import { profileTable } from './tables.ts';

export type ChangeKind = 'added' | 'removed' | 'becameUnknown' | 'becameKnown';
export const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'removed', 'becameUnknown', 'becameKnown'];

/** One changed connection, with its verdict in each state. */
export interface ConnectionChange extends ConnectionRef {
  readonly before: Verdict;
  readonly after: Verdict;
}

export interface DiffCounts {
  readonly added: number;
  readonly removed: number;
  /** 0 unless a state has partial visibility. */
  readonly becameUnknown: number;
  readonly becameKnown: number;
  readonly unchanged: number;
  readonly total: number;
}

export interface PortDiff extends DiffCounts {
  readonly probe: PortProbe;
}

/** Changes from pods of namespace `from` to pods of `to`; `null` stands for the external addresses. */
export interface NamespacePairDiff {
  readonly from: string | null;
  readonly to: string | null;
  readonly added: number;
  readonly removed: number;
  readonly becameUnknown: number;
  readonly becameKnown: number;
}

/** Object keys (`namespace/name`, or the name for namespaces), sorted. */
export interface ObjectChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Present in both states with a different meaning (pods: labels, IPs, named ports, hostNetwork;
   * policies: spec; namespaces: labels). */
  readonly changed: readonly string[];
}

/**
 * Changed connections touching an added, removed or changed policy: those whose source the policy
 * selects for egress, or whose destination it selects for ingress, in either state. A hint of which
 * edit did what, not an exclusive attribution: two edited policies selecting the same pods both count
 * the same connections. Computed when at most 64 policies differ.
 */
export interface PolicyAttribution {
  readonly policy: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly added: number;
  readonly removed: number;
  readonly becameUnknown: number;
  readonly becameKnown: number;
}

export interface DiffUniverse {
  /** Pods present in both states (the pods compared). */
  readonly pods: number;
  readonly externals: readonly string[];
  readonly ports: readonly PortProbe[];
  /** A state could not read everything (live source); counts cover what was read. */
  readonly partial: boolean;
}

export interface ConnectionDiff {
  readonly universe: DiffUniverse;
  readonly counts: DiffCounts;
  /** Per probe of `universe.ports`, in that order. */
  readonly ports: readonly PortDiff[];
  /** Namespace pairs with at least one change, sorted (externals last). */
  readonly namespacePairs: readonly NamespacePairDiff[];
  readonly added: readonly ConnectionChange[];
  readonly removed: readonly ConnectionChange[];
  readonly becameUnknown: readonly ConnectionChange[];
  readonly becameKnown: readonly ConnectionChange[];
  /** Some list holds fewer entries than its count (cut at `limit`). */
  readonly truncated: boolean;
  readonly pods: ObjectChanges;
  readonly policies: ObjectChanges;
  /** Admin-tier policies, by `clusterPolicyKey`. */
  readonly clusterPolicies: ObjectChanges;
  /** Cilium policies, by `ciliumPolicyKey`. */
  readonly ciliumPolicies: ObjectChanges;
  /** Calico policies (staged ones included, under their own kind), by `calicoPolicyKey`. */
  readonly calicoPolicies: ObjectChanges;
  readonly namespaces: ObjectChanges;
  /** Empty when no policy differs, or more than 64 do. */
  readonly attribution: readonly PolicyAttribution[];
}

export interface DiffOptions {
  /** Entries per list (default 1000). Counts are exact whatever the limit. */
  readonly limit?: number;
}

/** The snapshot with these changes applied (what `Analyzer.whatIf` analyses), for `diffConnections`. */
export const applyDeltas = applySnapshotDeltas;

// ---- object changes

/** JSON with object keys sorted, so label maps written in another order compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function podMeaning(p: Pod): string {
  const ports = p.ports
    .filter((c) => c.name !== undefined && c.name !== '')
    .map((c) => `${c.protocol}/${c.name ?? ''}:${c.containerPort}`)
    .sort();
  return canonical({ labels: p.labels, ips: [...p.ips].sort(), ports, hostNetwork: p.hostNetwork });
}

function policyMeaning(p: NetworkPolicy): string {
  return canonical({
    podSelector: p.podSelector,
    policyTypes: [...p.policyTypes].sort(),
    ingress: p.ingress,
    egress: p.egress,
  });
}

function ciliumPolicyMeaning(p: CiliumPolicy): string {
  return canonical({ specs: p.specs });
}

/**
 * Everything but what does not decide a verdict: where it was read, how its name (`tier.` prefix) and
 * apiVersion were written, its labels and annotations, whether `types` was written.
 */
function calicoPolicyMeaning(p: CalicoPolicy): string {
  const {
    location: _location,
    writtenName: _writtenName,
    apiVersion: _apiVersion,
    labels: _labels,
    annotations: _annotations,
    typesDeclared: _typesDeclared,
    ...meaning
  } = p;
  return canonical({ ...meaning, types: [...p.types].sort() });
}

function clusterPolicyMeaning(p: ClusterNetworkPolicy): string {
  return canonical({
    tier: p.tier,
    priority: p.priority,
    subject: p.subject,
    ingress: p.ingress,
    egress: p.egress,
  });
}

function objectChanges<T>(
  before: readonly T[],
  after: readonly T[],
  key: (t: T) => string,
  meaning: (t: T) => string,
): ObjectChanges {
  const b = new Map(before.map((t) => [key(t), t] as const));
  const a = new Map(after.map((t) => [key(t), t] as const));
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [k, t] of b) {
    const other = a.get(k);
    if (other === undefined) removed.push(k);
    // The same object (applyDeltas keeps what a draft does not touch) needs no comparing.
    else if (other !== t && meaning(t) !== meaning(other)) changed.push(k);
  }
  for (const k of a.keys()) if (!b.has(k)) added.push(k);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

/** The same objects, where they were read from aside (absent = none). */
function sameWithoutLocation(
  a: readonly { readonly location?: unknown }[] | undefined,
  b: readonly { readonly location?: unknown }[] | undefined,
): boolean {
  if (a === b) return true;
  const strip = (list: readonly { readonly location?: unknown }[] | undefined) =>
    canonical((list ?? []).map(({ location: _location, ...rest }) => rest));
  return strip(a) === strip(b);
}

function changeCount(c: ObjectChanges): number {
  return c.added.length + c.removed.length + c.changed.length;
}

// ---- the compared universe: probes and external addresses over both states

function ruleIPBlocks(snapshot: Snapshot): IPBlock[] {
  const out: IPBlock[] = [];
  for (const p of snapshot.policies)
    for (const rule of [...p.ingress, ...p.egress]) {
      if (rule.peers === 'any') continue;
      for (const peer of rule.peers) if (peer.kind === 'ipBlock') out.push(peer.ipBlock);
    }
  for (const p of snapshot.clusterPolicies) out.push(...adminIPBlocks(p));
  for (const p of snapshot.ciliumPolicies ?? []) out.push(...ciliumIPBlocks(p));
  // Staged Calico policies decide nothing; network sets are what rule selectors may match.
  const calico = (snapshot.calicoPolicies ?? []).filter((p) => !p.staged);
  out.push(...calicoIPBlocks(calico, snapshot.calicoNetworkSets ?? []));
  return out;
}

/** The union of both universes' ports, plus the lowest port of every uncovered class of the common refinement. */
function diffPorts(states: readonly EvalState[], own: readonly (readonly PortProbe[])[]): PortProbe[] {
  const union = new Set<number>();
  for (const ports of own) for (const p of ports) union.add(encodePort(p.protocol, p.port));
  const distinct = new Map<string, readonly number[]>();
  const add = (s: readonly number[]): void => {
    distinct.set(s.join(','), s);
  };
  for (const state of states) {
    for (const id of rulePortSets(state)) add(state.portSets.sets[id] ?? []);
    // Mentioned ports (named ports resolved included) are classes of their own, as in universe.ts.
    for (const m of mentionedPorts(state)) {
      const c = encodePort(m.protocol, m.port);
      add([c, c]);
    }
  }
  const sets = [...distinct.values()];
  const cuts = new Set<number>();
  for (const protocol of PROTOCOL_ORDER) {
    const [lo, hi] = protocolRange(protocol);
    cuts.add(lo).add(hi + 1);
  }
  for (const s of sets) for (let i = 0; i < s.length; i += 2) cuts.add(s[i] ?? 0).add((s[i + 1] ?? 0) + 1);
  const starts = [...cuts].sort((x, y) => x - y);
  const covered = [...union].sort((x, y) => x - y);
  const groups = new Map<string, { covered: boolean; lowest: number }>();
  let ci = 0;
  for (let i = 0; i + 1 < starts.length; i++) {
    const lo = starts[i] ?? 0;
    const hi = (starts[i + 1] ?? 0) - 1;
    const { port } = decodePort(lo);
    if (port < 1 || port > 65535) continue;
    const signature = sets.map((s) => (inIntervals(s, lo) ? '1' : '0')).join('');
    while (ci < covered.length && (covered[ci] ?? 0) < lo) ci++;
    const has = ci < covered.length && (covered[ci] ?? 0) <= hi;
    const g = groups.get(signature);
    if (g) g.covered ||= has;
    else groups.set(signature, { covered: has, lowest: lo });
  }
  const codes = new Set(union);
  for (const g of groups.values()) if (!g.covered) codes.add(g.lowest);
  return [...codes].sort((x, y) => x - y).map(decodePort);
}

function inIntervals(s: readonly number[], code: number): boolean {
  for (let i = 0; i < s.length; i += 2) if ((s[i] ?? 0) <= code && code <= (s[i + 1] ?? 0)) return true;
  return false;
}

/** One address per class of the common refinement of both states' ipBlocks (see the module comment). */
function diffExternals(snapshots: readonly Snapshot[], own: readonly (readonly string[])[]): string[] {
  const blocks = snapshots.flatMap((s) => ruleIPBlocks(s));
  const partition = new IPPartition(blocks);
  const atomSets = [...new Map(blocks.map((b) => [ipBlockKey(b), b] as const)).values()].map((b) =>
    partition.blockAtoms(b),
  );
  const podIPs = new Set<bigint>();
  let usesV6 = false;
  for (const s of snapshots)
    for (const pod of s.pods)
      for (const ip of pod.ips) {
        const v = parseAddress(ip);
        if (v === undefined) continue;
        podIPs.add(v);
        if (!isIPv4Value(v)) usesV6 = true;
      }
  for (const b of blocks)
    for (const c of [b.cidr, ...b.except]) {
      const r = parseCidr(c);
      if (r && !isIPv4Value(r.start)) usesV6 = true;
    }
  const signatureOf = (atom: number): string =>
    `${isIPv4Value(partition.atomRange(atom).start) ? 4 : 6}:${atomSets.map((s) => (hasBit(s, atom) ? '1' : '0')).join('')}`;
  const chosen = new Map<string, bigint>();
  const preferred = [...new Set(own.flat())]
    .map(parseAddress)
    .filter((v): v is bigint => v !== undefined && !podIPs.has(v))
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  for (const v of preferred) {
    const sig = signatureOf(partition.atomOf(v));
    if (!chosen.has(sig)) chosen.set(sig, v);
  }
  const atomsBySig = new Map<string, number[]>();
  for (let a = 0; a < partition.size; a++) {
    if (!usesV6 && !isIPv4Value(partition.atomRange(a).start)) continue;
    const sig = signatureOf(a);
    if (chosen.has(sig)) continue;
    const list = atomsBySig.get(sig) ?? [];
    list.push(a);
    atomsBySig.set(sig, list);
  }
  for (const [sig, atoms] of atomsBySig) {
    const pick = pickAddress(partition, atoms, podIPs);
    if (pick !== undefined) chosen.set(sig, pick);
  }
  return [...chosen.values()].map(formatAddress).sort();
}

/** An address of the atoms that no pod uses; avoids the all-zero network address when it can. */
function pickAddress(
  partition: IPPartition,
  atoms: readonly number[],
  podIPs: ReadonlySet<bigint>,
): bigint | undefined {
  for (const a of atoms) {
    const { start, end } = partition.atomRange(a);
    for (let v = end - start >= 2n ? start + 1n : start, n = 0; v <= end && n < 64; v++, n++)
      if (!podIPs.has(v)) return v;
  }
  return undefined;
}

// ---- per-state tables

/** The profile standing for one side in a pass: the class's own, or (partial visibility) its yes/maybe one. */
function sideProfile(state: EvalState, c: number, direction: Direction, maybe: boolean): Profile | undefined {
  if (!state.uncertain) return state.side(c, direction);
  const visible = direction === 'ingress' ? state.ingressProfile[c] : state.egressProfile[c];
  const both = state.sideProfiles(c, direction, visible);
  return maybe ? both.maybe : both.yes;
}

class Side {
  readonly state: EvalState;
  readonly probes: ProbeSet;
  readonly uncertain: boolean;
  readonly #egress = [new Map<Profile, Uint32Array>(), new Map<Profile, Uint32Array>()];

  constructor(state: EvalState, ports: readonly PortProbe[]) {
    this.state = state;
    this.probes = new ProbeSet(state, ports);
    this.uncertain = state.uncertain;
  }

  profile(c: number, direction: Direction, maybe: boolean): Profile | undefined {
    return sideProfile(this.state, c, direction, maybe && this.uncertain);
  }

  /** A table over peer classes; undefined when the side allows everything. */
  table(profile: Profile | undefined, maybe: boolean): Uint32Array | undefined {
    if (!profile) return undefined;
    const n = this.state.classes.classes.length;
    const t = new Uint32Array(n * this.probes.words);
    profileTable(this.state, profile, this.probes, t, n, maybe);
    return t;
  }

  /** Egress tables are shared by every source of the profile, so they are kept. */
  egressTable(profile: Profile | undefined, maybe: boolean): Uint32Array | undefined {
    if (!profile) return undefined;
    const cache = this.#egress[maybe ? 1 : 0] as Map<Profile, Uint32Array>;
    let t = cache.get(profile);
    if (!t) {
      const n = this.state.classes.classes.length;
      t = new Uint32Array(n * this.probes.words);
      profileTable(this.state, profile, this.probes, t, n, maybe);
      cache.set(profile, t);
    }
    return t;
  }
}

// ---- endpoints and the accumulation of changes

interface Endpoint {
  /** Entity in the state before / after (class id, or an external atom). */
  readonly b: Entity;
  readonly a: Entity;
  /** Positions in the global peer order (sorted pods, then addresses), ascending. */
  readonly positions: readonly number[];
  /** Namespace index, or -1 for an address. */
  readonly ns: number;
  /** Rank by first position, for the list threshold. */
  readonly rank: number;
}

/** A max-heap of the `cap` smallest numbers pushed; `bound()` is the largest of them once full. */
class SmallestK {
  readonly #heap: number[] = [];
  readonly #cap: number;
  constructor(cap: number) {
    this.#cap = cap;
  }
  bound(): number {
    if (this.#cap === 0) return -Infinity;
    return this.#heap.length < this.#cap ? Infinity : (this.#heap[0] ?? Infinity);
  }
  push(x: number): void {
    const h = this.#heap;
    if (this.#cap === 0) return;
    if (h.length < this.#cap) {
      h.push(x);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >>> 1;
        if ((h[p] ?? 0) >= (h[i] ?? 0)) break;
        [h[p], h[i]] = [h[i] ?? 0, h[p] ?? 0];
        i = p;
      }
      return;
    }
    if (x >= (h[0] ?? 0)) return;
    h[0] = x;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && (h[l] ?? 0) > (h[m] ?? 0)) m = l;
      if (r < h.length && (h[r] ?? 0) > (h[m] ?? 0)) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i] ?? 0, h[m] ?? 0];
      i = m;
    }
  }
}

const K = CHANGE_KINDS.length;
/** Stored masks per triple and word: the four change kinds, then "allowed before", "allowed after". */
const SLOTS = K + 2;

/**
 * The connections that differ between two snapshots; see the module comment for the universe and the
 * transitions. Pure and synchronous; the UI runs it in its worker. It takes snapshots rather than two
 * `Analyzer`s because it needs what the interface does not give: the pods, their classes in each state
 * (pairs are compared per class pair) and the objects themselves (pods/policies changed); it builds
 * the class state of each snapshot itself, as `createAnalyzer` does.
 */
/**
 * The class state of a snapshot, kept while the snapshot lives: the editor diffs one current snapshot
 * against each new set of drafts, and that side need not be built again. A diff only reads the state
 * (what it computes lazily, it computes the same way every time).
 */
const evalStates = new WeakMap<Snapshot, EvalState>();
function evalStateOf(snapshot: Snapshot): EvalState {
  let state = evalStates.get(snapshot);
  if (!state) {
    state = new EvalState(
      snapshot.namespaces,
      snapshot.pods,
      snapshot.policies,
      snapshot.visibility,
      snapshot.clusterPolicies,
      snapshot.ciliumPolicies,
      calicoInput(snapshot),
      snapshot.cni,
    );
    evalStates.set(snapshot, state);
  }
  return state;
}

export function diffConnections(
  before: Snapshot,
  after: Snapshot,
  options: DiffOptions = {},
): ConnectionDiff {
  const limit = Math.max(0, Math.floor(options.limit ?? 1000));
  const sb = evalStateOf(before);
  const sa = evalStateOf(after);
  const ub = universe(sb);
  const ua = universe(sa);
  const ports = diffPorts([sb, sa], [ub.ports, ua.ports]);
  const externals = diffExternals([before, after], [ub.externals, ua.externals]);
  const B = new Side(sb, ports);
  const A = new Side(sa, ports);
  const W = B.probes.words;
  const P = ports.length;
  const all = B.probes.all;

  const pods = objectChanges(before.pods, after.pods, podKey, podMeaning);
  const policies = objectChanges(before.policies, after.policies, policyKey, policyMeaning);
  const clusterPolicies = objectChanges(
    before.clusterPolicies,
    after.clusterPolicies,
    clusterPolicyKey,
    clusterPolicyMeaning,
  );
  const ciliumPolicies = objectChanges(
    before.ciliumPolicies ?? [],
    after.ciliumPolicies ?? [],
    ciliumPolicyKey,
    ciliumPolicyMeaning,
  );
  const calicoPolicies = objectChanges(
    before.calicoPolicies ?? [],
    after.calicoPolicies ?? [],
    calicoPolicyKey,
    calicoPolicyMeaning,
  );
  const namespaces = objectChanges(
    before.namespaces,
    after.namespaces,
    (n: Namespace) => n.name,
    (n) => canonical(n.labels),
  );

  // Endpoints: groups of common pods alike in both states, then the addresses.
  const common = [...sb.pods.keys()].filter((k) => sa.pods.has(k)).sort();
  const nsNames = [...new Set(common.map((k) => k.slice(0, k.indexOf('/'))))].sort();
  const nsIndex = new Map(nsNames.map((n, i) => [n, i] as const));
  const byPair = new Map<string, { b: number; a: number; positions: number[]; ns: number }>();
  common.forEach((key, pos) => {
    const b = sb.classes.podClass.get(key) ?? 0;
    const a = sa.classes.podClass.get(key) ?? 0;
    const k = `${b},${a}`;
    const g = byPair.get(k);
    if (g) g.positions.push(pos);
    else byPair.set(k, { b, a, positions: [pos], ns: nsIndex.get(key.slice(0, key.indexOf('/'))) ?? 0 });
  });
  const groups: Endpoint[] = [...byPair.values()]
    .sort((x, y) => (x.positions[0] ?? 0) - (y.positions[0] ?? 0))
    .map((g, rank) => ({ ...g, rank }));
  const G = groups.length;
  const Pc = common.length;
  const exts: Endpoint[] = externals.map((ip, e) => {
    const v = parseAddress(ip) ?? 0n;
    return {
      b: externalEntity(sb.partition.atomOf(v)),
      a: externalEntity(sa.partition.atomOf(v)),
      positions: [Pc + e],
      ns: -1,
      rank: G + e,
    };
  });
  const endpoints = [...groups, ...exts];

  // Attribution: per endpoint, the edited policies selecting it for egress / ingress in either state.
  const edited = [
    ...policies.added.map((k) => ({ policy: k, change: 'added' as const })),
    ...policies.removed.map((k) => ({ policy: k, change: 'removed' as const })),
    ...policies.changed.map((k) => ({ policy: k, change: 'changed' as const })),
    ...clusterPolicies.added.map((k) => ({ policy: k, change: 'added' as const })),
    ...clusterPolicies.removed.map((k) => ({ policy: k, change: 'removed' as const })),
    ...clusterPolicies.changed.map((k) => ({ policy: k, change: 'changed' as const })),
  ].sort((x, y) => (x.policy < y.policy ? -1 : x.policy > y.policy ? 1 : 0));
  const attribute = edited.length > 0 && edited.length <= 64;
  const attr = attribute ? edited.map(() => new Float64Array(K)) : [];
  const selectsFor = (ep: Endpoint, direction: Direction): number[] => {
    if (!attribute || ep.ns < 0) return [];
    const out: number[] = [];
    edited.forEach((e, i) => {
      for (const [state, c] of [
        [sb, ep.b],
        [sa, ep.a],
      ] as const) {
        const cls = state.classes.classes[c];
        if (!cls || cls.hostNetwork) continue;
        const cp = state.compiled.get(e.policy);
        const ap = state.adminCompiled.get(e.policy);
        const selects = cp
          ? (direction === 'ingress' ? cp.ingressOn : cp.egressOn) && hasBit(cp.subject, c)
          : ap !== undefined && ap[direction].length > 0 && hasBit(ap.maybeSubject, c);
        if (selects) {
          out.push(i);
          return;
        }
      }
    });
    return out;
  };
  const egressSel = endpoints.map((ep) => selectsFor(ep, 'egress'));
  const ingressSel = endpoints.map((ep) => selectsFor(ep, 'ingress'));

  // When only policies changed (the editor's what-if), a connection can change only where an edited
  // policy selects its source for egress or its destination for ingress, in either state: every other
  // pair has the same policies on both ends, reading the same pods, so it keeps its verdict. Those
  // pairs are not compared; they are counted as unchanged like any other.
  // Edits the attribution does not follow (Cilium and Calico policies, Calico tiers and network sets)
  // can change any pair, so with one of them every pair is compared.
  const untracked =
    changeCount(ciliumPolicies) + changeCount(calicoPolicies) > 0 ||
    !sameWithoutLocation(before.calicoTiers, after.calicoTiers) ||
    !sameWithoutLocation(before.calicoNetworkSets, after.calicoNetworkSets);
  const policiesOnly =
    attribute &&
    !untracked &&
    changeCount(pods) === 0 &&
    changeCount(namespaces) === 0 &&
    before.visibility === after.visibility;
  const egressAffected = endpoints.map((_, i) => !policiesOnly || (egressSel[i]?.length ?? 0) > 0);
  const ingressAffected = endpoints.map((_, i) => !policiesOnly || (ingressSel[i]?.length ?? 0) > 0);
  const affectedSources: number[] = [];
  for (let g = 0; g < G; g++) if (egressAffected[g]) affectedSources.push(g);
  const everySource = Array.from({ length: G }, (_, g) => g);

  const counts = new Float64Array(K);
  const perProbe = Array.from({ length: K }, () => new Float64Array(P));
  const nsPairs = new Map<number, Float64Array>();
  const NS = nsNames.length + 1;
  const discovered = Array.from({ length: K }, () => new Uint8Array(endpoints.length));
  const thresholds = Array.from({ length: K }, () => new SmallestK(limit));
  const stored: { src: number; dst: number; masks: Uint32Array }[] = [];
  const cat = new Uint32Array(SLOTS * W);

  /** Records one endpoint pair whose masks differ somewhere (by/bm/ay/am: per word). */
  const record = (
    src: number,
    dst: number,
    w: number,
    by: Uint32Array,
    bm: Uint32Array,
    ay: Uint32Array,
    am: Uint32Array,
  ): void => {
    let any = false;
    for (let i = 0; i < W; i++) {
      const bY = by[i] ?? 0;
      const bM = bm[i] ?? 0;
      const aY = ay[i] ?? 0;
      const aM = am[i] ?? 0;
      const bU = bM & ~bY;
      const aU = aM & ~aY;
      cat[i * SLOTS] = ~bM & aY; // added: denied → allowed
      cat[i * SLOTS + 1] = bY & ~aM; // removed: allowed → denied
      cat[i * SLOTS + 2] = ~bU & aU; // known → unknown
      cat[i * SLOTS + 3] = bU & ~aU; // unknown → known
      cat[i * SLOTS + 4] = bY;
      cat[i * SLOTS + 5] = aY;
      for (let k = 0; k < K; k++) if ((cat[i * SLOTS + k] ?? 0) !== 0) any = true;
    }
    if (!any) return;
    const s = endpoints[src] as Endpoint;
    const d = endpoints[dst] as Endpoint;
    const cell = (s.ns < 0 ? NS - 1 : s.ns) * NS + (d.ns < 0 ? NS - 1 : d.ns);
    let nsCell = nsPairs.get(cell);
    if (!nsCell) nsPairs.set(cell, (nsCell = new Float64Array(K)));
    const touching = attribute ? [...new Set([...(egressSel[src] ?? []), ...(ingressSel[dst] ?? [])])] : [];
    let keep = false;
    for (let k = 0; k < K; k++) {
      let bits = 0;
      for (let i = 0; i < W; i++) {
        const m = cat[i * SLOTS + k] ?? 0;
        if (m === 0) continue;
        bits += popcount32(m);
        const per = perProbe[k] as Float64Array;
        let word = m;
        while (word !== 0) {
          const low = word & -word;
          const probe = (i << 5) + 31 - Math.clz32(low);
          per[probe] = (per[probe] ?? 0) + w;
          word ^= low;
        }
      }
      if (bits === 0) continue;
      counts[k] = (counts[k] ?? 0) + bits * w;
      nsCell[k] = (nsCell[k] ?? 0) + bits * w;
      for (const p of touching) {
        const t = attr[p] as Float64Array;
        t[k] = (t[k] ?? 0) + bits * w;
      }
      const th = thresholds[k] as SmallestK;
      const seen = discovered[k] as Uint8Array;
      if (!seen[src]) {
        seen[src] = 1;
        th.push(s.rank);
      }
      if (s.rank <= th.bound()) keep = true;
    }
    if (keep) stored.push({ src, dst, masks: cat.slice() });
  };

  const by = new Uint32Array(W);
  const bm = new Uint32Array(W);
  const ay = new Uint32Array(W);
  const am = new Uint32Array(W);
  const weight = (s: Endpoint, d: Endpoint): number => {
    const ns = s.positions.length;
    return s === d ? ns * (ns - 1) : ns * d.positions.length;
  };

  // Pod → pod: destinations grouped by their four ingress profiles, sources read from egress tables.
  const profileIds = new Map<Profile | undefined, number>();
  const pid = (p: Profile | undefined): number => {
    let id = profileIds.get(p);
    if (id === undefined) profileIds.set(p, (id = profileIds.size));
    return id;
  };
  const ingressGroups = new Map<string, { profiles: (Profile | undefined)[]; dsts: number[] }>();
  groups.forEach((g, d) => {
    const profiles = [
      B.profile(g.b, 'ingress', false),
      B.profile(g.b, 'ingress', true),
      A.profile(g.a, 'ingress', false),
      A.profile(g.a, 'ingress', true),
    ];
    const key = profiles.map(pid).join(',');
    const entry = ingressGroups.get(key);
    if (entry) entry.dsts.push(d);
    else ingressGroups.set(key, { profiles, dsts: [d] });
  });
  const ebYs = groups.map((g) => B.egressTable(B.profile(g.b, 'egress', false), false));
  const ebMs = B.uncertain ? groups.map((g) => B.egressTable(B.profile(g.b, 'egress', true), true)) : ebYs;
  const eaYs = groups.map((g) => A.egressTable(A.profile(g.a, 'egress', false), false));
  const eaMs = A.uncertain ? groups.map((g) => A.egressTable(A.profile(g.a, 'egress', true), true)) : eaYs;
  const word = (t: Uint32Array | undefined, at: number, i: number): number =>
    t ? (t[at * W + i] ?? 0) : (all[i] ?? 0);
  for (const { profiles, dsts } of ingressGroups.values()) {
    // Nothing here can change: no table to build.
    if (affectedSources.length === 0 && !dsts.some((d) => ingressAffected[d])) continue;
    const ibY = B.table(profiles[0], false);
    // Same profile object for yes and maybe still differs: the maybe table reads the groups' `maybe` bits.
    const ibM = B.uncertain ? B.table(profiles[1], true) : ibY;
    const iaY = A.table(profiles[2], false);
    const iaM = A.uncertain ? A.table(profiles[3], true) : iaY;
    for (const dst of dsts) {
      const d = groups[dst] as Endpoint;
      for (const src of ingressAffected[dst] ? everySource : affectedSources) {
        const s = groups[src] as Endpoint;
        const w = weight(s, d);
        if (w === 0) continue;
        const ebY = ebYs[src];
        const ebM = ebMs[src];
        const eaY = eaYs[src];
        const eaM = eaMs[src];
        let differs = false;
        for (let i = 0; i < W; i++) {
          const bY = word(ebY, d.b, i) & word(ibY, s.b, i);
          const bM = B.uncertain ? word(ebM, d.b, i) & word(ibM, s.b, i) : bY;
          const aY = word(eaY, d.a, i) & word(iaY, s.a, i);
          const aM = A.uncertain ? word(eaM, d.a, i) & word(iaM, s.a, i) : aY;
          by[i] = bY;
          bm[i] = bM;
          ay[i] = aY;
          am[i] = aM;
          if (bY !== aY || bM !== aM) differs = true;
        }
        if (differs) record(src, dst, w, by, bm, ay, am);
      }
    }
  }

  // Pod ↔ address, both ways: few addresses, so straight from the kernel.
  const masks = (side: Side, src: Entity, dst: Entity, yes: Uint32Array, maybe: Uint32Array): void => {
    const e = egressMasks(side.state, src, dst, side.probes);
    const i = ingressMasks(side.state, dst, src, side.probes);
    for (let k = 0; k < W; k++) {
      yes[k] = (e.yes[k] ?? 0) & (i.yes[k] ?? 0);
      maybe[k] = (e.maybe[k] ?? 0) & (i.maybe[k] ?? 0);
    }
  };
  for (let x = 0; x < exts.length; x++) {
    const ext = exts[x] as Endpoint;
    const e = G + x;
    for (let g = 0; g < G; g++) {
      const pod = groups[g] as Endpoint;
      const w = pod.positions.length;
      for (const [src, dst] of [
        [g, e],
        [e, g],
      ] as const) {
        // Addresses have no policies: only the pod's end can change.
        if (src === g ? !egressAffected[g] : !ingressAffected[g]) continue;
        const s = src === g ? pod : ext;
        const d = dst === g ? pod : ext;
        masks(B, s.b, d.b, by, bm);
        masks(A, s.a, d.a, ay, am);
        record(src, dst, w, by, bm, ay, am);
      }
    }
  }

  // Lists: sources in peer order, destinations in peer order, then probes; the first `limit` of each kind.
  const peerAt = (pos: number): ConnectionRef['from'] => {
    if (pos < Pc) {
      const key = common[pos] ?? '';
      const slash = key.indexOf('/');
      return { kind: 'pod', namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    }
    return { kind: 'external', ip: externals[pos - Pc] ?? '' };
  };
  const endpointAt = new Int32Array(Pc + exts.length);
  endpoints.forEach((ep, i) => {
    for (const pos of ep.positions) endpointAt[pos] = i;
  });
  const bySrc = new Map<number, number[]>();
  stored.forEach((t, i) => {
    const list = bySrc.get(t.src);
    if (list) list.push(i);
    else bySrc.set(t.src, [i]);
  });
  const lists = CHANGE_KINDS.map((_, k): ConnectionChange[] => {
    const out: ConnectionChange[] = [];
    if (limit === 0 || (counts[k] ?? 0) === 0) return out;
    const destCache = new Map<number, { pos: number; triple: number }[]>();
    for (let pos = 0; pos < Pc + exts.length && out.length < limit; pos++) {
      const src = endpointAt[pos] ?? 0;
      let dests = destCache.get(src);
      if (!dests) {
        dests = [];
        for (const ti of bySrc.get(src) ?? []) {
          const t = stored[ti];
          if (!t) continue;
          let nonzero = false;
          for (let i = 0; i < W; i++) if ((t.masks[i * SLOTS + k] ?? 0) !== 0) nonzero = true;
          if (!nonzero) continue;
          for (const p of (endpoints[t.dst] as Endpoint).positions) dests.push({ pos: p, triple: ti });
        }
        dests.sort((x, y) => x.pos - y.pos);
        destCache.set(src, dests);
      }
      if (dests.length === 0) continue;
      const from = peerAt(pos);
      for (const { pos: to, triple } of dests) {
        if (to === pos) continue;
        const t = stored[triple];
        if (!t) continue;
        for (let k2 = 0; k2 < P && out.length < limit; k2++) {
          const i = k2 >>> 5;
          const bit = 1 << (k2 & 31);
          if (((t.masks[i * SLOTS + k] ?? 0) & bit) === 0) continue;
          const probe = ports[k2] as PortProbe;
          const allowedBefore = ((t.masks[i * SLOTS + 4] ?? 0) & bit) !== 0;
          const allowedAfter = ((t.masks[i * SLOTS + 5] ?? 0) & bit) !== 0;
          const verdicts: readonly [Verdict, Verdict] =
            k === 0
              ? ['denied', 'allowed']
              : k === 1
                ? ['allowed', 'denied']
                : k === 2
                  ? [allowedBefore ? 'allowed' : 'denied', 'unknown']
                  : ['unknown', allowedAfter ? 'allowed' : 'denied'];
          out.push({
            from,
            to: peerAt(to),
            protocol: probe.protocol,
            port: probe.port,
            before: verdicts[0],
            after: verdicts[1],
          });
        }
        if (out.length >= limit) break;
      }
    }
    return out;
  });

  const perConnection = Pc * (Pc - 1) + 2 * Pc * exts.length;
  const countsOf = (c: ArrayLike<number>, total: number): DiffCounts => {
    const [added = 0, removed = 0, becameUnknown = 0, becameKnown = 0] = Array.from(c);
    return {
      added,
      removed,
      becameUnknown,
      becameKnown,
      unchanged: total - added - removed - becameUnknown - becameKnown,
      total,
    };
  };
  const nsName = (i: number): string | null => (i === NS - 1 ? null : (nsNames[i] ?? null));
  const namespacePairs: NamespacePairDiff[] = [...nsPairs.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([cell, c]) => ({
      from: nsName(Math.floor(cell / NS)),
      to: nsName(cell % NS),
      added: c[0] ?? 0,
      removed: c[1] ?? 0,
      becameUnknown: c[2] ?? 0,
      becameKnown: c[3] ?? 0,
    }));
  const [added = [], removed = [], becameUnknown = [], becameKnown = []] = lists;
  const total = countsOf(counts, perConnection * P);
  return {
    universe: { pods: Pc, externals, ports, partial: sb.view.partial || sa.view.partial },
    counts: total,
    ports: ports.map((probe, k) => ({
      probe,
      ...countsOf(
        perProbe.map((a) => a[k] ?? 0),
        perConnection,
      ),
    })),
    namespacePairs,
    added,
    removed,
    becameUnknown,
    becameKnown,
    truncated: lists.some((l, k) => l.length < (counts[k] ?? 0)),
    pods,
    policies,
    clusterPolicies,
    ciliumPolicies,
    calicoPolicies,
    namespaces,
    attribution: edited.flatMap((e, i) => {
      const c = attr[i];
      if (!c) return [];
      return [
        { ...e, added: c[0] ?? 0, removed: c[1] ?? 0, becameUnknown: c[2] ?? 0, becameKnown: c[3] ?? 0 },
      ];
    }),
  };
}
