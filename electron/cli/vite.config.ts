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
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type InlineConfig } from 'vite';
import { recordInputs } from '../build-inputs.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Node built-ins and the runtime dependencies that need not be bundled (the Kubernetes client). */
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  '@kubernetes/client-node',
  /^@kubernetes\/client-node\//,
];

function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const version: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

/** The build, with its output folder as a parameter so tests can build a copy elsewhere. */
export function cliBundleConfig(outDir = path.join(root, 'out', 'cli')): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    plugins: [
      recordInputs({
        root,
        started: Date.now(),
        extra: ['electron/cli/vite.config.ts', 'electron/build-inputs.ts'],
      }),
    ],
    // The version is built in, so the bundle answers --version wherever it is.
    define: { __NETGLASS_VERSION__: JSON.stringify(packageVersion()) },
    build: {
      ssr: 'electron/cli/main.ts',
      outDir,
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      rollupOptions: {
        external,
        output: { format: 'es', entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  };
}

export default defineConfig(cliBundleConfig());
