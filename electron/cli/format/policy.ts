/** Rendering of `netglass policy` results. */
import type { ConnectionRef } from '../../../shared/eval/index.ts';
import type { PolicyResult } from '../commands/policy.ts';
import { formatPeer, formatPort } from '../targets.ts';
import { plural } from './text.ts';

export function formatConnection(c: ConnectionRef): string {
  return `${formatPeer(c.from)} -> ${formatPeer(c.to)} ${formatPort(c)}`;
}

function ref(c: ConnectionRef): unknown {
  return { from: formatPeer(c.from), to: formatPeer(c.to), port: formatPort(c) };
}

export function policyJson(r: PolicyResult): unknown {
  const e = r.effect;
  return {
    policy: e.policy,
    location: r.policy.location ?? null,
    policyTypes: r.policy.policyTypes,
    policyTypesDeclared: r.policy.policyTypesDeclared,
    selects: e.selects,
    isolates: e.isolates,
    counts: e.counts,
    rules: e.rules.map((rule) => ({
      rule: `${rule.direction}[${rule.rule}]`,
      matched: rule.matched,
      matchesNothing: rule.matchesNothing,
    })),
    rulesMatchingNothing: e.rules
      .filter((rule) => rule.matchesNothing)
      .map((rule) => `${rule.direction}[${rule.rule}]`),
    permittedFlowing: e.permittedFlowing.map(ref),
    permittedBlocked: e.permittedBlocked.map(ref),
    denied: e.denied.map(ref),
    truncated: e.truncated,
  };
}

function list(title: string, count: number, items: readonly ConnectionRef[], limit: number): string[] {
  if (count === 0) return [];
  const lines = [`${title} (${count}):`];
  for (const c of items.slice(0, limit)) lines.push(`  ${formatConnection(c)}`);
  if (count > Math.min(limit, items.length))
    lines.push(`  ... ${count - Math.min(limit, items.length)} more (--limit)`);
  return lines;
}

export function policyText(r: PolicyResult, limit: number): string {
  const e = r.effect;
  const p = r.policy;
  const out: string[] = [];
  const loc = p.location ? ` (${p.location.file}:${p.location.line})` : '';
  out.push(`NetworkPolicy ${e.policy}${loc}`);
  out.push(
    `policy types: ${p.policyTypes.join(', ')}${p.policyTypesDeclared ? '' : ' (not declared: the default)'}`,
  );
  const shown = e.selects.slice(0, limit);
  out.push(
    `selects ${plural(e.selects.length, 'pod')}${e.selects.length > 0 ? `: ${shown.join(', ')}${e.selects.length > shown.length ? `, ... ${e.selects.length - shown.length} more` : ''}` : ''}`,
  );
  const dirs = [e.isolates.ingress ? 'ingress' : '', e.isolates.egress ? 'egress' : ''].filter(Boolean);
  out.push(
    `isolates: ${dirs.length > 0 ? dirs.join(' and ') : 'nothing (it selects no pod subject to policies)'}`,
  );
  const c = e.counts;
  out.push('');
  out.push(
    `permitted by this policy: ${c.permittedFlowing + c.permittedBlocked} connections (${c.permittedFlowing} flow, ${c.permittedBlocked} blocked at the other side)`,
  );
  out.push(`denied by this policy:    ${c.denied} connections (they would flow without it)`);
  out.push(`unaffected:               ${c.unaffected} of ${c.total} connections`);
  const nothing = e.rules.filter((rule) => rule.matchesNothing);
  if (nothing.length > 0) {
    out.push(
      '',
      `rules that match nothing: ${nothing.map((rule) => `${rule.direction}[${rule.rule}]`).join(', ')}`,
    );
  }
  out.push('');
  out.push(...list('permitted and flowing', c.permittedFlowing, e.permittedFlowing, limit));
  out.push(
    ...list('permitted here but blocked at the other side', c.permittedBlocked, e.permittedBlocked, limit),
  );
  out.push(...list('denied', c.denied, e.denied, limit));
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
