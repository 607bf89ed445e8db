/** The one place that decides which loaders the app's sources use. */
import { loadManifests } from '../manifests/load.ts';
import { ClusterConnector, type ClusterConnectorOptions } from './cluster.ts';
import type { SourceLoaders } from './manager.ts';

export function createLoaders(demoPath: string, clusters: ClusterConnectorOptions = {}): SourceLoaders {
  return { demoPath, loadManifests, clusters: new ClusterConnector(clusters) };
}
