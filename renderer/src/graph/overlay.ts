/**
 * The edges of the current selection, and which nodes it concerns. Only the selection's connections
 * are drawn (never every allowed pair): a policy's permitted/denied connections, a pod's allowed
 * inbound and outbound connections, a reach query's path, or a matrix cell's pairs. Connections are
 * merged per node pair and class with their ports as the label; when that still gives too many edges,
 * they are merged per namespace pair. Pure: unit-tested without a canvas.
 */
import type { ElementDefinition } from 'cytoscape';
import type {
  ConnectionRef,
  ConnectionVerdict,
  Peer,
  PolicyEffect,
  PortProbe,
} from '../../../shared/eval/index.ts';
import { selectorMatches } from '../../../shared/eval/selector.ts';
import { podKey, type Snapshot } from '../../../shared/model/snapshot.ts';
import type { CellPairs, PodView } from '../analysis/protocol.ts';
import { externalNodeFor, namespaceNodeId, type GraphModel } from './elements.ts';

export type EdgeClass =
  | 'flowing'
  | 'blocked'
  | 'denied'
  /** An admin-tier policy's Pass rule decided a side: the next tier decides it. */
  | 'passed'
  | 'unknown'
  | 'allowed'
  | 'path-allowed'
  | 'path-denied'
  | 'path-unknown'
  /** The checked connection is allowed only for some requests (the evaluator's `conditional`). */
  | 'path-conditional'
  /** Imported flows (flows/flows-overlay.ts): seen allowed and confirmed, seen dropped and confirmed, */
  | 'seen'
  | 'seen-denied'
  /** seen but the policies say otherwise, seen in audit mode. */
  | 'contradiction'
  | 'audit';

export interface OverlayConnection {
  readonly from: Peer;
  readonly to: Peer;
  readonly cls: EdgeClass;
  readonly probe: PortProbe;
  /** What the connection weighs (seen flows: connections); edges sum it in `data.volume`. */
  readonly weight?: number;
}

export interface ExtraNode {
  readonly id: string;
  readonly label: string;
}

export interface Overlay {
  readonly edges: ElementDefinition[];
  /** Nodes the selection concerns (drawn at full strength); the rest are dimmed. */
  readonly focus: ReadonlySet<string>;
  /** The selection's subjects: a policy's selected pods, the selected pod, the reach endpoints. */
  readonly subjects: ReadonlySet<string>;
  /** Nodes to add for addresses no external node stands for (a typed-in IP). */
  readonly extraNodes: readonly ExtraNode[];
  /** `pod`: pod to pod; `peer`: the subjects' peers merged per namespace; `namespace`: both ends merged. */
  readonly level: OverlayLevel;
  /**
   * What a selection should bring into view: its subjects and the peers of every class but denials
   * (a policy's hundreds of denied peers would fit the whole graph); all of `focus` when only denials.
   */
  readonly reveal?: ReadonlySet<string>;
  /** How far each drawn class was merged (`level` is the coarsest of them). */
  readonly classLevels?: Partial<Record<EdgeClass, OverlayLevel>>;
  /** Connections not drawn because an end is hidden. */
  readonly hidden: number;
  readonly connections: number;
  /** Edge labels left off (too many to read; each shows on hover), and the one label they all share. */
  readonly labels?: { readonly shown: false; readonly shared?: string };
}

/** Above this many edges their labels overlap more than they inform: they show on hover instead. */
export const MAX_LABELLED_EDGES = 12;

export type OverlayLevel = 'pod' | 'peer' | 'namespace';

/** The order classes claim the edge budget in: what a selection is about first, denials last. */
const CLASS_ORDER: readonly EdgeClass[] = [
  'contradiction',
  'audit',
  'seen',
  'seen-denied',
  'path-allowed',
  'path-denied',
  'path-unknown',
  'path-conditional',
  'flowing',
  'allowed',
  'passed',
  'unknown',
  'blocked',
  'denied',
];

