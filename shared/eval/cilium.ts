/**
 * Cilium policies compiled for the chains (tiers.ts). Cilium's rules sit in the NetworkPolicy tier
 * (Cilium 1.20 keeps CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy there and puts sig-network's
 * ClusterNetworkPolicy Admin tier before it, Baseline after it): per side, a matching deny rule wins
 * over every allow of the tier, whatever its order or kind (Cilium's "deny takes precedence"); else a
 * matching allow rule allows; else the tier's isolation decides (a pod that a NetworkPolicy or a Cilium
 * rule with default deny selects is denied; one nothing isolates goes on to Baseline).
 *
 * So every rule (`spec`/`specs[i]`) becomes two chain members: its deny rules (action Deny) and its
 * allow rules (Accept), all deny members before all allow members. Peers follow Cilium's identities:
 * - `endpoints` match pods on the pod network (hostNetwork pods have the node's identity);
 * - entities: `all` everything; `world` every external address; `cluster` every pod, hostNetwork ones
 *   included; `host` / `remote-node` hostNetwork pods, surely when a rule names both, else possibly
 *   (which node a pod runs on is unknown); `kube-apiserver` possibly an external address or a
 *   hostNetwork pod (its addresses are unknown); `init`, `health`, `ingress`, `unmanaged` never match a
 *   pod or address of the model;
 * - CIDRs match external addresses only (Cilium's default policy-cidr-match-mode: not pods, not nodes),
 *   plus pods and/or host-network pods when the CNI profile gives that mode.
 * What netglass cannot decide is "possibly matched": FQDN and Service peers, and L7-filtered ports,
 * are *conditional* (allowed at L4 for the requests, names or endpoints the rule accepts only);
 * unknown node placement and API server addresses are `unknown`. Each such rule says why.
 */
import type {
  CiliumPeer,
  CiliumPolicy,
  CiliumPortRule,
  CiliumRule,
  CiliumSpec,
  LabelSelector,
} from '../model/snapshot.ts';
import { ciliumPolicyKey } from '../model/snapshot.ts';
import { podSelection, type AdminCompileContext } from './admin.ts';
import { andInto, andNotInto, newBitset, orInto, type Bitset } from './bitset.ts';
import { namedPortRef } from './classes.ts';
import { encodePort, protocolRange, type PortSetId } from './ports.ts';
import { selectorKey, selectorLabelKeys } from './selector.ts';
import type { ChainMember, ChainRuleSource } from './tiers.ts';
import type { Direction } from './types.ts';

export type CiliumRuleList = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';

/** One Cilium rule (or its L7-filtered half) as the chains read it. */
export interface CompiledCiliumRule extends ChainRuleSource {
  readonly action: 'Accept' | 'Deny';
  readonly list: CiliumRuleList;
  /** Set when the rule's match depends on L7 rules, DNS answers or Service endpoints: why. */
  readonly conditional: string | undefined;
  /** Set when the rule's match depends on something netglass cannot know: why. */
  readonly unknown: string | undefined;
  /** Index of the first toPorts entry of this half, or 'any'. */
  readonly port: number | 'any';
}

/** The deny rules, or the allow rules, of one Cilium rule (`spec` / `specs[i]`). */
export interface CompiledCiliumPart extends ChainMember {
  readonly policy: CiliumPolicy;
  readonly spec: number;
  readonly deny: boolean;
  readonly ingress: readonly CompiledCiliumRule[];
  readonly egress: readonly CompiledCiliumRule[];
  /** Classes the rule applies to (pods on the pod network only). */
  readonly subject: Bitset;
  readonly defaultDeny: CiliumSpec['defaultDeny'];
}

/** Where a Cilium rule is written, for explanations: `spec.ingressDeny[1]`, `specs[2].egress[0]`. */
export function ciliumRulePath(
  policy: CiliumPolicy,
  spec: number,
  list: CiliumRuleList,
  index: number,
): string {
  return `${policy.multi ? `specs[${spec}]` : 'spec'}.${list}[${index}]`;
}

