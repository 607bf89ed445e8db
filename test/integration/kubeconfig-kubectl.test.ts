/**
 * netglass refuses exactly the kubeconfigs kubectl refuses: each file below sits in KUBECONFIG beside
 * a good one, and kubectl (built with the test cluster) and netglass must agree on whether the good
 * context can still be used. File-level problems stop every context in both; entry-level ones only
 * the context that uses the entry.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kubeConfigForContext } from '../../electron/cluster/kubeconfig-context.ts';
import { loadKubeconfigSet } from '../../electron/cluster/kubeconfig.ts';

// Nothing listens on port 9 of loopback: kubectl gets that far only when it accepts the configuration.
const GOOD = `apiVersion: v1
kind: Config
current-context: good
clusters:
- name: good-cluster
  cluster: { server: "https://127.0.0.1:9" }
users:
- name: good-user
  user: { token: abc }
contexts:
- name: good
  context: { cluster: good-cluster, user: good-user }
`;

/** Second files for KUBECONFIG: [what, content]. */
const FILES: readonly [string, string][] = [
  ['not YAML', 'apiVersion: v1\nclusters:\n  - name: x\n   bad: [\n'],
  ['a Pod', 'apiVersion: v1\nkind: Pod\nmetadata: { name: x }\n'],
  ['another apiVersion', 'apiVersion: apps/v1\nkind: Config\n'],
  ['a scalar', 'hello\n'],
  ['a list', '- a\n- b\n'],
  ['clusters is text', 'clusters: foo\n'],
  ['an entry is text', 'clusters:\n- c\n'],
  [
    'a quoted boolean',
    'clusters:\n- name: c\n  cluster: { server: https://x, insecure-skip-tls-verify: "true" }\n',
  ],
  [
    'a YAML 1.1 boolean',
    'clusters:\n- name: c\n  cluster: { server: https://x, insecure-skip-tls-verify: yes }\n',
  ],
  ['an unquoted number token', 'users:\n- name: u\n  user: { token: 12345 }\n'],
  ['no as a namespace', 'contexts:\n- name: x\n  context: { cluster: c, namespace: no }\n'],
  [
    'bad base64',
    'clusters:\n- name: c\n  cluster: { server: https://x, certificate-authority-data: "abc" }\n',
  ],
  [
    'good base64',
    'clusters:\n- name: c\n  cluster: { server: https://x, certificate-authority-data: "YWJj" }\n',
  ],
  ['exec args as text', 'users:\n- name: u\n  user: { exec: { command: x, args: foo } }\n'],
  ['as-user-extra', 'users:\n- name: u\n  user: { as: me, as-user-extra: { team: [a, b] } }\n'],
  ['a name twice', 'users:\n- name: u\n  user: {}\n- name: u\n  user: {}\n'],
  ['two nameless entries', 'users:\n- user: {}\n- user: {}\n'],
  ['one nameless entry', 'users:\n- user: { token: x }\n'],
  ['a repeated key', 'current-context: a\ncurrent-context: b\n'],
  ['unknown fields', 'apiVersion: v1\nkind: Config\nsomething: { new: 1 }\n'],
  ['an empty file', ''],
  ['only a comment', '# later\n'],
  ['empty kind and apiVersion', 'kind: ""\napiVersion: ""\n'],
  ['null sections', 'clusters:\nusers: ~\ncontexts: null\n'],
];

/** Contexts with one broken entry each, beside the good one: [what, user, cluster]. */
const ENTRIES: readonly [string, string, string][] = [
  ['a missing tokenFile', '{ tokenFile: /nonexistent/token }', '{ server: "https://127.0.0.1:9" }'],
  [
    'a missing tokenFile beside a token',
    '{ token: t, tokenFile: /nonexistent/token }',
    '{ server: "https://127.0.0.1:9" }',
  ],
  [
    'a missing client certificate',
    '{ client-certificate: /nonexistent/c, client-key-data: YWJj }',
    '{ server: "https://127.0.0.1:9" }',
  ],
  [
    'a missing certificate authority',
    '{ token: t }',
    '{ server: "https://127.0.0.1:9", certificate-authority: /nonexistent/ca }',
  ],
  [
    'exec v1 without interactiveMode',
    '{ exec: { command: x, apiVersion: client.authentication.k8s.io/v1 } }',
    '{ server: "https://127.0.0.1:9" }',
  ],
  [
    'exec with an old apiVersion',
    '{ exec: { command: x, apiVersion: client.authentication.k8s.io/v1alpha1 } }',
    '{ server: "https://127.0.0.1:9" }',
  ],
  ['token and basic auth', '{ token: t, username: u, password: p }', '{ server: "https://127.0.0.1:9" }'],
];

