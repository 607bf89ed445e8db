/**
 * `netglass test --junit`: JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): one
 * <testsuite> per assertions file, one <testcase> per assertion, a <failure> with the explanation for
 * each assertion that did not hold. No timings, so the file is the same from run to run.
 */
import type { AssertionResult } from '../../../shared/assertions/index.ts';

/** Characters XML 1.0 cannot carry at all, even escaped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface JunitCase {
  readonly result: AssertionResult;
  /** The one-line reason of a failed or unmatched assertion. */
  readonly message?: string;
  /** The full explanation (what the text output prints under it). */
  readonly detail?: string;
}

export function junitXml(file: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.result.kind !== 'passed').length;
  const attrs = `tests="${cases.length}" failures="${failures}" errors="0" skipped="0"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="netglass" ${attrs}>`,
    `  <testsuite name="${xmlEscape(file)}" ${attrs}>`,
  ];
  for (const c of cases) {
    const a = c.result.assertion;
    const open = `    <testcase name="${xmlEscape(a.name)}" classname="netglass.test" file="${xmlEscape(a.location.file)}" line="${a.location.line}"`;
    if (c.result.kind === 'passed') {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(
      `${open}>`,
      `      <failure type="${c.result.kind}" message="${xmlEscape(c.message ?? '')}">${xmlEscape(c.detail ?? '')}</failure>`,
      '    </testcase>',
    );
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/**
 * The report of a run that checked nothing because its input did not load (the assertions file or the
 * manifests): one `<testcase>` with an `<error>` holding what the command printed, so a CI system that
 * reads the file shows why the step failed rather than a missing report.
 */
export function junitInputError(file: string, stage: 'assertions' | 'manifests', printed: string): string {
  const attrs = 'tests="1" failures="0" errors="1" skipped="0"';
  const name = stage === 'assertions' ? 'the assertions file is read' : 'the manifests load';
  const first = printed.split('\n').find((l) => l.trim() !== '') ?? 'bad input';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="netglass" ${attrs}>`,
    `  <testsuite name="${xmlEscape(file)}" ${attrs}>`,
    `    <testcase name="${name}" classname="netglass.test">`,
    `      <error type="bad-input" message="${xmlEscape(first)}">${xmlEscape(printed.trimEnd())}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
