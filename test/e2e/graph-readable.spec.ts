/**
 * The graph read as a user reads it (issue 12, items 4 and 5): on the 27-pod demo a small policy's
 * peers are drawn pod to pod and lit, a selection brings its subjects and peers into view, and on a
 * cluster big enough to collapse namespaces the overview names them and a selection's merged edges
 * are counted and wide enough to see. What the canvas shows is read from `data-drawn`, which the graph
 * writes on a `netglass:positions` event (a canvas has no DOM). The screenshots land in docs/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { generateCluster, writeManifests } from '../bench/generate.ts';
import { expect, repoRoot, startWebMode, test } from './fixtures.ts';
import { cliPolicy, openApp } from './policy-helpers.ts';

const DEMO_YAML = join(repoRoot, 'shared/demo/demo-cluster.yaml');
const DOCS = join(repoRoot, 'docs');

interface Drawn {
  /** [source, target, class, width on screen in px, pairs of pods it stands for] */
  readonly edges: readonly (readonly [string, string, string, number, number])[];
  readonly dimmed: readonly string[];
  /** Namespace boxes (and the outside-the-cluster box) on screen: [id, x1, y1, x2, y2]. */
  readonly boxes: readonly (readonly [string, number, number, number, number])[];
  readonly lit: readonly string[];
  readonly zoom: number;
  readonly animating: boolean;
}

async function drawn(
  page: Page,
): Promise<{ drawn: Drawn; positions: Record<string, { x: number; y: number }> }> {
  const canvas = page.getByTestId('graph-canvas');
  await canvas.evaluate((el) => el.dispatchEvent(new Event('netglass:positions')));
  return {
    drawn: JSON.parse((await canvas.getAttribute('data-drawn')) ?? '{}') as Drawn,
    positions: JSON.parse((await canvas.getAttribute('data-positions')) ?? '{}') as Record<
      string,
      { x: number; y: number }
    >,
  };
}

/** Waits until the viewport has stopped moving (a selection's fit is animated). */
async function settled(page: Page): Promise<Drawn> {
  let last = '';
  await expect
    .poll(
      async () => {
        const { drawn: d } = await drawn(page);
        const now = `${d.animating}:${d.zoom}`;
        const still = !d.animating && now === last;
        last = now;
        return still;
      },
      { intervals: [150, 150, 250, 400] },
    )
    .toBe(true);
  return (await drawn(page)).drawn;
}

async function selectPolicy(page: Page, key: string): Promise<void> {
  await page.getByTestId('tab-policies').click();
  await page.locator(`[data-testid="policy-row"][data-key="${key}"]`).click();
  const stats = page.getByTestId('graph-stats');
  await expect(stats).toHaveAttribute('data-selection', JSON.stringify({ kind: 'policy', key }));
  await expect(stats).toHaveAttribute('data-shown', 'full');
}

function inside(
  canvas: { width: number; height: number },
  points: readonly ({ x: number; y: number } | undefined)[],
): boolean {
  return points.every(
    (p) => p !== undefined && p.x >= 0 && p.y >= 0 && p.x <= canvas.width && p.y <= canvas.height,
  );
}

