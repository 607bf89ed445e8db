/** Rendering of `netglass analyze` results. */
import type { Coverage } from '../../../shared/eval/index.ts';
import type { AnalyzeResult } from '../commands/analyze.ts';
import { formatPort } from '../targets.ts';
import { columns, ms, percent } from './text.ts';

const COVERAGE_MARK: Record<Coverage, string> = { all: '#', some: '+', none: '.', empty: ' ', unknown: '?' };

/** Stable keys; `timings` varies run to run. */
export function analyzeJson(r: AnalyzeResult): unknown {
  const s = r.summary;
  const n = s.namespaces.length;
  return {
    counts: {
      pods: s.stats.pods,
      namespaces: s.stats.namespaces,
      policies: s.stats.policies,
      classes: s.stats.classes,
      podsFromTemplates: r.snapshot.pods.filter((p) => p.fromTemplate).length,
    },
    isolated: { ingress: s.isolated.ingress, egress: s.isolated.egress, hostNetwork: s.isolated.hostNetwork },
    ports: s.universe.ports.map(formatPort),
    mentionedPorts: r.mentioned.map(formatPort),
    namespaces: s.namespaces,
    matrix: s.namespaces.map((_, i) => s.matrix.slice(i * n, (i + 1) * n).map((c) => c.coverage)),
    namespacePairs: s.matrix
      .filter((c) => c.coverage !== 'empty')
      .map((c) => ({ from: c.from, to: c.to, coverage: c.coverage, allowed: c.allowed, total: c.total })),
    allowedPodPairs: s.allowedPodPairs.map((p) => ({
      port: formatPort(p.probe),
      allowed: p.allowed,
      total: p.total,
    })),
    ...(s.partial ? { partial: true } : {}),
    issues: {
      errors: r.snapshot.issues.filter((i) => i.severity === 'error').length,
      warnings: r.snapshot.issues.filter((i) => i.severity === 'warning').length,
    },
    skippedKinds: r.snapshot.skippedKinds,
    timings: {
      loadMs: Math.round(r.timings.loadMs),
      analysisMs: Math.round(r.timings.analysisMs),
      ...Object.fromEntries(Object.entries(r.timings.details).map(([k, v]) => [k, Math.round(v)])),
    },
  };
}

export function analyzeText(r: AnalyzeResult, forceMatrix: boolean): string {
  const s = r.summary;
  const out: string[] = [];
  const templates = r.snapshot.pods.filter((p) => p.fromTemplate).length;
  out.push(
    columns(
      [
        ['pods', String(s.stats.pods), templates > 0 ? `(${templates} from workload templates)` : ''],
        ['namespaces', String(s.stats.namespaces), ''],
        ['policies', String(s.stats.policies), ''],
        [
          'pod classes',
          String(s.stats.classes),
          '(pods that every selector, named port and ipBlock treats alike)',
        ],
      ],
      [1],
    ),
  );
  const pods = s.stats.pods;
  out.push('', 'isolated pods');
  out.push(
    columns(
      [
        [
          'ingress',
          String(s.isolated.ingress),
          percent(s.isolated.ingress, pods),
          `${pods - s.isolated.ingress} accept from anywhere`,
        ],
        [
          'egress',
          String(s.isolated.egress),
          percent(s.isolated.egress, pods),
          `${pods - s.isolated.egress} may send anywhere`,
        ],
        ...(s.isolated.hostNetwork > 0
          ? [
              [
                'hostNetwork',
                String(s.isolated.hostNetwork),
                percent(s.isolated.hostNetwork, pods),
                'not subject to policies',
              ],
            ]
          : []),
      ],
      [1, 2],
      '  ',
    ),
  );

  const n = s.namespaces.length;
  out.push(
    '',
    `namespace reachability (rows: from, columns: to; over ${s.universe.ports.length} probed ports)`,
  );
  if (n === 0) out.push('  no namespaces');
  else if (n > 40 && !forceMatrix) {
    const counts: Record<string, number> = {};
    for (const c of s.matrix) counts[c.coverage] = (counts[c.coverage] ?? 0) + 1;
    out.push(
      `  ${n} namespaces: ${counts['all'] ?? 0} pairs all allowed, ${counts['some'] ?? 0} some, ${counts['none'] ?? 0} none, ${counts['empty'] ?? 0} without connections`,
      '  (--matrix prints the matrix; --format json gives every pair)',
    );
  } else {
    const width = String(n).length;
    out.push('  # all allowed   + some   . none   (blank: no connection)');
    for (let i = 0; i < n; i++) {
      const row = s.matrix
        .slice(i * n, (i + 1) * n)
        .map((c) => COVERAGE_MARK[c.coverage].padStart(width))
        .join(' ');
      out.push(`  ${String(i + 1).padStart(width)} ${row}  ${s.namespaces[i] ?? ''}`);
    }
  }

  const mentioned = new Set(r.mentioned.map(formatPort));
  const stand = s.allowedPodPairs.some((p) => !mentioned.has(formatPort(p.probe)));
  out.push('', 'allowed pod pairs per port');
  out.push(
    columns(
      s.allowedPodPairs.map((p) => [
        `${formatPort(p.probe)}${mentioned.has(formatPort(p.probe)) ? '' : '*'}`,
        String(p.allowed),
        `of ${p.total}`,
        percent(p.allowed, p.total),
      ]),
      [1, 3],
      '  ',
    ),
  );
  if (stand)
    out.push('  * no policy mentions this port: it stands for every port the rules treat alike with it');
  const skipped = Object.entries(r.snapshot.skippedKinds);
  if (skipped.length > 0) {
    out.push('', `skipped kinds: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const d = r.timings.details;
  const parse =
    d['parseMs'] !== undefined ? ` (read ${ms(d['readMs'] ?? 0)}, parse ${ms(d['parseMs'])})` : '';
  out.push('', `timings: load ${ms(r.timings.loadMs)}${parse}, analysis ${ms(r.timings.analysisMs)}`);
  return `${out.join('\n')}\n`;
}
