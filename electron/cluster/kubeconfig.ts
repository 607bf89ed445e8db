/**
 * Reads kubeconfig files the way kubectl does: `KUBECONFIG` lists several files, merged with the
 * first file winning for every cluster, user and context name and for `current-context`; without
 * it, `~/.kube/config`. Relative paths inside a file are relative to that file. Missing files in
 * `KUBECONFIG` are skipped (kubectl does the same); an explicit `--kubeconfig` that is missing is an
 * error.
 *
 * What stops a context is what stops kubectl (client-go's clientcmd loader and validation):
 * - a file that cannot be loaded — unreadable, not YAML, not a Config, a field of the wrong type, a
 *   name given twice in one list — stops every context, whichever file defines it: kubectl refuses
 *   every command then, and rightly, since the broken file may define (first, so winning) the very
 *   names the others use. The contexts are still listed, with the problem beside them.
 * - a problem in one cluster or user entry — no server, a certificate, key or `tokenFile` that
 *   cannot be read, an exec plugin configured wrongly — stops only the contexts that use it, when
 *   one is opened (kubectl checks them then, too).
 * An entry without a name is accepted (kubectl does) and noted.
 *
 * client-node's own `loadFromDefault` lets later files override `current-context` and throws on a
 * duplicate name, so the merge happens here and client-node only receives the merged result. It
 * does not know `tokenFile` and has no timeout or single-flight for exec plugins, so netglass obtains
 * those credentials itself (credentials.ts, exec-plugin.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { TokenFile, UserCredentials, whyUnreadable, type CredentialSource } from './credentials.ts';
import {
  EXEC_API_VERSIONS,
  ExecPlugin,
  type ExecApiVersion,
  type ExecClusterInfo,
  type ExecPluginConfig,
} from './exec-plugin.ts';
import { formatFieldPath, kubeconfigShapeProblem, type FieldPath } from './kubeconfig-schema.ts';
import { SessionKubeConfig } from './session-kubeconfig.ts';

export type AuthKind =
  'client-certificate' | 'token' | 'token-file' | 'exec' | 'auth-provider' | 'basic' | 'none';

export interface KubeContextInfo {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
  readonly server?: string;
  /** The file that defined this context (the first one, when several do). */
  readonly file: string;
  readonly auth: AuthKind;
  /** `insecure-skip-tls-verify: true`: works, but the UI flags it. */
  readonly insecureSkipTlsVerify: boolean;
  /** For exec plugins: the command, and the plugin's own hint for installing it. */
  readonly execCommand?: string;
  readonly execInstallHint?: string;
}

export type KubeconfigProblem =
  | { readonly kind: 'missing-file'; readonly file: string; readonly message: string }
  | { readonly kind: 'unreadable-file'; readonly file: string; readonly message: string }
  | { readonly kind: 'invalid-yaml'; readonly file: string; readonly line?: number; readonly message: string }
  /** Valid YAML that kubectl still refuses: not a Config, a field of the wrong type, a repeated name. */
  | {
      readonly kind: 'invalid-config';
      readonly file: string;
      readonly line?: number;
      readonly field: string;
      readonly message: string;
    }
  /** An entry without a name: kubectl accepts it; noted, never blocking. */
  | { readonly kind: 'invalid-entry'; readonly file: string; readonly message: string }
  | { readonly kind: 'no-files'; readonly message: string };

/** Whether a problem stops every context, as it stops every kubectl command. */
export function isBlocking(problem: KubeconfigProblem): boolean {
  return problem.kind !== 'invalid-entry';
}

export interface KubeconfigSet {
  /** Files in merge order, as resolved. */
  readonly files: readonly string[];
  readonly contexts: readonly KubeContextInfo[];
  readonly currentContext?: string;
  /** Problems with individual files; the readable rest is still merged. */
  readonly problems: readonly KubeconfigProblem[];
  /** The merged raw document, handed to client-node for one context at a time. */
  readonly merged: MergedKubeconfig;
}

type RawEntry = { name?: unknown; [key: string]: unknown };

interface MergedKubeconfig {
  readonly clusters: readonly RawEntry[];
  readonly users: readonly RawEntry[];
  readonly contexts: readonly RawEntry[];
  /** The file each entry came from, by name, for messages. */
  readonly contextFile: ReadonlyMap<string, string>;
  readonly clusterFile: ReadonlyMap<string, string>;
  readonly userFile: ReadonlyMap<string, string>;
  readonly currentContext?: string;
}

