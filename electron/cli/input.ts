/**
 * Where a command's cluster state comes from: manifest files (`--manifests`) or a live cluster read
 * once through a kubeconfig context (`--kubeconfig`/`--context`). Commands only see `ResolvedInput`,
 * so the same objects print the same output whichever way they arrive. The live reader (and with it
 * @kubernetes/client-node) is imported only when a cluster is asked for.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CNI_NAMES,
  type CiliumCidrMatch,
  type CniProfile,
  type LoadIssue,
  type Snapshot,
} from '../../shared/model/snapshot.ts';
import { listManifestFiles, loadManifestsWithTimings } from '../manifests/load.ts';
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
  if (paths.includes('-')) {
    throw new UsageError(
      '--manifests - : manifests are not read from standard input; save them to a file first (e.g. kubectl kustomize k8s/ > built.yaml) and give its path',
    );
  }
  if (paths.length === 0) {
    throw new UsageError(
      'no input: give --manifests <file or directory>..., or --kubeconfig/--context for a live cluster',
    );
  }
  return { kind: 'manifests', paths };
}

/**
 * An error for each directory given that holds no manifest file: a mistyped or unrendered directory
 * would otherwise be read as an empty cluster, and a CI step (lint, test, report) would pass on nothing.
 */
export async function emptyDirectoryIssues(
  paths: readonly string[],
  files: readonly string[],
): Promise<LoadIssue[]> {
  const issues: LoadIssue[] = [];
  for (const p of paths) {
    const isDir = await stat(p).then(
      (s) => s.isDirectory(),
      () => false, // the loader reports paths it cannot read
    );
    if (!isDir) continue;
    const inside = (f: string): boolean => {
      const rel = path.relative(p, f);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    };
    // A directory whose files were all listed under another spelling of it (a symlink) is not empty.
    if (files.some(inside) || (await listManifestFiles([p])).files.length > 0) continue;
    issues.push({
      severity: 'error',
      message: `${p}: no manifest files (.yaml, .yml or .json) in this directory or below it (entries starting with . are skipped); check the path`,
      object: p,
    });
  }
  return issues;
}

/** Whether the manifests held no object at all, not even one of a kind netglass skips. */
function holdsNothing(s: Snapshot): boolean {
  return (
    s.namespaces.length +
      s.pods.length +
      s.policies.length +
      s.clusterPolicies.length +
      (s.ciliumPolicies?.length ?? 0) +
      (s.calicoPolicies?.length ?? 0) +
      (s.calicoTiers?.length ?? 0) +
      (s.calicoNetworkSets?.length ?? 0) +
      Object.keys(s.skippedKinds).length ===
    0
  );
}

const RESOLVERS: {
  readonly [K in InputSpec['kind']]: (spec: Extract<InputSpec, { kind: K }>) => Promise<ResolvedInput>;
} = {
  manifests: async (spec) => {
    const r = await loadManifestsWithTimings(spec.paths);
    const empty = await emptyDirectoryIssues(spec.paths, r.files);
    // Files with no object (an empty render, only comments) would read as an empty cluster that
    // passes every check; other issues already say what went wrong.
    if (empty.length === 0 && r.snapshot.issues.length === 0 && holdsNothing(r.snapshot))
      empty.push({
        severity: 'error',
        message: `${spec.paths.join(', ')}: no Kubernetes object in ${r.files.length === 1 ? 'this file' : `these ${r.files.length} files`} (empty, or only comments); check what wrote ${r.files.length === 1 ? 'it' : 'them'}`,
        object: spec.paths.join(', '),
      });
    return {
      snapshot: empty.length > 0 ? { ...r.snapshot, issues: [...empty, ...r.snapshot.issues] } : r.snapshot,
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
