#!/usr/bin/env node
// netglass CLI launcher: runs the prebuilt bundle, or the TypeScript sources directly (type stripping). The version gate
// (bin/check-node.cjs, minimum from package.json engines) runs first, so an old Node gets an answer
// instead of ERR_UNKNOWN_FILE_EXTENSION.
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentVersion, nodeVersionProblem, requiredVersion } from './check-node.cjs';
import { freshBuild } from './fresh-build.js';

const problem = nodeVersionProblem(currentVersion(), requiredVersion());
if (problem !== undefined) {
  process.stderr.write(problem);
  process.exit(2);
}
// V8's code cache on disk (os.tmpdir()/node-compile-cache, as tsc does): a later call skips compiling
// the bundle, about a fifth of a small command's CPU. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache();
// Keep the EPIPE of `netglass reach ... | head` quiet.
process.stdout.on('error', (e) => {
  if (Reflect.get(Object(e), 'code') === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
// The bundle built at install time when it is up to date (starts in a few tens of ms), else the
// TypeScript sources (bin/fresh-build.js says which). NETGLASS_FROM_SOURCES=1 forces the sources.
const bundle = process.env.NETGLASS_FROM_SOURCES
  ? undefined
  : freshBuild(fileURLToPath(new URL('..', import.meta.url)), 'cli');
/** @type {{ main: () => Promise<void> }} */
const cli =
  bundle !== undefined
    ? /** @type {{ main: () => Promise<void> }} */ (await import(pathToFileURL(bundle).href))
    : await import('../electron/cli/main.ts');
await cli.main();
