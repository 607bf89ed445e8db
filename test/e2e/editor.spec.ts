/**
 * The policy editor end to end, web mode on the demo: each of the seed's four example policies is
 * built through the form alone (clicks and typing), its YAML must be the template's object exactly,
 * and the what-if counts must equal `netglass diff --apply` on the same policy. A ClusterNetworkPolicy
 * drafted from a template gets the same check, before and after its rules change order.
 */
import type { Page } from '@playwright/test';
import { parse } from 'yaml';
import {
  clusterDraftToYaml,
  clusterTemplateById,
  draftToManifest,
  draftToYaml,
  templateById,
} from '../../shared/editor/index.ts';
import { expect, test } from './fixtures.ts';
import { cliDiffCounts, openApp } from './policy-helpers.ts';

const field = (page: Page, path: string) => page.locator(`[data-field="${path}"]`);
const choose = (page: Page, path: string, value: string) =>
  page.locator(`[data-choice="${path}"] [data-value="${value}"]`).click();

async function addLabel(page: Page, selector: string, index: number, key: string, value: string) {
  await page.getByTestId(`add-label:${selector}`).click();
  await field(page, `${selector}.matchLabels[${index}].key`).fill(key);
  await field(page, `${selector}.matchLabels[${index}].value`).fill(value);
}

interface Case {
  readonly template: string;
  readonly namespace: string;
  readonly build: (page: Page) => Promise<void>;
}

const CASES: readonly Case[] = [
  {
    template: 'microsvc-users-api-allow',
    namespace: 'shop',
    build: async (page) => {
      await field(page, 'name').fill('microsvc-users-api-allow');
      await addLabel(page, 'podSelector', 0, 'service.corp/users-api-role', 'api');
      await field(page, 'policyTypes.egress').uncheck();
      await page.getByTestId('add-ingress-rule').click();
      await choose(page, 'ingress[0].peers', 'some');
      await choose(page, 'ingress[0].peers[0].namespaces', 'all');
      await choose(page, 'ingress[0].peers[0].pods', 'labels');
      await field(page, 'ingress[0].peers[0].pods.matchLabels[0].key').fill('service.corp/users-api-role');
      await field(page, 'ingress[0].peers[0].pods.matchLabels[0].value').fill('client');
      await choose(page, 'ingress[0].ports', 'some');
      await field(page, 'ingress[0].ports[0].port').fill('8080');
    },
  },
  {
    template: 'database-access-api-only',
    namespace: 'billing',
    build: async (page) => {
      await field(page, 'name').fill('database-access-api-only');
      await addLabel(page, 'podSelector', 0, 'tier', 'database');
      await field(page, 'policyTypes.egress').uncheck();
      await page.getByTestId('add-ingress-rule').click();
      await choose(page, 'ingress[0].peers', 'some');
      await choose(page, 'ingress[0].peers[0].pods', 'labels');
      await field(page, 'ingress[0].peers[0].pods.matchLabels[0].key').fill('tier');
      await field(page, 'ingress[0].peers[0].pods.matchLabels[0].value').fill('api');
      await choose(page, 'ingress[0].ports', 'some');
      await field(page, 'ingress[0].ports[0].port').fill('3306');
    },
  },
  {
    template: 'disable-ingress-rules',
    namespace: 'identity',
    build: async (page) => {
      await field(page, 'name').fill('storefront-egress-only');
      await addLabel(page, 'podSelector', 0, 'app', 'storefront');
      await page.getByTestId('add-ingress-rule').click();
      await choose(page, 'ingress[0].peers', 'some');
      await choose(page, 'ingress[0].peers[0].kind', 'ipBlock');
      await field(page, 'ingress[0].peers[0].cidr').fill('203.0.113.0/24');
      await choose(page, 'ingress[0].ports', 'some');
      await field(page, 'ingress[0].ports[0].port').fill('8080');
      // Ingress only, then the one-click "disable ingress rules": Egress only plus an allow-all egress rule.
      await field(page, 'policyTypes.egress').uncheck();
      await page.getByTestId('disable-ingress').click();
    },
  },
  {
    template: 'deny-restricted-egress',
    namespace: 'shop',
    build: async (page) => {
      await field(page, 'name').fill('deny-restricted-egress');
      await addLabel(page, 'podSelector', 0, 'access', 'restricted');
      await page.getByTestId('deny-all-egress').click();
    },
  },
];

