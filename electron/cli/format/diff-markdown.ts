/**
 * `netglass diff --format markdown`: a pull-request comment. The headline says how many connections a
 * change opens and closes; tables give the counts per edited policy and per namespace pair, then the
 * first opened and closed connections, folded in <details> so a big change keeps the comment short.
 */
import type { ConnectionChange, ObjectChanges } from '../../../shared/eval/index.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { peerText, probeText, wordingContext, type WordingContext } from '../../../shared/eval/wording.ts';
import { mdEscape } from '../../../shared/report/index.ts';
import type { DiffResult } from '../commands/diff.ts';
import { plural } from './text.ts';

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** Columns from `numericFrom` on are counts, aligned right. */
function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numericFrom = head.length,
): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i < numericFrom ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function more(total: number, shown: number): string[] {
  return total > shown
    ? ['', `… and ${total - shown} more (\`--limit\` shows more; \`--format json\` lists them)`]
    : [];
}

function objectLines(kind: string, c: ObjectChanges): string[] {
  const parts = (['added', 'removed', 'changed'] as const)
    .filter((w) => c[w].length > 0)
    .map((w) => `${w} ${c[w].map(code).join(', ')}`);
  return parts.length > 0 ? [`- ${kind}: ${parts.join('; ')}`] : [];
}

function connectionRows(
  items: readonly ConnectionChange[],
  ctx: WordingContext,
  verdicts: boolean,
): string[][] {
  return items.map((c) => [
    code(peerText(c.from, ctx.cidrs)),
    code(peerText(c.to, ctx.cidrs)),
    mdEscape(probeText({ port: c.port, protocol: c.protocol }, ctx.mentioned, 'cli', ctx.ports)),
    ...(verdicts ? [`${c.before} → ${c.after}`] : []),
  ]);
}

function connections(
  title: string,
  count: number,
  items: readonly ConnectionChange[],
  limit: number,
  ctx: WordingContext,
  verdicts = false,
): string[] {
  if (count === 0) return [];
  const shown = items.slice(0, limit);
  return [
    '',
    `<details><summary>${title} (${count})</summary>`,
    '',
    ...table(['from', 'to', 'port', ...(verdicts ? ['verdict'] : [])], connectionRows(shown, ctx, verdicts)),
    ...more(count, shown.length),
    '',
    '</details>',
  ];
}

export function diffMarkdown(r: DiffResult, limit: number): string {
  const d = r.diff;
  const c = d.counts;
  const u = d.universe;
  const unknowns = c.becameUnknown + c.becameKnown > 0 || u.partial;
  const ctx: WordingContext = {
    ...wordingContext([
      { analyzer: createAnalyzer(r.before), snapshot: r.before },
      { analyzer: createAnalyzer(r.after), snapshot: r.after },
    ]),
    ports: u.ports,
  };
  const out: string[] = [];
  const changedConnections = c.added + c.removed + c.becameUnknown + c.becameKnown > 0;
  out.push(
    changedConnections
      ? `### netglass: this change opens ${plural(c.added, 'connection')} and closes ${c.removed}`
      : '### netglass: no connection opened or closed',
  );
  out.push(
    '',
    `Compared ${plural(u.pods, 'pod')} present in both states, ${plural(u.externals.length, 'external address', 'external addresses')} and ${plural(u.ports.length, 'port')}: ${c.total} connections${u.partial ? ' (partial: a state could not read everything)' : ''}.`,
  );
  if (unknowns)
    out.push('', `Verdicts that became unknown: ${c.becameUnknown}; that became known: ${c.becameKnown}.`);

  const objects = [
    ...objectLines('policies', d.policies),
    ...objectLines('admin-tier policies', d.clusterPolicies),
    ...objectLines('Cilium policies', d.ciliumPolicies),
    ...objectLines('Calico policies', d.calicoPolicies),
    ...objectLines('namespaces', d.namespaces),
    ...objectLines('pods', d.pods),
  ];
  if (objects.length > 0) out.push('', '**Objects changed**', '', ...objects);

  const attribution = d.attribution.filter((a) => a.added + a.removed + a.becameUnknown + a.becameKnown > 0);
  if (attribution.length > 0) {
    const sorted = [...attribution].sort((a, b) => b.added + b.removed - (a.added + a.removed));
    const shown = sorted.slice(0, limit);
    out.push(
      '',
      '**Per policy** (changes at the pods each edited policy selects; two policies selecting the same pods both count them)',
      '',
      ...table(
        ['policy', 'change', 'opened', 'closed', ...(unknowns ? ['became unknown', 'became known'] : [])],
        shown.map((a) => [
          code(a.policy),
          a.change,
          String(a.added),
          String(a.removed),
          ...(unknowns ? [String(a.becameUnknown), String(a.becameKnown)] : []),
        ]),
        2,
      ),
      ...more(sorted.length, shown.length),
    );
  }

  if (d.namespacePairs.length > 0) {
    const sorted = [...d.namespacePairs].sort((a, b) => b.added + b.removed - (a.added + a.removed));
    const shown = sorted.slice(0, limit);
    out.push(
      '',
      '**Per namespace pair** (most changes first)',
      '',
      ...table(
        ['from', 'to', 'opened', 'closed', ...(unknowns ? ['became unknown', 'became known'] : [])],
        shown.map((p) => [
          p.from !== null ? code(p.from) : '(external)',
          p.to !== null ? code(p.to) : '(external)',
          String(p.added),
          String(p.removed),
          ...(unknowns ? [String(p.becameUnknown), String(p.becameKnown)] : []),
        ]),
        2,
      ),
      ...more(sorted.length, shown.length),
    );
  }

  out.push(...connections('Opened connections', c.added, d.added, limit, ctx));
  out.push(...connections('Closed connections', c.removed, d.removed, limit, ctx));
  out.push(...connections('Became unknown', c.becameUnknown, d.becameUnknown, limit, ctx, true));
  out.push(...connections('Became known', c.becameKnown, d.becameKnown, limit, ctx, true));
  return `${out.join('\n')}\n`;
}
