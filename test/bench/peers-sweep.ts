/**
 * `netglass analyze` beside netpol-analyzer (`k8snetpolicy list`) across cluster sizes, for issue 16's
 * "≥ 100× faster" target. At 995 pods that target would leave netglass less time than Node itself
 * takes to start, so the question this answers is at what size the ratio reaches 100×: netpol-analyzer
 * grows with pods² while netglass grows about linearly.
 *
 * - Sizes: the peers row's 995-pod cluster, then 2,000, 4,000, 6,000 and the bench's L (10,000 pods), all
 *   from the same generator with the same mix (20 pods per namespace, one policy per 5 pods) and made
 *   peer-readable the same way (peerCluster).
 * - Whole processes under GNU time on the same files, paired (netglass, then the peer) so a busy
 *   machine slows both alike; netglass from the CLI bundle as an install runs it.
 * - netpol-analyzer gets a cap per run: BENCH_PEERS_SWEEP_CAP_S seconds (default 300) of CPU, as
 *   RLIMIT_CPU set by `prlimit` inside GNU time. CPU rather than wall, so a machine shared with other
 *   work does not cut the peer short (it runs on one core, so idle its CPU is its wall); the kernel
 *   kills the peer itself, and GNU time still reports its figures. A killed run is shown as "> cap"
 *   with what it had used, the ratios as lower bounds, and larger sizes are not run for it. netglass
 *   is never capped.
 * - At 995 pods, netglass's own floor: bare Node (`node -e 0`) and netglass doing nothing
 *   (`--version`: launcher plus bundle load), so the work is what analyze adds to the latter.
 *
 * Minutes of CPU: behind BENCH_PEERS_SWEEP=1 in `npm run bench`; alone: `node test/bench/peers-sweep.ts`
 * (BENCH_RUNS and BENCH_PEERS_SWEEP_CAP_S apply).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCluster, SIZES, type GeneratorOptions } from './generate.ts';
import { PEER_TOOLS, peerBinary } from './peer-tools.ts';
import {
  analyzeCommand,
  measureNetglass,
  NETGLASS,
  peerCluster,
  REPEAT_BELOW_MS,
  writeInputs,
  type Command,
} from './peers.ts';
import {
  ensureBundle,
  GNU_TIME,
  haveGnuTime,
  measure,
  median,
  RUNS,
  type RowFn,
  type Usage,
} from './process.ts';

/** The same mix as SIZES.P995 and SIZES.L: 20 pods per namespace, one policy per 5 pods. */
export const SWEEP_SIZES: readonly GeneratorOptions[] = [
  SIZES.P995,
  { seed: 1, namespaces: 100, pods: 2000, policies: 400 },
  { seed: 1, namespaces: 200, pods: 4000, policies: 800 },
  { seed: 1, namespaces: 300, pods: 6000, policies: 1200 },
  SIZES.L,
];

/** Issue 16: netglass at least this many times faster than the peer. */
const TARGET_SPEEDUP = 100;
const PRLIMIT = '/usr/bin/prlimit';
/** GNU time exits 128 + 9 when its command was killed (here: by the kernel, at the CPU limit). */
const KILLED = 137;
/** A wall-clock backstop, cap × this: only a machine many times over-subscribed reaches it. */
const WALL_BACKSTOP = 6;

function capSeconds(): number {
  const raw = process.env.BENCH_PEERS_SWEEP_CAP_S;
  const n = raw === undefined || raw === '' ? 300 : Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`BENCH_PEERS_SWEEP_CAP_S must be a positive number of seconds, got "${raw ?? ''}"`);
  return n;
}

/** The peer's figure at one size: its runs, or that it did not finish, or why it failed. */
type PeerOutcome =
  | { readonly kind: 'finished'; readonly runs: readonly Usage[] }
  /** Killed at the cap: `run` is what it had used by then (no CPU figure if the backstop hit). */
  | { readonly kind: 'capped'; readonly capS: number; readonly run: Usage }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

interface SizeResult {
  readonly pods: number;
  readonly policies: number;
  readonly netglass: readonly Usage[];
  readonly peer: PeerOutcome;
}

