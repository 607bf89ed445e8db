/**
 * The isolation report as one self-contained HTML page: inline CSS, no script, no external URL, so it
 * reads the same offline, attached to a ticket or opened from a CI artifact. Every text from the input
 * goes through `htmlEscape`.
 */
import type { Coverage } from '../eval/index.ts';
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

export interface HtmlOptions {
  /** Entries per list or table (default 200); counts stay exact. */
  readonly limit?: number;
  /** Matrices with more namespaces are left out (the page would weigh megabytes); default 150. */
  readonly matrixLimit?: number;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const e = htmlEscape;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2329;margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d8dee4;padding-bottom:.2rem}
h3{font-size:1rem}td code{white-space:nowrap}p.muted,span.muted{color:#57606a}code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f3f4f6;padding:0 .2em;border-radius:3px}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d8dee4;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b42318;font-weight:600}
.matrix{overflow:auto;max-width:100%}.matrix td{text-align:center;min-width:1.6em;padding:.15rem}
.matrix th.row{text-align:right;white-space:nowrap}.matrix th.col{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
td.all{background:#d1f2d9}td.some{background:#fff1c2}td.none{background:#f8d7da}td.empty{background:#f6f8fa;color:#8c959f}td.unknown{background:#e4e2f7}
.warning{color:#9a6700;font-weight:600}.info{color:#57606a}
`;

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const th = head.map((h) => `<th>${h}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const code = (s: string): string => `<code>${e(s)}</code>`;

function more(total: number, limit: number): string {
  const line = moreLine(total, limit);
  return line !== undefined ? `<p class="muted">${e(line)}</p>` : '';
}

function matrixHtml(r: Report, matrixLimit: number): string {
  const names = r.matrix.namespaces;
  if (names.length === 0) return '<p>No namespace.</p>';
  if (names.length > matrixLimit)
    return `<p>${names.length} namespaces: too many to draw here; the JSON format holds the matrix.</p>`;
  const head = `<tr><th>from ↓ to →</th>${names.map((n) => `<th class="col" scope="col">${e(n)}</th>`).join('')}</tr>`;
  const rows = names.map((from, i) => {
    const cells = names.map((to, j) => {
      const c = r.matrix.cells[i * names.length + j];
      const coverage: Coverage = c?.coverage ?? 'empty';
      const title = c
        ? `${from} → ${to}: ${coverage}, ${c.allowed} of ${c.total} connections allowed${c.unknown > 0 ? `, ${c.unknown} unknown` : ''}`
        : `${from} → ${to}`;
      return `<td class="${coverage}" title="${e(title)}">${COVERAGE_SYMBOL[coverage]}</td>`;
    });
    return `<tr><th class="row" scope="row">${e(from)}</th>${cells.join('')}</tr>`;
  });
  return (
    `<p class="muted">Rows: source namespace; columns: destination. ${e(COVERAGE_LEGEND)}.</p>\n` +
    `<div class="matrix"><table id="namespace-matrix">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table></div>`
  );
}

export function reportHtml(r: Report, options: HtmlOptions = {}): string {
  const limit = options.limit ?? 200;
  const matrixLimit = options.matrixLimit ?? 150;
  const parts: string[] = [];
  parts.push(`<h1>Network isolation report</h1>`);
  parts.push(`<p>Source: ${e(r.source)}${r.cni ? ` (CNI: ${e(r.cni)})` : ''}. ${e(headline(r))}.</p>`);
  parts.push(`<p class="muted">${e(universeLine(r))}</p>`);

  parts.push('<h2 id="default-deny">Default-deny per namespace</h2>');
  parts.push(`<p class="muted">${e(DEFAULT_DENY_NOTE)}</p><ul>`);
  for (const direction of ['ingress', 'egress'] as const) {
    const missing = withoutDefaultDeny(r, direction);
    parts.push(
      `<li>Without ${direction} default-deny: ${missing.length === 0 ? 'none' : `<span class="bad">${missing.length}</span>: ${missing.map(code).join(', ')}`}</li>`,
    );
  }
  parts.push('</ul>');
  const none = '<span class="bad">none</span>';
  parts.push(
    table(
      [
        'namespace',
        'pods',
        'ingress default-deny',
        'egress default-deny',
        'pods isolated (ingress)',
        'pods isolated (egress)',
      ],
      r.namespaces
        .slice(0, limit)
        .map((n) => [
          code(n.namespace),
          String(n.pods),
          n.ingress.defaultDeny.length > 0 ? n.ingress.defaultDeny.map(code).join(', ') : none,
          n.egress.defaultDeny.length > 0 ? n.egress.defaultDeny.map(code).join(', ') : none,
          e(share(n.ingress.isolatedPods, n.pods)),
          e(share(n.egress.isolatedPods, n.pods)),
        ]),
      [1, 4, 5],
    ),
    more(r.namespaces.length, limit),
  );

  parts.push('<h2 id="unprotected">Unprotected pods</h2>');
  parts.push(
    '<p class="muted">Pods no NetworkPolicy isolates in a direction: every connection in that direction reaches them (unless an admin-tier rule denies it).</p>',
  );
  for (const direction of ['ingress', 'egress'] as const) {
    const list = r.unprotected[direction];
    parts.push(
      `<h3>${direction === 'ingress' ? 'Ingress' : 'Egress'}: ${e(plural(list.length, 'pod'))}</h3>`,
    );
    if (list.length === 0) continue;
    parts.push(
      '<ul>' +
        list
          .slice(0, limit)
          .map((p) => {
            const notes = [
              ...(p.hostNetwork ? ['hostNetwork'] : []),
              ...(!p.certain ? ['its namespace’s policies could not be read'] : []),
              ...(p.adminPolicies.length > 0 ? [`admin-tier rules: ${p.adminPolicies.join(', ')}`] : []),
            ];
            return `<li>${code(p.pod)}${notes.length > 0 ? ` <span class="muted">(${e(notes.join('; '))})</span>` : ''}</li>`;
          })
          .join('') +
        '</ul>',
      more(list.length, limit),
    );
  }

  parts.push('<h2 id="cross-namespace">Cross-namespace flows</h2>');
  if (r.crossNamespace.length === 0)
    parts.push('<p>No connection between two different namespaces is allowed.</p>');
  else {
    const total = r.crossNamespace.reduce((s, f) => s + f.allowed, 0);
    parts.push(
      `<p>${e(plural(r.crossNamespace.length, 'namespace pair'))} with allowed connections, ${e(plural(total, 'connection'))} in all; most first.</p>`,
      table(
        ['from', 'to', 'allowed', 'of', 'coverage'],
        r.crossNamespace
          .slice(0, limit)
          .map((f) => [
            code(f.from),
            code(f.to),
            String(f.allowed) + (f.unknown > 0 ? ` (+${f.unknown} unknown)` : ''),
            String(f.total),
            `${COVERAGE_SYMBOL[f.coverage]} ${f.coverage}`,
          ]),
        [2, 3],
      ),
      more(r.crossNamespace.length, limit),
    );
  }

  parts.push('<h2 id="external">External addresses</h2>');
  const external = r.external.filter((f) => f.allowed + f.unknown > 0);
  if (r.external.length === 0) parts.push('<p>No pod, or no external address in the universe.</p>');
  else if (external.length === 0)
    parts.push('<p>No connection to or from an external address is allowed.</p>');
  else
    parts.push(
      '<p class="muted">Per namespace and direction: pods with at least one allowed connection to (egress) or from (ingress) an external address.</p>',
      table(
        ['namespace', 'direction', 'pods', 'allowed connections'],
        external
          .slice(0, limit)
          .map((f) => [
            code(f.namespace),
            f.direction,
            e(share(f.pods, f.podsTotal)),
            e(share(f.allowed, f.total) + (f.unknown > 0 ? `, ${f.unknown} unknown` : '')),
          ]),
      ),
      more(external.length, limit),
    );

  parts.push('<h2 id="policies">Policy effects</h2>');
  if (r.policies.length === 0) parts.push('<p>No policy.</p>');
  else
    parts.push(
      '<p class="muted">Connections each policy permits (flowing, or blocked at the other end), denies (would flow without it) and, for admin-tier Pass rules, passes on.</p>',
      table(
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
        r.policies
          .slice(0, limit)
          .map((p) => [
            code(p.policy) +
              (p.location ? ` <span class="muted">${e(`${p.location.file}:${p.location.line}`)}</span>` : ''),
            p.tier,
            String(p.selects),
            String(p.permittedFlowing),
            String(p.permittedBlocked),
            String(p.denied),
            String(p.passed),
            e(p.rulesMatchingNothing.join(', ')),
          ]),
        [2, 3, 4, 5, 6],
      ),
      more(r.policies.length, limit),
    );

  parts.push('<h2 id="matrix">Namespace matrix</h2>', matrixHtml(r, matrixLimit));

  parts.push('<h2 id="lint">Lint findings</h2>');
  if (r.lint.length === 0) parts.push('<p>No finding.</p>');
  else
    parts.push(
      table(
        ['severity', 'rule', 'object', 'where', 'finding', 'fix'],
        r.lint
          .slice(0, limit)
          .map((f) => [
            `<span class="${f.severity}">${f.severity}</span>`,
            code(f.id),
            code(f.object),
            e(`${findingLocation(f)}${f.field !== undefined ? ` ${f.field}` : ''}`),
            e(f.message),
            e(f.fix),
          ]),
      ),
      more(r.lint.length, limit),
    );

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Network isolation report</title>',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...parts.filter((p) => p !== ''),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
