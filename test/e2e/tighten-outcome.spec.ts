/**
 * "Tighten to what was seen" (web mode, test/fixtures/flows/): after the click the editor replaces the
 * policy's details, and the outcome shows there, over the tightened draft. Screenshot:
 * test-results/tighten-outcome.png.
 */
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures.ts';
import { openApp, screenshot } from './policy-helpers.ts';

const FLOWS = join(repoRoot, 'test/fixtures/flows');

test.use({ webServerArgs: ['--manifests', join(FLOWS, 'cluster.yaml')] });

test('the tightening outcome shows in the editor it opened', async ({ page, server, problems }) => {
  test.setTimeout(120_000);
  await openApp(page, server.url);
  await page.getByTestId('import-flows-input').setInputFiles(join(FLOWS, 'hubble.jsonl'));
  await expect(page.getByTestId('flows-panel')).toBeVisible();

  await page.getByTestId('tab-policies').click();
  await page.locator('[data-testid="policy-row"][data-key="shop/checkout"]').click();
  const tighten = page.getByTestId('policy-flows').getByTestId('flows-tighten');
  await tighten.scrollIntoViewIfNeeded();
  await tighten.click();

  const editor = page.getByTestId('policy-editor');
  await expect(editor).toBeVisible();
  const note = editor.getByTestId('tightened-note');
  await expect(note).toContainText(
    'Tightened from observed flows: kept the 2 seen flows it allowed, removed 1 unused rule',
  );
  await screenshot(page, 'tighten', 'outcome');
  await note.getByRole('button', { name: 'Dismiss' }).click();
  await expect(editor.getByTestId('tightened-note')).toHaveCount(0);

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});
