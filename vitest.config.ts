import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * Test layers (DESIGN.md "Test layers"). End-to-end tests are Playwright's (playwright.config.ts);
 * `npm test` (test/run-all.ts) runs every layer in order.
 */
export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'test/unit/**/*.test.{ts,tsx}',
            'test/property/**/*.test.ts',
            'test/layering/**/*.test.ts',
          ],
          environment: 'node',
          // vitest's 5 s default fails tests on a busy 2-core machine: unit tests spawn the CLI, run
          // property tests and type-check whole layers. A real hang still fails, after a minute.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Builds kube-apiserver and etcd when the cache is cold (minutes), then starts one control
          // plane shared by every file (test/cluster/README.md); globalSetup itself has no timeout.
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 5 * 60_000,
          // One shared cluster: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
