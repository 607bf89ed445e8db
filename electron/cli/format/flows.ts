/**
 * Rendering of `netglass flows`: text for a terminal, JSON (stable; electron/cli/README.md documents
 * it). Markdown is flows-markdown.ts. Lists are cut at `limit`; counts stay exact.
 */
import type { FlowComparison, FlowFinding, RuleUsage } from '../../../shared/flows/index.ts';
import { columns, plural } from './text.ts';

export interface FlowsOutput {
  readonly comparison: FlowComparison;
  readonly files: readonly string[];
  /** Drafts written by --generate. */
  readonly generated?: {
    readonly dir: string;
    readonly files: readonly { readonly file: string; readonly policy: string; readonly flows: number }[];
    readonly skipped: readonly { readonly flow: string; readonly reason: string }[];
  };
  readonly limit: number;
}

export const CAUSE_WORDS: Readonly<Record<string, string>> = {
  'unmodelled-cni-policy': 'a CNI policy outside the analysis',
  'policy-changed': 'the policies changed since (likely)',
  'cni-semantics': 'the CNI reads the policy differently',
};

const OBSERVED_WORDS: Readonly<Record<FlowFinding['observed'], string>> = {
  allowed: 'seen allowed',
  denied: 'dropped by policy',
  audit: 'audit',
};

