/** The `Analyzer` facade over the evaluation state. */
import type { Snapshot } from '../model/snapshot.ts';
import {
  calicoNetworkSetKey,
  calicoPolicyKey,
  ciliumPolicyKey,
  clusterPolicyKey,
  podKey,
  policyKey,
} from '../model/snapshot.ts';
import { reach, stats, summary } from './bulk.ts';
import { policyEffect } from './effect.ts';
import { calicoSubjects } from './effect-calico.ts';
import { policyEffectTallies } from './effects-batch.ts';
import { check, isolation } from './explain.ts';
import { calicoInput, EvalState } from './state.ts';
import type { Analyzer, ConnectionUniverse, PortProbe, SnapshotDelta, UpdateResult } from './types.ts';
import { mentionedPorts, universe } from './universe.ts';

class StateAnalyzer implements Analyzer {
  #state: EvalState;
  #universe: ConnectionUniverse | undefined;
  #mentioned: readonly PortProbe[] | undefined;

  constructor(state: EvalState) {
    this.#state = state;
  }

  stats() {
    return stats(this.#state);
  }
  visibility() {
    return this.#state.view.visibility;
  }
  hasPod(namespace: string, name: string) {
    return this.#state.pods.has(podKey({ namespace, name }));
  }
  isolation(key: string) {
    return isolation(this.#state, key);
  }
  check(query: Parameters<Analyzer['check']>[0]) {
    return check(this.#state, query);
  }
  reach(peers: Parameters<Analyzer['reach']>[0], ports: Parameters<Analyzer['reach']>[1]) {
    return reach(this.#state, peers, ports);
  }
  mentionedPorts() {
    return (this.#mentioned ??= mentionedPorts(this.#state));
  }
  universe() {
    return (this.#universe ??= universe(this.#state));
  }
  summary() {
    return summary(this.#state);
  }
  policyEffect(key: string, options?: { readonly limit?: number }) {
    return policyEffect(this.#state, key, options?.limit ?? 1000);
  }
  calicoSubjects(key: string) {
    return calicoSubjects(this.#state, key);
  }
  policyEffectTallies() {
    return policyEffectTallies(this.#state);
  }

  update(deltas: readonly SnapshotDelta[]): UpdateResult {
    this.#universe = undefined;
    this.#mentioned = undefined;
    const s = this.#state;
    let reason: string | undefined;
    for (const d of deltas) {
      // Once a rebuild is due, just record the remaining changes and rebuild once at the end.
      const r = reason === undefined ? apply(s, d) : (record(s, d), undefined);
      reason ??= r;
    }
    if (reason === undefined) return { mode: 'incremental' };
    s.rebuild();
    return { mode: 'rebuild', reason };
  }

  whatIf(deltas: readonly SnapshotDelta[]): Analyzer {
    const s = this.#state;
    const copy = new EvalState(
      [...s.namespaces.values()],
      [...s.pods.values()],
      [...s.policies.values()],
      s.view.visibility,
      [...s.clusterPolicies.values()],
      [...s.ciliumPolicies.values()],
      { policies: [...s.calicoPolicies.values()], tiers: s.calicoTiers, networkSets: s.calicoNetworkSets },
      s.cni.profile,
    );
    const a = new StateAnalyzer(copy);
    a.update(deltas);
    return a;
  }
}

/** A policy delta whose kind the CNI profile leaves out: its key and kind, else undefined. */
function ignoredBy(s: EvalState, d: SnapshotDelta): { key: string; kind: string } | undefined {
  const e = s.cni.enforces;
  if (d.kind === 'upsertClusterPolicy')
    return (d.policy.kind === 'ClusterNetworkPolicy' ? e.clusterNetworkPolicy : e.legacyAdmin)
      ? undefined
      : { key: clusterPolicyKey(d.policy), kind: d.policy.kind };
  if (d.kind === 'upsertCiliumPolicy')
    return e.cilium ? undefined : { key: ciliumPolicyKey(d.policy), kind: d.policy.kind };
  if (d.kind === 'upsertCalicoPolicy')
    return e.calico ? undefined : { key: calicoPolicyKey(d.policy), kind: `Calico ${d.policy.kind}` };
  // Other deltas (and removals, which find nothing to remove) go through.
  return undefined;
}

function apply(s: EvalState, d: SnapshotDelta): string | undefined {
  const ignored = ignoredBy(s, d);
  if (ignored !== undefined) {
    s.ignored.set(ignored.key, ignored.kind);
    return undefined;
  }
  if (d.kind === 'removeCalicoPolicy' || d.kind === 'removeCiliumPolicy' || d.kind === 'removeClusterPolicy')
    if (s.ignored.delete(d.key)) return undefined;
  // Calico's chains hold the NetworkPolicy profiles and every selector's classes: a change rebuilds them.
  if (s.calico) {
    record(s, d);
    return 'Calico policies present';
  }
  switch (d.kind) {
    case 'upsertPolicy':
      return s.upsertPolicy(d.policy);
    case 'removePolicy':
      return s.removePolicy(policyKey(d));
    case 'upsertClusterPolicy':
      return s.upsertClusterPolicy(d.policy);
    case 'removeClusterPolicy':
      return s.removeClusterPolicy(d.key);
    case 'upsertPod':
      return s.upsertPod(d.pod);
    case 'removePod':
      s.removePod(podKey(d));
      return undefined;
    case 'upsertNamespace':
      return s.upsertNamespace(d.namespace);
    case 'removeNamespace':
      return s.removeNamespace(d.name);
    case 'upsertCiliumPolicy':
    case 'removeCiliumPolicy':
      // Cilium chains are shared per set of policies across classes (state.ts); a change rebuilds them.
      record(s, d);
      return 'Cilium policy changed';
    case 'upsertCalicoPolicy':
    case 'removeCalicoPolicy':
    case 'upsertCalicoNetworkSet':
    case 'removeCalicoNetworkSet':
    case 'upsertCalicoTier':
    case 'removeCalicoTier':
      record(s, d);
      return 'Calico policy, network set or tier changed';
  }
}

/** Stores a change without patching derived state (a rebuild follows). */
function record(s: EvalState, d: SnapshotDelta): void {
  switch (d.kind) {
    case 'upsertPolicy':
      s.policies.set(policyKey(d.policy), d.policy);
      break;
    case 'removePolicy':
      s.policies.delete(policyKey(d));
      break;
    case 'upsertClusterPolicy':
      s.clusterPolicies.set(clusterPolicyKey(d.policy), d.policy);
      break;
    case 'removeClusterPolicy':
      s.clusterPolicies.delete(d.key);
      break;
    case 'upsertPod':
      s.pods.set(podKey(d.pod), d.pod);
      break;
    case 'removePod':
      s.pods.delete(podKey(d));
      break;
    case 'upsertNamespace':
      s.namespaces.set(d.namespace.name, d.namespace);
      break;
    case 'removeNamespace':
      s.namespaces.delete(d.name);
      break;
    case 'upsertCiliumPolicy':
      s.ciliumPolicies.set(ciliumPolicyKey(d.policy), d.policy);
      break;
    case 'removeCiliumPolicy':
      s.ciliumPolicies.delete(d.key);
      break;
    case 'upsertCalicoPolicy':
      s.calicoPolicies.set(calicoPolicyKey(d.policy), d.policy);
      break;
    case 'removeCalicoPolicy':
      s.calicoPolicies.delete(d.key);
      break;
    case 'upsertCalicoNetworkSet': {
      const key = calicoNetworkSetKey(d.set);
      s.calicoNetworkSets = [...s.calicoNetworkSets.filter((n) => calicoNetworkSetKey(n) !== key), d.set];
      break;
    }
    case 'removeCalicoNetworkSet':
      s.calicoNetworkSets = s.calicoNetworkSets.filter((n) => calicoNetworkSetKey(n) !== d.key);
      break;
    case 'upsertCalicoTier':
      s.calicoTiers = [...s.calicoTiers.filter((t) => t.name !== d.tier.name), d.tier];
      break;
    case 'removeCalicoTier':
      s.calicoTiers = s.calicoTiers.filter((t) => t.name !== d.name);
      break;
  }
}

/**
 * Builds the analysis of a snapshot: pod classes, selector bitsets, compiled policies and isolation
 * profiles. Whole-cluster answers (summary, effects) are computed on request from these. A snapshot
 * with `visibility` (a live source with partial RBAC) gets `unknown` verdicts where they depend on
 * what could not be read; visibility.ts states the semantics. Deltas never change the visibility.
 */
export function createAnalyzer(snapshot: Snapshot): Analyzer {
  return new StateAnalyzer(
    new EvalState(
      snapshot.namespaces,
      snapshot.pods,
      snapshot.policies,
      snapshot.visibility,
      snapshot.clusterPolicies,
      snapshot.ciliumPolicies,
      calicoInput(snapshot),
      snapshot.cni,
    ),
  );
}
