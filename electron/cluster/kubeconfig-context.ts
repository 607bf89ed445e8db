/**
 * One context of a merged kubeconfig turned into a client-node configuration with its credentials,
 * refused where kubectl would refuse it. Kept apart from kubeconfig.ts (which lists contexts) because
 * it loads the Kubernetes client: listing contexts must not.
 */
import fs from 'node:fs';
import { TokenFile, UserCredentials, type CredentialSource } from './credentials.ts';
import {
  EXEC_API_VERSIONS,
  ExecPlugin,
  type ExecApiVersion,
  type ExecClusterInfo,
  type ExecPluginConfig,
} from './exec-plugin.ts';
import { isBlocking, record, unreadable, type KubeconfigSet, type KubeContextInfo } from './kubeconfig.ts';
import { SessionKubeConfig } from './session-kubeconfig.ts';

export type ContextResolution =
  | { readonly ok: true; readonly kubeConfig: SessionKubeConfig; readonly context: KubeContextInfo }
  | { readonly ok: false; readonly message: string; readonly file?: string };

export interface ResolveOptions {
  /** How long an exec credential plugin may run. Default DEFAULT_EXEC_TIMEOUT_MS. */
  readonly execTimeoutMs?: number;
}

/**
 * A client-node configuration holding only what one context needs, with its credentials. `contextName`
 * undefined means the current context. Refused, with every reason, where kubectl would refuse it.
 * Close the result's `kubeConfig` when done with it: that stops its requests and plugins.
 */
export function kubeConfigForContext(
  set: KubeconfigSet,
  contextName?: string,
  options: ResolveOptions = {},
): ContextResolution {
  const blocking = set.problems.filter(isBlocking);
  const firstBlocking = blocking[0];
  if (firstBlocking !== undefined) {
    const unloadable = blocking.filter((p) => p.kind !== 'no-files' && p.kind !== 'missing-file');
    const it = unloadable.length === 1 ? 'it' : 'them';
    // Contexts from the other files are listed: say why they cannot be used either, and the way out.
    const advice =
      unloadable.length > 0 && set.contexts.length > 0
        ? [
            `kubectl refuses every context while a kubeconfig file cannot be loaded: fix ${it}, or take ${it} out of KUBECONFIG`,
          ]
        : [];
    return {
      ok: false,
      message: [...blocking.map((p) => p.message), ...advice].join('\n'),
      ...('file' in firstBlocking ? { file: firstBlocking.file } : {}),
    };
  }
  const name = contextName ?? set.currentContext;
  if (name === undefined) {
    const names = set.contexts.map((c) => c.name);
    return {
      ok: false,
      message:
        names.length === 0
          ? `no contexts in ${set.files.join(', ') || 'the kubeconfig'}`
          : `no current-context is set; choose one with --context (${names.join(', ')})`,
    };
  }
  const context = set.contexts.find((c) => c.name === name);
  if (context === undefined) {
    const names = set.contexts.map((c) => c.name);
    return {
      ok: false,
      message: `context "${name}" not found in ${set.files.join(', ') || 'the kubeconfig'}${names.length > 0 ? ` (contexts: ${names.join(', ')})` : ''}`,
    };
  }
  const contextEntry = set.merged.contexts.find((c) => c.name === name);
  const cluster = set.merged.clusters.find((c) => c.name === context.cluster);
  if (cluster === undefined)
    return {
      ok: false,
      message: `context "${name}" names cluster "${context.cluster}", which no kubeconfig file defines`,
      file: context.file,
    };
  const user = set.merged.users.find((u) => u.name === context.user);
  const clusterBody = record(cluster['cluster']);
  const userBody = user !== undefined ? record(user['user']) : undefined;
  const clusterAt = `cluster "${context.cluster}" in ${set.merged.clusterFile.get(context.cluster) ?? context.file}`;
  const userAt = `user "${context.user}" in ${set.merged.userFile.get(context.user) ?? context.file}`;
  const problems = [
    ...clusterProblems(clusterBody).map((p) => `${clusterAt}: ${p}`),
    ...(userBody !== undefined ? userProblems(userBody).map((p) => `${userAt}: ${p}`) : []),
  ];
  if (problems.length > 0)
    return {
      ok: false,
      message: `context "${name}" cannot be used:\n${problems.map((p) => `- ${p}`).join('\n')}`,
      file: context.file,
    };

  const kubeConfig = new SessionKubeConfig();
  const credentials =
    user !== undefined && userBody !== undefined
      ? credentialSource(context.user, userBody, clusterBody, options)
      : undefined;
  if (credentials !== undefined) kubeConfig.useCredentials(new UserCredentials(context.user, credentials));
  try {
    // client-node reads the YAML/JSON shape kubectl writes; JSON is valid YAML.
    kubeConfig.loadFromString(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [cluster],
        users:
          user !== undefined && userBody !== undefined ? [{ ...user, user: forClientNode(userBody) }] : [],
        contexts: [contextEntry],
        'current-context': name,
      }),
    );
  } catch (error) {
    kubeConfig.close();
    return {
      ok: false,
      message: `context "${name}" in ${context.file}: ${(error as Error).message}`,
      file: context.file,
    };
  }
  return { ok: true, kubeConfig, context };
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** What kubectl's validation finds wrong with a cluster entry. */
function clusterProblems(cluster: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!nonEmpty(cluster['server'])) problems.push('no server is set');
  const ca = cluster['certificate-authority'];
  if (nonEmpty(ca)) {
    const why = unreadable(ca);
    if (why !== undefined) problems.push(`certificate-authority ${ca} ${why}`);
  }
  return problems;
}

