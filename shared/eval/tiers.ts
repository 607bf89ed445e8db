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
import { forEachBit, hasBit, newBitset, type Bitset } from './bitset.ts';
import { refProtocol, type PodClass } from './classes.ts';
import type { CompiledAdminPolicy, CompiledAdminRule } from './admin.ts';
import { encodePort, type PortSetId, type PortSetTable } from './ports.ts';
import type { Direction } from './types.ts';
import { resolveOn } from './profile.ts';

/** One admin rule as a chain reads it. */
export interface ChainRule {
  readonly rule: CompiledAdminRule;
  /** Static ports, plus (ingress) named ports resolved on the subject. */
  readonly ports: PortSetId;
  /** Named-port refs resolved on the peer (egress only; the destination is the peer). */
  readonly peerNamed: readonly string[];
}

export interface ChainPolicy {
  readonly cp: CompiledAdminPolicy;
  /** The policy surely applies to the subject (else only possibly: namespace labels unread). */
  readonly sure: boolean;
  readonly rules: readonly ChainRule[];
}

/** Policies read at one priority: one, or several whose order the spec leaves to the implementation. */
export interface ChainStep {
  readonly policies: readonly ChainPolicy[];
}

export interface AdminChain {
  readonly key: string;
  readonly steps: readonly ChainStep[];
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
}

/**
 * The chain of the admin policies that (possibly) apply to a subject, sorted by priority: the cached one
 * for the same policies (and, for ingress named ports, the same subject ports), else a new one.
 */
