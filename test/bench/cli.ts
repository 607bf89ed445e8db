/**
 * Command-line figures for `npm run bench` (issue 16), whole processes measured by GNU time (CPU =
 * user + system, peak resident memory): `netglass check` on a 2-pod cluster, from the bundle the
 * launcher uses and from sources; `reach` streamed on the M and L clusters (one port, NDJSON to
 * /dev/null), whose peak memory should not grow with the number of rows; `analyze` on the L cluster
 * (issue 10: the whole process, parse + analysis + report, ≤ 2 s and ≤ 300 MB), and `report` on the L
 * cluster (issue 13: a few seconds). Nothing here asserts.
 * Env: BENCH_RUNS, BENCH_SKIP_CLI_L=1 (the L reach writes 100 million rows: minutes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phaseTimes, readProfile, type Phase } from './cpu-profile.ts';
import { generateCluster, SIZES, writeManifests } from './generate.ts';
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

const BIN = join(ROOT, 'bin', 'netglass.js');

export const TWO_PODS = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec: {containers: [{name: c, ports: [{containerPort: 80, name: http}]}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {pod: b}}
status: {podIP: 10.0.1.2}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-to-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {pod: b}}}]
    ports: [{port: http}]
`;

export async function benchCli(row: RowFn): Promise<void> {
  if (!haveGnuTime()) {
    console.log(`CLI bench skipped: ${GNU_TIME} (GNU time) is not installed`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netglass-bench-cli-'));
  try {
    const two = join(dir, 'two.yaml');
    writeFileSync(two, TWO_PODS);
    const check = ['check', '--manifests', two, '--from', 'x/b', '--to', 'x/a', '--port', 'http'];
    const note = await ensureBundle('cli');
    for (const [label, env, target] of [
      ['', {}, true],
      [' (sources)', { NETGLASS_FROM_SOURCES: '1' }, false],
    ] as const) {
      const runs = Array.from({ length: RUNS }, () => measure(process.execPath, [BIN, ...check], { env }));
      const scenario = `CLI check, 2 pods${label}`;
      row(
        scenario,
        'process CPU (user+sys)',
        median(runs.map((u) => u.cpuMs)),
        'ms',
        target ? 150 : undefined,
        undefined,
        target ? note : undefined,
      );
      row(
        scenario,
        'peak resident memory',
        Math.max(...runs.map((u) => u.rssMB)),
        'MB',
        target ? 80 : undefined,
      );
    }
    for (const size of ['M', 'L'] as const) {
      const cluster = join(dir, size);
      writeManifests(generateCluster(SIZES[size]), cluster);
      if (size === 'L') await benchAnalyze(row, cluster);
      if (size === 'L') await benchReport(row, cluster);
      if (size === 'L' && process.env.BENCH_SKIP_CLI_L === '1') continue;
      const u = measure(process.execPath, [
        BIN,
        'reach',
        '--manifests',
        cluster,
        '--port',
        '80',
        '--format',
        'ndjson',
      ]);
      const rows = SIZES[size].pods * (SIZES[size].pods - 1);
      const scenario = `CLI reach ${size}, 1 port, ndjson streamed`;
      const status = u.status === 0 ? `${rows.toLocaleString('en-US')} rows` : `exit ${String(u.status)}`;
      row(scenario, 'wall time', u.wallMs, 'ms', undefined, undefined, status);
      row(scenario, 'peak resident memory', u.rssMB, 'MB');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a CLI measurement from a fresh bundle. A source edited meanwhile makes the launcher fall back to
 * the sources (a second or more on L): the runs are then repeated on a rebuilt bundle, and after three
 * tries the note says the figures are from sources.
 */
async function fromBundle(measureRuns: () => Usage[]): Promise<{ runs: Usage[]; stale: boolean }> {
  for (let attempt = 0; ; attempt++) {
    await ensureBundle('cli');
    const runs = measureRuns();
    if (await buildIsFresh('cli')) return { runs, stale: false };
    if (attempt === 2) return { runs, stale: true };
  }
}

const STALE_NOTE = 'bundle went stale during the runs (a source was edited): these ran from sources';

