/**
 * UI benchmark (not a timed test): web mode in Debian's Chromium against a generated cluster given as
 * manifests. Prints each figure against its target (issue 5, item 7) and writes them as JSON to
 * test-results/bench-ui.json (and bench-ui-<size>.json):
 *
 * - first interactive graph: page load → graph laid out and drawn (≤ 3 s); the analysis-ready time
 *   (isolation badges, answers to selections) is reported next to it, with the same target;
 * - selection highlight: click on a policy / pod row → its subjects ringed on the canvas, measured in
 *   the page (click → overlay applied → next frame, ≤ 100 ms); the full answer (edges drawn) is
 *   reported too;
 * - pan and zoom: frame intervals during real mouse gestures (drag, wheel).
 * - the namespace matrix: click on "Matrix" → every cell drawn (≤ 1 s), the summary computed on demand.
 *
 *   node test/bench/ui.ts [S|M|L] [dir]      (default L: 10,000 pods, written to test-results/cluster-L)
 *
 * The cluster is generated with test/bench/generate.ts when the directory does not exist yet. The
 * renderer is served from out/renderer: build it first (`npm run build:renderer`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
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

interface Row {
  readonly metric: string;
  readonly ms: number;
  /** Upper bound the figure should stay under. */
  readonly target?: number;
  readonly note?: string;
}

/**
 * Clicks `selector` (the `nth` match) inside the page and times, with `performance.now()` there, the
 * click → the graph shows an overlay for the new selection (`data-shown` not `pending`) → next frame;
 * and → the full answer (`data-shown="full"`) → next frame.
 */
async function timeSelection(
  page: Page,
  selector: string,
  nth: number,
): Promise<{ highlight: number; full: number; key: string; edges: string }> {
  // From a quiet page: what is timed is the selection, not what came before it.
  await page.waitForTimeout(400);
  return page.evaluate(
    ({ selector, nth }) =>
      new Promise<{ highlight: number; full: number; key: string; edges: string }>((resolve, reject) => {
        const stats = document.querySelector('[data-testid="graph-stats"]');
        const row = document.querySelectorAll<HTMLElement>(selector)[nth];
        if (stats === null || row === undefined) return reject(new Error(`no ${selector} #${nth}`));
        const key = row.getAttribute('data-key') ?? '?';
        const before = stats.getAttribute('data-selection');
        let highlight = -1;
        const t0 = performance.now();
        const frame = (): Promise<number> =>
          new Promise((r) => requestAnimationFrame(() => r(performance.now() - t0)));
        const check = (): void => {
          const shown = stats.getAttribute('data-shown');
          if (stats.getAttribute('data-selection') === before || shown === 'pending') return;
          if (highlight < 0) {
            highlight = 0;
            void frame().then((ms) => {
              highlight = ms;
              if (stats.getAttribute('data-shown') === 'full') done();
            });
          }
          if (shown === 'full' && highlight > 0) done();
        };
        let finished = false;
        const done = (): void => {
          if (finished) return;
          finished = true;
          observer.disconnect();
          void frame().then((full) =>
            resolve({ highlight, full, key, edges: stats.getAttribute('data-edges') ?? '' }),
          );
        };
        const observer = new MutationObserver(check);
        observer.observe(stats, { attributes: true });
        setTimeout(() => reject(new Error(`selection of ${key} not shown within 120 s`)), 120_000);
        row.click();
      }),
    { selector, nth },
  );
}

