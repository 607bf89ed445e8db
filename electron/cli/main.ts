/**
 * `netglass` command line. `runCli` is the whole program minus the process (tests call it in-process);
 * `main` binds it to argv, stdout/stderr and the exit code. Input errors never show a stack trace.
 */
import { readFileSync } from 'node:fs';
import { AnalysisError } from '../../shared/eval/index.ts';
import { closest } from '../../shared/manifest/index.ts';
import { UsageError, optionHelp, parseArgs } from './args.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { checkCommand } from './commands/check.ts';
import { diffCommand } from './commands/diff.ts';
import { flowsCommand } from './commands/flows.ts';
import { lintCommand } from './commands/lint.ts';
import { policyCommand } from './commands/policy.ts';
import { reachCommand } from './commands/reach.ts';
import { reportCommand } from './commands/report.ts';
import { testCommand } from './commands/test.ts';
import type { Command } from './common.ts';
import { EXIT } from './common.ts';
import type { CliIO } from './io.ts';
import { processIO } from './io.ts';

export const COMMANDS: readonly Command[] = [
  reachCommand,
  checkCommand,
  analyzeCommand,
  policyCommand,
  diffCommand,
  lintCommand,
  reportCommand,
  testCommand,
  flowsCommand,
];

/** Set by the bundle build (electron/cli/vite.config.ts); undeclared when running from sources. */
declare const __NETGLASS_VERSION__: string | undefined;

function version(): string {
  if (typeof __NETGLASS_VERSION__ === 'string') return __NETGLASS_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'netglass: what Kubernetes NetworkPolicies (and admin-tier ClusterNetworkPolicies) really allow',
    '',
    'usage: netglass <command> --manifests <path>... [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'netglass <command> --help' for a command's options.",
    'Exit status: 0 ok (check: allowed; diff: no change; lint: no warning; test: all hold; flows: no contradiction),',
    '1 check: denied, diff: changes, lint: warnings, test: an assertion failed, flows: contradictions,',
    '2 bad input, 3 check: unknown or conditional, 4 lint: errors, 5 lint: only notes (--severity info),',
    '70 internal error.',
    '',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [
    `usage: ${c.usage}`,
    '',
    c.description,
    '',
    'options:',
    optionHelp(c.options),
    '',
    'examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

function unknownCommand(name: string): string {
  const hint = closest(
    name,
    COMMANDS.map((c) => c.name),
  );
  return `netglass: unknown command ${JSON.stringify(name)}${hint ? ` (did you mean ${hint}?)` : ''}\n\n${mainHelp()}`;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(mainHelp());
    return EXIT.badInput;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const asked = rest[0];
    const target = asked !== undefined ? COMMANDS.find((c) => c.name === asked) : undefined;
    if (asked !== undefined && !target) {
      io.err(unknownCommand(asked));
      return EXIT.badInput;
    }
    await io.out(target ? commandHelp(target) : mainHelp());
    return EXIT.ok;
  }
  if (name === '--version' || name === 'version') {
    await io.out(`netglass ${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(unknownCommand(name));
    return EXIT.badInput;
  }
  try {
    const args = parseArgs(rest, command.options);
    if (args.flags.has('help')) {
      await io.out(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof AnalysisError) {
      io.err(`netglass ${command.name}: ${e.message}\nRun 'netglass ${command.name} --help' for usage.\n`);
      return EXIT.badInput;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(`netglass ${command.name}: internal error: ${err.message}\n`);
    if (process.env['NETGLASS_DEBUG']) io.err(`${err.stack ?? ''}\n`);
    else io.err('(set NETGLASS_DEBUG=1 for details, and please report it)\n');
    return EXIT.internal;
  }
}

/** Entry point used by bin/netglass.js. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const { io, flush } = processIO();
  const code = await runCli(argv, io);
  await flush();
  process.exitCode = code;
}
