import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import {
  buildReport,
  htmlEscape,
  mdEscape,
  reportHtml,
  reportJson,
  reportMarkdown,
} from '../../../shared/report/index.ts';
import type { Report } from '../../../shared/report/index.ts';

const CLUSTER = join(import.meta.dirname, '..', '..', 'fixtures', 'assertions', 'cluster.yaml');
/** Text a hostile or careless input could carry: markup, quotes, Markdown table syntax. */
const NASTY = `<script>alert("x")</script> | *a* & 'b'`;

let snapshot: Snapshot;
let report: Report;

beforeAll(async () => {
  snapshot = await loadManifests([CLUSTER]);
  report = buildReport(snapshot);
});

/** The report with input-controlled text in every free-text place: the source and a lint finding. */
function nastyReport(): Report {
  return {
    ...report,
    source: NASTY,
    lint: [
      {
        id: 'test-rule',
        severity: 'warning',
        object: 'db/x',
        location: { file: `${NASTY}.yaml`, line: 3, column: 1 },
        message: NASTY,
        fix: NASTY,
      },
    ],
  };
}

describe('markdown', () => {
  it('has every section, the default-deny gaps and the matrix', () => {
    const md = reportMarkdown(report);
    expect(md.startsWith('# Network isolation report\n')).toBe(true);
    for (const h of [
      '## Default-deny per namespace',
      '## Unprotected pods',
      '## Cross-namespace flows',
      '## External addresses',
      '## Policy effects',
      '## Namespace matrix',
      '## Lint findings',
    ])
      expect(md).toContain(`\n${h}\n`);
    expect(md).toContain('- Without ingress default-deny: 2: `kube-system`, `shop`');
    expect(md).toContain('- Without egress default-deny: 3: `db`, `kube-system`, `shop`');
    expect(md).toContain('| `db` | 2 | `db/default-deny-ingress` | **none** | 2 of 2 (100%) | 0 of 2 (0%) |');
    // Matrix: header plus one row per namespace, three cells each.
    const header = md.split('\n').find((l) => l.startsWith('| from ↓ to → |'));
    expect(header).toBe('| from ↓ to → | `db` | `kube-system` | `shop` |');
    expect(md).toMatch(/\n\| `shop` \| [●◐○·?] \| [●◐○·?] \| [●◐○·?] \|\n/);
  });

  it('escapes Markdown in free text, so a message cannot break a table or inject markup', () => {
    expect(mdEscape('a|b*c_<d>`e`\nf')).toBe('a\\|b\\*c\\_\\<d\\>\\`e\\` f');
    const md = reportMarkdown(nastyReport());
    expect(md).not.toContain('<script>');
    const row = md.split('\n').find((l) => l.startsWith('| warning |')) ?? '';
    // Six cells: the pipes inside the text are escaped.
    expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(6);
  });

  it('cuts long lists at the limit and says how many more', () => {
    const md = reportMarkdown(report, { limit: 1 });
    expect(md).toContain('… 3 more (the JSON format lists all)');
  });

  it('leaves a too-wide matrix out', () => {
    expect(reportMarkdown(report, { matrixLimit: 2 })).toContain(
      '3 namespaces: too many for a readable table',
    );
  });
});

describe('html', () => {
  it('is one self-contained page: inline CSS, no script, no external URL', () => {
    const html = reportHtml(report);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|https?:\/\/|url\(/i);
    expect(html).toContain('<table id="namespace-matrix">');
    // One row per namespace in the matrix body, each with three coverage cells.
    const matrix = html.slice(html.indexOf('<table id="namespace-matrix">'));
    const body = matrix.slice(matrix.indexOf('<tbody>'), matrix.indexOf('</tbody>'));
    expect(body.match(/<tr>/g)?.length).toBe(3);
    expect(body.match(/<td class="(all|some|none|empty|unknown)"/g)?.length).toBe(9);
  });

  it('escapes every input text', () => {
    expect(htmlEscape(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = reportHtml(nastyReport());
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});

describe('json', () => {
  it('is the model, complete, and the same on every run', () => {
    const text = reportJson(report);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(reportJson(buildReport(snapshot))).toBe(text);
    expect((JSON.parse(text) as { schema: number }).schema).toBe(1);
  });
});
