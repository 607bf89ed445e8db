/**
 * Admin-tier policies (ClusterNetworkPolicy, legacy AdminNetworkPolicy / BaselineAdminNetworkPolicy)
 * compiled against the class table, as NetworkPolicies are in state.ts: every subject and peer becomes a
 * bitset of pod classes plus a bitset of external IP atoms, every port list an interned port set.
 *
 * Each peer and subject has a sure match set and a possible one (`maybe` ⊇ sure). They differ where the
 * answer depends on what netglass cannot know: namespace labels that could not be read, and `nodes` /
 * `domainNames` peers (an external address might be a node, or a name's answer). Peers follow the spec:
 * `namespaces` / `pods` never match hostNetwork pods, `networks` match pod IPs as well as external
 * addresses, `nodes` match hostNetwork pods (they have their node's IP; `nodes: {}` surely, any other
 * selector possibly, node labels being unknown), and a rule with a peer of no recognised field fails
 * closed as the API says: an Accept rule matches no traffic, a Deny or Pass rule becomes "deny all"
 * (every peer, every port).
 */
import type { CniSemantics } from './cni.ts';
import type {
  AdminAction,
  AdminPeer,
  AdminPort,
  AdminTier,
  ClusterNetworkPolicy,
  IPBlock,
  LabelSelector,
  Protocol,
} from '../model/snapshot.ts';
import { clusterPolicyKey, PROTOCOLS } from '../model/snapshot.ts';
import { andInto, andNotInto, hasBit, newBitset, orInto, setBit, type Bitset } from './bitset.ts';
import { namedPortRef, type PodClass } from './classes.ts';
import { encodePort, protocolRange, type PortSetId, type PortSetTable } from './ports.ts';
import { selectorLabelKeys, selectorMatches } from './selector.ts';
import type { Direction } from './types.ts';

export interface CompiledAdminPeer {
  readonly index: number;
  readonly peer: AdminPeer;
  /** Pod classes surely matched. */
  readonly classes: Bitset;
  /** Pod classes possibly matched (⊇ `classes`; the same object when nothing is uncertain). */
  readonly maybe: Bitset;
  /** External IP atoms surely matched. */
  readonly ext: Bitset;
  /** External IP atoms possibly matched (⊇ `ext`; the same object when nothing is uncertain). */
  readonly maybeExt: Bitset;
}

export interface CompiledAdminPortEntry {
  readonly index: number;
  /** A protocol, port or range; empty for a named port. */
  readonly staticPorts: PortSetId;
  /** `${protocol}/${name}` refs of a named port (every protocol: the name decides), resolved on the destination. */
  readonly named: readonly string[];
}

export interface CompiledAdminRule {
  readonly direction: Direction;
  readonly index: number;
  readonly name: string | undefined;
  readonly action: AdminAction;
  readonly peers: readonly CompiledAdminPeer[];
  /** Unions over the peers. */
  readonly classes: Bitset;
  readonly maybe: Bitset;
  readonly ext: Bitset;
  readonly maybeExt: Bitset;
  readonly ports: 'any' | readonly CompiledAdminPortEntry[];
  /** Union of the static parts of all entries (every port for 'any'). */
  readonly staticPorts: PortSetId;
  readonly named: readonly string[];
  /** Some peer's match is uncertain (maybe ≠ sure). */
  readonly uncertain: boolean;
  /** A peer netglass does not recognise: the rule matches nothing (Accept) or is "deny all" (Deny/Pass). */
  readonly failClosed: 'nothing' | 'deny-all' | undefined;
}

export interface CompiledAdminPolicy {
  /** Fresh for every compiled version (chain caches are keyed by ids). */
  readonly id: number;
  readonly key: string;
  readonly policy: ClusterNetworkPolicy;
  readonly tier: AdminTier;
  readonly priority: number;
  /** Classes the subject surely holds (hostNetwork classes never). */
  readonly subject: Bitset;
  /** Classes the subject possibly holds (namespace labels unread); the same object when certain. */
  readonly maybeSubject: Bitset;
  readonly ingress: readonly CompiledAdminRule[];
  readonly egress: readonly CompiledAdminRule[];
  readonly usesIngressNamed: boolean;
}

