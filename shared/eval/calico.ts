/**
 * Calico policies (projectcalico.org/v3 NetworkPolicy / GlobalNetworkPolicy) compiled for the chains
 * (tiers.ts), read as Calico's documentation describes policy evaluation (Tier reference, "How policy
 * is evaluated"; "Get started with policy tiers"):
 *
 * - Tiers are read by ascending `order` (no order: last; equal orders by name). A tier is read only
 *   when one of its policies applies to the endpoint in the direction (selects it, and `types` lists
 *   the direction).
 * - Within a tier, policies by ascending `order` (none: last), then by name; rules in written order.
 *   The first matching rule decides: Allow and Deny end the evaluation, Pass jumps to the next tier,
 *   Log does nothing and evaluation goes on.
 * - A tier that applies but whose rules take no action applies its `defaultAction`: Deny unless the
 *   Tier says Pass. If the last tier that applies passes, the endpoint's profile decides; a pod's
 *   profile (`kns.<namespace>`) allows everything.
 * - Kubernetes NetworkPolicies live in the `default` tier at order 1000 (Calico names them
 *   `knp.default.<name>`): their allows add up, and a pod they isolate that none of them allows goes on
 *   to the default tier's later policies, then to its default action (Deny).
 * - Calico 3.32's static tiers hold the admin policies: `kube-admin` (order 1,000, default action
 *   Pass) before the `default` tier (order 1,000,000), `kube-baseline` (order 10,000,000) after it.
 *   netglass reads ClusterNetworkPolicies there: the Admin tier's chain at kube-admin, the Baseline
 *   tier's at kube-baseline; Calico policies written into those tiers are read just before them.
 *
 * So each tier that applies to a class becomes one chain (its policies, then a member standing for its
 * default action), and a side is the list of chains (`CalicoStage`s) combined from the last one back,
 * as `combineInto` combines the admin tiers. Pods on the host network are not Calico workload
 * endpoints: policies never select them (host endpoints are not modelled).
 *
 * What netglass cannot know widens a match to "possibly": service account labels and names, Service
 * endpoints, source ports, named `notPorts`, `ipVersion` (unknown), HTTP matches (conditional: allowed
 * for those requests only). Each such rule says why.
 */
import type {
  CalicoAction,
  CalicoEntityRule,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
  CalicoTier,
  Labels,
  Protocol,
} from '../model/snapshot.ts';
import { NAMESPACE_NAME_LABEL, PROTOCOLS, calicoNetworkSetKey, calicoPolicyKey } from '../model/snapshot.ts';
import { andInto, andNotInto, forEachBit, hasBit, newBitset, orInto, setBit, type Bitset } from './bitset.ts';
import {
  calicoSelectorKeys,
  matchCalicoSelector,
  mentionsGlobal,
  parseCalicoSelector,
  type CalicoSelectorNode,
  type Tri,
} from './calico-selector.ts';
import { namedPortRef, type ClassId, type PodClass } from './classes.ts';
import type { Profile } from './profile.ts';
import { encodePort, protocolRange, type Intervals, type PortSetId, type PortSetTable } from './ports.ts';
import { buildChain, type AdminChain, type ChainMember, type ChainRuleSource } from './tiers.ts';
import type { Direction } from './types.ts';
import type { Namespace } from '../model/snapshot.ts';

export const DEFAULT_TIER = 'default';
export const ADMIN_TIER = 'kube-admin';
export const BASELINE_TIER = 'kube-baseline';
/** Orders of Calico's own tiers (Calico 3.32 docs; tigera/docs#2416). */
export const BUILTIN_TIER_ORDER: Readonly<Record<string, number>> = {
  [ADMIN_TIER]: 1000,
  [DEFAULT_TIER]: 1_000_000,
  [BASELINE_TIER]: 10_000_000,
};
/** The order Calico gives Kubernetes NetworkPolicies in the default tier, and the name they sort by. */
export const K8S_NP_ORDER = 1000;
const K8S_NP_NAME = 'knp.default.';

const SA_LABEL = 'projectcalico.org/serviceaccount';

/** A tier as the chains read it: declared by a Tier object, built in, or only named by policies. */
export interface CalicoTierInfo {
  readonly name: string;
  readonly order: number | undefined;
  readonly defaultAction: 'Deny' | 'Pass';
  /** False for a tier no Tier object declares (Calico refuses such policies; netglass reads them last). */
  readonly declared: boolean;
}

