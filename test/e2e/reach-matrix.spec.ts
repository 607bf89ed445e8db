/**
 * Reach near misses, named ports and the open-ports list; the matrix's natural order, "<1%", paging
 * and the denying policy of a "none" cell; keyboard focus rings and an axe-core scan of the main
 * screens (zero serious or critical violations).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, repoRoot, startWebMode, test } from './fixtures.ts';

const SHOTS = join(repoRoot, 'test-results');
const CHECKOUT = 'shop/checkout-cjbhgdflmb-dxmvt';
const PAYMENTS = 'billing/payments-rdhsjbrgkt-ztx8s';

async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${screen}: ${v.id} (${v.impact ?? ''}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

async function pickEnds(page: Page, from: string, to: string): Promise<void> {
  await page.getByTestId('open-reach').click();
  await page.getByTestId('reach-from').fill(from);
  await page.getByTestId('reach-from').press('Enter');
  await page.getByTestId('reach-to').fill(to);
  await page.getByTestId('reach-to').press('Enter');
}

test.describe('reach on the demo', () => {
  test('a denied connection names the rule that nearly allows it; named ports; open ports', async ({
    page,
    server,
    problems,
  }) => {
    mkdirSync(SHOTS, { recursive: true });
    await page.goto(server.url);
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
    await pickEnds(page, CHECKOUT, PAYMENTS);

    await page.getByTestId('reach-port').fill('443');
    await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'denied');
    const miss = page.getByTestId('side-ingress').getByTestId('near-miss');
    await expect(miss).toHaveCount(1);
    await expect(miss).toHaveAttribute('data-missed', 'port');
    await expect(miss).toHaveText(
      `billing/payments-allow-checkout ingress[0] from[0] matches ${CHECKOUT} but allows only TCP https (TCP 8443 on the destination)`,
    );

    // All ports: the one open port, and a click puts it in the field.
    const open = page.getByTestId('open-ports');
    await expect(open).toHaveAttribute('data-open', '1');
    await expect(open.getByTestId('open-port')).toHaveText(['TCP 8443']);
    await expect(page.getByTestId('open-ports-note')).toContainText('probed ports open');
    await page.screenshot({ path: join(SHOTS, 'reach-near-miss.png') });
    await open.getByTestId('open-port').click();
    await expect(page.getByTestId('reach-port')).toHaveValue('8443');
    await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'allowed');

    // A container port name resolves on the destination, as `netglass check --port https` does.
    await page.getByTestId('reach-port').fill('https');
    await expect(page.getByTestId('reach-port-resolved')).toHaveText('https is TCP 8443 on the destination.');
    await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'allowed');
    await page.getByTestId('reach-port').fill('metrics');
    await expect(page.getByTestId('reach-port-error')).toHaveText(
      `${PAYMENTS} declares no container port named metrics.`,
    );
    await page.screenshot({ path: join(SHOTS, 'reach-named-port.png') });

    // The other way round checkout is not isolated for ingress: every probe is open, and the stand-ins
    // say what they stand for.
    await page.getByLabel('Swap source and destination').click();
    await expect(page.getByTestId('open-ports')).not.toHaveAttribute('data-open', '1');
    await expect(page.getByTestId('open-ports')).toContainText('any other port');
    await expect(page.getByTestId('open-ports')).not.toContainText('TCP 1');
    await page.screenshot({ path: join(SHOTS, 'reach-open-ports.png') });

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });

  test('keyboard focus is visible, and axe finds no serious violation on the main screens', async ({
    page,
    server,
    problems,
  }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');

    // Tab to the first header button: its outline is drawn (not none, not zero width).
    const focusedOutline = async (): Promise<string> =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!(el instanceof HTMLElement)) return 'none';
        const s = getComputedStyle(el);
        return `${s.outlineStyle} ${s.outlineWidth}`;
      });
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await focusedOutline()).toBe('solid 2px');
    await page.getByTestId('stage-matrix').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedOutline()).toBe('solid 2px');
    await page.screenshot({ path: join(SHOTS, 'focus-ring.png') });

    const found: string[] = [];
    found.push(...(await seriousViolations(page, 'graph')));
    await pickEnds(page, CHECKOUT, PAYMENTS);
    await page.getByTestId('reach-port').fill('443');
    await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'denied');
    found.push(...(await seriousViolations(page, 'reach')));
    await page.getByLabel('Close reach check').click();
    await page.getByTestId('stage-matrix').click();
    await expect(page.getByTestId('matrix')).toBeVisible();
    found.push(...(await seriousViolations(page, 'matrix')));
    await page.locator('[data-theme-choice="dark"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    found.push(...(await seriousViolations(page, 'matrix, dark')));
    await page.getByTestId('stage-graph').click();
    await pickEnds(page, CHECKOUT, PAYMENTS);
    await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'denied');
    found.push(...(await seriousViolations(page, 'reach, dark')));
    await page.locator('[data-theme-choice="light"]').click();
    expect(found).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });
});

/** 45 namespaces app-0 … app-44 (more than a page), one pod each; app-1 denies all ingress. */
function manyNamespaces(): string {
  const docs: string[] = [];
  for (let i = 0; i < 45; i++) {
    docs.push(`apiVersion: v1
kind: Namespace
metadata:
  name: app-${i}`);
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: app-${i}
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx`);
  }
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: app-1
spec:
  podSelector: {}
  policyTypes: [Ingress]`);
  // app-2 opens one port of the 121 that app-3's policy names: app-0 -> app-2 is "some", under 1 %.
  const many = Array.from({ length: 120 }, (_, k) => `        - port: ${1000 + k}`).join('\n');
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-80
  namespace: app-2
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: 80`);
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: many-ports
  namespace: app-3
spec:
  podSelector: {}
  ingress:
    - ports:
${many}`);
  return `${docs.join('\n---\n')}\n`;
}

