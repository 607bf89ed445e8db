/** `netglass check`: one connection's verdict, explained per side. */
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { ConnectionVerdict, Peer } from '../../../shared/eval/index.ts';
import type { ClusterNetworkPolicy, NetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import { podAtAddress } from '../../../shared/model/pod-address.ts';
import { clusterPolicyKey } from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import {
  COMMON_OPTIONS,
  EXIT,
  format,
  formatOption,
  loadInput,
  noPositionals,
  sortedPodKeys,
} from '../common.ts';
import type { Command } from '../common.ts';
import { checkJson, checkText } from '../format/check.ts';
import { formatPortSpec, parsePeer, parsePortSpec, resolvePortAt } from '../targets.ts';

export interface CheckResult {
  readonly verdict: ConnectionVerdict;
  /** The policies the explanation mentions, by `namespace/name`, for their source locations. */
  readonly policies: ReadonlyMap<string, NetworkPolicy>;
  /** Admin-tier policies by `clusterPolicyKey`, for their source locations. */
  readonly clusterPolicies: ReadonlyMap<string, ClusterNetworkPolicy>;
  /** The name `--port` gave, when it was one (the verdict's query has the number it resolved to). */
  readonly portName?: string;
  /** Ends given as an address that is one pod's own, and checked as that pod. */
  readonly addressPods?: readonly {
    readonly role: '--from' | '--to';
    readonly ip: string;
    readonly pod: string;
  }[];
}

export function computeCheck(snapshot: Snapshot, from: string, to: string, port: string): CheckResult {
  const keys = sortedPodKeys(snapshot);
  const addressPods: { role: '--from' | '--to'; ip: string; pod: string }[] = [];
  const asPod = (peer: Peer, role: '--from' | '--to'): Peer => {
    if (peer.kind !== 'external') return peer;
    const pod = podAtAddress(snapshot.pods, peer.ip);
    if (pod === undefined) return peer;
    addressPods.push({ role, ip: peer.ip, pod: `${pod.namespace}/${pod.name}` });
    return { kind: 'pod', namespace: pod.namespace, name: pod.name };
  };
  const src = asPod(parsePeer(from, keys, '--from'), '--from');
  const dst = asPod(parsePeer(to, keys, '--to'), '--to');
  if (src.kind === 'external' && dst.kind === 'external') {
    throw new UsageError('--from and --to are both addresses: at least one end must be a pod');
  }
  if (src.kind === 'pod' && dst.kind === 'pod' && src.namespace === dst.namespace && src.name === dst.name) {
    throw new UsageError(
      '--from and --to are the same pod: NetworkPolicy does not apply to a pod talking to itself',
    );
  }
  const spec = parsePortSpec(port);
  const dstPod =
    dst.kind === 'pod'
      ? snapshot.pods.find((p) => p.namespace === dst.namespace && p.name === dst.name)
      : undefined;
  const probe = resolvePortAt(spec, dstPod, `--to ${to}`);
  const verdict = createAnalyzer(snapshot).check({
    from: src,
    to: dst,
    port: probe.port,
    protocol: probe.protocol,
  });
  const policies = new Map(snapshot.policies.map((p) => [`${p.namespace}/${p.name}`, p] as const));
  const clusterPolicies = new Map(snapshot.clusterPolicies.map((p) => [clusterPolicyKey(p), p] as const));
  return {
    verdict,
    policies,
    clusterPolicies,
    ...(spec.kind === 'named' ? { portName: formatPortSpec(spec) } : {}),
    addressPods,
  };
}

function one(args: Map<string, string[]>, name: string): string {
  const v = args.get(name);
  if (!v || v.length === 0) throw new UsageError(`--${name} is required`);
  return v[0] ?? '';
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'can A reach B on a port? the verdict, and why, per side',
  usage:
    'netglass check --manifests <path>... --from <ns/pod|ip> --to <ns/pod|ip> --port <n|name>[/TCP|UDP|SCTP] [--format text|json]',
  description:
    'Explains one connection: egress at the source and ingress at the destination. For each side: which\n' +
    'policies isolate it and which rules (index, peer, port entry) allow it, or that no rule matched. With\n' +
    'admin-tier policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy), each side\n' +
    'shows the tiers it went through: Admin rule, NetworkPolicies, Baseline rule, default allow.\n' +
    'Exit status: 0 allowed, 1 denied, 2 bad input (including an unknown pod), 3 unknown or conditional (allowed\n' +
    'only for the requests a Cilium or Calico rule accepts: L7, DNS names, Services, service accounts).',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'from',
      type: 'string',
      valueName: 'ns/pod|ip',
      description: 'source: a pod (namespace/name) or an IP address',
    },
    {
      name: 'to',
      type: 'string',
      valueName: 'ns/pod|ip',
      description: 'destination: a pod (namespace/name) or an IP address',
    },
    {
      name: 'port',
      short: 'p',
      type: 'string',
      valueName: 'n|name[/proto]',
      description:
        'destination port, e.g. 5432 or 53/UDP (default protocol TCP), or a container port name of the --to pod, e.g. http',
    },
    formatOption(['text', 'json'], 'text'),
  ],
  examples: [
    'netglass check --manifests k8s/ --from shop/checkout --to db/postgres --port 5432',
    'netglass check --manifests k8s/ --from shop/checkout --to shop/api --port http',
  ],
  async run(args, io) {
    noPositionals(args);
    const from = one(args.options, 'from');
    const to = one(args.options, 'to');
    const port = one(args.options, 'port');
    parsePortSpec(port); // validate before loading
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const result = computeCheck(input.snapshot, from, to, port);
    for (const a of result.addressPods ?? [])
      io.err(`netglass check: ${a.role} ${a.ip} is the address of pod ${a.pod}: checked as that pod\n`);
    await io.out(
      format(args, 'text') === 'json' ? `${JSON.stringify(checkJson(result), null, 2)}\n` : checkText(result),
    );
    const v = result.verdict.verdict;
    return v === 'allowed' ? EXIT.ok : v === 'denied' ? EXIT.denied : EXIT.unknown;
  },
};
