/**
 * Checks assertions against a snapshot: every pair of a source and a distinct destination the ends
 * select, on every port the assertion stands for at that destination, through the evaluator's grouped
 * truth table (one lookup per pair of pod groups no policy tells apart, weighted by its pod pairs); the
 * first failures are explained by `Analyzer.check`.
 */
import { CELL_ALLOWED, CELL_UNKNOWN, createAnalyzer } from '../eval/index.ts';
import type { Analyzer, Peer, PortProbe, Verdict } from '../eval/index.ts';
import { resolveNamedPort } from '../eval/named-ports.ts';
import { createReachSource } from '../eval/reach-groups.ts';
import { selectorMatches } from '../eval/selector.ts';
import { closest } from '../manifest/names.ts';
import { podAtAddress } from '../model/pod-address.ts';
import type { Pod, Snapshot } from '../model/snapshot.ts';
import { podKey } from '../model/snapshot.ts';
import { endpointText, portText } from './parse.ts';
import type { Assertion, AssertionFailure, AssertionPort, AssertionResult, EndpointSpec } from './types.ts';

export interface CheckOptions {
  /** Failing connections explained per assertion (default 3); the count stays exact. */
  readonly examples?: number;
}

type Resolved =
  | { readonly ok: true; readonly pods: readonly Pod[] | 'address'; readonly peers: readonly Peer[] }
  | { readonly ok: false; readonly reason: string };

function podPeer(p: Pod): Peer {
  return { kind: 'pod', namespace: p.namespace, name: p.name };
}

function resolveEndpoint(
  spec: EndpointSpec,
  pods: readonly Pod[],
  namespaces: ReadonlySet<string>,
): Resolved {
  const found = (list: readonly Pod[], none: () => string): Resolved =>
    list.length > 0 ? { ok: true, pods: list, peers: list.map(podPeer) } : { ok: false, reason: none() };
  const unknownNamespace = (ns: string): string => {
    if (namespaces.has(ns)) return `namespace ${ns} has no pod`;
    const hint = closest(ns, namespaces);
    return `there is no namespace ${ns}${hint !== undefined ? ` (did you mean ${hint}?)` : ''}`;
  };
  switch (spec.kind) {
    case 'all':
      return found(pods, () => 'the input has no pod');
    case 'namespace':
      return found(
        pods.filter((p) => p.namespace === spec.namespace),
        () => unknownNamespace(spec.namespace),
      );
    case 'pod': {
      const key = `${spec.namespace}/${spec.name}`;
      return found(
        pods.filter((p) => p.namespace === spec.namespace && p.name === spec.name),
        () => {
          const hint = closest(key, pods.map(podKey));
          return `there is no pod ${key}${hint !== undefined ? ` (did you mean ${hint}?)` : ''}`;
        },
      );
    }
    case 'selector': {
      const selector = { matchLabels: spec.labels, matchExpressions: [] };
      return found(
        pods.filter(
          (p) =>
            (spec.namespace === undefined || p.namespace === spec.namespace) &&
            selectorMatches(selector, p.labels),
        ),
        () =>
          spec.namespace !== undefined && !namespaces.has(spec.namespace)
            ? unknownNamespace(spec.namespace)
            : `no pod${spec.namespace !== undefined ? ` of namespace ${spec.namespace}` : ''} has the labels ${endpointText(spec)}`,
      );
    }
    case 'address': {
      // A pod's own address is that pod (as `netglass check` reads it), not traffic from outside.
      const pod = podAtAddress(pods, spec.ip);
      if (pod !== undefined) return { ok: true, pods: [pod], peers: [podPeer(pod)] };
      return { ok: true, pods: 'address', peers: [{ kind: 'external', ip: spec.ip }] };
    }
  }
}

/**
 * The probes a numeric range stands for: its first port, and every port where some policy's port set
 * may start or end inside it (each mentioned port and the one after it). Ports between two such cuts
 * are treated alike by every rule, so these decide the whole range exactly, however wide it is.
 */
export function rangeProbes(
  port: Extract<AssertionPort, { kind: 'range' }>,
  mentioned: readonly PortProbe[],
): PortProbe[] {
  const numbers = new Set<number>([port.from]);
  for (const m of mentioned) {
    if (m.protocol !== port.protocol) continue;
    for (const n of [m.port, m.port + 1]) if (n >= port.from && n <= port.to) numbers.add(n);
  }
  return [...numbers].sort((a, b) => a - b).map((n) => ({ port: n, protocol: port.protocol }));
}

const probeKey = (p: PortProbe): string => `${p.port}/${p.protocol}`;

const peerKey = (p: Peer | undefined): string =>
  p === undefined ? '' : p.kind === 'pod' ? `${p.namespace}/${p.name}` : p.ip;

/** Indexes of `peers` per group, groups in the order of their first member. */
function membersByGroup(peers: readonly Peer[], groupOf: (i: number) => number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  peers.forEach((_, i) => {
    const g = groupOf(i);
    const list = out.get(g);
    if (list) list.push(i);
    else out.set(g, [i]);
  });
  return out;
}

/** A source and a different destination among the members (the caller knows one exists). */
function distinctPair(
  fm: readonly number[],
  tm: readonly number[],
  fromPeers: readonly Peer[],
  toPeers: readonly Peer[],
): [number, number] {
  for (const s of fm.slice(0, 2))
    for (const d of tm.slice(0, 2)) if (peerKey(fromPeers[s]) !== peerKey(toPeers[d])) return [s, d];
  return [fm[0] ?? 0, tm[0] ?? 0];
}

