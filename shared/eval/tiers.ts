/**
 * The tiered decision of one side of a connection (DESIGN.md "Tiers"), in bitmask form over port probes:
 *
 *   Admin tier (first matching rule: Accept | Deny | Pass) → NetworkPolicy tier (isolation + union of
 *   allows) → Baseline tier (only when no NetworkPolicy isolates the pod; Pass falls through) → allow.
 *
 * A class's admin policies form a chain per tier: steps in ascending priority, each step one policy, or
 * several when equal priorities overlap on the class (their order is implementation-defined). Walking a
 * chain gives, per probe, the outcomes that are *possible*: Accept, Deny, or Fall (a Pass, or no rule
 * matched). Possible outcomes over-approximate what unread namespace labels, `nodes`/`domainNames` peers
 * and ties leave open, each taken independently; so a verdict is stated only when every possible outcome
 * agrees, and never guessed:
 *
 *   surely allowed   = ¬Deny ∧ (¬Fall ∨ next tier surely allows)
 *   possibly allowed = Accept ∨ (Fall ∧ next tier possibly allows)
 *
 * With full visibility, no ties and no unknowable peers, each probe has exactly one possible outcome and
 * both formulas give the same exact answer.
 */
import { forEachBit, hasBit, newBitset, orInto, type Bitset } from './bitset.ts';
import { refProtocol, type PodClass } from './classes.ts';
import type { AdminAction } from '../model/snapshot.ts';
import type { CompiledAdminPolicy, CompiledAdminRule } from './admin.ts';
import type { CompiledCiliumPart } from './cilium.ts';
import type { CalicoStage } from './calico.ts';
import { encodePort, type PortSetId, type PortSetTable } from './ports.ts';
import type { Direction } from './types.ts';
import { resolveOn } from './profile.ts';

/**
 * What a chain reads of a rule: its action, the classes/atoms it matches surely and possibly, its ports.
 * Admin rules (admin.ts) and Cilium rules (cilium.ts) both have this shape.
 */
export interface ChainRuleSource {
  readonly direction: Direction;
  readonly index: number;
  readonly action: AdminAction;
  readonly classes: Bitset;
  readonly maybe: Bitset;
  readonly ext: Bitset;
  readonly maybeExt: Bitset;
  readonly staticPorts: PortSetId;
  readonly named: readonly string[];
  readonly uncertain: boolean;
}

/** What a chain reads of a policy: admin policies and the compiled parts of Cilium policies. */
export interface ChainMember {
  /** Fresh for every compiled version (chain caches are keyed by ids). */
  readonly id: number;
  readonly key: string;
  readonly priority: number;
  readonly ingress: readonly ChainRuleSource[];
  readonly egress: readonly ChainRuleSource[];
  readonly usesIngressNamed: boolean;
}

type RuleOf<M extends ChainMember> = M['ingress'][number];

/** One rule as a chain reads it. */
export interface ChainRule<R extends ChainRuleSource = CompiledAdminRule> {
  readonly rule: R;
  /** Static ports, plus (ingress) named ports resolved on the subject. */
  readonly ports: PortSetId;
  /** Named-port refs resolved on the peer (egress only; the destination is the peer). */
  readonly peerNamed: readonly string[];
}

export interface ChainPolicy<M extends ChainMember = CompiledAdminPolicy> {
  readonly cp: M;
  /** The policy surely applies to the subject (else only possibly: namespace labels unread). */
  readonly sure: boolean;
  readonly rules: readonly ChainRule<RuleOf<M>>[];
}

/** Policies read at one priority: one, or several whose order the spec leaves to the implementation. */
export interface ChainStep<M extends ChainMember = CompiledAdminPolicy> {
  readonly policies: readonly ChainPolicy<M>[];
}

export interface AdminChain<M extends ChainMember = CompiledAdminPolicy> {
  readonly key: string;
  readonly steps: readonly ChainStep<M>[];
  /** Admin policies could not be read (RBAC): any outcome is possible for every probe. */
  readonly hidden: boolean;
  /** Some outcome may be open: a tie, an uncertain peer or subject, or hidden policies. */
  readonly uncertain: boolean;
}

