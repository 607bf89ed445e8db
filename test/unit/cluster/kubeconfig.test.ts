import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubeConfigForContext } from '../../../electron/cluster/kubeconfig-context.ts';
import { kubeconfigPaths, loadKubeconfigSet } from '../../../electron/cluster/kubeconfig.ts';

let dir: string;
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-kubeconfig-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const first = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster: { server: https://dev.example:6443, certificate-authority: certs/ca.crt }
- name: shared
  cluster: { server: https://first.example:6443 }
users:
- name: dev-user
  user: { client-certificate: certs/me.crt, client-key: certs/me.key }
contexts:
- name: dev
  context: { cluster: dev-cluster, user: dev-user, namespace: shop }
- name: both
  context: { cluster: shared, user: dev-user }
`;

const second = `
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: shared
  cluster: { server: https://second.example:6443 }
- name: prod-cluster
  cluster: { server: https://prod.example:6443, insecure-skip-tls-verify: true }
users:
- name: prod-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: cloud-login
      installHint: Install cloud-login with 'brew install cloud-login'
contexts:
- name: prod
  context: { cluster: prod-cluster, user: prod-user }
- name: both
  context: { cluster: prod-cluster, user: prod-user }
`;

describe('kubeconfig merging follows kubectl', () => {
  it('KUBECONFIG lists files in order; without it ~/.kube/config', () => {
    expect(
      kubeconfigPaths(undefined, { KUBECONFIG: `/a${path.delimiter}/b${path.delimiter}/a` }, '/home/u').paths,
    ).toEqual(['/a', '/b']);
    expect(kubeconfigPaths(undefined, {}, '/home/u').paths).toEqual([
      path.join('/home/u', '.kube', 'config'),
    ]);
    expect(kubeconfigPaths('rel/config', {}, '/home/u')).toEqual({
      paths: [path.resolve('rel/config')],
      explicit: true,
    });
  });

  it('the first file wins for names and current-context; each context remembers its file', () => {
    const a = write('a/config', first);
    const b = write('b/config', second);
    const set = loadKubeconfigSet([a, b]);
    expect(set.problems).toEqual([]);
    expect(set.currentContext).toBe('dev');
    expect(set.contexts.map((c) => [c.name, c.file])).toEqual([
      ['dev', a],
      ['both', a],
      ['prod', b],
    ]);
    const both = set.contexts.find((c) => c.name === 'both');
    expect(both?.server).toBe('https://first.example:6443');
    const prod = set.contexts.find((c) => c.name === 'prod');
    expect(prod).toMatchObject({
      auth: 'exec',
      insecureSkipTlsVerify: true,
      execCommand: 'cloud-login',
      execInstallHint: "Install cloud-login with 'brew install cloud-login'",
    });
  });

  it('relative certificate paths resolve against the file that names them', () => {
    const a = write('rel/config', first);
    // kubectl refuses a context whose certificate files are missing; these are only opened.
    for (const f of ['ca.crt', 'me.crt', 'me.key']) write(`rel/certs/${f}`, 'pem');
    const resolved = kubeConfigForContext(loadKubeconfigSet([a]), 'dev');
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(resolved.kubeConfig.getCurrentCluster()?.caFile).toBe(path.join(dir, 'rel', 'certs', 'ca.crt'));
    expect(resolved.kubeConfig.getCurrentUser()?.keyFile).toBe(path.join(dir, 'rel', 'certs', 'me.key'));
    expect(resolved.context.namespace).toBe('shop');
  });

  it('a missing file in KUBECONFIG is skipped, an explicit one is an error', () => {
    const a = write('c/config', first);
    expect(loadKubeconfigSet([path.join(dir, 'nope'), a]).problems).toEqual([]);
    const explicit = loadKubeconfigSet([path.join(dir, 'nope')], true);
    expect(explicit.problems).toEqual([
      {
        kind: 'missing-file',
        file: path.join(dir, 'nope'),
        message: `kubeconfig not found: ${path.join(dir, 'nope')}`,
      },
    ]);
  });

  it('bad YAML names the file and line, and the other files still load', () => {
    const bad = write('bad/config', 'apiVersion: v1\nclusters:\n  - name: x\n   bad: [\n');
    const good = write('good/config', second);
    const set = loadKubeconfigSet([bad, good]);
    expect(set.problems).toHaveLength(1);
    expect(set.problems[0]).toMatchObject({ kind: 'invalid-yaml', file: bad });
    expect(set.problems[0]?.message).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: not valid YAML`),
    );
    expect(set.contexts.map((c) => c.name)).toEqual(['prod', 'both']);
  });

  it('an unknown context lists the ones that exist', () => {
    const a = write('d/config', first);
    const resolved = kubeConfigForContext(loadKubeconfigSet([a]), 'staging');
    expect(resolved).toEqual({
      ok: false,
      message: `context "staging" not found in ${a} (contexts: dev, both)`,
    });
  });
});