const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'] as const;

/** What kubectl's validation finds wrong with a user entry, plus a token file it cannot read. */
function userProblems(user: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of ['client-certificate', 'client-key'] as const) {
    const file = user[field];
    if (!nonEmpty(file)) continue;
    const why = unreadable(file);
    if (why !== undefined) problems.push(`${field} ${file} ${why}`);
  }
  const hasCert = nonEmpty(user['client-certificate']) || nonEmpty(user['client-certificate-data']);
  const hasKey = nonEmpty(user['client-key']) || nonEmpty(user['client-key-data']);
  if (hasCert && !hasKey) problems.push('a client certificate is set without client-key or client-key-data');
  if (nonEmpty(user['token']) && (nonEmpty(user['username']) || nonEmpty(user['password'])))
    problems.push('both a token and a username/password are set; kubectl allows only one');
  const tokenFile = user['tokenFile'];
  // With a token beside it, kubectl uses the token while the file cannot be read.
  if (nonEmpty(tokenFile) && !nonEmpty(user['token'])) {
    const why = unreadable(tokenFile);
    if (why !== undefined) problems.push(`tokenFile ${tokenFile} ${why}`);
  }
  const exec = user['exec'];
  if (exec !== undefined && exec !== null) problems.push(...execProblems(record(exec), user));
  return problems;
}

function execProblems(exec: Record<string, unknown>, user: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (user['auth-provider'] !== undefined && user['auth-provider'] !== null)
    problems.push('both exec and auth-provider are set; kubectl allows only one');
  if (!nonEmpty(exec['command'])) problems.push('exec.command is not set');
  const apiVersion = exec['apiVersion'];
  if (!nonEmpty(apiVersion)) problems.push('exec.apiVersion is not set');
  else if (!(EXEC_API_VERSIONS as readonly string[]).includes(apiVersion))
    problems.push(
      `exec.apiVersion "${apiVersion}" is not one kubectl accepts (${EXEC_API_VERSIONS.join(', ')})`,
    );
  const mode = exec['interactiveMode'];
  if (nonEmpty(mode)) {
    if (!(INTERACTIVE_MODES as readonly string[]).includes(mode))
      problems.push(`exec.interactiveMode "${mode}" is not one of ${INTERACTIVE_MODES.join(', ')}`);
  } else if (apiVersion === 'client.authentication.k8s.io/v1') {
    // kubectl defaults it for v1beta1 only.
    problems.push(
      `exec.interactiveMode must be set (${INTERACTIVE_MODES.join(', ')}) for apiVersion ${apiVersion}`,
    );
  }
  const env = exec['env'];
  if (Array.isArray(env))
    env.forEach((item: unknown, i) => {
      if (!nonEmpty(record(item)['name'])) problems.push(`exec.env[${i}] has no name`);
    });
  return problems;
}

