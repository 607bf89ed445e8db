/** `netglass policy`: what one policy selects, isolates, permits and denies. */
import { existsSync } from 'node:fs';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { PolicyEffect } from '../../../shared/eval/index.ts';
import { wordingContext, type WordingContext } from '../../../shared/eval/wording.ts';
import { editDistance } from '../../../shared/manifest/names.ts';
import type {
  CalicoPolicy,
  CiliumPolicy,
  ClusterNetworkPolicy,
  NetworkPolicy,
  Snapshot,
} from '../../../shared/model/snapshot.ts';
import { calicoPolicyKey, ciliumPolicyKey, clusterPolicyKey } from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput } from '../common.ts';
import type { Command } from '../common.ts';
import { policyJson, policyText } from '../format/policy.ts';

/** A NetworkPolicy (`namespace/name`) or an admin-tier policy (its `clusterPolicyKey`), with its effect. */
export type PolicyResult = (
  | { readonly kind: 'network'; readonly policy: NetworkPolicy; readonly effect: PolicyEffect }
  | { readonly kind: 'cluster'; readonly policy: ClusterNetworkPolicy; readonly effect: PolicyEffect }
  | { readonly kind: 'cilium'; readonly policy: CiliumPolicy; readonly effect: PolicyEffect }
  | { readonly kind: 'calico'; readonly policy: CalicoPolicy; readonly effect: PolicyEffect }
) & {
  /** Tells named probes from stand-ins ("any other TCP port") in the text output. */
  readonly wording: WordingContext;
};

/** How many close keys an unknown key lists. */
const MAX_HINTS = 5;

/**
 * Keys like `key`, closest first: keys within a small edit distance (case-insensitive), keys whose name
 * part equals it (`web` → `shop/web`, `AdminNetworkPolicy:web`), and keys that contain it.
 */
