/**
 * `netglass flows`: observed traffic (Hubble or Calico flow logs) against the policies — what it
 * confirms, what contradicts them and why, audit findings, rules that allowed none of it — and, with
 * --generate, least-privilege NetworkPolicy drafts from the allowed flows.
 */
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import {
  FlowImport,
  generatePolicies,
  parseRfc3339,
  policyYaml,
  type FlowComparison,
  type GenerateResult,
  type TimeWindow,
} from '../../../shared/flows/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import { flowsJson, flowsText, type FlowsOutput } from '../format/flows.ts';
import { flowsMarkdown } from '../format/flows-markdown.ts';
import { fsErrorText } from '../fs-errors.ts';
import { readParallel, startsWithJsonLine, workersFor } from './flows-parallel.ts';

/** Exit status when the flows contradict the policies. */
export const EXIT_CONTRADICTIONS = 1;

/** A flow file to read: its name for messages, and its text in chunks (opened when first read). */
export interface FlowSource {
  readonly name: string;
  readonly chunks: () => AsyncIterable<string | Buffer>;
  /** A regular file's path: a big one is read by worker threads (flows-parallel.ts). */
  readonly path?: string;
}

/** `-` is standard input; anything else a file, read in 1 MiB pieces. */
export function flowSource(path: string, stdin: NodeJS.ReadableStream = process.stdin): FlowSource {
  if (path === '-') return { name: '<stdin>', chunks: () => stdin as AsyncIterable<string | Buffer> };
  return {
    name: path,
    path,
    chunks: () => createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }),
  };
}

function readError(name: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'a directory (give the flow files themselves)'
        : e instanceof Error
          ? e.message
          : String(e);
  return new UsageError(`cannot read flows from ${name}: ${why}`);
}

/** How many worker threads read the source (0: the main thread), by its size and first line. */
async function workersForSource(source: FlowSource): Promise<number> {
  if (source.path === undefined) return 0;
  let size: number;
  try {
    const s = await stat(source.path);
    if (!s.isFile()) return 0;
    size = s.size;
  } catch {
    return 0; // reading it says why
  }
  const n = workersFor(size);
  // One pretty-printed JSON document cannot be cut at lines.
  return n >= 2 && (await startsWithJsonLine(source.path)) ? n : 0;
}

export interface FlowsRun {
  readonly flows: FlowImport;
  readonly comparison: FlowComparison;
  /** Wall time per phase, ms: analysis, reading (parse, map, aggregate), comparison. */
  readonly phases: { readonly analyze: number; readonly read: number; readonly compare: number };
  /** Worker threads that read the biggest file (0: read on the main thread). */
  readonly threads: number;
}