/** Which files to read: an explicit path, else `KUBECONFIG`, else `~/.kube/config`. */
export function kubeconfigPaths(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): { readonly paths: readonly string[]; readonly explicit: boolean } {
  if (explicit !== undefined) return { paths: [path.resolve(explicit)], explicit: true };
  const list = env['KUBECONFIG'];
  if (list !== undefined && list.trim() !== '') {
    const paths = list
      .split(path.delimiter)
      .filter((p) => p.trim() !== '')
      .map((p) => path.resolve(p));
    return { paths: [...new Set(paths)], explicit: false };
  }
  return { paths: [path.join(home, '.kube', 'config')], explicit: false };
}

const PATH_FIELDS: Readonly<Record<'cluster' | 'user', readonly string[]>> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
};

function resolveRelativePaths(entry: RawEntry, section: 'cluster' | 'user', dir: string): RawEntry {
  const body = entry[section];
  if (body === null || typeof body !== 'object') return entry;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of PATH_FIELDS[section]) {
    const value = copy[field];
    if (typeof value === 'string' && value !== '' && !path.isAbsolute(value))
      copy[field] = path.join(dir, value);
  }
  const exec = copy['exec'];
  if (section === 'user' && exec !== null && typeof exec === 'object') {
    // kubectl resolves a relative exec command that contains a separator against the file's folder.
    const command = (exec as Record<string, unknown>)['command'];
    if (typeof command === 'string' && command.includes(path.sep) && !path.isAbsolute(command)) {
      copy['exec'] = { ...(exec as Record<string, unknown>), command: path.join(dir, command) };
    }
  }
  return { ...entry, [section]: copy };
}

/** The named entries of one list; the shape check has already made sure it is a list of mappings. */
function entries(
  doc: Record<string, unknown>,
  key: string,
  file: string,
  problems: KubeconfigProblem[],
): RawEntry[] {
  const value = doc[key];
  if (!Array.isArray(value)) return [];
  const out: RawEntry[] = [];
  value.forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object') return;
    const name = (item as RawEntry).name;
    if (typeof name !== 'string' || name === '') {
      problems.push({ kind: 'invalid-entry', file, message: `${file}: ${key}[${i}] has no name` });
      return;
    }
    out.push(item as RawEntry);
  });
  return out;
}

/**
 * Parsed as kubectl's YAML reader (go-yaml v2, YAML 1.1) reads it: `yes`/`no`/`on`/`off` are
 * booleans, a repeated key keeps its last value; timestamps and base-60 numbers stay text.
 */
function parseKubeconfig(text: string, lineCounter: LineCounter): Document {
  return parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    version: '1.1',
    uniqueKeys: false,
    customTags: (tags) =>
      tags.filter((t) =>
        typeof t === 'string'
          ? t !== 'timestamp' && t !== 'intTime' && t !== 'floatTime'
          : t.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in t && t.format === 'TIME'),
      ),
  });
}

/** The line of the deepest node on `path` that exists (1-based). */
function lineOf(doc: Document, path: FieldPath, lineCounter: LineCounter): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: readonly number[] } | null | undefined)?.range;
    if (range?.[0] !== undefined) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

