/**
 * Where a command's cluster state comes from: manifest files (`--manifests`) or a live cluster read
 * once through a kubeconfig context (`--kubeconfig`/`--context`). Commands only see `ResolvedInput`,
 * so the same objects print the same output whichever way they arrive. The live reader (and with it
 * @kubernetes/client-node) is imported only when a cluster is asked for.
 */
import {
  CNI_NAMES,
  type CiliumCidrMatch,
  type CniProfile,
  type Snapshot,
} from '../../shared/model/snapshot.ts';
import { loadManifestsWithTimings } from '../manifests/load.ts';
import type { OptionSpec, ParsedArgs } from './args.ts';
import { UsageError } from './args.ts';

export type InputSpec =
  | { readonly kind: 'manifests'; readonly paths: readonly string[] }
  | { readonly kind: 'cluster'; readonly kubeconfig?: string; readonly context?: string };

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
  {
    name: 'kubeconfig',
    type: 'string',
    valueName: 'file',
    description: 'read a live cluster through this kubeconfig (default: KUBECONFIG, then ~/.kube/config)',
  },
  {
    name: 'context',
    type: 'string',
    valueName: 'name',
    description: 'the kubeconfig context to read (default: the current context)',
  },
  {
    name: 'cni',
    type: 'string',
    choices: CNI_NAMES,
    valueName: 'name',
    description:
      `the cluster's CNI (${CNI_NAMES.join(', ')}), which decides what the spec leaves open (ipBlock vs pod and node addresses, host-network pods, which policy kinds are enforced); ` +
      'default: detected on a live cluster, else upstream (what Kubernetes tests expect); generic answers unknown where it matters',
  },
  {
    name: 'cilium-cidr-match-mode',
    type: 'string',
    valueName: 'nodes,pods',
    description: "with --cni cilium: the agent's policy-cidr-match-mode (default: neither, Cilium's default)",
  },
];

/** The CNI profile asked for (`--cni`, `--cilium-cidr-match-mode`), or undefined: detected or default. */
export function cniFrom(args: ParsedArgs): CniProfile | undefined {
  const cni = args.options.get('cni')?.at(-1);
  const modesText = args.options.get('cilium-cidr-match-mode')?.at(-1);
  if (modesText !== undefined && cni !== 'cilium')
    throw new UsageError('--cilium-cidr-match-mode is a Cilium agent setting: give it with --cni cilium');
  if (cni === undefined) return undefined;
  const name = CNI_NAMES.find((n) => n === cni);
  if (name === undefined)
    throw new UsageError(`--cni: unknown CNI ${JSON.stringify(cni)}; one of ${CNI_NAMES.join(', ')}`);
  const modes: CiliumCidrMatch[] = [];
  for (const m of (modesText ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')) {
    if (m !== 'nodes' && m !== 'pods')
      throw new UsageError(
        `--cilium-cidr-match-mode: ${JSON.stringify(m)} is not a mode; give nodes, pods or nodes,pods`,
      );
    if (!modes.includes(m)) modes.push(m);
  }
  return { cni: name, ...(modes.length > 0 ? { ciliumCidrMatch: modes } : {}), origin: 'chosen' };
}

export function inputSpecFrom(args: ParsedArgs): InputSpec {
  const paths = args.options.get('manifests') ?? [];
  const kubeconfig = args.options.get('kubeconfig')?.at(-1);
  const context = args.options.get('context')?.at(-1);
  const live = kubeconfig !== undefined || context !== undefined;
  if (paths.length > 0 && live) {
    throw new UsageError('--manifests and --kubeconfig/--context name different inputs; give one of them');
  }
  if (live) {
    return {
      kind: 'cluster',
      ...(kubeconfig !== undefined ? { kubeconfig } : {}),
      ...(context !== undefined ? { context } : {}),
    };
  }
  if (paths.length === 0) {
    throw new UsageError(
      'no input: give --manifests <file or directory>..., or --kubeconfig/--context for a live cluster',
    );
  }
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
  cluster: async (spec) => {
    const started = performance.now();
    // Loaded here, not at the top: the Kubernetes client costs more start-up than the rest of the CLI,
    // and only a live source needs it.
    const { readClusterOnce } = await import('../cluster/read-once.ts');
    const read = await readClusterOnce(spec.kubeconfig, spec.context);
    if (!read.ok) throw new UsageError(read.message);
    return { snapshot: read.snapshot, loadMs: performance.now() - started, details: {} };
  },
};

export function resolveInput(spec: InputSpec): Promise<ResolvedInput> {
  switch (spec.kind) {
    case 'manifests':
      return RESOLVERS.manifests(spec);
    case 'cluster':
      return RESOLVERS.cluster(spec);
  }
}
