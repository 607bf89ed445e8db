/**
 * Observed traffic against the policies (pure TS). Feed flow files through readers, then compare:
 *
 *   const flows = new FlowImport(snapshot, createAnalyzer(snapshot));
 *   const r = flows.reader('hubble.json');   // r.push(chunk) per chunk read, then r.end()
 *   const result = flows.compare();          // confirmed / contradictions / audit / rule usage
 *   const drafts = generatePolicies(snapshot, flows.aggregator.flows);
 */
import type { Analyzer } from '../eval/index.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { FlowAggregator } from './aggregate.ts';
import { compareFlows, type FlowComparison } from './compare.ts';
import { EndpointMapper } from './map.ts';
import { FlowReader, FlowReadTally } from './reader.ts';
import type { TimeWindow } from './window.ts';

export class FlowImport {
  readonly aggregator: FlowAggregator;
  readonly tally = new FlowReadTally();
  readonly #snapshot: Snapshot;
  readonly #analyzer: Analyzer;

  constructor(snapshot: Snapshot, analyzer: Analyzer) {
    this.#snapshot = snapshot;
    this.#analyzer = analyzer;
    this.aggregator = new FlowAggregator(new EndpointMapper(snapshot, () => analyzer.universe().externals));
  }

  /**
   * A reader for one file (or stdin); records go straight into the aggregation. `linesOnly`: a part
   * of a JSON-lines file after its start (see FlowReader).
   */
  reader(file: string, options: { readonly linesOnly?: boolean } = {}): FlowReader {
    return new FlowReader(
      file,
      this.tally,
      (record, location) => this.aggregator.add(record, location),
      options,
    );
  }

  /** Reads a whole text at once (tests, small files). */
  readText(file: string, text: string): void {
    const r = this.reader(file);
    r.push(text);
    r.end();
  }

  /** `window`: compare only the records inside it (every record without one). */
  compare(window?: TimeWindow): FlowComparison {
    return compareFlows({
      snapshot: this.#snapshot,
      analyzer: this.#analyzer,
      aggregator: this.aggregator,
      read: this.tally.stats(),
      errors: this.tally.errors,
      ...(window !== undefined ? { window } : {}),
    });
  }
}

export type {
  AggregatedFlow,
  AggregatorPart,
  OutcomeCounts,
  UnmappedEndpoint,
  WindowedFlows,
} from './aggregate.ts';
export { FlowAggregator, FlowTimes } from './aggregate.ts';
export type { Cause, CauseKind } from './cause.ts';
export type { Evaluated, FindingStatus, FlowComparison, FlowFinding, RuleRef, RuleUsage } from './compare.ts';
export { compareFlows } from './compare.ts';
export type { MappedEndpoint, MappedRef } from './map.ts';
export { EndpointMapper } from './map.ts';
export { FlowReader, FlowReadTally, parseValue } from './reader.ts';
export { LineSplitter } from './lines.ts';
export type * from './types.ts';
export type { GenerateOptions, GenerateResult, GeneratedPolicy, Workload } from './generate.ts';
export { generatePolicies, policyYaml, UNSTABLE_LABELS, workloadsOf } from './generate.ts';
export { tightenPolicy } from './tighten.ts';
export type { RuleTightening, Tightened } from './tighten.ts';
export type { TimeWindow } from './window.ts';
export { inWindow, isOpenWindow, parseRfc3339 } from './window.ts';
export type { PodFlow, PodFlows, RuleFlows, RuleSeen } from './views.ts';
export { podFlows, ruleFlows } from './views.ts';