/** `netglass diff --manifests <demo> --apply <name>.yaml`: the counts the what-if must show. */
const cliCounts = (yamlText: string, name: string) =>
  cliDiffCounts('shared/demo/demo-cluster.yaml', yamlText, `${name}.yaml`);

test('builds the seed’s four policies through the form; YAML and what-if match the library and the CLI', async ({
  page,
  server,
  problems,
}) => {
  test.setTimeout(120_000);
  await openApp(page, server.url);
  await page.getByTestId('new-policy').click();
  for (const c of CASES) {
    const template = templateById(c.template);
    if (template === undefined) throw new Error(`no template ${c.template}`);
    const intended = template.create(c.namespace);
    await expect(page.getByTestId('new-policy-chooser')).toBeVisible();
    await page.getByTestId('chooser-namespace').selectOption(c.namespace);
    await page.getByTestId('new-blank').click();
    await c.build(page);

    await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-errors', '0');
    // Retried, since the last click may still be rendering when the summary already reads valid.
    await expect(page.getByTestId('yaml-text')).toHaveValue(draftToYaml(intended));
    const yamlText = await page.getByTestId('yaml-text').inputValue();
    expect(parse(yamlText)).toEqual(draftToManifest(intended));

    const counts = cliCounts(yamlText, intended.name);
    const whatIf = page.getByTestId('whatif');
    await expect(whatIf).toHaveAttribute('data-status', 'ready');
    await expect(whatIf).toHaveAttribute('data-added', String(counts['added']));
    await expect(whatIf).toHaveAttribute('data-removed', String(counts['removed']));
    await expect(whatIf).toHaveAttribute('data-unchanged', String(counts['unchanged']));
    if ((counts['added'] ?? 0) + (counts['removed'] ?? 0) > 0) {
      await expect(page.getByTestId('graph-stats')).not.toHaveAttribute('data-edges', '0');
      await page.getByTestId('only-changes').check();
    }
    await page.waitForTimeout(300);
    await page.screenshot({ path: `test-results/editor-${c.template}.png` });
    if ((counts['added'] ?? 0) + (counts['removed'] ?? 0) > 0)
      await page.getByTestId('only-changes').uncheck();
    await page.getByTestId('delete-draft').click();
  }
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
});

test('shows a YAML error at its line and the chooser of templates', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await page.getByTestId('new-policy').click();
  await page.screenshot({ path: 'test-results/editor-chooser.png' });
  await page.getByTestId('template:allow-dns-egress').click();
  const text = page.getByTestId('yaml-text');
  const yamlText = await text.inputValue();
  await text.fill(yamlText.replace('port: 53', 'port: 70000'));
  const issue = page.getByTestId('yaml-issue').first();
  await expect(issue).toBeVisible();
  const line = yamlText.split('\n').findIndex((l) => l.includes('port: 53')) + 1;
  await expect(issue).toHaveAttribute('data-line', String(line));
  await field(page, 'name').fill('dns-2');
  await expect(page.getByTestId('whatif')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('yaml-text')).toHaveValue(/name: dns-2/);
  await page.screenshot({ path: 'test-results/editor-yaml-error.png' });
});

