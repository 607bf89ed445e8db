/**
 * Admin tiers in the app, on the shared fixture cluster (test/fixtures/admin/cluster.yaml: four
 * ClusterNetworkPolicies around the namespaces' NetworkPolicies), checked against the CLI on the same
 * files: each admin policy's panel shows the counts and per-rule counts `netglass policy <key>` prints,
 * and the reach panel's tier chain is the one `netglass check` prints (a cross-namespace call denied by
 * an Admin Deny, a monitoring scrape accepted by an Admin Accept, a call passed on to a NetworkPolicy).
 * Also: the list grouped by tier with its filter, a pod's policies per tier, the legacy v1alpha1 kinds,
 * dark mode, and no console errors or CSP violations. Screenshots land in test-results/.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, repoRoot, startWebMode, test } from './fixtures.ts';
import { cliJson as cli, openApp as open, screenshot, shotPath } from './policy-helpers.ts';

const CLUSTER = join(repoRoot, 'test/fixtures/admin/cluster.yaml');
const LEGACY = join(repoRoot, 'test/fixtures/admin/legacy.yaml');

type CountKey = 'permittedFlowing' | 'permittedBlocked' | 'denied' | 'passed' | 'unknown' | 'unaffected';

interface CliPolicy {
  readonly tier: string;
  readonly priority: number;
  readonly counts: Record<CountKey | 'total', number>;
  readonly selects: readonly string[];
  readonly rules: readonly {
    readonly rule: string;
    readonly action: string;
    readonly matched: number;
    readonly matchesNothing: boolean;
  }[];
}

interface CliSide {
  readonly kind: string;
  readonly chain?: string;
  readonly tiers?: {
    readonly decidedBy: string;
    readonly admin?: { readonly policy: string; readonly action: string; readonly ruleName?: string };
  };
}

interface CliCheck {
  readonly verdict: string;
  readonly egress: CliSide;
  readonly ingress: CliSide;
}

/** The panel shows what `netglass policy <key> --format json` prints for the same files. */
async function expectPolicyPanel(page: Page, files: readonly string[], key: string): Promise<CliPolicy> {
  const expected = cli(['policy', '--manifests', ...files, key]) as CliPolicy;
  await page.locator(`[data-testid="policy-row"][data-key="${key}"]`).click();
  const panel = page.getByTestId('inspector');
  await expect(panel).toHaveAttribute('data-kind', 'policy');
  await expect(panel.getByTestId('policy-effect')).toHaveAttribute('data-tier', expected.tier);
  for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'passed', 'unaffected'] as const)
    await expect(panel.getByTestId(`effect-${k}`), `${key} ${k}`).toHaveText(
      expected.counts[k].toLocaleString('en-US'),
    );
  if (expected.counts.unknown > 0)
    await expect(panel.getByTestId('effect-unknown')).toHaveText(
      expected.counts.unknown.toLocaleString('en-US'),
    );
  else await expect(panel.getByTestId('effect-unknown')).toHaveCount(0);
  await expect(panel.getByTestId('effect-total')).toContainText(
    expected.counts.total.toLocaleString('en-US'),
  );
  await expect(panel.getByTestId('header-priority')).toHaveText(`priority ${expected.priority}`);
  await expect(panel.getByTestId('pod-link')).toHaveCount(expected.selects.length);
  const rules = panel.getByTestId('rule');
  await expect(rules).toHaveCount(expected.rules.length);
  for (const r of expected.rules) {
    const card = rules.and(page.locator(`[data-rule="${r.rule}"]`));
    await expect(card).toHaveAttribute('data-action', r.action);
    await expect(card).toHaveAttribute('data-matches-nothing', String(r.matchesNothing));
    if (!r.matchesNothing)
      await expect(card.getByTestId('rule-decided')).toHaveAttribute('data-count', String(r.matched));
  }
  // The graph shows this policy's answer: one edge class per kind of connection it has.
  const stats = page.getByTestId('graph-stats');
  await expect(stats).toHaveAttribute('data-selection', JSON.stringify({ kind: 'policy', key }));
  await expect(stats).toHaveAttribute('data-phase', 'full');
  const c = expected.counts;
  for (const [attr, n] of [
    ['data-flowing', c.permittedFlowing],
    ['data-blocked', c.permittedBlocked],
    ['data-denied', c.denied],
    ['data-passed', c.passed],
  ] as const) {
    if (n === 0) await expect(stats, `${key} ${attr}`).toHaveAttribute(attr, '0');
    else await expect(stats, `${key} ${attr}`).not.toHaveAttribute(attr, '0');
  }
  await expect(stats).toHaveAttribute('data-subjects', /^[1-9]/);
  return expected;
}

