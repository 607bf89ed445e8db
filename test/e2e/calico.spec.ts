/**
 * Calico policies in the app (web mode, a manifests folder: test/fixtures/calico-ui/): the policy list's
 * Calico group in Calico's order (tiers by order, policies by order then name, the staged draft marked),
 * its filter, the namespace list's counts, a policy's details (tier, order, selector, rules in words)
 * with the effect counts `netglass policy <key>` prints, the graph's highlight, the search palette and
 * the Markdown report. Screenshots land in test-results/calico-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures.ts';
import { cliPolicy as cliPolicyIn, openApp as open, screenshot } from './policy-helpers.ts';

const DIR = join(repoRoot, 'test/fixtures/calico-ui');

const API = 'Calico:NetworkPolicy/shop/default.api-allow';
const METADATA = 'Calico:GlobalNetworkPolicy/security.block-metadata';
const DRAFT = 'Calico:StagedNetworkPolicy/shop/default.lockdown-draft';

const cliPolicy = (key: string) => cliPolicyIn(DIR, key);
const shot = (page: Page, name: string) => screenshot(page, 'calico', name);

const keysOf = (page: Page, testId: string, attribute: string): Promise<(string | null)[]> =>
  page.getByTestId(testId).evaluateAll((rows, a) => rows.map((e) => e.getAttribute(a)), attribute);

test.use({ webServerArgs: ['--manifests', DIR] });

test.describe('Calico policies', () => {
  test('the list orders, marks and filters them; a policy shows its tier, rules, counts and edges', async ({
    page,
    server,
    problems,
  }) => {
    await open(page, server.url);

    // Namespaces: Calico policies counted, and payments (only Calico covers it) is not "no policy".
    const payments = page.locator('[data-testid="namespace-row"][data-name="payments"]');
    await expect(payments).toContainText('· 1 Calico');
    await expect(payments).not.toContainText('no policy');
    await expect(page.locator('[data-testid="namespace-row"][data-name="shop"]')).toContainText('· 2 Calico');

    await page.getByTestId('tab-policies').click();
    await expect(page.getByTestId('count-policies')).toHaveText('7');
    expect(await keysOf(page, 'policy-group', 'data-tier')).toEqual(['Calico', 'NetworkPolicy']);
    expect(await keysOf(page, 'calico-tier', 'data-tier')).toEqual(['security', 'platform', 'default']);
    expect(await keysOf(page, 'policy-row', 'data-key')).toEqual([
      METADATA,
      'Calico:GlobalNetworkPolicy/platform.monitoring-scrape',
      DRAFT,
      API,
      'Calico:NetworkPolicy/shop/default.db-allow',
      'Calico:NetworkPolicy/payments/default.ledger-ingress',
      'monitoring/deny-all-ingress',
    ]);
    const draftRow = page.locator(`[data-testid="policy-row"][data-key="${DRAFT}"]`);
    await expect(draftRow).toContainText('staged: not enforced');
    await expect(draftRow.getByTestId('policy-kind')).toHaveText('staged NP');
    const metadataRow = page.locator(`[data-testid="policy-row"][data-key="${METADATA}"]`);
    await expect(metadataRow).toContainText('global');
    await expect(metadataRow.getByTestId('policy-tier')).toHaveText('security');
    await expect(metadataRow.getByTestId('policy-order')).toHaveText('10');
    await expect(metadataRow.getByTestId('policy-kind')).toHaveText('GNP');
    await expect(page.getByTestId('tier-filter').locator('[data-tier="Calico"]')).toContainText('6');
    await shot(page, 'list');

    // The filter reaches them by selector, tier, namespace and kind.
    const filter = page.getByLabel('Filter policies');
    await filter.fill("app == 'db'");
    expect(await keysOf(page, 'policy-row', 'data-key')).toEqual([
      'Calico:NetworkPolicy/shop/default.db-allow',
    ]);
    await filter.fill('staged');
    expect(await keysOf(page, 'policy-row', 'data-key')).toEqual([DRAFT]);
    await filter.fill('gnp');
    await expect(page.getByTestId('policy-row')).toHaveCount(2);
    await filter.fill('');

    const expected = cliPolicy(API);
    await page.locator(`[data-testid="policy-row"][data-key="${API}"]`).click();
    const panel = page.getByTestId('inspector');
    await expect(panel).toHaveAttribute('data-kind', 'policy');
    await expect(panel).toContainText('Calico NetworkPolicy');
    await expect(panel.locator('.details-title')).toHaveText('api-allow');
    await expect(panel.getByTestId('header-tier')).toHaveText('tier default');
    await expect(panel.getByTestId('header-order')).toHaveText('order 100');
    for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'passed', 'unaffected'] as const)
      await expect(panel.getByTestId(`effect-${k}`), k).toHaveText(
        expected.counts[k].toLocaleString('en-US'),
      );
    expect(expected.counts.permittedFlowing).toBeGreaterThan(0);
    expect(expected.counts.denied).toBeGreaterThan(0);
    await expect(panel.getByTestId('pod-link')).toHaveCount(expected.selects.length);
    await expect(panel.getByTestId('calico-selector')).toHaveText("app == 'api'");
    await expect(panel.getByTestId('calico-tier-field')).toContainText('default Deny');

    const rules = panel.getByTestId('calico-rule');
    expect(await rules.evaluateAll((r) => r.map((e) => e.getAttribute('data-action')))).toEqual([
      'Allow',
      'Log',
      'Deny',
    ]);
    const allow = rules.and(page.locator('[data-rule="ingress[0]"]'));
    await expect(allow.getByTestId('calico-rule-protocol')).toHaveText('TCP');
    await expect(allow.getByTestId('calico-rule-source')).toHaveText("selector app == 'web'");
    await expect(allow.getByTestId('calico-rule-destination')).toHaveText('ports 8080');
    await expect(
      rules.and(page.locator('[data-rule="ingress[1]"]')).getByTestId('calico-rule-source'),
    ).toHaveText('not nets 10.0.0.0/8');
    await expect(
      rules.and(page.locator('[data-rule="ingress[2]"]')).getByTestId('calico-rule-destination'),
    ).toHaveText('not ports 8080');

    // The graph rings its subject and draws what it permits and denies.
    const stats = page.getByTestId('graph-stats');
    await expect(stats).toHaveAttribute('data-selection', JSON.stringify({ kind: 'policy', key: API }));
    await expect(stats).toHaveAttribute('data-phase', 'full');
    await expect(stats).toHaveAttribute('data-subjects', String(expected.selects.length));
    await expect(stats).not.toHaveAttribute('data-flowing', '0');
    await expect(stats).not.toHaveAttribute('data-denied', '0');
    await shot(page, 'details');
    await panel.getByTestId('calico-rules').scrollIntoViewIfNeeded();
    await shot(page, 'details-rules');

    // A global policy whose Pass rule sends most sides on: passed edges on the graph.
    const metadata = cliPolicy(METADATA);
    await metadataRow.click();
    await expect(panel).toContainText('Calico GlobalNetworkPolicy');
    await expect(panel.getByTestId('effect-passed')).toHaveText(
      metadata.counts.passed.toLocaleString('en-US'),
    );
    await expect(panel.getByTestId('effect-denied')).toHaveText(
      metadata.counts.denied.toLocaleString('en-US'),
    );
    await expect(stats).toHaveAttribute('data-selection', JSON.stringify({ kind: 'policy', key: METADATA }));
    await expect(stats).toHaveAttribute('data-phase', 'full');
    await expect(stats).not.toHaveAttribute('data-passed', '0');
    await shot(page, 'global');

    // The staged draft: said to be a draft, and it changes nothing.
    await draftRow.click();
    await expect(panel.getByTestId('calico-staged')).toBeVisible();
    await expect(panel.getByTestId('effect-unaffected')).toHaveText(
      cliPolicy(DRAFT).counts.total.toLocaleString('en-US'),
    );

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('the search palette finds them and the report says what the panel says', async ({
    page,
    server,
    problems,
  }) => {
    await open(page, server.url);
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('block-metadata');
    const item = page.getByTestId('palette-item').filter({ hasText: 'block-metadata' });
    await expect(item).toContainText('tier security');
    await item.click();
    const panel = page.getByTestId('inspector');
    await expect(panel.locator('.details-title')).toHaveText('block-metadata');

    // A pod a Calico policy isolates names it, by its short Calico name.
    await page.getByTestId('tab-pods').click();
    await page.locator('[data-testid="pod-row"][data-key="shop/api-0"]').click();
    const link = panel.locator(`[data-testid="policy-link"][data-key="${API}"]`);
    await expect(link).toHaveText('default.api-allowNP');
    await shot(page, 'pod');
    await link.click();
    await expect(panel.locator('.details-title')).toHaveText('api-allow');

    await page.getByTestId('tab-policies').click();
    await page.locator(`[data-testid="policy-row"][data-key="${API}"]`).click();
    await expect(panel.getByTestId('effect-total')).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-policy-report').click(),
    ]);
    expect(download.suggestedFilename()).toBe('policy-calico-networkpolicy-shop-default.api-allow.md');
    const report = readFileSync(await download.path(), 'utf8');
    expect(report).toContain('# Calico NetworkPolicy shop/api-allow');
    expect(report).toContain('- Tier: `default`');
    expect(report).toContain("- Selector: `app == 'api'`");
    expect(report).toMatch(
      /\*\*Allow\*\* TCP \*\*ingress\[0\]\*\*.*from `selector app == 'web'` to `ports 8080`/,
    );
    expect(report).toContain('| Passed on |');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});
