/**
 * The analysis state: classes, the label inverted index, selector/ipBlock bitsets (each distinct one
 * evaluated once), compiled policies and per-class isolation profiles. Mutable on purpose so that
 * `update` can patch it; everything that reads it lives in other modules.
 */
import type {
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoTier,
  CiliumPolicy,
  ClusterNetworkPolicy,
  CniProfile,
  IPBlock,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyRule,
  Visibility,
} from '../model/snapshot.ts';
import {
  calicoPolicyKey,
  ciliumPolicyKey,
  clusterPolicyKey,
  NAMESPACE_NAME_LABEL,
  podKey,
  policyKey,
} from '../model/snapshot.ts';
import { CalicoCompiled, calicoIPBlocks, calicoPodLabelKeys } from './calico.ts';
import {
  CiliumMemo,
  ciliumIPBlocks,
  ciliumPodLabelKeys,
  compileCiliumPolicy,
  type CompiledCiliumPart,
} from './cilium.ts';
import {
  adminIPBlocks,
  adminPodLabelKeys,
  admitClass,
  byPriority,
  compileAdminPolicy,
  type CompiledAdminPolicy,
} from './admin.ts';
import {
  andInto,
  andNotInto,
  fillBits,
  forEachBit,
  hasBit,
  newBitset,
  orInto,
  setBit,
  wordsFor,
  type Bitset,
} from './bitset.ts';
import { ClassTable, namedPortRef, type ClassId, type PodClass } from './classes.ts';
import {
  hasType,
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledPortEntry,
  type CompiledRule,
} from './compiled.ts';
import { isIPv4Value, parseAddress } from './ip.ts';
import { IPPartition, ipBlockKey } from './ipatoms.ts';
import { encodePort, PortSetTable, protocolRange } from './ports.ts';
import {
  buildEgressProfile,
  buildIngressProfile,
  type NamedTerm,
  type Profile,
  type ProfileGroup,
} from './profile.ts';
import { selectorKey, selectorLabelKeys, selectorMatches, selectorMatchesByName } from './selector.ts';
import { buildChain, type AdminChain } from './tiers.ts';
import type { Direction } from './types.ts';
import { View } from './visibility.ts';
import { cniSemantics, cniUncertain, type CniSemantics } from './cni.ts';

interface ApplicableAdmin {
  readonly cp: CompiledAdminPolicy;
  /** The subject surely holds the class (else only possibly: namespace labels unread). */
  readonly sure: boolean;
}

interface CachedPodSelector {
  readonly selector: LabelSelector;
  readonly bits: Bitset;
}
interface CachedNamespaceSelector {
  readonly namespaces: ReadonlySet<string>;
  readonly bits: Bitset;
  /** Namespaces/classes possibly matched (labels unread); the same objects as above when none is. */
  readonly maybeNamespaces: ReadonlySet<string>;
  readonly maybeBits: Bitset;
}
interface CachedIPBlock {
  readonly atoms: Bitset;
  readonly bits: Bitset;
}

interface CachedNpIPBlock extends CachedIPBlock {
  readonly maybeBits: Bitset;
}

function* policyIPBlocks(policy: NetworkPolicy): Generator<IPBlock> {
  for (const rule of [...policy.ingress, ...policy.egress]) {
    if (rule.peers === 'any') continue;
    for (const peer of rule.peers) if (peer.kind === 'ipBlock') yield peer.ipBlock;
  }
}

function* policyPodLabelKeys(policy: NetworkPolicy): Generator<string> {
  yield* selectorLabelKeys(policy.podSelector);
  for (const rule of [...policy.ingress, ...policy.egress]) {
    if (rule.peers === 'any') continue;
    for (const peer of rule.peers)
      if (peer.kind === 'selector' && peer.podSelector) yield* selectorLabelKeys(peer.podSelector);
  }
}

/** The namespaces of the snapshot plus any a pod or policy names without declaring it. */
function implicitNamespace(name: string): Namespace {
  return { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false };
}

/** The Calico objects of a snapshot (see `Snapshot`). */
export interface CalicoInput {
  readonly policies?: readonly CalicoPolicy[];
  readonly tiers?: readonly CalicoTier[];
  readonly networkSets?: readonly CalicoNetworkSet[];
}

/** The Calico objects of a snapshot, as `EvalState` takes them. */
export function calicoInput(snapshot: {
  readonly calicoPolicies?: readonly CalicoPolicy[];
  readonly calicoTiers?: readonly CalicoTier[];
  readonly calicoNetworkSets?: readonly CalicoNetworkSet[];
}): CalicoInput {
  return {
    policies: snapshot.calicoPolicies ?? [],
    tiers: snapshot.calicoTiers ?? [],
    networkSets: snapshot.calicoNetworkSets ?? [],
  };
}

export class EvalState {
  readonly namespaces = new Map<string, Namespace>();
  readonly pods = new Map<string, Pod>();
  readonly policies = new Map<string, NetworkPolicy>();
  /** Admin-tier policies by `clusterPolicyKey`. */
  readonly clusterPolicies = new Map<string, ClusterNetworkPolicy>();
  /** Cilium policies by `ciliumPolicyKey`. */
  readonly ciliumPolicies = new Map<string, CiliumPolicy>();
  /** Calico policies by `calicoPolicyKey` (staged ones included), tiers and network sets. */
  readonly calicoPolicies = new Map<string, CalicoPolicy>();
  calicoTiers: readonly CalicoTier[] = [];
  calicoNetworkSets: readonly CalicoNetworkSet[] = [];
  /** Compiled Calico policies (calico.ts); undefined when the state has none. */
  calico: CalicoCompiled | undefined;
  /** What could not be read (visibility.ts); fixed for the life of the state. */
  readonly view: View;
  /** Profile of a subject no visible policy selects whose policies are unreadable: surely allows nothing. */
  readonly emptyProfile: Profile = { key: '', policies: [], groups: [], named: [] };

  partition!: IPPartition;
  classes!: ClassTable;
  relevantKeys!: ReadonlySet<string>;
  /** Bitset capacity in 32-bit words; classes beyond it force a rebuild. */
  words = 1;
  allClasses!: Bitset;
  allAtoms!: Bitset;
  /** Classes of pods on the pod network (not hostNetwork): the only ones admin subjects and pod peers hold. */
  podNetworkClasses!: Bitset;
  readonly portSets = new PortSetTable();

