/**
 * netglass beside its peers for `npm run bench` (issue 16), whole processes under GNU time, paired
 * runs (netglass, then the peer, repeated) so a busy machine slows both alike; nothing asserts:
 *
 * - whole-cluster analysis on generated clusters of 115 and 995 pods: `netglass analyze` against
 *   policy-assistant's simulated probe (`analyze --mode probe`, every port the pods serve) and
 *   netpol-analyzer's connection list (`k8snetpolicy list`). The target is issue 16's: at 995 pods,
 *   netglass within 0.01× of each peer's wall time; the row's target column carries that bound;
 * - one connection on a 2-pod cluster: `netglass check` against policy-assistant's walkthrough and
 *   `k8snetpolicy eval`.
 *
 * The peers are found or built by peer-tools.ts; a missing one is reported and its rows skipped. All
 * three read the same cluster, in the form each accepts (peerCluster says what that costs). A peer
 * run that takes over a minute is not repeated. Every netglass figure comes from the CLI bundle, as
 * an install runs it (measureNetglass). Env: BENCH_RUNS; BENCH_SKIP_PEERS=1 (run.ts) skips. Run alone:
 * `node test/bench/peers.ts` (see the end of this file). netglass against netpol-analyzer across
 * cluster sizes is peers-sweep.ts (BENCH_PEERS_SWEEP=1), which reuses the exports here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PolicyPort, PolicyRule, Snapshot } from '../../shared/model/snapshot.ts';
import { generateCluster, namespaceManifests, SIZES, writeManifests } from './generate.ts';
import { PEER_TOOLS, peerBinary, type PeerTool } from './peer-tools.ts';
import {
  buildIsFresh,
  ensureBundle,
  GNU_TIME,
  haveGnuTime,
  measure,
  median,
  ROOT,
  RUNS,
  type RowFn,
  type Usage,
} from './process.ts';

export const NETGLASS = join(ROOT, 'bin', 'netglass.js');
/** Issue 16: at 995 pods, netglass takes at most this share of a peer's time. */
const TARGET_RATIO = 0.01;
const RUN_TIMEOUT_MS = 30 * 60_000;
/** A peer run longer than this is measured once: its figure is minutes either way. */
export const REPEAT_BELOW_MS = 60_000;

/**
 * The generated cluster in a form all three tools accept, the same for each:
 * - replicas carry their workload's labels (netpol-analyzer groups pods by owner and stops, or
 *   crashes, when replicas differ in labels some selector reads; the generator gives them per-pod
 *   noise labels);
 * - a rule that names ipBlock peers gives numeric ports (netpol-analyzer refuses a named port
 *   towards an IP);
 * - every policy declares its policyTypes (policy-assistant refuses files without them).
 */
export function peerCluster(s: Snapshot): Snapshot {
  const ownerLabels = new Map<string, Readonly<Record<string, string>>>();
  const pods = s.pods.map((p) => {
    if (p.owner === undefined) return p;
    const key = `${p.namespace}/${p.owner.kind}/${p.owner.name}`;
    const labels = ownerLabels.get(key) ?? p.labels;
    ownerLabels.set(key, labels);
    return { ...p, labels };
  });
  const portNumbers = new Map<string, number>();
  for (const p of s.pods)
    for (const c of p.ports)
      if (c.name !== undefined && !portNumbers.has(c.name)) portNumbers.set(c.name, c.containerPort);
  const numeric = (port: PolicyPort): PolicyPort =>
    typeof port.port === 'string' ? { ...port, port: portNumbers.get(port.port) ?? 80 } : port;
  const rule = (r: PolicyRule): PolicyRule =>
    r.peers !== 'any' && r.peers.some((p) => p.kind === 'ipBlock') && r.ports !== 'any'
      ? { ...r, ports: r.ports.map(numeric) }
      : r;
  const policies = s.policies.map((p) => ({
    ...p,
    policyTypesDeclared: true,
    ingress: p.ingress.map(rule),
    egress: p.egress.map(rule),
  }));
  return { ...s, pods, policies };
}

export interface Inputs {
  /** Namespaces, pods and policies, one file per namespace (netglass, netpol-analyzer). */
  readonly cluster: string;
  /**
   * The policies alone, one file each: policy-assistant reads only the first document of a file (a
   * multi-document file would silently lose every policy after the first), and reads any file there
   * as a policy.
   */
  readonly policies: string;
  /** policy-assistant's model of the namespaces and pods, and the ports to probe. */
  readonly probe: string;
}

