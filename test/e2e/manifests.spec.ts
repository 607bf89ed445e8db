import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures.ts';

const MANIFEST = join(repoRoot, 'test/e2e/manifests/shop-with-mistakes.yaml');

test.use({ webServerArgs: ['--manifests', MANIFEST] });

test('web mode with --manifests shows that source and its load issues with file:line', async ({
  page,
  server,
  problems,
}) => {
  expect(server.output()).toContain('Manifests');
  await page.goto(server.url);
  await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'manifests');
  await expect(page.getByTestId('source')).toContainText('shop-with-mistakes.yaml');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-pods', '1');

  const issues = page.getByTestId('issues');
  await expect(issues).not.toHaveAttribute('data-count', '0');
  await issues.click();
  const list = page.getByTestId('issues-list');
  await expect(list).toContainText(/shop-with-mistakes\.yaml:\d+/);
  await page.screenshot({ path: join(repoRoot, 'test-results', 'web-manifests-issues.png') });

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});
