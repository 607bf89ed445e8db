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
