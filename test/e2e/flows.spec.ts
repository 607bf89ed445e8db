/**
 * Web mode: observed flows in the app. The flows fixture cluster opens through "Open manifests…"; a
 * Hubble file chosen with "Import flows…" is read in the page and compared in the analysis worker;
 * the Flows panel counts its contradictions with their causes and the graph draws them in their own
 * class; "Draft policies from flows" opens the generator's drafts in the editor, whose what-if keeps
 * every seen allowed flow (nothing saved or applied). What the canvas shows is read from `data-drawn`.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures.ts';

const FLOWS = join(repoRoot, 'test/fixtures/flows');

/** The overlay edges on the canvas: [source, target, class, width, pairs]. */
async function drawnEdges(page: Page): Promise<[string, string, string, number, number][]> {
  const canvas = page.getByTestId('graph-canvas');
  await canvas.evaluate((el) => el.dispatchEvent(new Event('netglass:positions')));
  const drawn = JSON.parse((await canvas.getAttribute('data-drawn')) ?? '{}') as {
    edges?: [string, string, string, number, number][];
  };
  return drawn.edges ?? [];
}

// It opens another source: a server of its own, so later files still find the demo.
test.use({ ownServer: 'flows' });

test('imports Hubble flows, shows the contradictions, and drafts policies that keep the seen flows', async ({
  page,
  server,
  problems,
}) => {
  test.setTimeout(120_000);
  await page.goto(server.url);
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');

  await page.getByTestId('open-manifests').click();
  await page.getByTestId('open-path').fill(join(FLOWS, 'cluster.yaml'));
  await page.getByTestId('open-path-submit').click();
  await expect(page.getByTestId('source')).toContainText('cluster.yaml');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');

  await page.getByTestId('import-flows-input').setInputFiles(join(FLOWS, 'hubble.jsonl'));
  const panel = page.getByTestId('flows-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('flows-filter-contradiction')).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('flows-filter-confirmed')).toHaveAttribute('data-count', '5');
  await expect(page.getByTestId('open-flows')).toHaveAttribute('data-contradictions', '3');
  await expect(panel.locator('[data-testid="flow-cause"][data-cause="unmodelled-cni-policy"]')).toContainText(
    'CiliumNetworkPolicy shop/checkout-cache',
  );
  await expect(
    panel.getByTestId('flows-unused-rule').filter({ hasText: 'shop/cart ingress[0]' }),
  ).toHaveCount(1);

  // The flows layer: contradictions drawn as their own class, the seen confirmed flows beside them.
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-shown', 'full');
  await expect
    .poll(async () => (await drawnEdges(page)).filter((e) => e[2] === 'contradiction').length)
    .toBe(3);
  const edges = await drawnEdges(page);
  expect(edges.some((e) => e[2] === 'seen')).toBe(true);
  const contradiction = edges.find(
    (e) => e[2] === 'contradiction' && e[0].includes('checkout') && e[1].includes('cart'),
  );
  expect(contradiction, JSON.stringify(edges)).toBeDefined();
  await page.screenshot({ path: join(repoRoot, 'test-results', 'flows-layer.png') });

  // Only the contradictions.
  await page.getByTestId('flows-filter-confirmed').click();
  await page.getByTestId('flows-filter-audit').click();
  await expect(panel.getByTestId('flow-finding')).toHaveCount(3);
  await expect.poll(async () => new Set((await drawnEdges(page)).map((e) => e[2])).size).toBe(1);

  // Drafts from the seen flows open in the editor; the what-if keeps every seen allowed flow.
  await page.getByTestId('flows-generate').click();
  await expect(page.getByTestId('policy-editor')).toBeVisible();
  await expect(page.getByTestId('whatif')).toHaveAttribute('data-status', 'ready');
  const kept = page.getByTestId('flows-kept');
  await expect(kept).toContainText(/The drafts keep all \d+ seen allowed flows/);
  const total = Number(await kept.getAttribute('data-total'));
  expect(total).toBeGreaterThan(0);
  await expect(kept).toHaveAttribute('data-kept', String(total));
  // The two seen allowed flows the policies deny now (to shop/cart-0) are allowed by the drafts.
  await expect(kept).toHaveAttribute('data-opened', '2');
  await page.screenshot({ path: join(repoRoot, 'test-results', 'flows-drafts.png') });

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});

/** Opens the flows fixture cluster and imports its Hubble file; the Flows panel shows. */
async function openAndImport(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await page.getByTestId('open-manifests').click();
  await page.getByTestId('open-path').fill(join(FLOWS, 'cluster.yaml'));
  await page.getByTestId('open-path-submit').click();
  await expect(page.getByTestId('source')).toContainText('cluster.yaml');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await page.getByTestId('import-flows-input').setInputFiles(join(FLOWS, 'hubble.jsonl'));
  await expect(page.getByTestId('flows-panel')).toBeVisible();
  await expect(page.getByTestId('flows-filter-contradiction')).toHaveAttribute('data-count', '3');
}

test('the pod and policy panels show their seen flows; a time window narrows everything', async ({
  page,
  server,
  problems,
}) => {
  test.setTimeout(120_000);
  await openAndImport(page, server.url);
  const shots = join(repoRoot, 'test-results');

  // A pod: its seen flows in, contradictions first, with the verdicts and counts.
  await page.getByTestId('tab-pods').click();
  await page.locator('[data-testid="pod-row"][data-key="db/postgres-0"]').click();
  const inspector = page.getByTestId('inspector');
  const podFlows = inspector.getByTestId('pod-flows');
  await podFlows.scrollIntoViewIfNeeded();
  const inbound = podFlows.getByTestId('pod-flows-inbound').getByTestId('pod-flow');
  await expect(inbound).toHaveCount(3);
  await expect(inbound.first()).toHaveAttribute('data-status', 'contradiction');
  await expect(inbound.first()).toContainText('dropped by policy; policies: allowed');
  await expect(podFlows.getByTestId('pod-flows-inbound-totals')).toHaveText(
    'connections: 3 confirmed · 1 contradiction · 0 audit',
  );
  await expect(podFlows.getByTestId('pod-flows-outbound-totals')).toHaveText('none seen');
  await page.screenshot({ path: join(shots, 'flows-pod-tab.png') });
  // The keyboard follows a peer: Enter on its link selects it, and its outbound side shows the flow.
  await inbound.first().getByTestId('pod-link').focus();
  await page.keyboard.press('Enter');
  await expect(inspector.getByTestId('pod-flows-outbound').getByTestId('pod-flow')).toHaveCount(1);
  await expect(inspector.getByTestId('pod-flows-outbound').getByTestId('pod-flow')).toHaveAttribute(
    'data-status',
    'contradiction',
  );

  // A policy: per rule, what it matched; the list of seen flows opens with the keyboard.
  await page.getByTestId('tab-policies').click();
  await page.locator('[data-testid="policy-row"][data-key="shop/checkout"]').click();
  const policyFlows = inspector.getByTestId('policy-flows');
  await policyFlows.scrollIntoViewIfNeeded();
  const ingress0 = policyFlows.locator('[data-testid="policy-rule-flows"][data-rule="ingress[0]"]');
  await expect(ingress0).toContainText('matched 6 connections in 1 flow');
  await expect(policyFlows.locator('[data-testid="policy-rule-flows"][data-rule="egress[1]"]')).toContainText(
    'none seen',
  );
  await ingress0.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(ingress0.getByTestId('rule-seen-flow')).toHaveCount(1);
  await expect(ingress0.getByTestId('rule-seen-flow')).toContainText(
    'shop/web-7d9f8c6b5-abcde → shop/checkout-5c4b7d9f8-k2m4p',
  );
  await page.screenshot({ path: join(shots, 'flows-policy-tab.png') });

  // Tightened to what was seen: egress[1] (never used) goes; the edit opens in the editor, its what-if
  // only removes connections and keeps every seen allowed flow.
  await policyFlows.getByTestId('flows-tighten').click();
  await expect(page.getByTestId('policy-editor')).toBeVisible();
  await expect(page.getByTestId('draft')).toHaveAttribute('data-name', 'checkout');
  await expect(page.locator('[data-field="description"]')).toHaveValue(
    /^Tightened by netglass from 2 seen flows: 1 unused rule removed/,
  );
  const whatIf = page.getByTestId('whatif');
  await expect(whatIf).toHaveAttribute('data-status', 'ready');
  await expect(whatIf).toHaveAttribute('data-added', '0');
  expect(Number(await whatIf.getAttribute('data-removed'))).toBeGreaterThan(0);
  const keptTight = page.getByTestId('flows-kept');
  await expect(keptTight).toContainText(/keep all \d+ seen allowed flows/);
  await page.screenshot({ path: join(shots, 'flows-tightened.png') });
  await page.getByTestId('close-editor').click();

  // Back to the Flows panel (Escape clears the selection): a window typed as RFC 3339 times.
  await page.keyboard.press('Escape');
  await page.locator('body').press('Escape');
  const panel = page.getByTestId('flows-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('flows-window-outside')).toHaveText('Every record');
  const from = page.getByTestId('flows-window-since-text');
  await from.fill('yesterday');
  await from.press('Enter');
  await expect(page.getByTestId('flows-window-since-error')).toContainText('From: not an RFC 3339 time');
  await from.fill('2026-12-02T09:00:10Z');
  await from.press('Enter');
  const to = page.getByTestId('flows-window-until-text');
  await to.fill('2026-12-02T09:00:14.5Z');
  await to.press('Enter');
  await expect(page.getByTestId('flows-window-since-error')).toHaveCount(0);
  await expect(page.getByTestId('flows-window-outside')).toHaveAttribute('data-outside', '12');
  await expect(page.getByTestId('flows-filter-contradiction')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('flows-filter-confirmed')).toHaveAttribute('data-count', '4');
  // Unused over the window: web → checkout was seen only before it.
  await expect(
    panel.getByTestId('flows-unused-rule').filter({ hasText: 'shop/checkout ingress[0]' }),
  ).toHaveCount(1);
  await page.screenshot({ path: join(shots, 'flows-window.png') });

  // The policy panel follows the window.
  await page.getByTestId('tab-policies').click();
  await page.locator('[data-testid="policy-row"][data-key="shop/checkout"]').click();
  await expect(inspector.locator('[data-testid="policy-rule-flows"][data-rule="ingress[0]"]')).toContainText(
    'none seen',
  );
  await expect(inspector.getByTestId('flows-detail-window')).toContainText(
    'Records from 2026-12-02T09:00:10.000Z to 2026-12-02T09:00:14.500Z only',
  );
  await page.keyboard.press('Escape');
  await page.locator('body').press('Escape');
  await expect(panel).toBeVisible();

  // The range controls work from the keyboard: Home on To keeps only the first record; End opens it.
  await page.getByTestId('flows-window-reset').click();
  await expect(page.getByTestId('flows-window-outside')).toHaveText('Every record');
  await expect(page.getByTestId('flows-filter-contradiction')).toHaveAttribute('data-count', '3');
  const toRange = page.getByTestId('flows-window-until-range');
  await toRange.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('flows-window-outside')).toHaveAttribute('data-outside', '16');
  await expect(page.getByTestId('flows-filter-confirmed')).toHaveAttribute('data-count', '1');
  await page.keyboard.press('End');
  await expect(page.getByTestId('flows-window-outside')).toHaveText('Every record');

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});
