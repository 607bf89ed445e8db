/**
 * `npm run build:cli` (also run by `npm install`/`npm ci` through `prepare`): bundles the command line
 * into out/cli/main.js, one ES module for Node, so `netglass` starts without type-stripping and
 * loading some hundred TypeScript files. The live-cluster reader is a dynamic import in input.ts, so it
 * lands in a chunk of its own and @kubernetes/client-node (left external: it is a runtime dependency)
 * is loaded only when a command reads a cluster.
 *
 * Beside the bundle, `inputs.json` lists every source file it was built from and when the build
 * started (electron/build-inputs.ts); bin/fresh-build.js compares their modification times with
 * that, so an edited source makes the launcher run from sources until the next build.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type InlineConfig } from 'vite';
import { nodeBundleConfig, REPO_ROOT } from '../node-bundle.ts';

function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const version: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

/** The build, with its output folder as a parameter so tests can build a copy elsewhere. */
export function cliBundleConfig(outDir = path.join(REPO_ROOT, 'out', 'cli')): InlineConfig {
  return nodeBundleConfig({
    entry: 'electron/cli/main.ts',
    outDir,
    configFile: 'electron/cli/vite.config.ts',
    // The version is built in, so the bundle answers --version wherever it is.
    define: { __NETGLASS_VERSION__: JSON.stringify(packageVersion()) },
  });
}

export default defineConfig(cliBundleConfig());
