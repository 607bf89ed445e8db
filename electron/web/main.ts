/**
 * `npm run web`: serves netglass to a browser on 127.0.0.1 (see server.ts for who may connect).
 * bin/web.js runs it from the bundle built by `npm run build:web` (vite.config.ts here) while that is
 * fresh, else from source with Node's type stripping; the renderer is built beforehand when stale.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSource } from '../../shared/api/api.ts';
import type { Peer } from '../ipc/dispatcher.ts';
import type { WebApp } from './app.ts';
import { parseAppArgs, USAGE, type AppArgs } from './args.ts';
import { openBrowser } from './open-browser.ts';
import { startWebServer, type RequestHandler } from './server.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The source named on the command line, before the kubeconfig is read (for the first line). */
function describeArgs(args: AppArgs): string {
  if (args.manifests.length > 0)
    return describeSource({ kind: 'manifests', paths: args.manifests.map((p) => resolve(p)) });
  if (args.context === 'current') return 'Cluster: the current context';
  if (args.context !== undefined) return describeSource({ kind: 'cluster', context: args.context });
  return describeSource({ kind: 'demo' });
}

/** Hands requests to the app once it is loaded; requests that come earlier wait for it, in order. */
function deferredHandler(app: Promise<WebApp>): RequestHandler {
  return {
    handle: async (peer: Peer, message: unknown) => (await app).dispatcher.handle(peer, message),
    detach: (peer: Peer) => {
      void app.then(
        (loaded) => loaded.dispatcher.detach(peer),
        () => undefined,
      );
    },
  };
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

  // The URL comes first: loading the app's modules (the Kubernetes client among them) and then the
  // source takes from a second to several, and the page shows the loading state meanwhile, as it
  // does for every source change.
  let loaded: WebApp | undefined;
  let appReady: (app: WebApp) => void = () => undefined;
  let appFailed: (e: unknown) => void = () => undefined;
  const app = new Promise<WebApp>((resolvePromise, reject) => {
    appReady = resolvePromise;
    appFailed = reject;
  });
  let server;
  try {
    server = await startWebServer({
      rootDir: resolve(repoRoot, 'out/renderer'),
      dispatcher: deferredHandler(app),
      port: args.port,
    });
  } catch (e) {
    process.stderr.write(`netglass web: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }

  process.stdout.write(
    `netglass web mode (${describeArgs(args)}) — open this URL; it carries a per-run token:\n`,
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
      loaded?.manager.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  try {
    const { createWebApp } = await import('./app.ts');
    loaded = createWebApp(args, repoRoot, pkg.version ?? '0.0.0');
  } catch (e) {
    appFailed(e);
    await server.close();
    throw e;
  }
  appReady(loaded);
  const opened = await loaded.manager.open(loaded.request);
  if (!opened.ok) process.stderr.write(`netglass web: ${opened.error.message}\n`);
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