export function* ciliumPodLabelKeys(policy: CiliumPolicy): Generator<string> {
  for (const spec of policy.specs) {
    if (spec.subject) yield* selectorLabelKeys(spec.subject.podSelector);
    for (const rule of [...spec.ingress, ...spec.ingressDeny, ...spec.egress, ...spec.egressDeny]) {
      if (rule.peers === 'all' || rule.peers === 'none') continue;
      for (const p of rule.peers) if (p.kind === 'endpoints') yield* selectorLabelKeys(p.podSelector);
    }
  }
}

export function* ciliumIPBlocks(
  policy: CiliumPolicy,
): Generator<{ cidr: string; except: readonly string[] }> {
  for (const spec of policy.specs)
    for (const rule of [...spec.ingress, ...spec.ingressDeny, ...spec.egress, ...spec.egressDeny]) {
      if (rule.peers === 'all' || rule.peers === 'none') continue;
      for (const p of rule.peers) if (p.kind === 'cidr') yield { cidr: p.cidr, except: p.except };
    }
  // world-ipv4 / world-ipv6 split the address space at IPv4's edges, already atom boundaries.
}

interface PeerBits {
  readonly classes: Bitset;
  readonly maybe: Bitset;
  readonly ext: Bitset;
  readonly maybeExt: Bitset;
  readonly conditional?: string;
  readonly unknown?: string;
}

/**
 * What one `#compileCilium` pass compiles once and shares: peers and rules by what they are written as
 * (a cluster's Cilium policies repeat a few peers: its DNS, its monitoring, `world`, `cluster`), subjects
 * by selectors, and the all-zero and all-set bitsets. Every bitset handed out is read only.
 */
export class CiliumMemo {
  readonly #ctx: AdminCompileContext;
  readonly #peers = new Map<string, PeerBits>();
  readonly #rules = new Map<string, RuleBits>();
  readonly #selections = new Map<string, { classes: Bitset; maybe: Bitset }>();
  readonly noClasses: Bitset;
  readonly noAtoms: Bitset;
  readonly allClasses: Bitset;
  readonly allAtoms: Bitset;

  constructor(ctx: AdminCompileContext) {
    this.#ctx = ctx;
    this.noClasses = newBitset(ctx.words);
    this.noAtoms = newBitset(ctx.partition.words);
    this.allClasses = ctx.allClasses.slice();
    this.allAtoms = ctx.allAtoms.slice();
  }

