/**
 * Calico network sets in the app (web mode, test/fixtures/calico-netsets/): the Calico group's
 * "Network sets" sub-list opens with the keyboard and shows each set's namespace (or global), labels and
 * CIDRs; the search palette finds a set by CIDR; typing "new calico" in the palette opens a Calico
 * template's draft in the editor. Screenshots: test-results/calico-netsets-*.png.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures.ts';
import { openApp, screenshot } from './policy-helpers.ts';

const DIR = join(repoRoot, 'test/fixtures/calico-netsets');

const shot = (page: Page, name: string) => screenshot(page, 'calico-netsets', name);

const keysOf = (page: Page, testId: string): Promise<(string | null)[]> =>
  page.getByTestId(testId).evaluateAll((rows) => rows.map((e) => e.getAttribute('data-key')));

test.use({ webServerArgs: ['--manifests', DIR] });

test.describe('Calico network sets', () => {
  test('listed under the Calico policies, found from the palette; "new calico" opens a draft', async ({
    page,
    server,
    problems,
  }) => {
    await openApp(page, server.url);
    await page.getByTestId('tab-policies').click();

    // Closed at first, under the Calico policies; Enter on the focused heading opens it.
    const head = page.getByTestId('calico-netsets-head');
    await expect(head).toHaveAttribute('aria-expanded', 'false');
    await expect(head).toContainText('Network sets');
    await expect(page.getByTestId('calico-netset')).toHaveCount(0);
    await head.focus();
    await page.keyboard.press('Enter');
    await expect(head).toHaveAttribute('aria-expanded', 'true');
    expect(await keysOf(page, 'calico-netset')).toEqual([
      'GlobalNetworkSet:/metadata-addresses',
      'GlobalNetworkSet:/partners',
      'NetworkSet:shop/payment-gateways',
    ]);
    const partners = page.locator('[data-testid="calico-netset"][data-key="GlobalNetworkSet:/partners"]');
    await expect(partners).toContainText('global');
    await expect(partners.getByTestId('calico-netset-labels')).toContainText('role=partner');
    await expect(partners.getByTestId('calico-netset-labels')).toContainText('tier=external');
    await expect(partners.getByTestId('calico-netset-nets')).toHaveText('203.0.113.0/24, 198.51.100.0/25');
    await expect(
      page.locator('[data-testid="calico-netset"][data-key="NetworkSet:shop/payment-gateways"]'),
    ).toContainText('shop');
    await shot(page, 'list');

    // A policy's rules list the sets their selectors pick (the evaluator's answer).
    await page
      .locator('[data-testid="policy-row"][data-key="Calico:NetworkPolicy/shop/default.api-partners"]')
      .click();
    await expect(page.getByTestId('calico-rule-source-sets')).toHaveText('partners');
    await expect(page.getByTestId('calico-rule-destination-sets')).toHaveText('shop/payment-gateways');
    await shot(page, 'rule-sets');
    await page.keyboard.press('Escape');

    // The palette finds a set by CIDR; choosing it filters the list to it.
    await page.keyboard.press('Control+k');
    const input = page.getByTestId('palette-input');
    await input.fill('192.0.2');
    const item = page.locator('[data-testid="palette-item"][data-kind="networkset"]');
    await expect(item).toHaveAttribute('data-ref', 'NetworkSet:shop/payment-gateways');
    await item.click();
    await expect(page.getByLabel('Filter policies')).toHaveValue('payment-gateways');
    expect(await keysOf(page, 'calico-netset')).toEqual(['NetworkSet:shop/payment-gateways']);

    // "new calico": the templates, chosen with the keyboard, open in the editor.
    await page.keyboard.press('Control+k');
    await input.fill('new calico');
    await expect(page.getByTestId('palette-new').first()).toContainText('New Calico policy:');
    await shot(page, 'palette');
    await input.press('Enter');
    await expect(page.getByTestId('policy-editor')).toBeVisible();
    await expect(page.getByTestId('draft')).toHaveCount(1);
    await shot(page, 'draft');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});
