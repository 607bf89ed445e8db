/**
 * Folds records into flows keyed by (mapped source, mapped destination, protocol, port) as they are
 * read, so what the comparison evaluates grows with the distinct connections, not with the records: a
 * million packets between the same two pods are one flow with a count.
 */
import type { Protocol } from '../model/snapshot.ts';
import type { EndpointMapper, MappedRef } from './map.ts';
import type { FlowFormat, FlowLocation, FlowRecord, ObservedPolicy } from './types.ts';

/** Distinct policies kept per flow (a flow seen under hundreds of policy revisions keeps the first). */
const MAX_POLICIES = 16;

export interface OutcomeCounts {
  allowed: number;
  denied: number;
  audit: number;
  'dropped-other': number;
}

export interface AggregatedFlow {
  readonly src: MappedRef;
  readonly dst: MappedRef;
  readonly protocol: Protocol;
  readonly port: number;
  /** Per outcome, the connections or events the records stand for. */
  readonly counts: OutcomeCounts;
  records: number;
  /**
   * Earliest start and latest end over the records, ms since the epoch; Infinity / -Infinity when no
   * record carried a time (numbers throughout, so updating them per record allocates nothing).
   */
  first: number;
  last: number;
  /** Policies the CNI named, deduplicated. */
  readonly policies: ObservedPolicy[];
  /** Where drops and audits were taken, when the records say. */
  readonly deniedAt: { ingress: number; egress: number };
  readonly dropReasons: Record<string, number>;
  readonly formats: Set<FlowFormat>;
  /** The first record of the flow. */
  readonly location: FlowLocation;
}

export interface UnmappedEndpoint {
  readonly label: string;
  readonly reason: string;
  records: number;
}

const PROTOCOL_CODE: Readonly<Record<Protocol, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

export class FlowAggregator {
  /** Every flow, in the order first seen. */
  readonly flows: AggregatedFlow[] = [];
  /** Source index → destination index → protocol × 65536 + port → flow (small-integer keys only). */
  readonly #index = new Map<number, Map<number, Map<number, AggregatedFlow>>>();
  readonly unmapped = new Map<string, UnmappedEndpoint>();
  readonly mapping = { name: 0, ip: 0, labels: 0, workload: 0, external: 0, network: 0, unmapped: 0 };
  #first = Number.POSITIVE_INFINITY;
  #last = Number.NEGATIVE_INFINITY;
  readonly #mapper: EndpointMapper;

  /** The window over every record with a time; undefined when none had one. */
  get first(): number | undefined {
    return Number.isFinite(this.#first) ? this.#first : undefined;
  }

  get last(): number | undefined {
    return Number.isFinite(this.#last) ? this.#last : undefined;
  }

  constructor(mapper: EndpointMapper) {
    this.#mapper = mapper;
  }

  add(record: FlowRecord, location: FlowLocation): void {
    const src = this.#mapped(record.source, record.count);
    const dst = this.#mapped(record.destination, record.count);
    let bySrc = this.#index.get(src.index);
    if (!bySrc) {
      bySrc = new Map();
      this.#index.set(src.index, bySrc);
    }
    let byPort = bySrc.get(dst.index);
    if (!byPort) {
      byPort = new Map();
      bySrc.set(dst.index, byPort);
    }
    const portKey = PROTOCOL_CODE[record.protocol] * 65536 + record.port;
    let flow = byPort.get(portKey);
    if (!flow) {
      flow = {
        src,
        dst,
        protocol: record.protocol,
        port: record.port,
        counts: { allowed: 0, denied: 0, audit: 0, 'dropped-other': 0 },
        records: 0,
        first: Number.POSITIVE_INFINITY,
        last: Number.NEGATIVE_INFINITY,
        policies: [],
        deniedAt: { ingress: 0, egress: 0 },
        dropReasons: {},
        formats: new Set(),
        location,
      };
      byPort.set(portKey, flow);
      this.flows.push(flow);
    }
    flow.records++;
    flow.counts[record.outcome] += record.count;
    flow.formats.add(record.format);
    const start = record.start;
    if (start !== undefined) {
      if (start < flow.first) flow.first = start;
      if (start < this.#first) this.#first = start;
    }
    const end = record.end ?? start;
    if (end !== undefined) {
      if (end > flow.last) flow.last = end;
      if (end > this.#last) this.#last = end;
    }
    if (record.outcome !== 'allowed' && record.direction !== undefined) flow.deniedAt[record.direction]++;
    if (record.dropReason !== undefined)
      flow.dropReasons[record.dropReason] = (flow.dropReasons[record.dropReason] ?? 0) + record.count;
    for (const p of record.policies) addPolicy(flow.policies, p);
  }

  #mapped(endpoint: FlowRecord['source'], count: number): MappedRef {
    const ref = this.#mapper.map(endpoint);
    const e = ref.endpoint;
    if (e.kind === 'pods') this.mapping[e.by]++;
    else if (e.kind === 'external') this.mapping[e.by === 'ip' ? 'external' : 'network']++;
    else {
      this.mapping.unmapped++;
      const u = this.unmapped.get(ref.label);
      if (u) u.records += count;
      else this.unmapped.set(ref.label, { label: ref.label, reason: e.reason, records: count });
    }
    return ref;
  }
}

function samePolicy(a: ObservedPolicy, b: ObservedPolicy): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.namespace === b.namespace &&
    a.action === b.action &&
    a.tier === b.tier &&
    a.pending === b.pending
  );
}

function addPolicy(list: ObservedPolicy[], p: ObservedPolicy): void {
  if (list.length >= MAX_POLICIES) return;
  for (const q of list) if (samePolicy(p, q)) return;
  list.push(p);
}
