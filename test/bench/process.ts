/**
 * Whole-process measurements for the command-line benches (cli.ts, web.ts, peers.ts): a program run
 * under GNU time (CPU = user + system, peak resident memory; wall timed here), stdout to /dev/null; medians; and
 * which prebuilt builds the launchers will use (bin/fresh-build.js decides; plain JS, no types).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type RowFn = (
  scenario: string,
  metric: string,
  value: number,
  unit: 'ms' | 'MB',
  target?: number,
  aim?: number,
  note?: string,
) => void;

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GNU_TIME = '/usr/bin/time';
export const RUNS = Number(process.env.BENCH_RUNS ?? 5);

export interface Usage {
  /** user + system, as GNU time reports them: in hundredths of a second. */
  readonly cpuMs: number;
  readonly rssMB: number;
  readonly wallMs: number;
  readonly status: number | null;
  /** The last lines the program wrote to stderr (for a failure's reason). */
  readonly stderr: string;
}

/** Whether GNU time is there; the benches that need it say so and skip when it is not. */
export function haveGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** Runs `command args` under GNU time, stdout to /dev/null. */
export function measure(
  command: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {},
): Usage {
  const report = join(tmpdir(), `netglass-bench-time-${process.pid}.txt`);
  const devNull = openSync('/dev/null', 'w');
  // Wall from here: GNU time prints it in hundredths of a second, too coarse for a 2-pod run.
  const started = performance.now();
  const r = spawnSync(GNU_TIME, ['-o', report, '-f', '%U %S %M', command, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', devNull, 'pipe'],
    maxBuffer: 256 << 20,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' } : {}),
  });
  const wallMs = performance.now() - started;
  closeSync(devNull);
  let fields: number[] = [];
  try {
    fields = readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  } catch {
    // killed before GNU time wrote its report: the status says so
  }
  rmSync(report, { force: true });
  const [user, sys, kb] = fields;
  return {
    cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000,
    rssMB: (kb ?? 0) / 1024,
    wallMs,
    status: r.error !== undefined ? null : r.status,
    stderr: r.stderr.toString('utf8').trim().split('\n').slice(-3).join('\n'),
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
}

/** Whether the launchers will use the named build under out/ (see bin/fresh-build.js). */
export async function buildIsFresh(name: 'cli' | 'web' | 'renderer'): Promise<boolean> {
  const mod: unknown = await import(pathToFileURL(join(ROOT, 'bin', 'fresh-build.js')).href);
  const fresh: unknown = typeof mod === 'object' && mod !== null ? Reflect.get(mod, 'freshBuild') : undefined;
  return typeof fresh === 'function' && typeof Reflect.apply(fresh, undefined, [ROOT, name]) === 'string';
}

const CONFIGS = { cli: 'electron/cli/vite.config.ts', web: 'electron/web/vite.config.ts' } as const;

/**
 * Builds a launcher's bundle when it is stale (as `npm run build:cli` / `build:web` would), so the
 * bench measures what an install runs; says what it did, for the rows' notes.
 */
export async function ensureBundle(name: keyof typeof CONFIGS): Promise<string> {
  if (await buildIsFresh(name)) return 'bundle';
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', CONFIGS[name]],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (r.status === 0 && (await buildIsFresh(name))) return 'bundle (rebuilt: it was stale)';
  return `bundle stale and its build failed: ran from sources (npm run build:${name})`;
}
