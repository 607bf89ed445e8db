/** Rendering of `netglass diff` results. */
import type {
  ConnectionChange,
  ConnectionDiff,
  DiffCounts,
  ObjectChanges,
} from '../../../shared/eval/index.ts';
import type { DiffResult } from '../commands/diff.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import {
  connectionText,
  probeText,
  wordingContext,
  type WordingContext,
} from '../../../shared/eval/wording.ts';
import { formatPeer, formatPort } from '../targets.ts';
import { columns, plural } from './text.ts';

function ref(c: ConnectionChange): unknown {
  return { from: formatPeer(c.from), to: formatPeer(c.to), port: formatPort(c) };
}

function transition(c: ConnectionChange): unknown {
  return { ...(ref(c) as object), before: c.before, after: c.after };
}

function counts(c: DiffCounts): DiffCounts {
  return {
    added: c.added,
    removed: c.removed,
    becameUnknown: c.becameUnknown,
    becameKnown: c.becameKnown,
    unchanged: c.unchanged,
    total: c.total,
  };
}

/**
 * Admin-tier policies added, removed or changed (keys as `clusterPolicyKey`), when the diff reports them
 * and either state has any; undefined otherwise, so NetworkPolicy-only output stays as it was.
 */
function clusterPolicyChanges(r: DiffResult): ObjectChanges | undefined {
  const reported = (r.diff as ConnectionDiff & { readonly clusterPolicies?: ObjectChanges }).clusterPolicies;
  if (reported === undefined) return undefined;
  return r.before.clusterPolicies.length + r.after.clusterPolicies.length > 0 ? reported : undefined;
}

/**
 * Cilium or Calico policies added, removed or changed, when either state has any of the family (else
 * undefined, as above).
 */
function familyChanges(
  r: DiffResult,
  family: 'ciliumPolicies' | 'calicoPolicies',
): ObjectChanges | undefined {
  const count = (s: DiffResult['before']) => s[family]?.length ?? 0;
  return count(r.before) + count(r.after) > 0 ? r.diff[family] : undefined;
}

/** Stable keys and order; nothing varies from run to run. */
export function diffJson(r: DiffResult): unknown {
  const d = r.diff;
  const clusterPolicies = clusterPolicyChanges(r);
  const ciliumPolicies = familyChanges(r, 'ciliumPolicies');
  const calicoPolicies = familyChanges(r, 'calicoPolicies');
  return {
    changed: r.changed,
    universe: {
      pods: d.universe.pods,
      externals: d.universe.externals,
      ports: d.universe.ports.map(formatPort),
      ...(d.universe.partial ? { partial: true } : {}),
    },
    counts: counts(d.counts),
    ports: d.ports.map((p) => ({ port: formatPort(p.probe), ...counts(p) })),
    namespacePairs: d.namespacePairs,
    pods: d.pods,
    policies: d.policies,
    ...(clusterPolicies ? { clusterPolicies } : {}),
    ...(ciliumPolicies ? { ciliumPolicies } : {}),
    ...(calicoPolicies ? { calicoPolicies } : {}),
    namespaces: d.namespaces,
    attribution: d.attribution,
    added: d.added.map(ref),
    removed: d.removed.map(ref),
    becameUnknown: d.becameUnknown.map(transition),
    becameKnown: d.becameKnown.map(transition),
    truncated: d.truncated,
  };
}

function formatChange(c: ConnectionChange, verdicts: boolean, ctx: WordingContext): string {
  const base = connectionText(c, ctx);
  return verdicts ? `${base}  (${c.before} -> ${c.after})` : base;
}

function list(
  ctx: WordingContext,
  title: string,
  count: number,
  items: readonly ConnectionChange[],
  limit: number,
  verdicts = false,
): string[] {
  if (count === 0) return [];
  const shown = items.slice(0, limit);
  const lines = ['', `${title} (${count}):`, ...shown.map((c) => `  ${formatChange(c, verdicts, ctx)}`)];
  if (count > shown.length) lines.push(`  ... ${count - shown.length} more (--limit)`);
  return lines;
}

function names(items: readonly string[], limit: number): string {
  const shown = items.slice(0, limit);
  return `${shown.join(', ')}${items.length > shown.length ? `, ... ${items.length - shown.length} more` : ''}`;
}

const EMPTY: ObjectChanges = { added: [], removed: [], changed: [] };

function objectRows(kind: string, c: ObjectChanges, limit: number): string[][] {
  const rows: string[][] = [];
  for (const [what, items] of [
    ['added', c.added],
    ['removed', c.removed],
    ['changed', c.changed],
  ] as const) {
    if (items.length > 0)
      rows.push([rows.length === 0 ? kind : '', what, String(items.length), names(items, limit)]);
  }
  return rows;
}