type NetglassRuns =
  { readonly ok: true; readonly runs: readonly Usage[] } | { readonly ok: false; readonly reason: string };

/**
 * `prlimit` execs the peer with soft = hard CPU limit, so the kernel sends it SIGKILL at the cap. The
 * wall backstop kills GNU time only; the peer then still dies at its CPU limit.
 */
function runPeer(peer: Command, capS: number): Usage {
  const limit = Math.ceil(capS);
  return measure(PRLIMIT, [`--cpu=${limit}:${limit}`, peer[0], ...peer[1]], {
    timeoutMs: capS * WALL_BACKSTOP * 1000,
  });
}

async function netglassRun(netglass: Command): Promise<NetglassRuns> {
  const { usage, fromSources } = await measureNetglass(netglass);
  if (fromSources)
    return { ok: false, reason: 'netglass ran from its sources: the CLI bundle kept going stale' };
  if (usage.status !== 0 && usage.status !== 1)
    return { ok: false, reason: `netglass exited ${String(usage.status)}: ${usage.stderr}` };
  return { ok: true, runs: [usage] };
}

/**
 * netglass `RUNS` times; the peer after each of them while it stays under REPEAT_BELOW_MS (a peer
 * run of minutes is measured once), unless `skip` already says it will not be run.
 */
async function pairedAtSize(
  netglass: Command,
  peer: Command,
  capS: number,
  skip: PeerOutcome | undefined,
): Promise<{ netglass: NetglassRuns; peer: PeerOutcome }> {
  const ours: Usage[] = [];
  const theirs: Usage[] = [];
  let outcome: PeerOutcome | undefined = skip;
  for (let i = 0; i < RUNS; i++) {
    const n = await netglassRun(netglass);
    if (!n.ok) return { netglass: n, peer: outcome ?? { kind: 'skipped', reason: 'netglass failed' } };
    ours.push(...n.runs);
    if (outcome !== undefined) continue;
    const u = runPeer(peer, capS);
    if (u.status === KILLED || u.status === null) {
      outcome = { kind: 'capped', capS, run: u };
      continue;
    }
    if (u.status !== 0) {
      outcome = { kind: 'failed', reason: `exited ${String(u.status)}: ${u.stderr}` };
      continue;
    }
    theirs.push(u);
    if (u.wallMs > REPEAT_BELOW_MS || i === RUNS - 1) outcome = { kind: 'finished', runs: theirs };
  }
  return {
    netglass: { ok: true, runs: ours },
    peer: outcome ?? { kind: 'finished', runs: theirs },
  };
}

const wall = (u: readonly Usage[]): number => median(u.map((x) => x.wallMs));
const cpu = (u: readonly Usage[]): number => median(u.map((x) => x.cpuMs));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/**
 * How many times faster netglass is, by wall or by CPU: exact when the peer finished, a lower bound
 * when it was killed at the cap.
 */
function speedup(
  r: SizeResult,
  by: (u: readonly Usage[]) => number = wall,
): { readonly value: number; readonly bound: boolean } | undefined {
  const ng = by(r.netglass);
  if (ng <= 0) return undefined;
  if (r.peer.kind === 'finished') return { value: by(r.peer.runs) / ng, bound: false };
  if (r.peer.kind === 'capped') {
    const used = by([r.peer.run]);
    return used > 0 ? { value: used / ng, bound: true } : undefined;
  }
  return undefined;
}

function ratioText(s: { readonly value: number; readonly bound: boolean } | undefined): string {
  return s === undefined ? '—' : `${s.bound ? '> ' : ''}${s.value.toFixed(s.value < 10 ? 1 : 0)}×`;
}

/**
 * Where the ratio would reach the target if it keeps growing as it did between the two largest
 * sizes the peer finished (a power law in pods): an estimate, printed as one.
 */
