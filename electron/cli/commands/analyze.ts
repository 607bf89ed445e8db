/** `netglass analyze`: whole-cluster summary with timings. */
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { ClusterSummary, PortProbe } from '../../../shared/eval/index.ts';
import { lintSnapshot } from '../../../shared/lint/index.ts';
import type { LintFinding } from '../../../shared/lint/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import { analyzeJson, analyzeText } from '../format/analyze.ts';

export interface AnalyzeResult {
  readonly summary: ClusterSummary;
  /** Ports the policies mention; the summary's other probe ports stand for classes of unmentioned ports. */
  readonly mentioned: readonly PortProbe[];
  readonly snapshot: Snapshot;
  /** Lint findings (`netglass lint`), printed as warnings. */
  readonly lint: readonly LintFinding[];
  readonly timings: {
    readonly loadMs: number;
    readonly analysisMs: number;
    readonly details: Readonly<Record<string, number>>;
  };
}

export function computeAnalyze(
  snapshot: Snapshot,
  loadMs: number,
  details: Readonly<Record<string, number>> = {},
): AnalyzeResult {
  const t0 = performance.now();
  const analyzer = createAnalyzer(snapshot);
  const summary = analyzer.summary();
  const analysisMs = performance.now() - t0;
  return {
    summary,
    mentioned: analyzer.mentionedPorts(),
    snapshot,
    lint: lintSnapshot(snapshot),
    timings: { loadMs, analysisMs, details },
  };
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'whole-cluster summary: isolation, admin tiers, namespace matrix, allowed pairs per port, lint',
  usage: 'netglass analyze --manifests <path>... [--format text|json] [--matrix]',
  description:
    'Counts pods, namespaces, policies and pod classes; the admin-tier policies in evaluation order (tier,\n' +
    'priority); pods isolated per direction; the namespace x namespace matrix (all / some / none of the connections\n' +
    'flow); allowed pod pairs per probed port; the findings of netglass lint, as warnings; load and analysis time.\n' +
    'Ports probed: those the policies mention, plus one port for each class of ports the rules treat alike.',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'matrix',
      type: 'flag',
      description: 'print the namespace matrix even when there are more than 40 namespaces',
    },
    formatOption(['text', 'json'], 'text'),
  ],
  examples: ['netglass analyze --manifests cluster-dump.yaml', 'netglass analyze -f k8s/ --format json'],
  async run(args, io) {
    noPositionals(args);
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const result = computeAnalyze(input.snapshot, input.loadMs, input.details);
    if (format(args, 'text') === 'json') await io.out(`${JSON.stringify(analyzeJson(result), null, 2)}\n`);
    else await io.out(analyzeText(result, args.flags.has('matrix')));
    return EXIT.ok;
  },
};
