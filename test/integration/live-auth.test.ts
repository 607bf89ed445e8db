/**
 * Credentials against the real API server: a rejected token is "credentials rejected" (401), not
 * "forbidden"; kubectl's `tokenFile` works (it used to go anonymous) and, missing, is named; an exec
 * plugin whose first token is rejected is run again and the read succeeds; a slow plugin times out
 * without being started again for every retry; a malformed file in KUBECONFIG stops the CLI with the
 * file named, as kubectl stops.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readClusterOnce } from '../../electron/cluster/read-once.ts';
import { unique } from './live-probe.ts';

const repo = path.resolve(import.meta.dirname, '../..');

describe('credentials on the real API server', () => {
  const cluster = inject('cluster');
  const admin = new k8s.KubeConfig();
  admin.loadFromFile(cluster.adminKubeconfig);
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
  const ns = unique('auth');
  const binding = `${ns}-reader`;
  let dir: string;
  let token: string;
  let files = 0;

  /** A kubeconfig for the shared cluster whose one user, `reader-user`, is `user` (a YAML flow mapping). */
  const kubeconfig = (user: string): string => {
    const c = admin.getCurrentCluster();
    const file = path.join(dir, `config-${files++}`);
    fs.writeFileSync(
      file,
      `apiVersion: v1
kind: Config
current-context: reader
clusters:
- name: shared
  cluster: { server: "${c?.server ?? ''}", certificate-authority-data: "${c?.caData ?? ''}" }
users:
- name: reader-user
  user: ${user}
contexts:
- name: reader
  context: { cluster: shared, user: reader-user }
`,
    );
    return file;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-live-auth-'));
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'reader' } } });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: binding },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
      },
    });
    const request = await core.createNamespacedServiceAccountToken({
      namespace: ns,
      name: 'reader',
      body: { spec: { expirationSeconds: 3600 } },
    });
    token = request.status?.token ?? '';
    expect(token).not.toBe('');
  });

  afterAll(async () => {
    await rbac.deleteClusterRoleBinding({ name: binding }).catch(() => undefined);
    await core.deleteNamespace({ name: ns }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a token the server rejects is reported as rejected credentials, never as forbidden', async () => {
    const read = await readClusterOnce(kubeconfig('{ token: not-a-valid-token }'), undefined, 60_000);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toMatch(
      /the API server rejected the credentials of user "reader-user" \(context "reader"\) \(HTTP 401: Unauthorized\)/,
    );
    expect(read.message).not.toMatch(/forbidden/i);
  });

  it('reads through a tokenFile (relative to the kubeconfig)', async () => {
    fs.writeFileSync(path.join(dir, 'sa-token'), `${token}\n`);
    const read = await readClusterOnce(kubeconfig('{ tokenFile: sa-token }'), undefined, 60_000);
    if (!read.ok) throw new Error(read.message);
    expect(read.snapshot.namespaces.map((n) => n.name)).toContain(ns);
    expect(read.snapshot.visibility).toBeUndefined();
  });

  it('a missing tokenFile stops the context, naming the file and the user', async () => {
    const file = kubeconfig('{ tokenFile: /nonexistent/netglass-token }');
    const read = await readClusterOnce(file, undefined, 60_000);
    expect(read).toEqual({
      ok: false,
      message: `context "reader" cannot be used:\n- user "reader-user" in ${file}: tokenFile /nonexistent/netglass-token does not exist`,
    });
  });

  /**
   * A plugin that counts its runs in $STATE/runs and answers $STATE/first-token on its first run,
   * $STATE/token on later runs; with MODE=hang it never answers.
   */
  const writePlugin = (): string => {
    const plugin = path.join(dir, 'plugin.cjs');
    fs.writeFileSync(
      plugin,
      `const fs = require('node:fs');
const path = require('node:path');
const state = process.env.STATE;
fs.appendFileSync(path.join(state, 'runs'), 'x');
if (process.env.MODE === 'hang') setInterval(() => {}, 1000);
else {
  const first = fs.readFileSync(path.join(state, 'runs'), 'utf8').length === 1;
  const token = fs.readFileSync(path.join(state, first ? 'first-token' : 'token'), 'utf8');
  process.stdout.write(JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    kind: 'ExecCredential',
    status: { token },
  }));
}
`,
    );
    return plugin;
  };
  const execUser = (state: string, mode: string): string =>
    `{ exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: "${process.execPath}", args: ["${writePlugin()}"], env: [{ name: STATE, value: "${state}" }, { name: MODE, value: ${mode} }] } }`;
  const runs = (state: string): number => fs.readFileSync(path.join(state, 'runs'), 'utf8').length;

  it('an exec plugin whose token is rejected is run again, and the read succeeds', async () => {
    const state = fs.mkdtempSync(path.join(dir, 'exec-'));
    // No expiry: client-node kept such a token forever, and the 401 became a permanent "forbidden".
    fs.writeFileSync(path.join(state, 'first-token'), 'stale-token');
    fs.writeFileSync(path.join(state, 'token'), token);
    const read = await readClusterOnce(kubeconfig(execUser(state, 'ok')), undefined, 60_000);
    if (!read.ok) throw new Error(read.message);
    expect(read.snapshot.namespaces.map((n) => n.name)).toContain(ns);
    // One run for the first requests together, one after the 401s; a straggling 401 may cost one more.
    expect(runs(state)).toBeGreaterThanOrEqual(2);
    expect(runs(state)).toBeLessThanOrEqual(3);
  });

  it('a slow exec plugin times out with its name and limit, and is not started per retry', async () => {
    const state = fs.mkdtempSync(path.join(dir, 'exec-'));
    const read = await readClusterOnce(kubeconfig(execUser(state, 'hang')), undefined, 60_000, {
      execTimeoutMs: 500,
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toContain(
      `the credential plugin "${process.execPath}" of user "reader-user" did not finish within 0.5 s, and was stopped`,
    );
    // Concurrent requests share a run and retries reuse its failure for a while (it was 9 runs in 4 s).
    expect(runs(state)).toBeLessThanOrEqual(2);
  });

  it('a malformed file in KUBECONFIG: the CLI stops with exit 2, naming the file and the problem', () => {
    fs.writeFileSync(path.join(dir, 'good-token'), token);
    const good = kubeconfig(`{ tokenFile: good-token }`);
    const bad = path.join(dir, 'broken-config');
    fs.writeFileSync(bad, 'apiVersion: v1\nkind: Config\nusers:\n- name: x\n  user:\n    token: 12345\n');
    const cli = (kubeconfigEnv: string) =>
      spawnSync(process.execPath, [path.join(repo, 'bin/netglass.js'), 'analyze', '--context', 'reader'], {
        encoding: 'utf8',
        env: { ...process.env, KUBECONFIG: kubeconfigEnv },
        timeout: 90_000,
      });
    const fine = cli(good);
    expect(fine.status, fine.stderr).toBe(0);
    const broken = cli([good, bad].join(path.delimiter));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(
      `${bad}:6: users[0].user.token must be text (quote it), not the number 12345`,
    );
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });
});
