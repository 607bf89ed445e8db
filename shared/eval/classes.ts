/**
 * Pod equivalence classes. Two pods share a class when no policy can tell them apart: same namespace,
 * same values for every label key some pod selector references, same named container ports, same
 * ipBlock atoms for their IPs, same hostNetwork. Irrelevant labels (pod-template-hash…) drop out, so
 * classes ≈ workloads or fewer. All named ports are kept (not only referenced names) so that a policy
 * edit naming a new port never has to split classes.
 */
import type { Labels, Pod, Protocol } from '../model/snapshot.ts';
import { podKey } from '../model/snapshot.ts';
import { parseAddress } from './ip.ts';
import type { IPPartition } from './ipatoms.ts';

export type ClassId = number;

export interface PodClass {
  readonly id: ClassId;
  readonly namespace: string;
  /** The pod labels restricted to the referenced keys. */
  readonly labels: Labels;
  /** `${protocol}/${name}` → container port numbers (sorted). */
  readonly namedPorts: ReadonlyMap<string, readonly number[]>;
  readonly namedKey: string;
  /** IP atoms of the pods' addresses; empty for pods without an IP (they never match an ipBlock). */
  readonly ipAtoms: readonly number[];
  readonly hostNetwork: boolean;
  /** Member pod keys. A class may become empty after removals; it then weighs nothing. */
  readonly pods: Set<string>;
}

export function namedPortRef(protocol: Protocol, name: string): string {
  return `${protocol}/${name}`;
}

export function refProtocol(ref: string): Protocol {
  const p = ref.slice(0, ref.indexOf('/'));
  return p === 'UDP' ? 'UDP' : p === 'SCTP' ? 'SCTP' : 'TCP';
}

interface Signature {
  readonly key: string;
  readonly labels: Labels;
  readonly namedPorts: Map<string, number[]>;
  readonly namedKey: string;
  readonly ipAtoms: number[];
}

export class ClassTable {
  readonly classes: PodClass[] = [];
  readonly #bySignature = new Map<string, ClassId>();
  readonly podClass = new Map<string, ClassId>();
  readonly relevantKeys: readonly string[];
  readonly #partition: IPPartition;

  constructor(relevantKeys: Iterable<string>, partition: IPPartition) {
    this.relevantKeys = [...new Set(relevantKeys)].sort();
    this.#partition = partition;
  }

  #signature(pod: Pod): Signature {
    const labels: Record<string, string> = {};
    let labelPart = '';
    for (const key of this.relevantKeys) {
      if (Object.hasOwn(pod.labels, key)) {
        const value = pod.labels[key] ?? '';
        labels[key] = value;
        labelPart += `${key}=${value}\u0001`;
      }
    }
    const namedPorts = new Map<string, number[]>();
    for (const p of pod.ports) {
      if (p.name === undefined || p.name === '') continue;
      const ref = namedPortRef(p.protocol, p.name);
      const list = namedPorts.get(ref) ?? [];
      if (!list.includes(p.containerPort)) list.push(p.containerPort);
      namedPorts.set(ref, list);
    }
    const namedKey = [...namedPorts.entries()]
      .map(([ref, list]) => `${ref}:${list.sort((a, b) => a - b).join('+')}`)
      .sort()
      .join(',');
    const atoms = new Set<number>();
    for (const ip of pod.ips) {
      const value = parseAddress(ip);
      if (value !== undefined) atoms.add(this.#partition.atomOf(value));
    }
    const ipAtoms = [...atoms].sort((a, b) => a - b);
    const key = `${pod.namespace}\u0000${pod.hostNetwork ? 1 : 0}\u0000${labelPart}\u0000${namedKey}\u0000${ipAtoms.join(',')}`;
    return { key, labels, namedPorts, namedKey, ipAtoms };
  }

  /** Places a pod (not already present) in its class; `created` when the class is new. */
  add(pod: Pod): { readonly id: ClassId; readonly created: boolean } {
    const sig = this.#signature(pod);
    const key = podKey(pod);
    let id = this.#bySignature.get(sig.key);
    let created = false;
    if (id === undefined) {
      id = this.classes.length;
      created = true;
      this.#bySignature.set(sig.key, id);
      this.classes.push({
        id,
        namespace: pod.namespace,
        labels: sig.labels,
        namedPorts: sig.namedPorts,
        namedKey: sig.namedKey,
        ipAtoms: sig.ipAtoms,
        hostNetwork: pod.hostNetwork,
        pods: new Set(),
      });
    }
    this.classes[id]?.pods.add(key);
    this.podClass.set(key, id);
    return { id, created };
  }

  remove(key: string): void {
    const id = this.podClass.get(key);
    if (id === undefined) return;
    this.classes[id]?.pods.delete(key);
    this.podClass.delete(key);
  }

  get(id: ClassId): PodClass {
    const c = this.classes[id];
    if (!c) throw new Error(`no class ${id}`);
    return c;
  }
}
