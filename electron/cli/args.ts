/**
 * Hand-rolled argument parsing (no dependency): `--opt value`, `--opt=value`, short aliases, repeatable
 * options, and "greedy" options that take every following non-option argument
 * (`--manifests a.yaml dir/ b.json`). Errors are `UsageError`s: the CLI prints them and exits 2.
 */
import { closest } from '../../shared/manifest/names.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** 'flag' takes no value. */
  readonly type: 'flag' | 'string';
  /** May be given more than once; values accumulate. */
  readonly multiple?: boolean;
  /** Takes the following non-option arguments too (`--manifests a b c`). Implies multiple. */
  readonly greedy?: boolean;
  /** Allowed values (checked here). */
  readonly choices?: readonly string[];
  readonly valueName?: string;
  readonly description: string;
}

export interface ParsedArgs {
  readonly options: Map<string, string[]>;
  readonly flags: Set<string>;
  readonly positionals: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) {
    byName.set(`--${s.name}`, s);
    if (s.short) byName.set(`-${s.short}`, s);
  }
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  const add = (spec: OptionSpec, value: string): void => {
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(
        `--${spec.name} must be one of ${spec.choices.join(', ')} (got ${JSON.stringify(value)})`,
      );
    }
    const list = options.get(spec.name) ?? [];
    if (list.length > 0 && !spec.multiple && !spec.greedy) {
      throw new UsageError(`--${spec.name} may be given only once`);
    }
    list.push(value);
    options.set(spec.name, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(key);
    if (!spec) {
      const known = specs.map((s) => `--${s.name}`);
      const hint = known.find((k) => k.startsWith(key) || key.startsWith(k)) ?? closest(key, known);
      throw new UsageError(`unknown option ${key}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    if (spec.type === 'flag') {
      if (eq > 0 && key !== arg) throw new UsageError(`--${spec.name} takes no value`);
      flags.add(spec.name);
      continue;
    }
    let value: string | undefined;
    if (key !== arg) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new UsageError(`--${spec.name} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}`);
      }
      value = next;
      i++;
    }
    add(spec, value);
    if (spec.greedy) {
      while (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('-')) {
        add(spec, argv[i + 1] ?? '');
        i++;
      }
    }
  }
  return { options, flags, positionals };
}

export function optionHelp(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'string' ? ` <${s.valueName ?? 'value'}>` : ''}`;
    return [names, s.description] as const;
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([n, d]) => `  ${n.padEnd(width)}  ${d}`).join('\n');
}
