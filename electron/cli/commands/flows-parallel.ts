/**
 * Reading one big JSON-lines flow file on several cores: the file is cut at line starts into one
 * part per worker thread; each worker reads, maps and aggregates its part with a FlowImport of its
 * own (the same code as reading it whole) and sends back its aggregated flows and counts, which the
 * main thread absorbs in file order, line numbers shifted by the lines before each part. Parsing
 * JSON is most of an import's time, and it divides by the cores (when they are free: see
 * `workersFor`, off unless asked).
 *
 * The worker is this module itself, loaded again in a worker thread (from the CLI bundle, or from
 * sources when run from them): the `workerData` marker below starts its part.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  EndpointMapper,
  FlowAggregator,
  FlowReader,
  FlowReadTally,
  type AggregatorPart,
  type FlowImport,
  type FlowReadError,
  type FlowReadStats,
} from '../../../shared/flows/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

/** Files smaller than this are read on the main thread: starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

const MARK = 'netglass-flows-part';

interface PartJob {
  readonly mark: typeof MARK;
  readonly snapshot: Snapshot;
  readonly externals: readonly string[];
  readonly file: string;
  readonly name: string;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly first: boolean;
}

type PartResult =
  | {
      readonly ok: true;
      readonly part: AggregatorPart;
      readonly stats: FlowReadStats;
      readonly errors: readonly FlowReadError[];
      /** Lines of the part, blank ones too. */
      readonly lines: number;
    }
  | { readonly ok: false; readonly message: string };

/**
 * How many workers to read a file with: 0 (the main thread) unless NETGLASS_FLOW_WORKERS asks for
 * two or more, and then only for a file of PARALLEL_MIN_BYTES or more (any size when
 * NETGLASS_FLOW_WORKERS_ANY_SIZE=1, for tests).
 *
 * Off by default because it did not pay where measured (2026-12-03, 2 cores shared with other
 * jobs, load ~10): 200,000 Hubble records took 7.8 to 9.7 s CPU and 25 to 32 s wall with two
 * workers against 5.3 to 6.5 s CPU and 17 to 20 s wall on the main thread (each worker loads the
 * evaluator, receives a copy of the snapshot and sends back its flows), and the peak RSS rose
 * from ~400 to ~710 MB. On idle cores the parse would divide by them; measure before turning it on.
 */
export function workersFor(size: number, env: NodeJS.ProcessEnv = process.env): number {
  const asked = env['NETGLASS_FLOW_WORKERS'];
  if (asked === undefined || !/^\d+$/.test(asked)) return 0;
  // As many as asked (up to 8), even past the cores: whoever asks has measured.
  const n = Math.min(Number(asked), 8);
  if (n < 2 || (size < PARALLEL_MIN_BYTES && env['NETGLASS_FLOW_WORKERS_ANY_SIZE'] !== '1')) return 0;
  return n;
}

/** Byte offsets cutting the file into `n` parts, each starting at a line start. */
export async function lineCuts(file: string, size: number, n: number): Promise<number[]> {
  const cuts = [0];
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let k = 1; k < n; k++) {
      let at = Math.max(Math.floor((size * k) / n), cuts[cuts.length - 1] ?? 0);
      // The cut goes after the next newline at or past the even split.
      let found = -1;
      while (found < 0 && at < size) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, at);
        if (bytesRead === 0) break;
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) found = at + nl + 1;
        else at += bytesRead;
      }
      cuts.push(found < 0 ? size : found);
    }
  } finally {
    await handle.close();
  }
  cuts.push(size);
  return cuts;
}

/** Whether the file starts with one complete JSON value on its first line (JSON lines). */
export async function startsWithJsonLine(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    }
    return false;
  } finally {
    await handle.close();
  }
}

function runPart(job: PartJob): Promise<PartResult> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    let done = false;
    worker.once('message', (r: PartResult) => {
      done = true;
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', (e: unknown) => {
      if (!done) resolve({ ok: false, message: e instanceof Error ? e.message : String(e) });
    });
    worker.once('exit', (code) => {
      if (!done) resolve({ ok: false, message: `the worker reading ${job.name} stopped (exit ${code})` });
    });
  });
}

/**
 * Reads `file` into `flows` with `workers` threads. Rejects (with the reason) when a worker fails;
 * the caller then reads the file on the main thread instead, into a fresh import.
 */
export async function readParallel(
  flows: FlowImport,
  snapshot: Snapshot,
  externals: readonly string[],
  file: string,
  name: string,
  size: number,
  workers: number,
): Promise<void> {
  const cuts = await lineCuts(file, size, workers);
  const jobs: PartJob[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const start = cuts[k] ?? 0;
    const end = cuts[k + 1] ?? size;
    if (end > start || k === 0)
      jobs.push({ mark: MARK, snapshot, externals, file, name, start, end, first: k === 0 });
  }
  const results = await Promise.all(jobs.map(runPart));
  // Nothing is absorbed unless every part was read: the caller can fall back to one thread.
  const failed = results.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok) throw new Error(failed.message);
  let offset = 0;
  for (const r of results) {
    if (!r.ok) continue;
    flows.aggregator.absorb(r.part, offset);
    flows.tally.absorb(r.stats, r.errors, offset);
    offset += r.lines;
  }
}

/** In a worker: read one part and send back what it aggregated. */
async function partInWorker(job: PartJob): Promise<PartResult> {
  const tally = new FlowReadTally();
  const aggregator = new FlowAggregator(new EndpointMapper(job.snapshot, () => job.externals));
  const reader = new FlowReader(job.name, tally, (record, location) => aggregator.add(record, location), {
    linesOnly: !job.first,
  });
  if (job.end > job.start) {
    const stream = createReadStream(job.file, {
      start: job.start,
      end: job.end - 1,
      encoding: 'utf8',
      highWaterMark: 1 << 20,
    });
    for await (const chunk of stream) reader.push(chunk as string);
  }
  reader.end();
  return {
    ok: true,
    part: aggregator.part(),
    stats: tally.stats(),
    errors: tally.errors,
    lines: reader.lines,
  };
}

function isJob(v: unknown): v is PartJob {
  return typeof v === 'object' && v !== null && Reflect.get(v, 'mark') === MARK;
}

if (!isMainThread && isJob(workerData) && parentPort !== null) {
  const port = parentPort;
  partInWorker(workerData).then(
    (r) => port.postMessage(r),
    (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) }),
  );
}
