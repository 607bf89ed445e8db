/**
 * The credentials netglass obtains itself instead of leaving them to client-node: exec plugins (see
 * exec-plugin.ts) and kubectl's `tokenFile`, which client-node does not read at all (it looks for
 * `token-file`, a key kubectl does not know), so such a user silently went anonymous.
 *
 * Both plug into client-node as an Authenticator for one user. client-node asks its built-in
 * authenticators first, so kubeconfig.ts hands it the user without `exec`/`tokenFile` and registers
 * this one instead.
 */
import fs from 'node:fs/promises';
import type https from 'node:https';
import type { KubeConfig, User } from '@kubernetes/client-node';
import type { ExecPlugin } from './exec-plugin.ts';

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];
type AuthOptions = Parameters<Authenticator['applyAuthentication']>[1];

/** client-go re-reads a token file at most once a minute, so a rotated token is picked up. */
const TOKEN_FILE_TTL_MS = 60_000;

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
}

/** A bearer token read from a file, cached for a minute, read again at once after a 401. */
export class TokenFile {
  readonly #path: string;
  readonly #user: string;
  readonly #fallback: string | undefined;
  readonly #now: () => number;
  #cached: { readonly token: string; readonly readAt: number } | undefined;

  /** `fallback`: the user's `token`, which kubectl uses while the file cannot be read. */
  constructor(path: string, user: string, fallback?: string, now: () => number = Date.now) {
    this.#path = path;
    this.#user = user;
    this.#fallback = fallback;
    this.#now = now;
  }

  async token(): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && this.#now() - cached.readAt < TOKEN_FILE_TTL_MS) return cached.token;
    const readAt = this.#now();
    let text: string;
    try {
      text = await fs.readFile(this.#path, 'utf8');
    } catch (error) {
      if (this.#fallback !== undefined) return this.#fallback;
      throw new TokenFileError(describeTokenFileProblem(this.#path, this.#user, error));
    }
    const token = text.trim();
    if (token === '') {
      if (this.#fallback !== undefined) return this.#fallback;
      throw new TokenFileError(`the token file ${this.#path} of user "${this.#user}" is empty`);
    }
    this.#cached = { token, readAt };
    return token;
  }

  /** A request was rejected (401): read the file again for the next one (it may have been rotated). */
  rejected(): void {
    this.#cached = undefined;
  }
}

/** `the token file /x of user "u" does not exist`: kubectl's check, in a sentence. */
export function describeTokenFileProblem(path: string, user: string, error: unknown): string {
  return `the token file ${path} of user "${user}" ${whyUnreadable(error)}`;
}

/** Why a file named in a kubeconfig could not be opened: `does not exist`, `is not readable`, ... */
export function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'is not readable';
  return `cannot be read (${(error as Error).message})`;
}

export type CredentialSource =
  | { readonly kind: 'exec'; readonly plugin: ExecPlugin }
  | { readonly kind: 'token-file'; readonly file: TokenFile };

/** client-node's Authenticator for one kubeconfig user whose credentials netglass obtains. */
export class UserCredentials implements Authenticator {
  readonly #user: string;
  readonly #source: CredentialSource;

  constructor(user: string, source: CredentialSource) {
    this.#user = user;
    this.#source = source;
  }

  get source(): CredentialSource {
    return this.#source;
  }

  isAuthProvider(user: User): boolean {
    return user.name === this.#user;
  }

  async applyAuthentication(_user: User, opts: AuthOptions): Promise<void> {
    const headers = (opts.headers ?? {}) as Record<string, string>;
    if (this.#source.kind === 'token-file') {
      opts.headers = { ...headers, Authorization: `Bearer ${await this.#source.file.token()}` };
      return;
    }
    const credential = await this.#source.plugin.credential();
    if (credential.clientCertificateData !== undefined && credential.clientKeyData !== undefined) {
      // client-node copies these into the TLS options of the request's dispatcher.
      const tls = opts as https.RequestOptions;
      tls.cert = credential.clientCertificateData;
      tls.key = credential.clientKeyData;
    }
    if (credential.token !== undefined)
      opts.headers = { ...headers, Authorization: `Bearer ${credential.token}` };
  }

  /** The server answered 401: obtain the credential again for the next request. */
  rejected(): void {
    if (this.#source.kind === 'token-file') this.#source.file.rejected();
    else this.#source.plugin.rejected();
  }

  dispose(): void {
    if (this.#source.kind === 'exec') this.#source.plugin.dispose();
  }
}
