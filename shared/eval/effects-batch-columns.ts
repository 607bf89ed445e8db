/**
 * What the batch effect counts (effects-batch.ts) share across policies: the endpoints as columns,
 * each side's table over them built once per profile (tables.ts), `npReach` per chain pair, and the
 * per-policy memo of affected peers and rule sums.
 */
import { forEachBit, newBitset, popcount32, type Bitset } from './bitset.ts';
import { effectEndpoints, type Endpoint } from './effect.ts';
import type { Profile } from './profile.ts';
import { npReach, profileMask, ProbeSet } from './query.ts';
import type { EvalState } from './state.ts';
import { profileTable } from './tables.ts';
import { universe } from './universe.ts';
import type { Direction, PolicyEffect, RuleEffect } from './types.ts';

/** Sure and possible masks of a side over peer columns; one array when they agree. */
export interface TablePair {
  readonly yes: Uint32Array;
  readonly maybe: Uint32Array;
}

export type Counts = { -readonly [K in keyof PolicyEffect['counts']]: number };

/**
 * What every policy shares: the probes, the endpoints as columns (class c is column c, external
 * address j is column n + j), and tables per profile and per admin/Cilium chain pair.
 */
export class Columns {
  readonly state: EvalState;
  readonly probes: ProbeSet;
  readonly W: number;
  /** Class count (column of the first external). */
  readonly n: number;
  readonly endpoints: readonly Endpoint[];
  readonly col: Int32Array;
  /** Pod weight of each endpoint (1 for an external address). */
  readonly weights: Float64Array;
  /** Indexes of the external endpoints. */
  readonly outside: readonly number[];
  readonly pods: number;
  readonly externals: number;
  readonly total: number;
  readonly all: Uint32Array;
  /** A table allowing nothing. */
  readonly nothing: Uint32Array;
  /** Side tables per endpoint (index into `endpoints`), as `egressMasks` / `ingressMasks` read them. */
  readonly egress: TablePair[];
  readonly ingress: TablePair[];
  readonly #tables = new Map<Profile, { yes?: Uint32Array; maybe?: Uint32Array }>();
  readonly #reach = new Map<string, TablePair>();
  /** `reach` of a class no Admin or Cilium chain applies to: everything. */
  readonly open: TablePair;

  constructor(state: EvalState) {
    this.state = state;
    const u = universe(state);
    this.probes = new ProbeSet(state, u.ports);
    this.W = this.probes.words;
    this.n = state.classes.classes.length;
    const { endpoints, pods, externals } = effectEndpoints(state, u.externals);
    this.endpoints = endpoints;
    this.pods = pods;
    this.externals = externals;
    this.total = (pods * (pods - 1) + 2 * pods * externals) * u.ports.length;
    let ext = 0;
    this.col = Int32Array.from(endpoints, (e) => (e.cls ? e.entity : this.n + ext++));
    this.weights = Float64Array.from(endpoints, (e) => e.weight);
    this.outside = endpoints.flatMap((e, i) => (e.cls ? [] : [i]));
    const columns = this.n + ext;
    this.all = new Uint32Array(columns * this.W);
    for (let c = 0; c < columns; c++) this.all.set(this.probes.all, c * this.W);
    this.nothing = new Uint32Array(this.all.length);
    this.open = { yes: this.all, maybe: this.all };
    this.egress = endpoints.map((e) =>
      this.side(e, 'egress', e.cls ? state.egressProfile[e.entity] : undefined),
    );
    this.ingress = endpoints.map((e) =>
      this.side(e, 'ingress', e.cls ? state.ingressProfile[e.entity] : undefined),
    );
  }

