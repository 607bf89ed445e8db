/**
 * The message protocol shared by both transports (Electron IPC and the web-mode WebSocket), and the
 * validation the Node side applies to everything that arrives from a renderer before acting on it.
 *
 *   client → server   { kind: 'request', id, method, params }
 *   server → client   { kind: 'response', id, result }      (exactly one per request)
 *                     { kind: 'event', event }               (after `subscribe`)
 *
 * Over IPC, requests go through `ipcRenderer.invoke(REQUEST_CHANNEL)` whose return value is the
 * response, and events come on EVENT_CHANNEL. Over WebSocket, both directions are JSON text frames.
 */
import {
  METHOD_NAMES,
  err,
  ok,
  type ApiError,
  type ApiEvent,
  type MethodName,
  type MethodParams,
  type Result,
  type SourceRequest,
  EXPORT_FILE_TYPES,
  type ExportExtension,
} from './api.ts';
import type { PolicyManifest } from '../editor/draft.ts';

export const REQUEST_CHANNEL = 'netglass:request';
export const EVENT_CHANNEL = 'netglass:event';
/** Path of the WebSocket endpoint in web mode. */
export const WEBSOCKET_PATH = '/api';

/** Requests are small (a method and a few paths); anything bigger is refused unread. */
export const MAX_REQUEST_BYTES = 64 * 1024;
export const MAX_PATHS = 256;
export const MAX_PATH_LENGTH = 4096;
export const MAX_NAME_LENGTH = 253;
/** A policy manifest (as JSON) or its YAML; fits a request with room to spare. */
export const MAX_POLICY_BYTES = 48 * 1024;
/** Entries in any one list of a policy manifest (rules, peers, ports, expressions, values, ...). */
export const MAX_POLICY_LIST = 256;
/** Dropped files: at most this many per upload, and this much text in all (UTF-8). */
export const MAX_UPLOAD_FILES = 500;
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
/**
 * What one `uploadManifests` request may carry, counted by `uploadPartCost`: even text that JSON
 * escapes six-fold (control characters) then keeps a request under MAX_REQUEST_BYTES.
 */
export const UPLOAD_PART_CHARS = 8 * 1024;
/** Counted per part for its braces, keys and quotes, so many tiny parts cannot overflow a request. */
export const UPLOAD_PART_OVERHEAD = 32;

/** A part's share of UPLOAD_PART_CHARS: its name, its text (UTF-16 code units) and the overhead. */
export function uploadPartCost(part: { readonly name: string; readonly text: string }): number {
  return part.name.length + part.text.length + UPLOAD_PART_OVERHEAD;
}
/** A dropped file's name, with its folders. */
export const MAX_UPLOAD_NAME_LENGTH = 1024;
const MAX_TOKEN_LENGTH = 128;

export type RequestMessage = {
  [M in MethodName]: {
    readonly kind: 'request';
    readonly id: number;
    readonly method: M;
    readonly params: MethodParams<M>;
  };
}[MethodName];

export interface ResponseMessage {
  readonly kind: 'response';
  /** The request's id; null when the request was too broken to have one. */
  readonly id: number | null;
  readonly result: Result<unknown>;
}

export interface EventMessage {
  readonly kind: 'event';
  readonly event: ApiEvent;
}

export type ServerMessage = ResponseMessage | EventMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string, field?: string): Result<never> {
  const error: ApiError =
    field === undefined ? { code: 'invalid-request', message } : { code: 'invalid-request', message, field };
  return err(error);
}

function hasOnlyKeys(value: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return Object.keys(value).find((k) => !keys.includes(k));
}

function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && (METHOD_NAMES as readonly string[]).includes(value);
}

