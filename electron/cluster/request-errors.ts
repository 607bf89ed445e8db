/**
 * What went wrong with a request to the API server, in words a person can act on: the HTTP status
 * (from client-node's ApiException, its Watch errors or our own watch), the server's Status message,
 * and for a 401 which context and user the server did not accept.
 */
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * A request that got no answer in time. Not named `TimeoutError`: the reflector reads that name as
 * the normal end of an idle watch, while this is a failure to back off from.
 */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
}

/** A watch the server refused: the status and the body (a Status object, as text) it answered with. */
export class WatchStatusError extends Error {
  override readonly name = 'WatchStatusError';
  readonly statusCode: number;
  readonly body: string;

  constructor(statusCode: number, statusText: string, body: string) {
    super(statusText);
    this.statusCode = statusCode;
    this.body = body;
  }
}

/** HTTP status of a failed request, from client-node's ApiException, its Watch errors or ours. */
export function httpStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.code === 'number') return e.code;
  return undefined;
}

function serverMessage(error: unknown): string | undefined {
  const body = (error as { body?: unknown }).body;
  const parse = (value: unknown): string | undefined => {
    const message = (value as { message?: unknown } | null)?.message;
    return typeof message === 'string' && message !== '' ? message : undefined;
  };
  if (typeof body === 'string') {
    try {
      return parse(JSON.parse(body));
    } catch {
      return undefined; // not a Status object (a proxy's error page)
    }
  }
  return body !== null && typeof body === 'object' ? parse(body) : undefined;
}

/**
 * client-node's ApiException message is `HTTP-Code: 401\nMessage: Unauthorized\nBody: ...`: keep the
 * message line, unless it is its placeholder for a status the API description does not list.
 */
function clientMessage(text: string): string {
  const line =
    text
      .replace(/^HTTP-Code: \d+\s*/, '')
      .replace(/^Message:\s*/, '')
      .split('\n')[0] ?? '';
  return line === 'Unknown API Status Code!' ? '' : line;
}

/** `user "alice" (context "dev")`, as far as the configuration names them. */
function whoseCredentials(kubeConfig: KubeConfig): string {
  const user = kubeConfig.getCurrentUser()?.name;
  const context = kubeConfig.getCurrentContext();
  const parts = [
    ...(user !== undefined && user !== '' ? [`user "${user}"`] : []),
    ...(context !== undefined && context !== '' ? [`context "${context}"`] : []),
  ];
  if (parts.length === 0) return 'the credentials';
  return parts.length === 1
    ? `the credentials of ${parts[0]}`
    : `the credentials of ${parts[0]} (${parts[1]})`;
}

/**
 * A one-line reason a person can act on, without a stack trace. With `kubeConfig`, a 401 names the
 * user and context whose credentials were rejected: unlike a 403 (RBAC), it means "log in again".
 */
export function describeRequestError(error: unknown, kubeConfig?: KubeConfig): string {
  const status = httpStatus(error);
  if (status !== undefined) {
    const fromServer = serverMessage(error);
    const fromClient = error instanceof Error ? clientMessage(error.message) : '';
    const detail = fromServer ?? fromClient;
    const http = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
    if (status === 401) {
      const whose = kubeConfig !== undefined ? whoseCredentials(kubeConfig) : 'the credentials';
      return `the API server rejected ${whose} (${http}); they may have expired: log in again or renew them`;
    }
    return http;
  }
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message !== '') return cause.message;
    return error.message;
  }
  return String(error);
}
