/**
 * `npm run build:web` (also run by `npm install`/`npm ci` through `prepare`): bundles the web-mode
 * server into out/web/, ES modules for Node, so `npm run web` starts without type-stripping and
 * loading some hundred TypeScript files (bin/web.js runs it while it is fresh, see
 * bin/fresh-build.js; `inputs.json` beside it is the record). main.ts imports the app (app.ts) only
 * after the URL is printed, so the app is a chunk of its own; @kubernetes/client-node stays in
 * node_modules (a runtime dependency) and loads only with the live-source and apply chunks.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type InlineConfig } from 'vite';
import { recordInputs } from '../build-inputs.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Node built-ins and the runtime dependency that need not be bundled (the Kubernetes client). */
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  '@kubernetes/client-node',
  /^@kubernetes\/client-node\//,
];

/** The build, with its output folder as a parameter so tests can build a copy elsewhere. */
export function webBundleConfig(outDir = path.join(root, 'out', 'web')): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    plugins: [
      recordInputs({
        root,
        started: Date.now(),
        extra: ['electron/web/vite.config.ts', 'electron/build-inputs.ts'],
      }),
    ],
    build: {
      ssr: 'electron/web/main.ts',
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

export default defineConfig(webBundleConfig());
