/**
 * Per-file parses → one Snapshot: duplicates, workload owners, pods from workload templates, and the
 * namespaces objects use without declaring.
 *
 * Pods from templates (manifest review before deployment):
 * - A workload gives min(spec.replicas, MAX_TEMPLATE_PODS) pods (DaemonSet, Job, CronJob: one), named
 *   `<workload>-0`, `<workload>-1`, ... (`<workload>-<kind>-<n>` if that name is taken), with
 *   `fromTemplate: true`, no IP, and the workload (or its Deployment / CronJob) as owner.
 * - No pods come from a workload when the input already holds real pods it owns (a `kubectl get`
 *   dump), nor from a ReplicaSet / Job whose Deployment / CronJob is in the input (that one stands
 *   for it), nor when replicas is 0.
 */
import type {
  LoadIssue,
  Namespace,
  Pod,
  PodOwner,
  Snapshot,
  SnapshotSource,
  SourceLocation,
} from '../model/snapshot.ts';
import {
  NAMESPACE_NAME_LABEL,
  calicoNetworkSetKey,
  calicoPolicyKey,
  ciliumPolicyKey,
  clusterPolicyKey,
} from '../model/snapshot.ts';
import { mixedAdminApiIssues } from './admin-policy.ts';
import type { ManifestParse, Workload } from './parse.ts';
import { MAX_TEMPLATE_PODS, liftReplicaSetOwner } from './parse.ts';

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : '(unknown location)';
}

interface Keyed {
  readonly location?: SourceLocation;
}

function dedupe<T extends Keyed>(
  items: readonly T[],
  key: (t: T) => string,
  label: (t: T) => string,
  issues: LoadIssue[],
): T[] {
  const seen = new Map<string, T>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    const first = seen.get(k);
    if (first) {
      issues.push({
        severity: 'error',
        message: `duplicate ${label(item)}: already defined at ${formatLocation(first.location)}; this definition was not loaded (the first one is kept)`,
        ...(item.location ? { location: item.location } : {}),
        object: label(item),
      });
      continue;
    }
    seen.set(k, item);
    out.push(item);
  }
  return out;
}

function ownerKey(namespace: string, owner: PodOwner): string {
  return `${owner.kind}\u0000${namespace}\u0000${owner.name}`;
}

