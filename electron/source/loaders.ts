/** The one place that decides which loaders the app's sources use. */
import { err, ok } from '../../shared/api/api.ts';
import { loadManifests, loadManifestTexts } from '../manifests/load.ts';
import { checkPickedPaths, resolvePicked } from './picked-paths.ts';
import { ClusterConnector, type ClusterConnectorOptions } from './cluster.ts';
import type { SourceLoaders } from './manager.ts';

export function createLoaders(demoPath: string, clusters: ClusterConnectorOptions = {}): SourceLoaders {
  return {
    demoPath,
    loadManifests,
    loadManifestTexts,
    async checkPaths(paths) {
      const resolved = resolvePicked(paths);
      const problem = await checkPickedPaths(resolved);
      return problem === undefined ? ok(resolved) : err(problem);
    },
    clusters: new ClusterConnector(clusters),
  };
}
