/**
 * Live API objects → Snapshot, through the very normalization and validation the manifests get, so
 * a cluster and its `kubectl get -o json` dump give the same snapshot (the CLI's promise).
 */
import { buildSnapshot, parseManifestText } from '../../shared/manifest/index.ts';
import type { LoadIssue, Snapshot, Visibility } from '../../shared/model/snapshot.ts';
import { ADMIN_KINDS, ADMIN_RESOURCES, adminApiVersion, type AdminApis } from './admin-apis.ts';
import type { LiveObjects } from './live-source.ts';

const CORE_KINDS = {
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  pods: { apiVersion: 'v1', kind: 'Pod' },
  networkpolicies: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
} as const;

export interface LiveOrigin {
  readonly context: string;
  readonly server: string;
}

/**
 * What the user should know about the admin policy APIs of this cluster: most clusters do not have
 * them, and "no admin policies" must read as a fact about the cluster, not as something netglass
 * missed.
 */
function adminApiIssues(apis: AdminApis | 'unknown'): LoadIssue[] {
  // Unknown (discovery forbidden) shows as unreadable admin policies through Visibility instead.
  if (apis === 'unknown') return [];
  const issues: LoadIssue[] = [];
  for (const resource of ADMIN_RESOURCES) {
    const served = apis.unreadable[resource];
    if (served === undefined) continue;
    issues.push({
      severity: 'warning',
      message:
        `${ADMIN_KINDS[resource]} is served only as ${served.map(adminApiVersion).join(', ')}, ` +
        'which netglass cannot read: verdicts that admin-tier policies could decide are unknown',
    });
  }
  if (
    apis.versions.clusternetworkpolicies === undefined &&
    apis.unreadable.clusternetworkpolicies === undefined
  ) {
    const legacy = (['adminnetworkpolicies', 'baselineadminnetworkpolicies'] as const).filter(
      (r) => apis.versions[r] !== undefined,
    );
    issues.push({
      severity: 'info',
      message:
        legacy.length === 0
          ? 'ClusterNetworkPolicy API not installed on this cluster: no admin-tier policies'
          : `ClusterNetworkPolicy API not installed on this cluster: admin-tier policies come only from the legacy ${legacy
              .map((r) => ADMIN_KINDS[r])
              .join(' and ')} (${adminApiVersion('v1alpha1')})`,
    });
  }
  return issues;
}

export function liveSnapshot(
  objects: LiveObjects,
  visibility: Visibility | undefined,
  origin: LiveOrigin,
): Snapshot {
  // List items come without kind/apiVersion, and typed client objects carry Dates and undefined
  // fields; one JSON document of plain objects is what the manifest reader expects anyway.
  const items: unknown[] = [];
  for (const resource of ['namespaces', 'pods', 'networkpolicies'] as const) {
    for (const item of objects[resource]) items.push({ ...item, ...CORE_KINDS[resource] });
  }
  if (objects.adminApis !== 'unknown') {
    for (const resource of ADMIN_RESOURCES) {
      const version = objects.adminApis.versions[resource];
      if (version === undefined) continue;
      const kind = { apiVersion: adminApiVersion(version), kind: ADMIN_KINDS[resource] };
      for (const item of objects[resource]) items.push({ ...item, ...kind });
    }
  }
  const label = `context ${origin.context}`;
  const parse = parseManifestText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), `${label}.json`);
  const snapshot = buildSnapshot(
    [parse],
    { kind: 'cluster', context: origin.context, server: origin.server },
    adminApiIssues(objects.adminApis),
  );
  return visibility === undefined ? snapshot : { ...snapshot, visibility };
}