const ADMIN_KEYS = ['accept-monitoring', 'pass-shop-to-payments', 'deny-cross-namespace', 'default-deny'];

async function rowKeys(list: Locator): Promise<string[]> {
  return list.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
}

const shot = (page: Page, name: string) => screenshot(page, 'admin', name);

// The worker's server serves the fixture cluster (the legacy test starts one of its own).
test.use({ webServerArgs: ['--manifests', CLUSTER] });

test.describe('admin tiers on the fixture cluster', () => {
  test('the policy list is grouped by tier and priority, with a tier filter and search', async ({
    page,
    server,
    problems,
  }) => {
    await open(page, server.url);
    await page.getByTestId('tab-policies').click();
    // Six NetworkPolicies and four ClusterNetworkPolicies.
    await expect(page.getByTestId('count-policies')).toHaveText('10');
    const groups = page.getByTestId('policy-group');
    await expect(groups).toHaveCount(3);
    expect(await groups.evaluateAll((g) => g.map((e) => e.getAttribute('data-tier')))).toEqual([
      'Admin',
      'NetworkPolicy',
      'Baseline',
    ]);
    const rows = page.getByTestId('policy-row');
    const keys = await rowKeys(rows);
    expect(keys.slice(0, 3)).toEqual(['accept-monitoring', 'pass-shop-to-payments', 'deny-cross-namespace']);
    expect(keys.at(-1)).toBe('default-deny');
    expect(keys.slice(3, -1).every((k) => k.includes('/'))).toBe(true);
    await expect(rows.first().getByTestId('policy-priority')).toHaveText('10');

    const filter = page.getByTestId('tier-filter');
    await filter.locator('[data-tier="Admin"]').click();
    expect(await rowKeys(rows)).toEqual([
      'accept-monitoring',
      'pass-shop-to-payments',
      'deny-cross-namespace',
    ]);
    await filter.locator('[data-tier="Baseline"]').click();
    expect(await rowKeys(rows)).toEqual(['default-deny']);
    await filter.locator('[data-tier="NetworkPolicy"]').click();
    await expect(rows).toHaveCount(6);
    await filter.locator('[data-tier="all"]').click();
    await expect(rows).toHaveCount(10);

    // Search reaches admin policies by name.
    await page.getByLabel('Filter policies').fill('deny');
    expect(await rowKeys(rows)).toEqual([
      'deny-cross-namespace',
      'blog/default-deny-ingress',
      'default-deny',
    ]);
    await shot(page, 'list-search');
    await page.getByLabel('Filter policies').fill('');

    // The command palette finds them too.
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('pass-shop');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('inspector')).toContainText('pass-shop-to-payments');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('each admin policy shows the counts `netglass policy` prints, and draws what it accepts, denies and passes', async ({
    page,
    server,
    problems,
  }) => {
    await open(page, server.url);
    await page.getByTestId('tab-policies').click();
    for (const key of ADMIN_KEYS) {
      await expectPolicyPanel(page, [CLUSTER], key);
      await shot(page, `policy-${key}`);
      // The rules, further down the panel.
      await page.getByTestId('policy-rules').scrollIntoViewIfNeeded();
      await page.getByTestId('inspector').screenshot({ path: shotPath(`admin-rules-${key}.png`) });
    }
    // Tier, priority, subject and the rules in written order with their actions.
    await page.locator('[data-testid="policy-row"][data-key="deny-cross-namespace"]').click();
    const panel = page.getByTestId('inspector');
    await expect(panel.getByTestId('tier-chip').first()).toHaveAttribute('data-tier', 'Admin');
    await expect(panel.getByTestId('policy-subject')).toHaveText('namespaces compliance=pci');
    expect(
      await panel.getByTestId('rule').evaluateAll((r) => r.map((e) => e.getAttribute('data-action'))),
    ).toEqual(['Deny', 'Pass', 'Deny']);
    await expect(panel.getByTestId('policy-yaml')).toContainText('tier: Admin');
    await expect(panel.getByTestId('policy-yaml')).toContainText('- 0.0.0.0/0');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('a pod lists its admin policies per direction before its NetworkPolicies', async ({
    page,
    server,
    problems,
  }) => {
    await open(page, server.url);
    await page.getByTestId('tab-pods').click();
    await page.locator('[data-testid="pod-row"][data-key="payments/postgres-0"]').click();
    const ingress = page.getByTestId('direction-ingress');
    await expect(ingress.getByTestId('admin-ingress')).toHaveAttribute('data-count', '2');
    expect(
      await ingress
        .getByTestId('admin-ingress')
        .getByTestId('policy-link')
        .evaluateAll((l) => l.map((e) => e.getAttribute('data-key'))),
    ).toEqual(['accept-monitoring', 'deny-cross-namespace']);
    await expect(ingress.getByTestId('isolation-ingress')).toContainText('payments/db-from-api');
    await expect(ingress.getByTestId('baseline-ingress')).toContainText('default-deny');
    // Admin before NetworkPolicy before Baseline, in the DOM as on screen.
    const order = await ingress
      .locator(
        '[data-testid="admin-ingress"], [data-testid="isolation-ingress"], [data-testid="baseline-ingress"]',
      )
      .evaluateAll((l) => l.map((e) => e.getAttribute('data-testid')));
    expect(order).toEqual(['admin-ingress', 'isolation-ingress', 'baseline-ingress']);
    await expect(page.getByTestId('direction-egress').getByTestId('admin-egress')).toHaveAttribute(
      'data-count',
      '2',
    );
    await shot(page, 'pod');

    // The namespace list marks where admin tiers apply, and no tenant namespace reads as unprotected.
    await page.getByTestId('tab-namespaces').click();
    const sandbox = page.locator('[data-testid="namespace-row"][data-name="sandbox"]');
    await expect(sandbox.getByTestId('namespace-admin-tag')).toBeVisible();
    await expect(sandbox).not.toContainText('no policy');
    await expect(
      page
        .locator('[data-testid="namespace-row"][data-name="monitoring"]')
        .getByTestId('namespace-admin-tag'),
    ).toHaveCount(0);

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('the reach panel explains each side through the tiers as `netglass check` does', async ({
    page,
    server,
    problems,
  }) => {
    await open(page, server.url);
    const cases = [
      // A cross-namespace call into the PCI namespace: Admin Deny at the destination.
      {
        name: 'admin-deny',
        from: 'shop/web-7f9c6b5d4-abcde',
        to: 'payments/postgres-0',
        port: '5432',
        verdict: 'denied',
        decisive: { side: 'ingress', policy: 'deny-cross-namespace', action: 'Deny' },
      },
      // A Prometheus scrape of a tenant pod: Admin Accept, whatever the tenant's policies say.
      {
        name: 'admin-accept',
        from: 'monitoring/prometheus-0',
        to: 'shop/web-7f9c6b5d4-abcde',
        port: '9100',
        verdict: 'allowed',
        decisive: { side: 'ingress', policy: 'accept-monitoring', action: 'Accept' },
      },
      // The shop's cart calling the payments API: passed on by the Admin tier, allowed by a NetworkPolicy.
      {
        name: 'admin-pass',
        from: 'shop/cart-6c8d7f5b9-fghij',
        to: 'payments/payments-api-5b7d9c8f6-klmno',
        port: '8443',
        verdict: 'allowed',
        decisive: { side: 'ingress', policy: 'pass-shop-to-payments', action: 'Pass' },
      },
    ] as const;
    await page.getByTestId('open-reach').click();
    for (const c of cases) {
      const expected = cli([
        'check',
        '--manifests',
        CLUSTER,
        '--from',
        c.from,
        '--to',
        c.to,
        '--port',
        `${c.port}/TCP`,
      ]) as CliCheck;
      expect(expected.verdict).toBe(c.verdict);
      await page.getByTestId('reach-from').fill(c.from);
      await page.getByTestId('reach-from').press('Enter');
      await page.getByTestId('reach-to').fill(c.to);
      await page.getByTestId('reach-to').press('Enter');
      await page.getByTestId('reach-port').fill(c.port);
      await page.getByRole('radio', { name: 'TCP', exact: true }).click();
      await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', expected.verdict);
      for (const side of ['egress', 'ingress'] as const) {
        const el = page.getByTestId(`side-${side}`);
        const want = expected[side];
        await expect(el).toHaveAttribute('data-kind', want.kind);
        await expect(el).toHaveAttribute('data-decided-by', want.tiers?.decidedBy ?? '');
        // The same steps in the same words as the CLI's chain.
        await expect(el).toHaveAttribute('data-chain', want.chain ?? '');
      }
      const side = page.getByTestId(`side-${c.decisive.side}`);
      const rule = side.getByTestId('chain-admin-rule').first();
      await expect(rule).toHaveAttribute('data-policy', c.decisive.policy);
      await expect(rule).toHaveAttribute('data-action', c.decisive.action);
      const admin = side.locator('[data-testid="tier-step"][data-tier="Admin"]');
      await expect(admin).toHaveAttribute('data-state', c.decisive.action === 'Pass' ? 'passed' : 'decided');
      if (c.decisive.action === 'Pass') {
        await expect(side.locator('[data-testid="tier-step"][data-tier="NetworkPolicy"]')).toHaveAttribute(
          'data-state',
          'decided',
        );
        await expect(side).toContainText('payments/api-from-cart ingress[0]');
      } else {
        await expect(side.locator('[data-testid="tier-step"][data-tier="NetworkPolicy"]')).toHaveAttribute(
          'data-state',
          'skipped',
        );
      }
      await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-path', `path-${expected.verdict}`);
      await shot(page, `reach-${c.name}`);
    }
    // From the chain to the policy that decided.
    await page.getByTestId('side-ingress').getByTestId('chain-policy').first().click();
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-kind', 'policy');
    await expect(page.getByTestId('inspector')).toContainText('pass-shop-to-payments');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('dark mode', async ({ page, server, problems }) => {
    await open(page, server.url);
    await page.locator('[data-theme-choice="dark"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('tab-policies').click();
    await expectPolicyPanel(page, [CLUSTER], 'deny-cross-namespace');
    await shot(page, 'dark-policy');
    await page.getByTestId('open-reach').click();
    await page.getByTestId('reach-from').fill('shop/cart-6c8d7f5b9-fghij');
    await page.getByTestId('reach-from').press('Enter');
    await page.getByTestId('reach-to').fill('payments/payments-api-5b7d9c8f6-klmno');
    await page.getByTestId('reach-to').press('Enter');
    await page.getByTestId('reach-port').fill('8443');
    await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'allowed');
    await shot(page, 'dark-reach');
    await page.locator('[data-theme-choice="light"]').click();

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});

test.describe('legacy v1alpha1 kinds beside the ClusterNetworkPolicies', () => {
  test('AdminNetworkPolicy and BaselineAdminNetworkPolicy rows carry their kind and the CLI counts', async ({
    page,
  }) => {
    const web = await startWebMode(['--manifests', CLUSTER, LEGACY]);
    try {
      await open(page, web.info.url);
      await page.getByTestId('tab-policies').click();
      await expect(page.getByTestId('count-policies')).toHaveText('14');
      const banp = page.locator('[data-testid="policy-row"][data-key="BaselineAdminNetworkPolicy:default"]');
      await expect(banp.getByTestId('policy-kind')).toHaveText('BANP');
      await expect(banp).toHaveAttribute('data-tier', 'Baseline');
      const anp = page.locator('[data-testid="policy-row"][data-key="AdminNetworkPolicy:accept-monitoring"]');
      await expect(anp.getByTestId('policy-kind')).toHaveText('ANP');
      // Same tier and priority as the ClusterNetworkPolicy of the same name: the order between them is
      // the implementation's, so the row says so and the counts hold unknowns (as the CLI's do).
      await expect(anp).toContainText('shares priority 10');
      for (const key of ['AdminNetworkPolicy:accept-monitoring', 'BaselineAdminNetworkPolicy:default'])
        await expectPolicyPanel(page, [CLUSTER, LEGACY], key);
      await expect(page.getByTestId('policy-yaml')).toContainText('# Read from BaselineAdminNetworkPolicy');
      await shot(page, 'legacy');
    } finally {
      await web.stop();
    }
  });
});
