/**
 * Named ports as a probe: a name (and optionally a protocol) resolved on the destination pod the way
 * a policy's named port is (classes.ts keeps the same map per pod class): every container port of the
 * pod declaring that name, with that protocol when one is given. Resolution is per pod, so the same
 * name may be different numbers on different destinations, or nothing at all.
 */
import type { Pod, Protocol } from '../model/snapshot.ts';
import { decodePort, encodePort } from './ports.ts';
import type { PortProbe } from './types.ts';

/** What a probe by name asks for: `http` (any protocol the pod declares it on) or `http/TCP`. */
export interface NamedPortProbe {
  readonly name: string;
  readonly protocol?: Protocol;
}

/**
 * The numeric probes `probe` stands for at `pod`, lowest first (by protocol, then number); empty when
 * the pod declares no such port. More than one only when containers of the pod repeat a name.
 */
export function resolveNamedPort(pod: Pick<Pod, 'ports'>, probe: NamedPortProbe): PortProbe[] {
  const codes = new Set<number>();
  for (const p of pod.ports) {
    if (p.name === undefined || p.name === '' || p.name !== probe.name) continue;
    if (probe.protocol !== undefined && p.protocol !== probe.protocol) continue;
    codes.add(encodePort(p.protocol, p.containerPort));
  }
  return [...codes].sort((a, b) => a - b).map(decodePort);
}

/** The named ports a pod declares, as `name/PROTOCOL`, sorted (for "did you mean" messages). */
export function declaredPortNames(pod: Pick<Pod, 'ports'>): string[] {
  const names = new Set<string>();
  for (const p of pod.ports) if (p.name !== undefined && p.name !== '') names.add(`${p.name}/${p.protocol}`);
  return [...names].sort();
}
