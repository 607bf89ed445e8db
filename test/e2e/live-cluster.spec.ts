/**
 * Live clusters end to end: a real kube-apiserver + etcd (test/cluster/control-plane.ts), the web-mode
 * server reading its kubeconfig, and Chromium. Switching to the context shows the cluster; changes made
 * with kubectl appear without a reload; stopping the API server shows "Reconnecting since …" and
 * starting it again "Live"; a user who may not list NetworkPolicies gets the forbidden banner.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setPodIP, startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import type { Page } from '@playwright/test';
import { expect, repoRoot, startWebMode, test, watchProblems, type WebServerInfo } from './fixtures.ts';

const ADMIN_CONTEXT = 'netglass-test-admin';
const RESTRICTED_CONTEXT = 'netglass-test-restricted';
const shots = join(repoRoot, 'test-results');

let cp: ControlPlane;
let configDir: string;
const servers: { info: WebServerInfo; stop: () => Promise<void> }[] = [];

function kubectl(args: readonly string[], input?: string): string {
  return execFileSync(cp.kubectl ?? 'kubectl', ['--kubeconfig', cp.adminKubeconfig, ...args], {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(input !== undefined ? { input } : {}),
  });
}

function pod(namespace: string, name: string, labels: Record<string, string>, port: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: ${JSON.stringify(labels)}
spec:
  nodeName: fake-node
  containers:
    - name: main
      image: registry.invalid/${name}:1
      ports: [{ name: main, containerPort: ${port} }]
`;
}

/** Rendered positions of the pod nodes (the graph writes them on a `netglass:positions` event). */
async function renderedPodPositions(page: Page): Promise<Record<string, { x: number; y: number }>> {
  const canvas = page.getByTestId('graph-canvas');
  await canvas.evaluate((el) => el.dispatchEvent(new Event('netglass:positions')));
  const all = JSON.parse((await canvas.getAttribute('data-positions')) ?? '{}') as Record<
    string,
    { x: number; y: number }
  >;
  return Object.fromEntries(Object.entries(all).filter(([id]) => id.startsWith('pod:')));
}

async function webServer(kubeconfig: string): Promise<WebServerInfo> {
  const server = await startWebMode(['--kubeconfig', kubeconfig], { env: { XDG_CONFIG_HOME: configDir } });
  servers.push(server);
  return server.info;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  mkdirSync(shots, { recursive: true });
  configDir = mkdtempSync(join(tmpdir(), 'netglass-e2e-config-'));
  cp = await startControlPlane();
  kubectl(
    ['apply', '-f', '-'],
    [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { team: shop }\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: billing\n  labels: { team: billing }\n',
      pod('shop', 'web', { app: 'web', tier: 'front' }, 8080),
      pod('shop', 'api', { app: 'api', tier: 'back' }, 8080),
      pod('shop', 'db', { app: 'db', tier: 'data' }, 5432),
      pod('billing', 'ledger', { app: 'ledger' }, 9000),
    ].join('---\n'),
  );
  const ips: [string, string, string][] = [
    ['shop', 'web', '10.1.0.10'],
    ['shop', 'api', '10.1.0.11'],
    ['shop', 'db', '10.1.0.12'],
    ['billing', 'ledger', '10.1.1.10'],
  ];
  for (const [ns, name, ip] of ips) await setPodIP(cp.adminKubeconfig, ns, name, ip);
});

test.afterAll(async () => {
  for (const server of servers) await server.stop();
  await cp?.stop();
  if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
});

