/**
 * Seeded fuzzing of the manifest reader (issue 11): 10,000 mutants of the fixture manifests per run
 * (test/fixtures, cut to a few documents, changed one to four times: YAML indicators, YAML 1.1 scalars,
 * tabs, BOMs, every kind of line break, misspelt and doubled keys, truncation, JSON respellings, absurd
 * nesting; manifest-fuzz-worker.ts), through the library, and a sample through the CLI. Asserted:
 * - library: no exception escapes, every error names its file and a line and column inside the text,
 *   and the fast YAML reader gives exactly what the general one gives whenever it accepts;
 * - CLI (`netglass analyze`, the bundle when it is fresh): exit 0 or 2, never another, and every
 *   message line is `file:line:col: …` (or netglass's own summary);
 * - nothing hangs: the library runs in a worker thread the test stops when it makes no progress, and
 *   each CLI process has a timeout.
 *
 * Runs: NETGLASS_FUZZ_RUNS (default 10,000); seed: NETGLASS_PROPERTY_SEED (fixed by default, `random`
 * for a new one). A failure prints the seed and the mutant's index: `mutant(seed, index)` rebuilds it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { BASES, mutant } from './manifest-fuzz-worker.ts';
import type { FuzzJob, FuzzReport } from './manifest-fuzz-worker.ts';

const RUNS = Number(process.env.NETGLASS_FUZZ_RUNS ?? 10_000);
const SEED_SETTING = process.env.NETGLASS_PROPERTY_SEED ?? '20261202';
const SEED = SEED_SETTING === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(SEED_SETTING);
/** No mutant takes more than a fraction of a second; this long without progress is a hang. */
const STALL_MS = 30_000;
/** Whole-test guards, far above the usual (~15 s for the library part on a busy 2-core machine). */
const LIBRARY_TIMEOUT = 300_000 + RUNS * 20;
const CLI_PROCESSES = 3;
const CLI_FILES_PER_PROCESS = 40;
const CLI_TIMEOUT = 120_000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'netglass.js');

const reproduce = (index: number): string =>
  `seed ${SEED}, mutant ${index} (NETGLASS_PROPERTY_SEED=${SEED}; mutant(${SEED}, ${index}) in test/property/manifest-fuzz-worker.ts)`;

function runLibrary(): Promise<FuzzReport | { kind: 'stalled'; index: number }> {
  const progress = new SharedArrayBuffer(8);
  const counters = new Int32Array(progress);
  const worker = new Worker(new URL('./manifest-fuzz-worker.ts', import.meta.url), {
    workerData: { fuzz: true },
  });
  return new Promise((resolve, reject) => {
    let last = -1;
    let lastChange = Date.now();
    const watchdog = setInterval(() => {
      const done = Atomics.load(counters, 1);
      if (done !== last) {
        last = done;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > STALL_MS) {
        finish({ kind: 'stalled', index: Atomics.load(counters, 0) });
      }
    }, 1000);
    const finish = (r: FuzzReport | { kind: 'stalled'; index: number }): void => {
      clearInterval(watchdog);
      void worker.terminate();
      resolve(r);
    };
    worker.on('message', (r: FuzzReport) => finish(r));
    worker.on('error', (e: unknown) => {
      clearInterval(watchdog);
      reject(e instanceof Error ? e : new Error(String(e)));
    });
    worker.postMessage({ seed: SEED, from: 0, to: RUNS, progress } satisfies FuzzJob);
  });
}

describe(`manifest fuzzing (seed ${SEED})`, () => {
  it(
    `${RUNS} mutants through the library: no exception, every error positioned, no hang`,
    async () => {
      expect(BASES.length).toBeGreaterThan(50);
      const r = await runLibrary();
      if (r.kind === 'stalled') expect.fail(`no progress for ${STALL_MS / 1000} s at ${reproduce(r.index)}`);
      if (r.kind === 'failed')
        expect.fail(`${r.problem}\n${reproduce(r.index)}, file ${r.name}:\n${JSON.stringify(r.text)}`);
      expect(r.count).toBe(RUNS);
    },
    LIBRARY_TIMEOUT,
  );

  const dir = mkdtempSync(join(tmpdir(), 'netglass-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (let p = 0; p < CLI_PROCESSES; p++) {
    it(
      `a sample through the CLI (process ${p + 1} of ${CLI_PROCESSES}): exit 0 or 2, messages positioned`,
      () => {
        const batch = join(dir, `batch-${p}`);
        mkdirSync(batch);
        const indices: number[] = [];
        for (let k = 0; k < CLI_FILES_PER_PROCESS; k++) {
          // Spread over the run: every process sees other fixtures and mutations.
          const index =
            (p * CLI_FILES_PER_PROCESS + k) *
            Math.max(1, Math.floor(RUNS / (CLI_PROCESSES * CLI_FILES_PER_PROCESS)));
          const m = mutant(SEED, index);
          writeFileSync(join(batch, m.name), m.text);
          indices.push(index);
        }
        const r = spawnSync(process.execPath, [BIN, 'analyze', '--manifests', batch], {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: CLI_TIMEOUT,
          maxBuffer: 64 * 1024 * 1024,
        });
        const where = `seed ${SEED}, mutants ${indices.join(', ')} (files in ${batch} are removed after the run)`;
        expect(r.signal, `the CLI was stopped (hang?): ${where}`).toBeNull();
        expect([0, 2], `exit ${String(r.status)}: ${where}\n${r.stderr.slice(0, 3000)}`).toContain(r.status);
        const prefix = `${batch}/`;
        const unpositioned = r.stderr
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('netglass: '))
          .filter((l) => !(l.startsWith(prefix) && /^[^:]+:\d+:\d+: /.test(l.slice(prefix.length))));
        expect(unpositioned, where).toEqual([]);
      },
      CLI_TIMEOUT + 30_000,
    );
  }
});
