/** `netglass report`: the isolation report (Markdown, self-contained HTML, or JSON), to stdout or a file. */
import { writeFile } from 'node:fs/promises';
import { buildReport, reportHtml, reportJson, reportMarkdown } from '../../../shared/report/index.ts';
import type { Report } from '../../../shared/report/index.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import type { CliIO } from '../io.ts';
import { fsErrorText } from '../fs-errors.ts';

const FORMATS = ['markdown', 'html', 'json'] as const;
type ReportFormat = (typeof FORMATS)[number];

function isFormat(text: string): text is ReportFormat {
  return (FORMATS as readonly string[]).includes(text);
}

export function renderReport(report: Report, as: ReportFormat, limit: number | undefined): string {
  const options = limit !== undefined ? { limit } : {};
  switch (as) {
    case 'markdown':
      return reportMarkdown(report, options);
    case 'html':
      return reportHtml(report, options);
    case 'json':
      return reportJson(report);
  }
}

/** Writes to `path`, or says why not (exit 2): a report nobody can find is a failed CI step. */
export async function writeOutput(path: string, text: string, io: CliIO): Promise<boolean> {
  try {
    await writeFile(path, text);
    return true;
  } catch (e) {
    io.err(`netglass: cannot write ${path}: ${fsErrorText(e)}\n`);
    return false;
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary:
    'isolation report for reviews: default-deny, unprotected pods, flows, policy effects, matrix, lint',
  usage: 'netglass report --manifests <path>... [--format markdown|html|json] [-o <file>] [--limit <n>]',
  description:
    'One document for an isolation review: namespaces without a default-deny per direction (a NetworkPolicy with an\n' +
    'empty podSelector), pods no NetworkPolicy isolates per direction, allowed cross-namespace flows, connections\n' +
    'to and from external addresses per namespace, the connections each policy permits and denies, the namespace x\n' +
    'namespace matrix, and the findings of netglass lint. HTML is one self-contained page (inline CSS, no scripts,\n' +
    'no external URLs); JSON holds every list in full. The output is the same from run to run (no timestamps).\n' +
    'Exit status: 0 report written, 2 bad input or the output file cannot be written.',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'format',
      type: 'string',
      choices: FORMATS,
      valueName: FORMATS.join('|'),
      description: 'output format (default markdown)',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      description: 'write the report to this file instead of standard output',
    },
    {
      name: 'limit',
      type: 'string',
      valueName: 'n',
      description:
        'entries per list in markdown and html (default 50 and 200); counts stay exact, json lists all',
    },
  ],
  examples: [
    'netglass report --manifests k8s/ > isolation.md',
    'netglass report --context prod --format html -o isolation.html',
    'netglass report -f k8s/ --format json -o report.json',
  ],
  async run(args, io) {
    noPositionals(args);
    const as = format(args, 'markdown');
    if (!isFormat(as)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const limitText = args.options.get('limit')?.[0];
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
      throw new UsageError(`--limit must be a whole number (got ${JSON.stringify(limitText)})`);
    const output = args.options.get('output')?.[0];
    // Every other command reads -o as --format: `-o json` here would write a file named json.
    if (output !== undefined && isFormat(output))
      throw new UsageError(
        `-o is --output here (the file to write), and ${JSON.stringify(output)} is a format: give --format ${output}` +
          ` (and -o <file> to write a file; -o ./${output} for a file of that name)`,
      );
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const text = renderReport(buildReport(input.snapshot), as, limit);
    if (output === undefined) {
      await io.out(text);
      return EXIT.ok;
    }
    return (await writeOutput(output, text, io)) ? EXIT.ok : EXIT.badInput;
  },
};
