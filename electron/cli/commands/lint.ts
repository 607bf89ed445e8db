/** `netglass lint`: policies that load fine but probably do not do what their author meant. */
import { LINT_RULES, lintSnapshot } from '../../../shared/lint/index.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import { findingJson, findingsSummary, formatFinding, warningCount } from '../format/lint.ts';

/** Exit status when there are warnings (as a failing check in CI). */
export const EXIT_WARNINGS = 1;

export const lintCommand: Command = {
  name: 'lint',
  summary: 'policies that load but probably do not do what was meant (exit 1 on warnings)',
  usage: 'netglass lint --manifests <path>... [--format text|json]',
  description:
    'Checks the policies for likely mistakes that the API server accepts. Each finding names the rule, the file\n' +
    'and line, the field, what is wrong and a fix. Rules:\n' +
    LINT_RULES.map((r) => `  ${r.id}: ${r.summary}`).join('\n') +
    '\nExit status: 0 no warnings, 1 warnings, 2 bad input.',
  options: [...COMMON_OPTIONS, formatOption(['text', 'json'], 'text')],
  examples: ['netglass lint --manifests k8s/', 'netglass lint --context prod --format json'],
  async run(args, io) {
    noPositionals(args);
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const findings = lintSnapshot(input.snapshot);
    if (format(args, 'text') === 'json') {
      await io.out(
        `${JSON.stringify({ findings: findings.map(findingJson), warnings: warningCount(findings) }, null, 2)}\n`,
      );
    } else {
      const lines = findings.map(formatFinding);
      await io.out(`${[...lines, findingsSummary(findings)].join('\n')}\n`);
    }
    return warningCount(findings) > 0 ? EXIT_WARNINGS : EXIT.ok;
  },
};
