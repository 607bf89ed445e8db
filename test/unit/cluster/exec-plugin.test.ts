/**
 * Exec credential plugins: one run shared by concurrent requests, a timeout that kills a slow plugin
 * and names it, failures remembered briefly instead of re-running the plugin per retry, a new run
 * after a 401, and output checked as client-go checks it. The plugins are small Node scripts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RequestContext, HttpMethod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecPlugin, ExecPluginError, type ExecPluginConfig } from '../../../electron/cluster/exec-plugin.ts';
import { kubeConfigForContext } from '../../../electron/cluster/kubeconfig-context.ts';
import { loadKubeconfigSet } from '../../../electron/cluster/kubeconfig.ts';
import { credentialsRejected } from '../../../electron/cluster/session-kubeconfig.ts';

let dir: string;
let plugin: string;

/**
 * The plugin: counts its runs and records its pid in $STATE, waits $DELAY_MS, then behaves as $MODE
 * says. Its token is the content of $STATE/token when that exists, so a test can rotate it.
 */
const PLUGIN = `
const fs = require('node:fs');
const path = require('node:path');
const state = process.env.STATE;
fs.appendFileSync(path.join(state, 'runs'), 'x');
fs.writeFileSync(path.join(state, 'pid'), String(process.pid));
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO || '{}');
const tokenFile = path.join(state, 'token');
const token = fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8') : 'tok-' + (process.env.EXTRA || '');
const out = (status, apiVersion = info.apiVersion) =>
  process.stdout.write(JSON.stringify({ apiVersion, kind: 'ExecCredential', status }));
setTimeout(() => {
  switch (process.env.MODE) {
    case 'ok': out({ token }); break;
    case 'expired': out({ token, expirationTimestamp: '2000-01-01T00:00:00Z' }); break;
    case 'info': out({ token: JSON.stringify(info) }); break;
    case 'fail': process.stderr.write('error: you must log in first\\n'); process.exit(3);
    case 'hang': setInterval(() => {}, 1000); break;
    case 'wrong-version': out({ token }, 'client.authentication.k8s.io/v1alpha1'); break;
    case 'no-status': out(undefined); break;
    case 'cert-only': out({ clientCertificateData: 'PEM' }); break;
    case 'not-json': process.stdout.write('hello'); break;
  }
}, Number(process.env.DELAY_MS || 0));
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-exec-'));
  plugin = path.join(dir, 'plugin.cjs');
  fs.writeFileSync(plugin, PLUGIN);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let stateCount = 0;
function stateDir(): string {
  const state = path.join(dir, `state-${stateCount++}`);
  fs.mkdirSync(state);
  return state;
}
const runsIn = (state: string): number => {
  try {
    return fs.readFileSync(path.join(state, 'runs'), 'utf8').length;
  } catch {
    return 0;
  }
};

function config(
  state: string,
  mode: string,
  delayMs = 0,
  extra: Partial<ExecPluginConfig> = {},
): ExecPluginConfig {
  return {
    command: process.execPath,
    args: [plugin],
    env: [
      { name: 'STATE', value: state },
      { name: 'MODE', value: mode },
      { name: 'DELAY_MS', value: String(delayMs) },
    ],
    apiVersion: 'client.authentication.k8s.io/v1',
    interactiveMode: 'Never',
    provideClusterInfo: false,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<ExecPluginError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ExecPluginError);
    return error as ExecPluginError;
  }
  throw new Error('expected the plugin to fail');
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('exec credential plugins', () => {
  it('concurrent requests share one run, and the credential is kept', { timeout: 30_000 }, async () => {
    const state = stateDir();
    const p = new ExecPlugin(config(state, 'ok', 300), { user: 'dev' });
    const credentials = await Promise.all([p.credential(), p.credential(), p.credential()]);
    expect(credentials.map((c) => c.token)).toEqual(['tok-', 'tok-', 'tok-']);
    await p.credential();
    expect(runsIn(state)).toBe(1);
  });

  it('an expired credential is obtained again', { timeout: 30_000 }, async () => {
    const state = stateDir();
    const p = new ExecPlugin(config(state, 'expired'), { user: 'dev' });
    await p.credential();
    await p.credential();
    expect(runsIn(state)).toBe(2);
  });

  it(
    'a slow plugin times out, is killed, and the message names it and the limit',
    { timeout: 30_000 },
    async () => {
      const state = stateDir();
      const p = new ExecPlugin(config(state, 'hang'), { user: 'dev', timeoutMs: 500 });
      const error = await failure(p.credential());
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe(
        `the credential plugin "${process.execPath}" of user "dev" did not finish within 0.5 s, and was stopped`,
      );
      const pid = Number(fs.readFileSync(path.join(state, 'pid'), 'utf8'));
      await until(() => !alive(pid), 'the plugin to be killed');
    },
  );

  it('a failing plugin runs once for a burst of retries, and says why', { timeout: 30_000 }, async () => {
    const state = stateDir();
    const p = new ExecPlugin(config(state, 'fail', 100), { user: 'dev', failureMemoMs: 60_000 });
    const errors = await Promise.all([1, 2, 3].map(() => failure(p.credential())));
    for (let i = 0; i < 6; i++) errors.push(await failure(p.credential()));
    expect(runsIn(state)).toBe(1);
    expect(errors[0]?.kind).toBe('failed');
    expect(errors[0]?.message).toBe(
      `the credential plugin "${process.execPath}" of user "dev" failed with exit code 3: error: you must log in first`,
    );
  });

  it('after the failure memo, a failing plugin runs again', { timeout: 30_000 }, async () => {
    const state = stateDir();
    let now = 1_000_000;
    const p = new ExecPlugin(config(state, 'fail'), { user: 'dev', failureMemoMs: 5_000, now: () => now });
    await failure(p.credential());
    now += 4_000;
    await failure(p.credential());
    expect(runsIn(state)).toBe(1);
    now += 2_000;
    await failure(p.credential());
    expect(runsIn(state)).toBe(2);
  });

  it('a 401 makes the next request run the plugin again, once', { timeout: 30_000 }, async () => {
    const state = stateDir();
    fs.writeFileSync(path.join(state, 'token'), 'old');
    const p = new ExecPlugin(config(state, 'ok'), { user: 'dev' });
    expect((await p.credential()).token).toBe('old');
    fs.writeFileSync(path.join(state, 'token'), 'new');
    expect((await p.credential()).token).toBe('old');
    p.rejected();
    const renewed = await Promise.all([p.credential(), p.credential()]);
    expect(renewed.map((c) => c.token)).toEqual(['new', 'new']);
    expect(runsIn(state)).toBe(2);
  });

  it('a missing command is named, with the reason', { timeout: 30_000 }, async () => {
    const p = new ExecPlugin(
      { ...config(stateDir(), 'ok'), command: path.join(dir, 'no-such-plugin') },
      { user: 'dev' },
    );
    const error = await failure(p.credential());
    expect(error.kind).toBe('not-found');
    expect(error.message).toBe(
      `the credential plugin "${path.join(dir, 'no-such-plugin')}" of user "dev" was not found (spawn ${path.join(dir, 'no-such-plugin')} ENOENT)`,
    );
  });

  it('checks the output as client-go does', { timeout: 30_000 }, async () => {
    const cases: [string, string][] = [
      [
        'wrong-version',
        'it is configured for apiVersion client.authentication.k8s.io/v1 and returned client.authentication.k8s.io/v1alpha1',
      ],
      ['no-status', 'it returned no status'],
      ['cert-only', 'a client certificate or a key, not both'],
      ['not-json', 'its output is not JSON'],
    ];
    for (const [mode, why] of cases) {
      const error = await failure(new ExecPlugin(config(stateDir(), mode), { user: 'dev' }).credential());
      expect(error.kind, mode).toBe('bad-output');
      expect(error.message, mode).toContain(`returned no usable credential: ${why}`);
    }
  });

  it('gives the plugin KUBERNETES_EXEC_INFO, with the cluster when asked', { timeout: 30_000 }, async () => {
    const p = new ExecPlugin(config(stateDir(), 'info', 0, { provideClusterInfo: true }), {
      user: 'dev',
      cluster: { server: 'https://k8s.example:6443', 'insecure-skip-tls-verify': true },
    });
    const info: unknown = JSON.parse((await p.credential()).token ?? '');
    expect(info).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: { server: 'https://k8s.example:6443', 'insecure-skip-tls-verify': true },
      },
    });
  });

  it('refuses interactiveMode Always without running the plugin', { timeout: 30_000 }, async () => {
    const state = stateDir();
    const error = await failure(
      new ExecPlugin(config(state, 'ok', 0, { interactiveMode: 'Always' }), { user: 'dev' }).credential(),
    );
    expect(error.kind).toBe('interactive');
    expect(runsIn(state)).toBe(0);
  });

  it('dispose stops a run in progress and refuses new ones', { timeout: 30_000 }, async () => {
    const state = stateDir();
    const p = new ExecPlugin(config(state, 'hang'), { user: 'dev' });
    const pending = failure(p.credential());
    await until(() => fs.existsSync(path.join(state, 'pid')), 'the plugin to start');
    p.dispose();
    expect((await pending).kind).toBe('closed');
    const pid = Number(fs.readFileSync(path.join(state, 'pid'), 'utf8'));
    await until(() => !alive(pid), 'the plugin to be killed');
    expect((await failure(p.credential())).kind).toBe('closed');
  });
});

describe('exec plugins through a kubeconfig context', () => {
  function contextWithPlugin(state: string, mode: string, delayMs: number): string {
    const file = path.join(state, 'config');
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'c',
        clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:9' } }],
        users: [
          {
            name: 'u',
            user: {
              exec: {
                ...config(state, mode, delayMs),
                args: [plugin],
                installHint: 'install it',
              },
            },
          },
        ],
        contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
      }),
    );
    return file;
  }

  const authorize = async (kubeConfig: {
    applySecurityAuthentication(ctx: RequestContext): Promise<void>;
  }): Promise<string | undefined> => {
    const ctx = new RequestContext('https://127.0.0.1:9/api', HttpMethod.GET);
    await kubeConfig.applySecurityAuthentication(ctx);
    return ctx.getHeaders()['Authorization'];
  };

  it('three concurrent requests start one run; a 401 starts one more', { timeout: 30_000 }, async () => {
    const state = stateDir();
    const resolved = kubeConfigForContext(loadKubeconfigSet([contextWithPlugin(state, 'ok', 300)], true));
    if (!resolved.ok) throw new Error(resolved.message);
    const kc = resolved.kubeConfig;
    expect(await Promise.all([authorize(kc), authorize(kc), authorize(kc)])).toEqual([
      'Bearer tok-',
      'Bearer tok-',
      'Bearer tok-',
    ]);
    expect(runsIn(state)).toBe(1);
    credentialsRejected(kc);
    fs.writeFileSync(path.join(state, 'token'), 'renewed');
    expect(await Promise.all([authorize(kc), authorize(kc)])).toEqual(['Bearer renewed', 'Bearer renewed']);
    expect(runsIn(state)).toBe(2);
    kc.close();
  });

  it('closing the context stops its plugin', { timeout: 30_000 }, async () => {
    const state = stateDir();
    const resolved = kubeConfigForContext(loadKubeconfigSet([contextWithPlugin(state, 'hang', 0)], true));
    if (!resolved.ok) throw new Error(resolved.message);
    const pending = authorize(resolved.kubeConfig).then(
      () => 'authorized',
      (error: unknown) => (error as Error).name,
    );
    await until(() => fs.existsSync(path.join(state, 'pid')), 'the plugin to start');
    resolved.kubeConfig.close();
    expect(await pending).toBe('ExecPluginError');
    const pid = Number(fs.readFileSync(path.join(state, 'pid'), 'utf8'));
    await until(() => !alive(pid), 'the plugin to be killed');
  });
});
