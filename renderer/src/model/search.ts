/**
 * The search index behind the command palette: pods, workloads, namespaces, policies, Calico network
 * sets (by name, label or CIDR) and labels.
 */
import {
  calicoPolicyKey,
  ciliumPolicyKey,
  clusterPolicyKey,
  podKey,
  policyKey,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import { CALICO_KIND_SHORT, calicoSelectorText, summarizeCalicoNetworkSets } from './calico.ts';
import { CILIUM_KIND_SHORT } from './cilium.ts';
import { TIER_LABEL } from './admin.ts';
import { selectorKeys, workloadKey } from '../graph/elements.ts';

export type SearchKind = 'pod' | 'workload' | 'namespace' | 'policy' | 'networkset' | 'label';

export interface SearchItem {
  readonly kind: SearchKind;
  /** What is matched and shown first. */
  readonly title: string;
  readonly detail: string;
  /** Pod key, workload id, namespace, policy key, network set key, or `key=value`. */
  readonly ref: string;
  readonly haystack: string;
}

export function buildSearchIndex(snapshot: Snapshot): SearchItem[] {
  const items: SearchItem[] = [];
  for (const ns of snapshot.namespaces) {
    items.push({
      kind: 'namespace',
      title: ns.name,
      detail: 'namespace',
      ref: ns.name,
      haystack: ns.name.toLowerCase(),
    });
  }
  for (const p of snapshot.policies) {
    const key = policyKey(p);
    items.push({ kind: 'policy', title: p.name, detail: p.namespace, ref: key, haystack: key.toLowerCase() });
  }
  for (const p of snapshot.clusterPolicies) {
    const key = clusterPolicyKey(p);
    items.push({
      kind: 'policy',
      title: p.name,
      detail: `${TIER_LABEL[p.tier]} · priority ${p.priority}${p.kind === 'ClusterNetworkPolicy' ? '' : ` · ${p.kind}`}`,
      ref: key,
      haystack: `${key} ${p.tier.toLowerCase()}`.toLowerCase(),
    });
  }
  for (const p of snapshot.ciliumPolicies ?? []) {
    const key = ciliumPolicyKey(p);
    items.push({
      kind: 'policy',
      title: p.name,
      detail: `${p.kind}${p.namespace !== undefined ? ` · ${p.namespace}` : ''}`,
      ref: key,
      haystack: `${key} cilium ${CILIUM_KIND_SHORT[p.kind]}`.toLowerCase(),
    });
  }
  for (const p of snapshot.calicoPolicies ?? []) {
    const key = calicoPolicyKey(p);
    items.push({
      kind: 'policy',
      title: p.name,
      detail: `Calico ${CALICO_KIND_SHORT[p.kind]} · tier ${p.tier}${p.order !== undefined ? ` · order ${p.order}` : ''} · ${p.namespace ?? 'global'}`,
      ref: key,
      haystack: `${key} calico ${CALICO_KIND_SHORT[p.kind]} ${calicoSelectorText(p)}`.toLowerCase(),
    });
  }
  for (const set of summarizeCalicoNetworkSets(snapshot)) {
    items.push({
      kind: 'networkset',
      title: set.name,
      detail: `Calico ${set.kind} · ${set.namespace ?? 'global'} · ${set.nets.length === 0 ? 'no CIDRs' : set.nets.join(', ')}`,
      ref: set.key,
      haystack:
        `${set.key} ${set.namespace ?? 'global'} calico networkset network set ${set.labels.join(' ')} ${set.nets.join(' ')}`.toLowerCase(),
    });
  }
  const workloads = new Map<string, { name: string; ns: string; kind: string; count: number }>();
  const labels = new Map<string, number>();
  const keys = selectorKeys(snapshot);
  for (const pod of snapshot.pods) {
    const key = podKey(pod);
    items.push({
      kind: 'pod',
      title: pod.name,
      detail: pod.namespace,
      ref: key,
      haystack: `${key} ${pod.ips.join(' ')}`.toLowerCase(),
    });
    const wk = workloadKey(pod, keys);
    if (wk !== undefined && pod.owner !== undefined) {
      const w = workloads.get(wk);
      if (w === undefined)
        workloads.set(wk, { name: pod.owner.name, ns: pod.namespace, kind: pod.owner.kind, count: 1 });
      else w.count++;
    }
    for (const [k, v] of Object.entries(pod.labels))
      labels.set(`${k}=${v}`, (labels.get(`${k}=${v}`) ?? 0) + 1);
  }
  for (const [id, w] of workloads) {
    items.push({
      kind: 'workload',
      title: w.name,
      detail: `${w.kind} · ${w.ns} · ${w.count} ${w.count === 1 ? 'pod' : 'pods'}`,
      ref: id,
      haystack: `${w.ns}/${w.name}`.toLowerCase(),
    });
  }
  for (const [label, count] of labels) {
    items.push({
      kind: 'label',
      title: label,
      detail: `${count} ${count === 1 ? 'pod' : 'pods'}`,
      ref: label,
      haystack: label.toLowerCase(),
    });
  }
  return items;
}

const KIND_ORDER: Record<SearchKind, number> = {
  policy: 0,
  networkset: 1,
  namespace: 2,
  workload: 3,
  pod: 4,
  label: 5,
};

/** Items containing every word of the query; prefix matches of the title first. */
export function search(items: readonly SearchItem[], query: string, limit = 50): SearchItem[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items.filter((i) => i.kind !== 'label' && i.kind !== 'pod').slice(0, limit);
  const scored: { item: SearchItem; score: number }[] = [];
  for (const item of items) {
    if (!words.every((w) => item.haystack.includes(w))) continue;
    const title = item.title.toLowerCase();
    const first = words[0] ?? '';
    const score = (title === first ? 0 : title.startsWith(first) ? 1 : 2) * 10 + KIND_ORDER[item.kind];
    scored.push({ item, score });
  }
  scored.sort((a, b) => a.score - b.score || a.item.title.localeCompare(b.item.title));
  return scored.slice(0, limit).map((s) => s.item);
}
