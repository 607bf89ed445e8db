/** `netglass reach`: the truth table over every pod (and --ip address) pair and port, streamed. */
import { createReachSource } from '../../../shared/eval/reach-groups.ts';
import type { GroupedReach } from '../../../shared/eval/reach-groups.ts';
import { declaredPortNames, resolveNamedPort } from '../../../shared/eval/named-ports.ts';
import type { Peer, PortProbe } from '../../../shared/eval/index.ts';
import { closest } from '../../../shared/manifest/index.ts';
import { podAtAddress } from '../../../shared/model/pod-address.ts';
import type { Pod, Snapshot } from '../../../shared/model/snapshot.ts';
import { UsageError } from '../args.ts';
import { COMMON_OPTIONS, EXIT, format, formatOption, loadInput, noPositionals } from '../common.ts';
import type { Command } from '../common.ts';
import { REACH_WRITERS, type ReachFormat } from '../format/reach.ts';
import { formatPort, formatPortSpec, parseExternal, parsePortSpec } from '../targets.ts';
import type { PortSpec } from '../targets.ts';

export interface ReachResult {
  readonly peers: readonly Peer[];
  /** The ports asked about (columns), as given or chosen (see `portSource`). */
  readonly specs: readonly PortSpec[];
  /** Where the ports came from. */
  readonly portSource: 'given' | 'mentioned' | 'universe';
  /** The cells, per group of peers no policy tells apart, over the numeric ports `column` points into. */
  readonly grouped: GroupedReach;
  /**
   * `column[k][g]`: the index in `grouped.ports` that port `k` is at a destination of group `g`; -1
   * when it is a name that destination does not declare (then the pair has no result for that port).
   */
  readonly column: readonly Int32Array[];
  /** Whether group `g` holds addresses (address-to-address pairs are left out). */
  readonly external: readonly boolean[];
  /** The number of results: (from, to, port) with from ≠ to, a pod at one end at least, the port resolved. */
  readonly results: number;
}

/** Past this many results, reach says on stderr what is coming and how to get less. */
export const HUGE_REACH_RESULTS = 4_000_000;

function byKey(a: Pod, b: Pod): number {
  return a.namespace !== b.namespace
    ? a.namespace < b.namespace
      ? -1
      : 1
    : a.name < b.name
      ? -1
      : a.name > b.name
        ? 1
        : 0;
}

/** Per group, the number of peers; used to count results without visiting them. */
function groupSizes(grouped: GroupedReach): Float64Array {
  const sizes = new Float64Array(grouped.groupCount);
  for (const g of grouped.groupOf) sizes[g] = (sizes[g] ?? 0) + 1;
  return sizes;
}

function countResults(
  grouped: GroupedReach,
  column: readonly Int32Array[],
  external: readonly boolean[],
): number {
  const sizes = groupSizes(grouped);
  const G = grouped.groupCount;
  let total = 0;
  for (const col of column) {
    for (let a = 0; a < G; a++) {
      for (let b = 0; b < G; b++) {
        if ((col[b] ?? -1) < 0 || (external[a] && external[b])) continue;
        const na = sizes[a] ?? 0;
        total += a === b ? na * (na - 1) : na * (sizes[b] ?? 0);
      }
    }
  }
  return total;
}

/**
 * Pods sorted by `namespace/name` (only those of `namespaces`, when given), then the external
 * addresses in the order given. Without ports: those the policies mention, else one per class of
 * ports the rules treat alike. A named port is resolved on each destination pod, as policies do.
 */
export function computeReach(
  snapshot: Snapshot,
  specs: readonly PortSpec[],
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
  const source = createReachSource(snapshot);
  const pods = [...snapshot.pods]
    .filter((p) => namespaces.length === 0 || namespaces.includes(p.namespace))
    .sort(byKey);
  const peers: Peer[] = [
    ...pods.map((p): Peer => ({ kind: 'pod', namespace: p.namespace, name: p.name })),
    ...[...new Set(ips)].map((ip) => parseExternal(ip)),
  ];
  let portSource: ReachResult['portSource'] = 'given';
  let given = specs;
  if (given.length === 0) {
    let probes = source.mentionedPorts();
    portSource = 'mentioned';
    if (probes.length === 0) {
      probes = source.universePorts();
      portSource = 'universe';
    }
    given = probes.map((probe) => ({ kind: 'number', probe }));
  }
  // The numeric ports to evaluate: the numbers given, and every number a name resolves to on a pod.
  const codes = new Map<string, number>();
  const probes: PortProbe[] = [];
  const indexOf = (p: PortProbe): number => {
    const key = formatPort(p);
    let i = codes.get(key);
    if (i === undefined) {
      i = probes.length;
      codes.set(key, i);
      probes.push(p);
    }
    return i;
  };
  for (const s of given) if (s.kind === 'number') indexOf(s.probe);
  const grouped = source.grouped(peers, probes.slice());
  // Groups hold pods of one class, which share their named ports: resolve on each group's first pod.
  const firstPod: (Pod | undefined)[] = new Array<Pod | undefined>(grouped.groupCount);
  const external: boolean[] = new Array<boolean>(grouped.groupCount).fill(false);
  peers.forEach((peer, i) => {
    const g = grouped.groupOf[i] ?? 0;
    if (peer.kind === 'external') external[g] = true;
    else if (firstPod[g] === undefined) firstPod[g] = pods[i];
  });
  const named = given.some((s) => s.kind === 'named');
  const column = given.map((s) => {
    const col = new Int32Array(grouped.groupCount);
    for (let g = 0; g < grouped.groupCount; g++) {
      if (s.kind === 'number') col[g] = indexOf(s.probe);
      else {
        const pod = firstPod[g];
        // Lowest first; a pod whose containers repeat a name is asked about the lowest port.
        const found = pod !== undefined ? resolveNamedPort(pod, s)[0] : undefined;
        col[g] = found !== undefined ? indexOf(found) : -1;
      }
    }
    return col;
  });
  given.forEach((s, k) => {
    if (s.kind === 'named' && (column[k] ?? []).every((c) => c < 0))
      throw new UsageError(unresolvedName(formatPortSpec(s), firstPod));
  });
  // Names resolved to ports not evaluated yet: evaluate again over all of them (cells are per group
  // pair, so this costs little whatever the number of pods).
  const final = named && probes.length > grouped.ports.length ? source.grouped(peers, probes) : grouped;
  return {
    peers,
    specs: given,
    portSource,
    grouped: final,
    column,
    external,
    results: countResults(final, column, external),
  };
}