/**
 * The one deliberate difference: a cluster without a server. kubectl then falls back to its legacy
 * default, http://localhost:8080; netglass does not guess a server, and says none is set.
 */
const NO_SERVER = '{ insecure-skip-tls-verify: true }';

describe('netglass and kubectl refuse the same kubeconfigs', () => {
  const kubectl = inject('cluster').kubectl;
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-kubectl-diff-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Whether kubectl accepts the configuration of `context`: it then tries the (closed) port. */
  function kubectlAccepts(kubeconfigEnv: string, context: string): { accepts: boolean; output: string } {
    const run = spawnSync(
      kubectl ?? 'kubectl',
      ['--context', context, 'get', '--raw', '/version', '--request-timeout=5s'],
      {
        encoding: 'utf8',
        env: { ...process.env, KUBECONFIG: kubeconfigEnv },
        timeout: 60_000,
      },
    );
    expect(run.status, run.stdout).not.toBe(0);
    return {
      accepts: /connection to the server .* was refused|connection refused|dial tcp/.test(run.stderr),
      output: run.stderr,
    };
  }

  function netglassAccepts(kubeconfigEnv: string, context: string): { accepts: boolean; output: string } {
    const set = loadKubeconfigSet(kubeconfigEnv.split(path.delimiter));
    const resolved = kubeConfigForContext(set, context);
    if (resolved.ok) resolved.kubeConfig.close();
    return { accepts: resolved.ok, output: resolved.ok ? '' : resolved.message };
  }

  it('file by file', { timeout: 300_000 }, () => {
    expect(kubectl).toBeDefined();
    const good = path.join(dir, 'good');
    fs.writeFileSync(good, GOOD);
    const disagreements: string[] = [];
    FILES.forEach(([what, text], i) => {
      const file = path.join(dir, `file-${i}`);
      fs.writeFileSync(file, text);
      const env = [good, file].join(path.delimiter);
      const theirs = kubectlAccepts(env, 'good');
      const ours = netglassAccepts(env, 'good');
      if (theirs.accepts !== ours.accepts)
        disagreements.push(`${what}: kubectl ${theirs.output.trim()} | netglass ${ours.output}`);
    });
    expect(disagreements).toEqual([]);
  });

  it('entry by entry: only the context using the entry', { timeout: 300_000 }, () => {
    const disagreements: string[] = [];
    ENTRIES.forEach(([what, user, cluster], i) => {
      const file = path.join(dir, `entry-${i}`);
      fs.writeFileSync(
        file,
        `${GOOD}- name: broken\n  context: { cluster: broken-cluster, user: broken-user }\n`,
      );
      // The broken entries come from a second file, as they often do (merged by name).
      const extra = path.join(dir, `entry-${i}-extra`);
      fs.writeFileSync(
        extra,
        `clusters:\n- name: broken-cluster\n  cluster: ${cluster}\nusers:\n- name: broken-user\n  user: ${user}\n`,
      );
      const env = [file, extra].join(path.delimiter);
      for (const context of ['broken', 'good']) {
        const theirs = kubectlAccepts(env, context);
        const ours = netglassAccepts(env, context);
        if (theirs.accepts !== ours.accepts)
          disagreements.push(
            `${what} (${context}): kubectl ${theirs.output.trim()} | netglass ${ours.output}`,
          );
      }
      // The good context is never stopped by another context's entry.
      expect(netglassAccepts(env, 'good').accepts, what).toBe(true);
    });
    expect(disagreements).toEqual([]);
  });

  it(
    'a cluster without a server: kubectl guesses localhost:8080, netglass says so',
    { timeout: 120_000 },
    () => {
      const file = path.join(dir, 'no-server');
      fs.writeFileSync(
        file,
        `${GOOD}- name: broken\n  context: { cluster: broken-cluster, user: good-user }\n`,
      );
      const extra = path.join(dir, 'no-server-cluster');
      fs.writeFileSync(extra, `clusters:\n- name: broken-cluster\n  cluster: ${NO_SERVER}\n`);
      const env = [file, extra].join(path.delimiter);
      expect(kubectlAccepts(env, 'broken').output).toMatch(/localhost:8080/);
      const ours = netglassAccepts(env, 'broken');
      expect(ours.accepts).toBe(false);
      expect(ours.output).toContain('cluster "broken-cluster" in');
      expect(ours.output).toContain(': no server is set');
    },
  );
});
