/**
 * shared/eval/reach-groups.ts (the cells `netglass reach` streams) gives the very bits of
 * `Analyzer.reach`, on every conformance case (NetworkPolicy and admin tiers) and the admin fixture.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { Peer } from '../../../shared/eval/index.ts';
import { createReachSource } from '../../../shared/eval/reach-groups.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

function inputs(): [string, string[]][] {
  const out: [string, string[]][] = [['admin', [join(FIXTURES, 'admin')]]];
  for (const d of readdirSync(join(FIXTURES, 'conformance'), { withFileTypes: true })) {
    if (d.isDirectory())
      out.push([`conformance/${d.name}`, [join(FIXTURES, 'conformance', d.name, 'manifests.yaml')]]);
  }
  const houses = join(FIXTURES, 'conformance-admin', 'houses.yaml');
  for (const d of readdirSync(join(FIXTURES, 'conformance-admin'), { withFileTypes: true })) {
    if (d.isDirectory())
      out.push([`conformance-admin/${d.name}`, [houses, join(FIXTURES, 'conformance-admin', d.name)]]);
  }
  return out;
}

describe('grouped reach equals Analyzer.reach', () => {
  for (const [name, paths] of inputs()) {
    it(name, async () => {
      const snapshot = await loadManifests(paths);
      const analyzer = createAnalyzer(snapshot);
      const universe = analyzer.universe();
      const peers: Peer[] = [
        ...snapshot.pods.map((p): Peer => ({ kind: 'pod', namespace: p.namespace, name: p.name })),
        ...universe.externals.slice(0, 4).map((ip): Peer => ({ kind: 'external', ip })),
      ];
      const ports = universe.ports;
      const table = analyzer.reach(peers, ports);
      const grouped = createReachSource(snapshot).grouped(peers, ports);
      expect(grouped.groupCount).toBeLessThanOrEqual(peers.length);
      const n = peers.length;
      let differ = 0;
      for (let f = 0; f < n; f++)
        for (let t = 0; t < n; t++)
          for (let k = 0; k < ports.length; k++)
            if (
              grouped.peerCell(f, t, k) !== (f === t ? 0 : (table.cells[(f * n + t) * ports.length + k] ?? 0))
            )
              differ++;
      expect(differ).toBe(0);
    });
  }
});
