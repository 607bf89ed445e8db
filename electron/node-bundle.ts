/**
 * The one shape of netglass's Node bundles (the CLI, the web-mode server): ES modules for Node built
 * by Vite from the TypeScript sources, Node built-ins and @kubernetes/client-node left external (a
 * runtime dependency, loaded only by the chunks that read a cluster), source maps kept, and beside the
 * bundle the record of its inputs (build-inputs.ts) that bin/fresh-build.js reads.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';
import { recordInputs } from './build-inputs.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const EXTERNAL = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  '@kubernetes/client-node',
  /^@kubernetes\/client-node\//,
];

export interface NodeBundle {
  /** The entry module, relative to the repository root. */
  readonly entry: string;
  readonly outDir: string;
  /** The Vite config file that builds it (relative), an input of the build like the sources. */
  readonly configFile: string;
  readonly define?: Record<string, string>;
}

export function nodeBundleConfig(bundle: NodeBundle): InlineConfig {
  return {
    root: REPO_ROOT,
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    plugins: [
      recordInputs({
        root: REPO_ROOT,
        started: Date.now(),
        extra: [bundle.configFile, 'electron/node-bundle.ts', 'electron/build-inputs.ts'],
      }),
    ],
    ...(bundle.define !== undefined ? { define: bundle.define } : {}),
    build: {
      ssr: bundle.entry,
      outDir: path.resolve(REPO_ROOT, bundle.outDir),
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      rollupOptions: {
        external: EXTERNAL,
        output: { format: 'es', entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  };
}
