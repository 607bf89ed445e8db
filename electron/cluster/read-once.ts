/**
 * One consistent snapshot of a live cluster, for the CLI: the live source runs until every list
 * that can succeed has synced, then stops. Forbidden lists become `Snapshot.visibility`, as in the
 * app, so verdicts that depend on them are unknown.
 */
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { kubeConfigForContext, kubeconfigPaths, loadKubeconfigSet } from './kubeconfig.ts';
import { LiveSource } from './live-source.ts';
import { liveSnapshot } from './to-snapshot.ts';

export type ReadOnceResult =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly context: string }
  | { readonly ok: false; readonly message: string };

export function readClusterOnce(
  kubeconfig: string | undefined,
  context: string | undefined,
  timeoutMs = 60_000,
): Promise<ReadOnceResult> {
  const { paths, explicit } = kubeconfigPaths(kubeconfig);
  const set = loadKubeconfigSet(paths, explicit);
  const fatal = set.problems.find(
    (p) => p.kind === 'missing-file' || p.kind === 'no-files' || (explicit && p.kind === 'invalid-yaml'),
  );
  if (fatal !== undefined) return Promise.resolve({ ok: false, message: fatal.message });
  const resolved = kubeConfigForContext(set, context);
  if (!resolved.ok) {
    const yamlProblem = set.problems.find((p) => p.kind === 'invalid-yaml');
    return Promise.resolve({
      ok: false,
      message: yamlProblem !== undefined ? `${resolved.message}\n${yamlProblem.message}` : resolved.message,
    });
  }
  const name = resolved.context.name;
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: ReadOnceResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      source.stop();
      resolve(result);
    };
    const source = new LiveSource({
      kubeConfig: resolved.kubeConfig,
      build: (objects, visibility) =>
        liveSnapshot(objects, visibility, { context: name, server: resolved.context.server ?? '' }),
      onSnapshot: (snapshot) => finish({ ok: true, snapshot, context: name }),
      onStatus: (status) => {
        if (status.state === 'error')
          finish({
            ok: false,
            message: `cannot read cluster of context "${name}" (${resolved.context.server ?? '?'}): ${status.reason}\n${status.detail}`,
          });
      },
    });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          message: `cannot read cluster of context "${name}" (${resolved.context.server ?? '?'}): no answer within ${timeoutMs / 1000} s (${JSON.stringify(source.status)})`,
        }),
      timeoutMs,
    );
    source.start();
  });
}
