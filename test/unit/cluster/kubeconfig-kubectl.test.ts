/**
 * Which kubeconfig problems stop which contexts, as kubectl decides (client-go's clientcmd): a file
 * in KUBECONFIG that cannot be loaded stops every context and is named with the problem; a missing
 * token file, certificate or misconfigured exec plugin stops the contexts using that entry. And
 * `tokenFile` is honoured (client-node ignores it), read again after a 401.
 * test/integration/kubeconfig-kubectl.test.ts checks the file-level verdicts against kubectl itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigForContext } from '../../../electron/cluster/kubeconfig-context.ts';
import { loadKubeconfigSet } from '../../../electron/cluster/kubeconfig.ts';
import { credentialsRejected, type SessionKubeConfig } from '../../../electron/cluster/session-kubeconfig.ts';

let dir: string;
let n = 0;
const write = (text: string, name = `config-${n++}`): string => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-kubectl-rules-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const GOOD = `
apiVersion: v1
kind: Config
current-context: good
clusters:
- name: good-cluster
  cluster: { server: https://good.example:6443 }
users:
- name: good-user
  user: { token: abc }
contexts:
- name: good
  context: { cluster: good-cluster, user: good-user }
`;

const authorization = async (kc: SessionKubeConfig): Promise<string | undefined> => {
  const ctx = new RequestContext('https://good.example:6443/api', HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  return ctx.getHeaders()['Authorization'];
};

describe('a file in KUBECONFIG that kubectl cannot load stops every context', () => {
  const cases: [string, string, RegExp][] = [
    ['not YAML', 'apiVersion: v1\nclusters:\n  - name: x\n   bad: [\n', /:\d+: not valid YAML/],
    [
      'another kind',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: x }\n',
      /:2: not a kubeconfig: kind "Pod", apiVersion "v1"/,
    ],
    [
      'another apiVersion',
      'apiVersion: apps/v1\nkind: Config\n',
      /:1: not a kubeconfig: kind "Config", apiVersion "apps\/v1"/,
    ],
    ['a scalar', 'hello\n', /: a kubeconfig must be a mapping \(kind: Config\), not the text "hello"/],
    ['a section that is no list', 'clusters: foo\n', /:1: clusters must be a list, not the text "foo"/],
    ['an entry that is no mapping', 'clusters:\n- c\n', /:2: clusters\[0\] must be a mapping/],
    [
      'a boolean as text',
      'clusters:\n- name: c\n  cluster:\n    server: https://x\n    insecure-skip-tls-verify: "true"\n',
      /:5: clusters\[0\]\.cluster\.insecure-skip-tls-verify must be true or false, not the text "true"/,
    ],
    [
      'a number as a token',
      'users:\n- name: u\n  user:\n    token: 12345\n',
      /:4: users\[0\]\.user\.token must be text/,
    ],
    [
      'bad base64',
      'clusters:\n- name: c\n  cluster: { server: https://x, certificate-authority-data: "not base64!" }\n',
      /:3: clusters\[0\]\.cluster\.certificate-authority-data is not valid base64/,
    ],
    [
      'exec args that are no list',
      'users:\n- name: u\n  user:\n    exec: { command: x, args: foo }\n',
      /users\[0\]\.user\.exec\.args must be a list of text/,
    ],
    [
      'a name twice in one list',
      'clusters:\n- name: c\n  cluster: { server: https://x }\n- name: c\n  cluster: { server: https://y }\n',
      /:4: clusters\[1\]\.name "c" is taken already by clusters\[0\]/,
    ],
  ];

  for (const [what, text, problem] of cases) {
    it(what, () => {
      const bad = write(text);
      const good = write(GOOD);
      const set = loadKubeconfigSet([good, bad]);
      // Listed still, with the problem beside them.
      expect(set.contexts.map((c) => c.name)).toEqual(['good']);
      expect(set.problems).toHaveLength(1);
      expect(set.problems[0]?.message.startsWith(bad)).toBe(true);
      expect(set.problems[0]?.message).toMatch(problem);
      const resolved = kubeConfigForContext(set, 'good');
      expect(resolved.ok).toBe(false);
      if (resolved.ok) return;
      expect(resolved.file).toBe(bad);
      expect(resolved.message).toContain(set.problems[0]?.message ?? '?');
      expect(resolved.message).toMatch(/kubectl refuses every context .* take it out of KUBECONFIG/);
    });
  }
});

describe('what kubectl accepts is accepted', () => {
  const cases: [string, string][] = [
    ['an empty file', ''],
    ['only a comment', '# nothing yet\n'],
    ['no kind or apiVersion', 'preferences: {}\n'],
    ['unknown fields', 'apiVersion: v1\nkind: Config\nsomething-new: true\n'],
    [
      'YAML 1.1 booleans',
      'clusters:\n- name: other\n  cluster: { server: https://o, insecure-skip-tls-verify: yes }\n',
    ],
    ['a repeated key (the last one counts)', 'current-context: a\ncurrent-context: b\n'],
    ['an entry without a name (noted)', 'users:\n- user: { token: x }\n'],
  ];
  for (const [what, text] of cases) {
    it(what, () => {
      const set = loadKubeconfigSet([write(GOOD), write(text)]);
      const resolved = kubeConfigForContext(set, 'good');
      if (!resolved.ok) throw new Error(resolved.message);
      resolved.kubeConfig.close();
    });
  }

  it('reads yes/no as kubectl does', () => {
    const set = loadKubeconfigSet([
      write(
        'clusters:\n- name: c\n  cluster: { server: https://o, insecure-skip-tls-verify: on }\n' +
          'contexts:\n- name: x\n  context: { cluster: c }\n',
      ),
    ]);
    expect(set.contexts[0]?.insecureSkipTlsVerify).toBe(true);
    // Unquoted, kubectl reads `no` as a boolean: not a namespace.
    const bad = loadKubeconfigSet([
      write('contexts:\n- name: x\n  context: { cluster: c, namespace: no }\n'),
    ]);
    expect(bad.problems[0]?.message).toMatch(
      /contexts\[0\]\.context\.namespace must be text \(quote it\), not the boolean false/,
    );
  });
});

describe('a problem in one entry stops only the contexts that use it', () => {
  const twoContexts = (user: string, cluster = '{ server: https://x.example }'): string => `
current-context: broken
clusters:
- name: c
  cluster: ${cluster}
users:
- name: u
  user: ${user}
- name: fine
  user: { token: t }
contexts:
- name: broken
  context: { cluster: c, user: u }
- name: other
  context: { cluster: c, user: fine }
`;

  it('a tokenFile that does not exist names the file, the user and the kubeconfig', () => {
    const file = write(twoContexts('{ tokenFile: secrets/token }'), 'tokens/config');
    const set = loadKubeconfigSet([file]);
    expect(set.problems).toEqual([]);
    const broken = kubeConfigForContext(set, 'broken');
    expect(broken).toEqual({
      ok: false,
      file,
      message: `context "broken" cannot be used:\n- user "u" in ${file}: tokenFile ${path.join(dir, 'tokens', 'secrets', 'token')} does not exist`,
    });
    const other = kubeConfigForContext(set, 'other');
    expect(other.ok).toBe(true);
    if (other.ok) other.kubeConfig.close();
  });

  it('with a token beside it, a missing tokenFile is no error (kubectl uses the token)', async () => {
    const resolved = kubeConfigForContext(
      loadKubeconfigSet([write(twoContexts('{ token: fallback, tokenFile: /nonexistent/token }'))]),
      'broken',
    );
    if (!resolved.ok) throw new Error(resolved.message);
    expect(await authorization(resolved.kubeConfig)).toBe('Bearer fallback');
    resolved.kubeConfig.close();
  });

  it('missing certificate files, a certificate without key, no server', () => {
    const file = write(
      twoContexts(
        '{ client-certificate: /nonexistent/me.crt }',
        '{ certificate-authority: /nonexistent/ca.crt }',
      ),
    );
    const resolved = kubeConfigForContext(loadKubeconfigSet([file]), 'broken');
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.message.split('\n')).toEqual([
      'context "broken" cannot be used:',
      `- cluster "c" in ${file}: no server is set`,
      `- cluster "c" in ${file}: certificate-authority /nonexistent/ca.crt does not exist`,
      `- user "u" in ${file}: client-certificate /nonexistent/me.crt does not exist`,
      `- user "u" in ${file}: a client certificate is set without client-key or client-key-data`,
    ]);
  });

  it('an exec plugin configured as kubectl refuses it', () => {
    const file = write(
      twoContexts(
        '{ exec: { command: login, apiVersion: client.authentication.k8s.io/v1, env: [{ value: x }] } }',
      ),
    );
    const resolved = kubeConfigForContext(loadKubeconfigSet([file]), 'broken');
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.message.split('\n').slice(1)).toEqual([
      `- user "u" in ${file}: exec.interactiveMode must be set (Never, IfAvailable, Always) for apiVersion client.authentication.k8s.io/v1`,
      `- user "u" in ${file}: exec.env[0] has no name`,
    ]);
    const old = kubeConfigForContext(
      loadKubeconfigSet([
        write(twoContexts('{ exec: { command: login, apiVersion: client.authentication.k8s.io/v1alpha1 } }')),
      ]),
      'broken',
    );
    expect(old.ok ? '' : old.message).toContain(
      'exec.apiVersion "client.authentication.k8s.io/v1alpha1" is not one kubectl accepts',
    );
  });
});

describe('tokenFile', () => {
  it('is read (relative to its kubeconfig), kept, and read again after a 401', async () => {
    const token = write('first-token\n', 'rotating/token');
    const file = write(
      `clusters:\n- name: c\n  cluster: { server: https://x }\nusers:\n- name: u\n  user: { tokenFile: token }\n` +
        `contexts:\n- name: c\n  context: { cluster: c, user: u }\ncurrent-context: c\n`,
      'rotating/config',
    );
    const set = loadKubeconfigSet([file]);
    expect(set.contexts[0]?.auth).toBe('token-file');
    const resolved = kubeConfigForContext(set);
    if (!resolved.ok) throw new Error(resolved.message);
    const kc = resolved.kubeConfig;
    expect(await authorization(kc)).toBe('Bearer first-token');
    fs.writeFileSync(token, 'second-token');
    // Kept for a minute, as client-go does...
    expect(await authorization(kc)).toBe('Bearer first-token');
    // ...unless the server rejected it.
    credentialsRejected(kc);
    expect(await authorization(kc)).toBe('Bearer second-token');
    // Deleted since: the request fails, naming the file and the user.
    fs.rmSync(token);
    credentialsRejected(kc);
    await expect(authorization(kc)).rejects.toThrow(`the token file ${token} of user "u" does not exist`);
    kc.close();
  });

  it('`token-file` is no kubectl key: ignored, as kubectl ignores it', async () => {
    const token = write('should-not-be-sent', 'ignored/token');
    const resolved = kubeConfigForContext(
      loadKubeconfigSet([
        write(
          `clusters:\n- name: c\n  cluster: { server: https://x }\nusers:\n- name: u\n  user: { token-file: ${token} }\n` +
            `contexts:\n- name: c\n  context: { cluster: c, user: u }\ncurrent-context: c\n`,
        ),
      ]),
    );
    if (!resolved.ok) throw new Error(resolved.message);
    expect(await authorization(resolved.kubeConfig)).toBeUndefined();
    resolved.kubeConfig.close();
  });
});