/** A class the budget has no room left for still gets this many edges before it merges further. */
const MIN_CLASS_EDGES = 16;

export const EMPTY_OVERLAY: Overlay = {
  edges: [],
  focus: new Set(),
  subjects: new Set(),
  extraNodes: [],
  level: 'pod',
  hidden: 0,
  connections: 0,
};

export interface PortContext {
  /** The universe's ports: a set holding all of them is "all ports". */
  readonly ports: readonly PortProbe[];
  /** Ports the policies name; other universe ports stand for a class ("other"). */
  readonly mentioned: readonly PortProbe[];
}

const probeId = (p: PortProbe): string => `${p.protocol}/${p.port}`;

/**
 * `TCP 53, 443 · UDP 53`: "all ports" when every universe port is in, `TCP all` when every probed TCP
 * port is; a class representative (a port no policy names) reads as "other".
 */
export function formatPorts(probes: readonly PortProbe[], ctx: PortContext, max = 3): string {
  const ids = new Set(probes.map(probeId));
  if (ctx.ports.length > 0 && ctx.ports.every((p) => ids.has(probeId(p)))) return 'all ports';
  const mentioned = new Set(ctx.mentioned.map(probeId));
  const parts: string[] = [];
  for (const protocol of ['TCP', 'UDP', 'SCTP']) {
    const mine = probes.filter((p) => p.protocol === protocol);
    if (mine.length === 0) continue;
    const universe = ctx.ports.filter((p) => p.protocol === protocol);
    if (universe.length > 1 && universe.every((p) => ids.has(probeId(p)))) {
      parts.push(`${protocol} all`);
      continue;
    }
    const named = [
      ...new Set(mine.filter((p) => mentioned.size === 0 || mentioned.has(probeId(p))).map((p) => p.port)),
    ].sort((a, b) => a - b);
    const other = mine.some((p) => mentioned.size > 0 && !mentioned.has(probeId(p)));
    const shown = named.slice(0, max).map(String);
    if (named.length > max) shown.push(`+${named.length - max}`);
    if (other) shown.push('other');
    parts.push(`${protocol} ${shown.join(', ')}`);
  }
  return parts.join(' · ');
}

const peerKey = (peer: Peer): string =>
  peer.kind === 'pod' ? `${peer.namespace}/${peer.name}` : `@${peer.ip}`;

function peerNode(peer: Peer, graph: GraphModel): string | undefined {
  if (peer.kind === 'pod') return graph.nodeOfPod.get(`${peer.namespace}/${peer.name}`);
  return externalNodeFor(peer.ip, graph.externals);
}

function namespaceOf(node: string, graph: GraphModel, podNs: ReadonlyMap<string, string>): string {
  return podNs.has(node) ? namespaceNodeId(podNs.get(node) ?? '') : node;
}

export interface BuildOptions {
  readonly maxEdges?: number;
  readonly subjects?: readonly Peer[];
  readonly labels?: boolean;
}