function extrapolate(results: readonly SizeResult[]): string | undefined {
  const done = results.filter((r) => r.peer.kind === 'finished');
  const [a, b] = done.slice(-2);
  if (a === undefined || b === undefined) return undefined;
  const [ra, rb] = [speedup(a)?.value, speedup(b)?.value];
  if (ra === undefined || rb === undefined || rb <= ra) return undefined;
  const k = Math.log(rb / ra) / Math.log(b.pods / a.pods);
  const pods = b.pods * Math.pow(TARGET_SPEEDUP / rb, 1 / k);
  return `the ratio grew as pods^${k.toFixed(2)} between ${a.pods} and ${b.pods} pods; at that rate ${TARGET_SPEEDUP}× would come near ${Math.round(pods / 100) * 100} pods (an extrapolation, not a measurement)`;
}

function reportSize(row: RowFn, r: SizeResult, origin: string): string[] {
  const scenario = `analyze sweep, ${r.pods} pods: netglass vs netpol-analyzer`;
  const ng = wall(r.netglass);
  const s = ratioText(speedup(r));
  const load = `load ${loadavg()[0]?.toFixed(1) ?? '?'}`;
  const peerRuns = r.peer.kind === 'finished' ? r.peer.runs.length : r.peer.kind === 'capped' ? 1 : 0;
  row(
    scenario,
    'netglass wall',
    ng,
    'ms',
    r.peer.kind === 'finished' ? Math.round(wall(r.peer.runs) / TARGET_SPEEDUP) : undefined,
    undefined,
    `${s === '—' ? 'no ratio (the peer was not measured)' : `${s} faster`} (target ≥ ${TARGET_SPEEDUP}×); ${r.netglass.length} netglass runs, ${peerRuns} of the peer, ${load}`,
  );
  row(scenario, 'netglass CPU (user+sys)', cpu(r.netglass), 'ms');
  row(scenario, 'netglass peak resident memory', Math.max(...r.netglass.map((u) => u.rssMB)), 'MB');
  let peerWall: string;
  let peerCpu = '—';
  let peerMem = '—';
  switch (r.peer.kind) {
    case 'finished':
      row(scenario, 'netpol-analyzer wall', wall(r.peer.runs), 'ms', undefined, undefined, origin);
      row(scenario, 'netpol-analyzer CPU (user+sys)', cpu(r.peer.runs), 'ms');
      row(
        scenario,
        'netpol-analyzer peak resident memory',
        Math.max(...r.peer.runs.map((u) => u.rssMB)),
        'MB',
      );
      peerWall = seconds(wall(r.peer.runs));
      peerCpu = seconds(cpu(r.peer.runs));
      peerMem = `${Math.max(...r.peer.runs.map((u) => u.rssMB)).toFixed(0)} MB`;
      break;
    case 'capped': {
      const u = r.peer.run;
      row(
        scenario,
        'netpol-analyzer wall',
        u.wallMs,
        'ms',
        undefined,
        undefined,
        `did not finish: killed at the ${r.peer.capS} s CPU cap (a lower bound); ${origin}`,
      );
      if (u.cpuMs > 0) row(scenario, 'netpol-analyzer CPU (user+sys), killed', u.cpuMs, 'ms');
      peerWall = `> ${seconds(u.wallMs)} (killed)`;
      peerCpu = u.cpuMs > 0 ? `> ${seconds(u.cpuMs)}` : '—';
      peerMem = u.rssMB > 0 ? `> ${u.rssMB.toFixed(0)} MB` : '—';
      console.log(
        `peers sweep: ${r.pods} pods: netpol-analyzer did not finish within ${r.peer.capS} s of CPU (killed after ${seconds(u.wallMs)} wall)`,
      );
      break;
    }
    case 'skipped':
    case 'failed':
      peerWall = r.peer.kind;
      console.log(`peers sweep: ${r.pods} pods: netpol-analyzer ${r.peer.kind}: ${r.peer.reason}`);
      break;
  }
  return [
    String(r.pods),
    String(r.policies),
    seconds(ng),
    seconds(cpu(r.netglass)),
    `${Math.max(...r.netglass.map((u) => u.rssMB)).toFixed(0)} MB`,
    peerWall,
    peerCpu,
    peerMem,
    s,
    ratioText(speedup(r, cpu)),
  ];
}

