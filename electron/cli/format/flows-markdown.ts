/**
 * `netglass flows --format markdown`: a report for a ticket or a pull request. Counts first, then
 * tables of contradictions (with their likely cause), audit findings and the rules that allowed none
 * of the seen traffic.
 */
import type { FlowFinding } from '../../../shared/flows/index.ts';
import {
  byStatus,
  CAUSE_WORDS,
  iso,
  portText,
  ruleName,
  selectedText,
  unusedRules,
  type FlowsOutput,
} from './flows.ts';
import { plural } from './text.ts';

/** Table cells: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function more(total: number, shown: number): string[] {
  return total > shown
    ? ['', `… and ${total - shown} more (\`--limit\` shows more; \`--format json\` lists them)`]
    : [];
}

function findingRow(f: FlowFinding): string[] {
  return [
    code(f.flow.src.label),
    code(f.flow.dst.label),
    portText(f),
    f.observed,
    f.evaluated,
    String(f.count),
    f.cause ? `${CAUSE_WORDS[f.cause.kind] ?? f.cause.kind}: ${f.cause.detail}` : (f.note ?? ''),
  ];
}

export function flowsMarkdown(out: FlowsOutput): string {
  const c = out.comparison;
  const { limit } = out;
  const lines = [
    `## Observed flows against the policies`,
    '',
    `${plural(c.flows, 'flow')} from ${out.files.map(code).join(', ')}` +
      (c.window.first !== undefined ? `, ${iso(c.window.first) ?? ''} to ${iso(c.window.last) ?? ''}` : '') +
      `: **${plural(c.counts.contradiction, 'contradiction')}**, ${c.counts.confirmed} confirmed, ${c.counts.audit} audit, ${c.counts.undecided} undecided.`,
    ...(c.selected !== undefined ? ['', `${selectedText(c)}.`] : []),
  ];
  const head = ['from', 'to', 'port', 'observed', 'policies', 'connections', 'cause / note'];
  for (const [title, status] of [
    ['Contradictions', 'contradiction'],
    ['Audit (would be denied)', 'audit'],
    ['Undecided', 'undecided'],
  ] as const) {
    const items = byStatus(c, status);
    if (items.length === 0) continue;
    lines.push(
      '',
      `### ${title}`,
      '',
      ...table(head, items.slice(0, limit).map(findingRow)),
      ...more(items.length, limit),
    );
  }
  const unused = unusedRules(c);
  if (unused.length > 0) {
    lines.push(
      '',
      '### Rules that allowed none of the seen traffic',
      '',
      ...unused.slice(0, limit).map((u) => `- ${code(ruleName(u))}`),
      ...more(unused.length, limit),
    );
  }
  if (c.unmapped.length > 0) {
    lines.push(
      '',
      '### Endpoints not in the snapshot',
      '',
      ...table(
        ['endpoint', 'records', 'reason'],
        c.unmapped.slice(0, limit).map((u) => [code(u.label), String(u.records), u.reason]),
      ),
      ...more(c.unmapped.length, limit),
    );
  }
  return `${lines.join('\n')}\n`;
}