  #postings = new Map<string, Map<string, Bitset>>();
  #presence = new Map<string, Bitset>();
  #nsClasses = new Map<string, Bitset>();
  #nsClassIds = new Map<string, ClassId[]>();
  #podSelectors = new Map<string, CachedPodSelector>();
  #nsSelectors = new Map<string, CachedNamespaceSelector>();
  #ipBlocks = new Map<string, CachedIPBlock>();
  #npIPBlocks = new Map<string, CachedNpIPBlock>();
  #nextPolicyId = 0;
  /** What the cluster's CNI does where the spec leaves room (cni.ts). */
  readonly cni: CniSemantics;
  /** The snapshot named a profile (else the default, `upstream`, is assumed silently). */
  readonly cniNamed: boolean;
  /** Policies of kinds the CNI does not enforce, by key: their kind. Left out of the analysis. */
  readonly ignored = new Map<string, string>();
  readonly #cniUncertain: boolean;

  readonly compiled = new Map<string, CompiledPolicy>();
  readonly byNamespace = new Map<string, CompiledPolicy[]>();
  readonly profiles = new Map<string, Profile>();
  /** The NetworkPolicy tier per class and direction: the isolating policies' profile, or undefined. */
  ingressProfile: (Profile | undefined)[] = [];
  egressProfile: (Profile | undefined)[] = [];

  readonly adminCompiled = new Map<string, CompiledAdminPolicy>();
  /** Admin / Baseline chains per class and direction (undefined: no admin policy with rules applies). */
  adminIngress: (AdminChain | undefined)[] = [];
  adminEgress: (AdminChain | undefined)[] = [];
  baselineIngress: (AdminChain | undefined)[] = [];
  baselineEgress: (AdminChain | undefined)[] = [];
  readonly #chains = new Map<string, AdminChain>();
  /** Compiled Cilium parts (cilium.ts), deny parts first; and per class and direction their chain. */
  ciliumParts: CompiledCiliumPart[] = [];
  ciliumIngress: (AdminChain<CompiledCiliumPart> | undefined)[] = [];
  ciliumEgress: (AdminChain<CompiledCiliumPart> | undefined)[] = [];
  /** Per class: bit 1 = a Cilium rule with default deny selects it for ingress, bit 2 = for egress. */
  ciliumIsolation = new Uint8Array(0);
  /** Profile of a class only Cilium isolates: the NetworkPolicy tier allows nothing by itself. */
  readonly ciliumIsolatedProfile: Profile = { key: 'cilium', policies: [], groups: [], named: [] };
  readonly #ciliumChains = new Map<string, AdminChain<CompiledCiliumPart>>();
  readonly #tiered = new Map<string, Profile>();
  #nextAdminId = 0;
  /** Some chain may leave an outcome open (a tie, an uncertain peer or subject, unread admin policies). */
  #adminUncertain = false;

  constructor(
    namespaces: readonly Namespace[],
    pods: readonly Pod[],
    policies: readonly NetworkPolicy[],
    visibility?: Visibility,
    clusterPolicies: readonly ClusterNetworkPolicy[] = [],
    ciliumPolicies: readonly CiliumPolicy[] = [],
    calico: CalicoInput = {},
    cni?: CniProfile,
  ) {
    this.view = new View(visibility);
    this.cni = cniSemantics(cni);
    this.cniNamed = cni !== undefined;
    this.#cniUncertain = cniUncertain(this.cni);
    for (const ns of namespaces) this.namespaces.set(ns.name, ns);
    for (const pod of pods) this.#setPod(podKey(pod), pod);
    for (const policy of policies) this.policies.set(policyKey(policy), policy);
    // Policy kinds the CNI does not enforce are left out, each key remembered with why.
    const enforces = this.cni.enforces;
    for (const policy of clusterPolicies) {
      const key = clusterPolicyKey(policy);
      const legacy = policy.kind !== 'ClusterNetworkPolicy';
      if (legacy ? enforces.legacyAdmin : enforces.clusterNetworkPolicy)
        this.clusterPolicies.set(key, policy);
      else this.ignored.set(key, policy.kind);
    }
    for (const policy of ciliumPolicies) {
      if (enforces.cilium) this.ciliumPolicies.set(ciliumPolicyKey(policy), policy);
      else this.ignored.set(ciliumPolicyKey(policy), policy.kind);
    }
    for (const policy of calico.policies ?? []) {
      if (enforces.calico) this.calicoPolicies.set(calicoPolicyKey(policy), policy);
      else this.ignored.set(calicoPolicyKey(policy), `Calico ${policy.kind}`);
    }
    this.calicoTiers = calico.tiers ?? [];
    this.calicoNetworkSets = calico.networkSets ?? [];
    this.rebuild();
  }

  /**
   * Some verdict may be `unknown`: unread objects (the view), or admin rules whose outcome is open.
   * Paths that read it compute "surely" and "possibly" answers separately.
   */
  get uncertain(): boolean {
    return (
      this.view.uncertain ||
      this.#cniUncertain ||
      this.#adminUncertain ||
      this.#ciliumUncertain ||
      (this.calico?.uncertain ?? false)
    );
  }