/**
 * Node's own start-up and netglass's with no work, each run beside an analyze of the 995-pod size (so
 * load hits the three alike): what 100× at that size leaves for the work.
 */
async function floor(row: RowFn, result: SizeResult, netglass: Command): Promise<void> {
  const bare: Usage[] = [];
  const idle: Usage[] = [];
  const whole: Usage[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(measure(process.execPath, ['-e', '0']));
    idle.push(measure(process.execPath, [NETGLASS, '--version']));
    const n = await netglassRun(netglass);
    if (!n.ok) {
      console.log(`peers sweep: netglass start-up floor skipped: ${n.reason}`);
      return;
    }
    whole.push(...n.runs);
  }
  const scenario = `analyze sweep, ${result.pods} pods: netglass wall by part`;
  const [bareMs, idleMs, totalMs] = [wall(bare), wall(idle), wall(whole)];
  const cpuNote = (u: readonly Usage[]): string => `CPU ${cpu(u).toFixed(0)} ms`;
  row(scenario, 'Node start-up alone (node -e 0)', bareMs, 'ms', undefined, undefined, cpuNote(bare));
  row(
    scenario,
    'netglass start-up (--version: launcher + bundle)',
    idleMs,
    'ms',
    undefined,
    undefined,
    cpuNote(idle),
  );
  row(scenario, 'analyze, whole process', totalMs, 'ms', undefined, undefined, cpuNote(whole));
  row(scenario, 'analyze work (whole process − start-up)', totalMs - idleMs, 'ms');
  console.log(
    `peers sweep: at ${result.pods} pods netglass takes ${totalMs.toFixed(0)} ms: Node alone ${bareMs.toFixed(0)} ms, ` +
      `netglass doing nothing ${idleMs.toFixed(0)} ms, so the analysis itself ${(totalMs - idleMs).toFixed(0)} ms`,
  );
  if (result.peer.kind === 'finished') {
    const budget = wall(result.peer.runs) / TARGET_SPEEDUP;
    const verdict =
      budget < bareMs
        ? `less than Node's own start-up (${bareMs.toFixed(0)} ms)`
        : budget < idleMs
          ? `less than netglass's start-up with no work (${idleMs.toFixed(0)} ms)`
          : `${(budget - idleMs).toFixed(0)} ms for the work after netglass's start-up (${idleMs.toFixed(0)} ms)`;
    // CPU says the same with less noise from a shared machine.
    const cpuBudget = cpu(result.peer.runs) / TARGET_SPEEDUP;
    console.log(
      `peers sweep: ${TARGET_SPEEDUP}× at ${result.pods} pods leaves ≤ ${budget.toFixed(0)} ms for the whole process: ${verdict}; ` +
        `by CPU ≤ ${cpuBudget.toFixed(0)} ms, where Node alone uses ${cpu(bare).toFixed(0)} ms and netglass doing nothing ${cpu(idle).toFixed(0)} ms`,
    );
  }
}

