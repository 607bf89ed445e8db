/**
 * Runs a kubeconfig exec credential plugin (`users[].user.exec`: aws, gke-gcloud-auth-plugin,
 * kubelogin, ...) the way client-go does, with what client-node's runner lacks:
 *
 * - one run at a time: every request waiting for a credential shares the run in progress;
 * - a timeout: a plugin that does not finish is killed, and the error names it and the limit;
 * - a failure is remembered for a moment, so retrying lists do not start the plugin again each time;
 * - the credential is kept until it expires, or until the server rejects it (401) — then the next
 *   request runs the plugin again, once, however many requests were rejected.
 *
 * As in client-go, the plugin gets `KUBERNETES_EXEC_INFO` (the ExecCredential request), the
 * configured environment on top of ours, no standard input (netglass is never an interactive
 * terminal for it), and its output is checked: the configured apiVersion, a status, a token or a
 * certificate and key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { formatSeconds } from './request-signal.ts';

export type ExecApiVersion = 'client.authentication.k8s.io/v1' | 'client.authentication.k8s.io/v1beta1';

/** The ExecCredential versions client-go accepts (v1alpha1 is gone). */
export const EXEC_API_VERSIONS: readonly ExecApiVersion[] = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
];

export interface ExecPluginConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion: ExecApiVersion;
  readonly interactiveMode: 'Never' | 'IfAvailable' | 'Always';
  readonly provideClusterInfo: boolean;
}

/** What `provideClusterInfo` hands the plugin (ExecCredential `spec.cluster`). */
export interface ExecClusterInfo {
  readonly server: string;
  readonly 'tls-server-name'?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  /** Base64, as in the kubeconfig. */
  readonly 'certificate-authority-data'?: string;
  readonly 'proxy-url'?: string;
  readonly 'disable-compression'?: boolean;
  /** The cluster's `client.authentication.k8s.io/exec` extension. */
  readonly config?: unknown;
}

export interface ExecCredential {
  readonly token?: string;
  /** PEM, when the plugin returns a client certificate (always with its key). */
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  /** Epoch ms; none: valid until the server rejects it. */
  readonly expiresAt?: number;
  /** Epoch ms of the run that produced it. */
  readonly obtainedAt: number;
}

export type ExecFailureKind = 'not-found' | 'failed' | 'timeout' | 'bad-output' | 'interactive' | 'closed';

