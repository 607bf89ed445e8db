/**
 * `npm run build:web` (also run by `npm install`/`npm ci` through `prepare`): bundles the web-mode
 * server into out/web/, ES modules for Node, so `npm run web` starts without type-stripping and
 * loading some hundred TypeScript files (bin/web.js runs it while it is fresh, see
 * bin/fresh-build.js; `inputs.json` beside it is the record). main.ts imports the app (app.ts) only
 * after the URL is printed, so the app is a chunk of its own; @kubernetes/client-node stays in
 * node_modules (a runtime dependency) and loads only with the live-source and apply chunks.
 */
import path from 'node:path';
import { defineConfig, type InlineConfig } from 'vite';
import { nodeBundleConfig, REPO_ROOT } from '../node-bundle.ts';

/** The build, with its output folder as a parameter so tests can build a copy elsewhere. */
export function webBundleConfig(outDir = path.join(REPO_ROOT, 'out', 'web')): InlineConfig {
  return nodeBundleConfig({
    entry: 'electron/web/main.ts',
    outDir,
    configFile: 'electron/web/vite.config.ts',
  });
}

export default defineConfig(webBundleConfig());