/**
 * A `--port` name no pod of the table declares gives no result at all: most likely a typo, so say
 * which names the pods do declare rather than print an empty table.
 */
function unresolvedName(text: string, pods: readonly (Pod | undefined)[]): string {
  const declared = new Set<string>();
  for (const pod of pods) if (pod !== undefined) for (const n of declaredPortNames(pod)) declared.add(n);
  if (declared.size === 0)
    return `--port ${text}: no pod in the table declares a named container port; give a number (e.g. --port 80)`;
  const names = [...declared].sort();
  const hint = closest(text.split('/')[0] ?? text, new Set(names.map((n) => n.split('/')[0] ?? n)));
  return (
    `--port ${text}: no pod in the table declares a container port of that name${text.includes('/') ? ' and protocol' : ''}` +
    `${hint !== undefined ? ` (did you mean ${hint}?)` : ''}; the pods declare ` +
    `${names.slice(0, 10).join(', ')}${names.length > 10 ? `, and ${names.length - 10} more` : ''}`
  );
}

const FORMATS: readonly ReachFormat[] = ['table', 'json', 'ndjson', 'csv', 'compact-json'];

/** The stderr note for a huge table: its size, and only the ways to narrow it the user has not taken. */
export function hugeNote(result: ReachResult, portsGiven: boolean, namespacesGiven: boolean): string {
  const pods = result.peers.filter((p) => p.kind === 'pod').length;
  const ways = [
    `--format compact-json (one line per pair of the ${result.grouped.groupCount.toLocaleString('en-US')} groups of peers no policy tells apart)`,
    ...(namespacesGiven ? [] : ['--namespace <ns>']),
    ...(portsGiven ? [] : ['--port <n>']),
    "'netglass analyze' for counts",
  ];
  return (
    `netglass reach: streaming ${result.results.toLocaleString('en-US')} results ` +
    `(${pods.toLocaleString('en-US')} pods, ${result.specs.length} port${result.specs.length === 1 ? '' : 's'}); ` +
    `for less, use ${ways.join(', ')}\n`
  );
}

export const reachCommand: Command = {
  name: 'reach',
  summary: 'truth table: which pods (and addresses) can reach which, per port',
  usage:
    'netglass reach --manifests <path>... [--port <n|name>[/TCP|UDP|SCTP]]... [--ip <addr>]... [--namespace <ns>]... [--format table|json|ndjson|csv|compact-json]',
  description:
    'Evaluates every ordered pair of distinct peers (pods, plus the --ip addresses; address-to-address pairs are\n' +
    'left out) on every port. Without --port, the ports the policies mention are probed (named ports resolved\n' +
    'on the pods that declare them). A --port name is resolved on each destination pod (pairs whose destination\n' +
    'does not declare it are left out). The table shows one matrix per port: rows are sources, columns\n' +
    'destinations. json, ndjson and csv stream one result per line, with no size limit; compact-json gives\n' +
    'the groups of peers no policy tells apart once, then one line per pair of groups.',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'port',
      short: 'p',
      type: 'string',
      multiple: true,
      valueName: 'n|name[/proto]',
      description: 'port to probe, e.g. 80, 53/UDP, or a container port name such as http; repeatable',
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
    formatOption(FORMATS, 'table'),
  ],
  examples: [
    'netglass reach --manifests cluster.yaml',
    'netglass reach --manifests k8s/ --port 80 --port 53/UDP --ip 8.8.8.8 --format json',
    'netglass reach --manifests k8s/ --port http --format ndjson | jq -c "select(.allowed)"',
    'netglass reach --manifests k8s/ --format compact-json',
  ],
  async run(args, io) {
    noPositionals(args);
    const specs = (args.options.get('port') ?? []).map(parsePortSpec);
    const ips = args.options.get('ip') ?? [];
    ips.forEach(parseExternal); // validate before loading
    const namespaces = args.options.get('namespace') ?? [];
    const input = await loadInput(args, io);
    if (!input) return EXIT.badInput;
    const result = computeReach(input.snapshot, specs, ips, namespaces);
    for (const ip of new Set(ips)) {
      const pod = podAtAddress(input.snapshot.pods, ip);
      if (pod !== undefined)
        io.err(
          `netglass reach: warning: --ip ${ip} is the address of pod ${pod.namespace}/${pod.name}, but --ip addresses are taken as outside the cluster, so its results are not the pod's\n`,
        );
    }
    const fmt = FORMATS.find((f) => f === format(args, 'table')) ?? 'table';
    if (fmt !== 'compact-json' && result.results > HUGE_REACH_RESULTS) {
      io.err(hugeNote(result, specs.length > 0, namespaces.length > 0));
    }
    await REACH_WRITERS[fmt](result, io);
    return EXIT.ok;
  },
};
