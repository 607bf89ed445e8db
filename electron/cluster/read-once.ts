/**
 * One consistent snapshot of a live cluster, for the CLI: the live source runs until every list
 * that can succeed has synced, then stops. Forbidden lists become `Snapshot.visibility`, as in the
 * app, so verdicts that depend on them are unknown.
 *
 * When it is over — a snapshot, an error or the timeout — the context's session is closed: requests
 * still in flight are aborted and exec plugins stopped, so the CLI's process can exit at once rather
 * than wait for an HTTP timeout.
 */
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { kubeConfigForContext } from './kubeconfig-context.ts';
import { kubeconfigPaths, loadKubeconfigSet } from './kubeconfig.ts';
import { LiveSource, type LiveStatus } from './live-source.ts';
import { formatSeconds } from './request-signal.ts';

export type ReadOnceResult =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly context: string }
  | { readonly ok: false; readonly message: string };

export interface ReadOnceOptions {
  /** How long an exec credential plugin may run (default: kubeconfig.ts's). */
  readonly execTimeoutMs?: number;
}

export function readClusterOnce(
  kubeconfig: string | undefined,
  context: string | undefined,
  timeoutMs = 60_000,
  options: ReadOnceOptions = {},
): Promise<ReadOnceResult> {
  const { paths, explicit } = kubeconfigPaths(kubeconfig);
  // Refuses what kubectl refuses: a file that cannot be loaded, a missing token file, ...
  const resolved = kubeConfigForContext(
    loadKubeconfigSet(paths, explicit),
    context,
    options.execTimeoutMs !== undefined ? { execTimeoutMs: options.execTimeoutMs } : {},
  );
  if (!resolved.ok) return Promise.resolve({ ok: false, message: resolved.message });
  const name = resolved.context.name;
  const where = `context "${name}" (${resolved.context.server ?? '?'})`;
  const hint = resolved.context.execInstallHint;
  const withHint = (text: string): string =>
    // The plugin's own advice, when the plugin is what is missing (as kubectl prints it).
    hint !== undefined && / was not found \(spawn /.test(text) ? `${text}\n${hint}` : text;
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: ReadOnceResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      source.stop();
      resolved.kubeConfig.close();
      resolve(result);
    };
    const source = new LiveSource({
      kubeConfig: resolved.kubeConfig,
      origin: { context: name, server: resolved.context.server ?? '' },
      onSnapshot: (snapshot) => finish({ ok: true, snapshot, context: name }),
      onStatus: (status) => {
        if (status.state === 'error')
          finish({
            ok: false,
            message: withHint(`cannot read cluster of ${where}: ${status.reason}\n${status.detail}`),
          });
      },
    });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          message: withHint(
            `cannot read cluster of ${where}: no complete answer within ${formatSeconds(timeoutMs)}${lastProblem(source.status)}`,
          ),
        }),
      timeoutMs,
    );
    source.start();
  });
}

/** What the source was struggling with when the time ran out. */
function lastProblem(status: LiveStatus): string {
  switch (status.state) {
    case 'reconnecting':
    case 'error':
    case 'stale':
      return `; last error: ${status.reason}`;
    case 'connecting':
    case 'live':
    case 'stopped':
      return '';
  }
}