/**
 * What a side profile holds besides the NetworkPolicy tier: `np` says how that tier reads —
 * `isolated` (the profile's groups decide), `open` (no NetworkPolicy isolates: the Baseline chain
 * decides), or `any` (NetworkPolicies could not be read and none visible isolates: possibly anything,
 * surely nothing; only met in "maybe" passes).
 */
export interface Tiers {
  readonly np: 'isolated' | 'open' | 'any';
  readonly admin: AdminChain | undefined;
  readonly baseline: AdminChain | undefined;
  /**
   * Cilium policies (cilium.ts), read at the head of the NetworkPolicy tier: a Deny wins, an Accept
   * allows, the rest falls to the NetworkPolicy tier's isolation (or to Baseline when nothing isolates).
   */
  readonly cilium?: AdminChain<CompiledCiliumPart>;
  /**
   * Calico (calico.ts): the side as Calico reads it, tier by tier, the Kubernetes NetworkPolicies
   * inside Calico's `default` tier and the admin chains at Calico's kube-admin / kube-baseline tiers.
   * When set, it is the whole reading: `np`, `cilium` and the plain tier order above are not used.
   */
  readonly calico?: readonly CalicoStage[];
}

/**
 * The chain of the admin policies that (possibly) apply to a subject, sorted by priority: the cached one
 * for the same policies (and, for ingress named ports, the same subject ports), else a new one.
 */
