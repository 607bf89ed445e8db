/**
 * `netglass report --format html` opened in Chromium from a file:// URL, as a reviewer opens a CI
 * artifact: the page loads without console errors, requests nothing beyond itself (self-contained),
 * and shows the namespace matrix and the isolation summary. A screenshot lands in test-results/.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { repoRoot } from './fixtures.ts';

const run = promisify(execFile);
const DEMO = join(repoRoot, 'shared', 'demo', 'demo-cluster.yaml');
let dir: string;
let report: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-report-e2e-'));
  report = join(dir, 'isolation.html');
  // Starting Node and loading the CLI from sources takes seconds on a busy machine.
  await run(
    process.execPath,
    [join(repoRoot, 'bin', 'netglass.js'), 'report', '--manifests', DEMO, '--format', 'html', '-o', report],
    {
      cwd: repoRoot,
      timeout: 60_000,
    },
  );
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the HTML report opens offline with no console error and shows the matrix', async ({ page }, info) => {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));

  const url = pathToFileURL(report).href;
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1, name: 'Network isolation report' })).toBeVisible();

  // The demo's six namespaces, as columns and as rows; 36 coverage cells.
  const matrix = page.locator('#namespace-matrix');
  await expect(matrix).toBeVisible();
  const namespaces = ['analytics', 'billing', 'identity', 'kube-system', 'monitoring', 'shop'];
  await expect(matrix.locator('th[scope="col"]')).toHaveText(namespaces);
  await expect(matrix.locator('th[scope="row"]')).toHaveText(namespaces);
  await expect(matrix.locator('tbody td')).toHaveCount(36);
  // billing's default-deny-ingress closes it to every namespace: its column reads "none" everywhere.
  await expect(matrix.locator('tbody tr').nth(0).locator('td').nth(1)).toHaveClass('none');
  await expect(matrix.locator('tbody tr').nth(0).locator('td').nth(1)).toHaveAttribute(
    'title',
    /^analytics → billing: none, 0 of \d+ connections allowed$/,
  );

  for (const id of [
    'default-deny',
    'unprotected',
    'cross-namespace',
    'external',
    'policies',
    'matrix',
    'lint',
  ])
    await expect(page.locator(`h2#${id}`)).toBeVisible();
  await expect(page.getByText('Without ingress default-deny: 5:')).toBeVisible();

  await page.screenshot({ path: info.outputPath('report.png'), fullPage: true });
  expect(errors).toEqual([]);
  expect(requests).toEqual([url]);
});
