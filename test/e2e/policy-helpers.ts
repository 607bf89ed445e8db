/**
 * What the policy specs share: `netglass policy <key> --format json` on a manifests folder (the figures
 * the app must show), waiting for the app to be ready, and screenshots into test-results/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot } from './fixtures.ts';

type CountKey =
  'permittedFlowing' | 'permittedBlocked' | 'denied' | 'passed' | 'unknown' | 'unaffected' | 'total';

/** The part of `netglass policy --format json` the specs compare with the app. */
export interface CliPolicy {
  readonly selects: readonly string[];
  readonly counts: Record<CountKey, number>;
}

export function cliPolicy(dir: string, key: string): CliPolicy {
  const out = execFileSync(
    process.execPath,
    [join(repoRoot, 'bin/netglass.js'), 'policy', '--manifests', dir, key, '--format', 'json'],
    { cwd: repoRoot, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  return JSON.parse(out) as CliPolicy;
}

/** Opens the app and waits until the graph is laid out and the analysis is ready. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await expect(page.getByTestId('analysis-status')).toHaveAttribute('data-state', 'ready');
}

/** `test-results/<prefix>-<name>.png`, after the last transitions settle. */
export async function screenshot(page: Page, prefix: string, name: string): Promise<void> {
  const dir = join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(dir, `${prefix}-${name}.png`) });
}
