/**
 * `npm run web`: serves netglass to a browser on 127.0.0.1 (see server.ts for who may connect).
 * Runs from source with Node's type stripping; only the renderer needs building (npm run web does it).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSource, type SourceRequest } from '../../shared/api/api.ts';
import { Dispatcher } from '../ipc/dispatcher.ts';
import { createLoaders } from '../source/loaders.ts';
import { SourceManager } from '../source/manager.ts';
import { parseAppArgs, USAGE, type AppArgs } from './args.ts';
import { openBrowser } from './open-browser.ts';
import { startWebServer } from './server.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where preferences live: XDG on Linux, the platform's folder elsewhere. */
function configDir(): string {
  if (process.platform === 'win32') return process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
}

function initialRequest(args: AppArgs, currentContext: string | undefined): SourceRequest {
  if (args.manifests.length > 0) return { kind: 'manifests', paths: args.manifests.map((p) => resolve(p)) };
  if (args.context !== undefined) {
    return {
      kind: 'cluster',
      context: args.context === 'current' ? (currentContext ?? 'current') : args.context,
    };
  }
  return { kind: 'demo' };
}

async function main(): Promise<number> {
  const parsed = parseAppArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`netglass web: ${parsed.message}\n`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const pkg = JSON.parse(await readFile(resolve(repoRoot, 'package.json'), 'utf8')) as { version?: string };
  const loaders = createLoaders(resolve(repoRoot, 'shared/demo/demo-cluster.yaml'), {
    ...(args.kubeconfig !== undefined ? { kubeconfig: resolve(args.kubeconfig) } : {}),
    preferencesFile: join(configDir(), 'netglass', 'preferences.json'),
  });
  const manager = new SourceManager({ loaders });
  const dispatcher = new Dispatcher({
    manager,
    appVersion: pkg.version ?? '0.0.0',
    capabilities: ['demo', 'manifests', 'clusters'],
  });

  const request = initialRequest(
    args,
    loaders.clusters?.listContexts().contexts.find((c) => c.current)?.name,
  );
  const opened = await manager.open(request);
  if (!opened.ok) process.stderr.write(`netglass web: ${opened.error.message}\n`);

  let server;
  try {
    server = await startWebServer({
      rootDir: resolve(repoRoot, 'out/renderer'),
      dispatcher,
      port: args.port,
    });
  } catch (e) {
    process.stderr.write(`netglass web: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }

  process.stdout.write(
    `netglass web mode (${describeSource(request)}) — open this URL; it carries a per-run token:\n`,
  );
  process.stdout.write(`  ${server.url}\n`);
  process.stdout.write('Press Ctrl+C to stop.\n');
  if (args.open) {
    const problem = await openBrowser(server.url);
    if (problem !== undefined)
      process.stderr.write(`netglass web: --open: ${problem}; open the URL above yourself.\n`);
  }

  const stop = (): void => {
    void server.close().finally(() => {
      manager.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1; // keep running
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`netglass web: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
