/** The isolation report as GitHub-flavoured Markdown (a PR comment, a wiki page, a review document). */
import type { Report } from './model.ts';
import {
  COVERAGE_LEGEND,
  COVERAGE_SYMBOL,
  DEFAULT_DENY_NOTE,
  findingLocation,
  headline,
  moreLine,
  plural,
  share,
  universeLine,
  withoutDefaultDeny,
} from './wording.ts';

export interface MarkdownOptions {
  /** Entries per list or table (default 50); counts stay exact. */
  readonly limit?: number;
  /** Matrices with more namespaces are left out (a table that wide is unreadable); default 30. */
  readonly matrixLimit?: number;
}

/** Escapes what Markdown would read as markup, and line breaks that would end a table row. */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function cut<T>(items: readonly T[], limit: number): { shown: readonly T[]; more: string[] } {
  const more = moreLine(items.length, limit);
  return { shown: items.slice(0, limit), more: more !== undefined ? ['', more] : [] };
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

export function reportMarkdown(r: Report, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? 50;
  const matrixLimit = options.matrixLimit ?? 30;
  const out: string[] = [
    '# Network isolation report',
    '',
    `Source: ${mdEscape(r.source)}${r.cni ? ` (CNI: ${mdEscape(r.cni)})` : ''}. ${headline(r)}.`,
    '',
    mdEscape(universeLine(r)),
  ];

  out.push('', '## Default-deny per namespace', '', mdEscape(DEFAULT_DENY_NOTE), '');
  for (const direction of ['ingress', 'egress'] as const) {
    const missing = withoutDefaultDeny(r, direction);
    out.push(
      `- Without ${direction} default-deny: ${missing.length === 0 ? 'none' : `${missing.length}: ${missing.map(code).join(', ')}`}`,
    );
  }
  const ns = cut(r.namespaces, limit);
  out.push(
    '',
    ...table(
      [
        'namespace',
        'pods',
        'ingress default-deny',
        'egress default-deny',
        'pods isolated (ingress)',
        'pods isolated (egress)',
      ],
      ns.shown.map((n) => [
        code(n.namespace),
        String(n.pods),
        n.ingress.defaultDeny.length > 0 ? n.ingress.defaultDeny.map(code).join(', ') : '**none**',
        n.egress.defaultDeny.length > 0 ? n.egress.defaultDeny.map(code).join(', ') : '**none**',
        share(n.ingress.isolatedPods, n.pods),
        share(n.egress.isolatedPods, n.pods),
      ]),
    ),
    ...ns.more,
  );

  out.push('', '## Unprotected pods', '');
  out.push(
    'Pods no NetworkPolicy isolates in a direction: every connection in that direction reaches them (unless an admin-tier rule denies it).',
  );
  for (const direction of ['ingress', 'egress'] as const) {
    const list = r.unprotected[direction];
    out.push('', `### ${direction === 'ingress' ? 'Ingress' : 'Egress'}: ${plural(list.length, 'pod')}`);
    if (list.length === 0) continue;
    const c = cut(list, limit);
    out.push(
      '',
      ...c.shown.map((p) => {
        const notes = [
          ...(p.hostNetwork ? ['hostNetwork'] : []),
          ...(!p.certain ? ['its namespace’s policies could not be read'] : []),
          ...(p.adminPolicies.length > 0
            ? [`admin-tier rules: ${p.adminPolicies.map(code).join(', ')}`]
            : []),
        ];
        return `- ${code(p.pod)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
      }),
      ...c.more,
    );
  }

  const crossAllowed = r.crossNamespace.reduce((s, f) => s + f.allowed, 0);
  out.push('', '## Cross-namespace flows', '');
  if (r.crossNamespace.length === 0) out.push('No connection between two different namespaces is allowed.');
  else {
    const c = cut(r.crossNamespace, limit);
    out.push(
      `${plural(r.crossNamespace.length, 'namespace pair')} with allowed connections, ${plural(crossAllowed, 'connection')} in all; most first.`,
      '',
      ...table(
        ['from', 'to', 'allowed', 'of', 'coverage'],
        c.shown.map((f) => [
          code(f.from),
          code(f.to),
          String(f.allowed) + (f.unknown > 0 ? ` (+${f.unknown} unknown)` : ''),
          String(f.total),
          `${COVERAGE_SYMBOL[f.coverage]} ${f.coverage}`,
        ]),
      ),
      ...c.more,
    );
  }

  out.push('', '## External addresses', '');
  if (r.external.length === 0) out.push('No pod, or no external address in the universe.');
  else {
    const rows = r.external.filter((f) => f.allowed + f.unknown > 0);
    out.push(
      'Per namespace and direction: pods with at least one allowed connection to (egress) or from (ingress) an external address.',
      '',
    );
    if (rows.length === 0) out.push('No connection to or from an external address is allowed.');
    else {
      const c = cut(rows, limit);
      out.push(
        ...table(
          ['namespace', 'direction', 'pods', 'allowed connections'],
          c.shown.map((f) => [
            code(f.namespace),
            f.direction,
            share(f.pods, f.podsTotal),
            share(f.allowed, f.total) + (f.unknown > 0 ? `, ${f.unknown} unknown` : ''),
          ]),
        ),
        ...c.more,
      );
    }
  }

  out.push('', '## Policy effects', '');
  if (r.policies.length === 0) out.push('No policy.');
  else {
    const c = cut(r.policies, limit);
    out.push(
      'Connections each policy permits (flowing, or blocked at the other end), denies (would flow without it) and, for admin-tier Pass rules, passes on.',
      '',
      ...table(
        [
          'policy',
          'tier',
          'selects',
          'permitted (flowing)',
          'permitted (blocked)',
          'denied',
          'passed',
          'rules matching nothing',
        ],
        c.shown.map((p) => [
          code(p.policy),
          p.tier,
          String(p.selects),
          String(p.permittedFlowing),
          String(p.permittedBlocked),
          String(p.denied),
          String(p.passed),
          p.rulesMatchingNothing.join(', '),
        ]),
      ),
      ...c.more,
    );
  }

  out.push('', '## Namespace matrix', '');
  const names = r.matrix.namespaces;
  if (names.length === 0) out.push('No namespace.');
  else if (names.length > matrixLimit)
    out.push(
      `${names.length} namespaces: too many for a readable table; the HTML and JSON formats hold the matrix.`,
    );
  else {
    out.push(`Rows: source namespace; columns: destination. ${COVERAGE_LEGEND}.`, '');
    out.push(
      ...table(
        ['from ↓ to →', ...names.map(code)],
        names.map((from, i) => [
          code(from),
          ...names.map((_, j) => {
            const cell = r.matrix.cells[i * names.length + j];
            return cell ? COVERAGE_SYMBOL[cell.coverage] : '';
          }),
        ]),
      ),
    );
  }

  out.push('', '## Lint findings', '');
  if (r.lint.length === 0) out.push('No finding.');
  else {
    const c = cut(r.lint, limit);
    out.push(
      ...table(
        ['severity', 'rule', 'object', 'where', 'finding', 'fix'],
        c.shown.map((f) => [
          f.severity,
          code(f.id),
          code(f.object),
          mdEscape(`${findingLocation(f)}${f.field !== undefined ? ` ${f.field}` : ''}`),
          mdEscape(f.message),
          mdEscape(f.fix),
        ]),
      ),
      ...c.more,
    );
  }
  return `${out.join('\n')}\n`;
}
