/**
 * Cilium policies in the app (web mode, a manifests folder: test/e2e/manifests-cilium/): the policy
 * list groups them, the search finds them, a policy's details show its rules in words with the
 * conditional ones marked, and its effect counts are those `netglass policy <key>` prints; the graph
 * draws its subjects and edges; the reach panel shows a conditional verdict (an L7 rule) with its reason.
 * Screenshots land in test-results/cilium-*.png.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures.ts';
import { cliPolicy as cliPolicyIn, openApp as open, screenshot } from './policy-helpers.ts';

const DIR = join(repoRoot, 'test/e2e/manifests-cilium');

const CNP = 'CiliumNetworkPolicy:shop/api-ingress';
const CCNP = 'CiliumClusterwideNetworkPolicy:egress-lockdown';

const cliPolicy = (key: string) => cliPolicyIn(DIR, key);
const shot = (page: Page, name: string) => screenshot(page, 'cilium', name);

test.use({ webServerArgs: ['--manifests', DIR] });

test.describe('Cilium policies', () => {
  test('the list groups and finds them; a policy shows its rules, counts and edges', async ({
    page,
    server,
    problems,
  }) => {
    await open(page, server.url);
    await page.getByTestId('tab-policies').click();
    await expect(page.getByTestId('count-policies')).toHaveText('2');
    const groups = page.getByTestId('policy-group');
    expect(await groups.evaluateAll((g) => g.map((e) => e.getAttribute('data-tier')))).toEqual(['Cilium']);
    const rows = page.getByTestId('policy-row');
    await expect(rows).toHaveCount(2);
    await expect(page.getByTestId('tier-filter').locator('[data-tier="Cilium"]')).toContainText('2');

    // The search reaches Cilium policies by name, subject and short kind.
    await page.getByLabel('Filter policies').fill('lockdown');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-key', CCNP);
    await page.getByLabel('Filter policies').fill('app=api');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-key', CNP);
    await page.getByLabel('Filter policies').fill('ccnp');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-key', CCNP);
    await page.getByLabel('Filter policies').fill('');

    const expected = cliPolicy(CNP);
    await page.locator(`[data-testid="policy-row"][data-key="${CNP}"]`).click();
    const panel = page.getByTestId('inspector');
    await expect(panel).toHaveAttribute('data-kind', 'policy');
    await expect(panel).toContainText('CiliumNetworkPolicy');
    await expect(panel.locator('.details-title')).toHaveText('api-ingress');
    for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'unaffected'] as const)
      await expect(panel.getByTestId(`effect-${k}`), k).toHaveText(
        expected.counts[k].toLocaleString('en-US'),
      );
    await expect(panel.getByTestId('effect-unknown')).toHaveText(
      expected.counts.unknown.toLocaleString('en-US'),
    );
    await expect(panel.getByTestId('pod-link')).toHaveCount(expected.selects.length);
    await expect(panel.getByTestId('cilium-subject')).toHaveText('pods app=api in namespace shop');
    await expect(panel.getByTestId('cilium-default-deny')).toContainText('ingress');

    // Deny rules first; the L7 rule is conditional, the plain one is not.
    const rules = panel.getByTestId('cilium-rule');
    expect(await rules.evaluateAll((r) => r.map((e) => e.getAttribute('data-rule')))).toEqual([
      'spec.ingressDeny[0]',
      'spec.ingress[0]',
      'spec.ingress[1]',
    ]);
    const l7 = rules.and(page.locator('[data-rule="spec.ingress[0]"]'));
    await expect(l7).toHaveAttribute('data-conditional', 'true');
    await expect(l7.getByTestId('cilium-rule-conditional')).toHaveText(
      'conditional: only for requests HTTP GET /api/.* (on TCP 8080)',
    );
    await expect(rules.and(page.locator('[data-rule="spec.ingressDeny[0]"]'))).toHaveAttribute(
      'data-action',
      'deny',
    );
    await expect(rules.and(page.locator('[data-rule="spec.ingress[1]"]'))).toContainText(
      'pods app=prometheus in namespace monitoring',
    );

    // The graph lights its subject and its permitted and denied edges.
    const stats = page.getByTestId('graph-stats');
    await expect(stats).toHaveAttribute('data-selection', JSON.stringify({ kind: 'policy', key: CNP }));
    await expect(stats).toHaveAttribute('data-phase', 'full');
    await expect(stats).toHaveAttribute('data-subjects', '1');
    await expect(stats).not.toHaveAttribute('data-flowing', '0');
    await expect(stats).not.toHaveAttribute('data-denied', '0');
    await shot(page, 'details');
    await panel.getByTestId('cilium-rules').scrollIntoViewIfNeeded();
    await shot(page, 'details-rules');

    // The cluster-wide one, by its key without a slash (not an admin policy).
    const wide = cliPolicy(CCNP);
    await page.locator(`[data-testid="policy-row"][data-key="${CCNP}"]`).click();
    await expect(panel).toContainText('CiliumClusterwideNetworkPolicy');
    await expect(panel.getByTestId('effect-denied')).toHaveText(wide.counts.denied.toLocaleString('en-US'));
    await expect(panel.getByTestId('pod-link')).toHaveCount(wide.selects.length);
    await expect(panel.getByTestId('cilium-rule-conditional')).toContainText('example.com');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('reach shows a conditional verdict with its reason', async ({ page, server, problems }) => {
    await open(page, server.url);
    await page.getByTestId('open-reach').click();
    await page.getByTestId('reach-from').fill('shop/web-0');
    await page.getByTestId('reach-from').press('Enter');
    await page.getByTestId('reach-to').fill('shop/api-0');
    await page.getByTestId('reach-to').press('Enter');
    await page.getByTestId('reach-port').fill('8080');
    const verdict = page.getByTestId('reach-verdict');
    await expect(verdict).toHaveAttribute('data-verdict', 'conditional');
    await expect(verdict.locator('.verdict-word')).toHaveText('Conditional');
    await expect(page.getByTestId('verdict-conditional')).toHaveText(
      'Allowed only for some requests: CiliumNetworkPolicy:shop/api-ingress spec.ingress[0]: allowed only for HTTP GET /api/.*',
    );
    await expect(page.getByTestId('side-ingress').getByTestId('side-conditional')).toBeVisible();
    await expect(page.getByTestId('side-ingress').locator('.side-verdict')).toHaveText(
      'allows some requests',
    );
    await shot(page, 'reach-conditional');

    // Port 22 is denied by the ingressDeny rule.
    await page.getByTestId('reach-port').fill('22');
    await expect(verdict).toHaveAttribute('data-verdict', 'denied');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});
