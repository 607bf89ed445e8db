/** `netglass reach`: the truth table over every pod (and --ip address) pair and port. */
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { Peer, PortProbe, ReachTable } from '../../../shared/eval/index.ts';
import { closest } from '../../../shared/manifest/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import { writeReachJson, writeReachTable } from '../format/reach.ts';
import { parseExternal, parsePort } from '../targets.ts';

export interface ReachResult {
  readonly peers: readonly Peer[];
  readonly ports: readonly PortProbe[];
  readonly table: ReachTable;
  /** Where the ports came from. */
  readonly portSource: 'given' | 'mentioned' | 'universe';
}

/** Tables beyond this many results are refused: computing one takes about 100 bytes per result. */
export const MAX_REACH_RESULTS = 4_000_000;

/**
 * Pods sorted by `namespace/name` (only those of `namespaces`, when given), then the external
 * addresses in the order given.
 */
export function computeReach(
  snapshot: Snapshot,
  ports: readonly PortProbe[] | undefined,
  ips: readonly string[],
  namespaces: readonly string[] = [],
): ReachResult {
  const known = new Set(snapshot.namespaces.map((n) => n.name));
  for (const ns of namespaces) {
    if (!known.has(ns)) {
      const hint = closest(ns, known);
      throw new UsageError(`unknown namespace ${ns}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
  }
  const analyzer = createAnalyzer(snapshot);
  const pods: Peer[] = [...snapshot.pods]
    .filter((p) => namespaces.length === 0 || namespaces.includes(p.namespace))
    .sort((a, b) =>
      a.namespace !== b.namespace
        ? a.namespace < b.namespace
          ? -1
          : 1
        : a.name < b.name
          ? -1
          : a.name > b.name
            ? 1
            : 0,
    )
    .map((p) => ({ kind: 'pod', namespace: p.namespace, name: p.name }));
  const externals: Peer[] = [...new Set(ips)].map((ip) => parseExternal(ip));
  const peers = [...pods, ...externals];
  let portSource: ReachResult['portSource'] = 'given';
  let probes = ports;
  if (!probes || probes.length === 0) {
    probes = analyzer.mentionedPorts();
    portSource = 'mentioned';
    if (probes.length === 0) {
      probes = analyzer.universe().ports;
      portSource = 'universe';
    }
  }
  const results =
    (peers.length * (peers.length - 1) - externals.length * (externals.length - 1)) * probes.length;
  if (results > MAX_REACH_RESULTS) {
    throw new UsageError(
      `the table would have ${results.toLocaleString('en-US')} results (${pods.length} pods, ${probes.length} ports), ` +
        `more than ${MAX_REACH_RESULTS.toLocaleString('en-US')}: narrow it with --namespace or --port, or use 'netglass analyze'`,
    );
  }
  return { peers, ports: probes, table: analyzer.reach(peers, probes), portSource };
}

export const reachCommand: Command = {
  name: 'reach',
  summary: 'truth table: which pods (and addresses) can reach which, per port',
  usage:
    'netglass reach --manifests <path>... [--port <n>[/TCP|UDP|SCTP]]... [--ip <addr>]... [--namespace <ns>]... [--format table|json]',
  description:
    'Evaluates every ordered pair of distinct peers (pods, plus the --ip addresses; address-to-address pairs are\n' +
    'left out) on every port. Without --port, the ports the policies mention are probed (named ports resolved\n' +
    'on the pods that declare them). The table shows one matrix per port: rows are sources, columns destinations.',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'port',
      short: 'p',
      type: 'string',
      multiple: true,
      valueName: 'n[/proto]',
      description: 'port to probe, e.g. 80 or 53/UDP; repeatable',
    },
    {
      name: 'ip',
      type: 'string',
      multiple: true,
      valueName: 'addr',
      description: 'an external address to include as a peer; repeatable',
    },
    {
      name: 'namespace',
      short: 'n',
      type: 'string',
      multiple: true,
      valueName: 'ns',
      description: 'only the pods of this namespace (policies everywhere still apply); repeatable',
    },
    formatOption(['table', 'json'], 'table'),
  ],
  examples: [
    'netglass reach --manifests cluster.yaml',
    'netglass reach --manifests k8s/ --port 80 --port 53/UDP --ip 8.8.8.8 --format json',
  ],
  async run(args, io) {
    noPositionals(args);
    const ports = (args.options.get('port') ?? []).map(parsePort);
    const ips = args.options.get('ip') ?? [];
    ips.forEach(parseExternal); // validate before loading
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const result = computeReach(
      input.snapshot,
      ports.length > 0 ? ports : undefined,
      ips,
      args.options.get('namespace') ?? [],
    );
    if (format(args, 'table') === 'json') await writeReachJson(result, io);
    else await writeReachTable(result, io);
    return EXIT.ok;
  },
};
