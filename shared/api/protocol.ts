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
} from './api.ts';

export const REQUEST_CHANNEL = 'netglass:request';
export const EVENT_CHANNEL = 'netglass:event';
/** Path of the WebSocket endpoint in web mode. */
export const WEBSOCKET_PATH = '/api';

/** Requests are small (a method and a few paths); anything bigger is refused unread. */
export const MAX_REQUEST_BYTES = 64 * 1024;
export const MAX_PATHS = 256;
export const MAX_PATH_LENGTH = 4096;
export const MAX_NAME_LENGTH = 253;

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
      const extra = hasOnlyKeys(params, ['kind', 'paths']);
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
      return ok({ kind: 'manifests', paths: checked });
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
      return invalid('Field "kind" must be one of demo, manifests, cluster.', 'params.kind');
  }
}

export function validateParams<M extends MethodName>(method: M, params: unknown): Result<MethodParams<M>> {
  const name: MethodName = method;
  switch (name) {
    case 'openSource':
      return validateSourceRequest(params);
    case 'getInfo':
    case 'getStatus':
    case 'reload':
    case 'listContexts':
    case 'subscribe':
    case 'unsubscribe':
      return noParams(params);
  }
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
