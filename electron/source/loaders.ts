/** The one place that decides which manifest loader the app's sources use. */
import { loadManifests } from '../manifests/load.ts';
import type { SourceLoaders } from './manager.ts';

export function createLoaders(demoPath: string): SourceLoaders {
  return { demoPath, loadManifests };
}
