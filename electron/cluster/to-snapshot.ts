/**
 * Live API objects → a whole Snapshot at once (the CLI's one-shot read and tests), through the same
 * `LiveModel` that keeps a watched cluster up to date, so both read every object alike.
 */
import type { Snapshot, Visibility } from '../../shared/model/snapshot.ts';
import { ADMIN_RESOURCES } from './admin-apis.ts';
import { CALICO_RESOURCES } from './calico-apis.ts';
import { CILIUM_RESOURCES } from './cilium-apis.ts';
import type { LiveObjects } from './live-source.ts';
import { LiveModel, type LiveOrigin } from './live-model.ts';

export type { LiveOrigin } from './live-model.ts';

export function liveSnapshot(
  objects: LiveObjects,
  visibility: Visibility | undefined,
  origin: LiveOrigin,
): Snapshot {
  const model = new LiveModel(origin);
  for (const resource of ['namespaces', 'pods', 'networkpolicies', ...ADMIN_RESOURCES] as const)
    model.event(resource, { type: 'replace', items: objects[resource] });
  for (const resource of CILIUM_RESOURCES)
    model.event(resource, { type: 'replace', items: objects[resource] ?? [] });
  for (const resource of CALICO_RESOURCES)
    model.event(resource, { type: 'replace', items: objects[resource] ?? [] });
  const flushed = model.flush(objects.adminApis, visibility);
  if (flushed === undefined) throw new Error('a first flush always yields a snapshot');
  return flushed.snapshot;
}