export function closeKeys(key: string, keys: readonly string[]): string[] {
  const k = key.toLowerCase();
  const limit = Math.max(2, Math.floor(key.length / 3));
  const nameOf = (c: string): string => c.slice(Math.max(c.lastIndexOf('/'), c.lastIndexOf(':')) + 1);
  const scored: [string, number][] = [];
  for (const c of keys) {
    const lc = c.toLowerCase();
    const d = editDistance(k, lc);
    if (d <= limit) scored.push([c, d]);
    else if (nameOf(lc) === nameOf(k)) scored.push([c, limit + 1]);
    else if (k.length >= 3 && lc.includes(k)) scored.push([c, limit + 2]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_HINTS)
    .map(([c]) => c);
}

export function computePolicy(snapshot: Snapshot, key: string, limit: number): PolicyResult {
  const policy = snapshot.policies.find((p) => `${p.namespace}/${p.name}` === key);
  const admin = snapshot.clusterPolicies.find((p) => clusterPolicyKey(p) === key);
  if (policy || admin) {
    const analyzer = createAnalyzer(snapshot);
    const effect = analyzer.policyEffect(key, { limit });
    const wording = wordingContext([{ analyzer, snapshot }]);
    if (policy) return { kind: 'network', policy, effect, wording };
    if (admin) return { kind: 'cluster', policy: admin, effect, wording };
  }
  const cilium = (snapshot.ciliumPolicies ?? []).find((p) => ciliumPolicyKey(p) === key);
  if (cilium) {
    const analyzer = createAnalyzer(snapshot);
    const effect = analyzer.policyEffect(key, { limit });
    return { kind: 'cilium', policy: cilium, effect, wording: wordingContext([{ analyzer, snapshot }]) };
  }
  const calico = (snapshot.calicoPolicies ?? []).find((p) => calicoPolicyKey(p) === key);
  if (calico) {
    const analyzer = createAnalyzer(snapshot);
    const effect = analyzer.policyEffect(key, { limit });
    return { kind: 'calico', policy: calico, effect, wording: wordingContext([{ analyzer, snapshot }]) };
  }
  const keys = [
    ...snapshot.policies.map((p) => `${p.namespace}/${p.name}`),
    ...snapshot.clusterPolicies.map(clusterPolicyKey),
    ...(snapshot.ciliumPolicies ?? []).map(ciliumPolicyKey),
    ...(snapshot.calicoPolicies ?? []).map(calicoPolicyKey),
  ];
  const hints = closeKeys(key, keys);
  throw new UsageError(
    hints.length > 0
      ? `unknown policy ${key} (did you mean ${hints.join(', ')}?)`
      : `unknown policy ${key}: give a NetworkPolicy as <namespace>/<name>, a ClusterNetworkPolicy by its ` +
          'name, a legacy one as AdminNetworkPolicy:<name> or BaselineAdminNetworkPolicy:<name>, a Cilium one as ' +
          'CiliumNetworkPolicy:<namespace>/<name> or CiliumClusterwideNetworkPolicy:<name>, a Calico one as ' +
          'Calico:NetworkPolicy/<namespace>/<tier>.<name> or Calico:GlobalNetworkPolicy/<tier>.<name>',
  );
}

export const policyCommand: Command = {
  name: 'policy',
  summary: 'the effect of one policy: what it selects, isolates, permits and denies',
  usage: 'netglass policy --manifests <path>... <policy> [--format text|json] [--limit <n>]',
  description:
    'Every connection (pod or external address, pod, port) falls in one class for the policy: permitted by it\n' +
    '(and flowing, or blocked at the other side), denied by it (would flow without it), or unaffected. Also lists\n' +
    'the rules that match nothing. <policy> is a NetworkPolicy as <namespace>/<name>, a ClusterNetworkPolicy by\n' +
    'its name, a legacy AdminNetworkPolicy:<name> / BaselineAdminNetworkPolicy:<name>, a Cilium policy as\n' +
    'CiliumNetworkPolicy:<namespace>/<name> / CiliumClusterwideNetworkPolicy:<name>, or a Calico policy as\n' +
    'Calico:NetworkPolicy/<namespace>/<tier>.<name> / Calico:GlobalNetworkPolicy/<tier>.<name>. For an admin-tier\n' +
    'policy: its tier, priority, subject and rules, and the connections whose side its Accept rules permit, its\n' +
    'Deny rules deny, or its Pass rules pass on to the next tier. The policy may come before the options; after\n' +
    '--manifests, the last argument is taken as the policy when no other is given.',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'limit',
      type: 'string',
      valueName: 'n',
      description: 'entries per list (default 20 for text, 1000 for json)',
    },
    formatOption(['text', 'json'], 'text'),
  ],
  examples: [
    'netglass policy --manifests k8s/ shop/allow-frontend',
    'netglass policy shop/default-deny -f k8s/ --format json',
    'netglass policy -f k8s/ platform-deny-cross-ns',
  ],
  async run(args, io) {
    let key = args.positionals[0];
    const manifests = args.options.get('manifests') ?? [];
    if (key === undefined && manifests.length > 1) {
      key = manifests.pop();
      args.options.set('manifests', manifests);
      // A manifest file or directory there means the policy was left out, not misspelt.
      if (key !== undefined && /(\.ya?ml|\.json|\/)$/i.test(key) && existsSync(key))
        throw new UsageError(
          `which policy? ${key}, the last argument after --manifests, is a manifest path; give the policy as <namespace>/<name> (or a ClusterNetworkPolicy's name) after the paths`,
        );
    }
    if (key === undefined)
      throw new UsageError('which policy? give <namespace>/<name>, or the name of a ClusterNetworkPolicy');
    if (args.positionals.length > 1)
      throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[1])}`);
    const json = format(args, 'text') === 'json';
    const limitText = args.options.get('limit')?.[0];
    const limit = limitText === undefined ? (json ? 1000 : 20) : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0)
      throw new UsageError(`--limit must be a whole number (got ${JSON.stringify(limitText)})`);
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const result = computePolicy(input.snapshot, key, limit);
    await io.out(json ? `${JSON.stringify(policyJson(result), null, 2)}\n` : policyText(result, limit));
    return EXIT.ok;
  },
};