/** Frame intervals (rAF to rAF) while `gesture` runs: median and 95th percentile. */
async function frameTimes(
  page: Page,
  gesture: () => Promise<void>,
): Promise<{ median: number; p95: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__frames = [];
    w.__recording = true;
    let last = performance.now();
    const tick = (): void => {
      const now = performance.now();
      w.__frames.push(now - last);
      last = now;
      if (w.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await gesture();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1);
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

const { info, stop } = await startWebMode(['--manifests', dir]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
const rows: Row[] = [];
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
  await page.waitForFunction(
    (pods) =>
      document.querySelector('[data-testid="count-pods"]')?.getAttribute('data-count') === String(pods),
    SIZES[size].pods,
    { timeout: 600_000, polling: 20 },
  );
  const tSnapshot = performance.now() - t0;
  // Layout done with the snapshot's nodes (before the snapshot arrives the empty graph is "done" too),
  // then one frame: the graph is on screen.
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="graph-stats"]');
      return el?.getAttribute('data-layout') === 'done' && el.getAttribute('data-namespaces') !== '0';
    },
    null,
    { timeout: 600_000, polling: 'raf' },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  const tGraph = performance.now() - t0;
  await page
    .locator('[data-testid="analysis-status"][data-state="ready"]')
    .waitFor({ state: 'attached', timeout: 600_000 });
  const tReady = performance.now() - t0;
  rows.push({ metric: 'snapshot shown (side panel)', ms: tSnapshot });
  rows.push({
    metric: 'first interactive graph',
    ms: tGraph,
    target: 3000,
    note: `${await stats.getAttribute('data-nodes')} nodes: ${await stats.getAttribute('data-namespaces')} namespaces (${await stats.getAttribute('data-collapsed')} collapsed), ${await stats.getAttribute('data-pods')} pods, ${await stats.getAttribute('data-workloads')} replica groups`,
  });
  rows.push({ metric: 'analysis ready (badges, answers)', ms: tReady, target: 3000 });

  rows.push({
    metric: 'frame round trip (idle)',
    ms: await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const s = performance.now();
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - s)));
        }),
    ),
  });

  // Selections: a policy row, then a pod row, each timed in the page.
  await page.getByTestId('tab-policies').click();
  await page.getByTestId('policy-row').first().waitFor();
  for (const nth of [0, 7, 14]) {
    const r = await timeSelection(page, '[data-testid="policy-row"]', nth);
    rows.push({ metric: 'select policy → highlight', ms: r.highlight, target: 100, note: r.key });
    rows.push({ metric: 'select policy → edges drawn', ms: r.full, note: `${r.edges} edges` });
  }
  await page.getByTestId('tab-pods').click();
  await page.getByTestId('pod-row').first().waitFor();
  for (const nth of [5, 20]) {
    const r = await timeSelection(page, '[data-testid="pod-row"]', nth);
    rows.push({ metric: 'select pod → highlight', ms: r.highlight, target: 100, note: r.key });
    rows.push({ metric: 'select pod → connections drawn', ms: r.full, note: `${r.edges} edges` });
  }

  // Pan and zoom with real gestures (textureOnViewport/hideEdgesOnViewport only act on those).
  const box = await page.getByTestId('graph-canvas').boundingBox();
  if (box !== null) {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const pan = await frameTimes(page, async () => {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 1; i <= 40; i++) await page.mouse.move(cx + i * 6, cy + i * 3);
      await page.mouse.up();
    });
    rows.push({ metric: 'pan: frame time median', ms: pan.median, target: 50 });
    rows.push({ metric: 'pan: frame time p95', ms: pan.p95, target: 100 });
    const zoom = await frameTimes(page, async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i < 15 ? -120 : 120);
    });
    rows.push({ metric: 'zoom: frame time median', ms: zoom.median, target: 50 });
    rows.push({ metric: 'zoom: frame time p95', ms: zoom.p95, target: 100 });
  }

  mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(repoRoot, 'test-results', `bench-ui-${size}.png`) });

  // The namespace matrix: click → the whole matrix on screen (the summary is asked for on demand).
  const tMatrix = performance.now();
  await page.getByTestId('stage-matrix').click();
  await page.getByTestId('matrix-cell').first().waitFor({ timeout: 600_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  rows.push({
    metric: 'matrix shown (click → cells drawn)',
    ms: performance.now() - tMatrix,
    target: 1000,
    note: `${await page.getByTestId('matrix-cell').count()} cells`,
  });
  await page.screenshot({ path: join(repoRoot, 'test-results', `bench-ui-${size}-matrix.png`) });
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
console.log(`  ${'metric'.padEnd(width)}  ${'ms'.padStart(7)}  ${'target'.padStart(8)}        note`);
for (const r of rows) {
  const target = r.target === undefined ? '' : `≤ ${r.target}`;
  const verdict = r.target === undefined ? '    ' : r.ms <= r.target ? ' ok ' : 'MISS';
  console.log(
    `  ${r.metric.padEnd(width)}  ${String(Math.round(r.ms)).padStart(7)}  ${target.padStart(8)}  ${verdict}  ${r.note ?? ''}`,
  );
}
const json = JSON.stringify(
  {
    size,
    pods: SIZES[size].pods,
    policies: SIZES[size].policies,
    rows: rows.map((r) => ({
      ...r,
      ms: Math.round(r.ms * 10) / 10,
      met: r.target === undefined ? null : r.ms <= r.target,
    })),
  },
  null,
  2,
);
writeFileSync(join(repoRoot, 'test-results', 'bench-ui.json'), json);
writeFileSync(join(repoRoot, 'test-results', `bench-ui-${size}.json`), json);
