/**
 * Web mode: opening manifests from the UI and exporting. A manifest file dropped on the window (a
 * DataTransfer built in the page) loads and its namespaces show on the graph; a typed server path
 * loads; a path that does not exist is refused with the reason; the namespace matrix downloads as CSV
 * and the selected policy's report as Markdown.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures.ts';

const DROPPED = `apiVersion: v1
kind: Namespace
metadata: { name: dropped-a }
---
apiVersion: v1
kind: Namespace
metadata: { name: dropped-b }
---
apiVersion: v1
kind: Pod
metadata: { name: api-0, namespace: dropped-a, labels: { app: api } }
spec: { containers: [{ name: c, image: x, ports: [{ containerPort: 80 }] }] }
status: { phase: Running, podIP: 10.9.0.1 }
---
apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: dropped-b, labels: { app: db } }
spec: { containers: [{ name: c, image: x, ports: [{ containerPort: 5432 }] }] }
status: { phase: Running, podIP: 10.9.0.2 }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-deny, namespace: dropped-b }
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

// It opens other sources: a server of its own, so later files still find the demo.
test.use({ ownServer: 'open-export' });

test('drop a file, export the matrix CSV and a policy report, refuse a bad path, open a typed one', async ({
  page,
  server,
  problems,
}) => {
  await page.goto(server.url);
  await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'demo');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');

  // Drop a manifest file on the window.
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped-app.yaml', { type: 'application/yaml' }));
    return dt;
  }, DROPPED);
  await page.dispatchEvent('[data-testid="graph-canvas"]', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('[data-testid="graph-canvas"]', 'dragover', { dataTransfer });
  await page.dispatchEvent('[data-testid="graph-canvas"]', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'dropped');
  await expect(page.getByTestId('source')).toContainText('dropped-app.yaml');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-namespaces', '2');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-pods', '2');
  await page.getByTestId('tab-namespaces').click();
  await expect(page.locator('[data-testid="namespace-row"][data-name="dropped-a"]')).toBeVisible();
  await expect(page.locator('[data-testid="namespace-row"][data-name="dropped-b"]')).toBeVisible();

  // Reload parses the same text again.
  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'dropped');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-namespaces', '2');

  // Export the matrix of the dropped source as CSV: a browser download.
  await page.getByTestId('stage-matrix').click();
  await expect(page.getByTestId('matrix')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-matrix-csv').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^namespace-matrix.*\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('from,to,state,allowed,denied,unknown,total,allowed_percent,probed_ports');
  // dropped-b denies all ingress: nothing from dropped-a reaches it; dropped-a is open.
  expect(lines.find((l) => l.startsWith('dropped-a,dropped-b,'))).toMatch(
    /^dropped-a,dropped-b,none,0,[1-9]\d*,0,/,
  );
  expect(lines.find((l) => l.startsWith('dropped-b,dropped-a,'))).toMatch(
    /^dropped-b,dropped-a,all,[1-9]\d*,0,0,/,
  );
  expect(lines.at(-1)).toBe('');
  await expect(page.getByTestId('export-matrix-csv-status')).toContainText('Downloaded');
  await page.screenshot({ path: join(repoRoot, 'test-results', 'open-export-matrix.png') });
  await page.getByTestId('stage-graph').click();

  // The selected policy's report, as Markdown.
  await page.getByTestId('tab-policies').click();
  await page.locator('[data-testid="policy-row"][data-key="dropped-b/db-deny"]').click();
  await expect(page.getByTestId('effect-denied')).toBeVisible();
  const [report] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-policy-report').click(),
  ]);
  expect(report.suggestedFilename()).toBe('policy-dropped-b-db-deny.md');
  const markdown = await readFile(await report.path(), 'utf8');
  expect(markdown).toContain('# NetworkPolicy dropped-b/db-deny');
  expect(markdown).toContain('Source: Dropped: dropped-app.yaml');
  expect(markdown).toContain('- Pods (1): `dropped-b/db-0`');
  expect(markdown).toContain('No rules: every direction it isolates is denied');
  const denied = (await page.getByTestId('effect-denied').textContent()) ?? '';
  expect(markdown).toContain(`| Denied by it | ${denied} |`);
  await expect(page.getByTestId('export-policy-report-status')).toHaveText(
    'Downloaded policy-dropped-b-db-deny.md',
  );
  await page.screenshot({ path: join(repoRoot, 'test-results', 'open-export-report.png') });
  await page.getByTestId('tab-namespaces').click();

  // A path that does not exist is refused, and the dropped source stays.
  await page.getByTestId('open-manifests').click();
  const dialog = page.getByTestId('open-manifests-dialog');
  await expect(page.getByTestId('open-path')).toBeFocused();
  const missing = join(repoRoot, 'test/e2e/no-such-folder');
  await page.getByTestId('open-path').fill(missing);
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('open-error')).toContainText(`Not found: ${missing}`);
  await page.screenshot({ path: join(repoRoot, 'test-results', 'open-export-dialog.png') });
  await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'dropped');

  // A folder on the server's machine loads.
  await page.getByTestId('open-path').fill(join(repoRoot, 'test/e2e/manifests'));
  await page.getByTestId('open-path-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'manifests');
  await expect(page.getByTestId('source')).toContainText('test/e2e/manifests');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await expect(page.locator('[data-testid="namespace-row"][data-name="shop"]')).toBeVisible();
  await page.screenshot({ path: join(repoRoot, 'test-results', 'open-export-path.png') });

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});