function verdictOf(bits: number): Verdict {
  return bits & CELL_ALLOWED ? 'allowed' : bits & CELL_UNKNOWN ? 'unknown' : 'denied';
}

export function checkAssertions(
  snapshot: Snapshot,
  assertions: readonly Assertion[],
  options: CheckOptions = {},
): AssertionResult[] {
  const maxExamples = options.examples ?? 3;
  const pods = [...snapshot.pods].sort((a, b) =>
    podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0,
  );
  const namespaces = new Set([...snapshot.namespaces.map((n) => n.name), ...pods.map((p) => p.namespace)]);
  const source = createReachSource(snapshot);
  let analyzer: Analyzer | undefined;
  const explain = (from: Peer, to: Peer, probe: PortProbe): AssertionFailure['verdict'] =>
    (analyzer ??= createAnalyzer(snapshot)).check({ from, to, port: probe.port, protocol: probe.protocol });

  return assertions.map((assertion): AssertionResult => {
    const from = resolveEndpoint(assertion.from, pods, namespaces);
    if (!from.ok)
      return { kind: 'no-match', assertion, reason: `from ${endpointText(assertion.from)}: ${from.reason}` };
    const to = resolveEndpoint(assertion.to, pods, namespaces);
    if (!to.ok)
      return { kind: 'no-match', assertion, reason: `to ${endpointText(assertion.to)}: ${to.reason}` };

    // The probes at each destination, as indexes into one port list for the whole assertion.
    const port = assertion.port;
    const ports: PortProbe[] = [];
    const index = new Map<string, number>();
    const indexOf = (p: PortProbe): number => {
      const k = probeKey(p);
      let i = index.get(k);
      if (i === undefined) {
        i = ports.length;
        ports.push(p);
        index.set(k, i);
      }
      return i;
    };
    let atDestination: (i: number) => readonly number[];
    if (port.kind === 'named') {
      const destPods = to.pods === 'address' ? [] : to.pods;
      const perPod = destPods.map((p) => resolveNamedPort(p, port).map(indexOf));
      if (perPod.every((l) => l.length === 0))
        return {
          kind: 'no-match',
          assertion,
          reason: `no pod of to ${endpointText(assertion.to)} declares a container port named ${portText(port)}`,
        };
      atDestination = (i) => perPod[i] ?? [];
    } else {
      const probes =
        port.kind === 'number'
          ? [{ port: port.port, protocol: port.protocol }]
          : rangeProbes(port, source.mentionedPorts());
      const all = probes.map(indexOf);
      atDestination = () => all;
    }

    const offset = from.peers.length;
    const table = source.grouped([...from.peers, ...to.peers], ports);
    let checked = 0;
    let failing = 0;
    let unknown = 0;
    const examples: AssertionFailure[] = [];
    const example = (s: number, d: number, p: number): void => {
      const probe = ports[p];
      const src = from.peers[s];
      const dst = to.peers[d];
      if (probe && src && dst)
        examples.push({
          verdict: explain(src, dst, probe),
          ...(port.kind === 'named' ? { portName: portText(port) } : {}),
        });
    };
    /** One connection from source `s` to destination `d` (distinct) on port `p`. */
    const one = (s: number, d: number, p: number): void => {
      checked++;
      const verdict = verdictOf(table.cell(table.groupOf[s] ?? 0, table.groupOf[offset + d] ?? 0, p));
      if (verdict === assertion.expect) return;
      failing++;
      if (verdict === 'unknown') unknown++;
      if (examples.length < maxExamples) example(s, d, p);
    };
    if (port.kind === 'named') {
      // Ports differ per destination pod: pair by pair.
      from.peers.forEach((src, s) => {
        to.peers.forEach((dst, d) => {
          if (peerKey(src) !== peerKey(dst)) for (const p of atDestination(d)) one(s, d, p);
        });
      });
    } else {
      // The same ports at every destination: group pair by group pair, each weighted by its pod pairs,
      // so `* -> *` on a large cluster costs groups², not pods².
      const fromGroups = membersByGroup(from.peers, (i) => table.groupOf[i] ?? 0);
      const toGroups = membersByGroup(to.peers, (i) => table.groupOf[offset + i] ?? 0);
      const fromKeys = new Set(from.peers.map(peerKey));
      const probes = atDestination(0);
      const want = assertion.expect === 'allowed' ? CELL_ALLOWED : 0;
      for (const [g, fm] of fromGroups)
        for (const [h, tm] of toGroups) {
          // A pod in both ends is one peer of one group: it pairs with itself only within that group.
          const self = g === h ? tm.filter((d) => fromKeys.has(peerKey(to.peers[d]))).length : 0;
          const pairs = fm.length * tm.length - self;
          if (pairs === 0) continue;
          for (const p of probes) {
            // No call per cell: this loop runs groups² × ports times.
            const bits = table.cell(g, h, p) & (CELL_ALLOWED | CELL_UNKNOWN);
            checked += pairs;
            if (bits === want) continue;
            failing += pairs;
            if (bits & CELL_UNKNOWN) unknown += pairs;
            if (examples.length < maxExamples) {
              const [s, d] = distinctPair(fm, tm, from.peers, to.peers);
              example(s, d, p);
            }
          }
        }
    }
    if (checked === 0)
      return {
        kind: 'no-match',
        assertion,
        reason: 'the ends select one and the same pod only; a pod talking to itself is not subject to policy',
      };
    return failing === 0
      ? { kind: 'passed', assertion, checked }
      : { kind: 'failed', assertion, checked, failing, unknown, examples };
  });
}