export class ExecPluginError extends Error {
  override readonly name = 'ExecPluginError';
  readonly kind: ExecFailureKind;
  constructor(kind: ExecFailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface ExecPluginOptions {
  /** The kubeconfig user, for messages. */
  readonly user: string;
  readonly cluster?: ExecClusterInfo;
  /** Default 60 s: long enough for a browser login (kubelogin), short of "hangs". */
  readonly timeoutMs?: number;
  /** How long a failure is reused before the plugin runs again. Default 5 s. */
  readonly failureMemoMs?: number;
  /** Largest output kept; a credential is a few kB. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  readonly now?: () => number;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** After SIGTERM, how long a plugin may take to exit before SIGKILL. */
const KILL_GRACE_MS = 2_000;

type Cache =
  | { readonly state: 'empty' }
  | { readonly state: 'running'; readonly run: Promise<ExecCredential> }
  | { readonly state: 'valid'; readonly credential: ExecCredential }
  | { readonly state: 'failed'; readonly error: ExecPluginError; readonly at: number };

export class ExecPlugin {
  readonly #config: ExecPluginConfig;
  readonly #options: ExecPluginOptions;
  readonly #now: () => number;
  #cache: Cache = { state: 'empty' };
  readonly #children = new Set<ChildProcess>();
  #disposed = false;

  constructor(config: ExecPluginConfig, options: ExecPluginOptions) {
    this.#config = config;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** `credential plugin "aws" of user "dev"`: how messages name the plugin. */
  get label(): string {
    return `credential plugin "${this.#config.command}" of user "${this.#options.user}"`;
  }

  /** A valid credential: the cached one, the run in progress, or a new run. */
  credential(): Promise<ExecCredential> {
    if (this.#disposed) return Promise.reject(new ExecPluginError('closed', `the ${this.label} was stopped`));
    const cache = this.#cache;
    switch (cache.state) {
      case 'running':
        return cache.run;
      case 'valid':
        if (cache.credential.expiresAt === undefined || cache.credential.expiresAt > this.#now())
          return Promise.resolve(cache.credential);
        break;
      case 'failed':
        if (this.#now() - cache.at < (this.#options.failureMemoMs ?? 5_000))
          return Promise.reject(cache.error);
        break;
      case 'empty':
        break;
    }
    const run = this.#run().then(
      (credential) => {
        if (this.#cache.state === 'running' && this.#cache.run === run)
          this.#cache = { state: 'valid', credential };
        return credential;
      },
      (error: unknown) => {
        const failure =
          error instanceof ExecPluginError
            ? error
            : new ExecPluginError('failed', `the ${this.label}: ${String(error)}`);
        if (this.#cache.state === 'running' && this.#cache.run === run)
          this.#cache = { state: 'failed', error: failure, at: this.#now() };
        throw failure;
      },
    );
    this.#cache = { state: 'running', run };
    return run;
  }

  /**
   * The server rejected a request (401): drop the credential, so the next request runs the plugin.
   * A run in progress is already the fresh one. client-go refreshes only if the rejected request
   * used the cached credential; the requests of one wave fail together, before the retry has
   * obtained a new one, so at worst a late 401 of that wave costs one extra run.
   */
  rejected(): void {
    if (this.#cache.state === 'valid') this.#cache = { state: 'empty' };
  }

  /** Kills runs in progress and refuses new ones. */
  dispose(): void {
    this.#disposed = true;
    for (const child of this.#children) terminate(child);
    this.#children.clear();
    this.#cache = { state: 'empty' };
  }

  #run(): Promise<ExecCredential> {
    const config = this.#config;
    if (config.interactiveMode === 'Always') {
      return Promise.reject(
        new ExecPluginError(
          'interactive',
          `the ${this.label} needs an interactive terminal (interactiveMode: Always), which netglass cannot give it; log in with it in a terminal first, or set interactiveMode: IfAvailable`,
        ),
      );
    }
    const execInfo = {
      apiVersion: config.apiVersion,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        ...(config.provideClusterInfo && this.#options.cluster !== undefined
          ? { cluster: this.#options.cluster }
          : {}),
      },
    };
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const { name, value } of config.env) env[name] = value;
    env['KUBERNETES_EXEC_INFO'] = JSON.stringify(execInfo);
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const maxOutput = this.#options.maxOutputBytes ?? 1024 * 1024;
    const started = this.#now();

    return new Promise<ExecCredential>((resolve, reject) => {
      let settled = false;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let outBytes = 0;
      let errBytes = 0;
      const child = spawn(config.command, [...config.args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      this.#children.add(child);
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#children.delete(child);
        outcome();
      };
      const timer = setTimeout(() => {
        terminate(child);
        settle(() =>
          reject(
            new ExecPluginError(
              'timeout',
              `the ${this.label} did not finish within ${formatSeconds(timeoutMs)}, and was stopped${lastLines(stderr)}`,
            ),
          ),
        );
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        outBytes += chunk.length;
        if (outBytes <= maxOutput) stdout.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        errBytes += chunk.length;
        if (errBytes <= 64 * 1024) stderr.push(chunk);
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        terminate(child);
        settle(() =>
          reject(
            error.code === 'ENOENT'
              ? new ExecPluginError(
                  'not-found',
                  `the ${this.label} was not found (spawn ${config.command} ENOENT)`,
                )
              : new ExecPluginError('failed', `the ${this.label} could not be started: ${error.message}`),
          ),
        );
      });
      child.on('close', (code, signal) => {
        if (this.#disposed) {
          settle(() => reject(new ExecPluginError('closed', `the ${this.label} was stopped`)));
          return;
        }
        if (code !== 0) {
          const how = code !== null ? `exit code ${code}` : `signal ${signal ?? '?'}`;
          settle(() =>
            reject(new ExecPluginError('failed', `the ${this.label} failed with ${how}${lastLines(stderr)}`)),
          );
          return;
        }
        if (outBytes > maxOutput) {
          settle(() =>
            reject(new ExecPluginError('bad-output', `the ${this.label} wrote more than ${maxOutput} bytes`)),
          );
          return;
        }
        const parsed = this.#parse(Buffer.concat(stdout).toString('utf8'), started);
        settle(() => (parsed.ok ? resolve(parsed.credential) : reject(parsed.error)));
      });
    });
  }

  #parse(
    text: string,
    obtainedAt: number,
  ): { ok: true; credential: ExecCredential } | { ok: false; error: ExecPluginError } {
    const bad = (why: string) =>
      ({
        ok: false,
        error: new ExecPluginError('bad-output', `the ${this.label} returned no usable credential: ${why}`),
      }) as const;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return bad(`its output is not JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object') return bad('its output is not an ExecCredential object');
    const cred = value as { apiVersion?: unknown; kind?: unknown; status?: unknown };
    if (cred.apiVersion !== this.#config.apiVersion)
      return bad(
        `it is configured for apiVersion ${this.#config.apiVersion} and returned ${typeof cred.apiVersion === 'string' ? cred.apiVersion : 'none'}`,
      );
    if (cred.kind !== undefined && cred.kind !== 'ExecCredential')
      return bad(`it returned kind ${JSON.stringify(cred.kind)}, not ExecCredential`);
    const status = cred.status as
      | {
          token?: unknown;
          clientCertificateData?: unknown;
          clientKeyData?: unknown;
          expirationTimestamp?: unknown;
        }
      | null
      | undefined;
    if (status === null || status === undefined || typeof status !== 'object')
      return bad('it returned no status');
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const token = str(status.token);
    const cert = str(status.clientCertificateData);
    const key = str(status.clientKeyData);
    if (token === undefined && cert === undefined && key === undefined)
      return bad('no token, and no client certificate and key');
    if ((cert === undefined) !== (key === undefined)) return bad('a client certificate or a key, not both');
    let expiresAt: number | undefined;
    if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
      expiresAt =
        typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : NaN;
      if (Number.isNaN(expiresAt))
        return bad(`expirationTimestamp ${JSON.stringify(status.expirationTimestamp)} is not a time`);
    }
    return {
      ok: true,
      credential: {
        ...(token !== undefined ? { token } : {}),
        ...(cert !== undefined && key !== undefined
          ? { clientCertificateData: cert, clientKeyData: key }
          : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        obtainedAt,
      },
    };
  }
}

/** SIGTERM, then SIGKILL if it lingers; our ends of its pipes closed at once, so nothing waits on them. */
function terminate(child: ChildProcess): void {
  child.stdout?.destroy();
  child.stderr?.destroy();
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const kill = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, KILL_GRACE_MS);
  kill.unref();
  child.once('exit', () => clearTimeout(kill));
}

/** The end of what the plugin wrote on stderr, where plugins explain themselves. */
function lastLines(stderr: readonly Buffer[]): string {
  const text = Buffer.concat(stderr).toString('utf8').trim();
  if (text === '') return '';
  const tail = text.split('\n').slice(-3).join('\n');
  return `: ${tail.length > 500 ? `…${tail.slice(-500)}` : tail}`;
}
