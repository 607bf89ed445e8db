/**
 * What web mode serves: the source manager, the request dispatcher and the first source. main.ts
 * imports this module only after the server is listening and its URL printed, so in the bundle it is a
 * chunk of its own. @kubernetes/client-node is not part of it: the cluster connector and the policy
 * writer import it on the first live source or dry-run (source/cluster.ts, ipc/dispatcher.ts).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SourceRequest } from '../../shared/api/api.ts';
import { Dispatcher } from '../ipc/dispatcher.ts';
import { createLoaders } from '../source/loaders.ts';
import { SourceManager } from '../source/manager.ts';
import type { AppArgs } from './args.ts';

export interface WebApp {
  readonly dispatcher: Dispatcher;
  readonly manager: SourceManager;
  /** The source the command line asked for (the current context resolved). */
  readonly request: SourceRequest;
}

/** Where preferences live: XDG on Linux, the platform's folder elsewhere. */
function configDir(): string {
  if (process.platform === 'win32') return process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
}

/** The source the arguments name; `--context current` is resolved through the kubeconfig. */
export function initialRequest(args: AppArgs, currentContext: string | undefined): SourceRequest {
  if (args.manifests.length > 0) return { kind: 'manifests', paths: args.manifests.map((p) => resolve(p)) };
  if (args.context !== undefined) {
    return {
      kind: 'cluster',
      context: args.context === 'current' ? (currentContext ?? 'current') : args.context,
    };
  }
  return { kind: 'demo' };
}

export function createWebApp(args: AppArgs, repoRoot: string, appVersion: string): WebApp {
  const loaders = createLoaders(resolve(repoRoot, 'shared/demo/demo-cluster.yaml'), {
    ...(args.kubeconfig !== undefined ? { kubeconfig: resolve(args.kubeconfig) } : {}),
    preferencesFile: join(configDir(), 'netglass', 'preferences.json'),
  });
  const manager = new SourceManager({ loaders });
  const dispatcher = new Dispatcher({
    manager,
    appVersion,
    capabilities: ['demo', 'manifests', 'clusters'],
  });
  const request = initialRequest(
    args,
    loaders.clusters?.listContexts().contexts.find((c) => c.current)?.name,
  );
  return { dispatcher, manager, request };
}