/** Reads and merges the files. Never throws: problems are returned with the usable rest. */
export function loadKubeconfigSet(paths: readonly string[], explicit = false): KubeconfigSet {
  const problems: KubeconfigProblem[] = [];
  const clusters = new Map<string, RawEntry>();
  const users = new Map<string, RawEntry>();
  const contexts = new Map<string, RawEntry>();
  const contextFile = new Map<string, string>();
  const clusterFile = new Map<string, string>();
  const userFile = new Map<string, string>();
  let currentContext: string | undefined;
  const files: string[] = [];

  for (const file of paths) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        if (explicit) problems.push({ kind: 'missing-file', file, message: `kubeconfig not found: ${file}` });
      } else {
        problems.push({
          kind: 'unreadable-file',
          file,
          message: `cannot read kubeconfig ${file}: ${(error as Error).message}`,
        });
      }
      continue;
    }
    files.push(file);
    // kubectl loads an empty file as an empty Config.
    if (text.trim() === '') continue;
    const lineCounter = new LineCounter();
    const doc = parseKubeconfig(text, lineCounter);
    const firstError = doc.errors[0];
    if (firstError !== undefined) {
      const line = lineCounter.linePos(firstError.pos[0]).line;
      problems.push({
        kind: 'invalid-yaml',
        file,
        line,
        message: `${file}:${line}: not valid YAML: ${firstError.message.split('\n')[0] ?? ''}`,
      });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // only comments: an empty Config
    const shape = kubeconfigShapeProblem(value);
    if (shape !== undefined) {
      const line = lineOf(doc, shape.path, lineCounter);
      const field = formatFieldPath(shape.path);
      problems.push({
        kind: 'invalid-config',
        file,
        ...(line !== undefined ? { line } : {}),
        field,
        message: `${file}${line !== undefined ? `:${line}` : ''}: ${shape.message}`,
      });
      continue;
    }
    const raw = value as Record<string, unknown>;
    const dir = path.dirname(file);
    for (const c of entries(raw, 'clusters', file, problems)) {
      const name = c.name as string;
      if (!clusters.has(name)) {
        clusters.set(name, resolveRelativePaths(c, 'cluster', dir));
        clusterFile.set(name, file);
      }
    }
    for (const u of entries(raw, 'users', file, problems)) {
      const name = u.name as string;
      if (!users.has(name)) {
        users.set(name, resolveRelativePaths(u, 'user', dir));
        userFile.set(name, file);
      }
    }
    for (const c of entries(raw, 'contexts', file, problems)) {
      const name = c.name as string;
      if (!contexts.has(name)) {
        contexts.set(name, c);
        contextFile.set(name, file);
      }
    }
    const current = raw['current-context'];
    if (currentContext === undefined && typeof current === 'string' && current !== '')
      currentContext = current;
  }

  if (files.length === 0 && problems.length === 0) {
    problems.push({
      kind: 'no-files',
      message: `no kubeconfig found (looked at ${paths.join(', ')}); set KUBECONFIG or pass --kubeconfig`,
    });
  }

  const merged: MergedKubeconfig = {
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    contextFile,
    clusterFile,
    userFile,
    ...(currentContext !== undefined ? { currentContext } : {}),
  };
  return {
    files,
    contexts: [...contexts.values()].map((c) => describeContext(c, merged)),
    ...(currentContext !== undefined ? { currentContext } : {}),
    problems,
    merged,
  };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function describeContext(entry: RawEntry, merged: MergedKubeconfig): KubeContextInfo {
  const name = entry.name as string;
  const ctx = record(entry['context']);
  const clusterName = typeof ctx['cluster'] === 'string' ? ctx['cluster'] : '';
  const userName = typeof ctx['user'] === 'string' ? ctx['user'] : '';
  const cluster = record(merged.clusters.find((c) => c.name === clusterName)?.['cluster']);
  const user = record(merged.users.find((u) => u.name === userName)?.['user']);
  const exec = record(user['exec']);
  const auth: AuthKind =
    user['exec'] !== undefined
      ? 'exec'
      : user['auth-provider'] !== undefined
        ? 'auth-provider'
        : user['client-certificate'] !== undefined || user['client-certificate-data'] !== undefined
          ? 'client-certificate'
          : user['token'] !== undefined
            ? 'token'
            : user['tokenFile'] !== undefined
              ? 'token-file'
              : user['username'] !== undefined
                ? 'basic'
                : 'none';
  return {
    name,
    cluster: clusterName,
    user: userName,
    ...(typeof ctx['namespace'] === 'string' ? { namespace: ctx['namespace'] } : {}),
    ...(typeof cluster['server'] === 'string' ? { server: cluster['server'] } : {}),
    file: merged.contextFile.get(name) ?? '',
    auth,
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    ...(typeof exec['command'] === 'string' ? { execCommand: exec['command'] } : {}),
    ...(typeof exec['installHint'] === 'string' ? { execInstallHint: exec['installHint'] } : {}),
  };
}

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

/** `undefined` when the file can be opened, else why not (kubectl opens each file named). */
function unreadable(file: string): string | undefined {
  try {
    fs.closeSync(fs.openSync(file, 'r'));
    return undefined;
  } catch (error) {
    return whyUnreadable(error);
  }
}

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
