/**
 * Puts flow endpoints on the snapshot: a pod by namespace and name, else by IP, else by labels (a
 * Calico workload aggregate by its generateName prefix and labels); an address outside the cluster
 * as an external address the evaluator classifies with its ipBlocks; Calico's address-less "pub" and
 * "pvt" networks as every external address class of that kind the evaluator distinguishes. What fits
 * none of these is `unmapped`, with the reason.
 */
import type { Labels, Pod, Snapshot } from '../model/snapshot.ts';
import { parseAddress, parseCidr, type AddressRange } from '../eval/ip.ts';
import { ciliumPodLabels } from './hubble.ts';
import type { FlowEndpoint } from './types.ts';

type Resolved = Omit<MappedRef, 'index'>;

/** The endpoint's pod labels, read from Hubble's form only when asked. */
export function labelsOf(e: FlowEndpoint): Labels {
  return e.labels ?? (e.ciliumLabels ? ciliumPodLabels(e.ciliumLabels) : {});
}

export type MappedEndpoint =
  | {
      readonly kind: 'pods';
      /** Pod keys (`namespace/name`); more than one for a Calico workload aggregate or labels several pods share. */
      readonly pods: readonly string[];
      readonly by: 'name' | 'ip' | 'labels' | 'workload';
    }
  | {
      readonly kind: 'external';
      /** One address; or, for a Calico network, a representative of every external class of that kind. */
      readonly ips: readonly string[];
      readonly by: 'ip' | 'network';
    }
  | { readonly kind: 'unmapped'; readonly reason: string };

export interface MappedRef {
  /** Equal ids: the same mapped endpoint. */
  readonly id: string;
  /** A small number per id (equal for equal ids), for cheap aggregation keys. */
  readonly index: number;
  readonly endpoint: MappedEndpoint;
  /** For people: `shop/web-0`, `203.0.113.9`, `shop/api-7d9f-* (3 pods)`. */
  readonly label: string;
}

const PRIVATE: readonly AddressRange[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].map(
  (c) => parseCidr(c) as AddressRange,
);

export function isPrivateAddress(ip: string): boolean {
  const v = parseAddress(ip);
  return v !== undefined && PRIVATE.some((r) => v >= r.start && v <= r.end);
}

function hasLabels(pod: Pod, labels: Labels): boolean {
  for (const k in labels) if (pod.labels[k] !== labels[k]) return false;
  return true;
}

function addressKey(ip: string): string | undefined {
  return parseAddress(ip)?.toString();
}

export function describeEndpoint(e: FlowEndpoint): string {
  const where =
    e.namespace !== undefined
      ? `${e.namespace}/${e.podName ?? e.aggregatedName ?? '?'}`
      : e.entity === 'network-public'
        ? 'public network'
        : e.entity === 'network-private'
          ? 'private network'
          : (e.detail ?? e.entity);
  return e.ip !== undefined ? `${where} (${e.ip})` : where;
}

export class EndpointMapper {
  readonly #byName = new Map<string, Pod>();
  readonly #byIp = new Map<string, Pod>();
  readonly #byNamespace = new Map<string, Pod[]>();
  readonly #cache = new Map<string, MappedRef>();
  /** Fast paths: a pod found by namespace/name, an address outside the cluster. */
  readonly #named = new Map<string, Map<string, MappedRef>>();
  /** Per pod name, the namespace it was last found in and its ref: most records need one lookup. */
  readonly #lastByPodName = new Map<string, { readonly namespace: string; readonly ref: MappedRef }>();
  readonly #addresses = new Map<string, MappedRef>();
  readonly #indexOf = new Map<string, number>();
  readonly #refs = new Map<string, MappedRef>();
  readonly #externals: () => readonly string[];

  /** `externals`: the evaluator's external address representatives (`Analyzer.universe().externals`). */
  constructor(snapshot: Snapshot, externals: () => readonly string[]) {
    this.#externals = externals;
    for (const p of snapshot.pods) {
      this.#byName.set(`${p.namespace}/${p.name}`, p);
      const list = this.#byNamespace.get(p.namespace) ?? [];
      list.push(p);
      this.#byNamespace.set(p.namespace, list);
      // hostNetwork pods share their node's address: an IP names none of them.
      if (p.hostNetwork) continue;
      for (const ip of p.ips) {
        const k = addressKey(ip);
        if (k !== undefined) this.#byIp.set(k, p);
      }
    }
  }

  map(e: FlowEndpoint): MappedRef {
    // Nearly every record names its pod, or is an address outside the cluster: short keys, no labels.
    if (e.entity === 'workload' && e.namespace !== undefined && e.podName !== undefined) {
      // One lookup by the pod's name; the nested table below when two namespaces share a name.
      const byName = this.#lastByPodName.get(e.podName);
      if (byName !== undefined && byName.namespace === e.namespace) return byName.ref;
      let inNamespace = this.#named.get(e.namespace);
      const hit = inNamespace?.get(e.podName);
      if (hit) {
        this.#lastByPodName.set(e.podName, { namespace: e.namespace, ref: hit });
        return hit;
      }
      const pod = this.#byName.get(`${e.namespace}/${e.podName}`);
      if (pod) {
        const ref = this.#intern(podsRef([pod], 'name'));
        if (!inNamespace) {
          inNamespace = new Map();
          this.#named.set(e.namespace, inNamespace);
        }
        inNamespace.set(e.podName, ref);
        this.#lastByPodName.set(e.podName, { namespace: e.namespace, ref });
        return ref;
      }
    } else if ((e.entity === 'world' || e.entity === 'host') && e.ip !== undefined) {
      const hit = this.#addresses.get(e.ip);
      if (hit) return hit;
      const ref = this.#intern(this.#address(e));
      this.#addresses.set(e.ip, ref);
      return ref;
    }
    const key = cacheKey(e);
    let ref = this.#cache.get(key);
    if (!ref) {
      ref = this.#intern(this.#resolve(e));
      this.#cache.set(key, ref);
    }
    return ref;
  }

