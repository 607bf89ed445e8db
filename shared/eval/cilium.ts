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
import type { CiliumPeer, CiliumPolicy, CiliumPortRule, CiliumRule, CiliumSpec } from '../model/snapshot.ts';
import { ciliumPolicyKey } from '../model/snapshot.ts';
import { podSelection, type AdminCompileContext } from './admin.ts';
import { andInto, andNotInto, newBitset, orInto, type Bitset } from './bitset.ts';
import { namedPortRef } from './classes.ts';
import { encodePort, protocolRange, type PortSetId } from './ports.ts';
import { selectorLabelKeys } from './selector.ts';
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
  classes: Bitset;
  maybe: Bitset;
  ext: Bitset;
  maybeExt: Bitset;
  conditional?: string;
  unknown?: string;
}

function hostClasses(ctx: AdminCompileContext): Bitset {
  const host = ctx.allClasses.slice();
  andNotInto(host, ctx.podNetworkClasses);
  return host;
}

function peerBits(ctx: AdminCompileContext, peer: CiliumPeer, rule: CiliumRule): PeerBits {
  const none = (): Bitset => newBitset(ctx.words);
  const noAtoms = (): Bitset => newBitset(ctx.partition.words);
  const sure = (classes: Bitset, ext: Bitset): PeerBits => ({ classes, maybe: classes, ext, maybeExt: ext });
  switch (peer.kind) {
    case 'endpoints': {
      const { classes, maybe } = podSelection(ctx, peer.namespaceSelector, peer.podSelector);
      const ext = noAtoms();
      return { classes, maybe, ext, maybeExt: ext };
    }
    case 'cidr': {
      const block = ctx.ipBlock({ cidr: peer.cidr, except: peer.except });
      // policy-cidr-match-mode (the CNI profile) lets CIDRs match pods, nodes (host-network pods), both.
      const { pods, nodes } = ctx.cni.ciliumCidr;
      const classes = none();
      if (pods) {
        orInto(classes, block.bits);
        andInto(classes, ctx.podNetworkClasses);
      }
      if (nodes) {
        const host = block.bits.slice();
        andNotInto(host, ctx.podNetworkClasses);
        orInto(classes, host);
      }
      return sure(classes, block.atoms.slice());
    }
    case 'fqdn':
      return {
        classes: none(),
        maybe: none(),
        ext: noAtoms(),
        maybeExt: ctx.allAtoms.slice(),
        conditional: `allowed only to the addresses DNS returns for ${peer.pattern}`,
      };
    case 'service':
      return {
        classes: none(),
        maybe: ctx.podNetworkClasses.slice(),
        ext: noAtoms(),
        maybeExt: ctx.allAtoms.slice(),
        conditional: `allowed only to the endpoints of ${peer.service}, which netglass does not read`,
      };
    case 'unsupported':
      return sure(none(), noAtoms());
    case 'entity':
      switch (peer.entity) {
        case 'all':
          return sure(ctx.allClasses.slice(), ctx.allAtoms.slice());
        case 'world':
          return sure(none(), ctx.allAtoms.slice());
        case 'world-ipv4':
        case 'world-ipv6': {
          const v4 = ctx.ipBlock({ cidr: '0.0.0.0/0', except: [] }).atoms.slice();
          if (peer.entity === 'world-ipv4') return sure(none(), v4);
          const v6 = ctx.allAtoms.slice();
          andNotInto(v6, v4);
          return sure(none(), v6);
        }
        case 'cluster':
          return sure(ctx.allClasses.slice(), noAtoms());
        case 'host':
        case 'remote-node': {
          const both =
            rule.peers !== 'all' &&
            rule.peers !== 'none' &&
            rule.peers.some(
              (p) => p.kind === 'entity' && p.entity === (peer.entity === 'host' ? 'remote-node' : 'host'),
            );
          const host = hostClasses(ctx);
          if (both) return sure(host, noAtoms());
          const ext = noAtoms();
          return {
            classes: none(),
            maybe: host,
            ext,
            maybeExt: ext,
            unknown: `${peer.entity} means hostNetwork pods on ${peer.entity === 'host' ? 'the same node as' : 'another node than'} the pod, and netglass does not know which node a pod runs on`,
          };
        }
        case 'kube-apiserver':
          return {
            classes: none(),
            maybe: hostClasses(ctx),
            ext: noAtoms(),
            maybeExt: ctx.allAtoms.slice(),
            unknown: 'kube-apiserver means the API server\u2019s addresses, which netglass does not know',
          };
        case 'ingress':
        case 'init':
        case 'health':
        case 'unmanaged':
          return sure(none(), noAtoms());
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
  rule: CiliumRule,
  list: CiliumRuleList,
  index: number,
): CompiledCiliumRule[] {
  if (rule.peers === 'none') return [];
  const direction: Direction = list.startsWith('ingress') ? 'ingress' : 'egress';
  const action = list.endsWith('Deny') ? 'Deny' : 'Accept';
  const bits: PeerBits[] =
    rule.peers === 'all'
      ? [{ classes: ctx.allClasses, maybe: ctx.allClasses, ext: ctx.allAtoms, maybeExt: ctx.allAtoms }]
      : rule.peers.map((p) => peerBits(ctx, p, rule));
  const classes = newBitset(ctx.words);
  const maybe = newBitset(ctx.words);
  const ext = newBitset(ctx.partition.words);
  const maybeExt = newBitset(ctx.partition.words);
  for (const b of bits) {
    orInto(classes, b.classes);
    orInto(maybe, b.maybe);
    orInto(maybe, b.classes);
    orInto(ext, b.ext);
    orInto(maybeExt, b.maybeExt);
    orInto(maybeExt, b.ext);
  }
  const conditional = bits.find((b) => b.conditional)?.conditional;
  const unknown = bits.find((b) => b.unknown)?.unknown;
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
    const cond = l7 !== undefined ? `allowed only for ${l7}` : conditional;
    return {
      direction,
      index,
      action,
      list,
      classes: certain ? classes : newBitset(ctx.words),
      maybe,
      ext: certain ? ext : newBitset(ctx.partition.words),
      maybeExt,
      staticPorts: ports,
      named,
      uncertain:
        !certain ||
        unknown !== undefined ||
        maybe.some((w, i) => w !== (classes[i] ?? 0)) ||
        maybeExt.some((w, i) => w !== (ext[i] ?? 0)),
      conditional: cond,
      unknown,
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
): CompiledCiliumPart[] {
  const key = ciliumPolicyKey(policy);
  const parts: CompiledCiliumPart[] = [];
  policy.specs.forEach((spec, s) => {
    if (!spec.subject) return;
    const { classes: subject } = podSelection(ctx, spec.subject.namespaceSelector, spec.subject.podSelector);
    for (const deny of [true, false]) {
      const lists: [CiliumRuleList, CiliumRuleList] = deny
        ? ['ingressDeny', 'egressDeny']
        : ['ingress', 'egress'];
      const ingress = spec[lists[0]].flatMap((r, i) => compileRule(ctx, r, lists[0], i));
      const egress = spec[lists[1]].flatMap((r, i) => compileRule(ctx, r, lists[1], i));
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
