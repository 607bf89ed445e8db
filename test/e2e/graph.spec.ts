/**
 * The interactive graph on the demo cluster, checked against the CLI: the counts the policy panel
 * shows are what `netglass policy <ns>/<name> --format json` prints, and a reach query's verdict is
 * what `netglass check --format json` prints (both call the same evaluator). Also: search, hiding
 * namespaces (remembered across a reload), the namespace matrix, dark mode, and no console errors or
 * CSP violations (the analysis runs in a Web Worker under `worker-src 'self'`).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, startWebMode, test } from './fixtures.ts';
import { cliJson as cli, openApp as openDemo, screenshot, shotPath } from './policy-helpers.ts';

const DEMO_YAML = join(repoRoot, 'shared/demo/demo-cluster.yaml');

interface CliPolicy {
  readonly counts: Record<
    'permittedFlowing' | 'permittedBlocked' | 'denied' | 'unaffected' | 'total',
    number
  >;
  readonly selects: readonly string[];
  readonly rules: readonly { readonly rule: string; readonly matchesNothing: boolean }[];
}

interface CliCheck {
  readonly verdict: string;
  readonly egress: { readonly kind: string; readonly matches?: readonly unknown[] };
  readonly ingress: { readonly kind: string; readonly matches?: readonly { policy: string; rule: number }[] };
}

const POLICIES = [
  'identity/microsvc-users-api-allow',
  'identity/database-access-api-only',
  'shop/storefront-egress-only',
  'billing/deny-restricted-egress',
];

test.describe('the interactive graph on the demo cluster', () => {
  test('selecting each seed policy shows the counts `netglass policy` prints, and draws only its edges', async ({
    page,
    server,
    problems,
  }) => {
    await openDemo(page, server.url);
    await page.getByTestId('tab-policies').click();
    for (const key of POLICIES) {
      const expected = cli(['policy', '--manifests', DEMO_YAML, key]) as CliPolicy;
      await page.locator(`[data-testid="policy-row"][data-key="${key}"]`).click();
      const panel = page.getByTestId('inspector');
      await expect(panel).toHaveAttribute('data-kind', 'policy');
      for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'unaffected'] as const) {
        await expect(panel.getByTestId(`effect-${k}`), `${key} ${k}`).toHaveText(
          expected.counts[k].toLocaleString('en-US'),
        );
      }
      await expect(panel.getByTestId('effect-total')).toContainText(
        expected.counts.total.toLocaleString('en-US'),
      );
      await expect(panel.getByTestId('pod-link')).toHaveCount(expected.selects.length);
      const rules = panel.getByTestId('rule');
      for (const r of expected.rules) {
        await expect(rules.and(page.locator(`[data-rule="${r.rule}"]`))).toHaveAttribute(
          'data-matches-nothing',
          String(r.matchesNothing),
        );
      }
      const stats = page.getByTestId('graph-stats');
      // The panel's counts may equal the previous policy's: wait until the graph shows this one's answer.
      await expect(stats).toHaveAttribute('data-selection', JSON.stringify({ kind: 'policy', key }));
      await expect(stats).toHaveAttribute('data-phase', 'full');
      const drawn = Number(await stats.getAttribute('data-edges'));
      const connections =
        expected.counts.permittedFlowing + expected.counts.permittedBlocked + expected.counts.denied;
      // Edges for the selection only: none when it permits and denies nothing, never more than its connections.
      if (connections === 0) expect(drawn).toBe(0);
      else expect(drawn).toBeGreaterThan(0);
      expect(drawn).toBeLessThanOrEqual(Math.max(connections, 0));
      if (expected.counts.denied > 0) await expect(stats).not.toHaveAttribute('data-denied', '0');
      if (expected.counts.permittedFlowing > 0) await expect(stats).not.toHaveAttribute('data-flowing', '0');
      await screenshot(page, 'graph', `policy-${key.replace('/', '-')}`);
    }
    // The disabled-ingress policy: its ingress rule is marked as ignored.
    await page.locator('[data-testid="policy-row"][data-key="shop/storefront-egress-only"]').click();
    await expect(page.locator('[data-rule="ingress[0]"]')).toContainText('ignored');
    await expect(page.getByTestId('policy-yaml')).toContainText('- Egress');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('a reach query shows what `netglass check` prints, picked by typing and by clicking', async ({
    page,
    server,
    problems,
  }) => {
    await openDemo(page, server.url);
    const cases = [
      {
        from: 'shop/checkout-cjbhgdflmb-dxmvt',
        to: 'billing/payments-rdhsjbrgkt-ztx8s',
        port: '8443',
        protocol: 'TCP',
      },
      {
        from: 'billing/ledger-cptphjhrnc-2x49s',
        to: 'kube-system/coredns-tffsprtbsh-gq2cd',
        port: '53',
        protocol: 'UDP',
      },
      { from: 'analytics/report-worker-qdnkjftqjs-j7mg6', to: '8.8.8.8', port: '443', protocol: 'TCP' },
    ];
    await page.getByTestId('open-reach').click();
    for (const c of cases) {
      const expected = cli([
        'check',
        '--manifests',
        DEMO_YAML,
        '--from',
        c.from,
        '--to',
        c.to,
        '--port',
        `${c.port}/${c.protocol}`,
      ]) as CliCheck;
      await page.getByTestId('reach-from').fill(c.from);
      await page.getByTestId('reach-from').press('Enter');
      await page.getByTestId('reach-to').fill(c.to);
      await page.getByTestId('reach-to').press('Enter');
      await page.getByTestId('reach-port').fill(c.port);
      await page.getByRole('radio', { name: c.protocol, exact: true }).click();
      const verdict = page.getByTestId('reach-verdict');
      await expect(verdict).toHaveAttribute('data-verdict', expected.verdict);
      await expect(page.getByTestId('side-egress')).toHaveAttribute('data-kind', expected.egress.kind);
      await expect(page.getByTestId('side-ingress')).toHaveAttribute('data-kind', expected.ingress.kind);
      for (const m of expected.ingress.matches ?? []) {
        await expect(page.getByTestId('side-ingress')).toContainText(`${m.policy} ingress[${m.rule}]`);
      }
      await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-path', `path-${expected.verdict}`);
      await screenshot(page, 'graph', `reach-${expected.verdict}-${c.port}`);
    }

    // Two clicks on the graph fill the source and the destination.
    await page.getByLabel('Clear source').click();
    await page.getByLabel('Clear destination').click();
    const clickNode = async (id: string): Promise<void> => {
      await page.getByLabel('Fit to view').click();
      await page.waitForTimeout(100);
      await page.getByTestId('graph-canvas').click({ position: await nodePosition(page, id) });
    };
    await clickNode('pod:shop/checkout-cjbhgdflmb-dxmvt');
    await expect(page.getByTestId('reach-from')).toHaveValue('shop/checkout-cjbhgdflmb-dxmvt');
    await clickNode('pod:billing/payments-rdhsjbrgkt-ztx8s');
    await expect(page.getByTestId('reach-to')).toHaveValue('billing/payments-rdhsjbrgkt-ztx8s');
    await page.getByTestId('reach-port').fill('8443');
    await page.getByRole('radio', { name: 'TCP', exact: true }).click();
    await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'allowed');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('a pod shows the policies that select it and its allowed connections per port', async ({
    page,
    server,
    problems,
  }) => {
    await openDemo(page, server.url);
    await page.getByTestId('tab-pods').click();
    await page.locator('[data-testid="pod-row"][data-key="identity/users-db-0"]').click();
    const panel = page.getByTestId('inspector');
    await expect(panel.getByTestId('isolation-ingress')).toHaveAttribute('data-isolated', 'true');
    await expect(panel.getByTestId('isolation-ingress')).toContainText('identity/database-access-api-only');
    await expect(panel.getByTestId('isolation-egress')).toHaveAttribute('data-isolated', 'false');
    await expect(panel.getByTestId('connections-in')).toContainText('TCP 3306');
    await expect(panel.getByTestId('connections-in')).toContainText('3 pods');
    await expect(page.getByTestId('graph-stats')).not.toHaveAttribute('data-allowed', '0');
    // From the pod to a policy that selects it.
    await panel.getByTestId('policy-link').first().click();
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-kind', 'policy');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('inspector')).toHaveCount(0);

    await page.getByTestId('tab-pods').click();
    await page.locator('[data-testid="pod-row"][data-key="shop/checkout-cjbhgdflmb-dxmvt"]').click();
    await expect(page.getByTestId('pod-named-by')).toContainText('billing/payments-allow-checkout');
    await screenshot(page, 'graph', 'pod');
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('search, hide namespaces (remembered), matrix, keyboard and dark mode', async ({
    page,
    server,
    problems,
  }) => {
    await openDemo(page, server.url);

    // Search with "/" and with Ctrl+K.
    await page.keyboard.press('/');
    await expect(page.getByTestId('palette')).toBeVisible();
    await page.getByTestId('palette-input').fill('payments-allow');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('inspector')).toContainText('payments-allow-checkout');
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('users-db-1');
    await expect(page.getByTestId('palette-item').first()).toHaveAttribute('data-kind', 'pod');
    await page.screenshot({ path: shotPath('graph-search.png') });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-kind', 'pod');

    // Keyboard in lists: arrows move, Enter selects.
    await page.getByTestId('tab-namespaces').click();
    await page.locator('[data-testid="namespace-row"]').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-kind', 'namespace');
    await expect(page.getByTestId('inspector')).toContainText('billing');

    // Hide the system namespaces; the choice survives a reload.
    await page.getByTestId('hide-system').click();
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-namespaces', '5');
    await page.reload();
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-namespaces', '5');
    await page.getByTestId('show-all').click();
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-namespaces', '6');

    // The namespace matrix; a cell lists its pairs and the graph highlights them.
    await page.getByTestId('stage-matrix').click();
    const cell = page.locator('[data-testid="matrix-cell"][data-from="shop"][data-to="billing"]');
    await expect(cell).toHaveAttribute('data-coverage', 'some');
    await cell.click();
    await expect(page.getByTestId('cell-pairs')).toContainText('checkout');
    await page.screenshot({ path: shotPath('graph-matrix.png') });
    await page.getByTestId('cell-show-graph').click();
    await expect(page.getByTestId('graph-stats')).not.toHaveAttribute('data-allowed', '0');

    // Dark mode: the page and the canvas follow.
    await page.locator('[data-theme-choice="dark"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('tab-policies').click();
    await page.locator('[data-testid="policy-row"][data-key="identity/microsvc-users-api-allow"]').click();
    await expect(page.getByTestId('effect-permittedFlowing')).toHaveText('24');
    await screenshot(page, 'graph', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.locator('[data-theme-choice="light"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});

/**
 * Where a node is drawn, relative to the graph canvas: the graph writes its nodes' rendered positions
 * into `data-positions` when it receives a `netglass:positions` event (a canvas has no DOM to query).
 */