  /** What `profile` allows per peer column, surely or (`maybe`) possibly; undefined allows all. */
  table(profile: Profile | undefined, maybe: boolean): Uint32Array {
    if (!profile) return this.all;
    let entry = this.#tables.get(profile);
    if (!entry) {
      this.#tables.set(profile, (entry = {}));
      this.#scratch?.push(profile);
    }
    const have = maybe ? entry.maybe : entry.yes;
    if (have) return have;
    const { W, n } = this;
    const t = new Uint32Array(this.all.length);
    profileTable(this.state, profile, this.probes, t, n, maybe);
    const tmp = newBitset(W);
    for (const i of this.outside) {
      tmp.fill(0);
      profileMask(this.state, profile, this.endpoints[i]?.entity ?? -1, this.probes, tmp, maybe);
      t.set(tmp, (this.col[i] ?? 0) * W);
    }
    if (maybe) entry.maybe = t;
    else entry.yes = t;
    return t;
  }

  #scratch: Profile[] | undefined;

  /**
   * Runs `fn` and then drops the tables it built: those of profiles one policy reads (its rules, its
   * subjects' sides without it), so memory stays at the shared tables plus one policy's.
   */
  scoped<T>(fn: () => T): T {
    this.#scratch = [];
    try {
      return fn();
    } finally {
      for (const p of this.#scratch) this.#tables.delete(p);
      this.#scratch = undefined;
    }
  }

  /** The side of `subject` given the NetworkPolicy-tier profile `visible`, as `sideMasksWith` reads it. */
  side(subject: Endpoint, direction: Direction, visible: Profile | undefined): TablePair {
    const state = this.state;
    if (!subject.cls) {
      const t = this.table(visible, false);
      return { yes: t, maybe: t };
    }
    if (!state.uncertain) {
      const t = this.table(state.tiered(subject.entity, direction, visible), false);
      return { yes: t, maybe: t };
    }
    const { yes, maybe } = state.sideProfiles(subject.entity, direction, visible);
    return { yes: this.table(yes, false), maybe: this.table(maybe, true) };
  }

  /** `npReach` of a class towards every column: shared by the classes with the same chains. */
  reach(subject: number, direction: Direction): TablePair {
    const { admin, cilium } = this.state.adminChains(subject, direction);
    if (!admin && !cilium && !this.state.calico) return this.open;
    // Classes with the same Admin and Cilium chains reach the NetworkPolicy tier alike; with Calico
    // tiers (state.calico) the way there is the class's own, so nothing is shared.
    const key = `${direction}\u0000${admin?.key ?? ''}\u0000${cilium?.key ?? ''}${this.state.calico ? `\u0000${subject}` : ''}`;
    let r = this.#reach.get(key);
    if (!r) {
      const { W } = this;
      const yes = new Uint32Array(this.all.length);
      const maybe = new Uint32Array(this.all.length);
      this.endpoints.forEach((e, i) => {
        const m = npReach(this.state, subject, direction, e.entity, this.probes);
        const at = (this.col[i] ?? 0) * W;
        yes.set(m.yes, at);
        maybe.set(m.maybe, at);
      });
      this.#reach.set(key, (r = { yes, maybe }));
    }
    return r;
  }

  weight(a: Endpoint, b: Endpoint): number {
    return a === b ? a.weight * (a.weight - 1) : a.weight * b.weight;
  }
}

export function zeroCounts(): Counts {
  return {
    permittedFlowing: 0,
    permittedBlocked: 0,
    denied: 0,
    passed: 0,
    unknown: 0,
    unaffected: 0,
    total: 0,
  };
}

export function finishCounts(c: Counts, total: number): PolicyEffect['counts'] {
  return {
    ...c,
    unaffected: total - c.permittedFlowing - c.permittedBlocked - c.denied - c.passed - c.unknown,
    total,
  };
}

export function selectedPods(state: EvalState, subject: Bitset): number {
  let n = 0;
  forEachBit(subject, (c) => {
    n += state.classes.classes[c]?.pods.size ?? 0;
  });
  return n;
}

export function ruleEffects(
  rules: readonly { readonly direction: Direction; readonly index: number }[],
  matched: Float64Array,
  unknown: Float64Array,
): RuleEffect[] {
  return rules.map((rule, r) => ({
    direction: rule.direction,
    rule: rule.index,
    matched: matched[r] ?? 0,
    unknown: unknown[r] ?? 0,
    matchesNothing: (matched[r] ?? 0) + (unknown[r] ?? 0) === 0,
  }));
}

/** Per endpoint: the probes a rule permits at a subject (popcount), and their sum weighted by pods. */
export interface RuleSums {
  readonly yes: Float64Array;
  readonly yesTotal: number;
  readonly unknown: Float64Array;
  readonly unknownTotal: number;
}

/**
 * Lists and sums that depend only on tables, keyed by the tables' identity, so the subjects of a
 * policy that read the same tables share them. They are cleared after each policy, whose tables they
 * mostly hold.
 */
export class Memo {
  readonly #ids = new WeakMap<Uint32Array, number>();
  #next = 0;
  readonly #affected = new Map<string, { affected: Int32Array; mark: Uint8Array }>();
  readonly #sums = new Map<string, RuleSums>();
  readonly #cols: Columns;

