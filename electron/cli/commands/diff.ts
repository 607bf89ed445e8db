/**
 * `netglass diff`: the connections added and removed between two states of a cluster, through the
 * same `diffConnections` the policy editor's what-if view uses.
 */
import { diffConnections } from '../../../shared/eval/index.ts';
import type { ConnectionDiff } from '../../../shared/eval/index.ts';
import type { LoadIssue, Pod, Snapshot } from '../../../shared/model/snapshot.ts';
import {
  calicoNetworkSetKey,
  calicoPolicyKey,
  ciliumPolicyKey,
  clusterPolicyKey,
} from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import { diffJson, diffText } from '../format/diff.ts';
import { diffMarkdown } from '../format/diff-markdown.ts';
import { resolveInput } from '../input.ts';
import type { CliIO } from '../io.ts';
import { reportIssues } from '../issues.ts';

/** Exit status when something changed (as diff(1)); `EXIT` names 1 after `check`'s meaning. */
export const EXIT_CHANGED = 1;

export interface DiffResult {
  readonly before: Snapshot;
  readonly after: Snapshot;
  readonly diff: ConnectionDiff;
  /** What the exit status says: connections changed, or pods appeared or went away. */
  readonly changed: boolean;
}

export function computeDiff(before: Snapshot, after: Snapshot, limit: number): DiffResult {
  const diff = diffConnections(before, after, { limit });
  const c = diff.counts;
  const changed =
    c.added + c.removed + c.becameUnknown + c.becameKnown > 0 ||
    diff.pods.added.length + diff.pods.removed.length > 0;
  return { before, after, diff, changed };
}

function ownerKey(p: Pod): string | undefined {
  return p.owner ? `${p.namespace}\u0000${p.owner.kind}\u0000${p.owner.name}` : undefined;
}

/**
 * `--apply`: `base` with the objects of `change` put in, as `kubectl apply` would: Namespaces (declared
 * ones), NetworkPolicies, admin-tier, Cilium and Calico policies, Calico Tiers and NetworkSets (same kind
 * and name) and Pods replace those of the same kind and `namespace/name`, or are added. A Calico policy
 * is the same with or without its `tier.` name prefix (its key is kind, namespace, tier and name).
 * Pods standing for a workload template change the base's pods of that workload (labels, named ports,
 * hostNetwork; names and IPs are kept) when the base has any, so a relabelled Deployment compares pod by
 * pod; otherwise they are added.
 */
export function overlay(base: Snapshot, change: Snapshot): Snapshot {
  const namespaces = new Map(base.namespaces.map((n) => [n.name, n] as const));
  for (const n of change.namespaces) if (n.declared || !namespaces.has(n.name)) namespaces.set(n.name, n);
  const policies = new Map(base.policies.map((p) => [`${p.namespace}/${p.name}`, p] as const));
  for (const p of change.policies) policies.set(`${p.namespace}/${p.name}`, p);
  const clusterPolicies = new Map(base.clusterPolicies.map((p) => [clusterPolicyKey(p), p] as const));
  for (const p of change.clusterPolicies) clusterPolicies.set(clusterPolicyKey(p), p);
  const ciliumPolicies = replaced(base.ciliumPolicies, change.ciliumPolicies, ciliumPolicyKey);
  const calicoPolicies = replaced(base.calicoPolicies, change.calicoPolicies, calicoPolicyKey);
  const calicoTiers = replaced(base.calicoTiers, change.calicoTiers, (t) => t.name);
  const calicoNetworkSets = replaced(base.calicoNetworkSets, change.calicoNetworkSets, calicoNetworkSetKey);
  const pods = new Map(base.pods.map((p) => [`${p.namespace}/${p.name}`, p] as const));
  const templates = new Map<string, Pod>();
  for (const p of change.pods) {
    const owner = ownerKey(p);
    if (p.fromTemplate && owner !== undefined && !templates.has(owner)) templates.set(owner, p);
  }
  const rewritten = new Set<string>();
  for (const [key, p] of pods) {
    const owner = ownerKey(p);
    const t = owner !== undefined ? templates.get(owner) : undefined;
    if (!t || p.fromTemplate || owner === undefined) continue;
    pods.set(key, { ...p, labels: t.labels, ports: t.ports, hostNetwork: t.hostNetwork });
    rewritten.add(owner);
  }
  for (const p of change.pods) {
    const owner = ownerKey(p);
    if (p.fromTemplate && owner !== undefined && rewritten.has(owner)) continue;
    pods.set(`${p.namespace}/${p.name}`, p);
  }
  return {
    ...base,
    namespaces: [...namespaces.values()],
    pods: [...pods.values()],
    policies: [...policies.values()],
    clusterPolicies: [...clusterPolicies.values()],
    ciliumPolicies,
    ...(calicoPolicies.length > 0 ? { calicoPolicies } : {}),
    ...(calicoTiers.length > 0 ? { calicoTiers } : {}),
    ...(calicoNetworkSets.length > 0 ? { calicoNetworkSets } : {}),
    issues: [...base.issues, ...change.issues],
  };
}

/** `base`'s objects with those of `change` in place of the ones with their key, or added. */
function replaced<T>(
  base: readonly T[] | undefined,
  change: readonly T[] | undefined,
  key: (t: T) => string,
): T[] {
  const byKey = new Map((base ?? []).map((t) => [key(t), t] as const));
  for (const t of change ?? []) byKey.set(key(t), t);
  return [...byKey.values()];
}