export function writeInputs(s: Snapshot, dir: string): Inputs {
  const inputs = {
    cluster: join(dir, 'cluster'),
    policies: join(dir, 'policies'),
    probe: join(dir, 'probe.json'),
  };
  writeManifests(s, inputs.cluster);
  mkdirSync(inputs.policies, { recursive: true });
  for (const ns of s.namespaces) {
    const docs = namespaceManifests(s, ns.name).filter((d) => d.kind === 'NetworkPolicy');
    // Names are unique within a namespace; the index keeps the files in the namespace's order.
    docs.forEach((d, i) =>
      writeFileSync(join(inputs.policies, `${ns.name}.${String(i).padStart(4, '0')}.yaml`), stringify(d)),
    );
  }
  const served = new Map<string, { Port: number; Protocol: string }>();
  const pods = s.pods
    .filter((p) => p.ips.length > 0)
    .map((p) => ({
      Namespace: p.namespace,
      Name: p.name,
      Labels: p.labels,
      IP: p.ips[0],
      // One entry per port: policy-assistant probes one port per container.
      Containers: p.ports.map((c) => {
        served.set(`${c.containerPort}/${c.protocol}`, { Port: c.containerPort, Protocol: c.protocol });
        return {
          Name: `c-${c.name ?? c.containerPort}`,
          Port: c.containerPort,
          Protocol: c.protocol,
          PortName: c.name ?? '',
        };
      }),
    }));
  const model = {
    Resources: { Namespaces: Object.fromEntries(s.namespaces.map((n) => [n.name, n.labels])), Pods: pods },
    // Explicit probes, one per served port, rather than "all available": its table renderer crashes
    // when pods serve different sets of ports (a nil result in renderUniformMultiTable).
    Probes: [...served.values()],
  };
  writeFileSync(inputs.probe, JSON.stringify(model));
  return inputs;
}

export type Command = readonly [string, readonly string[]];

export function analyzeCommand(tool: PeerTool, binary: string, inputs: Inputs): Command {
  return tool.name === 'policy-assistant'
    ? [binary, ['analyze', '--mode', 'probe', '--policy-path', inputs.policies, '--probe-path', inputs.probe]]
    : [binary, ['list', '--dirpath', inputs.cluster, '-o', 'json']];
}

type Paired =
  | { readonly ok: true; readonly netglass: readonly Usage[]; readonly peer: readonly Usage[] }
  | { readonly ok: false; readonly reason: string };

/** Tries at measuring netglass from a fresh bundle before settling for a run from the sources. */
const BUNDLE_TRIES = 3;

/**
 * One netglass run that used the CLI bundle: other edits to the sources make the bundle stale at any
 * moment, and the launcher then runs the TypeScript sources (a second of start-up that is not what an
 * install runs). Inputs only get newer, so a bundle still fresh after the run was fresh when the
 * launcher chose; otherwise rebuild and run again. `fromSources` says the tries ran out.
 */
export async function measureNetglass(netglass: Command): Promise<{ usage: Usage; fromSources: boolean }> {
  let usage: Usage | undefined;
  for (let i = 0; i < BUNDLE_TRIES; i++) {
    await ensureBundle('cli');
    usage = measure(netglass[0], netglass[1], { timeoutMs: RUN_TIMEOUT_MS });
    if (await buildIsFresh('cli')) return { usage, fromSources: false };
  }
  if (usage === undefined) throw new Error('BUNDLE_TRIES must be at least 1');
  return { usage, fromSources: true };
}

/** netglass then the peer, `runs` times (once when the peer takes minutes); any failure stops it. */
async function paired(netglass: Command, peer: Command, runs: number): Promise<Paired> {
  const ours: Usage[] = [];
  const theirs: Usage[] = [];
  for (let i = 0; i < runs; i++) {
    const { usage: a, fromSources } = await measureNetglass(netglass);
    if (fromSources)
      return {
        ok: false,
        reason: `netglass ran from its sources: the CLI bundle kept going stale (edits meanwhile)`,
      };
    if (a.status !== 0 && a.status !== 1)
      return { ok: false, reason: `netglass exited ${String(a.status)}: ${a.stderr}` };
    const b = measure(peer[0], peer[1], { timeoutMs: RUN_TIMEOUT_MS });
    if (b.status !== 0)
      return { ok: false, reason: `exited ${String(b.status ?? 'on a signal or timeout')}: ${b.stderr}` };
    ours.push(a);
    theirs.push(b);
    if (b.wallMs > REPEAT_BELOW_MS) break;
  }
  return { ok: true, netglass: ours, peer: theirs };
}

