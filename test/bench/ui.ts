/**
 * UI benchmark (not a timed test): web mode in Debian's Chromium against a generated cluster given as
 * manifests. Prints the time to the first interactive graph (page load → layout done and analysis
 * ready) and the latency from clicking a policy / a pod to its highlight on the graph.
 *
 *   node test/bench/ui.ts [S|M|L] [dir]      (default L: 10,000 pods, written to test-results/cluster-L)
 *
 * The cluster is generated with test/bench/generate.ts when the directory does not exist yet.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config.ts';
import { repoRoot, startWebMode } from '../e2e/fixtures.ts';
import { generateCluster, SIZES, writeManifests } from './generate.ts';

const size = (process.argv[2] ?? 'L') as keyof typeof SIZES;
if (!(size in SIZES)) throw new Error(`unknown size ${size}; one of ${Object.keys(SIZES).join(', ')}`);
const dir = process.argv[3] ?? join(repoRoot, `test-results/cluster-${size}`);
if (!existsSync(dir)) {
  const started = performance.now();
  writeManifests(generateCluster(SIZES[size]), dir);
  console.log(`generated ${size} into ${dir} in ${Math.round(performance.now() - started)} ms`);
}

const { info, stop } = await startWebMode(['--manifests', dir]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
const rows: { metric: string; ms: number; note?: string }[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const t0 = performance.now();
  await page.goto(info.url);
  const stats = page.getByTestId('graph-stats');
  // Layout done with the snapshot's nodes (before the snapshot arrives the empty graph is "done" too).
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="graph-stats"]');
      return el?.getAttribute('data-layout') === 'done' && el.getAttribute('data-namespaces') !== '0';
    },
    null,
    { timeout: 600_000, polling: 50 },
  );
  const tGraph = performance.now() - t0;
  await page
    .locator('[data-testid="analysis-status"][data-state="ready"]')
    .waitFor({ state: 'attached', timeout: 600_000 });
  const tReady = performance.now() - t0;
  rows.push({
    metric: 'first graph (layout done)',
    ms: tGraph,
    note: `${await stats.getAttribute('data-namespaces')} namespaces, ${await stats.getAttribute('data-pods')} pod nodes, ${await stats.getAttribute('data-workloads')} replica groups`,
  });
  rows.push({ metric: 'first interactive graph (analysis ready)', ms: Math.max(tGraph, tReady) });

  // Responsiveness while idle: a frame round trip.
  rows.push({
    metric: 'frame round trip',
    ms: await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const s = performance.now();
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - s)));
        }),
    ),
  });

  // Select policies: click in the list → counts shown and edges drawn.
  await page.getByTestId('tab-policies').click();
  const policyRows = page.getByTestId('policy-row');
  for (let i = 0; i < 3; i++) {
    const row = policyRows.nth(i * 7);
    const key = (await row.getAttribute('data-key')) ?? '?';
    const before = await stats.getAttribute('data-edges');
    const t = performance.now();
    await row.click();
    await page.locator('[data-testid="effect-permittedFlowing"]').waitFor();
    await page.waitForFunction(
      (prev) => {
        const el = document.querySelector('[data-testid="graph-stats"]');
        const panel = document.querySelector('[data-testid="inspector"] [data-testid="effect-total"]');
        return el !== null && panel !== null && (el.getAttribute('data-edges') !== prev || prev === '0');
      },
      before,
      { timeout: 120_000 },
    );
    rows.push({
      metric: `select policy → highlight`,
      ms: performance.now() - t,
      note: `${key}, ${await stats.getAttribute('data-edges')} edges`,
    });
  }

  // Select a pod: its allowed connections.
  await page.getByTestId('tab-pods').click();
  const podRow = page.getByTestId('pod-row').nth(5);
  const podKey = (await podRow.getAttribute('data-key')) ?? '?';
  const t = performance.now();
  await podRow.click();
  await page.locator('[data-testid="connections-in"]').waitFor({ timeout: 120_000 });
  rows.push({ metric: 'select pod → connections', ms: performance.now() - t, note: podKey });

  mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(repoRoot, 'test-results', `bench-ui-${size}.png`) });
  if (errors.length > 0)
    rows.push({ metric: 'page errors', ms: errors.length, note: errors.slice(0, 3).join(' | ') });
} finally {
  await browser.close();
  await stop();
}

const width = Math.max(...rows.map((r) => r.metric.length));
console.log(
  `\nnetglass UI benchmark, size ${size} (${SIZES[size].pods} pods, ${SIZES[size].policies} policies)`,
);
for (const r of rows)
  console.log(`  ${r.metric.padEnd(width)}  ${String(Math.round(r.ms)).padStart(7)} ms  ${r.note ?? ''}`);
writeFileSync(
  join(repoRoot, 'test-results', `bench-ui-${size}.json`),
  JSON.stringify({ size, rows }, null, 2),
);
