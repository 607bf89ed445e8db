/** Words and numbers both the Markdown and the HTML report use, so the two say the same thing. */
import type { Coverage } from '../eval/index.ts';
import type { LintFinding } from '../lint/index.ts';
import type { Report } from './model.ts';

export const COVERAGE_SYMBOL: Readonly<Record<Coverage, string>> = {
  all: '●',
  some: '◐',
  none: '○',
  empty: '·',
  unknown: '?',
};

export const COVERAGE_LEGEND =
  '● every connection flows, ◐ some do, ○ none does, · no connection (no pods), ? depends on what could not be read';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function headline(r: Report): string {
  return (
    `${plural(r.totals.pods, 'pod')} in ${plural(r.totals.namespaces, 'namespace')}, ` +
    `${plural(r.totals.policies, 'NetworkPolicy', 'NetworkPolicies')}, ` +
    `${plural(r.totals.clusterPolicies, 'admin-tier policy', 'admin-tier policies')}` +
    (r.partial ? ' (partial: the source could not read everything; counts cover what was read)' : '')
  );
}

export function universeLine(r: Report): string {
  return (
    `Connections are (source, destination, port) over every pod and ${plural(r.universe.externals.length, 'external address', 'external addresses')} ` +
    `(each stands for the addresses the ipBlocks treat alike: ${r.universe.externals.join(', ') || 'none'}), ` +
    `on the ports ${r.universe.ports.join(', ')} (the ports the policies name, plus one port for each class of ports they treat alike).`
  );
}

export const DEFAULT_DENY_NOTE =
  'A default-deny is a NetworkPolicy with an empty podSelector for that direction: it isolates every pod of the ' +
  'namespace, including pods created later.';

/** Namespaces with pods and no default-deny in that direction. */
export function withoutDefaultDeny(r: Report, direction: 'ingress' | 'egress'): string[] {
  return r.namespaces
    .filter((n) => n.pods > 0 && n[direction].defaultDeny.length === 0)
    .map((n) => n.namespace);
}

export function findingLocation(f: LintFinding): string {
  return f.location ? `${f.location.file}:${f.location.line}` : '';
}

/** "3 of 12 (25%)" */
export function share(part: number, total: number): string {
  if (total === 0) return '0';
  return `${part} of ${total} (${Math.round((part * 100) / total)}%)`;
}

/** Items beyond `limit`, said once under a cut list. */
export function moreLine(total: number, limit: number): string | undefined {
  return total > limit ? `… ${total - limit} more (the JSON format lists all)` : undefined;
}
