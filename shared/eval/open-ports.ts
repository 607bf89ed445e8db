/**
 * "Which ports are open between A and B": the verdict of every universe port (the ports the policies
 * name, plus one stand-in per class of ports they treat alike) from one peer to another, read off the
 * evaluator's truth table for the two of them, so it agrees with `check` port by port.
 */
import type { Analyzer, Peer, PortProbe, Verdict } from './types.ts';

export interface PortVerdict {
  readonly probe: PortProbe;
  readonly verdict: Verdict;
}

export interface OpenPorts {
  readonly from: Peer;
  readonly to: Peer;
  /** Every universe port, in universe order. */
  readonly ports: readonly PortVerdict[];
}

export function openPorts(analyzer: Analyzer, from: Peer, to: Peer): OpenPorts {
  const probes = analyzer.universe().ports;
  const table = analyzer.reach([from, to], probes);
  const ports = probes.map((probe, i): PortVerdict => {
    const cell = table.cell(0, 1, i);
    return { probe, verdict: cell.allowed ? 'allowed' : cell.unknown ? 'unknown' : 'denied' };
  });
  return { from, to, ports };
}
