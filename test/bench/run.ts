/**
 * Evaluator benchmark (perf.md §7). Run as `node --expose-gc test/bench/run.ts` (npm run bench).
 * Prints a table and writes test-results/bench.json. Timings are medians after warm-up; nothing here
 * asserts, so a slow machine never fails a build. Env: BENCH_RUNS (default 5), BENCH_SKIP_XL=1 (skips the
 * 50,000- and 150,000-pod clusters), BENCH_PEERS_SWEEP=1 (adds netglass vs netpol-analyzer across sizes,
 * peers-sweep.ts: several minutes), BENCH_ONLY=cilium (only the L + 200 Cilium policies rows, cilium.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  applyDeltas,
  createAnalyzer,
  diffConnections,
  type Analyzer,
  type Peer,
} from '../../shared/eval/index.ts';
import type { NetworkPolicy, Pod, Snapshot } from '../../shared/model/snapshot.ts';
import { benchCli } from './cli.ts';
import { benchParse } from './parse.ts';
import { benchPeers } from './peers.ts';
import { benchPeersSweep } from './peers-sweep.ts';
import { benchWeb } from './web.ts';
import { benchLive } from './live.ts';
import { benchFlows } from './flows.ts';
import { generateCluster, generateClusterPolicies, SIZES } from './generate.ts';
import { benchCilium } from './cilium.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  readonly scenario: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: 'ms' | 'MB';
  readonly target: number | undefined;
  readonly aim?: number;
  readonly pass: boolean | undefined;
  readonly note?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}

/** Median wall time of `fn` over `runs` runs after `warm` warm-ups; `setup` is untimed. */
function time<T>(fn: (x: T) => void, setup: () => T, runs = RUNS, warm = 2): number {
  for (let i = 0; i < warm; i++) fn(setup());
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = setup();
    const t = performance.now();
    fn(x);
    xs.push(performance.now() - t);
  }
  return median(xs);
}

function heapMB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

const rows: Row[] = [];
function row(
  scenario: string,
  metric: string,
  value: number,
  unit: Row['unit'],
  target?: number,
  aim?: number,
  note?: string,
): void {
  rows.push({
    scenario,
    metric,
    value,
    unit,
    target,
    ...(aim !== undefined ? { aim } : {}),
    pass: target === undefined ? undefined : value <= target,
    ...(note ? { note } : {}),
  });
}

const podPeer = (p: Pod): Peer => ({ kind: 'pod', namespace: p.namespace, name: p.name });

function editedPolicy(s: Snapshot): [NetworkPolicy, NetworkPolicy] {
  const p =
    s.policies.find((x) => x.name.startsWith('allow-app-')) ??
    s.policies.find((x) => x.ingress.length > 0) ??
    s.policies[0];
  if (!p) throw new Error('no policy to edit');
  const edited: NetworkPolicy = {
    ...p,
    ingress: p.ingress.map((r) => ({ ...r, ports: [{ protocol: 'TCP', port: 8443 }] })),
  };
  return [p, edited];
}

