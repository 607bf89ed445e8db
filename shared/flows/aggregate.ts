/**
 * Folds records into flows keyed by (mapped source, mapped destination, protocol, port) as they are
 * read, so what the comparison evaluates grows with the distinct connections, not with the records: a
 * million packets between the same two pods are one flow with a count.
 */
import type { Protocol } from '../model/snapshot.ts';
import type { EndpointMapper, MappedRef } from './map.ts';
import type { FlowFormat, FlowLocation, FlowRecord, ObservedOutcome, ObservedPolicy } from './types.ts';
import { inWindow, isOpenWindow, type TimeWindow } from './window.ts';

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
  /** Its timed records, for a time window (shared, not copied, by a windowed view of the flow). */
  readonly times: FlowTimes;
  /** Records without a time. */
  untimed: number;
}

export interface UnmappedEndpoint {
  readonly label: string;
  readonly reason: string;
  records: number;
}

const OUTCOMES: readonly ObservedOutcome[] = ['allowed', 'denied', 'audit', 'dropped-other'];
const OUTCOME_CODE: Readonly<Record<ObservedOutcome, number>> = {
  allowed: 0,
  denied: 1,
  audit: 2,
  'dropped-other': 3,
};

/**
 * The timed records of one flow, for choosing a time window after the import: per entry its start,
 * end and `count × 4 + outcome`, in parallel number arrays (a million records cost ~24 MB and no
 * object each).
 */
export class FlowTimes {
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly weight: number[] = [];

  add(start: number, end: number, outcome: ObservedOutcome, count: number): void {
    this.start.push(start);
    this.end.push(end);
    this.weight.push(count * 4 + OUTCOME_CODE[outcome]);
  }

  /** Another flow's entries after these (a copy sent from a worker is plain data: arrays only). */
  append(other: Pick<FlowTimes, 'start' | 'end' | 'weight'>): void {
    for (let i = 0; i < other.start.length; i++) {
      this.start.push(other.start[i] ?? 0);
      this.end.push(other.end[i] ?? 0);
      this.weight.push(other.weight[i] ?? 0);
    }
  }
}

/**
 * What one aggregator read, as plain data: a part of a file read elsewhere (a worker thread) to be
 * absorbed by the aggregator of the whole.
 */
export interface AggregatorPart {
  readonly flows: readonly AggregatedFlow[];
  readonly unmapped: readonly UnmappedEndpoint[];
  readonly mapping: Readonly<FlowAggregator['mapping']>;
  readonly first?: number;
  readonly last?: number;
}

/** What a flow's records inside a window add up to. */
interface WindowTally {
  readonly counts: OutcomeCounts;
  records: number;
  first: number;
  last: number;
}

function tallyIn(times: FlowTimes, w: TimeWindow): WindowTally {
  const t: WindowTally = {
    counts: { allowed: 0, denied: 0, audit: 0, 'dropped-other': 0 },
    records: 0,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
  };
  const { start, end, weight } = times;
  for (let i = 0; i < start.length; i++) {
    const s = start[i] ?? 0;
    const e = end[i] ?? s;
    if (!inWindow(s, e, w)) continue;
    const wt = weight[i] ?? 0;
    const outcome = OUTCOMES[wt % 4] ?? 'allowed';
    t.counts[outcome] += Math.floor(wt / 4);
    t.records++;
    if (s < t.first) t.first = s;
    if (e > t.last) t.last = e;
  }
  return t;
}

/** The flows restricted to a window, and what the window left out. */
export interface WindowedFlows {
  readonly window: TimeWindow;
  /** Flows with at least one record in the window; counts, records, first and last over it only. */
  readonly flows: readonly AggregatedFlow[];
  /** Records outside the window, or without a time. */
  readonly outside: number;
}

const PROTOCOL_CODE: Readonly<Record<Protocol, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

export class FlowAggregator {
  /** Every flow, in the order first seen. */
  readonly flows: AggregatedFlow[] = [];
  /**
   * Source index (an array: indexes are small and dense) → destination index → protocol × 65536 +
   * port → flow (small-integer keys only).
   */
  readonly #index: (Map<number, Map<number, AggregatedFlow>> | undefined)[] = [];
  readonly unmapped = new Map<string, UnmappedEndpoint>();
  readonly mapping = { name: 0, ip: 0, labels: 0, workload: 0, external: 0, network: 0, unmapped: 0 };
  #first = Number.POSITIVE_INFINITY;
  #last = Number.NEGATIVE_INFINITY;
  readonly #mapper: EndpointMapper;
  /** The last window asked for: asked again (no record added since), the same flow objects come back. */
  #windowed: { key: string; records: number; value: WindowedFlows } | undefined;
  /** Records added or absorbed. */
  #records = 0;