test('drafts the deny-cross-namespace ClusterNetworkPolicy; the what-if matches the CLI and follows the rule order', async ({
  page,
  server,
  problems,
}) => {
  test.setTimeout(120_000);
  await openApp(page, server.url);
  await page.getByTestId('new-policy').click();
  await choose(page, 'new-kind', 'ClusterNetworkPolicy');
  await page.getByTestId('chooser-namespace').selectOption('shop');
  await page.getByTestId('template:platform-deny-cross-namespace').click();

  const template = clusterTemplateById('platform-deny-cross-namespace');
  if (template === undefined) throw new Error('no template');
  const intended = template.create('shop');
  await expect(page.getByTestId('draft')).toHaveAttribute('data-kind', 'ClusterNetworkPolicy');
  await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-errors', '0');
  await expect(page.getByTestId('yaml-text')).toHaveValue(clusterDraftToYaml(intended));

  const whatIf = page.getByTestId('whatif');
  const expectCounts = async (yamlText: string) => {
    const counts = cliCounts(yamlText, intended.name);
    await expect(whatIf).toHaveAttribute('data-status', 'ready');
    await expect(whatIf).toHaveAttribute('data-added', String(counts['added']));
    await expect(whatIf).toHaveAttribute('data-removed', String(counts['removed']));
    await expect(whatIf).toHaveAttribute('data-unchanged', String(counts['unchanged']));
    return counts;
  };
  const first = await expectCounts(await page.getByTestId('yaml-text').inputValue());
  // Traffic from other namespaces into shop is gone, and monitoring's is accepted.
  expect(first['removed']).toBeGreaterThan(0);
  await expect(page.getByTestId('whatif-removed')).toHaveText(
    `−${first['removed']?.toLocaleString('en-US')} removed`,
  );
  await page.getByTestId('only-changes').check();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/editor-cnp-deny-cross-namespace.png' });
  await page.getByTestId('only-changes').uncheck();

  // The Deny first: monitoring is refused too, and the summary says so.
  await page.getByTestId('move-up:ingress[1]').click();
  const swapped = clusterDraftToYaml({ ...intended, ingress: [...intended.ingress].reverse() });
  await expect(page.getByTestId('yaml-text')).toHaveValue(swapped);
  const second = await expectCounts(swapped);
  expect(second).not.toEqual(first);

  // A YAML error makes the draft invalid everywhere: footer, Copy, Save and the what-if.
  await page.getByTestId('yaml-text').fill(swapped.replace('tier: Admin', 'tier: admin'));
  await expect(page.getByTestId('editor-footer')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('copy-yaml')).toBeDisabled();
  await expect(whatIf).toHaveAttribute('data-status', 'off');
  await page.screenshot({ path: 'test-results/editor-cnp-yaml-error.png' });
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
});

test('drafts a Cilium policy as YAML from a template; the what-if matches the CLI; a YAML error says its line', async ({
  page,
  server,
  problems,
}) => {
  test.setTimeout(120_000);
  await openApp(page, server.url);
  await page.getByTestId('new-policy').click();
  await choose(page, 'new-kind', 'Cilium');
  await page.getByTestId('chooser-namespace').selectOption('shop');
  await page.getByTestId('template:cilium-same-namespace').click();

  await expect(page.getByTestId('draft')).toHaveAttribute('data-kind', 'CiliumNetworkPolicy');
  await expect(page.locator('form.ed-form')).toHaveCount(0);
  await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-errors', '0');
  const text = await page.getByTestId('yaml-text').inputValue();
  expect(text).toContain('kind: CiliumNetworkPolicy');
  const counts = cliCounts(text, 'same-namespace-only');
  const whatIf = page.getByTestId('whatif');
  await expect(whatIf).toHaveAttribute('data-status', 'ready');
  expect(counts['removed']).toBeGreaterThan(0);
  await expect(whatIf).toHaveAttribute('data-added', String(counts['added']));
  await expect(whatIf).toHaveAttribute('data-removed', String(counts['removed']));
  await expect(whatIf).toHaveAttribute('data-unchanged', String(counts['unchanged']));
  await page.screenshot({ path: 'test-results/editor-cilium-draft.png' });

  // A port out of range: the reader's message, at its line, and the draft leaves the what-if.
  await page
    .getByTestId('yaml-text')
    .fill(`${text.trimEnd()}\n      toPorts:\n        - ports:\n            - port: "99999"\n`);
  await expect(page.getByTestId('editor-footer')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('copy-yaml')).toBeDisabled();
  await expect(whatIf).toHaveAttribute('data-status', 'off');
  await page.getByTestId('validation-summary').click();
  await expect(page.locator('.ed-summary-list')).toContainText(/YAML line 1[0-9]: .*99999/);
  await page.screenshot({ path: 'test-results/editor-cilium-yaml-error.png' });
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
});
