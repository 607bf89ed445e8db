/**
 * The desktop app itself, through Playwright's Electron driver. Runs where the Electron binary is
 * installed; offline installs have none (its download is skipped), and then this spec skips itself
 * with the reason — web mode (web.spec.ts) covers the same UI in Chromium.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright';
import { findElectronBinary } from '../../electron/launch.ts';
import { expect, repoRoot, test, watchProblems } from './fixtures.ts';

const binary = findElectronBinary(repoRoot);

test.describe('Electron app', () => {
  test.skip(
    binary === undefined,
    'Electron binary not installed (node_modules/electron/dist is missing; its download is skipped offline) — web mode covers the UI',
  );

  let app: ElectronApplication | undefined;

  test.beforeAll(() => {
    const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
    for (const config of ['renderer/vite.config.ts', 'electron/vite.config.ts']) {
      const result = spawnSync(process.execPath, [vite, 'build', '--config', config], {
        cwd: repoRoot,
        stdio: 'inherit',
      });
      if (result.status !== 0) throw new Error(`vite build --config ${config} failed`);
    }
  });

  test.afterAll(async () => {
    await app?.close();
  });

  test('opens a secure window showing the demo cluster', async () => {
    app = await electron.launch({ executablePath: binary, args: [repoRoot], cwd: repoRoot });
    const page = await app.firstWindow();
    const problems = await watchProblems(page);
    await page.reload();

    await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'demo');
    await expect(page.getByTestId('count-pods')).toHaveText('27');
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-pods', '27');

    // The page sees the typed API and nothing of Node or Electron.
    const globals = await page.evaluate(() => ({
      api: typeof (window as { netglass?: unknown }).netglass,
      require: typeof (window as { require?: unknown }).require,
      process: typeof (window as { process?: unknown }).process,
      origin: location.origin,
    }));
    expect(globals).toEqual({
      api: 'object',
      require: 'undefined',
      process: 'undefined',
      origin: 'app://netglass',
    });

    // Only the API's methods cross the bridge: no ipcRenderer, no generic send.
    const exposed = await page.evaluate(() =>
      Object.keys((window as { netglass?: object }).netglass ?? {}).sort(),
    );
    expect(exposed).toEqual(['getInfo', 'getStatus', 'listContexts', 'openSource', 'reload', 'subscribe']);

    // Navigation away from the app is refused.
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await expect.poll(() => page.evaluate(() => location.origin)).toBe('app://netglass');

    await page.screenshot({ path: join(repoRoot, 'test-results', 'electron-demo.png') });
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});
