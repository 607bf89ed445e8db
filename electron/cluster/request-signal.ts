/**
 * Cancelling requests made through client-node. Its generated API calls take no AbortSignal, but they
 * accept per-call middleware, which can put one on the request before it is sent; without it an
 * unanswered request waits for undici's 300 s header timeout, and keeps the CLI's process alive.
 */
import { Observable, type ConfigurationOptions, type RequestContext } from '@kubernetes/client-node';
import { RequestTimeoutError } from './request-errors.ts';

/** Options for one generated API call (`api.listNamespace(params, requestOptions(signal))`). */
export function requestOptions(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          // The session's signal (SessionKubeConfig) may already be there: keep both.
          const own = context.getSignal();
          context.setSignal(own === undefined ? signal : AbortSignal.any([own, signal]));
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

export interface Deadline {
  readonly signal: AbortSignal;
  /** Call when the request is over, so the timer does not outlive it. */
  readonly clear: () => void;
}

/**
 * A signal that aborts with `parent`, or with a RequestTimeoutError naming `what` after `ms`.
 * undici rejects an aborted fetch with the signal's reason, so the caller sees that error.
 */
export function withDeadline(parent: AbortSignal, ms: number, what: string): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new RequestTimeoutError(`no answer to ${what} within ${formatSeconds(ms)}`)),
    ms,
  );
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/** `30 s`, `0.5 s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
