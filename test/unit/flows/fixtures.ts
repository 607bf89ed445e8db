/** The flow fixtures (test/fixtures/flows): the cluster, and flow files compared with it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { FlowImport, type FlowComparison } from '../../../shared/flows/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'flows');

export function fixtureSnapshot(): Snapshot {
  const snapshot = snapshotFromText(readFileSync(join(FIXTURES, 'cluster.yaml'), 'utf8'), 'cluster.yaml');
  expect(snapshot.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return snapshot;
}

export function compareFixture(...files: string[]): FlowComparison {
  const snapshot = fixtureSnapshot();
  const flows = new FlowImport(snapshot, createAnalyzer(snapshot));
  for (const f of files) flows.readText(f, readFileSync(join(FIXTURES, f), 'utf8'));
  return flows.compare();
}
