/**
 * What the policy specs share: the CLI's JSON on the same files (the figures the app must show),
 * waiting for the app to be ready, and screenshots into test-results/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** `netglass <args> --format json`'s output; throws when the command fails. */
function netglassJson(args: readonly string[]): string {
  return execFileSync(process.execPath, [join(repoRoot, 'bin/netglass.js'), ...args, '--format', 'json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
}

/**
 * `netglass <args> --format json`, parsed, for commands whose exit code carries an answer: `check`
 * exits 1 for a denied connection and `diff` for changed connections, and both print their JSON all
 * the same.
 */
export function cliJson(args: readonly string[]): unknown {
  let out: string;
  try {
    out = netglassJson(args);
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '');
  }
  return JSON.parse(out) as unknown;
}

export function cliPolicy(dir: string, key: string): CliPolicy {
  return JSON.parse(netglassJson(['policy', '--manifests', dir, key])) as CliPolicy;
}

/**
 * `netglass diff --manifests <manifests> --apply <yamlText>` counts: the CLI's answer to the draft the
 * what-if shows. The text is written to `fileName` in a fresh temporary folder.
 */
export function cliDiffCounts(
  manifests: string,
  yamlText: string,
  fileName = 'draft.yaml',
): Record<string, number> {
  const file = join(mkdtempSync(join(tmpdir(), 'netglass-e2e-draft-')), fileName);
  writeFileSync(file, yamlText);
  return (cliJson(['diff', '--manifests', manifests, '--apply', file]) as { counts: Record<string, number> })
    .counts;
}

/** Opens the app and waits until the graph is laid out and the analysis is ready. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('graph-stats')).toHaveAttribute('data-layout', 'done');
  await expect(page.getByTestId('analysis-status')).toHaveAttribute('data-state', 'ready');
}

/** `test-results/<file>`, the folder made if need be. */
export function shotPath(file: string): string {
  const dir = join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  return join(dir, file);
}

/** `test-results/<prefix>-<name>.png`, after the last transitions settle. */
export async function screenshot(page: Page, prefix: string, name: string): Promise<void> {
  const path = shotPath(`${prefix}-${name}.png`);
  await page.waitForTimeout(350);
  await page.screenshot({ path });
}
