/**
 * The shape kubectl requires of a kubeconfig file. kubectl (client-go's clientcmd) decodes each file
 * into its Config type and refuses the whole file — and with it every command — when a field has the
 * wrong type, when `kind`/`apiVersion` are not `Config`/`v1`, or when one list names an entry twice.
 * Unknown fields are ignored, as there. The field types are those of clientcmd/api/v1/types.go.
 */

/** Where a problem is, as a path into the document: `['users', 0, 'user', 'token']`. */
export type FieldPath = readonly (string | number)[];

export interface ShapeProblem {
  /** Where it is, to find its line. */
  readonly path: FieldPath;
  /** A sentence naming the field: `users[0].user.token must be text (quote it), not the number 5`. */
  readonly message: string;
}

type FieldType =
  | 'string'
  | 'bool'
  /** []byte in Go: base64 text. */
  | 'bytes'
  | 'strings'
  | 'string-map'
  | 'strings-map'
  | 'any'
  | { readonly object: Shape }
  | { readonly list: Shape };

type Shape = Readonly<Record<string, FieldType>>;

const EXTENSIONS: FieldType = { list: { name: 'string', extension: 'any' } };

const CLUSTER: Shape = {
  server: 'string',
  'tls-server-name': 'string',
  'insecure-skip-tls-verify': 'bool',
  'certificate-authority': 'string',
  'certificate-authority-data': 'bytes',
  'proxy-url': 'string',
  'disable-compression': 'bool',
  extensions: EXTENSIONS,
};

const EXEC: Shape = {
  command: 'string',
  args: 'strings',
  env: { list: { name: 'string', value: 'string' } },
  apiVersion: 'string',
  installHint: 'string',
  provideClusterInfo: 'bool',
  interactiveMode: 'string',
};

const USER: Shape = {
  'client-certificate': 'string',
  'client-certificate-data': 'bytes',
  'client-key': 'string',
  'client-key-data': 'bytes',
  token: 'string',
  tokenFile: 'string',
  as: 'string',
  'as-uid': 'string',
  'as-groups': 'strings',
  'as-user-extra': 'strings-map',
  username: 'string',
  password: 'string',
  'auth-provider': { object: { name: 'string', config: 'string-map' } },
  exec: { object: EXEC },
  extensions: EXTENSIONS,
};

const CONTEXT: Shape = { cluster: 'string', user: 'string', namespace: 'string', extensions: EXTENSIONS };

const CONFIG: Shape = {
  kind: 'string',
  apiVersion: 'string',
  preferences: { object: { colors: 'bool', extensions: EXTENSIONS } },
  clusters: { list: { name: 'string', cluster: { object: CLUSTER } } },
  users: { list: { name: 'string', user: { object: USER } } },
  contexts: { list: { name: 'string', context: { object: CONTEXT } } },
  'current-context': 'string',
  extensions: EXTENSIONS,
};

/** Go's base64.StdEncoding, which also skips line breaks. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'boolean' ? 'the boolean' : 'the number'} ${String(value)}`;
}

function check(value: unknown, type: FieldType, path: FieldPath): ShapeProblem | undefined {
  // null decodes to the zero value in Go, whatever the type.
  if (value === null || value === undefined) return undefined;
  const wrong = (expected: string): ShapeProblem => ({
    path,
    message: `${formatFieldPath(path)} must be ${expected}, not ${describe(value)}`,
  });
  if (typeof type === 'object') {
    if ('list' in type) {
      if (!Array.isArray(value)) return wrong('a list');
      for (const [i, item] of value.entries()) {
        const problem = check(item, { object: type.list }, [...path, i]);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    if (!isRecord(value)) return wrong('a mapping');
    for (const [key, fieldType] of Object.entries(type.object)) {
      const problem = check(value[key], fieldType, [...path, key]);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  switch (type) {
    case 'any':
      return undefined;
    case 'string':
      return typeof value === 'string' ? undefined : wrong('text (quote it)');
    case 'bool':
      return typeof value === 'boolean' ? undefined : wrong('true or false');
    case 'bytes':
      if (typeof value !== 'string') return wrong('base64 text');
      return BASE64.test(value.replace(/[\r\n]/g, ''))
        ? undefined
        : { path, message: `${formatFieldPath(path)} is not valid base64` };
    case 'strings':
      if (!Array.isArray(value)) return wrong('a list of text');
      for (const [i, item] of value.entries())
        if (item !== null && typeof item !== 'string') return check(item, 'string', [...path, i]);
      return undefined;
    case 'string-map':
    case 'strings-map':
      if (!isRecord(value)) return wrong('a mapping');
      for (const [key, item] of Object.entries(value)) {
        const problem = check(item, type === 'string-map' ? 'string' : 'strings', [...path, key]);
        if (problem !== undefined) return problem;
      }
      return undefined;
  }
}

const NAMED_LISTS = ['clusters', 'users', 'contexts'] as const;

/** The first reason kubectl would refuse this document, or undefined when it would load it. */
export function kubeconfigShapeProblem(document: unknown): ShapeProblem | undefined {
  if (!isRecord(document))
    return { path: [], message: `a kubeconfig must be a mapping (kind: Config), not ${describe(document)}` };
  const problem = check(document, { object: CONFIG }, []);
  if (problem !== undefined) return problem;
  // Empty or absent, they default to Config and v1.
  const kind = typeof document['kind'] === 'string' ? document['kind'] : '';
  const apiVersion = typeof document['apiVersion'] === 'string' ? document['apiVersion'] : '';
  if ((kind !== '' && kind !== 'Config') || (apiVersion !== '' && apiVersion !== 'v1')) {
    return {
      path: kind !== '' && kind !== 'Config' ? ['kind'] : ['apiVersion'],
      message: `not a kubeconfig: kind "${kind}", apiVersion "${apiVersion}" (a kubeconfig has kind: Config, apiVersion: v1)`,
    };
  }
  for (const list of NAMED_LISTS) {
    const seen = new Map<string, number>();
    const entries = document[list];
    if (!Array.isArray(entries)) continue;
    for (const [i, entry] of entries.entries()) {
      const name = isRecord(entry) && typeof entry['name'] === 'string' ? entry['name'] : '';
      const first = seen.get(name);
      if (first !== undefined)
        return {
          path: [list, i, 'name'],
          message:
            name === ''
              ? `${list}[${i}] has no name, and neither has ${list}[${first}]`
              : `${list}[${i}].name "${name}" is taken already by ${list}[${first}]`,
        };
      seen.set(name, i);
    }
  }
  return undefined;
}

/** `users[0].user.token`. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
