/**
 * Calico policies in the editor (web mode, a manifests folder: test/fixtures/calico-editor/): a draft
 * from a Calico template is YAML only, its what-if counts equal `netglass diff --apply` on the same
 * text and the graph draws the connections it closes; an edit changes both alike; a YAML error shows
 * at its line and takes the draft out of the what-if. From a loaded policy's details: "Edit a copy"
 * and "Duplicate", and for the staged policy "Try staged policy", which replaces the enforced policy of
 * its name in the what-if. (Apply, not offered for Calico drafts, needs a live cluster: see
 * test/unit/app/calico-editor.test.tsx.)
 * Screenshots land in test-results/calico-editor-*.png.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures.ts';
import { cliDiffCounts, openApp as open, screenshot } from './policy-helpers.ts';

const DIR = join(repoRoot, 'test/fixtures/calico-editor');

const API_ALLOW = 'Calico:NetworkPolicy/shop/default.api-allow';
const STAGED = 'Calico:StagedNetworkPolicy/shop/default.api-allow';

const cliCounts = (yamlText: string) => cliDiffCounts(DIR, yamlText);
const shot = (page: Page, name: string) => screenshot(page, 'calico-editor', name);

/** The what-if bar shows the CLI's counts for the draft's text. */
async function expectCliCounts(page: Page, text: string): Promise<Record<string, number>> {
  const counts = cliCounts(text);
  const whatIf = page.getByTestId('whatif');
  await expect(whatIf).toHaveAttribute('data-status', 'ready');
  await expect(whatIf).toHaveAttribute('data-added', String(counts['added']));
  await expect(whatIf).toHaveAttribute('data-removed', String(counts['removed']));
  await expect(whatIf).toHaveAttribute('data-unchanged', String(counts['unchanged']));
  return counts;
}

test.use({ webServerArgs: ['--manifests', DIR] });