  constructor(cols: Columns) {
    this.#cols = cols;
  }

  key(...tables: Uint32Array[]): string {
    let k = '';
    for (const t of tables) {
      let id = this.#ids.get(t);
      if (id === undefined) this.#ids.set(t, (id = this.#next++));
      k += `${id},`;
    }
    return k;
  }

  /**
   * Peers whose pair with a subject P can affect at this side: P permits something towards them, or
   * the side without P allows something else. Elsewhere, with the other side not P's, nothing is
   * permitted by P and the pair flows with P exactly when it flows without it. With unknowns and P
   * alone isolating the side every peer counts (an unread object could make the difference).
   */
  affected(own: TablePair, without: TablePair, permit: TablePair, every: boolean) {
    const { W, endpoints, col } = this.#cols;
    const key = every ? 'every' : this.key(own.yes, without.yes, permit.yes, permit.maybe);
    let a = this.#affected.get(key);
    if (!a) {
      const list: number[] = [];
      const mark = new Uint8Array(endpoints.length);
      for (let j = 0; j < endpoints.length; j++) {
        const at = (col[j] ?? 0) * W;
        let hit = every;
        for (let k = at; k < at + W && !hit; k++)
          hit = ((permit.yes[k] ?? 0) | (permit.maybe[k] ?? 0)) !== 0 || without.yes[k] !== own.yes[k];
        if (hit) {
          list.push(j);
          mark[j] = 1;
        }
      }
      this.#affected.set(key, (a = { affected: Int32Array.from(list), mark }));
    }
    return a;
  }

  /** Forgets the lists and sums: they hold one policy's tables (its rules, permits, sides without it). */
  clear(): void {
    this.#affected.clear();
    this.#sums.clear();
  }

  /** Per endpoint, the probes a rule (its table within its reach) matches surely and only possibly. */
  sums(rule: TablePair, reach: TablePair, uncertain: boolean): RuleSums {
    const key = this.key(rule.yes, rule.maybe, reach.yes, reach.maybe);
    let s = this.#sums.get(key);
    if (!s) {
      const { W, endpoints, col } = this.#cols;
      const yes = new Float64Array(endpoints.length);
      const unknown = new Float64Array(endpoints.length);
      let yesTotal = 0;
      let unknownTotal = 0;
      endpoints.forEach((e, j) => {
        const at = (col[j] ?? 0) * W;
        for (let k = at; k < at + W; k++) {
          const y = (rule.yes[k] ?? 0) & (reach.yes[k] ?? 0);
          yes[j] = (yes[j] ?? 0) + popcount32(y);
          if (uncertain)
            unknown[j] = (unknown[j] ?? 0) + popcount32((rule.maybe[k] ?? 0) & (reach.maybe[k] ?? 0) & ~y);
        }
        yesTotal += (yes[j] ?? 0) * e.weight;
        unknownTotal += (unknown[j] ?? 0) * e.weight;
      });
      this.#sums.set(key, (s = { yes, yesTotal, unknown, unknownTotal }));
    }
    return s;
  }
}