function benchL(): void {
  const tGen = performance.now();
  const s = generateCluster(SIZES.L);
  row('L', 'generate (not analysis)', performance.now() - tGen, 'ms');
  const name = `L ${s.pods.length} pods/${s.policies.length} NP/${s.namespaces.length} ns`;
  row(
    name,
    'full analysis (createAnalyzer)',
    time(
      () => createAnalyzer(s),
      () => undefined,
    ),
    'ms',
    1000,
    300,
  );

  const before = heapMB();
  let a: Analyzer | undefined = createAnalyzer(s);
  a.stats();
  const after = heapMB();
  row(
    name,
    'retained heap after GC',
    after - before,
    'MB',
    300,
    undefined,
    gc ? `total heap ${after.toFixed(0)} MB` : 'run with --expose-gc',
  );
  const st = a.stats();
  console.log(`L stats: ${JSON.stringify(st)}`);

  const [orig, edited] = editedPolicy(s);
  let flip = false;
  const modes = new Set<string>();
  row(
    name,
    'policy edit (update)',
    time(
      (p: NetworkPolicy) => modes.add(a!.update([{ kind: 'upsertPolicy', policy: p }]).mode),
      () => {
        flip = !flip;
        return flip ? edited : orig;
      },
      RUNS * 4,
      4,
    ),
    'ms',
    50,
  );
  const template = s.pods.find((p) => p.owner?.kind === 'Deployment' && !p.hostNetwork) ?? s.pods[0];
  if (!template) throw new Error('no pods');
  let n = 0;
  const newPod = (labels: Record<string, string>): Pod => ({
    ...template,
    name: `bench-${n++}`,
    labels,
    ips: [`10.245.${(n >>> 8) & 255}.${n & 255}`],
  });
  row(
    name,
    'pod added, existing class (update)',
    time(
      (p: Pod) => modes.add(a!.update([{ kind: 'upsertPod', pod: p }]).mode),
      () => newPod({ ...template.labels, 'pod-template-hash': `h${n}` }),
      RUNS * 4,
      4,
    ),
    'ms',
    20,
  );
  row(
    name,
    'pod added, new class (update)',
    time(
      (p: Pod) => modes.add(a!.update([{ kind: 'upsertPod', pod: p }]).mode),
      () => newPod({ ...template.labels, app: `brand-new-${n}` }),
      RUNS * 4,
      4,
    ),
    'ms',
    20,
  );
  console.log(`update modes seen: ${[...modes].join(', ')}`);

  const pods = s.pods.filter((p) => p.ips.length > 0);
  let i = 0;
  row(
    name,
    'explain one pair (check)',
    time(
      ([x, y]: [Pod, Pod]) => a!.check({ from: podPeer(x), to: podPeer(y), port: 8080, protocol: 'TCP' }),
      (): [Pod, Pod] => [
        pods[(i * 7919) % pods.length] as Pod,
        pods[(i++ * 104729 + 1) % pods.length] as Pod,
      ],
      RUNS * 20,
      20,
    ),
    'ms',
    5,
  );
  row(
    name,
    'summary (ns matrix, pair counts)',
    time(
      () => a!.summary(),
      () => undefined,
      Math.min(RUNS, 3),
      1,
    ),
    'ms',
  );
  const pol = s.policies.find((p) => p.name === 'allow-same-namespace') ?? orig;
  row(
    name,
    'policy effect (one policy)',
    time(
      () => a!.policyEffect(`${pol.namespace}/${pol.name}`),
      () => undefined,
      Math.min(RUNS, 3),
      1,
    ),
    'ms',
  );
  const sample = pods.slice(0, 100).map(podPeer);
  row(
    name,
    'reach 100 peers × mentioned ports',
    time(
      () => a!.reach(sample, a!.mentionedPorts()),
      () => undefined,
    ),
    'ms',
  );
  // The policy editor's what-if: one draft (an edited copy of a policy) against the current snapshot,
  // the snapshot's own side kept between drafts as the analysis worker keeps it.
  let draft = 0;
  row(
    name,
    'what-if diff (one edited policy)',
    time(
      (after: Snapshot) => diffConnections(s, after, { limit: 2000 }),
      () =>
        applyDeltas(s, [
          {
            kind: 'upsertPolicy',
            policy: {
              ...pol,
              name: `${pol.name}-draft-${draft++}`,
              podSelector: { matchLabels: {}, matchExpressions: [] },
            },
          },
        ]),
      Math.min(RUNS, 3),
      1,
    ),
    'ms',
  );
  a = undefined;
  benchAdminTiers(s, name);
  benchCilium(row, s, name, Math.max(RUNS, 7));
}

/**
 * The issue's bar for admin tiers: the L cluster plus 200 ClusterNetworkPolicies analysed within 10 %
 * of the time without them (full analysis and the summary, which walks every class pair).
 */
