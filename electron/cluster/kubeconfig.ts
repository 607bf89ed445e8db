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
import { whyUnreadable } from './credentials.ts';
import { formatFieldPath, kubeconfigShapeProblem, type FieldPath } from './kubeconfig-schema.ts';

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

export function record(value: unknown): Record<string, unknown> {
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

/** `undefined` when the file can be opened, else why not (kubectl opens each file named). */
export function unreadable(file: string): string | undefined {
  try {
    fs.closeSync(fs.openSync(file, 'r'));
    return undefined;
  } catch (error) {
    return whyUnreadable(error);
  }
}