/** What compiling needs from the evaluation state (state.ts implements it). */
export interface AdminCompileContext {
  readonly words: number;
  readonly partition: { readonly words: number; readonly size: number };
  readonly portSets: PortSetTable;
  readonly allClasses: Bitset;
  readonly allAtoms: Bitset;
  /** Classes of non-hostNetwork pods. */
  readonly podNetworkClasses: Bitset;
  podSelectorBits(selector: LabelSelector): Bitset;
  namespaceSelector(selector: LabelSelector): {
    readonly namespaces: ReadonlySet<string>;
    readonly bits: Bitset;
    readonly maybeNamespaces: ReadonlySet<string>;
    readonly maybeBits: Bitset;
  };
  ipBlock(block: IPBlock): { readonly atoms: Bitset; readonly bits: Bitset };
  /** The CNI profile's choices (cni.ts); Cilium's CIDR rules read `ciliumCidr`. */
  readonly cni: Pick<CniSemantics, 'ciliumCidr'>;
}

/** The CIDRs of a `networks` peer as ipBlocks (no exceptions in the admin API). */
export function networkBlocks(cidrs: readonly string[]): IPBlock[] {
  return cidrs.map((cidr) => ({ cidr, except: [] }));
}

export function* adminIPBlocks(policy: ClusterNetworkPolicy): Generator<IPBlock> {
  for (const rule of [...policy.ingress, ...policy.egress])
    for (const peer of rule.peers) if (peer.kind === 'networks') yield* networkBlocks(peer.cidrs);
}

/** Pod label keys the policy's selectors read (namespace selectors read namespace labels, not these). */
export function* adminPodLabelKeys(policy: ClusterNetworkPolicy): Generator<string> {
  if (policy.subject.kind === 'pods') yield* selectorLabelKeys(policy.subject.podSelector);
  for (const rule of [...policy.ingress, ...policy.egress])
    for (const peer of rule.peers) if (peer.kind === 'pods') yield* selectorLabelKeys(peer.podSelector);
}

/** Pod classes of a `namespaces`/`pods` selection (hostNetwork excluded), surely and possibly. */
export function podSelection(
  ctx: AdminCompileContext,
  namespaceSelector: LabelSelector,
  podSelector: LabelSelector | undefined,
): { classes: Bitset; maybe: Bitset } {
  const nss = ctx.namespaceSelector(namespaceSelector);
  const classes = nss.bits.slice();
  andInto(classes, ctx.podNetworkClasses);
  if (podSelector) andInto(classes, ctx.podSelectorBits(podSelector));
  if (nss.maybeBits === nss.bits) return { classes, maybe: classes };
  const maybe = nss.maybeBits.slice();
  andInto(maybe, ctx.podNetworkClasses);
  if (podSelector) andInto(maybe, ctx.podSelectorBits(podSelector));
  return { classes, maybe };
}

function compilePeer(
  ctx: AdminCompileContext,
  peer: AdminPeer,
  index: number,
  action: AdminAction,
): CompiledAdminPeer {
  const none = (): Bitset => newBitset(ctx.words);
  const noAtoms = (): Bitset => newBitset(ctx.partition.words);
  switch (peer.kind) {
    case 'namespaces':
    case 'pods': {
      const { classes, maybe } = podSelection(
        ctx,
        peer.namespaceSelector,
        peer.kind === 'pods' ? peer.podSelector : undefined,
      );
      const ext = noAtoms();
      return { index, peer, classes, maybe, ext, maybeExt: ext };
    }
    case 'networks': {
      const classes = none();
      const ext = noAtoms();
      for (const block of networkBlocks(peer.cidrs)) {
        const b = ctx.ipBlock(block);
        orInto(classes, b.bits);
        orInto(ext, b.atoms);
      }
      return { index, peer, classes, maybe: classes, ext, maybeExt: ext };
    }
    case 'nodes': {
      // A hostNetwork pod has its node's IP: `nodes: {}` surely holds it, another selector possibly
      // (node labels are not read). Any external address might be a node.
      const host = ctx.allClasses.slice();
      andNotInto(host, ctx.podNetworkClasses);
      const everyNode = isEmptySelector(peer.nodeSelector);
      const classes = everyNode ? host : none();
      const maybeExt = ctx.allAtoms.slice();
      return { index, peer, classes, maybe: everyNode ? classes : host, ext: noAtoms(), maybeExt };
    }
    case 'domainNames': {
      // Never a pod; any external address might be a name's answer.
      const classes = none();
      const maybeExt = ctx.allAtoms.slice();
      return { index, peer, classes, maybe: classes, ext: noAtoms(), maybeExt };
    }
    case 'unrecognized': {
      // The rule as a whole fails closed (compileRule); the peer itself stands for what it decides.
      const deny = action !== 'Accept';
      const classes = deny ? ctx.allClasses.slice() : none();
      const ext = deny ? ctx.allAtoms.slice() : noAtoms();
      return { index, peer, classes, maybe: classes, ext, maybeExt: ext };
    }
  }
}

