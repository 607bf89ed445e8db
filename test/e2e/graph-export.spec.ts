/**
 * The graph exported as a user does it (issue 13 item 1, graph part), in web mode: PNG and SVG, of
 * what is on screen and of the whole graph, from the toolbar menu, the keyboard and the command
 * palette. The files come as browser downloads and must be real images of the graph: a PNG signature
 * and an IHDR with a size, an SVG that parses as XML with an <svg> root and names the graph's
 * namespaces and pods. Also issue 12 item 12 as seen on screen: a label search lights its pods, the
 * pod details list each peer once, a workload shows its policies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { openApp as openDemo } from './policy-helpers.ts';

function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...bytes.subarray(0, 8)]).toEqual(signature);
  // The first chunk is IHDR: length (4), type (4), then width and height as big-endian integers.
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

/** Parses the SVG in the browser: its root element's name, and whether the parser complained. */
async function parseSvg(page: Page, text: string): Promise<{ root: string; error: boolean }> {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return {
      root: doc.documentElement.nodeName,
      error: doc.getElementsByTagName('parsererror').length > 0,
    };
  }, text);
}

test('exports the graph as PNG and SVG, on screen and whole, from the menu, the keyboard and the palette', async ({
  page,
  server,
  problems,
}) => {
  await openDemo(page, server.url);
  // With a policy selected the export shows its highlight, as the canvas does.
  await page.getByTestId('tab-policies').click();
  await page.locator('[data-testid="policy-row"][data-key="identity/microsvc-users-api-allow"]').click();
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-shown', 'full');

  // PNG of what is on screen, from the toolbar menu.
  await page.getByTestId('graph-export').click();
  let next = page.waitForEvent('download');
  await page.getByTestId('graph-export-png-view').click();
  let download = await next;
  expect(download.suggestedFilename()).toMatch(/^demo-graph-view-.*\.png$/);
  const view = pngSize(await saved(download));
  expect(view.width).toBeGreaterThan(0);
  expect(view.height).toBeGreaterThan(0);
  await expect(page.getByTestId('graph-export-status')).toHaveText(/^Downloaded demo-graph-view-.*\.png$/);

  // PNG of the whole graph, from the palette.
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('export png whole');
  await expect(page.getByTestId('palette-command')).toHaveCount(1);
  next = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  download = await next;
  expect(download.suggestedFilename()).toMatch(/^demo-graph-full-.*\.png$/);
  const full = pngSize(await saved(download));
  expect(full.width).toBeGreaterThan(0);
  expect(full.height).toBeGreaterThan(0);

  // The keyboard shortcut runs the same command as the menu's first item.
  next = page.waitForEvent('download');
  await page.getByTestId('graph-canvas').focus();
  await page.keyboard.press('Control+Shift+E');
  download = await next;
  expect(download.suggestedFilename()).toMatch(/^demo-graph-view-.*\.png$/);
  expect(pngSize(await saved(download)).width).toBe(view.width);

  // SVG of the whole graph: valid XML, an <svg> root, every namespace and some pods named.
  await page.getByTestId('graph-export').click();
  next = page.waitForEvent('download');
  await page.getByTestId('graph-export-svg-full').click();
  download = await next;
  expect(download.suggestedFilename()).toMatch(/^demo-graph-full-.*\.svg$/);
  const svg = (await saved(download)).toString('utf8');
  // Kept to look at (test-results/ holds the screenshots too).
  writeFileSync('test-results/graph-export-full.svg', svg);
  const parsed = await parseSvg(page, svg);
  expect(parsed).toEqual({ root: 'svg', error: false });
  for (const name of ['kube-system', 'identity', 'shop', 'billing', 'analytics', 'monitoring'])
    expect(svg, name).toContain(`>${name}<`);
  expect(svg).toContain('prometheus');
  // The selection's edges are in it too.
  expect(svg).toMatch(/<line [^>]*stroke-width/);

  // SVG of what is on screen: the viewport's size.
  await page.getByTestId('graph-export').click();
  next = page.waitForEvent('download');
  await page.getByTestId('graph-export-svg-view').click();
  download = await next;
  const onScreen = (await saved(download)).toString('utf8');
  expect(await parseSvg(page, onScreen)).toEqual({ root: 'svg', error: false });
  const box = await page.getByTestId('graph-canvas').boundingBox();
  expect(onScreen).toContain(`width="${Math.round(box?.width ?? 0)}"`);

  await page.screenshot({ path: 'test-results/graph-export.png' });
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
});