export function buildChain<M extends ChainMember>(
  applicable: readonly { readonly cp: M; readonly sure: boolean }[],
  direction: Direction,
  subject: PodClass,
  portSets: PortSetTable,
  hidden: boolean,
  cache: Map<string, AdminChain<M>>,
): AdminChain<M> | undefined {
  // The key first, without allocating: most calls find the chain (classes share chains).
  const ingress = direction === 'ingress';
  let key = ingress ? (hidden ? 'iH' : 'i') : hidden ? 'eH' : 'e';
  let members = 0;
  let named = false;
  for (const a of applicable) {
    if (a.cp[direction].length === 0) continue;
    members++;
    key += a.sure ? `${a.cp.id},` : `${a.cp.id}?,`;
    if (ingress && a.cp.usesIngressNamed) named = true;
  }
  if (members === 0 && !hidden) return undefined;
  if (named) key += `#${resolvedRefsKey(applicable, subject)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const withRules = applicable.filter((a) => a.cp[direction].length > 0);
  const steps: ChainStep<M>[] = [];
  let uncertain = hidden;
  for (const a of withRules) {
    const policy = chainPolicy(a.cp, a.sure, direction, subject, portSets);
    if (!a.sure || policy.rules.some((r) => r.rule.uncertain)) uncertain = true;
    const last = steps[steps.length - 1];
    if (last && last.policies[0]?.cp.priority === a.cp.priority) {
      (last.policies as ChainPolicy<M>[]).push(policy);
      uncertain = true;
    } else steps.push({ policies: [policy] });
  }
  const chain = { key, steps, hidden, uncertain };
  cache.set(key, chain);
  return chain;
}

/**
 * A policy as the chains of a direction read it, one per subject ports of its ingress named-port refs:
 * the same policy heads or joins many chains (a cluster-wide rule in every class's chain), and its
 * rules are resolved once. Compiled policies are fresh for every compile, so the cache goes with them.
 */
const chainPolicies = new WeakMap<
  PortSetTable,
  WeakMap<ChainMember, Map<string, ChainPolicy<ChainMember>>>
>();

function chainPolicy<M extends ChainMember>(
  cp: M,
  sure: boolean,
  direction: Direction,
  subject: PodClass,
  portSets: PortSetTable,
): ChainPolicy<M> {
  const named = direction === 'ingress' && cp.usesIngressNamed;
  const key = `${direction[0]}${sure ? '' : '?'}${named ? resolvedRefsKey([{ cp }], subject) : ''}`;
  let byMember = chainPolicies.get(portSets);
  if (!byMember) chainPolicies.set(portSets, (byMember = new WeakMap()));
  let byKey = byMember.get(cp);
  if (!byKey) byMember.set(cp, (byKey = new Map<string, ChainPolicy<ChainMember>>()));
  const cached = byKey.get(key);
  if (cached) return cached as ChainPolicy<M>;
  const rules = (cp[direction] as readonly RuleOf<M>[]).map((rule): ChainRule<RuleOf<M>> => {
    if (rule.named.length === 0) return { rule, ports: rule.staticPorts, peerNamed: [] };
    if (direction === 'egress') return { rule, ports: rule.staticPorts, peerNamed: rule.named };
    return {
      rule,
      ports: portSets.union(rule.staticPorts, resolveOn(subject, rule.named, portSets)),
      peerNamed: [],
    };
  });
  const policy: ChainPolicy<M> = { cp, sure, rules };
  byKey.set(key, policy);
  return policy;
}

/**
 * The ports the subject gives the ingress named-port refs of these policies: subjects that resolve them
 * alike share the chain (a pod's other named ports change nothing in it).
 */
function resolvedRefsKey(applicable: readonly { readonly cp: ChainMember }[], subject: PodClass): string {
  // Few distinct refs, repeated across policies (a cluster-wide rule copied per policy).
  const seen: string[] = [];
  let key = '';
  for (const a of applicable)
    for (const ref of ingressRefs(a.cp)) {
      if (seen.includes(ref)) continue;
      seen.push(ref);
      key += `${ref}=${(subject.namedPorts.get(ref) ?? []).join('+')};`;
    }
  return key;
}

const refsOf = new WeakMap<ChainMember, readonly string[]>();

/** The named-port refs of a policy's ingress rules, once each. */
function ingressRefs(cp: ChainMember): readonly string[] {
  let refs = refsOf.get(cp);
  if (!refs) {
    const all = new Set<string>();
    for (const r of cp.ingress) for (const ref of r.named) all.add(ref);
    refsOf.set(cp, (refs = [...all]));
  }
  return refs;
}

/** Port masks over a fixed probe list (query.ts's ProbeSet implements it). */
export interface ProbeMasks {
  readonly words: number;
  readonly all: Bitset;
  maskOf(ports: PortSetId): Bitset;
  addCodes(out: Bitset, codes: Iterable<number>): void;
}

/** Probes a chain rule's ports cover towards/from a peer class (egress named ports resolve on the peer). */
export function rulePorts(
  r: ChainRule<ChainRuleSource>,
  peer: PodClass | undefined,
  probes: ProbeMasks,
  tmp: Bitset,
): Bitset {
  const m = probes.maskOf(r.ports);
  if (r.peerNamed.length === 0 || !peer) return m;
  for (let i = 0; i < tmp.length; i++) tmp[i] = m[i] ?? 0;
  for (const ref of r.peerNamed) {
    const ports = peer.namedPorts.get(ref);
    if (!ports) continue;
    const protocol = refProtocol(ref);
    probes.addCodes(
      tmp,
      ports.map((p) => encodePort(protocol, p)),
    );
  }
  return tmp;
}

/** Possible outcomes of a chain, per probe. */
export interface ChainOutcome {
  readonly accept: Bitset;
  readonly deny: Bitset;
  /** A Pass matched, or no rule did: the next tier decides. */
  readonly fall: Bitset;
}

/**
 * Observes, for each rule, the probes it possibly decides and those it surely decides (explain and
 * policy effects use it; the bulk paths pass none).
 */
export type DecisionObserver<M extends ChainMember = CompiledAdminPolicy> = (
  policy: ChainPolicy<M>,
  rule: ChainRule<RuleOf<M>>,
  possibly: Bitset,
  surely: Bitset,
) => void;

/**
 * Walks a chain for one peer: `peerClass` a pod class (undefined for an external address), `inSure` /
 * `inMaybe` whether the peer is surely/possibly among a rule's peers.
 */
export function walkChain<M extends ChainMember>(
  chain: AdminChain<M>,
  probes: ProbeMasks,
  peerClass: PodClass | undefined,
  inSure: (rule: ChainRuleSource) => boolean,
  inMaybe: (rule: ChainRuleSource) => boolean,
  observe?: DecisionObserver<M>,
): ChainOutcome {
  const W = probes.words;
  const accept = newBitset(W);
  const deny = newBitset(W);
  const fall = newBitset(W);
  if (chain.hidden) {
    // Unread admin policies may decide anything either way.
    accept.set(probes.all);
    deny.set(probes.all);
    fall.set(probes.all);
    return { accept, deny, fall };
  }
  const tmp = newBitset(W);
  const poss = newBitset(W);
  const sureHit = newBitset(W);
  // live: the probes that may still reach this point; reached: those that surely do.
  let live = probes.all.slice();
  let reached = probes.all.slice();
  for (const step of chain.steps) {
    const tie = step.policies.length > 1;
    const nextLive = tie ? live.slice() : live;
    const nextReached = tie ? reached.slice() : reached;
    for (const p of step.policies) {
      const l = tie ? live.slice() : live;
      const r = tie ? reached.slice() : reached;
      for (const cr of p.rules) {
        const maybeIn = inMaybe(cr.rule);
        if (!maybeIn) continue;
        const sureIn = p.sure && inSure(cr.rule);
        const m = rulePorts(cr, peerClass, probes, tmp);
        const target = cr.rule.action === 'Accept' ? accept : cr.rule.action === 'Deny' ? deny : fall;
        for (let i = 0; i < W; i++) {
          const mi = m[i] ?? 0;
          const pi = (l[i] ?? 0) & mi;
          poss[i] = pi;
          target[i] = (target[i] ?? 0) | pi;
          // Surely decided here: surely reached and surely matched (never within a tie).
          sureHit[i] = sureIn && !tie ? (r[i] ?? 0) & mi : 0;
          if (sureIn) l[i] = (l[i] ?? 0) & ~mi;
          r[i] = (r[i] ?? 0) & ~mi;
        }
        observe?.(p, cr, poss, sureHit);
      }
      if (tie) {
        for (let i = 0; i < W; i++) {
          nextLive[i] = (nextLive[i] ?? 0) & (l[i] ?? 0);
          nextReached[i] = (nextReached[i] ?? 0) & (r[i] ?? 0);
        }
      }
    }
    live = nextLive;
    reached = nextReached;
  }
  for (let i = 0; i < W; i++) fall[i] = (fall[i] ?? 0) | (live[i] ?? 0);
  return { accept, deny, fall };
}

/** Combines a chain's outcomes with what the next tier allows (`next`, in place) for a pass. */
export function combineInto(o: ChainOutcome, next: Bitset, all: Bitset, maybe: boolean): void {
  for (let i = 0; i < next.length; i++) {
    const n = next[i] ?? 0;
    next[i] = maybe
      ? ((o.accept[i] ?? 0) | ((o.fall[i] ?? 0) & n)) & (all[i] ?? 0)
      : ~(o.deny[i] ?? 0) & (~(o.fall[i] ?? 0) | n) & (all[i] ?? 0);
  }
}

/** A whole table (row c = peer class c, `W` words per row) per outcome. */
export interface OutcomeTable {
  readonly accept: Uint32Array;
  readonly deny: Uint32Array;
  readonly fall: Uint32Array;
  /**
   * Rows by what the chain does there: `noop` = every probe falls through (combining leaves the next
   * tier's row as it is), `decided` = no probe falls through (the row does not depend on the next
   * tier), `mixed` = the rest. Most rows of real chains are noop or decided.
   */
  readonly noop: Int32Array;
  readonly decided: Int32Array;
  readonly mixed: Int32Array;
  /** The combined rows of `decided` for a sure and a maybe pass (other rows zero), built on first use. */
  decidedYes?: Uint32Array;
  decidedMaybe?: Uint32Array;
}

function decidedRows(o: OutcomeTable, all: Bitset, W: number, maybe: boolean): Uint32Array {
  const cached = maybe ? o.decidedMaybe : o.decidedYes;
  if (cached) return cached;
  const out = new Uint32Array(o.accept.length);
  for (const c of o.decided)
    for (let i = 0; i < W; i++) {
      const k = c * W + i;
      out[k] = (maybe ? (o.accept[k] ?? 0) : ~(o.deny[k] ?? 0)) & (all[i] ?? 0);
    }
  if (maybe) o.decidedMaybe = out;
  else o.decidedYes = out;
  return out;
}

function classifyRows(
  accept: Uint32Array,
  deny: Uint32Array,
  fall: Uint32Array,
  all: Bitset,
  n: number,
  W: number,
): OutcomeTable {
  const noop: number[] = [];
  const decided: number[] = [];
  const mixed: number[] = [];
  for (let c = 0; c < n; c++) {
    let isNoop = true;
    let isDecided = true;
    for (let i = 0; i < W; i++) {
      const k = c * W + i;
      const f = fall[k] ?? 0;
      if ((accept[k] ?? 0) !== 0 || (deny[k] ?? 0) !== 0 || f !== (all[i] ?? 0)) isNoop = false;
      if (f !== 0) isDecided = false;
    }
    if (isNoop) noop.push(c);
    else if (!isDecided) mixed.push(c);
    else decided.push(c);
  }
  return {
    accept,
    deny,
    fall,
    noop: Int32Array.from(noop),
    decided: Int32Array.from(decided),
    mixed: Int32Array.from(mixed),
  };
}

/**
 * One policy's rules walked from "every probe live" over every class: possible outcomes and what stays
 * live. Rows outside `touched` are untouched by every rule (nothing decided, everything live).
 */
interface PolicyTable {
  readonly accept: Uint32Array;
  readonly deny: Uint32Array;
  readonly pass: Uint32Array;
  readonly live: Uint32Array;
  readonly touched: Int32Array;
  /** Rows with some probe still live after the policy (1) or all surely decided (0). */
  readonly open: Uint8Array;
}

function policyTable(
  p: ChainPolicy<ChainMember>,
  probes: ProbeMasks,
  classes: readonly PodClass[],
): PolicyTable {
  const W = probes.words;
  const n = classes.length;
  // Outcomes no rule of the policy has stay one shared, never written, zero table.
  const has = (action: AdminAction): boolean => p.rules.some((r) => r.rule.action === action);
  let zero: Uint32Array | undefined;
  const table = (action: AdminAction): Uint32Array =>
    has(action) ? new Uint32Array(n * W) : (zero ??= new Uint32Array(n * W));
  const accept = table('Accept');
  const deny = table('Deny');
  const pass = table('Pass');
  const live = new Uint32Array(n * W);
  for (let c = 0; c < n; c++) for (let i = 0; i < W; i++) live[c * W + i] = probes.all[i] ?? 0;
  const hit = new Uint8Array(n);
  const touched: number[] = [];
  const tmp = newBitset(W);
  for (const cr of p.rules) {
    const rule = cr.rule;
    const target = rule.action === 'Accept' ? accept : rule.action === 'Deny' ? deny : pass;
    const fixed = cr.peerNamed.length === 0 ? probes.maskOf(cr.ports) : undefined;
    forEachBit(rule.maybe, (c) => {
      if (c >= n) return;
      if (hit[c] === 0) {
        hit[c] = 1;
        touched.push(c);
      }
      const m = fixed ?? rulePorts(cr, classes[c], probes, tmp);
      const sureIn = p.sure && hasBit(rule.classes, c);
      const base = c * W;
      for (let i = 0; i < W; i++) {
        const mi = m[i] ?? 0;
        target[base + i] = (target[base + i] ?? 0) | ((live[base + i] ?? 0) & mi);
        if (sureIn) live[base + i] = (live[base + i] ?? 0) & ~mi;
      }
    });
  }
  const open = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    let any = 0;
    for (let i = 0; i < W; i++) any |= live[c * W + i] ?? 0;
    open[c] = any === 0 ? 0 : 1;
  }
  return { accept, deny, pass, live, touched: Int32Array.from(touched), open };
}

/**
 * Chain walks over every pod class at once. Each policy is walked once over the classes its rules
 * match (cached in `cache` for every chain it appears in), and a chain composes its policies' tables:
 * a policy decides, from the probes still live when it is read, what its own walk decided. Composing
 * visits only the rows a policy touches while they are still live, so a chain whose first policy
 * decides most rows (a tenant's "deny the rest") costs little more than that policy.
 */
export function chainTable(
  chain: AdminChain<ChainMember>,
  probes: ProbeMasks,
  classes: readonly PodClass[],
  cache: Map<string, PolicyTable>,
): OutcomeTable {
  const W = probes.words;
  const n = classes.length;
  const size = n * W;
  if (chain.hidden) {
    const every = new Uint32Array(size);
    for (let c = 0; c < n; c++) for (let i = 0; i < W; i++) every[c * W + i] = probes.all[i] ?? 0;
    return classifyRows(every, every.slice(), every.slice(), probes.all, n, W);
  }
  const tableOf = (p: ChainPolicy<ChainMember>): PolicyTable => {
    // Ids are unique per kind of member only (admin policies, Cilium parts): the key tells them apart.
    const key = `${p.cp.key}\u0000${p.cp.id}${p.sure ? '' : '?'}${p.rules[0]?.rule.direction ?? ''}:${p.rules.map((r) => r.ports).join(',')}`;
    let t = cache.get(key);
    if (!t) cache.set(key, (t = policyTable(p, probes, classes)));
    return t;
  };
  // A chain led by one policy starts as that policy's own walk (block copies); `open` marks the rows
  // with some probe still live, the only ones later steps can change.
  const first =
    chain.steps[0]?.policies.length === 1
      ? tableOf(chain.steps[0].policies[0] as ChainPolicy<ChainMember>)
      : undefined;
  let accept: Uint32Array;
  let deny: Uint32Array;
  let fall: Uint32Array;
  let live: Uint32Array;
  let open: Uint8Array;
  if (first && chain.steps.length === 1) {
    // The policy's own walk is the chain's: share its tables (never written after this).
    const f = first.pass.slice();
    for (let k = 0; k < size; k++) f[k] = (f[k] ?? 0) | (first.live[k] ?? 0);
    return classifyRows(first.accept, first.deny, f, probes.all, n, W);
  }
  if (first) {
    accept = first.accept.slice();
    deny = first.deny.slice();
    fall = first.pass.slice();
    live = first.live.slice();
    open = first.open.slice();
  } else {
    accept = new Uint32Array(size);
    deny = new Uint32Array(size);
    fall = new Uint32Array(size);
    live = new Uint32Array(size);
    for (let c = 0; c < n; c++) for (let i = 0; i < W; i++) live[c * W + i] = probes.all[i] ?? 0;
    open = new Uint8Array(n).fill(1);
  }
  for (const step of first ? chain.steps.slice(1) : chain.steps) {
    const next = step.policies.length > 1 ? live.slice() : live;
    const tables = step.policies.map(tableOf);
    for (const t of tables) {
      for (const c of t.touched) {
        if (open[c] === 0) continue;
        for (let k = c * W; k < c * W + W; k++) {
          const l = live[k] ?? 0;
          accept[k] = (accept[k] ?? 0) | (l & (t.accept[k] ?? 0));
          deny[k] = (deny[k] ?? 0) | (l & (t.deny[k] ?? 0));
          fall[k] = (fall[k] ?? 0) | (l & (t.pass[k] ?? 0));
          next[k] = (next[k] ?? 0) & (t.live[k] ?? 0);
        }
      }
    }
    for (const t of tables)
      for (const c of t.touched) {
        if (open[c] === 0) continue;
        let any = 0;
        for (let k = c * W; k < c * W + W; k++) any |= next[k] ?? 0;
        if (any === 0) open[c] = 0;
      }
    live = next;
  }
  for (let c = 0; c < n; c++) {
    if (open[c] === 0) continue;
    for (let k = c * W; k < c * W + W; k++) fall[k] = (fall[k] ?? 0) | (live[k] ?? 0);
  }
  return classifyRows(accept, deny, fall, probes.all, n, W);
}

export type { PolicyTable };

/**
 * `combineInto` over whole tables (row c = peer class c). When the chain decides most rows, those rows
 * are copied in one block from the precombined table and only the others are read from `next`.
 */
export function combineTable(
  o: OutcomeTable,
  next: Uint32Array,
  all: Bitset,
  W: number,
  n: number,
  maybe: boolean,
  scratch: { rows: Uint32Array },
): void {
  const combineRow = (c: number, from: Uint32Array, at: number): void => {
    for (let i = 0; i < W; i++) {
      const x = from[at + i] ?? 0;
      const k = c * W + i;
      next[k] = maybe
        ? ((o.accept[k] ?? 0) | ((o.fall[k] ?? 0) & x)) & (all[i] ?? 0)
        : ~(o.deny[k] ?? 0) & (~(o.fall[k] ?? 0) | x) & (all[i] ?? 0);
    }
  };
  const decided = decidedRows(o, all, W, maybe);
  if (o.decided.length * 2 < n || decided.length < n * W) {
    for (const c of o.decided) {
      if (c >= n) continue;
      for (let k = c * W; k < c * W + W; k++) next[k] = decided[k] ?? 0;
    }
    for (const c of o.mixed) if (c < n) combineRow(c, next, c * W);
    return;
  }
  // Keep the rows the chain leaves open, overwrite the whole table in one block, put them back.
  const keep = (o.noop.length + o.mixed.length) * W;
  if (scratch.rows.length < keep) scratch.rows = new Uint32Array(keep);
  const saved = scratch.rows;
  let j = 0;
  for (const c of o.noop) for (let i = 0; i < W; i++) saved[j++] = next[c * W + i] ?? 0;
  for (const c of o.mixed) for (let i = 0; i < W; i++) saved[j++] = next[c * W + i] ?? 0;
  next.set(decided.subarray(0, n * W));
  j = 0;
  for (const c of o.noop) {
    if (c < n) for (let i = 0; i < W; i++) next[c * W + i] = saved[j + i] ?? 0;
    j += W;
  }
  for (const c of o.mixed) {
    if (c < n) combineRow(c, saved, j);
    j += W;
  }
}

/**
 * Whether a Cilium chain reads as two bands (every deny part, then every allow part; no ties, no
 * unsure subject, nothing hidden). Then its outcome needs no walk: a probe is possibly denied where a
 * deny rule possibly matches, surely decided where some rule surely matches, and
 *
 *   surely allowed   = (next ∨ surely accepted) ∧ ¬possibly denied
 *   possibly allowed = (next ∨ possibly accepted) ∧ ¬surely denied
 *
 * which is `combineInto` with the chain's outcomes written out (sure ⊆ possible matches).
 */
export function ciliumBands(chain: AdminChain<CompiledCiliumPart>): boolean {
  if (chain.hidden) return false;
  let allows = false;
  for (const step of chain.steps) {
    const p = step.policies[0];
    if (step.policies.length !== 1 || !p || !p.sure) return false;
    if (p.cp.deny && allows) return false;
    if (!p.cp.deny) allows = true;
  }
  return true;
}

/** Rows (peer classes) and the probes a rule of a two-band Cilium chain adds or removes there. */
interface CiliumRowOp {
  readonly rows: Bitset;
  readonly rule: ChainRule<CompiledCiliumPart['ingress'][number]>;
  /** The rule's probes when they do not depend on the peer (no egress named ports). */
  readonly fixed: Bitset | undefined;
}

/**
 * A two-band chain prepared for one pass: rules matching every class fold into one mask per band
 * (`widen`, `narrow`) applied in a single sweep; the others visit the rows they match.
 */
interface CiliumPlan {
  /** The class count the plan was made for (which rules cover every class depends on it). */
  readonly n: number;
  readonly widen: Bitset;
  readonly narrow: Bitset;
  readonly allows: readonly CiliumRowOp[];
  readonly denies: readonly CiliumRowOp[];
}

const ciliumPlans = new WeakMap<
  ProbeMasks,
  Map<AdminChain<CompiledCiliumPart>, [CiliumPlan?, CiliumPlan?]>
>();

function coversAll(rows: Bitset, n: number): boolean {
  const full = n >>> 5;
  for (let i = 0; i < full; i++) if (((rows[i] ?? 0) | 0) !== -1) return false;
  const rest = n & 31;
  if (rest === 0) return true;
  const m = (1 << rest) - 1;
  return ((rows[full] ?? 0) & m) === m;
}

function ciliumPlan(
  chain: AdminChain<CompiledCiliumPart>,
  probes: ProbeMasks,
  n: number,
  maybe: boolean,
): CiliumPlan {
  let byChain = ciliumPlans.get(probes);
  if (!byChain)
    ciliumPlans.set(
      probes,
      (byChain = new Map<AdminChain<CompiledCiliumPart>, [CiliumPlan?, CiliumPlan?]>()),
    );
  let entry = byChain.get(chain);
  if (!entry) byChain.set(chain, (entry = [undefined, undefined]));
  const cached = entry[maybe ? 1 : 0];
  if (cached && cached.n === n) return cached;
  const W = probes.words;
  const widen = newBitset(W);
  const narrow = newBitset(W);
  const allows: CiliumRowOp[] = [];
  const denies: CiliumRowOp[] = [];
  for (const step of chain.steps) {
    const p = step.policies[0] as ChainPolicy<CompiledCiliumPart>;
    for (const cr of p.rules) {
      // Surely: allows that surely match, denies that possibly do; possibly: the other way round.
      const rows = p.cp.deny === maybe ? cr.rule.classes : cr.rule.maybe;
      const fixed = cr.peerNamed.length === 0 ? probes.maskOf(cr.ports) : undefined;
      if (fixed && coversAll(rows, n)) orInto(p.cp.deny ? narrow : widen, fixed);
      else (p.cp.deny ? denies : allows).push({ rows, rule: cr, fixed });
    }
  }
  const plan = { n, widen, narrow, allows, denies };
  entry[maybe ? 1 : 0] = plan;
  return plan;
}

/**
 * Combines a two-band Cilium chain (`ciliumBands`) with the next tier's table in place, row c = peer
 * class c, without an outcome table per chain: allow rules widen the rows they match, then deny rules
 * narrow them, so every deny wins over every allow as in the walk. Rules over every class cost one
 * sweep together; the others O(classes they match).
 */
export function combineCiliumTable(
  chain: AdminChain<CompiledCiliumPart>,
  probes: ProbeMasks,
  classes: readonly PodClass[],
  table: Uint32Array,
  n: number,
  maybe: boolean,
): void {
  const W = probes.words;
  const plan = ciliumPlan(chain, probes, n, maybe);
  const tmp = newBitset(W);
  const visit = (op: CiliumRowOp, deny: boolean): void => {
    forEachBit(op.rows, (c) => {
      if (c >= n) return;
      const m = op.fixed ?? rulePorts(op.rule, classes[c], probes, tmp);
      const base = c * W;
      for (let i = 0; i < W; i++)
        table[base + i] = deny
          ? (table[base + i] ?? 0) & ~(m[i] ?? 0)
          : (table[base + i] ?? 0) | ((m[i] ?? 0) & (probes.all[i] ?? 0));
    });
  };
  for (const op of plan.allows) visit(op, false);
  let sweep = false;
  for (let i = 0; i < W; i++) if ((plan.widen[i] ?? 0) !== 0 || (plan.narrow[i] ?? 0) !== 0) sweep = true;
  if (sweep) {
    if (W === 1) {
      const a = (plan.widen[0] ?? 0) & (probes.all[0] ?? 0);
      const d = ~(plan.narrow[0] ?? 0);
      for (let c = 0; c < n; c++) table[c] = ((table[c] ?? 0) | a) & d;
    } else
      for (let c = 0; c < n; c++)
        for (let i = 0; i < W; i++) {
          const k = c * W + i;
          table[k] =
            ((table[k] ?? 0) | ((plan.widen[i] ?? 0) & (probes.all[i] ?? 0))) & ~(plan.narrow[i] ?? 0);
        }
  }
  for (const op of plan.denies) visit(op, true);
}
