/**
 * What the user sees is what counts, in real Chromium on web mode (issue 12, items 1–3):
 *  - YAML that does not load (`protocol: TCPX`) turns the footer to its error state and disables
 *    Copy and Save; a form change makes the draft whole again;
 *  - a new draft named like an existing policy says which one it replaces, and the what-if equals
 *    the CLI's `diff --apply` of that draft (the replacement, not an addition); an edit keeps its
 *    name without a warning;
 *  - a policy the loader refused marks its namespace, the status says "Loaded with N errors" in
 *    amber, and the status opens the issues list.
 * Screenshots land in test-results/editor-truth-*.png.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, startWebMode, test } from './fixtures.ts';
import { cliDiffCounts, openApp as openDemo } from './policy-helpers.ts';

const field = (page: Page, path: string) => page.locator(`[data-field="${path}"]`);

/** `netglass diff --manifests <demo> --apply <yaml>`: the counts the what-if must show. */
const cliCounts = (yamlText: string) => cliDiffCounts('shared/demo/demo-cluster.yaml', yamlText);

test.describe('on the demo', () => {
  test('YAML that does not load makes the whole editor say so; the form wins it back', async ({
    page,
    server,
    problems,
  }) => {
    test.setTimeout(90_000);
    await openDemo(page, server.url);
    await page.getByTestId('tab-policies').click();
    await page.locator('[data-testid="policy-row"][data-key="identity/microsvc-users-api-allow"]').click();
    await page.getByTestId('edit-copy').click();
    const footer = page.getByTestId('editor-footer');
    await expect(footer).toHaveAttribute('data-valid', 'true');
    await expect(page.getByTestId('validation-summary')).toHaveText(/Valid/);
    // An edit that keeps its name replaces nothing new.
    await expect(page.getByTestId('np-replaces')).toHaveCount(0);
    await expect(page.getByTestId('draft-replaces')).toHaveCount(0);

    const text = page.getByTestId('yaml-text');
    const good = await text.inputValue();
    // Long lines (the description annotation) wrap instead of running out of sight, and the
    // gutter's number stays beside its wrapped line.
    expect(await text.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const longLine = good.split('\n').findIndex((l) => l.includes('netglass.dev/description')) + 1;
    const gutterRow = (n: number) => page.locator(`.ed-yaml-gutter [data-line="${n}"]`).boundingBox();
    const [wrapped, plain] = await Promise.all([gutterRow(longLine), gutterRow(longLine - 1)]);
    expect(wrapped?.height ?? 0).toBeGreaterThan((plain?.height ?? 0) * 1.5);
    expect(good).toContain('protocol: TCP\n');
    await text.fill(good.replace('protocol: TCP\n', 'protocol: TCPX\n'));
    await expect(footer).toHaveAttribute('data-valid', 'false');
    await expect(page.getByTestId('validation-summary')).toHaveText('1 error');
    await expect(page.getByTestId('copy-yaml')).toBeDisabled();
    await expect(page.getByTestId('save-policy')).toBeDisabled();
    await expect(page.getByTestId('whatif')).toHaveAttribute('data-status', 'off');
    const issue = page.getByTestId('yaml-issue');
    await expect(issue).toContainText('unsupported protocol "TCPX"');
    await expect(issue).not.toContainText('was not loaded');
    await page.screenshot({ path: 'test-results/editor-truth-yaml-error.png' });

    await field(page, 'name').fill('users-api-allow-v2');
    await expect(footer).toHaveAttribute('data-valid', 'true');
    await expect(page.getByTestId('save-policy')).toBeEnabled();
    await expect(text).not.toHaveValue(/TCPX/);
    await expect(page.getByTestId('whatif')).toHaveAttribute('data-status', 'ready');
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });

  test('a new draft named like an existing policy says what it replaces; the what-if is the CLI’s', async ({
    page,
    server,
    problems,
  }) => {
    test.setTimeout(90_000);
    await openDemo(page, server.url);
    await page.getByTestId('new-policy').click();
    await page.getByTestId('chooser-namespace').selectOption('identity');
    await page.getByTestId('new-blank').click();
    await expect(page.getByTestId('np-replaces')).toHaveCount(0);
    await field(page, 'name').fill('microsvc-users-api-allow');
    await expect(page.getByTestId('np-replaces')).toHaveText('replaces identity/microsvc-users-api-allow');
    await expect(page.getByTestId('draft-replaces')).toHaveText('replaces identity/microsvc-users-api-allow');
    await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-warnings', '1');
    await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-errors', '0');

    const yamlText = await page.getByTestId('yaml-text').inputValue();
    const counts = cliCounts(yamlText);
    // Replacing the users API's allow policy with deny-all takes connections away.
    expect(counts['removed'] ?? 0).toBeGreaterThan(0);
    const whatIf = page.getByTestId('whatif');
    await expect(whatIf).toHaveAttribute('data-status', 'ready');
    await expect(whatIf).toHaveAttribute('data-added', String(counts['added']));
    await expect(whatIf).toHaveAttribute('data-removed', String(counts['removed']));
    await expect(whatIf).toHaveAttribute('data-unchanged', String(counts['unchanged']));
    await page.getByTestId('validation-summary').click();
    await expect(page.getByTestId('summary-replaces')).toBeVisible();
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-results/editor-truth-replaces.png' });
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });
});

test.describe('on manifests with a refused policy', () => {
  test('the namespace is marked, the status is amber with the count, and opens the issues', async ({
    page,
    problems,
  }) => {
    test.setTimeout(90_000);
    // A server of its own (the worker's serves the demo): `--manifests` with a policy that is refused.
    const web = await startWebMode([
      '--manifests',
      join(repoRoot, 'test/e2e/manifests/shop-with-mistakes.yaml'),
    ]);
    try {
      await page.goto(web.info.url);
      await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
      const pill = page.getByTestId('connection-pill');
      await expect(pill).toHaveAttribute('data-state', 'loaded-with-errors');
      await expect(pill).toHaveText(/^Loaded with \d+ errors?$/);
      const errors = Number(/\d+/.exec((await pill.textContent()) ?? '')?.[0]);
      expect(errors).toBeGreaterThan(0);
      const row = page.locator('[data-testid="namespace-row"][data-name="shop"]');
      await expect(row).toHaveAttribute('data-failed', '1');
      await expect(row.getByTestId('namespace-failed-tag')).toHaveText('policies not loaded');
      await expect(row).not.toContainText('no policy');

      // The namespace's details name the refused policy and its line, and do not call it open.
      await row.click();
      const failed = page.getByTestId('namespace-failed');
      await expect(failed).toContainText('web-allow');
      await expect(failed).toContainText(/shop-with-mistakes\.yaml:\d+/);
      await expect(page.getByText('every pod is open in both directions')).toHaveCount(0);
      await page.screenshot({ path: 'test-results/editor-truth-namespace-details.png' });

      await pill.click();
      const list = page.getByTestId('issues-list');
      await expect(list).toBeVisible();
      await expect(list).toContainText('NetworkPolicy shop/web-allow');
      await expect(list).toContainText(/shop-with-mistakes\.yaml:\d+/);
      await expect(list.locator('.issue.severity-error')).toHaveCount(errors);
      await page.screenshot({ path: 'test-results/editor-truth-failed-load.png' });
      expect(problems.pageErrors).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await web.stop();
    }
  });
});