test.describe('the demo graph, readable', () => {
  test('a policy with few peers shows who may connect, pod by pod, the clients lit', async ({
    page,
    server,
    problems,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await openApp(page, server.url);
    const key = 'identity/microsvc-users-api-allow';
    const cli = cliPolicy(DEMO_YAML, key);
    await selectPolicy(page, key);
    const d = await settled(page);
    const flowing = d.edges.filter((e) => e[2] === 'flowing');
    // One port (TCP 8080): one edge per permitted connection, each from a client pod to an api pod.
    expect(flowing).toHaveLength(cli.counts.permittedFlowing);
    const subjects = new Set(cli.selects.map((p) => `pod:${p}`));
    expect(flowing.every(([, target]) => subjects.has(target))).toBe(true);
    const clients = [...new Set(flowing.map(([source]) => source))];
    expect(clients).toHaveLength(8);
    expect(clients.every((c) => c.startsWith('pod:'))).toBe(true);
    // The clients are lit, not dimmed; pods the policy does not concern are.
    for (const c of clients) expect(d.dimmed).not.toContain(c);
    expect(d.dimmed.length).toBeGreaterThan(0);
    // Denials stay merged per namespace, and the stats line says so.
    expect(d.edges.some(([source, , cls]) => cls === 'denied' && source.startsWith('ns:'))).toBe(true);
    await expect(page.getByTestId('graph-stats')).toContainText('denied merged per namespace');
    await page.screenshot({ path: join(DOCS, 'graph-demo.png') });
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });

  test('selecting a policy, a pod or a reach pair brings its subjects and peers into view', async ({
    page,
    server,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await openApp(page, server.url);
    const canvas = page.getByTestId('graph-canvas');
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('no graph canvas');
    const size = { width: box.width, height: box.height };
    // The user zooms far into the part of the graph farthest from `targets`: they end up off screen.
    const zoomAwayFrom = async (targets: readonly string[]): Promise<void> => {
      const { positions } = await drawn(page);
      let spot = { x: 20, y: 20 };
      let best = -1;
      for (const p of Object.values(positions)) {
        if (!inside(size, [p])) continue;
        const gap = Math.min(
          ...targets.map((t) => {
            const q = positions[t];
            return q === undefined ? Infinity : Math.hypot(q.x - p.x, q.y - p.y);
          }),
        );
        if (gap > best) {
          best = gap;
          spot = p;
        }
      }
      await page.mouse.move(box.x + spot.x, box.y + spot.y);
      for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -400);
      await settled(page);
    };
    /** Whether every node of `ids` is on screen once the viewport has stopped moving. */
    const inView = async (ids: readonly string[]): Promise<boolean> => {
      await settled(page);
      const { positions } = await drawn(page);
      return inside(
        size,
        ids.map((id) => positions[id]),
      );
    };
    const payments = ['pod:billing/payments-rdhsjbrgkt-ztx8s', 'pod:billing/payments-rdhsjbrgkt-lt54d'];
    const checkout = ['pod:shop/checkout-cjbhgdflmb-dxmvt', 'pod:shop/checkout-cjbhgdflmb-mzdfv'];

    await zoomAwayFrom([...payments, ...checkout]);
    const before = await drawn(page);
    expect(
      inside(
        size,
        [...payments, ...checkout].map((id) => before.positions[id]),
      ),
    ).toBe(false);
    await selectPolicy(page, 'billing/payments-allow-checkout');
    await settled(page);
    const policy = await drawn(page);
    const peers = [...new Set(policy.drawn.edges.map(([s]) => s))];
    expect(peers.sort()).toEqual([...checkout].sort());
    // The view follows the selection once the user's wheel zoom has come to rest.
    await expect.poll(() => inView([...payments, ...checkout])).toBe(true);

    await page.getByTestId('tab-pods').click();
    await page.getByTestId('graph-canvas').click({ position: { x: 5, y: size.height - 5 } });
    await zoomAwayFrom([...payments, ...checkout]);
    await page.locator('[data-testid="pod-row"][data-key="billing/payments-rdhsjbrgkt-ztx8s"]').click();
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-shown', 'full');
    await settled(page);
    const pod = await drawn(page);
    const ends = [...new Set(pod.drawn.edges.flatMap(([s, t]) => [s, t]))].filter((id) =>
      id.startsWith('pod:'),
    );
    expect(ends).toContain(payments[0]);
    await expect.poll(() => inView(ends)).toBe(true);

    await page.getByTestId('graph-canvas').click({ position: { x: 5, y: size.height - 5 } });
    await zoomAwayFrom(['pod:analytics/dashboard-slnmgrljfl-lg9rw', payments[1] ?? '']);
    await page.getByTestId('open-reach').click();
    await page.getByTestId('reach-from').fill('analytics/dashboard-slnmgrljfl-lg9rw');
    await page.getByTestId('reach-from').press('Enter');
    await page.getByTestId('reach-to').fill('billing/payments-rdhsjbrgkt-lt54d');
    await page.getByTestId('reach-to').press('Enter');
    await page.getByTestId('reach-port').fill('8443');
    await expect(page.getByTestId('reach-verdict')).toBeVisible();
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-shown', 'full');
    await settled(page);
    const reach = await drawn(page);
    expect(reach.drawn.edges).toHaveLength(1);
    const [from, to] = reach.drawn.edges[0] ?? [];
    await expect.poll(() => inView([from ?? '', to ?? ''])).toBe(true);
  });
});

test('opening and closing the policy editor keeps what was on screen in view, as a panel does', async ({
  page,
  server,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page, server.url);
  const canvas = page.getByTestId('graph-canvas');
  const size = async (): Promise<{ width: number; height: number }> => {
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('no graph canvas');
    return { width: box.width, height: box.height };
  };
  const onScreen = async (): Promise<string[]> => {
    await settled(page);
    const { positions } = await drawn(page);
    const now = await size();
    return Object.entries(positions)
      .filter(([, p]) => inside(now, [p]))
      .map(([id]) => id)
      .sort();
  };
  // The user zooms in (the toolbar's button: a wheel would count as a gesture still going on): the
  // view is no longer the fitted one, so a resize does not simply refit it.
  const before = await size();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  const seen = await onScreen();
  expect(seen.length).toBeGreaterThan(4);

  await page.getByTestId('new-policy').click();
  await expect(page.getByTestId('new-policy-chooser')).toBeVisible();
  await expect.poll(async () => (await size()).width).toBeLessThan(before.width * 0.7);
  await expect.poll(onScreen).toEqual(expect.arrayContaining(seen));

  await page.getByRole('button', { name: 'Close the policy editor' }).click();
  await expect(page.getByTestId('new-policy-chooser')).toBeHidden();
  await expect.poll(async () => (await size()).width).toBeGreaterThan(before.width * 0.9);
  await expect.poll(onScreen).toEqual(expect.arrayContaining(seen));
});

test('after grouping replicas or hiding system namespaces the boxes are laid out afresh, none overlapping', async ({
  page,
  server,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(server.url);
  const stats = page.getByTestId('graph-stats');
  await expect(stats).toHaveAttribute('data-layout', 'done');
  const overlaps = async (): Promise<string[]> => {
    const d = await settled(page);
    const found: string[] = [];
    for (const [i, a] of d.boxes.entries())
      for (const b of d.boxes.slice(i + 1))
        if (a[1] < b[3] && b[1] < a[3] && a[2] < b[4] && b[2] < a[4]) found.push(`${a[0]} × ${b[0]}`);
    return found;
  };
  expect(await overlaps()).toEqual([]);
  await page.getByTestId('toggle-grouping').click();
  await expect(stats).not.toHaveAttribute('data-workloads', '0');
  await expect(stats).toHaveAttribute('data-layout', 'done');
  expect(await overlaps()).toEqual([]);
  await page.getByTestId('tab-namespaces').click();
  await page.getByTestId('hide-system').click();
  await expect(stats).toHaveAttribute('data-namespaces', '5');
  await expect(stats).toHaveAttribute('data-layout', 'done');
  expect(await overlaps()).toEqual([]);
  await page.getByTestId('show-all').click();
  await page.getByTestId('toggle-grouping').click();
  await expect(stats).toHaveAttribute('data-workloads', '0');
});

test('at scale: collapsed namespaces named at the fitted zoom, a selection’s merged edges counted and visible', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'netglass-readable-'));
  writeManifests(generateCluster({ seed: 11, namespaces: 320, pods: 6400, policies: 900 }), dir);
  const web = await startWebMode(['--manifests', dir]);
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(web.info.url);
    const stats = page.getByTestId('graph-stats');
    await expect(page.getByTestId('analysis-status')).toHaveAttribute('data-state', 'ready', {
      timeout: 120_000,
    });
    await expect(stats).toHaveAttribute('data-layout', 'done');
    expect(Number(await stats.getAttribute('data-collapsed'))).toBeGreaterThan(200);
    const overview = await settled(page);
    // Collapsed namespaces carry their name in a 32 px font: drawn (cytoscape leaves out labels under
    // 5 px on screen) and legible at the zoom that fits the graph.
    expect(overview.zoom * 32).toBeGreaterThanOrEqual(6);

    await page.getByTestId('tab-policies').click();
    await page.getByPlaceholder(/Filter policies/).fill('allow-team');
    // The first team policy whose peers exist (a generated team may have no api pods).
    let key = '';
    for (let i = 0; i < 8 && Number(await stats.getAttribute('data-edges')) === 0; i++) {
      const row = page.getByTestId('policy-row').nth(i);
      key = (await row.getAttribute('data-key')) ?? '';
      await row.click();
      await expect(stats).toHaveAttribute('data-selection', JSON.stringify({ kind: 'policy', key }));
      await expect(stats).toHaveAttribute('data-shown', 'full', { timeout: 60_000 });
    }
    const d = await settled(page);
    expect(d.edges.length).toBeGreaterThan(0);
    // Not hairlines: every edge at least 1.5 px wide on screen, whatever the zoom.
    for (const e of d.edges) expect(e[3]).toBeGreaterThanOrEqual(1.5);
    // Merged edges between collapsed namespaces, each counting the pod pairs it stands for.
    expect(d.edges.every((e) => e[4] >= 1)).toBe(true);
    expect(d.edges.some((e) => e[4] > 1)).toBe(true);
    expect(d.edges.some(([s, t]) => s.startsWith('ns:') || t.startsWith('ns:'))).toBe(true);
    await page.screenshot({ path: join(repoRoot, 'test-results', 'graph-readable-scale.png') });
  } finally {
    await web.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
