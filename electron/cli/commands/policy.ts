/** `netglass policy`: what one policy selects, isolates, permits and denies. */
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { PolicyEffect } from '../../../shared/eval/index.ts';
import { closest } from '../../../shared/manifest/index.ts';
import type { NetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput } from '../common.ts';
import type { Command } from '../common.ts';
import { policyJson, policyText } from '../format/policy.ts';

export interface PolicyResult {
  readonly policy: NetworkPolicy;
  readonly effect: PolicyEffect;
}

export function computePolicy(snapshot: Snapshot, key: string, limit: number): PolicyResult {
  const keys = snapshot.policies.map((p) => `${p.namespace}/${p.name}`);
  const policy = snapshot.policies.find((p) => `${p.namespace}/${p.name}` === key);
  if (!policy) {
    const bare = keys.filter((k) => k.endsWith(`/${key}`));
    const hint = key.includes('/') ? closest(key, keys) : bare[0];
    throw new UsageError(
      `unknown policy ${key}${hint ? ` (did you mean ${hint}?)` : ''}${key.includes('/') ? '' : '; give it as <namespace>/<name>'}`,
    );
  }
  return { policy, effect: createAnalyzer(snapshot).policyEffect(key, { limit }) };
}

export const policyCommand: Command = {
  name: 'policy',
  summary: 'the effect of one policy: what it selects, isolates, permits and denies',
  usage: 'netglass policy --manifests <path>... <namespace>/<name> [--format text|json] [--limit <n>]',
  description:
    'Every connection (pod or external address, pod, port) falls in one class for the policy: permitted by it\n' +
    '(and flowing, or blocked at the other side), denied by it (would flow without it), or unaffected. Also lists\n' +
    'the rules that match nothing. The policy may come before the options; after --manifests, the last argument\n' +
    'is taken as the policy when no other is given.',
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
  ],
  async run(args, io) {
    let key = args.positionals[0];
    const manifests = args.options.get('manifests') ?? [];
    if (key === undefined && manifests.length > 1) {
      key = manifests.pop();
      args.options.set('manifests', manifests);
    }
    if (key === undefined) throw new UsageError('which policy? give <namespace>/<name>');
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