  /** Recomputes everything from the stored objects. */
  rebuild(): void {
    for (const name of this.#implied) this.namespaces.delete(name);
    this.#implied.clear();
    for (const name of [
      ...[...this.pods.values()].map((p) => p.namespace),
      ...[...this.policies.values()].map((p) => p.namespace),
    ]) {
      if (!this.namespaces.has(name)) {
        this.namespaces.set(name, implicitNamespace(name));
        this.#implied.add(name);
      }
    }
    const keys = new Set<string>();
    const blocks: IPBlock[] = [];
    for (const policy of this.policies.values()) {
      for (const k of policyPodLabelKeys(policy)) keys.add(k);
      for (const b of policyIPBlocks(policy)) blocks.push(b);
    }
    for (const policy of this.clusterPolicies.values()) {
      for (const k of adminPodLabelKeys(policy)) keys.add(k);
      for (const b of adminIPBlocks(policy)) blocks.push(b);
    }
    for (const policy of this.ciliumPolicies.values()) {
      for (const k of ciliumPodLabelKeys(policy)) keys.add(k);
      for (const b of ciliumIPBlocks(policy)) blocks.push(b);
    }
    const calicoPolicies = [...this.calicoPolicies.values()].filter((p) => !p.staged);
    for (const policy of calicoPolicies) for (const k of calicoPodLabelKeys(policy)) keys.add(k);
    for (const b of calicoIPBlocks(calicoPolicies, this.calicoNetworkSets)) blocks.push(b);
    this.relevantKeys = keys;
    this.partition = new IPPartition(blocks);
    this.classes = new ClassTable(keys, this.partition);
    for (const pod of this.pods.values()) this.classes.add(pod);
    const n = this.classes.classes.length;
    this.words = wordsFor(n + Math.max(64, n >>> 2));
    this.allClasses = newBitset(this.words);
    fillBits(this.allClasses, n);
    this.allAtoms = newBitset(this.partition.words);
    fillBits(this.allAtoms, this.partition.size);
    this.podNetworkClasses = newBitset(this.words);
    for (const c of this.classes.classes) if (!c.hostNetwork) setBit(this.podNetworkClasses, c.id);

    this.#postings = new Map();
    this.#presence = new Map();
    this.#nsClasses = new Map();
    this.#nsClassIds = new Map();
    this.#podSelectors = new Map();
    this.#nsSelectors = new Map();
    this.#nsByLabel = undefined;
    this.#ipBlocks = new Map();
    this.#npIPBlocks = new Map();
    this.#intersections.clear();
    for (const c of this.classes.classes) this.#indexClass(c);

    this.compiled.clear();
    this.byNamespace.clear();
    this.profiles.clear();
    for (const policy of this.policies.values()) this.#install(this.#compile(policy));
    this.#compileCilium();
    this.ingressProfile = new Array<Profile | undefined>(n);
    this.egressProfile = new Array<Profile | undefined>(n);
    for (let c = 0; c < n; c++) this.#assign(c);
    this.calico =
      this.calicoPolicies.size > 0
        ? new CalicoCompiled(
            this,
            [...this.calicoPolicies.values()],
            this.calicoTiers,
            this.calicoNetworkSets,
          )
        : undefined;
    this.adminCompiled.clear();
    for (const policy of this.clusterPolicies.values())
      this.adminCompiled.set(clusterPolicyKey(policy), compileAdminPolicy(this, policy, this.#nextAdminId++));
    this.#assignChains();
  }

  /** The admin policies ordered for their tiers: by priority, then key. */
  #adminOrder: CompiledAdminPolicy[] = [];

  /** Recomputes every class's chains (admin policies changed, or a rebuild). */
  #assignChains(): void {
    this.#chains.clear();
    this.#tiered.clear();
    this.#adminOrder = [...this.adminCompiled.values()].sort(byPriority);
    this.#adminUncertain = this.view.clusterPoliciesHidden;
    for (const cp of this.#adminOrder) {
      if (cp.maybeSubject !== cp.subject) this.#adminUncertain = true;
      for (const r of [...cp.ingress, ...cp.egress]) if (r.uncertain) this.#adminUncertain = true;
    }
    const n = this.classes.classes.length;
    this.adminIngress = new Array<AdminChain | undefined>(n);
    this.adminEgress = new Array<AdminChain | undefined>(n);
    this.baselineIngress = new Array<AdminChain | undefined>(n);
    this.baselineEgress = new Array<AdminChain | undefined>(n);
    // Applicable policies per class, in priority order, from each subject's bits: O(Σ subject sizes),
    // not classes × policies.
    const applicable: ApplicableAdmin[][] = Array.from({ length: n }, () => []);
    for (const cp of this.#adminOrder)
      forEachBit(cp.maybeSubject, (c) => {
        if (c < n) applicable[c]?.push({ cp, sure: hasBit(cp.subject, c) });
      });
    for (let c = 0; c < n; c++) this.#assignChainsOf(c, applicable[c]);
  }

  #assignChainsOf(c: ClassId, known?: readonly ApplicableAdmin[]): void {
    const cls = this.classes.get(c);
    const hidden = this.view.clusterPoliciesHidden && !cls.hostNetwork;
    const admin: ApplicableAdmin[] = [];
    const baseline: ApplicableAdmin[] = [];
    if (!cls.hostNetwork) {
      const list =
        known ??
        this.#adminOrder
          .filter((cp) => hasBit(cp.maybeSubject, c))
          .map((cp) => ({ cp, sure: hasBit(cp.subject, c) }));
      for (const a of list) (a.cp.tier === 'Admin' ? admin : baseline).push(a);
    }
    const chain = (list: readonly ApplicableAdmin[], direction: Direction): AdminChain | undefined => {
      const built = buildChain(list, direction, cls, this.portSets, hidden, this.#chains);
      if (built?.uncertain) this.#adminUncertain = true;
      return built;
    };
    this.adminIngress[c] = chain(admin, 'ingress');
    this.adminEgress[c] = chain(admin, 'egress');
    this.baselineIngress[c] = chain(baseline, 'ingress');
    this.baselineEgress[c] = chain(baseline, 'egress');
  }

  /** The admin-tier policies applying to a class in a direction, Admin tier first (explain and isolation). */
  adminChains(
    c: ClassId,
    direction: Direction,
  ): { admin?: AdminChain; baseline?: AdminChain; cilium?: AdminChain<CompiledCiliumPart> } {
    const admin = direction === 'ingress' ? this.adminIngress[c] : this.adminEgress[c];
    const baseline = direction === 'ingress' ? this.baselineIngress[c] : this.baselineEgress[c];
    const cilium = direction === 'ingress' ? this.ciliumIngress[c] : this.ciliumEgress[c];
    return { ...(admin ? { admin } : {}), ...(baseline ? { baseline } : {}), ...(cilium ? { cilium } : {}) };
  }

  /** Whether a Cilium rule with default deny in this direction selects the class. */
  ciliumIsolates(c: ClassId, direction: Direction): boolean {
    return ((this.ciliumIsolation[c] ?? 0) & (direction === 'ingress' ? 1 : 2)) !== 0;
  }

  /** The Cilium policies (keys, sorted) that isolate a class in a direction. */
  ciliumIsolating(c: ClassId, direction: Direction): string[] {
    const keys = new Set<string>();
    for (const part of this.ciliumParts)
      if (part.defaultDeny[direction] && hasBit(part.subject, c)) keys.add(part.key);
    return [...keys].sort();
  }

  /** The Calico policies that surely / possibly put a class in default deny for a direction. */
  calicoIsolating(c: ClassId, direction: Direction): { readonly sure: string[]; readonly maybe: string[] } {
    return this.calico?.isolating(c, direction) ?? { sure: [], maybe: [] };
  }

  #nextCiliumId = 0;

  /** Compiles every Cilium policy and gives each class its Cilium chains and isolation. */
  #compileCilium(): void {
    this.#ciliumChains.clear();
    const memo = new CiliumMemo(this);
    const parts: CompiledCiliumPart[] = [];
    for (const policy of this.ciliumPolicies.values())
      for (const part of compileCiliumPolicy(this, policy, () => this.#nextCiliumId++, memo))
        parts.push(part);
    this.ciliumParts = parts.sort((a, b) => a.priority - b.priority);
    const n = this.classes.classes.length;
    this.ciliumIngress = new Array<AdminChain<CompiledCiliumPart> | undefined>(n);
    this.ciliumEgress = new Array<AdminChain<CompiledCiliumPart> | undefined>(n);
    this.ciliumIsolation = new Uint8Array(n);
    this.#ciliumUncertain = parts.some(
      (p) => p.ingress.some((r) => r.uncertain) || p.egress.some((r) => r.uncertain),
    );
    if (parts.length === 0) return;
    // Parts by subject: memoized subjects are shared (a rule's deny and allow parts, cluster-wide
    // policies selecting alike), so classes are refined per distinct subject, not per part. Parts
    // without rules only isolate.
    const subjects = new Map<Bitset, { isolation: number; parts: number[] }>();
    parts.forEach((cp, k) => {
      let entry = subjects.get(cp.subject);
      if (!entry) subjects.set(cp.subject, (entry = { isolation: 0, parts: [] }));
      entry.isolation |= (cp.defaultDeny.ingress ? 1 : 0) | (cp.defaultDeny.egress ? 2 : 0);
      if (cp.ingress.length + cp.egress.length > 0) entry.parts.push(k);
    });
    // `group[c]` names the subjects seen so far that select class c (a node of a trie: its last
    // subject and the node before); classes reaching the same node share their chains, with no list
    // or string key per class.
    const group = new Int32Array(n);
    const lastSubject = [-1];
    const before = [0];
    const step = new Map<number, number>();
    const bySubject: (readonly number[])[] = [];
    const isolation = this.ciliumIsolation;
    for (const [bits, entry] of subjects) {
      const s = bySubject.length;
      bySubject.push(entry.parts);
      const refine = entry.parts.length > 0;
      forEachBit(bits, (c) => {
        if (c >= n) return;
        isolation[c] = (isolation[c] ?? 0) | entry.isolation;
        if (!refine) return;
        const from = group[c] ?? 0;
        let to = step.get(from * subjects.size + s);
        if (to === undefined) {
          to = lastSubject.length;
          lastSubject.push(s);
          before.push(from);
          step.set(from * subjects.size + s, to);
        }
        group[c] = to;
      });
    }
    /** The parts (with rules) selecting the classes of a group, in chain order. */
    const partsOf = (g: number): number[] => {
      const list: number[] = [];
      for (let at = g; at !== 0; at = before[at] ?? 0) list.push(...(bySubject[lastSubject[at] ?? 0] ?? []));
      return list.sort((a, b) => a - b);
    };
    interface GroupChains {
      readonly applying: readonly { readonly cp: CompiledCiliumPart; readonly sure: boolean }[];
      readonly egress: AdminChain<CompiledCiliumPart> | undefined;
      readonly ingress: AdminChain<CompiledCiliumPart> | undefined;
      /** Ingress named ports resolve on the subject: the chain per class named-port set. */
      readonly byNamed: Map<string, AdminChain<CompiledCiliumPart> | null> | undefined;
    }
    const groups = new Array<GroupChains | undefined>(lastSubject.length);
    for (let c = 0; c < n; c++) {
      const g = group[c] ?? 0;
      if (g === 0) continue;
      const cls = this.classes.get(c);
      let chains = groups[g];
      if (!chains) {
        const applying = partsOf(g).map((k) => ({ cp: parts[k] as CompiledCiliumPart, sure: true }));
        const named = applying.some((a) => a.cp.usesIngressNamed);
        chains = {
          applying,
          egress: buildChain(applying, 'egress', cls, this.portSets, false, this.#ciliumChains),
          ingress: named
            ? undefined
            : buildChain(applying, 'ingress', cls, this.portSets, false, this.#ciliumChains),
          byNamed: named ? new Map() : undefined,
        };
        groups[g] = chains;
      }
      this.ciliumEgress[c] = chains.egress;
      if (!chains.byNamed) {
        this.ciliumIngress[c] = chains.ingress;
        continue;
      }
      let ingress = chains.byNamed.get(cls.namedKey);
      if (ingress === undefined) {
        // null: the parts have no ingress rule (remembered, so not looked for again).
        ingress =
          buildChain(chains.applying, 'ingress', cls, this.portSets, false, this.#ciliumChains) ?? null;
        chains.byNamed.set(cls.namedKey, ingress);
      }
      this.ciliumIngress[c] = ingress ?? undefined;
    }
  }

  /** Some Cilium rule matches only possibly (conditional L7/FQDN/Service rules, unknowable entities). */
  #ciliumUncertain = false;

  /**
   * The whole side profile of class c given its NetworkPolicy-tier profile `np` (undefined: not
   * isolated) read as `mode`: `np` itself when no admin chain applies (the fast path, and exactly the
   * pre-tier answer), else a cached tiered profile. With `mode` 'any' and no chain: undefined (allows all).
   */
  tiered(c: ClassId, direction: Direction, np: Profile | undefined, mode?: 'any'): Profile | undefined {
    // Read in place (not through `adminChains`): the summary asks for every class and side.
    const ingress = direction === 'ingress';
    const admin = ingress ? this.adminIngress[c] : this.adminEgress[c];
    const baseline = ingress ? this.baselineIngress[c] : this.baselineEgress[c];
    const cilium = ingress ? this.ciliumIngress[c] : this.ciliumEgress[c];
    if (this.calico?.applies(c, direction)) return this.#calicoTiered(c, direction, np, admin, baseline);
    // A Cilium rule with default deny isolates the class as a NetworkPolicy would (with rules or not).
    if (!np && mode === undefined && this.ciliumIsolates(c, direction)) np = this.ciliumIsolatedProfile;
    if (!admin && !baseline && !cilium) return mode === 'any' ? undefined : np;
    const npMode = mode ?? (np ? 'isolated' : 'open');
    const key = `${npMode === 'isolated' ? (np?.key ?? '') : npMode}|${admin?.key ?? ''}|${npMode === 'isolated' ? '' : (baseline?.key ?? '')}|${cilium?.key ?? ''}`;
    let t = this.#tiered.get(key);
    if (!t) {
      const base = npMode === 'isolated' && np ? np : this.emptyProfile;
      t = {
        ...base,
        key,
        tiers: {
          np: npMode,
          admin,
          baseline: npMode === 'isolated' ? undefined : baseline,
          ...(cilium ? { cilium } : {}),
        },
      };
      this.#tiered.set(key, t);
    }
    return t;
  }

  /**
   * The side of a class some Calico policy applies to: Calico's tiers in order (calico.ts), with the
   * NetworkPolicies of `np` inside the default tier and the admin chains at their Calico tiers.
   */
  #calicoTiered(
    c: ClassId,
    direction: Direction,
    np: Profile | undefined,
    admin: AdminChain | undefined,
    baseline: AdminChain | undefined,
  ): Profile {
    const stages = (this.calico as CalicoCompiled).stages(c, direction, np);
    const key = `calico|${CalicoCompiled.stagesKey(stages)}|${admin?.key ?? ''}|${baseline?.key ?? ''}`;
    let t = this.#tiered.get(key);
    if (!t) {
      t = { ...this.emptyProfile, key, tiers: { np: 'open', admin, baseline, calico: stages } };
      this.#tiered.set(key, t);
    }
    return t;
  }

  /** The side profile of a class as the bulk paths read it (see `tiered`). */
  side(c: ClassId, direction: Direction): Profile | undefined {
    return this.tiered(
      c,
      direction,
      direction === 'ingress' ? this.ingressProfile[c] : this.egressProfile[c],
    );
  }

  #indexClass(c: PodClass): void {
    for (const [key, value] of Object.entries(c.labels)) {
      let byValue = this.#postings.get(key);
      if (!byValue) this.#postings.set(key, (byValue = new Map<string, Bitset>()));
      let bits = byValue.get(value);
      if (!bits) byValue.set(value, (bits = newBitset(this.words)));
      setBit(bits, c.id);
      let present = this.#presence.get(key);
      if (!present) this.#presence.set(key, (present = newBitset(this.words)));
      setBit(present, c.id);
    }
    setBit(this.nsClasses(c.namespace), c.id);
    const ids = this.#nsClassIds.get(c.namespace) ?? [];
    ids.push(c.id);
    this.#nsClassIds.set(c.namespace, ids);
  }

  nsClasses(namespace: string): Bitset {
    let bits = this.#nsClasses.get(namespace);
    if (!bits) this.#nsClasses.set(namespace, (bits = newBitset(this.words)));
    return bits;
  }

  classIdsOf(namespace: string): readonly ClassId[] {
    return this.#nsClassIds.get(namespace) ?? [];
  }

  get distinctSelectors(): number {
    return this.#podSelectors.size + this.#nsSelectors.size;
  }

  #emptyBits: Bitset | undefined;
  /** An all-zero bitset to read from (never written). */
  #empty(): Bitset {
    if (this.#emptyBits === undefined || this.#emptyBits.length !== this.words)
      this.#emptyBits = newBitset(this.words);
    return this.#emptyBits;
  }

  /** A pod selector over every class (namespace not applied), through the inverted label index. */
  podSelectorBits(selector: LabelSelector): Bitset {
    const key = selectorKey(selector);
    const cached = this.#podSelectors.get(key);
    if (cached) return cached.bits;
    const bits = this.allClasses.slice();
    const union = (key: string, values: readonly string[]): Bitset => {
      const byValue = this.#postings.get(key);
      // One value: its posting as it is (only read here).
      if (values.length === 1) return byValue?.get(values[0] as string) ?? this.#empty();
      const acc = newBitset(this.words);
      for (const v of values) {
        const posting = byValue?.get(v);
        if (posting) orInto(acc, posting);
      }
      return acc;
    };
    for (const [k, v] of Object.entries(selector.matchLabels)) andInto(bits, union(k, [v]));
    for (const req of selector.matchExpressions) {
      const present = this.#presence.get(req.key) ?? newBitset(this.words);
      switch (req.operator) {
        case 'In':
          andInto(bits, union(req.key, req.values));
          break;
        case 'NotIn':
          andNotInto(bits, union(req.key, req.values));
          break;
        case 'Exists':
          andInto(bits, present);
          break;
        case 'DoesNotExist':
          andNotInto(bits, present);
          break;
      }
    }
    this.#podSelectors.set(key, { selector, bits });
    return bits;
  }

  /**
   * Classes in namespaces whose labels match (few namespaces, so matched directly): surely (`bits`) and
   * possibly (`maybeBits`, differing only when namespaces could not be read).
   */
  namespaceSelector(selector: LabelSelector): CachedNamespaceSelector {
    const key = selectorKey(selector);
    const cached = this.#nsSelectors.get(key);
    if (cached) return cached;
    const namespaces = new Set<string>();
    const bits = newBitset(this.words);
    const hidden = this.view.namespacesHidden;
    const maybeNamespaces = hidden ? new Set<string>() : namespaces;
    const maybeBits = hidden ? newBitset(this.words) : bits;
    for (const ns of hidden ? this.namespaces.values() : this.#nsCandidates(selector)) {
      const m = hidden ? selectorMatchesByName(selector, ns.name) : selectorMatches(selector, ns.labels);
      if (m === false) continue;
      const nsBits = this.#nsClasses.get(ns.name);
      if (m === true) {
        namespaces.add(ns.name);
        if (nsBits) orInto(bits, nsBits);
      }
      if (hidden) {
        maybeNamespaces.add(ns.name);
        if (nsBits) orInto(maybeBits, nsBits);
      }
    }
    const entry = { namespaces, bits, maybeNamespaces, maybeBits };
    this.#nsSelectors.set(key, entry);
    return entry;
  }

  /** Namespaces by label key and value, built on first use (namespaces change only through `rebuild`). */
  #nsByLabel: Map<string, Map<string, Namespace[]>> | undefined;

  /**
   * Namespaces that can match a selector: for one with matchLabels, those carrying its rarest pair
   * (admin policies select namespaces by label, often by name, over hundreds of namespaces); else all.
   */
  #nsCandidates(selector: LabelSelector): Iterable<Namespace> {
    const pairs = Object.entries(selector.matchLabels);
    if (pairs.length === 0) return this.namespaces.values();
    if (!this.#nsByLabel) {
      this.#nsByLabel = new Map();
      for (const ns of this.namespaces.values())
        for (const [k, v] of Object.entries(ns.labels)) {
          let byValue = this.#nsByLabel.get(k);
          if (!byValue) this.#nsByLabel.set(k, (byValue = new Map<string, Namespace[]>()));
          const list = byValue.get(v);
          if (list) list.push(ns);
          else byValue.set(v, [ns]);
        }
    }
    let best: Namespace[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.#nsByLabel.get(k)?.get(v) ?? [];
      if (!best || list.length < best.length) best = list;
    }
    return best ?? [];
  }

  ipBlock(block: IPBlock): CachedIPBlock {
    const key = ipBlockKey(block);
    const cached = this.#ipBlocks.get(key);
    if (cached) return cached;
    const atoms = this.partition.blockAtoms(block);
    const bits = newBitset(this.words);
    for (const c of this.classes.classes) if (c.ipAtoms.some((a) => hasBit(atoms, a))) setBit(bits, c.id);
    const entry = { atoms, bits };
    this.#ipBlocks.set(key, entry);
    return entry;
  }

  /**
   * A NetworkPolicy ipBlock peer under the CNI profile: the classes whose addresses it surely matches
   * (`bits`) and possibly matches (`maybeBits`, the same object when the profile decides every class).
   * External addresses always match (`atoms`). The spec leaves pod and node addresses to the CNI.
   */
  npIPBlock(block: IPBlock): CachedNpIPBlock {
    const raw = this.ipBlock(block);
    const { ipBlockPods, ipBlockHostNetwork } = this.cni;
    if (ipBlockPods === 'match' && ipBlockHostNetwork === 'match')
      return { atoms: raw.atoms, bits: raw.bits, maybeBits: raw.bits };
    const key = ipBlockKey(block);
    const cached = this.#npIPBlocks.get(key);
    if (cached) return cached;
    const bits = newBitset(this.words);
    const uncertain = ipBlockPods === 'unknown' || ipBlockHostNetwork === 'unknown';
    const maybeBits = uncertain ? newBitset(this.words) : bits;
    const entry = { atoms: raw.atoms, bits, maybeBits };
    forEachBit(raw.bits, (c) => this.#placeInNpIPBlock(entry, this.classes.get(c)));
    this.#npIPBlocks.set(key, entry);
    return entry;
  }

  #placeInNpIPBlock(entry: CachedNpIPBlock, c: PodClass): void {
    const choice = c.hostNetwork ? this.cni.ipBlockHostNetwork : this.cni.ipBlockPods;
    if (choice === 'match') setBit(entry.bits, c.id);
    if (choice !== 'no-match') setBit(entry.maybeBits, c.id);
  }

  /** Atom sets of every distinct ipBlock the policies use. */
  ipBlockAtomSets(): Bitset[] {
    return [...this.#ipBlocks.values()].map((b) => b.atoms);
  }

  ipBlockCidrs(): string[] {
    const out: string[] = [];
    for (const p of this.policies.values()) for (const b of policyIPBlocks(p)) out.push(b.cidr, ...b.except);
    for (const p of this.clusterPolicies.values()) for (const b of adminIPBlocks(p)) out.push(b.cidr);
    return out;
  }

  #compilePeer(policy: NetworkPolicy, peer: PolicyPeer, index: number): CompiledPeer {
    let parts: Bitset[];
    let maybeParts: Bitset[] | undefined;
    let ext: Bitset | undefined;
    if (peer.kind === 'ipBlock') {
      const block = this.npIPBlock(peer.ipBlock);
      parts = [block.bits];
      if (block.maybeBits !== block.bits) maybeParts = [block.maybeBits];
      ext = block.atoms;
    } else if (peer.podSelector && peer.namespaceSelector) {
      const pods = this.podSelectorBits(peer.podSelector);
      const nss = this.namespaceSelector(peer.namespaceSelector);
      parts = [pods, nss.bits];
      if (nss.maybeBits !== nss.bits) maybeParts = [pods, nss.maybeBits];
    } else if (peer.podSelector) {
      parts = [this.podSelectorBits(peer.podSelector), this.nsClasses(policy.namespace)];
    } else if (peer.namespaceSelector) {
      const nss = this.namespaceSelector(peer.namespaceSelector);
      parts = [nss.bits];
      if (nss.maybeBits !== nss.bits) maybeParts = [nss.maybeBits];
    } else {
      // A peer with neither selector is rejected by the API server; it matches nothing here.
      parts = [];
    }
    // Host-network pods send and receive as their node on most CNIs: a selector then misses them.
    const host = this.cni.selectorHostNetwork;
    if (peer.kind !== 'ipBlock' && parts.length > 0 && host !== 'match') {
      if (host === 'unknown' && !maybeParts) maybeParts = parts;
      parts = [...parts, this.podNetworkClasses];
      if (host === 'no-match' && maybeParts) maybeParts = [...maybeParts, this.podNetworkClasses];
    }
    const classes = this.#andParts(parts);
    if (!maybeParts) return { index, classes, parts, maybe: classes, maybeParts: parts, ext };
    return { index, classes, parts, maybe: this.#andParts(maybeParts), maybeParts, ext };
  }

  /**
   * The intersection of cached selector bitsets, shared by every peer and subject made of the same
   * parts: on a big cluster most policies repeat a few selectors, and a fresh bitset per peer (50,000
   * classes: 6 KB each) was most of the analysis' allocation. Shared bitsets only ever gain bits
   * (#addClass sets a new class's bit wherever all parts have it), and the memo is cleared when a class
   * is added, so an entry no policy holds any more is never handed out without that class's bit.
   */
  #andParts(parts: readonly Bitset[]): Bitset {
    if (parts.length === 0) return newBitset(this.words);
    if (parts.length === 1) return parts[0] as Bitset;
    let key = '';
    for (const part of parts) {
      let id = this.#bitsetIds.get(part);
      if (id === undefined) this.#bitsetIds.set(part, (id = this.#nextBitsetId++));
      key += `${id},`;
    }
    let classes = this.#intersections.get(key);
    if (classes === undefined) {
      classes = (parts[0] as Bitset).slice();
      for (let i = 1; i < parts.length; i++) andInto(classes, parts[i] as Bitset);
      this.#intersections.set(key, classes);
    }
    return classes;
  }

  readonly #bitsetIds = new WeakMap<Bitset, number>();
  #nextBitsetId = 0;
  readonly #intersections = new Map<string, Bitset>();

  #compileRule(policy: NetworkPolicy, rule: PolicyRule, direction: Direction, index: number): CompiledRule {
    let peers: 'any' | CompiledPeer[] = 'any';
    let classes = this.allClasses;
    let maybe = classes;
    let ext = this.allAtoms;
    if (rule.peers !== 'any') {
      peers = rule.peers.map((p, i) => this.#compilePeer(policy, p, i));
    }
    if (peers !== 'any' && peers.length === 1 && peers[0] !== undefined && peers[0].ext === undefined) {
      // One pod peer: the rule's sets are the peer's (no copy).
      classes = peers[0].classes;
      maybe = peers[0].maybe;
      ext = newBitset(this.partition.words);
    } else if (peers !== 'any') {
      classes = newBitset(this.words);
      maybe = peers.some((p) => p.maybe !== p.classes) ? newBitset(this.words) : classes;
      ext = newBitset(this.partition.words);
      for (const p of peers) {
        orInto(classes, p.classes);
        if (maybe !== classes) orInto(maybe, p.maybe);
        if (p.ext) orInto(ext, p.ext);
      }
    }
    let ports: 'any' | CompiledPortEntry[] = 'any';
    let staticPorts = this.portSets.all;
    const named: string[] = [];
    if (rule.ports !== 'any') {
      ports = rule.ports.map((entry, i): CompiledPortEntry => {
        if (typeof entry.port === 'string') {
          named.push(namedPortRef(entry.protocol, entry.port));
          return {
            index: i,
            staticPorts: this.portSets.empty,
            named: namedPortRef(entry.protocol, entry.port),
          };
        }
        const range: [number, number] =
          entry.port === undefined
            ? protocolRange(entry.protocol)
            : [
                encodePort(entry.protocol, entry.port),
                encodePort(entry.protocol, entry.endPort ?? entry.port),
              ];
        return { index: i, staticPorts: this.portSets.fromPairs([range]), named: undefined };
      });
      staticPorts = ports.reduce((acc, e) => this.portSets.union(acc, e.staticPorts), this.portSets.empty);
    }
    return { direction, index, peers, classes, maybe, ext, ports, staticPorts, named };
  }

  #compile(policy: NetworkPolicy): CompiledPolicy {
    const subjectParts = [this.podSelectorBits(policy.podSelector), this.nsClasses(policy.namespace)];
    const subject = this.#andParts(subjectParts);
    const ingressOn = hasType(policy, 'Ingress');
    const egressOn = hasType(policy, 'Egress');
    const ingress = policy.ingress.map((r, i) => this.#compileRule(policy, r, 'ingress', i));
    const egress = policy.egress.map((r, i) => this.#compileRule(policy, r, 'egress', i));
    return {
      id: this.#nextPolicyId++,
      key: policyKey(policy),
      namespace: policy.namespace,
      policy,
      subject,
      subjectParts,
      ingressOn,
      egressOn,
      ingress,
      egress,
      usesIngressNamed: ingressOn && ingress.some((r) => r.named.length > 0),
    };
  }

  #install(cp: CompiledPolicy): void {
    this.compiled.set(cp.key, cp);
    const list = this.byNamespace.get(cp.namespace) ?? [];
    list.push(cp);
    this.byNamespace.set(cp.namespace, list);
  }

  #uninstall(key: string): CompiledPolicy | undefined {
    const old = this.compiled.get(key);
    if (!old) return undefined;
    this.compiled.delete(key);
    const list = (this.byNamespace.get(old.namespace) ?? []).filter((p) => p.key !== key);
    this.byNamespace.set(old.namespace, list);
    for (const [k, profile] of this.profiles) if (profile.policies.includes(old)) this.profiles.delete(k);
    return old;
  }

  /**
   * The profiles of a side for the "yes" (surely allows) and "maybe" (possibly allows) masks; undefined
   * = the side allows everything. Profile masks for "maybe" read the groups' `maybe` bitsets.
   * `visible` is the profile of the visible policies (the class's own, or another set for what-ifs).
   */
  sideProfiles(
    c: ClassId,
    direction: Direction,
    visible: Profile | undefined,
  ): { readonly yes: Profile | undefined; readonly maybe: Profile | undefined } {
    const cls = this.classes.get(c);
    if (cls.hostNetwork || !this.view.policiesHidden(cls.namespace)) {
      const t = this.tiered(c, direction, visible);
      return { yes: t, maybe: t };
    }
    return {
      yes: this.tiered(c, direction, visible ?? this.emptyProfile),
      // Unread policies may isolate the class and allow anything, or not isolate it at all.
      maybe: this.tiered(c, direction, visible, 'any'),
    };
  }

  /** Policies of the class's namespace selecting it in a direction (hostNetwork ignored here). */
  selecting(c: ClassId, direction: Direction): CompiledPolicy[] {
    const cls = this.classes.get(c);
    const out: CompiledPolicy[] = [];
    for (const p of this.byNamespace.get(cls.namespace) ?? []) {
      if ((direction === 'ingress' ? p.ingressOn : p.egressOn) && hasBit(p.subject, c)) out.push(p);
    }
    return out;
  }

  /** The profile for a set of policies seen from a class; built once per distinct key. */
  profileFor(direction: Direction, policies: readonly CompiledPolicy[], subject: PodClass): Profile {
    const ids = policies.map((p) => p.id).sort((a, b) => a - b);
    const named = direction === 'ingress' && policies.some((p) => p.usesIngressNamed);
    const key = `${direction[0]}${ids.join(',')}${named ? `#${subject.namedKey}` : ''}`;
    let profile = this.profiles.get(key);
    if (!profile) {
      profile =
        direction === 'ingress'
          ? buildIngressProfile(key, policies, subject, this)
          : buildEgressProfile(key, policies, this);
      this.profiles.set(key, profile);
    }
    return profile;
  }

  #assign(c: ClassId): void {
    const cls = this.classes.get(c);
    if (cls.hostNetwork) {
      this.ingressProfile[c] = undefined;
      this.egressProfile[c] = undefined;
      return;
    }
    const ing = this.selecting(c, 'ingress');
    const eg = this.selecting(c, 'egress');
    this.ingressProfile[c] = ing.length > 0 ? this.profileFor('ingress', ing, cls) : undefined;
    this.egressProfile[c] = eg.length > 0 ? this.profileFor('egress', eg, cls) : undefined;
  }

  // ---- incremental updates; each returns a reason string when it cannot patch and needs `rebuild()`.

  upsertPolicy(policy: NetworkPolicy): string | undefined {
    const key = policyKey(policy);
    this.policies.set(key, policy);
    if (!this.namespaces.has(policy.namespace)) return 'new namespace';
    for (const k of policyPodLabelKeys(policy)) if (!this.relevantKeys.has(k)) return `new label key ${k}`;
    for (const b of policyIPBlocks(policy))
      if (!this.partition.covers(b)) return `new ipBlock boundary ${b.cidr}`;
    this.#uninstall(key);
    this.#install(this.#compile(policy));
    this.#reassignNamespace(policy.namespace);
    return undefined;
  }

  upsertClusterPolicy(policy: ClusterNetworkPolicy): string | undefined {
    const key = clusterPolicyKey(policy);
    this.clusterPolicies.set(key, policy);
    for (const k of adminPodLabelKeys(policy)) if (!this.relevantKeys.has(k)) return `new label key ${k}`;
    for (const b of adminIPBlocks(policy))
      if (!this.partition.covers(b)) return `new ipBlock boundary ${b.cidr}`;
    this.adminCompiled.set(key, compileAdminPolicy(this, policy, this.#nextAdminId++));
    this.#assignChains();
    return undefined;
  }

  removeClusterPolicy(key: string): string | undefined {
    this.clusterPolicies.delete(key);
    if (this.adminCompiled.delete(key)) this.#assignChains();
    return undefined;
  }

  removePolicy(key: string): string | undefined {
    const namespace = this.policies.get(key)?.namespace;
    this.policies.delete(key);
    const old = this.#uninstall(key);
    if (old) this.#reassignNamespace(old.namespace);
    if (namespace !== undefined) this.#forgetIfUnused(namespace);
    return undefined;
  }

  /**
   * Namespaces only implied by a pod or policy (no Namespace object) go when the last object in them
   * does, so the analysis matches a fresh one of the same objects.
   */
  #forgetIfUnused(namespace: string): void {
    if (!this.#implied.has(namespace)) return;
    for (const pod of this.pods.values()) if (pod.namespace === namespace) return;
    for (const policy of this.policies.values()) if (policy.namespace === namespace) return;
    this.#implied.delete(namespace);
    this.namespaces.delete(namespace);
    this.#nsByLabel = undefined;
  }

  /** Names added by `implicitNamespace`, as opposed to namespaces the snapshot holds. */
  readonly #implied = new Set<string>();

  #reassignNamespace(namespace: string): void {
    for (const c of this.classIdsOf(namespace)) this.#assign(c);
    // Profiles no class uses any more are dropped so memory tracks the live policy set.
    const used = new Set<Profile>();
    for (const p of this.ingressProfile) if (p) used.add(p);
    for (const p of this.egressProfile) if (p) used.add(p);
    for (const [k, p] of this.profiles) if (!used.has(p)) this.profiles.delete(k);
    for (const [k, t] of this.#tiered)
      if (t.tiers?.np === 'isolated' && !this.profiles.has(k.slice(0, k.indexOf('|'))))
        this.#tiered.delete(k);
  }

  /**
   * Pod IPs (parsed) with how many pods hold each, kept with the pods so the connection universe finds
   * addresses no pod uses without parsing every pod's IPs again after each change.
   */
  readonly podIPs = new Map<bigint, number>();
  /** Pods with an IPv6 address. */
  podsWithIPv6 = 0;

  #setPod(key: string, pod: Pod | undefined): void {
    const count = (p: Pod | undefined, by: number): void => {
      if (p === undefined) return;
      let v6 = false;
      for (const ip of p.ips) {
        const v = parseAddress(ip);
        if (v === undefined) continue;
        const n = (this.podIPs.get(v) ?? 0) + by;
        if (n > 0) this.podIPs.set(v, n);
        else this.podIPs.delete(v);
        if (!isIPv4Value(v)) v6 = true;
      }
      if (v6) this.podsWithIPv6 += by;
    };
    count(this.pods.get(key), -1);
    count(pod, 1);
    if (pod === undefined) this.pods.delete(key);
    else this.pods.set(key, pod);
  }

  upsertPod(pod: Pod): string | undefined {
    const key = podKey(pod);
    this.#setPod(key, pod);
    if (!this.namespaces.has(pod.namespace)) return 'new namespace';
    this.classes.remove(key);
    const { id, created } = this.classes.add(pod);
    if (!created) return undefined;
    if (id >= this.words * 32) return 'class capacity';
    // Cilium chains are built per class at compile time; a new class needs them built again.
    if (this.ciliumPolicies.size > 0) return 'new pod class with Cilium policies';
    this.#addClass(this.classes.get(id));
    return undefined;
  }

  removePod(key: string): void {
    const namespace = this.pods.get(key)?.namespace;
    this.#setPod(key, undefined);
    this.classes.remove(key);
    if (namespace !== undefined) this.#forgetIfUnused(namespace);
  }

  /** Sets the new class's bit in every cached bitset, in dependency order, then gives it profiles. */
  #addClass(c: PodClass): void {
    const id = c.id;
    this.#intersections.clear();
    setBit(this.allClasses, id);
    if (!c.hostNetwork) setBit(this.podNetworkClasses, id);
    this.#indexClass(c);
    for (const entry of this.#podSelectors.values())
      if (selectorMatches(entry.selector, c.labels)) setBit(entry.bits, id);
    for (const entry of this.#nsSelectors.values()) {
      if (entry.namespaces.has(c.namespace)) setBit(entry.bits, id);
      if (entry.maybeBits !== entry.bits && entry.maybeNamespaces.has(c.namespace))
        setBit(entry.maybeBits, id);
    }
    for (const entry of this.#ipBlocks.values())
      if (c.ipAtoms.some((a) => hasBit(entry.atoms, a))) setBit(entry.bits, id);
    for (const entry of this.#npIPBlocks.values())
      if (c.ipAtoms.some((a) => hasBit(entry.atoms, a))) this.#placeInNpIPBlock(entry, c);
    const allParts = (parts: readonly Bitset[]): boolean =>
      parts.length > 0 && parts.every((p) => hasBit(p, id));
    for (const cp of this.compiled.values()) {
      if (allParts(cp.subjectParts)) setBit(cp.subject, id);
      for (const rule of [...cp.ingress, ...cp.egress]) {
        if (rule.peers === 'any') continue;
        for (const peer of rule.peers) {
          if (allParts(peer.parts)) {
            setBit(peer.classes, id);
            setBit(rule.classes, id);
            setBit(rule.maybe, id); // maybe ⊇ classes, also when only other peers are uncertain
          }
          if (peer.maybe !== peer.classes && allParts(peer.maybeParts)) {
            setBit(peer.maybe, id);
            setBit(rule.maybe, id);
          }
        }
      }
    }
    const patch = (g: ProfileGroup | NamedTerm): void => {
      if (g.sources.some((s) => hasBit(s, id))) setBit(g.classes, id);
      if (g.maybe !== g.classes && g.maybeSources.some((s) => hasBit(s, id))) setBit(g.maybe, id);
    };
    for (const profile of this.profiles.values()) {
      for (const g of profile.groups) patch(g);
      for (const t of profile.named) patch(t);
    }
    this.#assign(id);
    const ns = (selector: LabelSelector): { sure: boolean; maybe: boolean } => {
      const entry = this.namespaceSelector(selector);
      return { sure: entry.namespaces.has(c.namespace), maybe: entry.maybeNamespaces.has(c.namespace) };
    };
    for (const cp of this.adminCompiled.values()) admitClass(cp, c, ns);
    this.#assignChainsOf(id);
  }

  /** Whether applying this namespace change can be patched (never, for now: namespace labels feed every namespaceSelector). */
  upsertNamespace(ns: Namespace): string {
    this.#implied.delete(ns.name);
    this.namespaces.set(ns.name, ns);
    return 'namespace change';
  }

  removeNamespace(name: string): string {
    this.namespaces.delete(name);
    return 'namespace change';
  }
}
