/**
 * Snapshot → cytoscape nodes: namespaces as compound nodes with their pods (or groups of replicas)
 * inside, and the addresses outside the cluster that policies name. Pure, so the graph's content is
 * unit-tested without a canvas. Edges are never drawn for every pair: graph/overlay.ts draws those of
 * the current selection only.
 */
import type { ElementDefinition } from 'cytoscape';
import { parseAddress, parseCidr, type AddressRange } from '../../../shared/eval/ip.ts';
import {
  podKey,
  type IPBlock,
  type LabelSelector,
  type Pod,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import type { PodBadge } from '../analysis/protocol.ts';
import { compareNamespaces, namespaceColors, podDisplayName } from '../model/summary.ts';

export const namespaceNodeId = (name: string): string => `ns:${name}`;
export const podNodeId = (key: string): string => `pod:${key}`;
export const workloadNodeId = (id: string): string => `wl:${id}`;
export const EXTERNAL_GROUP_ID = 'ext-group';
export const ANY_ADDRESS_ID = 'ext:any';
export const ipBlockNodeId = (key: string): string => `ext:${key}`;

export type GraphNodeKind = 'namespace' | 'pod' | 'workload' | 'external' | 'external-group';

export interface GraphNodeData {
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly label: string;
  readonly parent?: string;
  /** Namespace name, pod key, workload id, or ipBlock key ('any' for every address). */
  readonly ref: string;
  readonly color: number;
  /** A collapsed namespace's height on the canvas (it grows with its pod count). */
  readonly size?: number;
}

/**
 * How tall a collapsed namespace is drawn: room for its name and count, plus a little per pod, so a
 * 40-pod namespace stands out from a 5-pod one in the overview; past 100 pods it grows more slowly.
 */
export function collapsedHeight(pods: number): number {
  const base = 84;
  if (pods <= 100) return base + pods;
  return base + 100 + 5 * Math.sqrt(pods - 100);
}

/** An address range a policy names: a node outside the cluster. */
export interface ExternalNode {
  readonly id: string;
  /** `cidr` or `cidr except a, b`; 'any' for the any-address node. */
  readonly key: string;
  readonly block: IPBlock | undefined;
  readonly range: AddressRange | undefined;
  readonly except: readonly AddressRange[];
  readonly label: string;
}

export interface WorkloadGroup {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly pods: readonly string[];
}

export interface GraphOptions {
  /** Namespaces left out. */
  readonly hidden?: ReadonlySet<string>;
  /** Collapse replicas of one workload with the same labels into one node. */
  readonly group?: boolean;
  /** Groups shown as their pods anyway. */
  readonly expanded?: ReadonlySet<string>;
  readonly badges?: Readonly<Record<string, PodBadge>>;
  /** Per namespace: shown as one node (true) or with its pods (false), whatever `collapseAbove` says. */
  readonly collapse?: Readonly<Record<string, boolean>>;
  /**
   * Node budget: when the graph would have more pod/workload nodes than this, the biggest namespaces are
   * collapsed into one node each until it fits. Default `COLLAPSE_BUDGET`; `Infinity` never collapses.
   */
  readonly collapseAbove?: number;
}

/** Pod/workload nodes the graph shows before it collapses namespaces (see `GraphOptions`). */
export const COLLAPSE_BUDGET = 600;
/** A namespace with more nodes than this is collapsed whenever anything is. */
export const COLLAPSE_NAMESPACE_NODES = 60;

export interface GraphModel {
  readonly elements: ElementDefinition[];
  /** The node that stands for a pod (its own, or its group's); absent when its namespace is hidden. */
  readonly nodeOfPod: ReadonlyMap<string, string>;
  readonly workloads: ReadonlyMap<string, WorkloadGroup>;
  readonly externals: readonly ExternalNode[];
  readonly namespaces: readonly string[];
  /** Namespaces drawn as one node (their pods' `nodeOfPod` is that node). */
  readonly collapsed: ReadonlySet<string>;
}

/**
 * Which namespaces to collapse: none while the nodes fit `budget`; otherwise every namespace bigger
 * than `COLLAPSE_NAMESPACE_NODES`, then the biggest others (ties by name) until the rest fits. The
 * user's choices (`overrides`) win, and a namespace the user opened does not count against the
 * budget: opening one must not collapse others elsewhere. Pure and deterministic.
 */
export function collapsedNamespaces(
  nodesPerNamespace: ReadonlyMap<string, number>,
  budget: number,
  overrides: Readonly<Record<string, boolean>> = {},
): Set<string> {
  const collapsed = new Set<string>();
  for (const [ns, c] of Object.entries(overrides)) if (c && nodesPerNamespace.has(ns)) collapsed.add(ns);
  let total = 0;
  for (const [ns, n] of nodesPerNamespace) if (overrides[ns] !== false) total += collapsed.has(ns) ? 1 : n;
  if (total <= budget) return collapsed;
  const candidates = [...nodesPerNamespace]
    .filter(([ns, n]) => overrides[ns] === undefined && n > 1)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  for (const [ns, n] of candidates) {
    if (total <= budget && n <= COLLAPSE_NAMESPACE_NODES) break;
    collapsed.add(ns);
    total -= n - 1;
  }
  return collapsed;
}

/**
 * A namespace's isolation as one badge: a direction counts as isolated when every pod's is; the tier
 * mark shows when an admin-tier policy applies to some pod (Admin over Baseline).
 */
export function mergeBadges(badges: readonly (PodBadge | undefined)[]): PodBadge | undefined {
  const known = badges.filter((b): b is PodBadge => b !== undefined && !b.hostNetwork);
  if (known.length === 0) return undefined;
  const merge = (side: 'ingress' | 'egress'): boolean | 'unknown' =>
    known.some((b) => b[side] === false)
      ? false
      : known.some((b) => b[side] === 'unknown')
        ? 'unknown'
        : true;
  const merged: PodBadge = { ingress: merge('ingress'), egress: merge('egress'), hostNetwork: false };
  const admin = known.filter((b) => b.admin !== undefined);
  if (admin.length === 0) return merged;
  const union = (side: 'ingress' | 'egress'): string[] => [
    ...new Set(admin.flatMap((b) => b.admin?.[side] ?? [])),
  ];
  return {
    ...merged,
    admin: {
      ingress: union('ingress'),
      egress: union('egress'),
      tier: admin.some((b) => b.admin?.tier === 'Admin') ? 'Admin' : 'Baseline',
    },
  };
}

/** Labels that tell replicas of one workload apart and nothing else. */
const PER_POD_LABELS = new Set(['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

/** The pod label keys some policy's pod selector (its subject or a peer, admin tiers too) looks at. */
export function selectorKeys(snapshot: Snapshot): Set<string> {
  const keys = new Set<string>();
  const add = (selector: LabelSelector | undefined): void => {
    if (selector === undefined) return;
    for (const k of Object.keys(selector.matchLabels)) keys.add(k);
    for (const e of selector.matchExpressions) keys.add(e.key);
  };
  for (const policy of snapshot.policies) {
    add(policy.podSelector);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers === 'any') continue;
      for (const peer of rule.peers) if (peer.kind === 'selector') add(peer.podSelector);
    }
  }
  for (const policy of snapshot.clusterPolicies) {
    if (policy.subject.kind === 'pods') add(policy.subject.podSelector);
    for (const rule of [...policy.ingress, ...policy.egress])
      for (const peer of rule.peers) if (peer.kind === 'pods') add(peer.podSelector);
  }
  return keys;
}

/**
 * Which group of replicas a pod belongs to: its owner, and its labels. With `keys`, only the labels
 * some selector looks at count (pods that differ elsewhere are treated alike by every policy), except
 * per-pod labels such as a StatefulSet pod's name, which never count.
 */
export function workloadKey(pod: Pod, keys?: ReadonlySet<string>): string | undefined {
  if (pod.owner === undefined) return undefined;
  const labels = Object.entries(pod.labels)
    .filter(([k]) => (keys === undefined || keys.has(k)) && !PER_POD_LABELS.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${pod.namespace}/${pod.owner.kind}/${pod.owner.name}#${JSON.stringify(labels)}`;
}

export function ipBlockKey(block: IPBlock): string {
  return block.except.length === 0
    ? block.cidr
    : `${block.cidr} except ${[...block.except].sort().join(', ')}`;
}

/**
 * The ipBlocks the policies reference (and admin rules' `networks`), and whether some rule allows every
 * address (no peer list).
 */
export function externalNodes(snapshot: Snapshot): ExternalNode[] {
  const blocks = new Map<string, IPBlock>();
  let anyPeer = false;
  for (const policy of snapshot.clusterPolicies) {
    for (const rule of policy.egress)
      for (const peer of rule.peers)
        if (peer.kind === 'networks') for (const cidr of peer.cidrs) blocks.set(cidr, { cidr, except: [] });
  }
  for (const policy of snapshot.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.peers === 'any') {
        anyPeer = true;
        continue;
      }
      for (const peer of rule.peers)
        if (peer.kind === 'ipBlock') blocks.set(ipBlockKey(peer.ipBlock), peer.ipBlock);
    }
  }
  const nodes: ExternalNode[] = [...blocks.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([key, block]) => ({
      id: ipBlockNodeId(key),
      key,
      block,
      range: parseCidr(block.cidr),
      except: block.except.map(parseCidr).filter((r): r is AddressRange => r !== undefined),
      label: block.except.length === 0 ? block.cidr : `${block.cidr}\nexcept ${block.except.length}`,
    }));
  if (anyPeer || nodes.length > 0) {
    nodes.push({
      id: ANY_ADDRESS_ID,
      key: 'any',
      block: undefined,
      range: undefined,
      except: [],
      label: 'Any address',
    });
  }
  return nodes;
}

