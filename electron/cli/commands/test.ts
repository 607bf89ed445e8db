/** `netglass test`: connectivity assertions from a file, checked against manifests or a live cluster. */
import { readFile } from 'node:fs/promises';
import { checkAssertions, parseAssertions } from '../../../shared/assertions/index.ts';
import type { Assertion } from '../../../shared/assertions/index.ts';
import { clusterPolicyKey } from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import type { CliIO } from '../io.ts';
import { fsErrorText } from '../fs-errors.ts';
import { junitInputError, junitXml } from '../format/junit.ts';
import { junitCases, testText } from '../format/test.ts';
import { writeOutput } from './report.ts';

/** Exit status when an assertion does not hold. */
export const EXIT_FAILED = 1;

/** The assertions of `path`, or undefined after printing every error with its line (exit 2). */
async function readAssertions(path: string, io: CliIO): Promise<readonly Assertion[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    io.err(`netglass: cannot read the assertions file ${path}: ${fsErrorText(e)}\n`);
    return undefined;
  }
  const parsed = parseAssertions(text, path);
  if (parsed.ok) return parsed.assertions;
  for (const err of parsed.errors)
    io.err(
      `${err.location.file}:${err.location.line}:${err.location.column}: error: ${err.field !== undefined ? `${err.field}: ` : ''}${err.message}\n`,
    );
  io.err(
    `netglass: ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'} in ${path}; nothing was tested\n`,
  );
  return undefined;
}

export const testCommand: Command = {
  name: 'test',
  summary: 'check connectivity assertions from a YAML file (exit 1 when one fails); JUnit XML for CI',
  usage: 'netglass test --assertions <file.yaml> --manifests <path>... [--junit <file.xml>] [--examples <n>]',
  description:
    'Checks every assertion of the file: each pair of a source and a different destination pod the ends select,\n' +
    'on every port the assertion names at that destination, must have the expected verdict. A failure is\n' +
    'explained as netglass check explains a connection. An assertion whose ends select no pod fails too.\n' +
    'The file:\n' +
    '  assertions:\n' +
    '    - name: checkout reaches its database        # optional\n' +
    '      from: shop/*                                # *, <ns>/*, <ns>/<pod>, an IP address, or a selector:\n' +
    '      to: {namespace: db, labels: {app: postgres}}  #   {namespace: <ns>, labels: {<key>: <value>}}\n' +
    '      port: 5432/TCP                              # 5432, 53/UDP, 8000-8080, http (default protocol TCP)\n' +
    '      expect: allowed                             # or denied\n' +
    'A range is checked on every port the rules treat differently inside it; a port name on each destination pod\n' +
    'that declares it. Exit status: 0 all assertions hold, 1 some failed, 2 bad input (the file, flags or manifests).',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'assertions',
      short: 'a',
      type: 'string',
      valueName: 'file',
      description: 'the assertions file (YAML)',
    },
    {
      name: 'junit',
      type: 'string',
      valueName: 'file',
      description: 'also write the results as JUnit XML (one testcase per assertion)',
    },
    {
      name: 'examples',
      type: 'string',
      valueName: 'n',
      description: 'failing connections explained per assertion (default 3)',
    },
  ],
  examples: [
    'netglass test --assertions connectivity.yaml --manifests k8s/',
    'netglass test -a connectivity.yaml --context staging --junit results.xml',
  ],
  async run(args, io) {
    noPositionals(args);
    const path = args.options.get('assertions')?.[0];
    if (path === undefined) throw new UsageError('--assertions <file> is required');
    const examplesText = args.options.get('examples')?.[0];
    const examples = examplesText === undefined ? 3 : Number(examplesText);
    if (!Number.isInteger(examples) || examples < 0)
      throw new UsageError(`--examples must be a whole number (got ${JSON.stringify(examplesText)})`);
    const junit = args.options.get('junit')?.[0];
    // What the loading steps print, kept for the JUnit file should the input not load.
    const printed: string[] = [];
    const teeIO: CliIO = {
      out: (t) => io.out(t),
      err: (t) => {
        printed.push(t);
        io.err(t);
      },
    };
    const failed = async (stage: 'assertions' | 'manifests'): Promise<number> => {
      if (junit !== undefined) await writeOutput(junit, junitInputError(path, stage, printed.join('')), io);
      return EXIT.badInput;
    };
    const assertions = await readAssertions(path, teeIO);
    if (!assertions) return failed('assertions');
    const input = await loadInput(args, teeIO);
    if (!input) return failed('manifests');
    const snapshot = input.snapshot;
    const results = checkAssertions(snapshot, assertions, { examples });
    const index = {
      policies: new Map(snapshot.policies.map((p) => [`${p.namespace}/${p.name}`, p] as const)),
      clusterPolicies: new Map(snapshot.clusterPolicies.map((p) => [clusterPolicyKey(p), p] as const)),
    };
    await io.out(testText(results, index));
    if (junit !== undefined && !(await writeOutput(junit, junitXml(path, junitCases(results, index)), io)))
      return EXIT.badInput;
    return results.every((r) => r.kind === 'passed') ? EXIT.ok : EXIT_FAILED;
  },
};
