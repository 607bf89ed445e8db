/**
 * Is the API server still serving the truth? Watches can stay open and quiet while the server cannot
 * reach etcd (its watch cache answers, nothing changes), so a live source asks `/readyz` now and then:
 * a 5xx there, or no answer, means what the graph shows may be stale. Every authenticated (and
 * anonymous) user may read `/readyz` (the `system:public-info-viewer` role); a server that refuses it
 * tells us nothing, which is not staleness.
 */
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import { formatSeconds } from './request-signal.ts';

export type Readiness =
  | { readonly ready: true }
  /** The server could not be asked (refused, or no server named): no verdict. */
  | { readonly ready: 'unknown' }
  | { readonly ready: false; readonly reason: string };

const http = new IsomorphicFetchHttpLibrary();

/** The failed checks of a `/readyz?verbose` answer (`[-]etcd failed: reason withheld`), in a line. */
function failedChecks(body: string): string {
  const failed = body
    .split('\n')
    .filter((l) => l.startsWith('[-]'))
    .map((l) =>
      l
        .slice(3)
        .replace(/: reason withheld$/, '')
        .trim(),
    );
  return failed.length > 0 ? failed.join(', ') : (body.trim().split('\n')[0] ?? '');
}

export async function probeReadiness(
  kubeConfig: KubeConfig,
  signal: AbortSignal,
  timeoutMs = 5_000,
): Promise<Readiness> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined || server === '') return { ready: 'unknown' };
  const context = new RequestContext(`${server.replace(/\/+$/, '')}/readyz?verbose`, HttpMethod.GET);
  try {
    await kubeConfig.applySecurityAuthentication(context);
  } catch {
    return { ready: 'unknown' };
  }
  const deadline = AbortSignal.timeout(timeoutMs);
  context.setSignal(AbortSignal.any([signal, deadline]));
  try {
    const response = await http.send(context).toPromise();
    const status = response.httpStatusCode;
    if (status >= 200 && status < 300) return { ready: true };
    if (status < 500) return { ready: 'unknown' };
    const body = await response.body.text().catch(() => '');
    return { ready: false, reason: `the API server is not ready (HTTP ${status}: ${failedChecks(body)})` };
  } catch (error) {
    if (signal.aborted) return { ready: 'unknown' };
    if (deadline.aborted)
      return {
        ready: false,
        reason: `the API server did not answer /readyz within ${formatSeconds(timeoutMs)}`,
      };
    return {
      ready: false,
      reason: `the API server cannot be reached (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