/** `--since`/`--until` as a window; a bad time is a usage error naming the flag. */
export function windowOption(since: string | undefined, until: string | undefined): TimeWindow {
  const bound = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const parsed = parseRfc3339(text);
    if (!parsed.ok)
      throw new UsageError(
        `--${flag} ${JSON.stringify(text)}: ${parsed.error} (for example 2026-12-03T10:00:00Z)`,
      );
    return parsed.ms;
  };
  const from = bound('since', since);
  const to = bound('until', until);
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--since ${since ?? ''} is after --until ${until ?? ''}: the window is empty`);
  return { ...(from !== undefined ? { since: from } : {}), ...(to !== undefined ? { until: to } : {}) };
}

/**
 * Reads every source into one import and compares it with the snapshot's policies; with `window`,
 * only the records inside it.
 */
export async function computeFlows(
  snapshot: Snapshot,
  sources: readonly FlowSource[],
  window?: TimeWindow,
): Promise<FlowsRun> {
  const t0 = performance.now();
  const analyzer = createAnalyzer(snapshot);
  const flows = new FlowImport(snapshot, analyzer);
  const t1 = performance.now();
  let threads = 0;
  for (const source of sources) {
    const workers = await workersForSource(source);
    if (workers >= 2 && source.path !== undefined) {
      try {
        await readParallel(
          flows,
          snapshot,
          analyzer.universe().externals,
          source.path,
          source.name,
          (await stat(source.path)).size,
          workers,
        );
        threads = Math.max(threads, workers);
        continue;
      } catch {
        // A worker failed (nothing was absorbed): read the file on this thread, as a small one is.
      }
    }
    const reader = flows.reader(source.name);
    const decoder = new TextDecoder();
    try {
      for await (const chunk of source.chunks())
        reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    } catch (e) {
      throw readError(source.name, e);
    }
    reader.push(decoder.decode());
    reader.end();
  }
  const t2 = performance.now();
  const comparison = flows.compare(window);
  return {
    flows,
    comparison,
    phases: { analyze: t1 - t0, read: t2 - t1, compare: performance.now() - t2 },
    threads,
  };
}

/** Writes one YAML file per generated policy (`<namespace>.<name>.yaml`). */
export async function writeDrafts(
  dir: string,
  generated: GenerateResult,
): Promise<NonNullable<FlowsOutput['generated']>> {
  await mkdir(dir, { recursive: true });
  const files: { file: string; policy: string; flows: number }[] = [];
  for (const g of generated.policies) {
    const file = join(dir, `${g.policy.namespace}.${g.policy.name}.yaml`);
    await writeFile(file, policyYaml(g.policy));
    files.push({ file, policy: `${g.policy.namespace}/${g.policy.name}`, flows: g.flows });
  }
  return { dir, files, skipped: generated.skipped };
}

export const flowsCommand: Command = {
  name: 'flows',
  summary:
    'observed flows (Hubble, Calico) against the policies; drafts from them (exit 1 on contradictions)',
  usage:
    'netglass flows --manifests <path>... --flows <file|->... [--since <time>] [--until <time>] [--format text|json|markdown] [--limit <n>] [--generate <dir>]',
  description:
    'Reads flow logs — Hubble JSON lines (hubble observe -o json, the Hubble exporter) or Calico Goldmane/Whisker\n' +
    'flows (JSON lines or one JSON document) — maps their endpoints to the snapshot’s pods (namespace and name,\n' +
    'else IP, else labels; addresses outside the cluster stay addresses) and asks the evaluator about each\n' +
    'distinct (source, destination, port). Each is confirmed, a contradiction (seen allowed but the policies deny\n' +
    'it, or dropped by a policy but they allow it; with the likely cause: a CNI policy outside the analysis,\n' +
    'policies changed since, a CNI reading ipBlock or the admin tiers differently), audit (Cilium audit mode,\n' +
    'Calico staged policies) or undecided. Lists every rule with the seen flows it allowed: rules that allowed\n' +
    'none are tightening candidates. Replies, L7 records, ICMP and non-IP records are counted, not compared.\n' +
    '--generate <dir> writes least-privilege NetworkPolicy drafts (one per workload) allowing the seen traffic.\n' +
    '--since/--until (RFC 3339 times) compare only the records inside that window: a record counts when its\n' +
    'time (a Calico aggregate: its interval) overlaps it; records without a time are left out. Rules that\n' +
    'allowed none of the traffic are then the rules unused in that window.\n' +
    'Exit status: 0 no contradiction, 1 contradictions, 2 bad input (no record of a known format, or a --generate\n' +
    'directory that cannot be written).',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'flows',
      type: 'string',
      greedy: true,
      valueName: 'file|-',
      description: 'flow files (JSON lines or one JSON document); - reads standard input; repeatable',
    },
    {
      name: 'since',
      type: 'string',
      valueName: 'time',
      description: 'only records at or after this RFC 3339 time (2026-12-03T10:00:00Z, or with ±hh:mm)',
    },
    {
      name: 'until',
      type: 'string',
      valueName: 'time',
      description: 'only records at or before this RFC 3339 time',
    },
    {
      name: 'limit',
      type: 'string',
      valueName: 'n',
      description: 'entries per list (default 20 for text and markdown, 1000 for json); counts stay exact',
    },
    {
      name: 'generate',
      type: 'string',
      valueName: 'dir',
      description:
        'write NetworkPolicy drafts allowing exactly the seen allowed flows, one file per workload',
    },
    formatOption(['text', 'json', 'markdown'], 'text'),
  ],
  examples: [
    'hubble observe --since 1h -o json > flows.json && netglass flows --manifests k8s/ --flows flows.json',
    'hubble observe -o json --last 10000 | netglass flows --context prod --flows - --format markdown',
    'netglass flows --manifests k8s/ --flows goldmane.jsonl --generate drafts/',
    'netglass flows -f k8s/ --flows flows.json --since 2026-12-03T09:00:00Z --until 2026-12-03T10:00:00Z',
  ],
  async run(args, io) {
    noPositionals(args);
    const paths = args.options.get('flows') ?? [];
    if (paths.length === 0) throw new UsageError('--flows is required: a flow file, or - for standard input');
    if (paths.filter((p) => p === '-').length > 1)
      throw new UsageError('--flows - (standard input) may be given once');
    const as = format(args, 'text');
    const limitText = args.options.get('limit')?.[0];
    const limit = limitText === undefined ? (as === 'json' ? 1000 : 20) : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0)
      throw new UsageError(`--limit must be a whole number (got ${JSON.stringify(limitText)})`);
    const window = windowOption(args.options.get('since')?.[0], args.options.get('until')?.[0]);
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const { flows, comparison } = await computeFlows(
      input.snapshot,
      paths.map((p) => flowSource(p)),
      window,
    );
    const read = comparison.read;
    const records = read.records.hubble + read.records.calico;
    const skipped = Object.values(read.skipped).reduce((a, b) => a + (b ?? 0), 0);
    if (records + skipped === 0) {
      for (const e of comparison.errors.slice(0, 5))
        io.err(
          `netglass flows: ${e.location.file}:${e.location.line}: ${e.field !== undefined ? `${e.field}: ` : ''}${e.message}\n`,
        );
      io.err(
        `netglass flows: no Hubble or Calico flow record in ${paths.map((p) => (p === '-' ? '<stdin>' : p)).join(', ')}${
          read.lines === 0 ? ' (empty)' : ''
        }; expected JSON lines from hubble observe -o json, or Goldmane/Whisker flows\n`,
      );
      return EXIT.badInput;
    }
    for (const e of comparison.errors.slice(0, 5))
      io.err(
        `netglass flows: warning: ${e.location.file}:${e.location.line}: ${e.field !== undefined ? `${e.field}: ` : ''}${e.message}\n`,
      );
    if (read.errorCount > 5)
      io.err(`netglass flows: warning: ${read.errorCount - 5} more lines are not flow records\n`);
    const dir = args.options.get('generate')?.[0];
    let generated: FlowsOutput['generated'];
    if (dir !== undefined) {
      try {
        generated = await writeDrafts(
          dir,
          generatePolicies(input.snapshot, flows.aggregator.windowed(window).flows),
        );
      } catch (e) {
        // Nothing went to stdout yet: a CI step that asked for drafts fails as for any unwritable output.
        io.err(`netglass flows: cannot write the drafts to ${dir}: ${fsErrorText(e)}\n`);
        return EXIT.badInput;
      }
    }
    const out: FlowsOutput = {
      comparison,
      files: paths.map((p) => (p === '-' ? '<stdin>' : p)),
      limit,
      ...(generated ? { generated } : {}),
    };
    await io.out(
      as === 'json'
        ? `${JSON.stringify(flowsJson(out), null, 2)}\n`
        : as === 'markdown'
          ? flowsMarkdown(out)
          : flowsText(out),
    );
    return comparison.counts.contradiction > 0 ? EXIT_CONTRADICTIONS : EXIT.ok;
  },
};