  /** This mapper's ref for one another mapper made (of the same snapshot): same id, own index. */
  adopt(ref: MappedRef): MappedRef {
    return this.#intern({ id: ref.id, endpoint: ref.endpoint, label: ref.label });
  }

  #intern(r: Resolved): MappedRef {
    // One index per endpoint (the aggregation key), one object per way of finding it (its `by`).
    const key = r.endpoint.kind === 'unmapped' ? r.id : `${r.id}\u0000${r.endpoint.by}`;
    let ref = this.#refs.get(key);
    if (!ref) {
      let index = this.#indexOf.get(r.id);
      if (index === undefined) {
        index = this.#indexOf.size;
        this.#indexOf.set(r.id, index);
      }
      ref = { ...r, index };
      this.#refs.set(key, ref);
    }
    return ref;
  }

  #resolve(e: FlowEndpoint): Resolved {
    switch (e.entity) {
      case 'workload':
        return this.#workload(e);
      case 'world':
      case 'host':
        return this.#address(e);
      case 'network-public':
      case 'network-private': {
        const priv = e.entity === 'network-private';
        const ips = this.#externals().filter((ip) => isPrivateAddress(ip) === priv);
        const label = priv ? 'private network' : 'public network';
        if (ips.length === 0) return unmapped(e, `no ${label} address class in the analysis`);
        return { id: `n:${label}`, endpoint: { kind: 'external', ips, by: 'network' }, label };
      }
      case 'other':
        return unmapped(
          e,
          `${e.detail ?? 'this entity'} is neither a pod nor an address a NetworkPolicy can name`,
        );
    }
  }

  #address(e: FlowEndpoint): Resolved {
    if (e.ip === undefined) return unmapped(e, 'outside the cluster, and the record has no address');
    if (addressKey(e.ip) === undefined) return unmapped(e, `${JSON.stringify(e.ip)} is not an IP address`);
    return { id: `x:${e.ip}`, endpoint: { kind: 'external', ips: [e.ip], by: 'ip' }, label: e.ip };
  }

  #workload(e: FlowEndpoint): Resolved {
    const ns = e.namespace;
    if (ns !== undefined && e.podName !== undefined) {
      const pod = this.#byName.get(`${ns}/${e.podName}`);
      if (pod) return podsRef([pod], 'name');
    }
    if (e.ip !== undefined) {
      const k = addressKey(e.ip);
      const pod = k !== undefined ? this.#byIp.get(k) : undefined;
      // An address reused by a pod of another namespace is not this endpoint.
      if (pod && (ns === undefined || pod.namespace === ns)) return podsRef([pod], 'ip');
    }
    const labels = labelsOf(e);
    const inNamespace = ns !== undefined ? (this.#byNamespace.get(ns) ?? []) : [];
    if (e.aggregatedName !== undefined) {
      const prefix = e.aggregatedName.replace(/\*+$/, '');
      const members = inNamespace.filter((p) => p.name.startsWith(prefix) && hasLabels(p, labels));
      if (members.length > 0) return podsRef(members, 'workload', `${ns}/${e.aggregatedName}`);
    }
    if (Object.keys(labels).length > 0) {
      const members = inNamespace.filter((p) => hasLabels(p, labels));
      if (members.length > 0)
        return podsRef(members, 'labels', `${ns}/${e.podName ?? e.aggregatedName ?? '?'}`);
    }
    if (ns === undefined)
      return unmapped(e, 'the record names no namespace, and its address is no pod of the snapshot');
    const what = e.podName !== undefined ? `pod ${ns}/${e.podName}` : `${ns}/${e.aggregatedName ?? '?'}`;
    return unmapped(
      e,
      `no ${what} in the snapshot${e.ip !== undefined ? `, nor a pod with IP ${e.ip}` : ''}${
        Object.keys(labels).length > 0 ? ', nor a pod with its labels' : ''
      } (created since the snapshot was taken?)`,
    );
  }
}

function cacheKey(e: FlowEndpoint): string {
  const labels = e.ciliumLabels
    ? e.ciliumLabels.map(String).join(',')
    : e.labels
      ? Object.entries(e.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')
      : '';
  // With a pod name, the name decides first; labels only matter when name and address both miss.
  return `${e.entity}|${e.namespace ?? ''}|${e.podName ?? ''}|${e.aggregatedName ?? ''}|${e.ip ?? ''}|${e.detail ?? ''}|${labels}`;
}

function podsRef(pods: readonly Pod[], by: 'name' | 'ip' | 'labels' | 'workload', group?: string): Resolved {
  const keys = pods.map((p) => `${p.namespace}/${p.name}`).sort();
  const label = keys.length === 1 ? (keys[0] ?? '') : `${group ?? keys[0] ?? ''} (${keys.length} pods)`;
  return { id: `p:${keys.join(',')}`, endpoint: { kind: 'pods', pods: keys, by }, label };
}

function unmapped(e: FlowEndpoint, reason: string): Resolved {
  const label = describeEndpoint(e);
  return { id: `u:${label}`, endpoint: { kind: 'unmapped', reason }, label };
}
