/**
 * A worker-scoped fixture that starts the real web-mode server (`node electron/web/main.ts`) on a free
 * port and hands its printed URL (token included) to the tests. `webServerArgs` adds arguments, e.g.
 * `--manifests <files>`; `test.use({ webServerArgs: [...] })` gets a server of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface WebServerInfo {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly output: () => string;
}

export async function startWebMode(
  args: readonly string[] = [],
  options: { readonly env?: Readonly<Record<string, string>> } = {},
): Promise<{ info: WebServerInfo; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['electron/web/main.ts', '--port', '0', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...options.env },
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web mode printed no URL within 20 s:\n${output}`)),
      20_000,
    );
    const onData = (chunk: string) => {
      output += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${String(code)}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  const info: WebServerInfo = {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    output: () => output,
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { info, stop };
}

export interface PageProblems {
  readonly consoleErrors: string[];
  readonly cspViolations: string[];
  readonly pageErrors: string[];
}

/** Collects console errors, uncaught exceptions and CSP violations (reported from inside the page). */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { consoleErrors: [], cspViolations: [], pageErrors: [] };
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
    if (message.text().startsWith('netglass-csp-violation ')) problems.cspViolations.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.warn(`netglass-csp-violation ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return problems;
}

export const test = base.extend<
  { problems: PageProblems },
  { webServerArgs: string[]; ownServer: string; server: WebServerInfo }
>({
  webServerArgs: [[], { option: true, scope: 'worker' }],
  /**
   * A server for this file alone, named after it: for tests that open another source, which would
   * otherwise be what the next file in the same worker finds instead of the demo.
   */
  ownServer: ['', { option: true, scope: 'worker' }],
  server: [
    // ownServer is read so that a different value gets a worker, and so a server, of its own.
    async ({ webServerArgs, ownServer: _own }, use) => {
      const { info, stop } = await startWebMode(webServerArgs);
      await use(info);
      await stop();
    },
    { scope: 'worker' },
  ],
  problems: async ({ page }, use) => {
    await use(await watchProblems(page));
  },
});

export { expect };