/** One Calico rule (or a synthetic one: Kubernetes NetworkPolicy allows, a tier's default action). */
export interface CompiledCalicoRule extends ChainRuleSource {
  readonly calicoAction: CalicoAction;
  /** Set when the match holds only for some requests (HTTP rules): what they are. */
  readonly conditional: string | undefined;
  /** Set when the match depends on something netglass cannot know: why. */
  readonly unknown: string | undefined;
  /** Classes the rule's own-endpoint side (ingress `destination`, egress `source`) matches, if it has one. */
  readonly local: { readonly sure: Bitset; readonly maybe: Bitset } | undefined;
}

interface MemberBase extends ChainMember {
  readonly tier: CalicoTierInfo;
  readonly ingress: readonly CompiledCalicoRule[];
  readonly egress: readonly CompiledCalicoRule[];
}

export interface CompiledCalicoPolicy extends MemberBase {
  readonly kind: 'policy';
  readonly policy: CalicoPolicy;
  readonly subject: Bitset;
  readonly maybeSubject: Bitset;
  /** Why the subject is only possibly selected (service account labels). */
  readonly subjectWhy: string | undefined;
  readonly on: { readonly ingress: boolean; readonly egress: boolean };
}

/** The Kubernetes NetworkPolicies isolating a class, as one member of the default tier. */
export interface CalicoNpMember extends MemberBase {
  readonly kind: 'np';
  readonly profile: Profile;
}

/** A tier's default action, read after its last policy. */
export interface CalicoTierEnd extends MemberBase {
  readonly kind: 'end';
}

export type CalicoMember = CompiledCalicoPolicy | CalicoNpMember | CalicoTierEnd;

/** One step of a side as Calico reads it: a tier's chain, or the admin chains at their tiers. */
export type CalicoStage =
  | { readonly kind: 'chain'; readonly tier: CalicoTierInfo; readonly chain: AdminChain<CalicoMember> }
  | { readonly kind: 'admin' }
  | { readonly kind: 'baseline' };

/** What compiling needs of the evaluation state (EvalState has it all). */
export interface CalicoCompileContext {
  readonly words: number;
  readonly partition: { readonly words: number };
  readonly portSets: PortSetTable;
  readonly allClasses: Bitset;
  readonly allAtoms: Bitset;
  readonly podNetworkClasses: Bitset;
  readonly classes: { readonly classes: readonly PodClass[]; get(id: ClassId): PodClass };
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly view: { readonly namespacesHidden: boolean; policiesHidden(namespace: string): boolean };
  ipBlock(block: { cidr: string; except: readonly string[] }): {
    readonly atoms: Bitset;
    readonly bits: Bitset;
  };
}

function selectorOf(text: string | undefined): CalicoSelectorNode | undefined {
  if (text === undefined) return undefined;
  const p = parseCalicoSelector(text);
  // The reader refuses objects with a bad selector; one arriving here anyway matches nothing.
  return p.ok ? p.selector : { op: '!', operand: { op: 'all' } };
}

/** Label keys of pods that Calico selectors read (the class table keeps them apart). */
export function* calicoPodLabelKeys(policy: CalicoPolicy): Generator<string> {
  const texts = [policy.selector];
  for (const r of [...policy.ingress, ...policy.egress])
    for (const e of [r.source, r.destination]) texts.push(e.selector ?? '', e.notSelector ?? '');
  for (const t of texts) {
    const s = selectorOf(t);
    if (s) yield* calicoSelectorKeys(s);
  }
}

export function* calicoIPBlocks(
  policies: readonly CalicoPolicy[],
  sets: readonly CalicoNetworkSet[],
): Generator<{ cidr: string; except: readonly string[] }> {
  for (const p of policies)
    for (const r of [...p.ingress, ...p.egress])
      for (const e of [r.source, r.destination])
        for (const cidr of [...e.nets, ...e.notNets]) yield { cidr, except: [] };
  for (const s of sets) for (const cidr of s.nets) yield { cidr, except: [] };
}

