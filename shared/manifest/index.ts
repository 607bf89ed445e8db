/**
 * Manifest text → Snapshot. Pure TS (no Node, no DOM): the Node side reads files and hands their text
 * here; the renderer can parse text a user pastes or drafts.
 *
 *   const parses = files.map((f) => parseManifestText(f.text, f.path));
 *   const snapshot = buildSnapshot(parses, { kind: 'manifests', paths });
 */
export { parseManifestText, parseManifestValue, MAX_TEMPLATE_PODS, WORKLOAD_API_VERSIONS } from './parse.ts';
export type { ManifestParse, Workload, WorkloadKind } from './parse.ts';
export { buildSnapshot, formatLocation } from './build.ts';
export { formatPath } from './documents.ts';
export type { FieldPath } from './documents.ts';
export { closest } from './names.ts';

import type { SnapshotSource, Snapshot } from '../model/snapshot.ts';
import { parseManifestText } from './parse.ts';
import { buildSnapshot } from './build.ts';

/** Convenience: one text (e.g. a fixture or a pasted manifest) straight to a Snapshot. */
export function snapshotFromText(
  text: string,
  file = 'input.yaml',
  source: SnapshotSource = { kind: 'manifests', paths: [file] },
): Snapshot {
  return buildSnapshot([parseManifestText(text, file)], source);
}