export function diffText(r: DiffResult, limit: number): string {
  const d = r.diff;
  const c = d.counts;
  const u = d.universe;
  const unknowns = c.becameUnknown + c.becameKnown > 0 || u.partial;
  // A port either state names reads as a number; the rest are stand-ins, said in words.
  const ctx = {
    ...wordingContext([
      { analyzer: createAnalyzer(r.before), snapshot: r.before },
      { analyzer: createAnalyzer(r.after), snapshot: r.after },
    ]),
    ports: u.ports,
  };
  const out: string[] = [];
  out.push(
    r.changed
      ? `connections: ${c.added} added, ${c.removed} removed${unknowns ? `, ${c.becameUnknown} became unknown, ${c.becameKnown} became known` : ''}`
      : 'connections: no change',
  );
  out.push(
    `compared: ${plural(u.pods, 'pod')} present in both states, ${plural(u.externals.length, 'external address', 'external addresses')}, ${plural(u.ports.length, 'port')}: ${c.total} connections${u.partial ? ' (partial: a state could not read everything)' : ''}`,
  );
  out.push('');
  out.push(
    columns(
      [
        ['added', String(c.added), 'denied before, allowed after'],
        ['removed', String(c.removed), 'allowed before, denied after'],
        ...(unknowns
          ? [
              ['became unknown', String(c.becameUnknown), 'known before, unknown after'],
              ['became known', String(c.becameKnown), 'unknown before, known after'],
            ]
          : []),
        ['unchanged', String(c.unchanged), ''],
      ],
      [1],
      '  ',
    ),
  );
  const objects = [
    ...objectRows('namespaces', d.namespaces, limit),
    ...objectRows('pods', d.pods, limit),
    ...objectRows('policies', d.policies, limit),
    ...objectRows('admin policies', clusterPolicyChanges(r) ?? EMPTY, limit),
    ...objectRows('Cilium policies', familyChanges(r, 'ciliumPolicies') ?? EMPTY, limit),
    ...objectRows('Calico policies', familyChanges(r, 'calicoPolicies') ?? EMPTY, limit),
  ];
  out.push('');
  if (objects.length === 0) out.push('objects: no namespace, pod or policy differs');
  else {
    out.push('objects (pods in one state only are not compared)');
    out.push(columns(objects, [2], '  '));
  }
  if (d.attribution.some((a) => a.added + a.removed + a.becameUnknown + a.becameKnown > 0)) {
    out.push('', 'changes at pods each edited policy selects');
    out.push(
      columns(
        [
          ['policy', '', 'added', 'removed', ...(unknowns ? ['became unknown', 'became known'] : [])],
          ...d.attribution.map((a) => [
            a.policy,
            a.change,
            String(a.added),
            String(a.removed),
            ...(unknowns ? [String(a.becameUnknown), String(a.becameKnown)] : []),
          ]),
        ],
        [2, 3, 4, 5],
        '  ',
      ),
    );
  }
  const changedPorts = d.ports.filter((p) => p.added + p.removed + p.becameUnknown + p.becameKnown > 0);
  if (changedPorts.length > 0) {
    out.push('', 'per port (ports with changes)');
    out.push(
      columns(
        [
          ['port', 'added', 'removed', ...(unknowns ? ['became unknown', 'became known'] : []), 'unchanged'],
          ...changedPorts.map((p) => [
            probeText(p.probe, ctx.mentioned, 'cli', ctx.ports),
            String(p.added),
            String(p.removed),
            ...(unknowns ? [String(p.becameUnknown), String(p.becameKnown)] : []),
            String(p.unchanged),
          ]),
        ],
        [1, 2, 3, 4, 5],
        '  ',
      ),
    );
  }
  if (d.namespacePairs.length > 0) {
    const shown = d.namespacePairs.slice(0, limit);
    out.push('', 'per namespace pair (pairs with changes)');
    out.push(
      columns(
        [
          ['from', 'to', 'added', 'removed', ...(unknowns ? ['became unknown', 'became known'] : [])],
          ...shown.map((p) => [
            p.from ?? '(external)',
            p.to ?? '(external)',
            String(p.added),
            String(p.removed),
            ...(unknowns ? [String(p.becameUnknown), String(p.becameKnown)] : []),
          ]),
        ],
        [2, 3, 4, 5],
        '  ',
      ),
    );
    if (d.namespacePairs.length > shown.length)
      out.push(`  ... ${d.namespacePairs.length - shown.length} more (--limit)`);
  }
  out.push(...list(ctx, 'added', c.added, d.added, limit));
  out.push(...list(ctx, 'removed', c.removed, d.removed, limit));
  out.push(...list(ctx, 'became unknown', c.becameUnknown, d.becameUnknown, limit, true));
  out.push(...list(ctx, 'became known', c.becameKnown, d.becameKnown, limit, true));
  return `${out.join('\n')}\n`;
}
