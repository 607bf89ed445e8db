/** `netglass lint`: policies that load fine but probably do not do what their author meant. */
import type { LintFinding, LintSeverity } from '../../../shared/lint/index.ts';
import {
  atLeast,
  LINT_RULES,
  LINT_SEVERITIES,
  lintSnapshot,
  reportedByLint,
} from '../../../shared/lint/index.ts';
import type { ParsedArgs } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import type { ResolvedInput } from '../input.ts';
import { cniFrom, inputSpecFrom, resolveInput } from '../input.ts';
import type { CliIO } from '../io.ts';
import { reportIssues } from '../issues.ts';
import { findingsSummary, formatFinding, lintJson } from '../format/lint.ts';
import { lintSarif } from '../format/lint-sarif.ts';

/**
 * Exit status by the worst finding at or above `--severity`. Warnings keep 1 (what `lint` has always
 * returned for them); errors and notes get their own statuses, clear of the shared 2 (bad input) and
 * 3 (`check`: unknown), so a CI step can tell them apart.
 */
export const LINT_EXIT: Readonly<Record<LintSeverity, number>> = { error: 4, warning: 1, info: 5 };

const DEFAULT_THRESHOLD: LintSeverity = 'warning';

export function lintExitStatus(findings: readonly LintFinding[], threshold: LintSeverity): number {
  const worst = LINT_SEVERITIES.find((s) => atLeast(s, threshold) && findings.some((f) => f.severity === s));
  return worst === undefined ? EXIT.ok : LINT_EXIT[worst];
}

function threshold(args: ParsedArgs): LintSeverity {
  const value = args.options.get('severity')?.[0] ?? DEFAULT_THRESHOLD;
  // The option's choices are LINT_SEVERITIES, checked by the parser.
  return LINT_SEVERITIES.find((s) => s === value) ?? DEFAULT_THRESHOLD;
}

/**
 * Loads the input like every command, except that load issues a lint rule reports (addresses the
 * API server's strict validation refuses) become findings: not printed as load issues, and, when they
 * are errors, not a reason to refuse the rest of the input. Undefined when other load errors remain.
 */
async function loadForLint(args: ParsedArgs, io: CliIO): Promise<ResolvedInput | undefined> {
  const cni = cniFrom(args);
  const resolved = await resolveInput(inputSpecFrom(args));
  const input = cni ? { ...resolved, snapshot: { ...resolved.snapshot, cni } } : resolved;
  const others = input.snapshot.issues.filter((i) => !reportedByLint(i));
  const errors = reportIssues(others, io, args.flags.has('verbose'));
  if (errors > 0) {
    io.err(`netglass: ${errors} error${errors === 1 ? '' : 's'} in the input; nothing was linted\n`);
    return undefined;
  }
  return input;
}

const RULE_LIST = LINT_RULES.map((r) => `  ${r.id} (${r.severity}): ${r.summary}`).join('\n');

export const lintCommand: Command = {
  name: 'lint',
  summary: 'policies that load but probably do not do what was meant (exit 1 on warnings, 4 on errors)',
  usage: 'netglass lint --manifests <path>... [--format text|json|sarif] [--severity error|warning|info]',
  description:
    'Checks the policies for likely mistakes that the API server accepts, and for addresses it refuses in\n' +
    'new objects. Each finding names the rule, the file and line, the field, what is wrong and a fix.\n' +
    'Rules (default severity):\n' +
    `${RULE_LIST}\n` +
    'Every finding is printed; --severity sets which ones fail the run (default warning).\n' +
    'Exit status: the worst finding at or above --severity decides: 0 none, 1 a warning, 4 an error,\n' +
    '5 only notes (with --severity info); 2 bad input (flags, files, load errors lint does not report).',
  options: [
    ...COMMON_OPTIONS,
    formatOption(['text', 'json', 'sarif'], 'text'),
    {
      name: 'severity',
      type: 'string',
      choices: LINT_SEVERITIES,
      valueName: LINT_SEVERITIES.join('|'),
      description: `fail on findings of this severity or worse (default ${DEFAULT_THRESHOLD})`,
    },
  ],
  examples: [
    'netglass lint --manifests k8s/',
    'netglass lint --context prod --format json',
    'netglass lint -f k8s/ --format sarif > netglass.sarif',
    'netglass lint -f k8s/ --severity error',
  ],
  async run(args, io) {
    noPositionals(args);
    const fail = threshold(args);
    const input = await loadForLint(args, io);
    if (!input) return EXIT.badInput;
    const findings = lintSnapshot(input.snapshot);
    switch (format(args, 'text')) {
      case 'json':
        await io.out(`${JSON.stringify(lintJson(findings), null, 2)}\n`);
        break;
      case 'sarif':
        await io.out(`${JSON.stringify(lintSarif(findings, LINT_RULES, { cwd: process.cwd() }), null, 2)}\n`);
        break;
      default:
        await io.out(`${[...findings.map(formatFinding), findingsSummary(findings)].join('\n')}\n`);
    }
    return lintExitStatus(findings, fail);
  },
};