/** The user as client-node gets it: without what netglass handles itself (credentials.ts). */
function forClientNode(user: Record<string, unknown>): Record<string, unknown> {
  // `token-file` is no kubectl key, but client-node would read it.
  const { exec: _exec, tokenFile, 'token-file': _tokenFile, ...rest } = user;
  if (nonEmpty(tokenFile)) {
    // The token is then our fallback; client-node would put it over the file's.
    const { token: _token, ...withoutToken } = rest;
    return withoutToken;
  }
  return rest;
}

/** The credentials netglass obtains itself for this user, if any; the entry is valid by now. */
function credentialSource(
  userName: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown>,
  options: ResolveOptions,
): CredentialSource | undefined {
  const exec = user['exec'];
  // With a token beside it, client-go sends the token and never runs the plugin.
  if (exec !== undefined && exec !== null && !nonEmpty(user['token'])) {
    const e = record(exec);
    const env = Array.isArray(e['env']) ? e['env'] : [];
    const config: ExecPluginConfig = {
      command: e['command'] as string,
      args: Array.isArray(e['args']) ? e['args'].filter((a): a is string => typeof a === 'string') : [],
      env: env.map((item: unknown) => {
        const r = record(item);
        return { name: String(r['name']), value: typeof r['value'] === 'string' ? r['value'] : '' };
      }),
      apiVersion: e['apiVersion'] as ExecApiVersion,
      interactiveMode: nonEmpty(e['interactiveMode'])
        ? (e['interactiveMode'] as ExecPluginConfig['interactiveMode'])
        : 'IfAvailable',
      provideClusterInfo: e['provideClusterInfo'] === true,
    };
    return {
      kind: 'exec',
      plugin: new ExecPlugin(config, {
        user: userName,
        cluster: execClusterInfo(cluster),
        ...(options.execTimeoutMs !== undefined ? { timeoutMs: options.execTimeoutMs } : {}),
      }),
    };
  }
  const tokenFile = user['tokenFile'];
  if (nonEmpty(tokenFile)) {
    const token = user['token'];
    return {
      kind: 'token-file',
      file: new TokenFile(tokenFile, userName, nonEmpty(token) ? token : undefined),
    };
  }
  return undefined;
}

/** ExecCredential `spec.cluster`, as client-go fills it for `provideClusterInfo`. */
function execClusterInfo(cluster: Record<string, unknown>): ExecClusterInfo {
  const caFile = cluster['certificate-authority'];
  let caData = nonEmpty(cluster['certificate-authority-data'])
    ? cluster['certificate-authority-data']
    : undefined;
  if (caData === undefined && nonEmpty(caFile)) {
    try {
      caData = fs.readFileSync(caFile).toString('base64');
    } catch {
      // checked before; a file gone since is reported by the request itself
    }
  }
  const extension = Array.isArray(cluster['extensions'])
    ? cluster['extensions'].map(record).find((x) => x['name'] === 'client.authentication.k8s.io/exec')
    : undefined;
  return {
    server: typeof cluster['server'] === 'string' ? cluster['server'] : '',
    ...(nonEmpty(cluster['tls-server-name']) ? { 'tls-server-name': cluster['tls-server-name'] } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { 'insecure-skip-tls-verify': true } : {}),
    ...(caData !== undefined ? { 'certificate-authority-data': caData } : {}),
    ...(nonEmpty(cluster['proxy-url']) ? { 'proxy-url': cluster['proxy-url'] } : {}),
    ...(cluster['disable-compression'] === true ? { 'disable-compression': true } : {}),
    ...(extension !== undefined ? { config: extension['extension'] } : {}),
  };
}
