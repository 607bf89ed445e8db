/**
 * A pod's allowed peers grouped by the ports they share: each peer appears once, under the set of
 * ports it may use (allowed, and those whose answer is unknown). Peers on the same ports form one
 * group, so twenty-two clients of the same two ports are one list, not one list per port.
 */
import type { PortProbe } from '../../../../shared/eval/index.ts';
import type { PeerAccess } from '../../analysis/protocol.ts';

export interface PeerGroup {
  /** The ports every peer of the group may use, in the view's port order. */
  readonly allowed: readonly PortProbe[];
  /** Ports whose answer is unknown for these peers. */
  readonly unknown: readonly PortProbe[];
  readonly pods: readonly PeerAccess[];
  /** Address classes (external peers). */
  readonly external: readonly PeerAccess[];
}

export function groupByPorts(list: readonly PeerAccess[], ports: readonly PortProbe[]): PeerGroup[] {
  const groups = new Map<
    string,
    { allowed: number[]; unknown: number[]; pods: PeerAccess[]; external: PeerAccess[] }
  >();
  for (const access of list) {
    if (access.allowed.length + access.unknown.length === 0) continue;
    const allowed = [...access.allowed].sort((a, b) => a - b);
    const unknown = [...access.unknown].sort((a, b) => a - b);
    const key = `${allowed.join(',')}|${unknown.join(',')}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { allowed, unknown, pods: [], external: [] };
      groups.set(key, group);
    }
    (access.peer.kind === 'pod' ? group.pods : group.external).push(access);
  }
  const probe = (i: number): PortProbe | undefined => ports[i];
  return [...groups.values()]
    .map((g) => ({
      allowed: g.allowed.map(probe).filter((p) => p !== undefined),
      unknown: g.unknown.map(probe).filter((p) => p !== undefined),
      pods: g.pods,
      external: g.external,
    }))
    .sort((a, b) => b.pods.length + b.external.length - (a.pods.length + a.external.length));
}
