/**
 * The pod an address belongs to. An end given as an address (`check --from 10.0.1.5`, an assertion's
 * `from: 10.0.1.5`) that is one pod's own means that pod: taken as an address it would be judged as
 * traffic from outside the cluster, which no pod address is.
 */
import { formatIP, parseIP } from '../net/address.ts';
import type { Pod } from './snapshot.ts';

function canonical(text: string): string | undefined {
  const ip = parseIP(text);
  return typeof ip === 'string' ? undefined : formatIP(ip);
}

/**
 * The one pod whose own address `ip` is, else undefined: host-network pods share their node's address
 * (it is not theirs alone), and two pods with one address (a stale snapshot) leave it ambiguous.
 */
export function podAtAddress(pods: readonly Pod[], ip: string): Pod | undefined {
  const wanted = canonical(ip);
  if (wanted === undefined) return undefined;
  const found = pods.filter((p) => !p.hostNetwork && p.ips.some((a) => canonical(a) === wanted));
  return found.length === 1 ? found[0] : undefined;
}