/** `netglass analyze` on the L manifests, the whole process from the bundle. */
async function benchAnalyze(row: RowFn, cluster: string): Promise<void> {
  const { runs, stale } = await fromBundle(() =>
    Array.from({ length: RUNS }, () =>
      measure(process.execPath, [BIN, 'analyze', '--manifests', cluster], { timeoutMs: 120_000 }),
    ),
  );
  const failed = runs.find((u) => u.status !== 0);
  const status = failed === undefined ? (stale ? STALE_NOTE : undefined) : `exit ${String(failed.status)}`;
  const scenario = `CLI analyze L (${SIZES.L.pods} pods), whole process`;
  row(scenario, 'wall time', median(runs.map((u) => u.wallMs)), 'ms', 2000, undefined, status);
  row(scenario, 'process CPU (user+sys)', median(runs.map((u) => u.cpuMs)), 'ms');
  row(scenario, 'peak resident memory', Math.max(...runs.map((u) => u.rssMB)), 'MB', 300);
  profileAnalyze(row, cluster);
}

/** The phases of `netglass analyze`, by the functions that start them (names survive the bundle). */
const ANALYZE_PHASES: readonly Phase[] = [
  { name: 'start-up (loading modules)', frame: (_, url) => url.startsWith('node:internal/modules') },
  { name: 'read files', frame: (_, url) => url.startsWith('node:internal/fs') },
  { name: 'parse manifests', frame: (fn) => fn === 'parseManifestText' },
  { name: 'classes and compiled policies', frame: (fn) => fn === 'createAnalyzer' },
  { name: 'summary (isolation, matrix, pairs)', frame: (fn) => fn === 'summary' },
  { name: 'lint', frame: (fn) => fn === 'lintSnapshot' },
  { name: 'print', frame: (fn) => fn === 'analyzeText' || fn === 'analyzeJson' },
];

/**
 * One more run under `--cpu-prof`, its time by phase: where the whole-process figure goes, so a missed
 * target comes with what stands in the way (the profiler adds a little to every phase alike).
 */
function profileAnalyze(row: RowFn, cluster: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'netglass-bench-prof-'));
  try {
    const r = spawnSync(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, 'analyze', '--manifests', cluster],
      { cwd: ROOT, stdio: 'ignore', timeout: 120_000, killSignal: 'SIGKILL' },
    );
    if (r.status !== 0) {
      console.log(`analyze profile skipped: exit ${String(r.status)}`);
      return;
    }
    const scenario = `CLI analyze L, by phase (CPU profile of one run)`;
    for (const p of phaseTimes(readProfile(dir), ANALYZE_PHASES))
      if (p.share >= 0.01)
        row(scenario, p.phase, p.ms, 'ms', undefined, undefined, `${(p.share * 100).toFixed(0)} %`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `netglass report` on the L manifests, the whole process from the bundle: parse, analysis, summary,
 * isolation, external flows, the effect counts of every policy (one batch, shared/eval/effects-batch.ts)
 * and lint. Target: a few seconds (it took 40–60 s when each policy's effect was its own pass).
 */
async function benchReport(row: RowFn, cluster: string): Promise<void> {
  const { runs, stale } = await fromBundle(() =>
    Array.from({ length: RUNS }, () =>
      measure(process.execPath, [BIN, 'report', '--manifests', cluster, '--format', 'json'], {
        timeoutMs: 300_000,
      }),
    ),
  );
  const failed = runs.find((u) => u.status !== 0);
  const status =
    failed === undefined
      ? stale
        ? STALE_NOTE
        : undefined
      : `exit ${String(failed.status)}: ${failed.stderr}`;
  const scenario = `CLI report L (${SIZES.L.pods} pods, ${SIZES.L.policies} policies), whole process`;
  row(scenario, 'wall time', median(runs.map((u) => u.wallMs)), 'ms', 5000, undefined, status);
  row(scenario, 'process CPU (user+sys)', median(runs.map((u) => u.cpuMs)), 'ms');
  row(scenario, 'peak resident memory', Math.max(...runs.map((u) => u.rssMB)), 'MB', 1024);
}