function report(
  row: RowFn,
  scenario: string,
  tool: PeerTool,
  result: Paired,
  target: boolean,
  origin: string,
): void {
  if (!result.ok) {
    console.log(`peers: ${scenario}: ${tool.name} ${result.reason}; rows skipped`);
    return;
  }
  const wall = (u: readonly Usage[]): number => median(u.map((x) => x.wallMs));
  const cpu = (u: readonly Usage[]): number => median(u.map((x) => x.cpuMs));
  const [ngWall, peerWall, ngCpu, peerCpu] = [
    wall(result.netglass),
    wall(result.peer),
    cpu(result.netglass),
    cpu(result.peer),
  ];
  const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(3)}×` : '—');
  // The 1-minute load average as the series ends: on a shared machine it says how much the wall
  // figures are worth (CPU figures suffer less).
  const runs = `${result.peer.length} paired run${result.peer.length === 1 ? '' : 's'}, load ${loadavg()[0]?.toFixed(1) ?? '?'}`;
  row(
    scenario,
    'netglass wall',
    ngWall,
    'ms',
    target ? Math.round(peerWall * TARGET_RATIO) : undefined,
    undefined,
    `${ratio(ngWall, peerWall)} of ${tool.name}'s wall${target ? ` (target ≤ ${TARGET_RATIO}×)` : ''}; ${runs}`,
  );
  row(scenario, `${tool.name} wall`, peerWall, 'ms', undefined, undefined, origin);
  row(
    scenario,
    'netglass CPU (user+sys)',
    ngCpu,
    'ms',
    undefined,
    undefined,
    `${ratio(ngCpu, peerCpu)} of ${tool.name}'s CPU`,
  );
  row(scenario, `${tool.name} CPU (user+sys)`, peerCpu, 'ms');
  row(scenario, 'netglass peak resident memory', Math.max(...result.netglass.map((u) => u.rssMB)), 'MB');
  row(scenario, `${tool.name} peak resident memory`, Math.max(...result.peer.map((u) => u.rssMB)), 'MB');
}

const TWO_PODS = `apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {kubernetes.io/metadata.name: x}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec: {containers: [{name: c, image: app, ports: [{containerPort: 80, name: http, protocol: TCP}]}]}
status: {hostIP: 192.168.0.1, podIP: 10.0.1.1, podIPs: [{ip: 10.0.1.1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {pod: b}}
spec: {containers: [{name: c, image: app}]}
status: {hostIP: 192.168.0.1, podIP: 10.0.1.2, podIPs: [{ip: 10.0.1.2}]}
`;

const B_TO_A = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-to-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {pod: b}}}]
    ports: [{port: http}]
