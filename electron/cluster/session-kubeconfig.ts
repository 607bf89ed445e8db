/**
 * The client-node configuration of one opened context, with a lifetime: `close()` aborts every
 * request still in flight through it (lists, discovery, watches, dry-runs) and stops running exec
 * plugins, so nothing keeps a stopped source — or the CLI's process — waiting on a server that does
 * not answer.
 *
 * It also carries the user's credentials when netglass obtains them itself (credentials.ts), so a
 * 401 can make them be obtained again (`credentialsRejected`).
 */
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';
import type { UserCredentials } from './credentials.ts';

export class SessionClosedError extends Error {
  override readonly name = 'SessionClosedError';
}

export class SessionKubeConfig extends KubeConfig {
  readonly #lifetime = new AbortController();
  #credentials: UserCredentials | undefined;

  /** Registers the user's credentials (before the configuration is loaded, as client-node asks). */
  useCredentials(credentials: UserCredentials): void {
    this.#credentials = credentials;
    this.addAuthenticator(credentials);
  }

  get credentials(): UserCredentials | undefined {
    return this.#credentials;
  }

  get closed(): boolean {
    return this.#lifetime.signal.aborted;
  }

  /** Every request made through this configuration passes here: give it the session's signal. */
  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    this.#throwIfClosed();
    await super.applySecurityAuthentication(context);
    this.#throwIfClosed();
    const own = context.getSignal();
    const lifetime = this.#lifetime.signal;
    context.setSignal(own === undefined ? lifetime : AbortSignal.any([own, lifetime]));
  }

  /** The server answered 401: credentials netglass obtains itself are obtained again. */
  credentialsRejected(): void {
    this.#credentials?.rejected();
  }

  close(): void {
    if (this.closed) return;
    this.#lifetime.abort(
      new SessionClosedError(`the connection to context "${this.getCurrentContext()}" was closed`),
    );
    this.#credentials?.dispose();
  }

  #throwIfClosed(): void {
    if (this.closed) throw this.#lifetime.signal.reason as Error;
  }
}

/** For callers that hold a plain KubeConfig: let a 401 refresh credentials netglass obtains itself. */
export function credentialsRejected(kubeConfig: KubeConfig): void {
  if (kubeConfig instanceof SessionKubeConfig) kubeConfig.credentialsRejected();
}