function printTable(lines: readonly string[][]): void {
  const head = [
    'pods',
    'policies',
    'netglass wall',
    'CPU',
    'peak RSS',
    'netpol-analyzer wall',
    'CPU',
    'peak RSS',
    'speed-up (wall)',
    '(CPU)',
  ];
  const all = [head, ...lines];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  for (const r of all)
    console.log(
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

export async function benchPeersSweep(
  row: RowFn,
  sizes: readonly GeneratorOptions[] = SWEEP_SIZES,
): Promise<void> {
  if (!haveGnuTime() || !existsSync(PRLIMIT)) {
    console.log(`peers sweep skipped: needs ${GNU_TIME} (GNU time) and ${PRLIMIT} (util-linux)`);
    return;
  }
  const tool = PEER_TOOLS.find((t) => t.name === 'netpol-analyzer');
  if (tool === undefined) return;
  const found = peerBinary(tool);
  if (!found.ok) {
    console.log(`peers sweep: netpol-analyzer is not available, skipped: ${found.reason}`);
    return;
  }
  const capS = capSeconds();
  await ensureBundle('cli');
  const dir = mkdtempSync(join(tmpdir(), 'netglass-bench-sweep-'));
  const results: SizeResult[] = [];
  const lines: string[][] = [];
  try {
    let skip: PeerOutcome | undefined;
    for (const opts of sizes) {
      const snapshot = peerCluster(generateCluster(opts));
      const inputs = writeInputs(snapshot, join(dir, String(opts.pods)));
      const netglass: Command = [process.execPath, [NETGLASS, 'analyze', '--manifests', inputs.cluster]];
      const peer = analyzeCommand(tool, found.path, inputs);
      const paired = await pairedAtSize(netglass, peer, capS, skip);
      if (!paired.netglass.ok) {
        console.log(`peers sweep: ${snapshot.pods.length} pods: ${paired.netglass.reason}; sweep stopped`);
        break;
      }
      const result: SizeResult = {
        pods: snapshot.pods.length,
        policies: snapshot.policies.length,
        netglass: paired.netglass.runs,
        peer: paired.peer,
      };
      results.push(result);
      lines.push(reportSize(row, result, found.origin));
      if (opts === SIZES.P995) await floor(row, result, netglass);
      if (paired.peer.kind === 'capped' || paired.peer.kind === 'skipped')
        skip = { kind: 'skipped', reason: `not run: it passed the ${capS} s cap at a smaller size` };
      rmSync(join(dir, String(opts.pods)), { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nnetglass analyze vs netpol-analyzer (k8snetpolicy list -o json), ${found.origin}:`);
  printTable(lines);
  const first = results.find((r) => (speedup(r)?.value ?? 0) >= TARGET_SPEEDUP);
  const bound = first !== undefined && speedup(first)?.bound === true;
  console.log(
    first === undefined
      ? `${TARGET_SPEEDUP}× not reached within the sizes measured`
      : `${TARGET_SPEEDUP}× first reached at ${first.pods} pods${bound ? ' (netpol-analyzer did not finish: the ratio is a lower bound)' : ''}`,
  );
  // Between the last exact ratio under the target and a lower bound, or past the sizes measured.
  const estimate = first === undefined || bound ? extrapolate(results) : undefined;
  if (estimate !== undefined) console.log(estimate);
}

/**
 * `node test/bench/peers-sweep.ts [PODS...]` runs the sweep alone (or only the sizes with those pod
 * counts) and prints its rows as they come;
 * `node test/bench/peers-sweep.ts --inputs DIR` only writes each size's inputs under DIR/<pods>/, for
 * running (or profiling) the tools by hand.
 */
if (import.meta.main && process.argv.includes('--inputs')) {
  const dir = process.argv[process.argv.indexOf('--inputs') + 1];
  if (dir === undefined || dir.startsWith('--')) {
    console.error('usage: node test/bench/peers-sweep.ts [--inputs DIR]');
    process.exit(2);
  }
  for (const opts of SWEEP_SIZES) {
    const snapshot = peerCluster(generateCluster(opts));
    const inputs = writeInputs(snapshot, join(dir, String(snapshot.pods.length)));
    console.log(`${snapshot.pods.length} pods, ${snapshot.policies.length} policies → ${inputs.cluster}`);
  }
} else if (import.meta.main) {
  const wanted = process.argv.slice(2).map(Number);
  const sizes = wanted.length === 0 ? SWEEP_SIZES : SWEEP_SIZES.filter((o) => wanted.includes(o.pods));
  if (sizes.length !== wanted.length && wanted.length > 0) {
    console.error(
      `usage: node test/bench/peers-sweep.ts [PODS...], PODS among ${SWEEP_SIZES.map((o) => o.pods).join(', ')}`,
    );
    process.exit(2);
  }
  await benchPeersSweep((scenario, metric, value, unit, target, _aim, note) => {
    const bound = target === undefined ? '' : `  (≤ ${target} ${unit}: ${value <= target ? 'pass' : 'FAIL'})`;
    console.log(`${scenario} | ${metric}: ${value.toFixed(0)} ${unit}${bound}${note ? `  — ${note}` : ''}`);
  }, sizes);
  console.log(
    `load average (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
