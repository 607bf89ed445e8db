#!/usr/bin/env node
// `npm run web` launcher. Builds the renderer only when its sources changed since the last build (a
// fresh out/renderer is reused: building it is most of the wait otherwise), then runs the web-mode
// server from the bundle built at install time (out/web) while that is fresh, else from the
// TypeScript sources; bin/fresh-build.js decides both. NETGLASS_FROM_SOURCES=1 forces the sources.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentVersion, nodeVersionProblem, requiredVersion } from './check-node.cjs';
import { freshBuild } from './fresh-build.js';

const problem = nodeVersionProblem(currentVersion(), requiredVersion());
if (problem !== undefined) {
  process.stderr.write(problem);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));

const wantsHelp = process.argv.slice(2).some((a) => a === '--help' || a === '-h');
if (!wantsHelp && freshBuild(root, 'renderer') === undefined) {
  process.stderr.write('netglass web: building the renderer (its sources changed since the last build)\n');
  // The build's own output goes to stderr, so stdout carries only the server's lines (the URL).
  const built = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
    ],
    { cwd: root, stdio: ['ignore', 2, 2] },
  );
  if (built.status !== 0) {
    process.stderr.write(
      `netglass web: building the renderer failed (${built.error?.message ?? `exit ${String(built.status ?? built.signal)}`}); ` +
        'run `npm run build:renderer` to see why.\n',
    );
    process.exit(1);
  }
}

const bundle = process.env.NETGLASS_FROM_SOURCES ? undefined : freshBuild(root, 'web');
// The server starts on import and reads its arguments from process.argv.
await import(bundle !== undefined ? pathToFileURL(bundle).href : '../electron/web/main.ts');