// Outside test-results, which Playwright empties when the run starts.
const MANY = join(tmpdir(), `netglass-e2e-many-namespaces-${process.getuid?.() ?? 0}.yaml`);
writeFileSync(MANY, manyNamespaces());

test.describe('the matrix with many namespaces', () => {
  // A server of its own (a describe-level `webServerArgs` would need a worker of its own).
  let many: Awaited<ReturnType<typeof startWebMode>> | undefined;
  test.beforeAll(async () => {
    many = await startWebMode(['--manifests', MANY]);
  });
  test.afterAll(async () => {
    await many?.stop();
  });

  test('natural order, paging instead of a cut, "<1%", and who denies a "none" cell', async ({
    page,
    problems,
  }) => {
    await page.goto(many?.info.url ?? '');
    await page.getByTestId('stage-matrix').click();
    const rowNames = page.locator('[data-testid="matrix"] th.matrix-row');
    await expect(rowNames).toHaveCount(40);
    await expect(rowNames.nth(0)).toHaveText('app-0');
    await expect(rowNames.nth(2)).toHaveText('app-2');
    await expect(rowNames.nth(10)).toHaveText('app-10');
    await expect(page.getByTestId('matrix-rows-pager')).toContainText('Rows 1–40 of 45');

    // The probes are explained, and a "some" cell never reads 0 %.
    await expect(page.getByTestId('matrix-probes')).toContainText('probed ports');
    const some = page.locator('[data-testid="matrix-cell"][data-from="app-0"][data-to="app-2"]');
    await expect(some).toHaveAttribute('data-coverage', 'some');
    await expect(some).toHaveText('<1%');

    // A "none" cell names the denying policy.
    const none = page.locator('[data-testid="matrix-cell"][data-from="app-0"][data-to="app-1"]');
    await expect(none).toHaveAttribute('data-coverage', 'none');
    await none.click();
    await expect(page.getByTestId('matrix-denial')).toHaveText(
      'Denied by ingress isolation by app-1/default-deny with no rule that matches (default deny).',
    );
    await page.screenshot({ path: join(SHOTS, 'matrix-many.png') });

    // The rest is a page away.
    await page.getByLabel('Next rows').click();
    await expect(rowNames).toHaveCount(5);
    await expect(rowNames.nth(4)).toHaveText('app-44');
    await page.getByLabel('Next columns').click();
    await expect(page.locator('[data-testid="matrix"] th.matrix-col')).toHaveCount(5);
    await page.screenshot({ path: join(SHOTS, 'matrix-many-page-2.png') });

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });
});