function compilePorts(
  ctx: AdminCompileContext,
  ports: 'any' | readonly AdminPort[],
): { ports: 'any' | CompiledAdminPortEntry[]; staticPorts: PortSetId; named: string[] } {
  if (ports === 'any') return { ports: 'any', staticPorts: ctx.portSets.all, named: [] };
  const named: string[] = [];
  const entries = ports.map((entry, index): CompiledAdminPortEntry => {
    if (entry.kind === 'named') {
      const refs = PROTOCOLS.map((p: Protocol) => namedPortRef(p, entry.name));
      named.push(...refs);
      return { index, staticPorts: ctx.portSets.empty, named: refs };
    }
    const range: [number, number] =
      entry.port === undefined
        ? protocolRange(entry.protocol)
        : [encodePort(entry.protocol, entry.port), encodePort(entry.protocol, entry.endPort ?? entry.port)];
    return { index, staticPorts: ctx.portSets.fromPairs([range]), named: [] };
  });
  const staticPorts = entries.reduce((acc, e) => ctx.portSets.union(acc, e.staticPorts), ctx.portSets.empty);
  return { ports: entries, staticPorts, named };
}

function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

function compileRule(
  ctx: AdminCompileContext,
  direction: Direction,
  index: number,
  rule: ClusterNetworkPolicy['ingress'][number],
): CompiledAdminRule {
  if (rule.peers.some((p) => p.kind === 'unrecognized')) return failClosedRule(ctx, direction, index, rule);
  const peers = rule.peers.map((p, i) => compilePeer(ctx, p, i, rule.action));
  const uncertain = peers.some((p) => p.maybe !== p.classes || p.maybeExt !== p.ext);
  const classes = newBitset(ctx.words);
  const ext = newBitset(ctx.partition.words);
  const maybe = uncertain ? newBitset(ctx.words) : classes;
  const maybeExt = uncertain ? newBitset(ctx.partition.words) : ext;
  for (const p of peers) {
    orInto(classes, p.classes);
    orInto(ext, p.ext);
    if (uncertain) {
      orInto(maybe, p.maybe);
      orInto(maybeExt, p.maybeExt);
    }
  }
  return {
    direction,
    index,
    name: rule.name,
    action: rule.action,
    peers,
    classes,
    maybe,
    ext,
    maybeExt,
    uncertain,
    failClosed: undefined,
    ...compilePorts(ctx, rule.ports),
  };
}

/**
 * A rule with a peer netglass does not recognise, as the API prescribes: Accept matches no traffic;
 * Deny and Pass become "deny all", whatever the other peers and the ports say.
 */
function failClosedRule(
  ctx: AdminCompileContext,
  direction: Direction,
  index: number,
  rule: ClusterNetworkPolicy['ingress'][number],
): CompiledAdminRule {
  const deny = rule.action !== 'Accept';
  const peers = rule.peers.map((p, i) => {
    if (p.kind === 'unrecognized') return compilePeer(ctx, p, i, rule.action);
    const classes = newBitset(ctx.words);
    const ext = newBitset(ctx.partition.words);
    return { index: i, peer: p, classes, maybe: classes, ext, maybeExt: ext };
  });
  const classes = deny ? ctx.allClasses.slice() : newBitset(ctx.words);
  const ext = deny ? ctx.allAtoms.slice() : newBitset(ctx.partition.words);
  return {
    direction,
    index,
    name: rule.name,
    action: deny ? 'Deny' : 'Accept',
    peers,
    classes,
    maybe: classes,
    ext,
    maybeExt: ext,
    uncertain: false,
    failClosed: deny ? 'deny-all' : 'nothing',
    ...(deny ? compilePorts(ctx, 'any') : compilePorts(ctx, rule.ports)),
  };
}