const within = (value: bigint, range: AddressRange): boolean => value >= range.start && value <= range.end;

/** The external node an address belongs to: the narrowest ipBlock holding it, else "any address". */
export function externalNodeFor(ip: string, externals: readonly ExternalNode[]): string | undefined {
  const value = parseAddress(ip);
  let best: ExternalNode | undefined;
  let bestSize = 0n;
  if (value !== undefined) {
    for (const node of externals) {
      if (node.range === undefined || !within(value, node.range)) continue;
      if (node.except.some((r) => within(value, r))) continue;
      const size = node.range.end - node.range.start;
      if (best === undefined || size < bestSize) {
        best = node;
        bestSize = size;
      }
    }
  }
  if (best !== undefined) return best.id;
  return externals.some((n) => n.id === ANY_ADDRESS_ID) ? ANY_ADDRESS_ID : undefined;
}

/**
 * Classes for a pod's isolation: semantic ones (`iso-in`, `iso-out`, `iso-unknown`, `unprotected`,
 * `tier-admin` / `tier-baseline`) and one `badge-*` class that picks the badge image (cytoscape selectors
 * have no `:not`). A pod an admin-tier policy applies to is not "unprotected" even when no
 * NetworkPolicy isolates it: its open squares are drawn plain rather than amber.
 */