/** Sorts tiers (and policies within one) as Calico reads them: by order (none: last), then by name. */
export function byOrderThenName(
  a: { readonly order?: number | undefined; readonly name: string },
  b: { readonly order?: number | undefined; readonly name: string },
): number {
  const oa = a.order ?? Infinity;
  const ob = b.order ?? Infinity;
  if (oa !== ob) return oa < ob ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface PeerSets {
  classes: Bitset;
  maybe: Bitset;
  ext: Bitset;
  maybeExt: Bitset;
}

/**
 * The compiled Calico policies of a state: members per tier, and per class and direction the stages a
 * side goes through. Rebuilt with the state.
 */
/**
 * The named tiers as Calico reads them, in order: a Tier object's order and default action, else
 * Calico's own tiers' (kube-admin and kube-baseline always pass what they leave undecided), else last
 * with Deny. Each name once.
 */
export function calicoTierInfos(names: Iterable<string>, tiers: readonly CalicoTier[]): CalicoTierInfo[] {
  const declared = new Map(tiers.map((t) => [t.name, t]));
  return [...new Set(names)]
    .map((name): CalicoTierInfo => {
      const t = declared.get(name);
      const builtin = BUILTIN_TIER_ORDER[name];
      return {
        name,
        order: t ? t.order : builtin,
        defaultAction: name === ADMIN_TIER || name === BASELINE_TIER ? 'Pass' : (t?.defaultAction ?? 'Deny'),
        declared: t !== undefined || builtin !== undefined,
      };
    })
    .sort(byOrderThenName);
}

export class CalicoCompiled {
  readonly tiers: readonly CalicoTierInfo[];
  readonly members: readonly CompiledCalicoPolicy[];
  /** Staged policies: listed as drafts, never read by the chains. */
  readonly staged: readonly CalicoPolicy[];
  /** Some rule or subject matches only possibly. */
  readonly uncertain: boolean;
  readonly #ctx: CalicoCompileContext;
  readonly #ends = new Map<string, CalicoTierEnd>();
  readonly #applies: Record<Direction, Bitset>;
  readonly #chains = new Map<string, AdminChain<CalicoMember>>();
  readonly #stages = new Map<string, readonly CalicoStage[]>();
  readonly #npMembers = new Map<string, CalicoNpMember>();
  readonly #variants = new Map<string, CompiledCalicoPolicy>();
  readonly #ranks = new Map<string, number>();
  readonly #sets: readonly CalicoNetworkSet[];
  #nextId: number;

  constructor(
    ctx: CalicoCompileContext,
    policies: readonly CalicoPolicy[],
    tiers: readonly CalicoTier[],
    sets: readonly CalicoNetworkSet[],
  ) {
    this.#ctx = ctx;
    this.#sets = sets;
    this.#nextId = 0;
    const enforced = policies.filter((p) => !p.staged);
    this.tiers = calicoTierInfos(
      [DEFAULT_TIER, ADMIN_TIER, BASELINE_TIER, ...tiers.map((t) => t.name), ...enforced.map((p) => p.tier)],
      tiers,
    );
    this.staged = policies.filter((p) => p.staged);
    const tierOf = new Map(this.tiers.map((t) => [t.name, t]));
    // Ranks within each tier: Calico policies by order then name, the NetworkPolicies at 1000.
    const sortable = enforced.map((p) => ({
      key: calicoPolicyKey(p),
      order: p.order,
      name: p.name,
      tier: p.tier,
    }));
    for (const t of this.tiers) {
      const list = sortable.filter((s) => s.tier === t.name);
      if (t.name === DEFAULT_TIER)
        list.push({ key: '#np', order: K8S_NP_ORDER, name: K8S_NP_NAME, tier: t.name });
      list.sort(byOrderThenName);
      list.forEach((s, i) => this.#ranks.set(`${t.name}\u0000${s.key}`, i));
    }
    this.members = enforced.map((p) => this.#compilePolicy(p, tierOf.get(p.tier) as CalicoTierInfo, sets));
    this.#applies = { ingress: newBitset(ctx.words), egress: newBitset(ctx.words) };
    for (const m of this.members)
      for (const d of ['ingress', 'egress'] as const) if (m.on[d]) orInto(this.#applies[d], m.maybeSubject);
    this.uncertain = this.members.some(
      (m) =>
        m.subject !== m.maybeSubject ||
        [...m.ingress, ...m.egress].some(
          (r) =>
            r.uncertain ||
            (r.local !== undefined && r.local.sure.some((w, i) => w !== (r.local?.maybe[i] ?? 0))),
        ),
    );
  }

  /** Whether some Calico policy possibly applies to a class in a direction (else plain tiers decide). */
  applies(c: ClassId, direction: Direction): boolean {
    return hasBit(this.#applies[direction], c);
  }

  /**
   * The Calico policies that put a class in default deny for a direction: those applying to it in a
   * tier whose default action is Deny (in a tier that passes by default, what the policies leave
   * undecided goes on to the next tier, so they isolate nothing). `maybe` lists the policies whose
   * selector only possibly matches the class (service-account labels, unreadable namespaces).
   */
  isolating(c: ClassId, direction: Direction): { readonly sure: string[]; readonly maybe: string[] } {
    const sure: string[] = [];
    const maybe: string[] = [];
    for (const m of this.members) {
      if (!m.on[direction] || m.tier.defaultAction !== 'Deny' || !hasBit(m.maybeSubject, c)) continue;
      (hasBit(m.subject, c) ? sure : maybe).push(calicoPolicyKey(m.policy));
    }
    return { sure: sure.sort(), maybe: maybe.sort() };
  }

  #id(): number {
    return this.#nextId++;
  }

  #priority(tier: string, key: string): number {
    return this.#ranks.get(`${tier}\u0000${key}`) ?? 0;
  }

  // ---- selectors over classes, namespaces and network sets

  #nsLabels(namespace: string): Labels {
    const ns = this.#ctx.namespaces.get(namespace);
    return { ...(ns?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace }), 'projectcalico.org/name': namespace };
  }

  #nsUnknown = (key: string): boolean =>
    this.#ctx.view.namespacesHidden && key !== NAMESPACE_NAME_LABEL && key !== 'projectcalico.org/name';

  readonly #podLabelCache = new Map<ClassId, Labels>();

  /** A pod's labels as Calico's selectors see them: its own, its namespace's, and Calico's own labels. */
  #podLabels(c: PodClass): Labels {
    const cached = this.#podLabelCache.get(c.id);
    if (cached) return cached;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#nsLabels(c.namespace))) out[`pcns.${k}`] = v;
    Object.assign(out, c.labels);
    out['projectcalico.org/namespace'] = c.namespace;
    out['projectcalico.org/orchestrator'] = 'k8s';
    this.#podLabelCache.set(c.id, out);
    return out;
  }

  #podUnknown = (key: string): boolean =>
    key === SA_LABEL ||
    key.startsWith(`${SA_LABEL}s`) ||
    (key.startsWith('pcns.') && this.#nsUnknown(key.slice(5)));

  /** Namespace scope of a selector: a namespaceSelector, else the policy's namespace (NetworkPolicy) or all. */
  #scope(policy: CalicoPolicy, nsSelector: CalicoSelectorNode | undefined): (ns: string | undefined) => Tri {
    return (ns) => {
      // Cluster-scoped objects (GlobalNetworkSets) are in scope of a namespaceSelector that asks for
      // them with global(); all() and label tests are about namespaces.
      if (nsSelector)
        return ns === undefined
          ? mentionsGlobal(nsSelector) && matchCalicoSelector(nsSelector, {}, { global: true }) === true
          : matchCalicoSelector(nsSelector, this.#nsLabels(ns), { unknownKey: this.#nsUnknown });
      if (policy.namespace !== undefined) return ns === policy.namespace;
      return true;
    };
  }

  /**
   * The network sets an entity rule's selector picks (its `selector` within its namespace scope, less
   * its `notSelector`), by `calicoNetworkSetKey`: `sure` where the labels surely match, `possibly` where
   * an unread namespace's labels leave it open. Empty when the rule names no selector.
   */
  networkSetsOf(policy: CalicoPolicy, e: CalicoEntityRule): { sure: string[]; possibly: string[] } {
    const sure: string[] = [];
    const possibly: string[] = [];
    const nsSel = selectorOf(e.namespaceSelector);
    if (e.selector === undefined && nsSel === undefined) return { sure, possibly };
    const selector = selectorOf(e.selector) ?? { op: 'all' };
    const not = selectorOf(e.notSelector);
    const scope = this.#scope(policy, nsSel);
    for (const s of this.#sets) {
      const ctx = { global: s.namespace === undefined };
      const inScope = scope(s.namespace);
      const m = matchCalicoSelector(selector, s.labels, ctx);
      const excluded = not ? matchCalicoSelector(not, s.labels, ctx) : false;
      if (inScope === false || m === false || excluded === true) continue;
      (inScope === true && m === true && excluded === false ? sure : possibly).push(calicoNetworkSetKey(s));
    }
    return { sure: sure.sort(), possibly: possibly.sort() };
  }

  /** Pod-network classes and network-set addresses a selector matches within a scope. */
  #selectorSets(
    selector: CalicoSelectorNode,
    scope: (ns: string | undefined) => Tri,
    sets: readonly CalicoNetworkSet[],
  ): PeerSets {
    const ctx = this.#ctx;
    const out: PeerSets = {
      classes: newBitset(ctx.words),
      maybe: newBitset(ctx.words),
      ext: newBitset(ctx.partition.words),
      maybeExt: newBitset(ctx.partition.words),
    };
    forEachBit(ctx.podNetworkClasses, (c) => {
      const cls = ctx.classes.get(c);
      const inScope = scope(cls.namespace);
      if (inScope === false) return;
      const m = matchCalicoSelector(selector, this.#podLabels(cls), { unknownKey: this.#podUnknown });
      if (m === false) return;
      setBit(out.maybe, c);
      if (m === true && inScope === true) setBit(out.classes, c);
    });
    for (const s of sets) {
      const inScope = scope(s.namespace);
      if (inScope === false) continue;
      const m = matchCalicoSelector(selector, s.labels, { global: s.namespace === undefined });
      if (m === false) continue;
      const sure = m === true && inScope === true;
      for (const cidr of s.nets) {
        const b = ctx.ipBlock({ cidr, except: [] });
        orInto(out.maybe, b.bits);
        orInto(out.maybeExt, b.atoms);
        if (sure) {
          orInto(out.classes, b.bits);
          orInto(out.ext, b.atoms);
        }
      }
    }
    return out;
  }

  #netsSets(nets: readonly string[]): PeerSets {
    const ctx = this.#ctx;
    const classes = newBitset(ctx.words);
    const ext = newBitset(ctx.partition.words);
    for (const cidr of nets) {
      const b = ctx.ipBlock({ cidr, except: [] });
      orInto(classes, b.bits);
      orInto(ext, b.atoms);
    }
    return { classes, maybe: classes, ext, maybeExt: ext };
  }

  #all(): PeerSets {
    const c = this.#ctx.allClasses.slice();
    const a = this.#ctx.allAtoms.slice();
    return { classes: c, maybe: c.slice(), ext: a, maybeExt: a.slice() };
  }

  /** Whether an entity rule constrains the endpoint it describes (beyond ports). */
  static #constrains(e: CalicoEntityRule): boolean {
    return (
      e.selector !== undefined ||
      e.notSelector !== undefined ||
      e.namespaceSelector !== undefined ||
      e.nets.length > 0 ||
      e.notNets.length > 0 ||
      e.serviceAccounts !== undefined ||
      e.services !== undefined
    );
  }

  /** The endpoints and addresses an entity rule matches, with the reasons any match is uncertain. */
  #entitySets(
    policy: CalicoPolicy,
    e: CalicoEntityRule,
    sets: readonly CalicoNetworkSet[],
  ): { sets: PeerSets; unknown: string[] } {
    const unknown: string[] = [];
    const out = this.#all();
    const and = (x: PeerSets): void => {
      andInto(out.classes, x.classes);
      andInto(out.maybe, x.maybe);
      andInto(out.ext, x.ext);
      andInto(out.maybeExt, x.maybeExt);
    };
    const minus = (x: PeerSets): void => {
      andNotInto(out.classes, x.maybe);
      andNotInto(out.maybe, x.classes);
      andNotInto(out.ext, x.maybeExt);
      andNotInto(out.maybeExt, x.ext);
    };
    const nsSel = selectorOf(e.namespaceSelector);
    const scope = this.#scope(policy, nsSel);
    if (e.selector !== undefined || nsSel !== undefined)
      and(this.#selectorSets(selectorOf(e.selector) ?? { op: 'all' }, scope, sets));
    if (e.nets.length > 0) and(this.#netsSets(e.nets));
    if (e.notNets.length > 0) minus(this.#netsSets(e.notNets));
    const notSel = selectorOf(e.notSelector);
    if (notSel) minus(this.#selectorSets(notSel, scope, sets));
    if (e.serviceAccounts) {
      // Only pods have service accounts, and netglass reads neither their names nor their labels.
      const ctx = this.#ctx;
      andInto(out.maybe, ctx.podNetworkClasses);
      out.classes = newBitset(ctx.words);
      out.ext = newBitset(ctx.partition.words);
      out.maybeExt = newBitset(ctx.partition.words);
      const names = e.serviceAccounts.names;
      unknown.push(
        `it matches service accounts (${[...names, ...(e.serviceAccounts.selector !== undefined ? [e.serviceAccounts.selector] : [])].join(', ')}), which netglass does not read`,
      );
    }
    if (e.services) {
      out.classes = newBitset(this.#ctx.words);
      out.ext = newBitset(this.#ctx.partition.words);
      unknown.push(
        `it matches the endpoints of Service ${e.services.namespace !== undefined ? `${e.services.namespace}/` : ''}${e.services.name}, which netglass does not read`,
      );
    }
    return { sets: out, unknown };
  }

  // ---- ports

  #protocols(rule: CalicoRule): Protocol[] {
    const is = (p: CalicoProtocol | undefined, q: Protocol): boolean => p === q;
    let list: Protocol[];
    if (rule.protocol === undefined) list = [...PROTOCOLS];
    else if (typeof rule.protocol === 'string') list = [rule.protocol];
    else list = [];
    return list.filter((p) => !is(rule.notProtocol, p));
  }

  #portSet(
    protocols: readonly Protocol[],
    ports: readonly CalicoPort[],
    notPorts: readonly CalicoPort[],
  ): { ports: PortSetId; named: string[]; unknown: string | undefined } {
    const table = this.#ctx.portSets;
    const named: string[] = [];
    const pairs: [number, number][] = [];
    for (const protocol of protocols) {
      if (ports.length === 0) pairs.push(protocolRange(protocol));
      for (const p of ports) {
        if (p.kind === 'named') named.push(namedPortRef(protocol, p.name));
        else pairs.push([encodePort(protocol, Math.max(1, p.from)), encodePort(protocol, p.to)]);
      }
    }
    let id = table.fromPairs(pairs);
    const cut: [number, number][] = [];
    const namedNot: string[] = [];
    for (const protocol of protocols)
      for (const p of notPorts) {
        if (p.kind === 'named') namedNot.push(p.name);
        else cut.push([encodePort(protocol, Math.max(1, p.from)), encodePort(protocol, p.to)]);
      }
    if (cut.length > 0)
      id = table.fromPairs(subtract(table.sets[id] ?? [], table.sets[table.fromPairs(cut)] ?? []));
    return {
      ports: id,
      named: [...new Set(named)],
      unknown:
        namedNot.length > 0
          ? `its notPorts name ports (${namedNot.join(', ')}) whose numbers depend on the pod`
          : undefined,
    };
  }

  // ---- compiling

  #compileRule(
    policy: CalicoPolicy,
    rule: CalicoRule,
    direction: Direction,
    index: number,
    sets: readonly CalicoNetworkSet[],
  ): CompiledCalicoRule | undefined {
    if (rule.action === 'Log') return undefined;
    const ctx = this.#ctx;
    const peerEntity = direction === 'ingress' ? rule.source : rule.destination;
    const localEntity = direction === 'ingress' ? rule.destination : rule.source;
    const peer = this.#entitySets(policy, peerEntity, sets);
    const unknown = [...peer.unknown];
    let local: CompiledCalicoRule['local'];
    if (CalicoCompiled.#constrains(localEntity)) {
      const l = this.#entitySets(policy, localEntity, sets);
      unknown.push(...l.unknown.map((u) => `on this pod's side ${u}`));
      local = { sure: l.sets.classes, maybe: l.sets.maybe };
    }
    const ports = this.#portSet(this.#protocols(rule), rule.destination.ports, rule.destination.notPorts);
    if (ports.unknown) unknown.push(ports.unknown);
    if (rule.source.ports.length > 0 || rule.source.notPorts.length > 0)
      unknown.push('it matches source ports, which a client picks at random');
    if (rule.other !== undefined) unknown.push(`it matches ${rule.other}, which netglass does not model`);
    const conditional = rule.http !== undefined ? `allowed only for ${rule.http}` : undefined;
    const certain = unknown.length === 0 && conditional === undefined;
    const s = peer.sets;
    return {
      direction,
      index,
      action: rule.action === 'Allow' ? 'Accept' : rule.action === 'Deny' ? 'Deny' : 'Pass',
      calicoAction: rule.action,
      classes: certain ? s.classes : newBitset(ctx.words),
      maybe: s.maybe,
      ext: certain ? s.ext : newBitset(ctx.partition.words),
      maybeExt: s.maybeExt,
      staticPorts: ports.ports,
      named: ports.named,
      uncertain:
        !certain ||
        s.maybe.some((w, i) => w !== (s.classes[i] ?? 0)) ||
        s.maybeExt.some((w, i) => w !== (s.ext[i] ?? 0)),
      conditional,
      unknown: unknown.length > 0 ? unknown.join('; ') : undefined,
      local,
    };
  }

  #compilePolicy(
    policy: CalicoPolicy,
    tier: CalicoTierInfo,
    sets: readonly CalicoNetworkSet[],
  ): CompiledCalicoPolicy {
    const ctx = this.#ctx;
    const key = calicoPolicyKey(policy);
    const selector = selectorOf(policy.selector) ?? { op: 'all' };
    const nsSel = selectorOf(policy.namespaceSelector);
    const saSel = selectorOf(policy.serviceAccountSelector);
    const scope = this.#scope(policy, nsSel);
    const subject = newBitset(ctx.words);
    const maybeSubject = newBitset(ctx.words);
    forEachBit(ctx.podNetworkClasses, (c) => {
      const cls = ctx.classes.get(c);
      const inScope = scope(cls.namespace);
      if (inScope === false) return;
      const m = matchCalicoSelector(selector, this.#podLabels(cls), { unknownKey: this.#podUnknown });
      // Service account labels are never read: only a selector that needs none of them is decided.
      const sa = saSel ? matchCalicoSelector(saSel, {}, { unknownKey: () => true }) : true;
      if (m === false || sa === false) return;
      setBit(maybeSubject, c);
      if (m === true && sa === true && inScope === true) setBit(subject, c);
    });
    const on = { ingress: policy.types.includes('Ingress'), egress: policy.types.includes('Egress') };
    const compile = (d: Direction): CompiledCalicoRule[] =>
      on[d]
        ? policy[d].flatMap((r, i) => {
            const c = this.#compileRule(policy, r, d, i, sets);
            return c ? [c] : [];
          })
        : [];
    const ingress = compile('ingress');
    const egress = compile('egress');
    const same = subject.every((w, i) => w === (maybeSubject[i] ?? 0));
    return {
      kind: 'policy',
      id: this.#id(),
      key,
      priority: this.#priority(tier.name, key),
      tier,
      policy,
      subject,
      maybeSubject: same ? subject : maybeSubject,
      subjectWhy:
        saSel !== undefined
          ? `whether ${key} applies to this pod depends on its service account's labels (serviceAccountSelector ${policy.serviceAccountSelector ?? ''}), which netglass does not read`
          : !same
            ? `whether ${key} applies to this pod depends on namespace labels that could not be read`
            : undefined,
      on,
      ingress,
      egress,
      usesIngressNamed: ingress.some((r) => r.named.length > 0),
    };
  }

  /** The member standing for a tier's default action (one rule per direction matching everything). */
  #end(tier: CalicoTierInfo): CalicoTierEnd {
    let end = this.#ends.get(tier.name);
    if (end) return end;
    const ctx = this.#ctx;
    const rule = (direction: Direction): CompiledCalicoRule => ({
      direction,
      index: -1,
      action: tier.defaultAction === 'Pass' ? 'Pass' : 'Deny',
      calicoAction: tier.defaultAction,
      classes: ctx.allClasses,
      maybe: ctx.allClasses,
      ext: ctx.allAtoms,
      maybeExt: ctx.allAtoms,
      staticPorts: ctx.portSets.all,
      named: [],
      uncertain: false,
      conditional: undefined,
      unknown: undefined,
      local: undefined,
    });
    end = {
      kind: 'end',
      id: this.#id(),
      key: `Calico:Tier/${tier.name}`,
      priority: Number.MAX_SAFE_INTEGER,
      tier,
      ingress: [rule('ingress')],
      egress: [rule('egress')],
      usesIngressNamed: false,
    };
    this.#ends.set(tier.name, end);
    return end;
  }

  /** The Kubernetes NetworkPolicies of a profile as one member of the default tier (allows only). */
  #npMember(profile: Profile, direction: Direction, tier: CalicoTierInfo): CalicoNpMember {
    const cacheKey = `${direction}\u0000${profile.key}`;
    let m = this.#npMembers.get(cacheKey);
    if (m) return m;
    const ctx = this.#ctx;
    const noAtoms = newBitset(ctx.partition.words);
    const base = {
      direction,
      action: 'Accept' as const,
      calicoAction: 'Allow' as const,
      conditional: undefined,
      unknown: undefined,
      local: undefined,
    };
    const rules: CompiledCalicoRule[] = [
      ...profile.groups.map((g, i): CompiledCalicoRule => ({
        ...base,
        index: i,
        classes: g.classes,
        maybe: g.maybe,
        ext: g.ext,
        maybeExt: g.ext,
        staticPorts: g.ports,
        named: [],
        uncertain: g.maybe !== g.classes,
      })),
      ...profile.named.map((t, i): CompiledCalicoRule => ({
        ...base,
        index: profile.groups.length + i,
        classes: t.classes,
        maybe: t.maybe,
        ext: noAtoms,
        maybeExt: noAtoms,
        staticPorts: ctx.portSets.empty,
        named: t.refs,
        uncertain: t.maybe !== t.classes,
      })),
    ];
    m = {
      kind: 'np',
      id: this.#id(),
      key: `Calico:NetworkPolicies/${profile.key}`,
      priority: this.#priority(tier.name, '#np'),
      tier,
      profile,
      ingress: direction === 'ingress' ? rules : [],
      egress: direction === 'egress' ? rules : [],
      usesIngressNamed: direction === 'ingress' && rules.some((r) => r.named.length > 0),
    };
    this.#npMembers.set(cacheKey, m);
    return m;
  }

  /**
   * A member as it applies to one class: rules whose own-endpoint side (ingress `destination`,
   * egress `source`) surely misses the class are dropped, and those it only possibly matches match
   * only possibly.
   */
  #forClass(m: CompiledCalicoPolicy, c: ClassId, direction: Direction): CompiledCalicoPolicy {
    const rules = m[direction];
    if (rules.every((r) => r.local === undefined)) return m;
    let sig = '';
    for (const r of rules)
      sig +=
        r.local === undefined ? '-' : hasBit(r.local.sure, c) ? 'y' : hasBit(r.local.maybe, c) ? '?' : 'n';
    const key = `${m.id}\u0000${direction}\u0000${sig}`;
    let v = this.#variants.get(key);
    if (v) return v;
    const ctx = this.#ctx;
    const kept: CompiledCalicoRule[] = [];
    rules.forEach((r, i) => {
      const s = sig[i];
      if (s === 'n') return;
      if (s === '?')
        kept.push({
          ...r,
          classes: newBitset(ctx.words),
          ext: newBitset(ctx.partition.words),
          uncertain: true,
          unknown: r.unknown ?? 'whether the rule applies to this pod depends on what netglass cannot know',
        });
      else kept.push(r);
    });
    v = {
      ...m,
      id: this.#id(),
      [direction]: kept,
      usesIngressNamed: direction === 'ingress' && kept.some((r) => r.named.length > 0),
    };
    this.#variants.set(key, v);
    return v;
  }

  /**
   * The stages of a side of class c, given the profile of the Kubernetes NetworkPolicies isolating it
   * in that direction (undefined: none). Cached per class, direction and profile.
   */
  stages(c: ClassId, direction: Direction, np: Profile | undefined): readonly CalicoStage[] {
    const cacheKey = `${c}\u0000${direction}\u0000${np?.key ?? ''}`;
    const cached = this.#stages.get(cacheKey);
    if (cached) return cached;
    const ctx = this.#ctx;
    const cls = ctx.classes.get(c);
    const out: CalicoStage[] = [];
    for (const tier of this.tiers) {
      const applicable: { cp: CalicoMember; sure: boolean }[] = [];
      for (const m of this.members) {
        if (m.tier !== tier || !m.on[direction] || !hasBit(m.maybeSubject, c)) continue;
        applicable.push({ cp: this.#forClass(m, c, direction), sure: hasBit(m.subject, c) });
      }
      const hidden = tier.name === DEFAULT_TIER && ctx.view.policiesHidden(cls.namespace);
      if (tier.name === DEFAULT_TIER && np)
        applicable.push({ cp: this.#npMember(np, direction, tier), sure: true });
      const builtin = tier.name === ADMIN_TIER || tier.name === BASELINE_TIER;
      if (applicable.length > 0 || hidden) {
        applicable.sort((a, b) => a.cp.priority - b.cp.priority);
        if (!builtin)
          applicable.push({ cp: this.#end(tier), sure: applicable.some((a) => a.sure) || hidden });
        const chain = buildChain<CalicoMember>(
          applicable,
          direction,
          cls,
          ctx.portSets,
          hidden,
          this.#chains,
        );
        if (chain) out.push({ kind: 'chain', tier, chain });
      }
      if (tier.name === ADMIN_TIER) out.push({ kind: 'admin' });
      if (tier.name === BASELINE_TIER) out.push({ kind: 'baseline' });
    }
    this.#stages.set(cacheKey, out);
    return out;
  }

  /** A key for a list of stages (profiles built from them are cached by it). */
  static stagesKey(stages: readonly CalicoStage[]): string {
    return stages.map((s) => (s.kind === 'chain' ? s.chain.key : s.kind)).join(';');
  }

  /** Every static port set a Calico rule matches on (the universe cuts ports there). */
  *portSets(): Generator<PortSetId> {
    for (const m of this.members) for (const r of [...m.ingress, ...m.egress]) yield r.staticPorts;
  }
}

/** `a` minus `b`, both flat inclusive interval lists. */
function subtract(a: Intervals, b: Intervals): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i] ?? 0;
    const hi = a[i + 1] ?? 0;
    for (let j = 0; j < b.length && lo <= hi; j += 2) {
      const blo = b[j] ?? 0;
      const bhi = b[j + 1] ?? 0;
      if (bhi < lo || blo > hi) continue;
      if (blo > lo) out.push([lo, blo - 1]);
      lo = bhi + 1;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}
