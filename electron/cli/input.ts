/**
 * Where a command's cluster state comes from. Today: manifest files (`--manifests`). A live cluster
 * (`--kubeconfig/--context`) slots in as a second `InputSpec` kind with its own resolver; commands only
 * see `ResolvedInput`.
 */
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { loadManifestsWithTimings } from '../manifests/load.ts';
import type { OptionSpec, ParsedArgs } from './args.ts';
import { UsageError } from './args.ts';

export type InputSpec = { readonly kind: 'manifests'; readonly paths: readonly string[] };

export interface ResolvedInput {
  readonly snapshot: Snapshot;
  /** Loading time (reading + parsing), ms. */
  readonly loadMs: number;
  readonly details: Readonly<Record<string, number>>;
}

export const INPUT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'manifests',
    short: 'f',
    type: 'string',
    greedy: true,
    valueName: 'path',
    description:
      'manifest files or directories (.yaml/.yml/.json, recursive); repeatable, takes several paths',
  },
];

export function inputSpecFrom(args: ParsedArgs): InputSpec {
  const paths = args.options.get('manifests') ?? [];
  if (paths.length === 0) throw new UsageError('no input: give --manifests <file or directory>...');
  return { kind: 'manifests', paths };
}

const RESOLVERS: {
  readonly [K in InputSpec['kind']]: (spec: Extract<InputSpec, { kind: K }>) => Promise<ResolvedInput>;
} = {
  manifests: async (spec) => {
    const r = await loadManifestsWithTimings(spec.paths);
    return {
      snapshot: r.snapshot,
      loadMs: r.timings.readMs + r.timings.parseMs,
      details: {
        readMs: r.timings.readMs,
        parseMs: r.timings.parseMs,
        files: r.timings.files,
        bytes: r.timings.bytes,
      },
    };
  },
};

export function resolveInput(spec: InputSpec): Promise<ResolvedInput> {
  return RESOLVERS[spec.kind](spec);
}