test('a label search lights the pods the evaluator says it selects', async ({ page, server }) => {
  await openDemo(page, server.url);
  await page.getByTestId('tab-pods').click();
  await page.getByRole('searchbox', { name: 'Filter pods' }).fill('tier=database');
  const note = page.getByTestId('label-match');
  await expect(note).toHaveText(/pods? match(es)? tier=database · lit on the graph/);
  const count = Number(await note.getAttribute('data-count'));
  expect(count).toBeGreaterThan(0);
  await expect(page.getByTestId('pod-row')).toHaveCount(count);
  const stats = page.getByTestId('graph-stats');
  await expect(stats).toHaveAttribute('data-subjects', String(count));
  await expect(stats).toHaveAttribute('data-shown', 'full');
  await page.screenshot({ path: 'test-results/graph-label-search.png' });
  // A selector the search cannot read says so, and lights nothing.
  await page.getByRole('searchbox', { name: 'Filter pods' }).fill('tier in (database');
  await expect(note).toHaveText(/^Not a label selector/);
  await page.getByRole('searchbox', { name: 'Filter pods' }).fill('');
  await expect(note).toHaveCount(0);
  await expect(stats).toHaveAttribute('data-subjects', '0');
});

test('a workload shows its pods, the policies that apply to them and its isolation', async ({
  page,
  server,
}) => {
  await openDemo(page, server.url);
  await page.getByTestId('toggle-grouping').click();
  await expect(page.getByTestId('graph-stats')).not.toHaveAttribute('data-workloads', '0');
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('users-api');
  await page.locator('[data-testid="palette-item"][data-kind="workload"]').first().click();
  const panel = page.getByTestId('inspector');
  await expect(panel).toHaveAttribute('data-kind', 'workload');
  await expect(panel.getByTestId('workload-pods')).toContainText('3 pods');
  // users-api is isolated for ingress by the seed policy microsvc-users-api-allow.
  const ingress = panel.getByTestId('isolation-ingress');
  await expect(ingress).toHaveAttribute('data-isolated', 'true');
  await expect(ingress).toContainText('microsvc-users-api-allow');
  await expect(panel.getByTestId('connections-in')).toBeVisible();
  await page.screenshot({ path: 'test-results/graph-workload-details.png' });
});

test('pod details list each peer once; the tab counts are not clipped', async ({ page, server }) => {
  await openDemo(page, server.url);
  await page.getByTestId('tab-pods').click();
  const row = page.locator('[data-testid="pod-row"][data-key^="identity/"]').first();
  await row.click();
  const panel = page.getByTestId('inspector');
  await expect(panel).toHaveAttribute('data-kind', 'pod');
  for (const direction of ['in', 'out']) {
    const peers = await panel
      .getByTestId(`connections-${direction}`)
      .getByTestId('port-peer')
      .allTextContents();
    expect(new Set(peers).size, `connections-${direction}`).toBe(peers.length);
  }
  await page.screenshot({ path: 'test-results/graph-pod-details.png' });
  // The counts of the 11k-pod cluster, where "Policies 3.6k" was clipped: the widest they get.
  await page.evaluate(() => {
    const counts: Record<string, string> = { namespaces: '503', pods: '11k', policies: '3.6k' };
    for (const [tab, text] of Object.entries(counts)) {
      const el = document.querySelector(`[data-testid="count-${tab}"]`);
      if (el !== null) el.textContent = text;
    }
  });
  const side = await page.locator('.side-panel').boundingBox();
  for (const tab of ['namespaces', 'pods', 'policies']) {
    const tabBox = await page.getByTestId(`tab-${tab}`).boundingBox();
    const countBox = await page.getByTestId(`count-${tab}`).boundingBox();
    expect(countBox !== null && tabBox !== null).toBe(true);
    if (countBox === null || tabBox === null) continue;
    expect(countBox.x + countBox.width, tab).toBeLessThanOrEqual(tabBox.x + tabBox.width + 0.5);
    expect(tabBox.x + tabBox.width, tab).toBeLessThanOrEqual((side?.x ?? 0) + (side?.width ?? 0));
  }
  // …and the labels beside them whole too (no ellipsis).
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.tab-label')]
      .filter((l) => l.scrollWidth > l.clientWidth)
      .map((l) => l.textContent),
  );
  expect(cut).toEqual([]);
  await page.locator('.tabs').screenshot({ path: 'test-results/graph-tabs.png' });
});
