/**
 * `npm run build:renderer`: the UI, built to out/renderer with relative URLs so the same files work
 * from Electron's app:// origin and from the web-mode server. The production page gets a CSP meta tag
 * as a second line of defence (both hosts also send the policy as a header); the dev server, which
 * needs inline scripts for React refresh, does not.
 */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { recordInputs } from '../electron/build-inputs.ts';

const CSP_META = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

function cspMeta(): Plugin {
  return {
    name: 'netglass-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

export default defineConfig({
  // This config runs in Node at build time (it is not renderer code): paths relative to this folder.
  root: import.meta.dirname,
  base: './',
  plugins: [
    react(),
    cspMeta(),
    // For bin/web.js, which rebuilds only when this record says a source changed. Whole folders: the
    // worker is bundled by a build of its own, whose modules the record would not see.
    recordInputs({
      // A plain path, not node:path: renderer/ reaches Node only through the typed API (house rule).
      root: `${import.meta.dirname}/..`,
      started: Date.now(),
      fileName: '.inputs.json',
      extra: ['renderer/', 'shared/', 'electron/build-inputs.ts'],
    }),
  ],
  build: {
    outDir: `${import.meta.dirname}/../out/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Keep every asset a file: data: URLs for scripts would be refused by the CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // cytoscape + React in one chunk is fine for a desktop app loaded from disk or loopback.
    chunkSizeWarningLimit: 1500,
  },
});