export function buildSnapshot(
  parses: readonly ManifestParse[],
  source: SnapshotSource,
  extraIssues: readonly LoadIssue[] = [],
): Snapshot {
  const issues: LoadIssue[] = [...extraIssues];
  const skippedKinds: Record<string, number> = {};
  for (const p of parses) {
    issues.push(...p.issues);
    for (const [k, n] of Object.entries(p.skippedKinds)) skippedKinds[k] = (skippedKinds[k] ?? 0) + n;
  }
  const namespaces = dedupe(
    parses.flatMap((p) => p.namespaces),
    (n) => n.name,
    (n) => `Namespace ${n.name}`,
    issues,
  );
  const realPods = dedupe(
    parses.flatMap((p) => p.pods),
    (p) => `${p.namespace}/${p.name}`,
    (p) => `Pod ${p.namespace}/${p.name}`,
    issues,
  );
  const policies = dedupe(
    parses.flatMap((p) => p.policies),
    (p) => `${p.namespace}/${p.name}`,
    (p) => `NetworkPolicy ${p.namespace}/${p.name}`,
    issues,
  );
  const clusterPolicies = dedupe(
    parses.flatMap((p) => p.clusterPolicies),
    clusterPolicyKey,
    (p) => `${p.kind} ${p.name}`,
    issues,
  );
  issues.push(...mixedAdminApiIssues(clusterPolicies));
  const ciliumPolicies = dedupe(
    parses.flatMap((p) => p.ciliumPolicies),
    ciliumPolicyKey,
    (p) => `${p.kind} ${p.namespace !== undefined ? `${p.namespace}/` : ''}${p.name}`,
    issues,
  );
  const calicoPolicies = dedupe(
    parses.flatMap((p) => p.calicoPolicies ?? []),
    calicoPolicyKey,
    (p) => `Calico ${p.kind} ${p.namespace !== undefined ? `${p.namespace}/` : ''}${p.tier}.${p.name}`,
    issues,
  );
  const calicoTiers = dedupe(
    parses.flatMap((p) => p.calicoTiers ?? []),
    (t) => t.name,
    (t) => `Tier ${t.name}`,
    issues,
  );
  // Calico refuses a policy whose tier does not exist; netglass reads such a tier last, denying.
  const tierNames = new Set(['default', 'kube-admin', 'kube-baseline', ...calicoTiers.map((t) => t.name)]);
  for (const p of calicoPolicies)
    if (!tierNames.has(p.tier))
      issues.push({
        severity: 'warning',
        message: `tier ${p.tier} of Calico ${p.kind} ${p.namespace !== undefined ? `${p.namespace}/` : ''}${p.name} is not declared in the input: Calico needs the Tier to exist; netglass reads it after every declared tier, with default action Deny`,
        ...(p.location ? { location: p.location } : {}),
        object: `Calico ${p.kind} ${p.name}`,
      });
  const calicoNetworkSets = dedupe(
    parses.flatMap((p) => p.calicoNetworkSets ?? []),
    calicoNetworkSetKey,
    (n) => `${n.kind} ${n.namespace !== undefined ? `${n.namespace}/` : ''}${n.name}`,
    issues,
  );
  const workloads = dedupe(
    parses.flatMap((p) => p.workloads),
    (w) => ownerKey(w.namespace, w),
    (w) => `${w.kind} ${w.namespace}/${w.name}`,
    issues,
  );

  // Owners: lift ReplicaSet → Deployment and Job → CronJob through workloads present in the input.
  const byKey = new Map<string, Workload>();
  for (const w of workloads) byKey.set(ownerKey(w.namespace, w), w);
  const lift = (namespace: string, owner: PodOwner): PodOwner => {
    let cur = owner;
    for (let i = 0; i < 4; i++) {
      const w = byKey.get(ownerKey(namespace, cur));
      if (!w?.owner) break;
      cur = w.owner;
    }
    return cur;
  };
  const pods: Pod[] = realPods.map((p) => {
    if (!p.owner) return p;
    const lifted = lift(p.namespace, liftReplicaSetOwner(p.owner, p.labels));
    return lifted === p.owner ? p : { ...p, owner: lifted };
  });

  // Pods from templates.
  const owned = new Set<string>();
  for (const p of realPods) {
    if (!p.owner) continue;
    owned.add(ownerKey(p.namespace, p.owner));
    owned.add(ownerKey(p.namespace, lift(p.namespace, liftReplicaSetOwner(p.owner, p.labels))));
  }
  const podNames = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  for (const w of workloads) {
    const key = ownerKey(w.namespace, w);
    if (owned.has(key)) continue;
    if (w.owner && byKey.has(ownerKey(w.namespace, w.owner))) continue; // its controller stands for it
    if (w.replicas === 0) {
      issues.push({
        severity: 'info',
        message: `${w.kind} ${w.namespace}/${w.name} has 0 replicas, so it gives no pods`,
        ...(w.location ? { location: w.location } : {}),
        object: `${w.kind} ${w.namespace}/${w.name}`,
      });
      continue;
    }
    const count =
      w.kind === 'DaemonSet' || w.kind === 'Job' || w.kind === 'CronJob'
        ? 1
        : Math.min(w.replicas, MAX_TEMPLATE_PODS);
    const owner = w.owner ? lift(w.namespace, w.owner) : { kind: w.kind, name: w.name };
    for (let i = 0; i < count; i++) {
      let name = `${w.name}-${i}`;
      if (podNames.has(`${w.namespace}/${name}`)) name = `${w.name}-${w.kind.toLowerCase()}-${i}`;
      if (podNames.has(`${w.namespace}/${name}`)) {
        issues.push({
          severity: 'warning',
          message: `no pod was made from the template of ${w.kind} ${w.namespace}/${w.name}: the names ${w.name}-${i} and ${name} are taken`,
          ...(w.location ? { location: w.location } : {}),
          object: `${w.kind} ${w.namespace}/${w.name}`,
        });
        continue;
      }
      podNames.add(`${w.namespace}/${name}`);
      pods.push({
        namespace: w.namespace,
        name,
        labels: w.labels,
        ips: [],
        ports: w.ports,
        hostNetwork: w.hostNetwork,
        owner,
        fromTemplate: true,
        ...(w.location ? { location: w.location } : {}),
      });
    }
  }

  // Namespaces used but not declared.
  const declared = new Set(namespaces.map((n) => n.name));
  const users = new Map<string, { count: number; first: string; location?: SourceLocation }>();
  const use = (ns: string, what: string, location: SourceLocation | undefined): void => {
    if (declared.has(ns)) return;
    const u = users.get(ns);
    if (u) u.count++;
    else users.set(ns, { count: 1, first: what, ...(location ? { location } : {}) });
  };
  for (const p of pods) use(p.namespace, `Pod ${p.namespace}/${p.name}`, p.location);
  for (const p of policies) use(p.namespace, `NetworkPolicy ${p.namespace}/${p.name}`, p.location);
  for (const p of ciliumPolicies)
    if (p.namespace !== undefined) use(p.namespace, `${p.kind} ${p.namespace}/${p.name}`, p.location);
  for (const p of calicoPolicies)
    if (p.namespace !== undefined) use(p.namespace, `Calico ${p.kind} ${p.namespace}/${p.name}`, p.location);
  for (const w of workloads) use(w.namespace, `${w.kind} ${w.namespace}/${w.name}`, w.location);
  const allNamespaces: Namespace[] = [...namespaces];
  for (const [name, u] of users) {
    allNamespaces.push({ name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false });
    issues.push({
      severity: 'info',
      message: `namespace ${name} is not declared in the input (used by ${u.first}${u.count > 1 ? ` and ${u.count - 1} more` : ''}); it is assumed to exist with only the label ${NAMESPACE_NAME_LABEL}=${name}`,
      ...(u.location ? { location: u.location } : {}),
      object: `Namespace ${name}`,
    });
  }

  return {
    source,
    namespaces: allNamespaces,
    pods,
    policies,
    clusterPolicies,
    ...(ciliumPolicies.length > 0 ? { ciliumPolicies } : {}),
    ...(calicoPolicies.length > 0 ? { calicoPolicies } : {}),
    ...(calicoTiers.length > 0 ? { calicoTiers } : {}),
    ...(calicoNetworkSets.length > 0 ? { calicoNetworkSets } : {}),
    issues,
    skippedKinds,
  };
}