`;

/** x/b → x/a on port 80 (named `http` on a), as policy-assistant's walkthrough reads traffic. */
const TRAFFIC = [
  {
    Source: {
      Internal: {
        PodLabels: { pod: 'b' },
        NamespaceLabels: { 'kubernetes.io/metadata.name': 'x' },
        Namespace: 'x',
      },
      IP: '10.0.1.2',
    },
    Destination: {
      Internal: {
        PodLabels: { pod: 'a' },
        NamespaceLabels: { 'kubernetes.io/metadata.name': 'x' },
        Namespace: 'x',
      },
      IP: '10.0.1.1',
    },
    ResolvedPort: 80,
    ResolvedPortName: 'http',
    Protocol: 'TCP',
  },
];

function checkCommands(dir: string): {
  netglass: Command;
  peer: (tool: PeerTool, binary: string) => Command;
} {
  const cluster = join(dir, 'cluster');
  const policies = join(dir, 'policies');
  mkdirSync(cluster, { recursive: true });
  mkdirSync(policies, { recursive: true });
  writeFileSync(join(cluster, 'pods.yaml'), TWO_PODS);
  writeFileSync(join(cluster, 'policy.yaml'), B_TO_A);
  writeFileSync(join(policies, 'policy.yaml'), B_TO_A);
  writeFileSync(join(dir, 'traffic.json'), JSON.stringify(TRAFFIC));
  return {
    netglass: [
      process.execPath,
      [NETGLASS, 'check', '--manifests', cluster, '--from', 'x/b', '--to', 'x/a', '--port', '80'],
    ],
    peer: (tool, binary) =>
      tool.name === 'policy-assistant'
        ? [
            binary,
            [
              'analyze',
              '--mode',
              'walkthrough',
              '--policy-path',
              policies,
              '--traffic-path',
              join(dir, 'traffic.json'),
            ],
          ]
        : [
            binary,
            [
              'eval',
              '--dirpath',
              cluster,
              '-n',
              'x',
              '-s',
              'b',
              '--destination-namespace',
              'x',
              '-d',
              'a',
              '-p',
              '80',
            ],
          ],
  };
}

export async function benchPeers(row: RowFn): Promise<void> {
  if (!haveGnuTime()) {
    console.log(`peers bench skipped: ${GNU_TIME} (GNU time) is not installed`);
    return;
  }
  const tools: { tool: PeerTool; binary: string; origin: string }[] = [];
  for (const tool of PEER_TOOLS) {
    const found = peerBinary(tool);
    if (found.ok) tools.push({ tool, binary: found.path, origin: found.origin });
    else console.log(`peers: ${tool.name} is not available, its rows are skipped: ${found.reason}`);
  }
  if (tools.length === 0) return;
  const bundle = await ensureBundle('cli');
  if (bundle !== 'bundle' && !bundle.startsWith('bundle (rebuilt'))
    console.log(`peers: netglass runs from ${bundle}`);
  const dir = mkdtempSync(join(tmpdir(), 'netglass-bench-peers-'));
  try {
    const check = checkCommands(join(dir, 'two'));
    for (const { tool, binary, origin } of tools) {
      report(
        row,
        `check, 2 pods: netglass vs ${tool.name}`,
        tool,
        await paired(check.netglass, check.peer(tool, binary), RUNS),
        false,
        origin,
      );
    }
    for (const size of ['P115', 'P995'] as const) {
      const snapshot = peerCluster(generateCluster(SIZES[size]));
      const inputs = writeInputs(snapshot, join(dir, size));
      const netglass: Command = [process.execPath, [NETGLASS, 'analyze', '--manifests', inputs.cluster]];
      for (const { tool, binary, origin } of tools) {
        const scenario = `analyze, ${snapshot.pods.length} pods: netglass vs ${tool.name}`;
        report(
          row,
          scenario,
          tool,
          await paired(netglass, analyzeCommand(tool, binary, inputs), RUNS),
          size === 'P995',
          origin,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `node test/bench/peers.ts` runs these rows alone and prints them (BENCH_RUNS applies);
 * `node test/bench/peers.ts --inputs DIR` only writes the inputs each tool reads, per cluster size,
 * under DIR/<size>/, for running the tools by hand.
 */
if (import.meta.main) {
  const at = process.argv.indexOf('--inputs');
  if (at !== -1) {
    const dir = process.argv[at + 1];
    if (dir === undefined || dir.startsWith('--')) {
      console.error('usage: node test/bench/peers.ts [--inputs DIR]');
      process.exit(2);
    }
    for (const size of ['P115', 'P995'] as const) {
      const snapshot = peerCluster(generateCluster(SIZES[size]));
      const inputs = writeInputs(snapshot, join(dir, size));
      console.log(
        `${size}: ${snapshot.pods.length} pods → ${inputs.cluster}, ${inputs.policies}, ${inputs.probe}`,
      );
    }
  } else {
    const rows: string[][] = [['scenario', 'metric', 'value', 'target', 'note']];
    await benchPeers((scenario, metric, value, unit, target, _aim, note) => {
      rows.push([
        scenario,
        metric,
        `${value.toFixed(0)} ${unit}`,
        target === undefined ? '—' : `≤ ${target} ${unit} ${value <= target ? 'pass' : 'FAIL'}`,
        note ?? '',
      ]);
    });
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    for (const r of rows)
      console.log(
        r
          .map((cell, c) => cell.padEnd(widths[c] ?? 0))
          .join('  ')
          .trimEnd(),
      );
    console.log(
      `load average (1, 5, 15 min): ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  }
}
