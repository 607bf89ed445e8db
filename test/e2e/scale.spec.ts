/**
 * A big graph in the browser (above `LARGE_GRAPH_PODS`): namespaces collapsed, a selection shown
 * first on the highlight layer and then by cytoscape with the full answer, the layer cleared once
 * cytoscape has drawn it, and the counts still the CLI's. Timings are the UI benchmark's business
 * (`npm run bench:ui`), never asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCluster, writeManifests } from '../bench/generate.ts';
import { expect, repoRoot, startWebMode, test } from './fixtures.ts';
import { cliPolicy } from './policy-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'netglass-scale-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a 2,400-pod cluster: selections go through the highlight layer and keep the CLI’s counts', async ({
  page,
}) => {
  test.setTimeout(180_000);
  writeManifests(generateCluster({ seed: 7, namespaces: 120, pods: 2400, policies: 400 }), dir);
  const web = await startWebMode(['--manifests', dir]);
  try {
    await page.goto(web.info.url);
    const stats = page.getByTestId('graph-stats');
    await expect(stats).toHaveAttribute('data-pods', /\d+/, { timeout: 60_000 });
    await expect(page.getByTestId('analysis-status')).toHaveAttribute('data-state', 'ready', {
      timeout: 60_000,
    });
    await expect(stats).toHaveAttribute('data-layout', 'done');
    expect(Number(await stats.getAttribute('data-collapsed'))).toBeGreaterThan(0);
    // Each tab's count is whole inside its tab and the panel (it was clipped: "Policies 3.6k").
    const sidePanel = await page.locator('.side-panel').boundingBox();
    for (const tab of ['namespaces', 'pods', 'policies']) {
      const tabBox = await page.getByTestId(`tab-${tab}`).boundingBox();
      const countBox = await page.getByTestId(`count-${tab}`).boundingBox();
      if (tabBox === null || countBox === null || sidePanel === null) throw new Error(`no box for ${tab}`);
      expect(countBox.x + countBox.width, tab).toBeLessThanOrEqual(tabBox.x + tabBox.width + 0.5);
      expect(tabBox.x + tabBox.width, tab).toBeLessThanOrEqual(sidePanel.x + sidePanel.width);
    }

    await page.getByTestId('tab-policies').click();
    const row = page.getByTestId('policy-row').nth(3);
    const key = (await row.getAttribute('data-key')) ?? '';
    // Record, in the page, what the layer holds while the selection is a preview.
    await page.evaluate(() => {
      const w = window as unknown as { __phases: string[]; __layerPainted: boolean };
      w.__phases = [];
      w.__layerPainted = false;
      const el = document.querySelector('[data-testid="graph-stats"]');
      const layer = document.querySelector<HTMLCanvasElement>('canvas.graph-highlight');
      if (el === null || layer === null) throw new Error('no graph stats or highlight layer');
      new MutationObserver(() => {
        const shown = el.getAttribute('data-shown') ?? '';
        if (w.__phases.at(-1) !== shown) w.__phases.push(shown);
        if (shown === 'preview') {
          const pixels = layer.getContext('2d')?.getImageData(0, 0, layer.width, layer.height).data;
          w.__layerPainted ||= pixels?.some((v, i) => i % 4 === 3 && v > 0) === true;
        }
      }).observe(el, { attributes: true });
    });
    await row.click();
    await expect(stats).toHaveAttribute('data-shown', 'full', { timeout: 30_000 });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __phases: string[]; __layerPainted: boolean };
      return { phases: w.__phases, painted: w.__layerPainted };
    });
    expect(seen.phases).toContain('preview');
    expect(seen.painted).toBe(true);
    // Handed over: cytoscape shows the answer and the layer is empty again.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const layer = document.querySelector<HTMLCanvasElement>('canvas.graph-highlight');
          const pixels = layer?.getContext('2d')?.getImageData(0, 0, layer.width, layer.height).data;
          return pixels?.some((v, i) => i % 4 === 3 && v > 0) ?? true;
        }),
      )
      .toBe(false);

    const expected: { counts: Record<string, number> } = cliPolicy(dir, key);
    const panel = page.getByTestId('inspector');
    for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'unaffected'])
      await expect(panel.getByTestId(`effect-${k}`)).toHaveText(
        (expected.counts[k] ?? 0).toLocaleString('en-US'),
      );
    await page.screenshot({ path: join(repoRoot, 'test-results', 'scale-policy.png') });
  } finally {
    await web.stop();
  }
});