function benchAdminTiers(s: Snapshot, name: string): void {
  const withAdmin: Snapshot = { ...s, clusterPolicies: generateClusterPolicies(s, 200) };
  // Interleaved, so a busy machine slows both sides alike.
  const paired = (base: () => void, tiered: () => void, runs: number): [number, number] => {
    base();
    tiered();
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      base();
      xs.push(performance.now() - t);
      t = performance.now();
      tiered();
      ys.push(performance.now() - t);
    }
    return [median(xs), median(ys)];
  };
  const runs = Math.max(RUNS, 7);
  const [base, tiered] = paired(
    () => createAnalyzer(s),
    () => createAnalyzer(withAdmin),
    runs,
  );
  const scenario = `${name} + 200 CNP`;
  row(
    scenario,
    'full analysis (createAnalyzer)',
    tiered,
    'ms',
    Math.round(base * 1.1),
    undefined,
    `without: ${base.toFixed(0)} ms`,
  );
  const a0 = createAnalyzer(s);
  const a1 = createAnalyzer(withAdmin);
  console.log(`L + 200 CNP stats: ${JSON.stringify(a1.stats())}`);
  const [sBase, sTiered] = paired(
    () => a0.summary(),
    () => a1.summary(),
    Math.min(runs, 5),
  );
  row(
    scenario,
    'summary (ns matrix, pair counts)',
    sTiered,
    'ms',
    Math.round(sBase * 1.1),
    undefined,
    `without: ${sBase.toFixed(0)} ms`,
  );
  const key = withAdmin.clusterPolicies.find((p) => p.name.startsWith('tenant-'))?.name ?? '';
  row(
    scenario,
    'policy effect (one ClusterNetworkPolicy)',
    time(
      () => a1.policyEffect(key),
      () => undefined,
      Math.min(RUNS, 3),
      1,
    ),
    'ms',
  );
}

function benchXL(): void {
  const s = generateCluster(SIZES.XL);
  const name = `XL ${s.pods.length} pods/${s.policies.length} NP/${s.namespaces.length} ns`;
  row(
    name,
    'full analysis (createAnalyzer)',
    time(
      () => createAnalyzer(s),
      () => undefined,
      Math.min(RUNS, 3),
      1,
    ),
    'ms',
    5000,
  );
  const before = heapMB();
  const a = createAnalyzer(s);
  const after = heapMB();
  row(name, 'retained heap after GC', after - before, 'MB', 1024);
  console.log(`XL stats: ${JSON.stringify(a.stats())}`);
}

/** The Kubernetes maximum (150,000 pods), generated: issue 10's bar is ≤ 15 s within 2 GB. */
function benchMax(): void {
  const s = generateCluster({ seed: 3, namespaces: 5000, pods: 150_000, policies: 20_000 });
  const name = `150k ${s.pods.length} pods/${s.policies.length} NP/${s.namespaces.length} ns`;
  const t = performance.now();
  const a = createAnalyzer(s);
  row(name, 'full analysis (createAnalyzer)', performance.now() - t, 'ms', 15_000);
  row(name, 'resident memory after analysis', process.memoryUsage().rss / 1048576, 'MB', 2048);
  console.log(`150k stats: ${JSON.stringify(a.stats())}`);
}

if (process.env.BENCH_ONLY === 'cilium') {
  // Only the Cilium rows (issue 15's bar), for profiling and paired reruns.
  const s = generateCluster(SIZES.L);
  benchCilium(
    row,
    s,
    `L ${s.pods.length} pods/${s.policies.length} NP/${s.namespaces.length} ns`,
    Math.max(RUNS, 7),
  );
} else {
  benchL();
  benchParse(row);
  benchLive(row);
  if (process.env.BENCH_SKIP_XL !== '1') {
    benchXL();
    benchMax();
  }
  await benchCli(row);
  await benchWeb(row);
  if (process.env.BENCH_SKIP_PEERS !== '1') await benchPeers(row);
  if (process.env.BENCH_PEERS_SWEEP === '1') await benchPeersSweep(row);
  if (process.env.BENCH_SKIP_FLOWS !== '1') await benchFlows(row);
}

const fmt = (r: Row): string[] => [
  r.scenario,
  r.metric,
  `${r.value.toFixed(r.unit === 'ms' && r.value < 10 ? 2 : 0)} ${r.unit}`,
  r.target === undefined ? '—' : `≤ ${r.target} ${r.unit}${r.aim !== undefined ? ` (aim ${r.aim})` : ''}`,
  r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
];
const table = [['scenario', 'metric', 'value', 'target', ''], ...rows.map(fmt)];
const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
for (const r of table)
  console.log(
    r
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  );
mkdirSync('test-results', { recursive: true });
// A partial run (BENCH_ONLY) keeps the full run's bench.json.
const benchFile =
  process.env.BENCH_ONLY === undefined ? 'bench.json' : `bench-${process.env.BENCH_ONLY}.json`;
writeFileSync(
  `test-results/${benchFile}`,
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, runs: RUNS, gc: gc !== undefined, rows },
    null,
    2,
  ),
);
console.log(`wrote test-results/${benchFile}`);
