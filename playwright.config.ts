/**
 * End-to-end tests: web mode in Debian's Chromium (never a downloaded browser), plus the Electron app
 * where its binary is installed (test/e2e/electron.spec.ts skips itself otherwise). Each spec file
 * starts the real web-mode server on a free port (test/e2e/fixtures.ts) and reads the URL, token
 * included, from its output. The renderer is built first when its sources are newer than out/renderer.
 */
import { defineConfig } from '@playwright/test';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Never --user-data-dir: Playwright makes a fresh profile per launch and rejects the flag.
];

export default defineConfig({
  testDir: './test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [{ name: 'debian-chromium' }],
});