/** Byte length of a string as UTF-8, without needing TextEncoder's allocation for ASCII-heavy text. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Parses a WebSocket text frame. Size is checked before parsing. */
export function parseRequestText(text: string): Result<RequestMessage> {
  if (utf8Length(text) > MAX_REQUEST_BYTES) {
    return invalid(`Request larger than ${MAX_REQUEST_BYTES} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid('Request is not valid JSON.');
  }
  return parseRequest(value);
}

/**
 * Validates a request that arrived as a value (IPC's structured clone, or parsed JSON): the envelope,
 * the method name, and the params of that method, including sizes.
 */
export function parseRequest(value: unknown): Result<RequestMessage> {
  if (!isRecord(value)) return invalid('Request must be an object.');
  const extra = hasOnlyKeys(value, ['kind', 'id', 'method', 'params']);
  if (extra !== undefined) return invalid(`Unexpected field "${extra.slice(0, 40)}".`, extra.slice(0, 40));
  if (value.kind !== 'request') return invalid('Field "kind" must be "request".', 'kind');
  const id = value.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return invalid('Field "id" must be a non-negative integer.', 'id');
  }
  const method = value.method;
  if (!isMethodName(method)) {
    const name = typeof method === 'string' ? method.slice(0, 64) : typeof method;
    return err({ code: 'unknown-method', message: `Unknown method "${name}".`, method: name });
  }
  const params = validateParams(method, value.params);
  if (!params.ok) return params;
  return ok({ kind: 'request', id, method, params: params.value } as RequestMessage);
}

/** The request id if one can be read, for answering a request that failed validation. */
export function requestIdOf(value: unknown): number | null {
  if (isRecord(value) && typeof value.id === 'number' && Number.isSafeInteger(value.id) && value.id >= 0) {
    return value.id;
  }
  return null;
}

function noParams(params: unknown): Result<null> {
  return params === null || params === undefined
    ? ok(null)
    : invalid('This method takes no params.', 'params');
}

/** An upload's id: made by the client, random (crypto.randomUUID), so other clients cannot guess it. */
function validateUploadId(value: unknown): Result<string> {
  return typeof value === 'string' && /^[A-Za-z0-9-]{16,64}$/.test(value)
    ? ok(value)
    : invalid('Field "upload" must be an id of 16 to 64 letters, digits and dashes.', 'params.upload');
}

function validateUploadName(value: unknown, field: string): Result<string> {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_UPLOAD_NAME_LENGTH)
    return invalid(`A file name must be a string of 1 to ${MAX_UPLOAD_NAME_LENGTH} characters.`, field);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(value))
    return invalid('A file name must not contain control characters.', field);
  return ok(value);
}

function validateUploadParams(params: unknown): Result<MethodParams<'uploadManifests'>> {
  if (!isRecord(params)) return invalid('Params must be an object.', 'params');
  const extra = hasOnlyKeys(params, ['upload', 'parts']);
  if (extra !== undefined)
    return invalid(`Unexpected field "${extra.slice(0, 40)}".`, `params.${extra.slice(0, 40)}`);
  const upload = validateUploadId(params.upload);
  if (!upload.ok) return upload;
  const parts = params.parts;
  if (!Array.isArray(parts) || parts.length === 0 || parts.length > MAX_UPLOAD_FILES)
    return invalid(`Field "parts" must list 1 to ${MAX_UPLOAD_FILES} parts.`, 'params.parts');
  const checked: { name: string; text: string }[] = [];
  let cost = 0;
  for (const [i, part] of (parts as unknown[]).entries()) {
    if (!isRecord(part) || hasOnlyKeys(part, ['name', 'text']) !== undefined)
      return invalid('A part must be { name, text }.', `params.parts[${i}]`);
    const name = validateUploadName(part.name, `params.parts[${i}].name`);
    if (!name.ok) return name;
    if (typeof part.text !== 'string')
      return invalid('Field "text" must be a string.', `params.parts[${i}].text`);
    const entry = { name: name.value, text: part.text };
    checked.push(entry);
    cost += uploadPartCost(entry);
  }
  if (cost > UPLOAD_PART_CHARS) {
    return invalid(
      `Too much in one request: at most ${UPLOAD_PART_CHARS} characters of names and text (and ${UPLOAD_PART_OVERHEAD} per part).`,
      'params.parts',
    );
  }
  return ok({ upload: upload.value, parts: checked });
}

function validateChooseManifestsParams(params: unknown): Result<MethodParams<'chooseManifests'>> {
  if (!isRecord(params) || hasOnlyKeys(params, ['pick']) !== undefined)
    return invalid('Params must be { pick }.', 'params');
  return params.pick === 'files' || params.pick === 'folder'
    ? ok({ pick: params.pick })
    : invalid('Field "pick" must be "files" or "folder".', 'params.pick');
}

function validatePath(path: unknown, field: string): Result<string> {
  if (typeof path !== 'string' || path.length === 0)
    return invalid('A path must be a non-empty string.', field);
  if (path.length > MAX_PATH_LENGTH)
    return invalid(`A path is longer than ${MAX_PATH_LENGTH} characters.`, field);
  if (path.includes('\0')) return invalid('A path must not contain NUL characters.', field);
  return ok(path);
}

export function validateSourceRequest(params: unknown): Result<SourceRequest> {
  if (!isRecord(params)) return invalid('Params must be an object.', 'params');
  switch (params.kind) {
    case 'demo': {
      const extra = hasOnlyKeys(params, ['kind']);
      return extra === undefined
        ? ok({ kind: 'demo' })
        : invalid(`Unexpected field "${extra}".`, `params.${extra}`);
    }
    case 'manifests': {
      const extra = hasOnlyKeys(params, ['kind', 'paths', 'strict']);
      if (extra !== undefined) return invalid(`Unexpected field "${extra}".`, `params.${extra}`);
      const paths = params.paths;
      if (!Array.isArray(paths) || paths.length === 0) {
        return invalid('Field "paths" must be a non-empty list.', 'params.paths');
      }
      if (paths.length > MAX_PATHS) return invalid(`At most ${MAX_PATHS} paths.`, 'params.paths');
      const checked: string[] = [];
      for (const [i, p] of (paths as unknown[]).entries()) {
        const path = validatePath(p, `params.paths[${i}]`);
        if (!path.ok) return path;
        checked.push(path.value);
      }
      if (params.strict === undefined) return ok({ kind: 'manifests', paths: checked });
      if (typeof params.strict !== 'boolean')
        return invalid('Field "strict" must be true or false.', 'params.strict');
      return ok({ kind: 'manifests', paths: checked, strict: params.strict });
    }
    case 'dropped': {
      const extra = hasOnlyKeys(params, ['kind', 'upload', 'files']);
      if (extra !== undefined) return invalid(`Unexpected field "${extra}".`, `params.${extra}`);
      const upload = validateUploadId(params.upload);
      if (!upload.ok) return upload;
      const files = params.files;
      if (!Array.isArray(files) || files.length === 0 || files.length > MAX_UPLOAD_FILES) {
        return invalid(`Field "files" must list 1 to ${MAX_UPLOAD_FILES} file names.`, 'params.files');
      }
      const names: string[] = [];
      for (const [i, f] of (files as unknown[]).entries()) {
        const name = validateUploadName(f, `params.files[${i}]`);
        if (!name.ok) return name;
        names.push(name.value);
      }
      return ok({ kind: 'dropped', upload: upload.value, files: names });
    }
    case 'cluster': {
      const extra = hasOnlyKeys(params, ['kind', 'context', 'namespaces']);
      if (extra !== undefined) return invalid(`Unexpected field "${extra}".`, `params.${extra}`);
      const context = params.context;
      if (typeof context !== 'string' || context.length === 0 || context.length > MAX_NAME_LENGTH) {
        return invalid(
          `Field "context" must be a string of 1 to ${MAX_NAME_LENGTH} characters.`,
          'params.context',
        );
      }
      const namespaces = params.namespaces;
      if (namespaces === undefined) return ok({ kind: 'cluster', context });
      if (!Array.isArray(namespaces) || namespaces.length > MAX_PATHS) {
        return invalid(
          `Field "namespaces" must be a list of at most ${MAX_PATHS} names.`,
          'params.namespaces',
        );
      }
      const names: string[] = [];
      for (const [i, ns] of (namespaces as unknown[]).entries()) {
        if (typeof ns !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)) {
          return invalid(
            `Namespace ${JSON.stringify(ns)} is not a valid namespace name.`,
            `params.namespaces[${i}]`,
          );
        }
        names.push(ns);
      }
      return ok({ kind: 'cluster', context, namespaces: names });
    }
    default:
      return invalid('Field "kind" must be one of demo, manifests, dropped, cluster.', 'params.kind');
  }
}

export function validateParams<M extends MethodName>(method: M, params: unknown): Result<MethodParams<M>> {
  const name: MethodName = method;
  switch (name) {
    case 'openSource':
      return validateSourceRequest(params);
    case 'dryRunPolicy':
      return validatePolicyParams(params, false);
    case 'applyPolicy':
      return validatePolicyParams(params, true);
    case 'suggestPolicyPath':
      return validateSuggestParams(params);
    case 'savePolicy':
      return validateSaveParams(params);
    case 'savePolicyAs':
      return validateSaveAsParams(params);
    case 'saveExport':
      return validateSaveExportParams(params);
    case 'uploadManifests':
      return validateUploadParams(params);
    case 'chooseManifests':
      return validateChooseManifestsParams(params);
    case 'getInfo':
    case 'getStatus':
    case 'reload':
    case 'listContexts':
    case 'subscribe':
    case 'unsubscribe':
      return noParams(params);
  }
}

// ---------------------------------------------------------------- the policy editor's methods

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validateContext(value: unknown): Result<string | undefined> {
  if (value === undefined) return ok(undefined);
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    return invalid(
      `Field "context" must be a string of 1 to ${MAX_NAME_LENGTH} characters.`,
      'params.context',
    );
  }
  return ok(value);
}

/** Checks one value against a shape; returns the first problem as [message, path] or undefined. */
type Problem = readonly [message: string, path: string] | undefined;

function stringMap(value: unknown, path: string): Problem {
  if (!isRecord(value)) return ['must be a mapping of strings', path];
  const entries = Object.entries(value);
  if (entries.length > MAX_POLICY_LIST) return [`at most ${MAX_POLICY_LIST} entries`, path];
  for (const [k, v] of entries)
    if (typeof v !== 'string') return ['must be a string', `${path}[${JSON.stringify(k)}]`];
  return undefined;
}

function list(value: unknown, path: string, each: (item: unknown, path: string) => Problem): Problem {
  if (!Array.isArray(value)) return ['must be a list', path];
  if (value.length > MAX_POLICY_LIST) return [`at most ${MAX_POLICY_LIST} entries`, path];
  for (const [i, item] of (value as unknown[]).entries()) {
    const problem = each(item, `${path}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function fields(
  value: unknown,
  path: string,
  shape: Readonly<Record<string, (v: unknown, path: string) => Problem>>,
  required: readonly string[] = [],
): Problem {
  if (!isRecord(value)) return ['must be a mapping', path];
  const extra = hasOnlyKeys(value, Object.keys(shape));
  if (extra !== undefined) return [`unexpected field ${JSON.stringify(extra.slice(0, 40))}`, path];
  for (const key of required) if (!(key in value)) return ['is required', `${path}.${key}`];
  for (const [key, check] of Object.entries(shape)) {
    if (!(key in value)) continue;
    const problem = check(value[key], `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

const isString = (v: unknown, path: string): Problem =>
  typeof v === 'string' && v.length <= 4096 ? undefined : ['must be a string', path];

const selector = (v: unknown, path: string): Problem =>
  fields(v, path, {
    matchLabels: stringMap,
    matchExpressions: (x, p) =>
      list(x, p, (e, ep) =>
        fields(e, ep, { key: isString, operator: isString, values: (vs, vp) => list(vs, vp, isString) }, [
          'key',
          'operator',
        ]),
      ),
  });

const ipBlock = (v: unknown, path: string): Problem =>
  fields(v, path, { cidr: isString, except: (x, p) => list(x, p, isString) }, ['cidr']);

const peer = (v: unknown, path: string): Problem =>
  fields(v, path, { podSelector: selector, namespaceSelector: selector, ipBlock });

const portValue = (v: unknown, path: string): Problem =>
  (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string'
    ? isString(String(v), path)
    : ['must be a port number or name', path];

const port = (v: unknown, path: string): Problem =>
  fields(v, path, {
    protocol: isString,
    port: portValue,
    endPort: (x, p) => (typeof x === 'number' && Number.isInteger(x) ? undefined : ['must be an integer', p]),
  });

const rule =
  (peersKey: 'from' | 'to') =>
  (v: unknown, path: string): Problem =>
    fields(v, path, {
      [peersKey]: (x: unknown, p: string) => list(x, p, peer),
      ports: (x: unknown, p: string) => list(x, p, port),
    });

const spec = (v: unknown, path: string): Problem =>
  fields(v, path, {
    podSelector: selector,
    policyTypes: (x, p) =>
      list(x, p, (t, tp) =>
        t === 'Ingress' || t === 'Egress' ? undefined : ['must be Ingress or Egress', tp],
      ),
    ingress: (x, p) => list(x, p, rule('from')),
    egress: (x, p) => list(x, p, rule('to')),
  });

const namespacedPod = (v: unknown, path: string): Problem =>
  fields(v, path, { namespaceSelector: selector, podSelector: selector });

const adminPeer = (v: unknown, path: string): Problem =>
  fields(v, path, {
    namespaces: selector,
    pods: namespacedPod,
    networks: (x, p) => list(x, p, isString),
    nodes: selector,
    domainNames: (x, p) => list(x, p, isString),
  });

const protocolPorts = (v: unknown, path: string): Problem =>
  fields(v, path, {
    destinationPort: (x, p) =>
      fields(x, p, {
        number: portValue,
        range: (r, rp) => fields(r, rp, { start: portValue, end: portValue }, ['start', 'end']),
      }),
  });

const adminRule =
  (peersKey: 'from' | 'to') =>
  (v: unknown, path: string): Problem =>
    fields(
      v,
      path,
      {
        name: isString,
        action: isString,
        [peersKey]: (x: unknown, p: string) => list(x, p, adminPeer),
        protocols: (x: unknown, p: string) =>
          list(x, p, (e, ep) =>
            fields(e, ep, {
              tcp: protocolPorts,
              udp: protocolPorts,
              sctp: protocolPorts,
              destinationNamedPort: isString,
            }),
          ),
      },
      ['action'],
    );

const clusterSpec = (v: unknown, path: string): Problem =>
  fields(v, path, {
    tier: isString,
    priority: portValue,
    subject: (x, p) => fields(x, p, { namespaces: selector, pods: namespacedPod }),
    ingress: (x, p) => list(x, p, adminRule('from')),
    egress: (x, p) => list(x, p, adminRule('to')),
  });

/** The ClusterNetworkPolicy versions the editor writes (identical schemas). */
const CLUSTER_POLICY_API_VERSIONS = ['policy.networking.k8s.io/v1beta1', 'policy.networking.k8s.io/v1alpha2'];

/**
 * A NetworkPolicy manifest as `draftToManifest` writes it, checked strictly: every field known and of
 * its type, names well-formed, lists and size bounded. What the values mean is the API server's to
 * judge (that is what the dry-run is for).
 */
export function validatePolicyManifest(value: unknown, field = 'params.manifest'): Result<PolicyManifest> {
  if (!isRecord(value)) return invalid('The manifest must be an object.', field);
  let size: number;
  try {
    size = utf8Length(JSON.stringify(value));
  } catch {
    return invalid('The manifest is not plain JSON.', field);
  }
  if (size > MAX_POLICY_BYTES)
    return invalid(`The manifest is larger than ${MAX_POLICY_BYTES} bytes.`, field);
  if (value.kind === 'ClusterNetworkPolicy') return validateClusterPolicyManifest(value, field);
  if (value.apiVersion !== 'networking.k8s.io/v1' || value.kind !== 'NetworkPolicy') {
    return invalid(
      'The manifest must be a networking.k8s.io/v1 NetworkPolicy or a policy.networking.k8s.io ClusterNetworkPolicy.',
      `${field}.kind`,
    );
  }
  const problem = fields(
    value,
    field,
    {
      apiVersion: () => undefined,
      kind: () => undefined,
      metadata: metadataOf(true),
      spec,
    },
    ['metadata', 'spec'],
  );
  if (problem) return invalid(`Field ${problem[1]} ${problem[0]}.`, problem[1]);
  return ok(value as unknown as PolicyManifest);
}

/** A policy's metadata: a name, a namespace when the kind is namespaced, labels and annotations. */
function metadataOf(namespaced: boolean): (value: unknown, path: string) => Problem {
  return (m, p) =>
    fields(
      m,
      p,
      {
        name: (n, np) =>
          typeof n === 'string' && n.length > 0 && n.length <= MAX_NAME_LENGTH
            ? undefined
            : [`must be a name of 1 to ${MAX_NAME_LENGTH} characters`, np],
        ...(namespaced
          ? {
              namespace: (n: unknown, np: string): Problem =>
                typeof n === 'string' && n.length <= 63 && DNS_LABEL.test(n)
                  ? undefined
                  : ['must be a namespace name', np],
            }
          : {}),
        labels: stringMap,
        annotations: stringMap,
      },
      namespaced ? ['name', 'namespace'] : ['name'],
    );
}

/** A ClusterNetworkPolicy manifest as `clusterDraftToManifest` writes it: cluster-scoped, known fields only. */
function validateClusterPolicyManifest(
  value: Record<string, unknown>,
  field: string,
): Result<PolicyManifest> {
  if (typeof value.apiVersion !== 'string' || !CLUSTER_POLICY_API_VERSIONS.includes(value.apiVersion)) {
    return invalid(
      `A ClusterNetworkPolicy must have apiVersion ${CLUSTER_POLICY_API_VERSIONS.join(' or ')}.`,
      `${field}.apiVersion`,
    );
  }
  const problem = fields(
    value,
    field,
    {
      apiVersion: () => undefined,
      kind: () => undefined,
      metadata: metadataOf(false),
      spec: clusterSpec,
    },
    ['metadata', 'spec'],
  );
  if (problem) return invalid(`Field ${problem[1]} ${problem[0]}.`, problem[1]);
  return ok(value as unknown as PolicyManifest);
}

function validatePolicyParams(
  params: unknown,
  withToken: boolean,
): Result<{ context?: string; manifest: PolicyManifest; force?: boolean; dryRunToken?: string }> {
  if (!isRecord(params)) return invalid('Params must be an object.', 'params');
  // `force` belongs to the dry-run only: an apply repeats what its dry-run (token) decided.
  const extra = hasOnlyKeys(
    params,
    withToken ? ['context', 'manifest', 'dryRunToken'] : ['context', 'manifest', 'force'],
  );
  if (extra !== undefined)
    return invalid(`Unexpected field "${extra.slice(0, 40)}".`, `params.${extra.slice(0, 40)}`);
  const context = validateContext(params.context);
  if (!context.ok) return context;
  const manifest = validatePolicyManifest(params.manifest);
  if (!manifest.ok) return manifest;
  const base = {
    ...(context.value !== undefined ? { context: context.value } : {}),
    manifest: manifest.value,
  };
  if (!withToken) {
    if (params.force === undefined) return ok(base);
    if (typeof params.force !== 'boolean')
      return invalid('Field "force" must be true or false.', 'params.force');
    return ok({ ...base, force: params.force });
  }
  const token = params.dryRunToken;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return invalid('Field "dryRunToken" must be the token of a dry-run.', 'params.dryRunToken');
  }
  return ok({ ...base, dryRunToken: token });
}

function validateSuggestParams(
  params: unknown,
): Result<{ namespace: string; name: string; originFile?: string }> {
  if (!isRecord(params)) return invalid('Params must be an object.', 'params');
  const extra = hasOnlyKeys(params, ['namespace', 'name', 'originFile']);
  if (extra !== undefined)
    return invalid(`Unexpected field "${extra.slice(0, 40)}".`, `params.${extra.slice(0, 40)}`);
  const { namespace, name } = params;
  // '' names a cluster-scoped policy (ClusterNetworkPolicy).
  if (
    typeof namespace !== 'string' ||
    namespace.length > 63 ||
    (namespace !== '' && !DNS_LABEL.test(namespace))
  ) {
    return invalid('Field "namespace" must be a namespace name.', 'params.namespace');
  }
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    name.length > MAX_NAME_LENGTH ||
    !/^[a-z0-9.-]+$/.test(name)
  ) {
    return invalid('Field "name" must be a policy name.', 'params.name');
  }
  if (params.originFile === undefined) return ok({ namespace, name });
  const origin = validatePath(params.originFile, 'params.originFile');
  if (!origin.ok) return origin;
  return ok({ namespace, name, originFile: origin.value });
}

function validateYaml(yaml: unknown): Result<string> {
  if (typeof yaml !== 'string') return invalid('Field "yaml" must be a string.', 'params.yaml');
  if (utf8Length(yaml) > MAX_POLICY_BYTES) {
    return invalid(`Field "yaml" is larger than ${MAX_POLICY_BYTES} bytes.`, 'params.yaml');
  }
  if (yaml.includes('\0')) return invalid('Field "yaml" must not contain NUL characters.', 'params.yaml');
  return ok(yaml);
}

function validateSaveParams(params: unknown): Result<{ path: string; yaml: string; overwrite: boolean }> {
  if (!isRecord(params)) return invalid('Params must be an object.', 'params');
  const extra = hasOnlyKeys(params, ['path', 'yaml', 'overwrite']);
  if (extra !== undefined)
    return invalid(`Unexpected field "${extra.slice(0, 40)}".`, `params.${extra.slice(0, 40)}`);
  const path = validatePath(params.path, 'params.path');
  if (!path.ok) return path;
  if (!/\.ya?ml$/i.test(path.value))
    return invalid('A policy is saved to a .yaml or .yml file.', 'params.path');
  const yaml = validateYaml(params.yaml);
  if (!yaml.ok) return yaml;
  if (typeof params.overwrite !== 'boolean') {
    return invalid('Field "overwrite" must be true or false.', 'params.overwrite');
  }
  return ok({ path: path.value, yaml: yaml.value, overwrite: params.overwrite });
}

/** A file name only (the dialog's suggestion): no folder, so the page cannot steer where it goes. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}\.ya?ml$/;

function validateSaveAsParams(params: unknown): Result<{ yaml: string; fileName: string }> {
  if (!isRecord(params)) return invalid('Params must be an object.', 'params');
  const extra = hasOnlyKeys(params, ['yaml', 'fileName']);
  if (extra !== undefined)
    return invalid(`Unexpected field "${extra.slice(0, 40)}".`, `params.${extra.slice(0, 40)}`);
  const yaml = validateYaml(params.yaml);
  if (!yaml.ok) return yaml;
  const fileName = params.fileName;
  if (typeof fileName !== 'string' || !FILE_NAME.test(fileName)) {
    return invalid(
      'Field "fileName" must be a file name ending in .yaml or .yml, without a folder.',
      'params.fileName',
    );
  }
  return ok({ yaml: yaml.value, fileName });
}

/** An exported file, as its bytes: a big graph image fits; more than this is refused unread. */
export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;

/** A file name only, whose extension is one `saveExport` writes. */
const EXPORT_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,200}\.([a-z]{2,4})$/;

/** The extension of an export's file name, if it is one `saveExport` writes. */
export function exportExtensionOf(fileName: string): ExportExtension | undefined {
  const ext = EXPORT_FILE_NAME.exec(fileName)?.[1];
  return ext !== undefined && Object.hasOwn(EXPORT_FILE_TYPES, ext) ? (ext as ExportExtension) : undefined;
}

function validateSaveExportParams(
  params: unknown,
): Result<{ fileName: string; data: string; encoding: 'utf8' | 'base64' }> {
  if (!isRecord(params)) return invalid('Params must be an object.', 'params');
  const extra = hasOnlyKeys(params, ['fileName', 'data', 'encoding']);
  if (extra !== undefined)
    return invalid(`Unexpected field "${extra.slice(0, 40)}".`, `params.${extra.slice(0, 40)}`);
  const { fileName, data, encoding } = params;
  if (typeof fileName !== 'string' || exportExtensionOf(fileName) === undefined) {
    return invalid(
      `Field "fileName" must be a file name without a folder, ending in ${Object.keys(EXPORT_FILE_TYPES)
        .map((e) => `.${e}`)
        .join(', ')}.`,
      'params.fileName',
    );
  }
  if (encoding !== 'utf8' && encoding !== 'base64')
    return invalid('Field "encoding" must be "utf8" or "base64".', 'params.encoding');
  if (typeof data !== 'string') return invalid('Field "data" must be a string.', 'params.data');
  // Base64 carries 3 bytes in 4 characters; UTF-8 text is measured as it will be written.
  const bytes = encoding === 'base64' ? Math.floor((data.length * 3) / 4) : utf8Length(data);
  if (bytes > MAX_EXPORT_BYTES)
    return invalid(`The file is larger than ${MAX_EXPORT_BYTES / (1024 * 1024)} MiB.`, 'params.data');
  if (encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(data))
    return invalid('Field "data" is not base64.', 'params.data');
  return ok({ fileName, data, encoding });
}

/**
 * Client-side check of what the server sends. The server is trusted (it is our own Node side), so this
 * only guards the envelope; payloads are typed by the method.
 */
export function parseServerMessage(value: unknown): ServerMessage | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'response') {
    const id = value.id;
    if (!(id === null || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
    const result = value.result;
    if (!isRecord(result) || typeof result.ok !== 'boolean') return undefined;
    if (result.ok === false && !(isRecord(result.error) && typeof result.error.code === 'string'))
      return undefined;
    return value as unknown as ResponseMessage;
  }
  if (value.kind === 'event') {
    const event = value.event;
    if (!isRecord(event) || typeof event.type !== 'string') return undefined;
    return value as unknown as EventMessage;
  }
  return undefined;
}