export function buildChain(
  applicable: readonly { readonly cp: CompiledAdminPolicy; readonly sure: boolean }[],
  direction: Direction,
  subject: PodClass,
  portSets: PortSetTable,
  hidden: boolean,
  cache: Map<string, AdminChain>,
): AdminChain | undefined {
  const withRules = applicable.filter((a) => a.cp[direction].length > 0);
  if (withRules.length === 0 && !hidden) return undefined;
  const named = direction === 'ingress' && withRules.some((a) => a.cp.usesIngressNamed);
  let key = `${direction[0]}${hidden ? 'H' : ''}`;
  for (const a of withRules) key += `${a.cp.id}${a.sure ? '' : '?'},`;
  if (named) key += `#${subject.namedKey}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const steps: ChainStep[] = [];
  let uncertain = hidden;
  for (const a of withRules) {
    const rules = a.cp[direction].map((rule): ChainRule => {
      if (rule.named.length === 0) return { rule, ports: rule.staticPorts, peerNamed: [] };
      if (direction === 'egress') return { rule, ports: rule.staticPorts, peerNamed: rule.named };
      return {
        rule,
        ports: portSets.union(rule.staticPorts, resolveOn(subject, rule.named, portSets)),
        peerNamed: [],
      };
    });
    const policy: ChainPolicy = { cp: a.cp, sure: a.sure, rules };
    if (!a.sure || rules.some((r) => r.rule.uncertain)) uncertain = true;
    const last = steps[steps.length - 1];
    if (last && last.policies[0]?.cp.priority === a.cp.priority) {
      (last.policies as ChainPolicy[]).push(policy);
      uncertain = true;
    } else steps.push({ policies: [policy] });
  }
  const chain = { key, steps, hidden, uncertain };
  cache.set(key, chain);
  return chain;
}

/** Port masks over a fixed probe list (query.ts's ProbeSet implements it). */
export interface ProbeMasks {
  readonly words: number;
  readonly all: Bitset;
  maskOf(ports: PortSetId): Bitset;
  addCodes(out: Bitset, codes: Iterable<number>): void;
}

/** Probes a chain rule's ports cover towards/from a peer class (egress named ports resolve on the peer). */
function rulePorts(r: ChainRule, peer: PodClass | undefined, probes: ProbeMasks, tmp: Bitset): Bitset {
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
export type DecisionObserver = (
  policy: ChainPolicy,
  rule: ChainRule,
  possibly: Bitset,
  surely: Bitset,
) => void;

/**
 * Walks a chain for one peer: `peerClass` a pod class (undefined for an external address), `inSure` /
 * `inMaybe` whether the peer is surely/possibly among a rule's peers.
 */
export function walkChain(
  chain: AdminChain,
  probes: ProbeMasks,
  peerClass: PodClass | undefined,
  inSure: (rule: CompiledAdminRule) => boolean,
  inMaybe: (rule: CompiledAdminRule) => boolean,
  observe?: DecisionObserver,
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
   * Per row: 0 = the chain decides nothing there (every probe falls through, so combining leaves the
   * next tier's row as it is), 1 = it decides every probe (the row does not depend on the next tier),
   * 2 = mixed. Most rows of real chains are 0 or 1, and combining skips or overwrites them.
   */
  readonly rowKind: Uint8Array;
}

function rowKinds(
  accept: Uint32Array,
  deny: Uint32Array,
  fall: Uint32Array,
  all: Bitset,
  n: number,
  W: number,
): Uint8Array {
  const kinds = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    let noop = true;
    let decided = true;
    for (let i = 0; i < W; i++) {
      const k = c * W + i;
      const f = fall[k] ?? 0;
      if ((accept[k] ?? 0) !== 0 || (deny[k] ?? 0) !== 0 || f !== (all[i] ?? 0)) noop = false;
      if (f !== 0) decided = false;
    }
    kinds[c] = noop ? 0 : decided ? 1 : 2;
  }
  return kinds;
}

/** One policy's rules walked from "every probe live" over every class: possible outcomes and what stays live. */
interface PolicyTable {
  readonly accept: Uint32Array;
  readonly deny: Uint32Array;
  readonly pass: Uint32Array;
  readonly live: Uint32Array;
}

function policyTable(p: ChainPolicy, probes: ProbeMasks, classes: readonly PodClass[]): PolicyTable {
  const W = probes.words;
  const n = classes.length;
  const accept = new Uint32Array(n * W);
  const deny = new Uint32Array(n * W);
  const pass = new Uint32Array(n * W);
  const live = new Uint32Array(n * W);
  for (let c = 0; c < n; c++) for (let i = 0; i < W; i++) live[c * W + i] = probes.all[i] ?? 0;
  const tmp = newBitset(W);
  for (const cr of p.rules) {
    const rule = cr.rule;
    const target = rule.action === 'Accept' ? accept : rule.action === 'Deny' ? deny : pass;
    const fixed = cr.peerNamed.length === 0 ? probes.maskOf(cr.ports) : undefined;
    forEachBit(rule.maybe, (c) => {
      if (c >= n) return;
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
  return { accept, deny, pass, live };
}

/**
 * Chain walks over every pod class at once. Each policy is walked once over the classes its rules
 * match (cached in `cache` for every chain it appears in), and a chain composes its policies' tables:
 * a policy decides, from the probes still live when it is read, what its own walk decided.
 */
export function chainTable(
  chain: AdminChain,
  probes: ProbeMasks,
  classes: readonly PodClass[],
  cache: Map<string, PolicyTable>,
): OutcomeTable {
  const W = probes.words;
  const n = classes.length;
  const size = n * W;
  const accept = new Uint32Array(size);
  const deny = new Uint32Array(size);
  const fall = new Uint32Array(size);
  if (chain.hidden) {
    for (let c = 0; c < n; c++)
      for (let i = 0; i < W; i++) {
        const a = probes.all[i] ?? 0;
        accept[c * W + i] = a;
        deny[c * W + i] = a;
        fall[c * W + i] = a;
      }
    return { accept, deny, fall, rowKind: new Uint8Array(n).fill(2) };
  }
  const tableOf = (p: ChainPolicy): PolicyTable => {
    const key = `${p.cp.id}${p.sure ? '' : '?'}${p.rules[0]?.rule.direction ?? ''}:${p.rules.map((r) => r.ports).join(',')}`;
    let t = cache.get(key);
    if (!t) cache.set(key, (t = policyTable(p, probes, classes)));
    return t;
  };
  let live = new Uint32Array(size);
  for (let c = 0; c < n; c++) for (let i = 0; i < W; i++) live[c * W + i] = probes.all[i] ?? 0;
  for (const step of chain.steps) {
    const next = step.policies.length > 1 ? live.slice() : live;
    for (const p of step.policies) {
      const t = tableOf(p);
      for (let k = 0; k < size; k++) {
        const l = live[k] ?? 0;
        accept[k] = (accept[k] ?? 0) | (l & (t.accept[k] ?? 0));
        deny[k] = (deny[k] ?? 0) | (l & (t.deny[k] ?? 0));
        fall[k] = (fall[k] ?? 0) | (l & (t.pass[k] ?? 0));
        next[k] = (next[k] ?? 0) & (t.live[k] ?? 0);
      }
    }
    live = next;
  }
  for (let k = 0; k < size; k++) fall[k] = (fall[k] ?? 0) | (live[k] ?? 0);
  return { accept, deny, fall, rowKind: rowKinds(accept, deny, fall, probes.all, n, W) };
}

export type { PolicyTable };

/** `combineInto` over whole tables (row c = peer class c). */
export function combineTable(
  o: OutcomeTable,
  next: Uint32Array,
  all: Bitset,
  W: number,
  n: number,
  maybe: boolean,
): void {
  const kinds = o.rowKind;
  for (let c = 0; c < n; c++) {
    const kind = kinds[c] ?? 2;
    if (kind === 0) continue;
    const base = c * W;
    if (kind === 1) {
      for (let i = 0; i < W; i++) {
        const k = base + i;
        next[k] = (maybe ? (o.accept[k] ?? 0) : ~(o.deny[k] ?? 0)) & (all[i] ?? 0);
      }
      continue;
    }
    for (let i = 0; i < W; i++) {
      const k = base + i;
      const x = next[k] ?? 0;
      next[k] = maybe
        ? ((o.accept[k] ?? 0) | ((o.fall[k] ?? 0) & x)) & (all[i] ?? 0)
        : ~(o.deny[k] ?? 0) & (~(o.fall[k] ?? 0) | x) & (all[i] ?? 0);
    }
  }
}