test('switching to a live context shows the cluster and follows kubectl, through an API server outage', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const problems = await watchProblems(page);
  const server = await webServer(cp.adminKubeconfig);
  await page.goto(server.url);
  await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'demo');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');

  // The picker: the demo and the kubeconfig's context, with the file it comes from.
  await page.getByTestId('source').click();
  const list = page.getByRole('listbox', { name: 'Sources' });
  await expect(list).toBeFocused();
  const option = list.locator(`[role="option"][data-context="${ADMIN_CONTEXT}"]`);
  await expect(option).toBeVisible();
  await expect(option).toHaveAttribute('data-file', cp.adminKubeconfig);
  await expect(option).toContainText(cp.apiserverUrl);
  await expect(option).toContainText('client certificate');
  await expect(option).toContainText('current');
  await expect(page.getByTestId('context-group')).toContainText(cp.adminKubeconfig);
  await page.screenshot({ path: join(shots, 'live-picker.png') });

  // Keyboard: down to the context, Enter.
  await page.keyboard.press('ArrowDown');
  await expect(list).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? '');
  await page.keyboard.press('Enter');
  await expect(list).toHaveCount(0);

  const source = page.getByTestId('source');
  const pill = page.getByTestId('connection-pill');
  await expect(source).toHaveAttribute('data-kind', 'cluster');
  await expect(source).toContainText(ADMIN_CONTEXT);
  await expect(page.getByTestId('source-server')).toHaveText(cp.apiserverUrl.replace(/^https?:\/\//, ''));
  await expect(pill).toHaveText('Live');
  await expect(page.locator('[data-testid="namespace-row"][data-name="shop"]')).toBeVisible();
  await expect(page.locator('[data-testid="namespace-row"][data-name="billing"]')).toBeVisible();
  await expect(page.getByTestId('count-pods')).toHaveText('4');
  await expect(page.getByTestId('count-policies')).toHaveText('0');
  const stats = page.getByTestId('graph-stats');
  await expect(stats).toHaveAttribute('data-pods', '4');
  await expect(stats).toHaveAttribute('data-layout', 'done');
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);

  // A change made with kubectl appears without a reload, and the pods on screen stay where they are.
  const before = await renderedPodPositions(page);
  kubectl(
    ['apply', '-f', '-'],
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-from-api
  namespace: shop
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ port: 5432 }]
---
${pod('shop', 'cache', { app: 'cache', tier: 'back' }, 6379)}`,
  );
  await setPodIP(cp.adminKubeconfig, 'shop', 'cache', '10.1.0.13');
  await expect(page.getByTestId('count-policies')).toHaveText('1');
  await expect(stats).toHaveAttribute('data-pods', '5');
  const after = await renderedPodPositions(page);
  expect(Object.keys(before).length).toBe(4);
  for (const [id, position] of Object.entries(before)) expect(after[id], id).toEqual(position);
  await page.getByTestId('tab-policies').click();
  await expect(page.locator('[data-testid="policy-row"][data-key="shop/db-from-api"]')).toBeVisible();
  await page.getByTestId('tab-pods').click();
  await expect(page.locator('[data-testid="pod-row"][data-key="shop/cache"]')).toBeVisible();
  await expect(stats).toHaveAttribute('data-layout', 'done');
  await page.screenshot({ path: join(shots, 'live-cluster.png') });

  // The API server goes away: the last snapshot stays, and the UI says since when.
  await cp.stopApiServer();
  await expect(pill).toHaveText(/^Reconnecting since \d\d:\d\d:\d\d$/, { timeout: 45_000 });
  const banner = page.getByTestId('banner-reconnecting');
  await expect(banner).toContainText(
    new RegExp(`Reconnecting to ${ADMIN_CONTEXT} since \\d\\d:\\d\\d:\\d\\d`),
  );
  await expect(page.getByTestId('count-pods')).toHaveText('5');
  await expect(stats).toHaveAttribute('data-pods', '5');
  await pill.click();
  const details = page.getByRole('dialog', { name: 'Connection details' });
  await expect(details).toContainText('Reconnecting');
  await expect(details.getByTestId('connection-file')).toHaveText(cp.adminKubeconfig);
  await page.screenshot({ path: join(shots, 'live-reconnecting.png') });
  await details.getByRole('button', { name: 'Close' }).click();

  // Back again: Live, the banner gone, and still following changes.
  await cp.startApiServer();
  await expect(pill).toHaveText('Live', { timeout: 60_000 });
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
  kubectl(['delete', 'pod', '-n', 'shop', 'cache', '--grace-period=0', '--force']);
  await expect(stats).toHaveAttribute('data-pods', '4');
  await page.screenshot({ path: join(shots, 'live-back.png') });

  expect(problems.pageErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});

test('a user who may not list NetworkPolicies sees which list is forbidden and names namespaces', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await watchProblems(page);
  const server = await webServer(cp.restrictedKubeconfig);
  await page.goto(server.url);
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await page.getByTestId('source').click();
  await page.locator(`[role="option"][data-context="${RESTRICTED_CONTEXT}"]`).click();

  await expect(page.getByTestId('source')).toContainText(RESTRICTED_CONTEXT);
  await expect(page.getByTestId('connection-pill')).toHaveText('Live · partial access');
  const banner = page.getByTestId('banner-forbidden');
  await expect(banner).toContainText(
    'Your user may not list NetworkPolicies cluster-wide: connections that depend on them show as unknown.',
  );
  // Namespaces and pods are readable: the cluster is shown, never a blank screen.
  await expect(page.getByTestId('count-pods')).toHaveText('4');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-pods', '4');
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await page.screenshot({ path: join(shots, 'live-forbidden.png') });

  const input = banner.getByLabel('Namespaces you can read');
  await input.fill('shop, Billing!');
  await banner.getByRole('button', { name: 'Watch these namespaces' }).click();
  await expect(banner.getByTestId('namespaces-problem')).toContainText('"Billing!"');

  await input.fill('shop billing');
  await input.press('Enter');
  // Watched one namespace at a time: still forbidden there, and said so per namespace.
  await expect(page.getByTestId('banner-forbidden')).toContainText(
    'Your user may not list NetworkPolicies cluster-wide, nor in namespaces shop, billing: connections',
  );
  await expect(page.getByTestId('connection-pill')).toHaveText('Live · partial access');
  // Remembered for the context (the Node side's preferences), and filled in again.
  await expect(page.getByTestId('namespaces-input')).toHaveValue('shop, billing');
  const prefs = readFileSync(join(configDir, 'netglass', 'preferences.json'), 'utf8');
  expect(JSON.parse(prefs)).toEqual({ namespacesByContext: { [RESTRICTED_CONTEXT]: ['shop', 'billing'] } });
  await page.screenshot({ path: join(shots, 'live-forbidden-namespaces.png') });

  expect(problems.pageErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});

test('a drafted policy reaches the cluster only through a server-side dry-run and a confirmation', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await watchProblems(page);
  const server = await webServer(cp.adminKubeconfig);
  await page.goto(server.url);
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await page.getByTestId('source').click();
  await page.locator(`[role="option"][data-context="${ADMIN_CONTEXT}"]`).click();
  await expect(page.getByTestId('connection-pill')).toHaveText('Live');

  await page.getByTestId('new-policy').click();
  await page.getByTestId('chooser-namespace').selectOption('billing');
  await page.getByTestId('template:default-deny-ingress').click();
  const editor = page.getByTestId('policy-editor');
  await expect(editor.getByTestId('apply-actions')).toBeVisible();

  // Apply stays disabled until this very version went through a dry-run.
  await expect(editor.getByTestId('apply')).toBeDisabled();
  await editor.getByTestId('dry-run').click();
  await expect(editor.getByTestId('dry-run-result')).toContainText('The server would create billing/');
  expect(kubectl(['get', 'networkpolicies', '-n', 'billing', '-o', 'name'])).toBe('');

  await editor.getByTestId('apply').click();
  const dialog = page.getByTestId('apply-dialog');
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: join(shots, 'live-apply-confirm.png') });
  await dialog.getByTestId('confirm-apply').click();
  await expect(editor.getByTestId('apply-result')).toContainText(`Created billing/`);
  await expect(editor.getByTestId('apply-result')).toContainText(`on ${ADMIN_CONTEXT}`);

  // On the server, and back through the watch into the view.
  expect(kubectl(['get', 'networkpolicies', '-n', 'billing', '-o', 'name']).trim()).toMatch(
    /^networkpolicy\.networking\.k8s\.io\/default-deny-ingress/,
  );
  await expect(page.getByTestId('count-policies')).toHaveText('2');

  expect(problems.pageErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});
