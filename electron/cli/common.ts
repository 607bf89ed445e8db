/** What every command shares: options, loading the input, reporting load issues. */
import type { Snapshot } from '../../shared/model/snapshot.ts';
import type { OptionSpec, ParsedArgs } from './args.ts';
import { UsageError, parseArgs } from './args.ts';
import type { ResolvedInput } from './input.ts';
import { cniFrom, INPUT_OPTIONS, inputSpecFrom, resolveInput } from './input.ts';
import type { CliIO } from './io.ts';
import { reportIssues } from './issues.ts';

/** Exit codes. */
export const EXIT = {
  ok: 0,
  /** `check`: the connection is denied. */
  denied: 1,
  /** Bad flags, missing files, load errors, unknown pods or policies. */
  badInput: 2,
  /** `check`: the verdict is unknown (partial read access, what netglass cannot know) or conditional. */
  unknown: 3,
  internal: 70,
} as const;

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

export const COMMON_OPTIONS: readonly OptionSpec[] = [
  ...INPUT_OPTIONS,
  {
    name: 'verbose',
    short: 'v',
    type: 'flag',
    description: 'also print informational load messages (stderr)',
  },
  { name: 'help', short: 'h', type: 'flag', description: 'show this help' },
];

export function formatOption(choices: readonly string[], defaultValue: string): OptionSpec {
  return {
    name: 'format',
    short: 'o',
    type: 'string',
    choices,
    valueName: choices.join('|'),
    description: `output format (default ${defaultValue})`,
  };
}

export function parseCommandArgs(argv: readonly string[], command: Command): ParsedArgs {
  return parseArgs(argv, command.options);
}

export function format(args: ParsedArgs, defaultValue: string): string {
  return args.options.get('format')?.[0] ?? defaultValue;
}

/** Loads the input and prints its issues; undefined when there were errors (exit 2). */
export async function loadInput(args: ParsedArgs, io: CliIO): Promise<ResolvedInput | undefined> {
  const spec = inputSpecFrom(args);
  const cni = cniFrom(args);
  const resolved = await resolveInput(spec);
  // A profile asked for wins over the one a live cluster's API groups show.
  const input = cni ? { ...resolved, snapshot: { ...resolved.snapshot, cni } } : resolved;
  const errors = reportIssues(input.snapshot.issues, io, args.flags.has('verbose'));
  if (errors > 0) {
    io.err(`netglass: ${errors} error${errors === 1 ? '' : 's'} in the input; nothing was analysed\n`);
    return undefined;
  }
  return input;
}

export function sortedPodKeys(snapshot: Snapshot): string[] {
  return snapshot.pods.map((p) => `${p.namespace}/${p.name}`).sort();
}

export function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
  }
}