  /** `podSelection`, once per pair of selectors (a namespace's own endpoints: subject and peer). */
  selection(
    namespaceSelector: LabelSelector,
    podSelector: LabelSelector,
  ): { classes: Bitset; maybe: Bitset } {
    const key = selectionKey(namespaceSelector, podSelector);
    let bits = this.#selections.get(key);
    if (!bits) {
      bits = podSelection(this.#ctx, namespaceSelector, podSelector);
      this.#selections.set(key, bits);
    }
    return bits;
  }

  /** The peers of a rule together. */
  rule(peers: Exclude<CiliumRule['peers'], 'none'>): RuleBits {
    const keys = peers === 'all' ? ['all'] : peers.map((p) => peerKey(p, peers));
    const key = keys.join('\u0002');
    let bits = this.#rules.get(key);
    if (bits) return bits;
    if (peers === 'all') bits = ruleBits([this.#all()]);
    else
      bits = ruleBits(
        peers.map((p, i) => {
          const k = keys[i] ?? '';
          let b = this.#peers.get(k);
          if (!b) this.#peers.set(k, (b = peerBits(this.#ctx, this, p, peers)));
          return b;
        }),
        this.#ctx,
      );
    this.#rules.set(key, bits);
    return bits;
  }

  #all(): PeerBits {
    return {
      classes: this.allClasses,
      maybe: this.allClasses,
      ext: this.allAtoms,
      maybeExt: this.allAtoms,
    };
  }
}

/** A rule's peers together: classes / external atoms matched surely and possibly, and why only possibly. */
interface RuleBits extends PeerBits {
  /** Some class or atom is matched only possibly. */
  readonly open: boolean;
}

/** Equal keys for peers that match alike (host / remote-node depend on the rule naming both). */
function peerKey(peer: CiliumPeer, peers: readonly CiliumPeer[]): string {
  switch (peer.kind) {
    case 'endpoints':
      return `e${selectionKey(peer.namespaceSelector, peer.podSelector)}`;
    case 'cidr':
      return `c${peer.cidr}\u0001${peer.except.join(',')}`;
    case 'fqdn':
      return `f${peer.pattern}`;
    case 'service':
      return `s${peer.service}`;
    case 'unsupported':
      return 'u';
    case 'entity':
      return peer.entity === 'host' || peer.entity === 'remote-node'
        ? `n${peer.entity}${bothNodeEntities(peer.entity, peers) ? '+' : ''}`
        : `n${peer.entity}`;
  }
}

/**
 * Equal keys for equal selector pairs. Most selectors are a few labels: those are keyed by their labels
 * (label keys and values cannot hold the separators), the rest by `selectorKey`.
 */
function selectionKey(namespaceSelector: LabelSelector, podSelector: LabelSelector): string {
  return `${labelsKey(namespaceSelector)}\u0002${labelsKey(podSelector)}`;
}

function labelsKey(selector: LabelSelector): string {
  if (selector.matchExpressions.length > 0) return `x${selectorKey(selector)}`;
  const keys = Object.keys(selector.matchLabels);
  if (keys.length > 1) keys.sort();
  let key = 'l';
  for (const k of keys) {
    const v = selector.matchLabels[k] ?? '';
    if (hasSeparator(k) || hasSeparator(v)) return `x${selectorKey(selector)}`;
    key += `${k}\u0001${v}\u0001`;
  }
  return key;
}

function hasSeparator(text: string): boolean {
  return text.includes('\u0001') || text.includes('\u0002');
}

function bothNodeEntities(entity: 'host' | 'remote-node', peers: readonly CiliumPeer[]): boolean {
  const other = entity === 'host' ? 'remote-node' : 'host';
  return peers.some((p) => p.kind === 'entity' && p.entity === other);
}

function differs(a: Bitset, b: Bitset): boolean {
  if (a === b) return false;
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return true;
  return false;
}

/** The union of a rule's peers; one peer's bits are used as they are. */
function ruleBits(bits: readonly PeerBits[], ctx?: AdminCompileContext): RuleBits {
  const conditional = bits.find((b) => b.conditional)?.conditional;
  const unknown = bits.find((b) => b.unknown)?.unknown;
  let one = bits[0];
  if (bits.length !== 1 || !one) {
    const words = ctx?.words ?? 1;
    const atoms = ctx?.partition.words ?? 1;
    const classes = newBitset(words);
    const maybe = newBitset(words);
    const ext = newBitset(atoms);
    const maybeExt = newBitset(atoms);
    for (const b of bits) {
      orInto(classes, b.classes);
      orInto(maybe, b.maybe);
      orInto(maybe, b.classes);
      orInto(ext, b.ext);
      orInto(maybeExt, b.maybeExt);
      orInto(maybeExt, b.ext);
    }
    one = { classes, maybe, ext, maybeExt };
  }
  return {
    classes: one.classes,
    maybe: one.maybe,
    ext: one.ext,
    maybeExt: one.maybeExt,
    ...(conditional !== undefined ? { conditional } : {}),
    ...(unknown !== undefined ? { unknown } : {}),
    open: differs(one.maybe, one.classes) || differs(one.maybeExt, one.ext),
  };
}

function hostClasses(ctx: AdminCompileContext): Bitset {
  const host = ctx.allClasses.slice();
  andNotInto(host, ctx.podNetworkClasses);
  return host;
}

function peerBits(
  ctx: AdminCompileContext,
  memo: CiliumMemo,
  peer: CiliumPeer,
  peers: readonly CiliumPeer[],
): PeerBits {
  const none = memo.noClasses;
  const noAtoms = memo.noAtoms;
  const sure = (classes: Bitset, ext: Bitset): PeerBits => ({ classes, maybe: classes, ext, maybeExt: ext });
  switch (peer.kind) {
    case 'endpoints': {
      const { classes, maybe } = memo.selection(peer.namespaceSelector, peer.podSelector);
      return { classes, maybe, ext: noAtoms, maybeExt: noAtoms };
    }
    case 'cidr': {
      const block = ctx.ipBlock({ cidr: peer.cidr, except: peer.except });
      // policy-cidr-match-mode (the CNI profile) lets CIDRs match pods, nodes (host-network pods), both.
      const { pods, nodes } = ctx.cni.ciliumCidr;
      let classes = none;
      if (pods || nodes) {
        classes = newBitset(ctx.words);
        if (pods) {
          orInto(classes, block.bits);
          andInto(classes, ctx.podNetworkClasses);
        }
        if (nodes) {
          const host = block.bits.slice();
          andNotInto(host, ctx.podNetworkClasses);
          orInto(classes, host);
        }
      }
      return sure(classes, block.atoms.slice());
    }
    case 'fqdn':
      return {
        classes: none,
        maybe: none,
        ext: noAtoms,
        maybeExt: memo.allAtoms,
        conditional: `allowed only to the addresses DNS returns for ${peer.pattern}`,
      };
    case 'service':
      return {
        classes: none,
        maybe: ctx.podNetworkClasses.slice(),
        ext: noAtoms,
        maybeExt: memo.allAtoms,
        conditional: `allowed only to the endpoints of ${peer.service}, which netglass does not read`,
      };
    case 'unsupported':
      return sure(none, noAtoms);
    case 'entity':
      switch (peer.entity) {
        case 'all':
          return sure(memo.allClasses, memo.allAtoms);
        case 'world':
          return sure(none, memo.allAtoms);
        case 'world-ipv4':
        case 'world-ipv6': {
          const v4 = ctx.ipBlock({ cidr: '0.0.0.0/0', except: [] }).atoms.slice();
          if (peer.entity === 'world-ipv4') return sure(none, v4);
          const v6 = ctx.allAtoms.slice();
          andNotInto(v6, v4);
          return sure(none, v6);
        }
        case 'cluster':
          return sure(memo.allClasses, noAtoms);
        case 'host':
        case 'remote-node': {
          const host = hostClasses(ctx);
          if (bothNodeEntities(peer.entity, peers)) return sure(host, noAtoms);
          return {
            classes: none,
            maybe: host,
            ext: noAtoms,
            maybeExt: noAtoms,
            unknown: `${peer.entity} means hostNetwork pods on ${peer.entity === 'host' ? 'the same node as' : 'another node than'} the pod, and netglass does not know which node a pod runs on`,
          };
        }
        case 'kube-apiserver':
          return {
            classes: none,
            maybe: hostClasses(ctx),
            ext: noAtoms,
            maybeExt: memo.allAtoms,
            unknown: 'kube-apiserver means the API server\u2019s addresses, which netglass does not know',
          };
        case 'ingress':
        case 'init':
        case 'health':
        case 'unmanaged':
          return sure(none, noAtoms);
      }
  }
}

function portSetOf(
  ctx: AdminCompileContext,
  rules: readonly CiliumPortRule[],
): { ports: PortSetId; named: string[] } {
  let ports = ctx.portSets.empty;
  const named: string[] = [];
  for (const pr of rules) {
    if (pr.ports === 'any') {
      ports = ctx.portSets.all;
      continue;
    }
    for (const p of pr.ports) {
      if (typeof p.port === 'string') {
        named.push(namedPortRef(p.protocol, p.port));
        continue;
      }
      const range: [number, number] =
        p.port === undefined
          ? protocolRange(p.protocol)
          : [encodePort(p.protocol, p.port), encodePort(p.protocol, p.endPort ?? p.port)];
      ports = ctx.portSets.union(ports, ctx.portSets.fromPairs([range]));
    }
  }
  return { ports, named: [...new Set(named)] };
}

/** One written rule → its plain half and its L7-filtered half (each present only when it has ports). */
function compileRule(
  ctx: AdminCompileContext,
  memo: CiliumMemo,
  rule: CiliumRule,
  list: CiliumRuleList,
  index: number,
): CompiledCiliumRule[] {
  if (rule.peers === 'none') return [];
  const direction: Direction = list.startsWith('ingress') ? 'ingress' : 'egress';
  const action = list.endsWith('Deny') ? 'Deny' : 'Accept';
  const bits = memo.rule(rule.peers);
  const entries = rule.toPorts === 'any' ? [{ ports: 'any' as const }] : rule.toPorts;
  const plain = entries.filter((e) => e.l7 === undefined);
  const filtered = entries.filter((e) => e.l7 !== undefined);
  const out: CompiledCiliumRule[] = [];
  const firstIndex = (e: CiliumPortRule | undefined): number | 'any' =>
    rule.toPorts === 'any' || e === undefined ? 'any' : rule.toPorts.indexOf(e);
  const make = (half: readonly CiliumPortRule[], l7: string | undefined): CompiledCiliumRule => {
    const { ports, named } = portSetOf(ctx, half);
    // An L7-filtered half matches possibly, never surely (the verdict then says "conditional"); DNS
    // name and Service peers already match only possibly, other peers of the rule still surely.
    const certain = l7 === undefined;
    const cond = l7 !== undefined ? `allowed only for ${l7}` : bits.conditional;
    return {
      direction,
      index,
      action,
      list,
      classes: certain ? bits.classes : memo.noClasses,
      maybe: bits.maybe,
      ext: certain ? bits.ext : memo.noAtoms,
      maybeExt: bits.maybeExt,
      staticPorts: ports,
      named,
      uncertain: !certain || bits.unknown !== undefined || bits.open,
      conditional: cond,
      unknown: bits.unknown,
      port: firstIndex(half[0]),
    };
  };
  if (plain.length > 0) out.push(make(plain, undefined));
  if (filtered.length > 0) out.push(make(filtered, [...new Set(filtered.map((e) => e.l7 ?? ''))].join('; ')));
  return out;
}

/**
 * The chain members of one Cilium policy: per rule, a deny member and an allow member. Deny members
 * (priority = id) precede allow members (ALLOW_BAND + id), and no two share a priority (a shared
 * priority would read as a tie; among denies, or among allows, the order changes nothing but which
 * rule an explanation names first).
 */
export const ALLOW_BAND = 1 << 24;

export function compileCiliumPolicy(
  ctx: AdminCompileContext,
  policy: CiliumPolicy,
  nextId: () => number,
  memo: CiliumMemo = new CiliumMemo(ctx),
): CompiledCiliumPart[] {
  const key = ciliumPolicyKey(policy);
  const parts: CompiledCiliumPart[] = [];
  policy.specs.forEach((spec, s) => {
    if (!spec.subject) return;
    const subject = memo.selection(spec.subject.namespaceSelector, spec.subject.podSelector).classes;
    for (const deny of [true, false]) {
      const lists: [CiliumRuleList, CiliumRuleList] = deny
        ? ['ingressDeny', 'egressDeny']
        : ['ingress', 'egress'];
      const ingress = spec[lists[0]].flatMap((r, i) => compileRule(ctx, memo, r, lists[0], i));
      const egress = spec[lists[1]].flatMap((r, i) => compileRule(ctx, memo, r, lists[1], i));
      const id = nextId();
      parts.push({
        id,
        key,
        priority: (deny ? 0 : ALLOW_BAND) + id,
        policy,
        spec: s,
        deny,
        ingress,
        egress,
        usesIngressNamed: ingress.some((r) => r.named.length > 0),
        subject,
        defaultDeny: spec.defaultDeny,
      });
    }
  });
  return parts;
}