async function nodePosition(page: Page, id: string): Promise<{ x: number; y: number }> {
  const canvas = page.getByTestId('graph-canvas');
  await canvas.evaluate((el) => el.dispatchEvent(new Event('netglass:positions')));
  const box = await canvas.getAttribute('data-positions');
  const positions = JSON.parse(box ?? '{}') as Record<string, { x: number; y: number }>;
  const pos = positions[id];
  if (pos === undefined) throw new Error(`no rendered position for ${id}`);
  return pos;
}

test.describe('the interactive graph on a cluster loaded from manifests', () => {
  // Two conformance fixtures side by side: x/y/z pods with ipBlocks and ports, and a seed example.
  const FIXTURES = [
    join(repoRoot, 'test/fixtures/conformance/35-ipblock-ingress-pods-and-externals/manifests.yaml'),
    join(repoRoot, 'test/fixtures/conformance/45-seed-database-access-api-only/manifests.yaml'),
  ];

  test('every policy shows the counts `netglass policy` prints for the same files', async ({ page }) => {
    const web = await startWebMode(['--manifests', ...FIXTURES]);
    try {
      await openDemo(page, web.info.url);
      await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'manifests');
      await page.getByTestId('tab-policies').click();
      const keys = await page
        .locator('[data-testid="policy-row"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (const key of keys) {
        const expected = cli(['policy', '--manifests', ...FIXTURES, key]) as CliPolicy;
        await page.locator(`[data-testid="policy-row"][data-key="${key}"]`).click();
        const panel = page.getByTestId('inspector');
        for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'unaffected'] as const) {
          await expect(panel.getByTestId(`effect-${k}`), `${key} ${k}`).toHaveText(
            expected.counts[k].toLocaleString('en-US'),
          );
        }
        await expect(panel.getByTestId('pod-link')).toHaveCount(expected.selects.length);
      }
    } finally {
      await web.stop();
    }
  });
});