test.describe('Calico policies in the editor', () => {
  test.describe.configure({ timeout: 120_000 });
  // `problems` is set up here, so that it listens from the first load on.
  test.beforeEach(async ({ page, server, problems }) => {
    await open(page, server.url);
    expect(problems.pageErrors).toEqual([]);
  });
  test.afterEach(({ problems }) => {
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  test('a template as YAML: what-if on the graph, an edit, a YAML error at its line', async ({ page }) => {
    await page.getByTestId('new-policy').click();
    await page.locator('[data-choice="new-kind"] [data-value="Calico"]').click();
    await page.getByTestId('chooser-namespace').selectOption('shop');
    await expect(page.getByTestId('template:calico-api-from-namespace')).toContainText('(in namespace shop)');
    await expect(page.getByTestId('template:calico-tier-block-metadata')).toContainText('tier security');
    await page.getByTestId('template:calico-global-default-deny').click();

    const draft = page.getByTestId('draft');
    await expect(draft).toHaveAttribute('data-kind', 'Calico');
    await expect(draft).toContainText('default-deny');
    await expect(draft).toContainText('Calico GlobalNetworkPolicy');
    await expect(page.locator('form.ed-form')).toHaveCount(0);
    await expect(page.locator('.ed-body-yaml-only')).toHaveCount(1);
    await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-errors', '0');
    const yaml = page.getByTestId('yaml-text');
    const text = await yaml.inputValue();
    expect(text).toContain('kind: GlobalNetworkPolicy');
    expect(text).toContain('order: 2000');

    // Default deny closes connections: the what-if matches the CLI and the graph draws them.
    const before = await expectCliCounts(page, text);
    expect(before['removed']).toBeGreaterThan(0);
    expect(before['added']).toBe(0);
    const stats = page.getByTestId('graph-stats');
    await expect(stats).not.toHaveAttribute('data-edges', '0');
    await expect(stats).not.toHaveAttribute('data-denied', '0');
    await expect(stats).toHaveAttribute('data-flowing', '0');
    await shot(page, 'template');

    // An edit: allow all egress after the DNS rule. Fewer connections are closed, as the CLI says too.
    const edited = `${text.trimEnd()}\n    - action: Allow\n`;
    await yaml.fill(edited);
    await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-errors', '0');
    const after = await expectCliCounts(page, edited);
    expect(after['removed']).toBeLessThan(before['removed'] ?? 0);
    await expect(stats).not.toHaveAttribute('data-denied', '0');
    await shot(page, 'edited');

    // A misspelt action: the reader's message at its line; the draft leaves the what-if.
    // The added rule is the last line.
    const actionLine = edited.trimEnd().split('\n').length;
    await yaml.fill(`${text.trimEnd()}\n    - action: Alow\n`);
    await expect(page.getByTestId('editor-footer')).toHaveAttribute('data-valid', 'false');
    await expect(page.getByTestId('copy-yaml')).toBeDisabled();
    await expect(page.getByTestId('whatif')).toHaveAttribute('data-status', 'off');
    await page.getByTestId('validation-summary').click();
    await expect(page.locator('.ed-summary-list')).toContainText(
      `YAML line ${actionLine}: must be Allow, Deny, Log or Pass, got "Alow" (did you mean Allow?)`,
    );
    await expect(page.locator('.ed-summary-list')).not.toContainText('was not loaded');
    await shot(page, 'yaml-error');
  });

  test('a loaded policy: edit a copy, duplicate it; the staged one tried as the policy it would become', async ({
    page,
  }) => {
    await page.getByTestId('tab-policies').click();
    await page.locator(`[data-testid="policy-row"][data-key="${API_ALLOW}"]`).click();
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toHaveAttribute('data-kind', 'policy');

    // Edit a copy: the loaded policy written back; a change to it replaces it in the what-if.
    await inspector.getByTestId('edit-copy').click();
    const drafts = page.getByTestId('draft');
    await expect(drafts).toHaveCount(1);
    await expect(drafts.first()).toContainText('shop/api-allow');
    await expect(drafts.first()).toContainText('edit');
    const yaml = page.getByTestId('yaml-text');
    const written = await yaml.inputValue();
    expect(written).toContain('name: api-allow\n');
    expect(written).toContain("selector: app == 'api'");
    // Unchanged, it changes nothing.
    await expect(page.getByTestId('whatif')).toHaveAttribute('data-status', 'ready');
    await expect(page.getByTestId('whatif')).toHaveAttribute('data-removed', '0');
    const narrowed = written.replace('selector: all()', "selector: app == 'web'");
    expect(narrowed).not.toBe(written);
    await yaml.fill(narrowed);
    const counts = await expectCliCounts(page, narrowed);
    expect(counts['removed']).toBeGreaterThan(0);
    await expect(page.getByTestId('calico-replaces')).toHaveCount(0);

    // Duplicate: a new policy beside it, renamed in the text. (The editor takes the details' place.)
    await page.getByTestId('close-editor').click();
    await inspector.getByTestId('duplicate-policy').click();
    await expect(drafts).toHaveCount(2);
    await expect(drafts.nth(1)).toContainText('shop/api-allow-copy');
    await expect(drafts.nth(1)).toContainText('new');
    expect(await yaml.inputValue()).toContain('name: api-allow-copy\n');
    await shot(page, 'duplicate');

    // The staged policy: tried as the NetworkPolicy it would become, in place of the enforced one.
    await page.getByTestId('delete-draft').nth(1).click();
    await page.getByTestId('delete-draft').first().click();
    await page.getByTestId('close-editor').click();
    await page.locator(`[data-testid="policy-row"][data-key="${STAGED}"]`).click();
    await expect(inspector.getByTestId('edit-copy')).toHaveCount(0);
    await inspector.getByTestId('try-staged').click();
    await expect(drafts).toHaveCount(1);
    await expect(drafts.first()).toContainText('Calico NetworkPolicy');
    await expect(drafts.first().getByTestId('draft-replaces')).toHaveText(`replaces ${API_ALLOW}`);
    const tried = await yaml.inputValue();
    expect(tried).toMatch(/^# StagedNetworkPolicy api-allow, tried as the NetworkPolicy.*\napiVersion: /);
    expect(tried).toContain('kind: NetworkPolicy\n');
    const staged = await expectCliCounts(page, tried);
    expect(staged['removed']).toBeGreaterThan(0);
    await expect(page.getByTestId('graph-stats')).not.toHaveAttribute('data-denied', '0');
    await shot(page, 'try-staged');
  });
});
