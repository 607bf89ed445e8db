/**
 * Live API objects → Snapshot, through the very normalization and validation the manifests get, so
 * a cluster and its `kubectl get -o json` dump give the same snapshot (the CLI's promise).
 */
import { buildSnapshot, parseManifestText } from '../../shared/manifest/index.ts';
import type { Snapshot, Visibility } from '../../shared/model/snapshot.ts';
import type { LiveObjects } from './live-source.ts';

const KINDS = {
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  pods: { apiVersion: 'v1', kind: 'Pod' },
  networkpolicies: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
} as const;

export interface LiveOrigin {
  readonly context: string;
  readonly server: string;
}

export function liveSnapshot(
  objects: LiveObjects,
  visibility: Visibility | undefined,
  origin: LiveOrigin,
): Snapshot {
  // List items come without kind/apiVersion, and typed client objects carry Dates and undefined
  // fields; one JSON document of plain objects is what the manifest reader expects anyway.
  const items: unknown[] = [];
  for (const resource of ['namespaces', 'pods', 'networkpolicies'] as const) {
    for (const item of objects[resource]) items.push({ ...item, ...KINDS[resource] });
  }
  const label = `context ${origin.context}`;
  const parse = parseManifestText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), `${label}.json`);
  const snapshot = buildSnapshot([parse], {
    kind: 'cluster',
    context: origin.context,
    server: origin.server,
  });
  return visibility === undefined ? snapshot : { ...snapshot, visibility };
}
