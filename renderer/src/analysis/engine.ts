/**
 * What the analysis worker does, as plain functions so unit tests run it in-process: keeps one
 * `Analyzer` for the current snapshot (created on the first, then `update(deltas)` for later ones when
 * the change is small) and answers the requests of protocol.ts.
 */
import { denialOf } from '../../../shared/eval/denial.ts';
import { openPorts } from '../../../shared/eval/open-ports.ts';
import { selectorMatches } from '../../../shared/eval/selector.ts';
import { parseLabelQuery } from './label-query.ts';
import {
  AnalysisError,
  createAnalyzer,
  type Analyzer,
  type Peer,
  type PortProbe,
  type SnapshotDelta,
} from '../../../shared/eval/index.ts';
import { applySnapshotChange, type SnapshotChange } from '../../../shared/model/delta.ts';
import {
  clusterPolicyKey,
  isCalicoPolicyKey,
  isCiliumPolicyKey,
  podKey,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import type {
  AnalysisMethod,
  AnalysisMethods,
  AnalysisRequest,
  AnalysisResponse,
  CellPairs,
  LabelMatch,
  LoadResult,
  PairAccess,
  PeerAccess,
  PodBadge,
  PodView,
} from './protocol.ts';

/** Above this many changed objects a fresh analyzer is cheaper than applying deltas. */
export const MAX_DELTAS = 200;
/**
 * Peers per `reach` call when probing one pod against all others: the table is quadratic in it, so
 * small chunks win (8 is ~2× faster than 96 on 10,000 pods; the per-call overhead is small).
 */
const CHUNK = 8;

/**
 * The changes from one snapshot to the next, by object identity (namespace/name; an admin policy by its
 * `clusterPolicyKey`) and content.
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDelta[] {
  const deltas: SnapshotDelta[] = [];
  const diff = <T extends { readonly name: string }>(
    a: readonly T[],
    b: readonly T[],
    key: (item: T) => string,
    upsert: (item: T) => SnapshotDelta,
    remove: (item: T) => SnapshotDelta,
  ): void => {
    const old = new Map(a.map((item) => [key(item), item]));
    for (const item of b) {
      const prev = old.get(key(item));
      old.delete(key(item));
      if (prev === undefined || JSON.stringify(prev) !== JSON.stringify(item)) deltas.push(upsert(item));
    }
    for (const item of old.values()) deltas.push(remove(item));
  };
  // Namespaces first (pods and policies refer to them), removals of namespaces last.
  const nsDeltas: SnapshotDelta[] = [];
  const oldNs = new Map(before.namespaces.map((n) => [n.name, n]));
  for (const ns of after.namespaces) {
    const prev = oldNs.get(ns.name);
    oldNs.delete(ns.name);
    if (prev === undefined || JSON.stringify(prev) !== JSON.stringify(ns))
      nsDeltas.push({ kind: 'upsertNamespace', namespace: ns });
  }
  deltas.push(...nsDeltas);
  diff(
    before.pods,
    after.pods,
    podKey,
    (pod) => ({ kind: 'upsertPod', pod }),
    (pod) => ({ kind: 'removePod', namespace: pod.namespace, name: pod.name }),
  );
  diff(
    before.policies,
    after.policies,
    podKey,
    (policy) => ({ kind: 'upsertPolicy', policy }),
    (policy) => ({ kind: 'removePolicy', namespace: policy.namespace, name: policy.name }),
  );
  diff(
    before.clusterPolicies,
    after.clusterPolicies,
    clusterPolicyKey,
    (policy) => ({ kind: 'upsertClusterPolicy', policy }),
    (policy) => ({ kind: 'removeClusterPolicy', key: clusterPolicyKey(policy) }),
  );
  for (const ns of oldNs.values()) deltas.push({ kind: 'removeNamespace', name: ns.name });
  return deltas;
}

/**
 * Whether `b` can be reached from `a` by the deltas `diffSnapshots` derives. It derives none for
 * Cilium and Calico objects (the evaluator compiles those whole) or for the CNI profile, so a change
 * to any of them needs a fresh analyzer.
 */
function sameSourceSettings(a: Snapshot, b: Snapshot): boolean {
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  return (
    same(a.source, b.source) &&
    same(a.visibility, b.visibility) &&
    same(a.cni, b.cni) &&
    same(a.ciliumPolicies, b.ciliumPolicies) &&
    same(a.calicoPolicies, b.calicoPolicies) &&
    same(a.calicoTiers, b.calicoTiers) &&
    same(a.calicoNetworkSets, b.calicoNetworkSets)
  );
}

const podPeer = (key: string): Peer => {
  const slash = key.indexOf('/');
  return { kind: 'pod', namespace: key.slice(0, slash), name: key.slice(slash + 1) };
};

export const peerId = (peer: Peer): string =>
  peer.kind === 'pod' ? `${peer.namespace}/${peer.name}` : peer.ip;

export interface AnalysisEngine {
  handle(request: AnalysisRequest): AnalysisResponse;
  /** The snapshot the answers are about, and its revision (the what-if handler reads it). */
  current(): { readonly snapshot: Snapshot; readonly revision: number } | undefined;
  /** For tests: the analyzer of the current snapshot. */
  analyzer(): Analyzer | undefined;
}

export function createAnalysisEngine(now: () => number = () => performance.now()): AnalysisEngine {
  let analyzer: Analyzer | undefined;
  let snapshot: Snapshot | undefined;
  let revision = -1;

  function need(): Analyzer {
    if (analyzer === undefined) throw new AnalysisError('No snapshot has been analysed yet.');
    return analyzer;
  }

  function load(next: Snapshot, nextRevision: number): LoadResult {
    const start = now();
    let mode: LoadResult['mode'] = 'initial';
    let deltaCount = 0;
    if (analyzer !== undefined && snapshot !== undefined && sameSourceSettings(snapshot, next)) {
      const deltas = diffSnapshots(snapshot, next);
      deltaCount = deltas.length;
      if (deltas.length === 0) mode = 'incremental';
      else if (deltas.length <= MAX_DELTAS) mode = analyzer.update(deltas).mode;
      else {
        analyzer = createAnalyzer(next);
        mode = 'replace';
      }
    } else {
      if (analyzer !== undefined) mode = 'replace';
      analyzer = createAnalyzer(next);
    }
    return loaded(next, nextRevision, mode, deltaCount, start);
  }

  /**
   * A live change to the current snapshot: the deltas go to the analyzer as they are, never
   * re-derived by comparing snapshots. It must follow the revision the engine holds.
   */
  function update(change: SnapshotChange, nextRevision: number): LoadResult {
    const start = now();
    if (analyzer === undefined || snapshot === undefined || nextRevision !== revision + 1)
      throw new AnalysisError(
        `A change to revision ${nextRevision} needs revision ${nextRevision - 1}; the worker has ${revision}.`,
      );
    const next = applySnapshotChange(snapshot, change);
    let mode: LoadResult['mode'];
    // A Cilium policy change is compiled whole by a fresh analyzer (see sameSourceSettings); matched
    // by name so this holds whichever Cilium delta kinds the model has.
    const cilium = change.deltas.some((d) => d.kind.includes('Cilium'));
    if (change.deltas.length <= MAX_DELTAS && !cilium) mode = analyzer.update(change.deltas).mode;
    else {
      analyzer = createAnalyzer(next);
      mode = 'replace';
    }
    // Pod changes move no other pod's isolation: only the pods they name get new badges.
    const podsOnly =
      mode !== 'replace' && change.deltas.every((d) => d.kind === 'upsertPod' || d.kind === 'removePod');
    const touched = podsOnly
      ? new Set(
          change.deltas.map((d) =>
            d.kind === 'upsertPod' ? podKey(d.pod) : d.kind === 'removePod' ? podKey(d) : '',
          ),
        )
      : undefined;
    return loaded(next, nextRevision, mode, change.deltas.length, start, touched);
  }

  function loaded(
    next: Snapshot,
    nextRevision: number,
    mode: LoadResult['mode'],
    deltaCount: number,
    start: number,
    touched?: ReadonlySet<string>,
  ): LoadResult {
    const a = need();
    snapshot = next;
    revision = nextRevision;
    const badges: Record<string, PodBadge> = {};
    const adminTier = new Set(
      next.clusterPolicies.filter((p) => p.tier === 'Admin').map((p) => clusterPolicyKey(p)),
    );
    const removedBadges: string[] = [];
    const keys = touched ?? next.pods.map(podKey);
    for (const key of keys) {
      const peer = podPeer(key);
      if (touched !== undefined && peer.kind === 'pod' && !a.hasPod(peer.namespace, peer.name)) {
        removedBadges.push(key);
        continue;
      }
      const iso = a.isolation(key);
      const isolating = [...iso.ingress.policies, ...iso.egress.policies];
      const cilium = isolating.some(isCiliumPolicyKey);
      const calico = isolating.some(isCalicoPolicyKey);
      const badge: PodBadge = {
        ingress: iso.ingress.isolated,
        egress: iso.egress.isolated,
        hostNetwork: iso.hostNetwork,
        ...(cilium ? { cilium: true } : {}),
        ...(calico ? { calico: true } : {}),
      };
      // Only pods an admin policy applies to carry the lists (most pods of most clusters have none).
      const adminIn = iso.ingress.adminPolicies;
      const adminOut = iso.egress.adminPolicies;
      badges[key] =
        adminIn.length + adminOut.length === 0
          ? badge
          : {
              ...badge,
              admin: {
                ingress: adminIn,
                egress: adminOut,
                tier: [...adminIn, ...adminOut].some((k) => adminTier.has(k)) ? 'Admin' : 'Baseline',
              },
            };
    }
    const universe = a.universe();
    return {
      revision,
      mode,
      deltas: deltaCount,
      stats: a.stats(),
      badges,
      ...(touched !== undefined ? { badgesPatch: true, removedBadges } : {}),
      partial: universe.partial,
      ports: universe.ports,
      mentionedPorts: a.mentionedPorts(),
      externals: universe.externals,
      ms: now() - start,
    };
  }

  function podView(key: string): PodView {
    const a = need();
    const isolation = a.isolation(key);
    const self = podPeer(key);
    const ports = a.universe().ports;
    const others: Peer[] = [];
    for (const pod of snapshot?.pods ?? []) {
      const k = podKey(pod);
      if (k !== key) others.push({ kind: 'pod', namespace: pod.namespace, name: pod.name });
    }
    for (const ip of a.universe().externals) others.push({ kind: 'external', ip });
    const inbound: PeerAccess[] = [];
    const outbound: PeerAccess[] = [];
    for (let start = 0; start < others.length; start += CHUNK) {
      const chunk = others.slice(start, start + CHUNK);
      const table = a.reach([self, ...chunk], ports);
      chunk.forEach((peer, i) => {
        const inAllowed: number[] = [];
        const inUnknown: number[] = [];
        const outAllowed: number[] = [];
        const outUnknown: number[] = [];
        for (let p = 0; p < ports.length; p++) {
          const into = table.cell(i + 1, 0, p);
          if (into.allowed) inAllowed.push(p);
          else if (into.unknown) inUnknown.push(p);
          const out = table.cell(0, i + 1, p);
          if (out.allowed) outAllowed.push(p);
          else if (out.unknown) outUnknown.push(p);
        }
        if (inAllowed.length + inUnknown.length > 0)
          inbound.push({ peer, allowed: inAllowed, unknown: inUnknown });
        if (outAllowed.length + outUnknown.length > 0)
          outbound.push({ peer, allowed: outAllowed, unknown: outUnknown });
      });
    }
    return { pod: key, isolation, ports, inbound, outbound, peers: others.length };
  }

  function cellPairs(from: string, to: string, limit: number): CellPairs {
    const a = need();
    const ports: readonly PortProbe[] = a.universe().ports;
    const pods = snapshot?.pods ?? [];
    const fromPods = pods.filter((p) => p.namespace === from).map(podKey);
    const toPods = pods.filter((p) => p.namespace === to).map(podKey);
    const all = [...new Set([...fromPods, ...toPods])];
    const index = new Map(all.map((k, i) => [k, i]));
    const table = a.reach(all.map(podPeer), ports);
    const pairs: PairAccess[] = [];
    let total = 0;
    let truncated = false;
    for (const f of fromPods) {
      for (const t of toPods) {
        if (f === t) continue;
        total++;
        const fi = index.get(f) ?? 0;
        const ti = index.get(t) ?? 0;
        const allowed: number[] = [];
        const unknown: number[] = [];
        for (let p = 0; p < ports.length; p++) {
          const c = table.cell(fi, ti, p);
          if (c.allowed) allowed.push(p);
          else if (c.unknown) unknown.push(p);
        }
        if (allowed.length + unknown.length === 0) continue;
        if (pairs.length >= limit) truncated = true;
        else pairs.push({ from: f, to: t, allowed, unknown });
      }
    }
    if (pairs.length > 0 || total === 0) return { from, to, ports, pairs, total, truncated };
    // Nothing flows: say who denies, from a sample of the pairs (check per connection is cheap).
    const sample: (readonly [Peer, Peer])[] = [];
    for (const f of fromPods.slice(0, 8))
      for (const t of toPods.slice(0, 8)) if (f !== t) sample.push([podPeer(f), podPeer(t)]);
    return { from, to, ports, pairs, total, truncated, denial: denialOf(a, sample, ports) };
  }

  function matchLabels(query: string): LabelMatch {
    const parsed = parseLabelQuery(query);
    if (!parsed.ok) return { ok: false, query, error: parsed.error };
    if (snapshot === undefined) throw new AnalysisError('No snapshot is loaded.');
    const pods = snapshot.pods.filter((p) => selectorMatches(parsed.selector, p.labels)).map(podKey);
    return { ok: true, query, pods };
  }

  function run<M extends AnalysisMethod>(method: M, params: AnalysisMethods[M]['params']): unknown {
    switch (method) {
      case 'load': {
        const p = params as AnalysisMethods['load']['params'];
        return load(p.snapshot, p.revision);
      }
      case 'update': {
        const p = params as AnalysisMethods['update']['params'];
        return update(p.change, p.revision);
      }
      case 'policyEffect': {
        const p = params as AnalysisMethods['policyEffect']['params'];
        return need().policyEffect(p.policy, { limit: p.limit ?? 2000 });
      }
      case 'check':
        return need().check(params as AnalysisMethods['check']['params']);
      case 'openPorts': {
        const p = params as AnalysisMethods['openPorts']['params'];
        return openPorts(need(), p.from, p.to);
      }
      case 'podView':
        return podView((params as AnalysisMethods['podView']['params']).pod);
      case 'summary':
        return need().summary();
      case 'cellPairs': {
        const p = params as AnalysisMethods['cellPairs']['params'];
        return cellPairs(p.from, p.to, p.limit ?? 2000);
      }
      case 'matchLabels':
        return matchLabels((params as AnalysisMethods['matchLabels']['params']).query);
      case 'whatIf':
        // Answered beside the engine, by whatif.ts in the worker.
        throw new AnalysisError('whatIf is answered by the what-if handler, not the engine.');
      case 'flowsPush':
      case 'flowsView':
      case 'flowsGenerate':
      case 'flowsKept':
      case 'flowsClear':
      case 'flowsWindow':
      case 'flowsFor':
      case 'flowsTighten':
        // Answered beside the engine, by flows.ts in the worker, which holds the imported flows.
        throw new AnalysisError(`${method} is answered by the flows handler, not the engine.`);
      default:
        throw new AnalysisError(`Unknown request ${String(method)}.`);
    }
  }

  return {
    handle(request) {
      try {
        const value = run(request.method, request.params);
        return { id: request.id, revision, ok: true, value };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { id: request.id, revision, ok: false, error: message };
      }
    },
    analyzer: () => analyzer,
    current: () => (snapshot === undefined ? undefined : { snapshot, revision }),
  };
}
