/**
 * The CNI picker (web mode, test/fixtures/cni/host-and-ipblock.yaml): the analysis is redone under the
 * chosen CNI and the choice is remembered for the source. client -> server:80 is allowed only by an
 * ipBlock over the client's pod address: allowed as Kubernetes' tests expect (the default), denied on
 * Cilium without policy-cidr-match-mode, unknown (with the reason) on Generic. Screenshot:
 * test-results/cni-generic.png.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures.ts';
import { openApp as open, screenshot } from './policy-helpers.ts';

const FILE = join(repoRoot, 'test/fixtures/cni/host-and-ipblock.yaml');

async function reach(page: Page, from: string, to: string, port: string): Promise<void> {
  await page.getByTestId('open-reach').click();
  await page.getByTestId('reach-from').fill(from);
  await page.getByTestId('reach-from').press('Enter');
  await page.getByTestId('reach-to').fill(to);
  await page.getByTestId('reach-to').press('Enter');
  await page.getByTestId('reach-port').fill(port);
}

test.use({ webServerArgs: ['--manifests', FILE] });

test('the CNI picker redoes the analysis under the chosen CNI and remembers it', async ({
  page,
  server,
  problems,
}) => {
  await open(page, server.url);
  const picker = page.getByTestId('cni-picker');
  await expect(picker).toHaveValue('auto');
  await expect(picker.locator('option[value="auto"]')).toHaveText('CNI: auto');
  await reach(page, 'a/client', 'a/server', '80');
  const verdict = page.getByTestId('reach-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'allowed');

  // Keyboard: focus the select and pick Cilium (its CIDRs miss pod addresses by default).
  await picker.selectOption('cilium');
  await expect(verdict).toHaveAttribute('data-verdict', 'denied');
  await picker.selectOption('cilium:pods');
  await expect(verdict).toHaveAttribute('data-verdict', 'allowed');

  await picker.selectOption('generic');
  await expect(verdict).toHaveAttribute('data-verdict', 'unknown');
  await expect(page.getByTestId('side-ingress')).toContainText(
    'whether an ipBlock matches pod addresses depends on the CNI (profile Generic (spec only))',
  );
  await screenshot(page, 'cni', 'generic');

  // Remembered for this source: a reload keeps Generic.
  await open(page, server.url);
  await expect(page.getByTestId('cni-picker')).toHaveValue('generic');
  await reach(page, 'a/client', 'a/server', '80');
  await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'unknown');

  // Back to automatic: the default again.
  await page.getByTestId('cni-picker').selectOption('auto');
  await expect(page.getByTestId('reach-verdict')).toHaveAttribute('data-verdict', 'allowed');

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
});