export function iso(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

export function portText(f: FlowFinding): string {
  return `${f.flow.port}/${f.flow.protocol}`;
}

export function observedPolicies(f: FlowFinding): string[] {
  return f.flow.policies.map(
    (p) =>
      `${p.pending === true ? 'pending ' : ''}${p.action} ${p.kind} ${p.namespace !== undefined ? `${p.namespace}/` : ''}${p.name}${p.tier !== undefined && p.tier !== 'default' ? ` (tier ${p.tier})` : ''}`,
  );
}

export function ruleName(u: RuleUsage): string {
  return `${u.policy} ${u.direction}[${u.rule}]${u.ruleName !== undefined ? ` (${u.ruleName})` : ''}`;
}

export function byStatus(c: FlowComparison, status: FlowFinding['status']): FlowFinding[] {
  // Biggest first: the flows that carry the most traffic matter most.
  return c.findings
    .filter((f) => f.status === status)
    .sort((a, b) => b.count - a.count || (a.flow.src.label < b.flow.src.label ? -1 : 1));
}

export function unusedRules(c: FlowComparison): RuleUsage[] {
  return c.rules.filter((r) => r.flows === 0);
}

function findingJson(f: FlowFinding): Record<string, unknown> {
  return {
    from: f.flow.src.label,
    to: f.flow.dst.label,
    port: portText(f),
    observed: f.observed,
    count: f.count,
    status: f.status,
    evaluated: f.evaluated,
    ...(f.cause ? { cause: { kind: f.cause.kind, detail: f.cause.detail } } : {}),
    ...(f.note !== undefined ? { note: f.note } : {}),
    decidedBy: f.decidedBy,
    policies: observedPolicies(f),
    first: iso(f.flow.first),
    last: iso(f.flow.last),
    at: `${f.flow.location.file}:${f.flow.location.line}`,
  };
}

function ruleJson(u: RuleUsage): Record<string, unknown> {
  return {
    policy: u.policy,
    tier: u.tier,
    direction: u.direction,
    rule: u.rule,
    ...(u.ruleName !== undefined ? { ruleName: u.ruleName } : {}),
    flows: u.flows,
    connections: u.connections,
  };
}

export function flowsJson(out: FlowsOutput): Record<string, unknown> {
  const c = out.comparison;
  let truncated = false;
  const cut = <T>(xs: readonly T[]): readonly T[] => {
    if (xs.length > out.limit) truncated = true;
    return xs.slice(0, out.limit);
  };
  return {
    files: out.files,
    window: { first: iso(c.window.first), last: iso(c.window.last) },
    ...(c.selected !== undefined
      ? {
          selected: { since: iso(c.selected.since), until: iso(c.selected.until), outside: c.outsideWindow },
        }
      : {}),
    read: {
      lines: c.read.lines,
      records: c.read.records,
      skipped: c.read.skipped,
      errors: c.read.errorCount,
    },
    errors: c.errors.map((e) => ({
      file: e.location.file,
      line: e.location.line,
      message: e.message,
      ...(e.field !== undefined ? { field: e.field } : {}),
    })),
    flows: c.flows,
    mapping: c.mapping,
    unmapped: cut(c.unmapped).map((u) => ({ endpoint: u.label, reason: u.reason, records: u.records })),
    unmappedFlows: c.unmappedFlows,
    droppedOther: c.droppedOther,
    counts: c.counts,
    contradictions: cut(byStatus(c, 'contradiction')).map(findingJson),
    audit: cut(byStatus(c, 'audit')).map(findingJson),
    undecided: cut(byStatus(c, 'undecided')).map(findingJson),
    confirmed: cut(byStatus(c, 'confirmed')).map(findingJson),
    rules: cut(c.rules).map(ruleJson),
    unusedRules: cut(unusedRules(c)).map(ruleJson),
    ...(out.generated
      ? {
          generated: {
            dir: out.generated.dir,
            files: out.generated.files,
            skipped: cut(out.generated.skipped),
          },
        }
      : {}),
    truncated,
  };
}

function more(total: number, shown: number, indent = '  '): string[] {
  return total > shown
    ? [`${indent}… and ${total - shown} more (--limit shows more; --format json lists them)`]
    : [];
}

function findingLines(f: FlowFinding): string[] {
  const lines = [
    `  ${OBSERVED_WORDS[f.observed]}: ${f.flow.src.label} → ${f.flow.dst.label} ${portText(f)} (${plural(f.count, 'connection')}); policies: ${f.evaluated}`,
  ];
  if (f.cause) lines.push(`    cause: ${CAUSE_WORDS[f.cause.kind] ?? f.cause.kind}: ${f.cause.detail}`);
  if (f.note !== undefined) lines.push(`    ${f.note}`);
  if (f.decidedBy.length > 0)
    lines.push(
      `    ${f.evaluated === 'allowed' ? 'allowed by' : f.evaluated === 'denied' ? 'denied at' : 'rules involved'}: ${f.decidedBy.join('; ')}`,
    );
  const named = observedPolicies(f);
  if (named.length > 0) lines.push(`    the CNI named: ${named.join(', ')}`);
  lines.push(`    first record: ${f.flow.location.file}:${f.flow.location.line}`);
  return lines;
}

function section(title: string, items: readonly FlowFinding[], limit: number): string[] {
  if (items.length === 0) return [];
  return [
    '',
    `${title} (${items.length}):`,
    ...items.slice(0, limit).flatMap(findingLines),
    ...more(items.length, limit),
  ];
}

/** The chosen window and what it left out. */
export function selectedText(c: FlowComparison): string {
  const s = c.selected ?? {};
  return (
    `Compared only records from ${iso(s.since) ?? 'the first'} to ${iso(s.until) ?? 'the last'}` +
    ` (--since/--until): ${plural(c.outsideWindow, 'record')} outside the window or without a time left out`
  );
}

export function flowsText(out: FlowsOutput): string {
  const c = out.comparison;
  const { limit } = out;
  const skipped = Object.entries(c.read.skipped)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const lines: string[] = [
    `Read ${plural(c.read.lines, 'record line')} from ${out.files.join(', ')}: ${c.read.records.hubble} Hubble, ${c.read.records.calico} Calico records` +
      `${skipped !== '' ? `; skipped ${skipped}` : ''}${c.read.errorCount > 0 ? `; ${plural(c.read.errorCount, 'error')}` : ''}`,
  ];
  if (c.window.first !== undefined)
    lines.push(`Window: ${iso(c.window.first) ?? ''} to ${iso(c.window.last) ?? ''}`);
  if (c.selected !== undefined) lines.push(selectedText(c));
  lines.push(
    `Compared ${plural(c.flows, 'flow')} (source, destination, port): ${c.counts.confirmed} confirmed, ` +
      `${plural(c.counts.contradiction, 'contradiction')}, ${c.counts.audit} audit, ${c.counts.undecided} undecided` +
      `${c.unmappedFlows > 0 ? `; ${plural(c.unmappedFlows, 'flow')} with an end not in the snapshot` : ''}` +
      `${c.droppedOther > 0 ? `; ${plural(c.droppedOther, 'connection')} dropped for reasons other than policy` : ''}`,
  );
  lines.push(...section('Contradictions', byStatus(c, 'contradiction'), limit));
  lines.push(...section('Audit (would be denied)', byStatus(c, 'audit'), limit));
  lines.push(...section('Undecided', byStatus(c, 'undecided'), limit));
  const confirmed = byStatus(c, 'confirmed');
  if (confirmed.length > 0) {
    lines.push('', `Confirmed (${confirmed.length}):`);
    lines.push(
      columns(
        confirmed
          .slice(0, limit)
          .map((f) => [
            OBSERVED_WORDS[f.observed],
            `${f.flow.src.label} → ${f.flow.dst.label}`,
            portText(f),
            String(f.count),
          ]),
        [3],
        '  ',
      ),
      ...more(confirmed.length, limit),
    );
  }
  const unused = unusedRules(c);
  if (c.rules.length > 0) {
    lines.push(
      '',
      `Rules and the seen flows they allowed (${plural(unused.length, 'rule')} allowed none: tightening candidates):`,
    );
    const sorted = [...c.rules].sort((a, b) => a.flows - b.flows || (a.policy < b.policy ? -1 : 1));
    lines.push(
      columns(
        sorted
          .slice(0, limit)
          .map((u) => [
            ruleName(u),
            u.flows === 0 ? 'none' : plural(u.flows, 'flow'),
            u.flows === 0 ? '' : plural(u.connections, 'connection'),
          ]),
        [],
        '  ',
      ),
      ...more(sorted.length, limit),
    );
  }
  if (c.unmapped.length > 0) {
    lines.push('', `Endpoints not in the snapshot (${c.unmapped.length}):`);
    for (const u of c.unmapped.slice(0, limit))
      lines.push(`  ${u.label} (${plural(u.records, 'record')}): ${u.reason}`);
    lines.push(...more(c.unmapped.length, limit));
  }
  if (c.errors.length > 0) {
    lines.push('', `Lines that are not flow records (${c.read.errorCount}):`);
    for (const e of c.errors.slice(0, limit))
      lines.push(
        `  ${e.location.file}:${e.location.line}: ${e.field !== undefined ? `${e.field}: ` : ''}${e.message}`,
      );
    lines.push(...more(c.read.errorCount, Math.min(limit, c.errors.length)));
  }
  if (out.generated) {
    const g = out.generated;
    lines.push('', `Wrote ${plural(g.files.length, 'policy draft')} to ${g.dir} (review before applying):`);
    for (const f of g.files.slice(0, limit))
      lines.push(`  ${f.file}  ${f.policy} (${plural(f.flows, 'flow')})`);
    lines.push(...more(g.files.length, limit));
    for (const s of g.skipped.slice(0, limit)) lines.push(`  left out ${s.flow}: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
