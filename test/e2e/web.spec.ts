import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures.ts';

const DEMO = {
  namespaces: ['analytics', 'billing', 'identity', 'kube-system', 'monitoring', 'shop'],
  pods: 27,
  policies: 8,
};

test.describe('web mode with the demo cluster', () => {
  test('shows the demo namespaces and pods in the side panel and in the graph', async ({
    page,
    server,
    problems,
  }) => {
    await page.goto(server.url);

    await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'demo');
    await expect(page.getByTestId('count-namespaces')).toHaveText(String(DEMO.namespaces.length));
    await expect(page.getByTestId('count-pods')).toHaveText(String(DEMO.pods));
    await expect(page.getByTestId('count-policies')).toHaveText(String(DEMO.policies));
    for (const ns of DEMO.namespaces) {
      await expect(page.locator(`[data-testid="namespace-row"][data-name="${ns}"]`)).toBeVisible();
    }

    // What cytoscape actually holds, once the layout has finished.
    const stats = page.getByTestId('graph-stats');
    await expect(stats).toHaveAttribute('data-layout', 'done');
    await expect(stats).toHaveAttribute('data-namespaces', String(DEMO.namespaces.length));
    await expect(stats).toHaveAttribute('data-pods', String(DEMO.pods));
    await expect(page.locator('[data-testid="graph-canvas"] canvas').first()).toBeVisible();

    await page.getByTestId('tab-pods').click();
    await expect(page.getByTestId('pod-row')).toHaveCount(DEMO.pods);
    await page.getByTestId('tab-policies').click();
    await expect(page.getByTestId('policy-row')).toHaveCount(DEMO.policies);
    await expect(
      page.locator('[data-testid="policy-row"][data-key="billing/deny-restricted-egress"]'),
    ).toContainText('Denies all egress');
    await expect(
      page.locator('[data-testid="policy-row"][data-key="shop/storefront-egress-only"]'),
    ).toContainText('Ingress rules ignored');
    await page.getByTestId('tab-namespaces').click();

    // The demo's one load note, with file:line.
    await expect(page.getByTestId('issues')).toHaveAttribute('data-count', '1');
    await page.getByTestId('issues').click();
    await expect(page.getByTestId('issues-list')).toContainText(/demo-cluster\.yaml:\d+/);
    await expect(page.getByTestId('issues-list')).toContainText('NetworkPolicy shop/storefront-egress-only');
    await page.screenshot({ path: join(repoRoot, 'test-results', 'web-demo-issues.png') });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('issues-list')).toHaveCount(0);

    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'web-demo.png') });

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('selecting a pod in the panel selects it in the graph and shows its details', async ({
    page,
    server,
    problems,
  }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
    await page.getByTestId('tab-pods').click();
    const row = page.locator('[data-testid="pod-row"][data-key="identity/users-db-0"]');
    await row.click();
    await expect(row).toHaveAttribute('aria-pressed', 'true');
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toContainText('users-db-0');
    await expect(inspector).toContainText('mysql 3306/TCP');
    await expect(inspector).toContainText('demo-cluster.yaml:');

    await page.getByTestId('tab-policies').click();
    await page.locator('[data-testid="policy-row"][data-key="identity/microsvc-users-api-allow"]').click();
    await expect(inspector).toContainText('service.corp/users-api-role=api');
    await page.screenshot({ path: join(repoRoot, 'test-results', 'web-demo-selection.png') });

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('the server refuses pages without the token, other Host headers and path traversal', async ({
    request,
    server,
  }) => {
    const noToken = await request.get(`${server.origin}/`);
    expect(noToken.status()).toBe(403);
    const wrongToken = await request.get(`${server.origin}/?token=${'A'.repeat(server.token.length)}`);
    expect(wrongToken.status()).toBe(403);
    const ok = await request.get(server.url);
    expect(ok.status()).toBe(200);
    expect(ok.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(ok.headers()['x-content-type-options']).toBe('nosniff');
    expect(ok.headers()['referrer-policy']).toBe('no-referrer');
    expect(ok.headers()['cache-control']).toBe('no-store');

    const rebound = await request.get(server.url, { headers: { Host: 'attacker.example' } });
    expect(rebound.status()).toBe(403);
    const traversal = await request.get(`${server.origin}/assets/..%2f..%2fpackage.json`);
    expect([400, 403, 404]).toContain(traversal.status());
  });

  test('a WebSocket without the right token is refused (origin checks: unit tests)', async ({
    page,
    server,
  }) => {
    await page.goto(server.url);
    const results = await page.evaluate(async (token) => {
      const tryOpen = (url: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        });
      const base = `ws://${location.host}/api`;
      return {
        withoutToken: await tryOpen(base),
        wrongToken: await tryOpen(`${base}?token=nope`),
        withToken: await tryOpen(`${base}?token=${token}`),
      };
    }, server.token);
    expect(results).toEqual({ withoutToken: 'refused', wrongToken: 'refused', withToken: 'open' });
  });
});