export function compileAdminPolicy(
  ctx: AdminCompileContext,
  policy: ClusterNetworkPolicy,
  id: number,
): CompiledAdminPolicy {
  const s = policy.subject;
  const { classes: subject, maybe: maybeSubject } = podSelection(
    ctx,
    s.namespaceSelector,
    s.kind === 'pods' ? s.podSelector : undefined,
  );
  const ingress = policy.ingress.map((r, i) => compileRule(ctx, 'ingress', i, r));
  const egress = policy.egress.map((r, i) => compileRule(ctx, 'egress', i, r));
  return {
    id,
    key: clusterPolicyKey(policy),
    policy,
    tier: policy.tier,
    priority: policy.priority,
    subject,
    maybeSubject,
    ingress,
    egress,
    usesIngressNamed: ingress.some((r) => r.named.length > 0),
  };
}

/**
 * Gives a class created after compilation its bits in a compiled admin policy (the class is new, so no
 * bit of it is set yet). `nsSure`/`nsMaybe` say whether a namespace selector surely/possibly holds the
 * class's namespace (state.ts answers from its selector cache).
 */
export function admitClass(
  cp: CompiledAdminPolicy,
  c: PodClass,
  ns: (selector: LabelSelector) => { readonly sure: boolean; readonly maybe: boolean },
): void {
  const id = c.id;
  const selection = (
    namespaceSelector: LabelSelector,
    podSelector: LabelSelector | undefined,
  ): { sure: boolean; maybe: boolean } => {
    if (c.hostNetwork) return { sure: false, maybe: false };
    if (podSelector && !selectorMatches(podSelector, c.labels)) return { sure: false, maybe: false };
    return ns(namespaceSelector);
  };
  const set = (sure: Bitset, maybe: Bitset, m: { sure: boolean; maybe: boolean }): void => {
    if (m.sure) setBit(sure, id);
    if (m.maybe || m.sure) setBit(maybe, id);
  };
  const s = cp.policy.subject;
  set(
    cp.subject,
    cp.maybeSubject,
    selection(s.namespaceSelector, s.kind === 'pods' ? s.podSelector : undefined),
  );
  for (const rule of [...cp.ingress, ...cp.egress]) {
    for (const p of rule.peers) {
      let m: { sure: boolean; maybe: boolean };
      switch (p.peer.kind) {
        case 'namespaces':
          m = selection(p.peer.namespaceSelector, undefined);
          break;
        case 'pods':
          m = selection(p.peer.namespaceSelector, p.peer.podSelector);
          break;
        case 'networks': {
          const ext = p.ext;
          const hit = c.ipAtoms.some((a) => hasBit(ext, a));
          m = { sure: hit, maybe: hit };
          break;
        }
        case 'nodes':
          m = { sure: c.hostNetwork && isEmptySelector(p.peer.nodeSelector), maybe: c.hostNetwork };
          break;
        case 'domainNames':
          m = { sure: false, maybe: false };
          break;
        case 'unrecognized': {
          const all = rule.action !== 'Accept';
          m = { sure: all, maybe: all };
          break;
        }
      }
      if (rule.failClosed !== undefined && p.peer.kind !== 'unrecognized') m = { sure: false, maybe: false };
      set(p.classes, p.maybe, m);
      set(rule.classes, rule.maybe, m);
    }
    if (rule.failClosed === 'deny-all') setBit(rule.classes, id);
  }
}

/** Orders admin policies as their tier reads them: ascending priority, then key (for a stable display). */
export function byPriority(a: CompiledAdminPolicy, b: CompiledAdminPolicy): number {
  return a.priority - b.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