/**
 * Whether an issue is the loader's warning that a Calico policy's tier is not declared, about a tier
 * that `base` declares: changes given to --apply are read alone, but land on a base with its Tiers.
 */
function tierDeclaredIn(base: Snapshot, issue: LoadIssue): boolean {
  const tier = /^tier (\S+) of Calico .* is not declared in the input/.exec(issue.message)?.[1];
  return (
    issue.severity === 'warning' &&
    tier !== undefined &&
    (base.calicoTiers ?? []).some((t) => t.name === tier)
  );
}

/** Loads manifests given to `--against` / `--apply`; undefined after printing errors. */
async function loadSide(
  paths: readonly string[],
  option: string,
  io: CliIO,
  verbose: boolean,
  base?: Snapshot,
): Promise<Snapshot | undefined> {
  const input = await resolveInput({ kind: 'manifests', paths });
  const issues = input.snapshot.issues.filter((i) => base === undefined || !tierDeclaredIn(base, i));
  const errors = reportIssues(issues, io, verbose);
  if (errors === 0) return input.snapshot;
  io.err(
    `netglass: ${errors} error${errors === 1 ? '' : 's'} in the ${option} input; nothing was compared\n`,
  );
  if (
    option === '--against' &&
    issues.some((i) => i.severity === 'error' && i.message.startsWith('duplicate '))
  )
    io.err(
      'hint: to compare a base with changed copies of some of its objects, give the changed files to --apply\n' +
        '      (they replace the objects of the same kind and name): netglass diff -f base/ --apply changed.yaml\n',
    );
  return undefined;
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'connections added and removed between two states (exit 1 when any)',
  usage:
    'netglass diff --manifests <before>... (--against <after>... | --apply <change>...) [--format text|json|markdown] [--limit <n>]',
  description:
    'Compares what is allowed in two states of a cluster: --manifests (or --kubeconfig/--context) is the state\n' +
    'before; the state after is --against (a complete second set of manifests, loaded on its own: it may name the\n' +
    'same files) and/or --apply (files whose objects replace or add to it, like kubectl apply). Compared: pods in\n' +
    'both states, one address per class of external addresses the ipBlocks and CIDRs of both states treat alike,\n' +
    'and the ports of both universes. Prints counts (per port, per namespace pair), the added and removed connections,\n' +
    'and the pods, policies (NetworkPolicies, admin-tier, Cilium and Calico policies) and namespaces added,\n' +
    'removed or changed.\n' +
    '--format markdown writes a pull-request comment: connections opened and closed per edited policy and per\n' +
    'namespace pair, then the first opened and closed connections.\n' +
    'Exit status: 0 no connection changed, 1 some did (or pods were added or removed), 2 bad input.',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'against',
      type: 'string',
      greedy: true,
      valueName: 'path',
      description: 'the state after: manifest files or directories (may repeat --manifests paths)',
    },
    {
      name: 'apply',
      type: 'string',
      greedy: true,
      valueName: 'path',
      description:
        'files applied on top of the state after (default: the state before): same kind and name replaces',
    },
    {
      name: 'limit',
      type: 'string',
      valueName: 'n',
      description: 'entries per list (default 20 for text and markdown, 1000 for json); counts stay exact',
    },
    formatOption(['text', 'json', 'markdown'], 'text'),
  ],
  examples: [
    'netglass diff --manifests base/ --against base/ new-policy.yaml',
    'netglass diff --manifests base/ --apply edited-policy.yaml',
    'netglass diff --manifests main/ --against pr/ --format json',
    'netglass diff --context prod --apply new-policy.yaml',
    'netglass diff --manifests main/ --against pr/ --format markdown > pr-comment.md',
  ],
  async run(args, io) {
    noPositionals(args);
    const as = format(args, 'text');
    const json = as === 'json';
    const limitText = args.options.get('limit')?.[0];
    const limit = limitText === undefined ? (json ? 1000 : 20) : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0)
      throw new UsageError(`--limit must be a whole number (got ${JSON.stringify(limitText)})`);
    const against = args.options.get('against') ?? [];
    const apply = args.options.get('apply') ?? [];
    if (against.length === 0 && apply.length === 0)
      throw new UsageError(
        'nothing to compare with: give --against <path>... (the state after) or --apply <file>... (changes on top)',
      );
    const verbose = args.flags.has('verbose');
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    let after = input.snapshot;
    if (against.length > 0) {
      const loaded = await loadSide(against, '--against', io, verbose);
      if (!loaded) return EXIT.badInput;
      // One cluster, one CNI: both states are read under the profile the first one was.
      after = input.snapshot.cni ? { ...loaded, cni: input.snapshot.cni } : loaded;
    }
    if (apply.length > 0) {
      const change = await loadSide(apply, '--apply', io, verbose, after);
      if (!change) return EXIT.badInput;
      after = overlay(after, change);
    }
    const result = computeDiff(input.snapshot, after, limit);
    await io.out(
      json
        ? `${JSON.stringify(diffJson(result), null, 2)}\n`
        : as === 'markdown'
          ? diffMarkdown(result, limit)
          : diffText(result, limit),
    );
    return result.changed ? EXIT_CHANGED : EXIT.ok;
  },
};