  /**
   * The flows inside a time window (every flow for an open window). Comparisons of the same window
   * get the same objects, so their findings can be matched by flow.
   */
  windowed(window: TimeWindow | undefined): WindowedFlows {
    if (window === undefined || isOpenWindow(window)) return { window: {}, flows: this.flows, outside: 0 };
    const key = `${window.since ?? ''}|${window.until ?? ''}`;
    const cached = this.#windowed;
    if (cached?.key === key && cached.records === this.#records) return cached.value;
    const flows: AggregatedFlow[] = [];
    let outside = 0;
    for (const flow of this.flows) {
      const t = tallyIn(flow.times, window);
      outside += flow.records - t.records;
      if (t.records === 0) continue;
      flows.push({ ...flow, counts: t.counts, records: t.records, first: t.first, last: t.last });
    }
    const value: WindowedFlows = { window, flows, outside };
    this.#windowed = { key, records: this.#records, value };
    return value;
  }

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
    const flow = this.#flow(src, dst, record.protocol, record.port, location);
    flow.records++;
    this.#records++;
    // Per record: property names spelled out rather than looked up by a string held in a variable.
    const counts = flow.counts;
    switch (record.outcome) {
      case 'allowed':
        counts.allowed += record.count;
        break;
      case 'denied':
        counts.denied += record.count;
        break;
      case 'audit':
        counts.audit += record.count;
        break;
      case 'dropped-other':
        counts['dropped-other'] += record.count;
        break;
    }
    if (flow.formats.size !== 1 || !flow.formats.has(record.format)) flow.formats.add(record.format);
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
    if (start !== undefined || end !== undefined)
      flow.times.add(start ?? end ?? 0, end ?? start ?? 0, record.outcome, record.count);
    else flow.untimed++;
    if (record.outcome !== 'allowed' && record.direction !== undefined) flow.deniedAt[record.direction]++;
    if (record.dropReason !== undefined)
      flow.dropReasons[record.dropReason] = (flow.dropReasons[record.dropReason] ?? 0) + record.count;
    for (const p of record.policies) addPolicy(flow.policies, p);
  }

  /** This aggregator's flows and counts, for `absorb` elsewhere. */
  part(): AggregatorPart {
    return {
      flows: this.flows,
      unmapped: [...this.unmapped.values()],
      mapping: this.mapping,
      ...(this.first !== undefined ? { first: this.first } : {}),
      ...(this.last !== undefined ? { last: this.last } : {}),
    };
  }

  /**
   * Adds what another aggregator read (the parts of one file in their order give what reading it
   * whole gives); its line numbers are shifted by `lineOffset`, the lines before its part.
   */
  absorb(part: AggregatorPart, lineOffset: number): void {
    for (const f of part.flows) {
      const src = this.#mapper.adopt(f.src);
      const dst = this.#mapper.adopt(f.dst);
      const flow = this.#flow(src, dst, f.protocol, f.port, {
        file: f.location.file,
        line: f.location.line + lineOffset,
      });
      flow.records += f.records;
      this.#records += f.records;
      for (const k of OUTCOMES) flow.counts[k] += f.counts[k];
      for (const x of f.formats) flow.formats.add(x);
      if (f.first < flow.first) flow.first = f.first;
      if (f.last > flow.last) flow.last = f.last;
      flow.times.append(f.times);
      flow.untimed += f.untimed;
      flow.deniedAt.ingress += f.deniedAt.ingress;
      flow.deniedAt.egress += f.deniedAt.egress;
      for (const [reason, n] of Object.entries(f.dropReasons))
        flow.dropReasons[reason] = (flow.dropReasons[reason] ?? 0) + n;
      for (const p of f.policies) addPolicy(flow.policies, p);
    }
    for (const u of part.unmapped) {
      const mine = this.unmapped.get(u.label);
      if (mine) mine.records += u.records;
      else this.unmapped.set(u.label, { ...u });
    }
    for (const k of Object.keys(this.mapping) as (keyof FlowAggregator['mapping'])[])
      this.mapping[k] += part.mapping[k];
    if (part.first !== undefined && part.first < this.#first) this.#first = part.first;
    if (part.last !== undefined && part.last > this.#last) this.#last = part.last;
  }

  /** The flow of (src, dst, protocol, port), created (first seen at `location`) if new. */
  #flow(
    src: MappedRef,
    dst: MappedRef,
    protocol: Protocol,
    port: number,
    location: FlowLocation,
  ): AggregatedFlow {
    let bySrc = this.#index[src.index];
    if (!bySrc) {
      bySrc = new Map();
      while (this.#index.length < src.index) this.#index.push(undefined);
      this.#index[src.index] = bySrc;
    }
    let byPort = bySrc.get(dst.index);
    if (!byPort) {
      byPort = new Map();
      bySrc.set(dst.index, byPort);
    }
    const portKey = PROTOCOL_CODE[protocol] * 65536 + port;
    let flow = byPort.get(portKey);
    if (!flow) {
      flow = {
        src,
        dst,
        protocol,
        port,
        counts: { allowed: 0, denied: 0, audit: 0, 'dropped-other': 0 },
        records: 0,
        first: Number.POSITIVE_INFINITY,
        last: Number.NEGATIVE_INFINITY,
        policies: [],
        deniedAt: { ingress: 0, egress: 0 },
        dropReasons: {},
        formats: new Set(),
        location,
        times: new FlowTimes(),
        untimed: 0,
      };
      byPort.set(portKey, flow);
      this.flows.push(flow);
    }
    return flow;
  }

  #mapped(endpoint: FlowRecord['source'], count: number): MappedRef {
    const ref = this.#mapper.map(endpoint);
    const e = ref.endpoint;
    if (e.kind === 'pods') {
      const m = this.mapping;
      if (e.by === 'name') m.name++;
      else if (e.by === 'ip') m.ip++;
      else if (e.by === 'labels') m.labels++;
      else m.workload++;
    } else if (e.kind === 'external') this.mapping[e.by === 'ip' ? 'external' : 'network']++;
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
