/**
 * The header fits the window at common laptop and desktop widths, with imported flows too (their
 * button is one more control): no control is pushed past the right edge (the theme toggle was, from
 * 1,561 to about 1,710 px, and from 1,281 to 1,440 px once flows were in). Screenshot:
 * test-results/header-fit-1600.png.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures.ts';
import { openApp, shotPath } from './policy-helpers.ts';

const FLOWS = join(repoRoot, 'test/fixtures/flows');
const WIDTHS = [1280, 1366, 1440, 1536, 1600, 1680, 1920] as const;

test.use({ webServerArgs: ['--manifests', join(FLOWS, 'cluster.yaml')] });

/** Widths at which the header's content is wider than the header. */
async function overflowing(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    const over = await page.locator('.app-header').evaluate((h) => h.scrollWidth - h.clientWidth);
    if (over > 0) out.push(`${width} px: ${over} px too wide`);
  }
  return out;
}

test('the header fits from 1280 to 1920 px, with and without imported flows', async ({
  page,
  server,
  problems,
}) => {
  await openApp(page, server.url);
  expect(await overflowing(page)).toEqual([]);

  await page.getByTestId('import-flows-input').setInputFiles(join(FLOWS, 'hubble.jsonl'));
  await expect(page.getByTestId('open-flows')).toBeVisible();
  expect(await overflowing(page)).toEqual([]);

  // Every control keeps its accessible name when its word gives way to its icon.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByRole('button', { name: 'Reach' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Follow the system theme' })).toBeInViewport();
  await page.setViewportSize({ width: 1600, height: 800 });
  await page.screenshot({
    path: shotPath('header-fit-1600.png'),
    clip: { x: 0, y: 0, width: 1600, height: 60 },
  });

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
});