/** Merges connections into edges (per node pair and class, or per namespace pair when too many). */
export function buildOverlay(
  connections: readonly OverlayConnection[],
  graph: GraphModel,
  ctx: PortContext,
  options: BuildOptions = {},
): Overlay {
  const maxEdges = options.maxEdges ?? 48;
  const extraNodes = new Map<string, ExtraNode>();
  // Peers repeat (once per port, and per merging level): resolve each once.
  const resolved = new Map<string, string | undefined>();
  const resolve = (peer: Peer): string | undefined => {
    const key = peerKey(peer);
    if (resolved.has(key)) return resolved.get(key);
    let node = peerNode(peer, graph);
    if (node === undefined && peer.kind !== 'pod') {
      node = `ext:addr:${peer.ip}`;
      extraNodes.set(node, { id: node, label: peer.ip });
    }
    resolved.set(key, node);
    return node;
  };
  // Which namespace each pod/workload node sits in (for namespace-level merging).
  const podNs = new Map<string, string>();
  for (const [key, node] of graph.nodeOfPod) podNs.set(node, key.slice(0, key.indexOf('/')));

  interface Group {
    readonly source: string;
    readonly target: string;
    readonly cls: EdgeClass;
    readonly probes: PortProbe[];
    count: number;
    volume: number;
    readonly pairs: Set<string>;
  }
  const subjects = new Set<string>();
  for (const peer of options.subjects ?? []) {
    const node = resolve(peer);
    if (node !== undefined) subjects.add(node);
  }
  const subjectNamespaces = new Set([...subjects].map((n) => namespaceOf(n, graph, podNs)));
  const group = (level: OverlayLevel): { groups: Map<string, Group>; hidden: number } => {
    const groups = new Map<string, Group>();
    let hidden = 0;
    // At the peer level a peer in a subject's own namespace stays a pod: an edge from a namespace box
    // to a pod inside it reads badly.
    const lift = (node: string): string => {
      if (level === 'pod') return node;
      const ns = namespaceOf(node, graph, podNs);
      if (level === 'peer' && (subjects.has(node) || subjectNamespaces.has(ns))) return node;
      return ns;
    };
    for (const c of connections) {
      const from = resolve(c.from);
      const to = resolve(c.to);
      if (from === undefined || to === undefined) {
        hidden++;
        continue;
      }
      // Counted per pair of ends (pods or addresses), whatever nodes stand for them.
      const pair = `${peerKey(c.from)}>${peerKey(c.to)}`;
      const source = lift(from);
      const target = lift(to);
      const key = `${c.cls}|${source}|${target}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = { source, target, cls: c.cls, probes: [], count: 0, volume: 0, pairs: new Set() };
        groups.set(key, g);
      }
      g.count++;
      g.volume += c.weight ?? 1;
      g.pairs.add(pair);
      if (!g.probes.some((p) => p.port === c.probe.port && p.protocol === c.probe.protocol))
        g.probes.push(c.probe);
    }
    return { groups, hidden };
  };

  const levels: OverlayLevel[] = subjects.size > 0 ? ['pod', 'peer', 'namespace'] : ['pod', 'namespace'];
  // Each class merges only as far as it must: a policy's few allowed peers stay pods (who may
  // connect, by name) while its hundreds of denied pairs merge per namespace. Classes that matter
  // most choose first, from what the budget has left.
  const byLevel = new Map<OverlayLevel, { groups: Map<string, Group>; hidden: number }>();
  const at = (l: OverlayLevel): { groups: Map<string, Group>; hidden: number } => {
    let r = byLevel.get(l);
    if (r === undefined) {
      r = group(l);
      byLevel.set(l, r);
    }
    return r;
  };
  const countOf = (l: OverlayLevel, cls: EdgeClass): number => {
    let n = 0;
    for (const g of at(l).groups.values()) if (g.cls === cls) n++;
    return n;
  };
  const present = CLASS_ORDER.filter((cls) => connections.some((c) => c.cls === cls));
  const classLevels: Partial<Record<EdgeClass, OverlayLevel>> = {};
  const chosen: Group[] = [];
  let used = 0;
  for (const cls of present) {
    const room = Math.max(maxEdges - used, MIN_CLASS_EDGES);
    const fine = levels.find((l) => countOf(l, cls) <= room) ?? levels[levels.length - 1] ?? 'namespace';
    classLevels[cls] = fine;
    for (const g of at(fine).groups.values()) if (g.cls === cls) chosen.push(g);
    used += countOf(fine, cls);
  }
  const rank = (l: OverlayLevel): number => levels.indexOf(l);
  const level = Object.values(classLevels).reduce<OverlayLevel>(
    (coarsest, l) => (rank(l) > rank(coarsest) ? l : coarsest),
    'pod',
  );
  const result = { groups: new Map(chosen.map((g, i) => [String(i), g])), hidden: at('pod').hidden };
  const focus = new Set<string>(subjects);
  const reveal = new Set<string>(subjects);
  const edges: ElementDefinition[] = [];
  const showLabels = options.labels ?? result.groups.size <= MAX_LABELLED_EDGES;
  const labelTexts = new Set<string>();
  for (const g of result.groups.values()) {
    focus.add(g.source);
    focus.add(g.target);
    if (g.cls !== 'denied') {
      reveal.add(g.source);
      reveal.add(g.target);
    }
    const ports = formatPorts(g.probes, ctx);
    const label =
      g.pairs.size > 1 ? `${g.pairs.size} ${g.pairs.size === 1 ? 'pair' : 'pairs'} · ${ports}` : ports;
    labelTexts.add(label);
    edges.push({
      group: 'edges',
      data: {
        id: `e:${g.cls}:${g.source}->${g.target}`,
        source: g.source,
        target: g.target,
        label: showLabels ? label : '',
        title: label,
        cls: g.cls,
        count: g.count,
        volume: g.volume,
        pairs: g.pairs.size,
      },
      classes: ['overlay', g.cls, g.pairs.size > 1 ? 'aggregate' : '', g.source === g.target ? 'loop' : '']
        .filter(Boolean)
        .join(' '),
    });
  }
  return {
    edges,
    focus,
    subjects,
    extraNodes: [...extraNodes.values()],
    level,
    classLevels,
    reveal: reveal.size > subjects.size ? reveal : focus,
    hidden: result.hidden,
    connections: connections.length,
    ...(showLabels
      ? {}
      : {
          labels: {
            shown: false as const,
            ...(labelTexts.size === 1 ? { shared: [...labelTexts][0] ?? '' } : {}),
          },
        }),
  };
}

const podPeer = (key: string): Peer => {
  const slash = key.indexOf('/');
  return { kind: 'pod', namespace: key.slice(0, slash), name: key.slice(slash + 1) };
};

/**
 * A policy's connections: permitted (flowing, or blocked by the other side), denied, and for an
 * admin-tier policy passed on to the next tier; its subjects ringed.
 */
export function policyOverlay(effect: PolicyEffect, graph: GraphModel, ctx: PortContext): Overlay {
  const conns: OverlayConnection[] = [];
  const add = (list: PolicyEffect['denied'], cls: EdgeClass): void => {
    for (const c of list)
      conns.push({ from: c.from, to: c.to, cls, probe: { protocol: c.protocol, port: c.port } });
  };
  add(effect.permittedFlowing, 'flowing');
  add(effect.permittedBlocked, 'blocked');
  add(effect.denied, 'denied');
  add(effect.passed, 'passed');
  add(effect.unknown, 'unknown');
  return buildOverlay(conns, graph, ctx, { subjects: effect.selects.map(podPeer) });
}

export function podOverlay(view: PodView, graph: GraphModel, ctx: PortContext): Overlay {
  const self = podPeer(view.pod);
  const conns: OverlayConnection[] = [];
  for (const a of view.inbound) {
    for (const i of a.allowed)
      conns.push({ from: a.peer, to: self, cls: 'allowed', probe: view.ports[i] as PortProbe });
    for (const i of a.unknown)
      conns.push({ from: a.peer, to: self, cls: 'unknown', probe: view.ports[i] as PortProbe });
  }
  for (const a of view.outbound) {
    for (const i of a.allowed)
      conns.push({ from: self, to: a.peer, cls: 'allowed', probe: view.ports[i] as PortProbe });
    for (const i of a.unknown)
      conns.push({ from: self, to: a.peer, cls: 'unknown', probe: view.ports[i] as PortProbe });
  }
  return buildOverlay(conns, graph, ctx, { subjects: [self] });
}

export function checkOverlay(verdict: ConnectionVerdict, graph: GraphModel, ctx: PortContext): Overlay {
  const cls: EdgeClass =
    verdict.verdict === 'allowed'
      ? 'path-allowed'
      : verdict.verdict === 'denied'
        ? 'path-denied'
        : verdict.verdict === 'conditional'
          ? 'path-conditional'
          : 'path-unknown';
  const q = verdict.query;
  return buildOverlay(
    [{ from: q.from, to: q.to, cls, probe: { protocol: q.protocol, port: q.port } }],
    graph,
    ctx,
    {
      subjects: [q.from, q.to],
      labels: true,
    },
  );
}

export function cellOverlay(cell: CellPairs, graph: GraphModel, ctx: PortContext): Overlay {
  const conns: OverlayConnection[] = [];
  for (const p of cell.pairs) {
    for (const i of p.allowed)
      conns.push({
        from: podPeer(p.from),
        to: podPeer(p.to),
        cls: 'allowed',
        probe: cell.ports[i] as PortProbe,
      });
    for (const i of p.unknown)
      conns.push({
        from: podPeer(p.from),
        to: podPeer(p.to),
        cls: 'unknown',
        probe: cell.ports[i] as PortProbe,
      });
  }
  return buildOverlay(conns, graph, ctx, {});
}

/**
 * The policy editor's what-if: connections the drafts add (drawn like flowing, green) and remove
 * (drawn like denied, red), each edge also classed `whatif-added` / `whatif-removed`.
 */
export function whatIfOverlay(
  changes: { readonly added: readonly ConnectionRef[]; readonly removed: readonly ConnectionRef[] },
  graph: GraphModel,
  ctx: PortContext,
): Overlay {
  const conns: OverlayConnection[] = [];
  for (const c of changes.added)
    conns.push({ from: c.from, to: c.to, cls: 'flowing', probe: { protocol: c.protocol, port: c.port } });
  for (const c of changes.removed)
    conns.push({ from: c.from, to: c.to, cls: 'denied', probe: { protocol: c.protocol, port: c.port } });
  const overlay = buildOverlay(conns, graph, ctx, {});
  const edges = overlay.edges.map((e) => {
    const change = (e.data as { cls?: string }).cls === 'flowing' ? 'added' : 'removed';
    const base = Array.isArray(e.classes) ? e.classes.join(' ') : (e.classes ?? '');
    return { ...e, data: { ...e.data, change }, classes: `${base} whatif-${change}` };
  });
  return { ...overlay, edges };
}

/** The pods a policy selects (its namespace's pods its pod selector matches), from the snapshot alone. */
export function policySubjects(snapshot: Snapshot, key: string): string[] {
  const policy = snapshot.policies.find((p) => podKey(p) === key);
  if (policy === undefined) return [];
  return snapshot.pods
    .filter((p) => p.namespace === policy.namespace && selectorMatches(policy.podSelector, p.labels))
    .map(podKey)
    .sort();
}

/**
 * What a selection shows before the worker's answer arrives (progressive reveal): its subjects ringed,
 * at once, without edges. The answer then adds the edges and the peers.
 */
export function previewOverlay(subjects: readonly string[], graph: GraphModel): Overlay {
  const nodes = new Set<string>();
  for (const key of subjects) {
    const node = graph.nodeOfPod.get(key);
    if (node !== undefined) nodes.add(node);
  }
  return { ...EMPTY_OVERLAY, focus: nodes, subjects: nodes };
}

const CLASS_NAMES: Partial<Record<EdgeClass, string>> = {
  flowing: 'allowed',
  allowed: 'allowed',
  blocked: 'blocked',
  denied: 'denied',
  passed: 'passed',
  unknown: 'unknown',
};

/** `denied merged per namespace`: which classes' edges stand for many pairs, for the stats line. */
export function describeMerging(overlay: Overlay): string {
  const parts: string[] = [];
  for (const cls of CLASS_ORDER) {
    const level = overlay.classLevels?.[cls];
    if (level === undefined || level === 'pod') continue;
    const name = CLASS_NAMES[cls] ?? 'path';
    const what = level === 'peer' ? `${name} peers` : name;
    const part = `${what} merged per namespace`;
    if (!parts.includes(part)) parts.push(part);
  }
  return parts.join(', ');
}
