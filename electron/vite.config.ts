/**
 * `npm run build:electron`: bundles the Electron main process and the preload to CommonJS in
 * out/electron. The preload gets a build of its own because a sandboxed preload must be one file that
 * requires nothing but `electron` (a shared chunk would break it). Everything except Electron and
 * Node's built-ins is bundled in, so the packaged app needs no node_modules. The demo manifest is
 * copied beside main.cjs.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type InlineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

function nodeBundle(entry: string, name: string, emptyOutDir: boolean): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: entry,
      outDir: 'out/electron',
      emptyOutDir,
      target: 'node22',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        external,
        output: { format: 'cjs', entryFileNames: `${name}.cjs` },
      },
    },
  };
}

function copyDemo(): Plugin {
  return {
    name: 'netglass-copy-demo',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'demo-cluster.yaml',
        source: readFileSync(`${root}shared/demo/demo-cluster.yaml`, 'utf8'),
      });
    },
  };
}

function buildPreload(): Plugin {
  return {
    name: 'netglass-build-preload',
    apply: 'build',
    async closeBundle() {
      await build(nodeBundle('electron/preload.ts', 'preload', false));
    },
  };
}

export default defineConfig({
  ...nodeBundle('electron/main.ts', 'main', true),
  plugins: [copyDemo(), buildPreload()],
});
