/** The planted-problems fixture (test/fixtures/lint/planted.yaml) and its markers, for the lint tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSnapshot, parseManifestText } from '../../../shared/manifest/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const PLANTED = join(ROOT, 'test', 'fixtures', 'lint', 'planted.yaml');
export const DEMO = join(ROOT, 'shared', 'demo', 'demo-cluster.yaml');

export function loadFile(file: string): Snapshot {
  return buildSnapshot([parseManifestText(readFileSync(file, 'utf8'), file)], {
    kind: 'manifests',
    paths: [file],
  });
}

/** `[id, line]` of every `# PLANTED: <id>` marker, in file order. */
export function plantedMarkers(file: string): [string, number][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, i): [string, number][] => {
      const m = /#\s*PLANTED:\s*([a-z0-9-]+)\s*$/.exec(text);
      return m?.[1] !== undefined ? [[m[1], i + 1]] : [];
    });
}