export function badgeClasses(badge: PodBadge | undefined): string[] {
  if (badge === undefined || badge.hostNetwork) return [];
  const classes: string[] = [];
  if (badge.ingress === true) classes.push('iso-in');
  if (badge.egress === true) classes.push('iso-out');
  const unknown = badge.ingress === 'unknown' || badge.egress === 'unknown';
  if (unknown) classes.push('iso-unknown');
  const admin = badge.admin !== undefined;
  if (admin) classes.push(badge.admin?.tier === 'Admin' ? 'tier-admin' : 'tier-baseline');
  if (badge.ingress === false && badge.egress === false && !admin) classes.push('unprotected');
  const inn = badge.ingress === true;
  const out = badge.egress === true;
  classes.push(
    inn && out
      ? 'badge-both'
      : inn
        ? unknown
          ? 'badge-in-unknown'
          : 'badge-in'
        : out
          ? unknown
            ? 'badge-out-unknown'
            : 'badge-out'
          : unknown
            ? 'badge-unknown'
            : admin
              ? 'badge-idle'
              : 'badge-open',
  );
  return classes;
}

export function buildGraph(snapshot: Snapshot, options: GraphOptions = {}): GraphModel {
  const hidden = options.hidden ?? new Set<string>();
  const colors = namespaceColors(snapshot);
  const elements: ElementDefinition[] = [];
  const namespaces = [...snapshot.namespaces]
    .sort((a, b) => compareNamespaces(a.name, b.name))
    .filter((ns) => !hidden.has(ns.name));

  const pods = snapshot.pods
    .filter((p) => !hidden.has(p.namespace))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const groups = new Map<string, Pod[]>();
  if (options.group === true) {
    const keys = selectorKeys(snapshot);
    for (const pod of pods) {
      const key = workloadKey(pod, keys);
      if (key === undefined) continue;
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [pod]);
      else list.push(pod);
    }
  }
  // Leaf nodes per namespace, before deciding which namespaces to collapse.
  interface Leaf {
    readonly def: ElementDefinition;
    readonly pods: readonly string[];
  }
  const leaves = new Map<string, Leaf[]>();
  for (const ns of namespaces) leaves.set(ns.name, []);
  // In creation order (groups, then pods by name), which the layouts see.
  const ordered: { readonly ns: string; readonly leaf: Leaf }[] = [];
  const add = (ns: string, leaf: Leaf): void => {
    ordered.push({ ns, leaf });
    const list = leaves.get(ns);
    if (list === undefined) leaves.set(ns, [leaf]);
    else list.push(leaf);
  };
  const workloads = new Map<string, WorkloadGroup>();
  const grouped = new Set<Pod>();
  for (const [id, members] of groups) {
    if (members.length < 2 || options.expanded?.has(id) === true) continue;
    const first = members[0] as Pod;
    const name = first.owner?.name ?? first.name;
    const group: WorkloadGroup = { id, namespace: first.namespace, name, pods: members.map(podKey) };
    workloads.set(id, group);
    const color = colors.get(first.namespace) ?? 0;
    const data: GraphNodeData = {
      id: workloadNodeId(id),
      kind: 'workload',
      label: `${name}\n${members.length} pods`,
      parent: namespaceNodeId(first.namespace),
      ref: id,
      color,
    };
    const classes = [
      'pod',
      'workload',
      `ns-color-${color}`,
      ...badgeClasses(options.badges?.[podKey(first)]),
    ];
    add(first.namespace, {
      def: { group: 'nodes', data: { ...data }, classes: classes.join(' ') },
      pods: group.pods,
    });
    for (const m of members) grouped.add(m);
  }
  for (const pod of pods) {
    if (grouped.has(pod)) continue;
    const key = podKey(pod);
    const name = podDisplayName(pod);
    const color = colors.get(pod.namespace) ?? 0;
    const data: GraphNodeData = {
      id: podNodeId(key),
      kind: 'pod',
      label: name.secondary === '' ? name.primary : `${name.primary}\n${name.secondary}`,
      parent: namespaceNodeId(pod.namespace),
      ref: key,
      color,
    };
    const classes = ['pod', `ns-color-${color}`, ...badgeClasses(options.badges?.[key])];
    if (pod.hostNetwork) classes.push('host-network');
    if (pod.phase !== undefined && pod.phase !== 'Running') classes.push('not-running');
    add(pod.namespace, {
      def: { group: 'nodes', data: { ...data }, classes: classes.join(' ') },
      pods: [key],
    });
  }

  const collapsed = collapsedNamespaces(
    new Map([...leaves].map(([ns, list]) => [ns, list.length])),
    options.collapseAbove ?? COLLAPSE_BUDGET,
    options.collapse,
  );
  const nodeOfPod = new Map<string, string>();
  const shownNamespaces = new Set(namespaces.map((n) => n.name));
  const namespaceNames = [
    ...namespaces.map((n) => n.name),
    // Pods of namespaces the snapshot does not declare still get their box.
    ...[...leaves.keys()].filter((n) => !shownNamespaces.has(n)).sort(compareNamespaces),
  ];
  for (const ns of namespaceNames) {
    const list = leaves.get(ns) ?? [];
    const id = namespaceNodeId(ns);
    const color = colors.get(ns) ?? 0;
    const data: GraphNodeData = { id, kind: 'namespace', label: ns, ref: ns, color };
    if (!collapsed.has(ns)) {
      if (shownNamespaces.has(ns))
        elements.push({ group: 'nodes', data: { ...data }, classes: `namespace ns-color-${color}` });
      continue;
    }
    let count = 0;
    for (const leaf of list) {
      count += leaf.pods.length;
      for (const key of leaf.pods) nodeOfPod.set(key, id);
    }
    const badge = mergeBadges(list.flatMap((l) => l.pods.map((k) => options.badges?.[k])));
    const classes = ['namespace', 'collapsed', `ns-color-${color}`, ...badgeClasses(badge)];
    elements.push({
      group: 'nodes',
      data: {
        ...data,
        label: `${ns}\n${count} ${count === 1 ? 'pod' : 'pods'}`,
        size: Math.round(collapsedHeight(count)),
      },
      classes: classes.join(' '),
    });
  }
  for (const [wid, w] of workloads) if (collapsed.has(w.namespace)) workloads.delete(wid);
  for (const { ns, leaf } of ordered) {
    if (collapsed.has(ns)) continue;
    elements.push(leaf.def);
    for (const key of leaf.pods) nodeOfPod.set(key, String(leaf.def.data.id));
  }

  const externals = externalNodes(snapshot);
  if (externals.length > 0) {
    const group: GraphNodeData = {
      id: EXTERNAL_GROUP_ID,
      kind: 'external-group',
      label: 'Outside the cluster',
      ref: '',
      color: 0,
    };
    elements.push({ group: 'nodes', data: { ...group }, classes: 'external-group' });
    for (const ext of externals) {
      const data: GraphNodeData = {
        id: ext.id,
        kind: 'external',
        label: ext.label,
        parent: EXTERNAL_GROUP_ID,
        ref: ext.key,
        color: 0,
      };
      elements.push({
        group: 'nodes',
        data: { ...data },
        classes: ext.id === ANY_ADDRESS_ID ? 'external any-address' : 'external',
      });
    }
  }
  return {
    elements,
    nodeOfPod,
    workloads,
    externals,
    namespaces: namespaces.map((n) => n.name),
    collapsed,
  };
}

export function buildElements(snapshot: Snapshot, options: GraphOptions = {}): ElementDefinition[] {
  return buildGraph(snapshot, options).elements;
}
