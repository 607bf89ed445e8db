/**
 * Writing a policy to a live cluster, the careful way: server-side apply (field manager `netglass`),
 * as `kubectl apply --server-side` does. Two kinds: a NetworkPolicy (networking.k8s.io/v1,
 * namespaced) and a ClusterNetworkPolicy (policy.networking.k8s.io v1beta1 or v1alpha2,
 * cluster-scoped: no namespace in its URL, and served only where its CRD is installed).
 *
 * Server-side apply sets the fields the manifest names and removes only fields `netglass` set before
 * and the manifest no longer names. What other writers own stays: ownerReferences, finalizers, labels
 * and annotations of other field managers, the last-applied annotation of `kubectl apply`. A field
 * another manager owns with another value is a conflict (409): nothing is written, the fields and
 * their managers are reported, and only a dry-run the user asked to `force` takes them over.
 *
 * 1. `dryRunPolicy`: GET the policy (absent: a create), then the apply PATCH with `dryRun=All`. The
 *    server validates and admits it fully and stores nothing; its answer is the object it would
 *    store, compared over the whole object with the live one (field-diff.ts).
 * 2. The user confirms that list of changes.
 * 3. `applyPolicy`: the same PATCH without `dryRun`, bound to what the dry-run saw: an update carries
 *    the live resourceVersion read in step 1 (the server refuses it if the object changed since), and
 *    a create first checks that the policy is still absent.
 *
 * A 404 on a ClusterNetworkPolicy is told apart through discovery: the object is absent (a create),
 * or the cluster does not serve the resource at that version (the failure names the versions it
 * does serve, if any).
 *
 * `DryRunLedger` ties 1 to 3 for the app: a dry-run returns a single-use token naming the context,
 * the exact manifest and the plan (with its `force`); apply refuses anything else.
 *
 * Requests are plain JSON over client-node's authentication (certificates, tokens, exec plugins):
 * its typed models rename `from` to `_from`, and a manifest must reach the server as written (JSON is
 * YAML, so it is the body of an `application/apply-patch+yaml` request as is).
 * `fieldValidation=Strict` makes unknown fields errors, as kubectl does.
 */
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { ApplyFailure, FieldConflict } from '../../shared/api/api.ts';
import type { PolicyManifest } from '../../shared/editor/draft.ts';
import { CLUSTER_POLICY_GROUP } from '../../shared/editor/cluster-draft.ts';
import { failureFromResponse, readStatus, unreachable, type Response } from './apply-failure.ts';
import { diffObjects, withoutManagedFields } from './field-diff.ts';

export { failureFromResponse, type FailureSubject } from './apply-failure.ts';
import {
  FIELD_MANAGER,
  type ApplyOutcome,
  type ApplyPlan,
  type ClusterResult,
  type DryRunOptions,
  type DryRunOutcome,
  type JsonObject,
} from './apply-plan.ts';
export {
  FIELD_MANAGER,
  DryRunLedger,
  canonicalJson,
  type ApplyOutcome,
  type ApplyPlan,
  type ClusterResult,
  type DryRunLedgerOptions,
  type DryRunOptions,
  type DryRunOutcome,
  type JsonObject,
} from './apply-plan.ts';

// ---------------------------------------------------------------- HTTP

const http = new IsomorphicFetchHttpLibrary();

/** The content type of a server-side apply request. */
const APPLY_PATCH = 'application/apply-patch+yaml';

async function request(
  kubeConfig: KubeConfig,
  method: 'GET' | 'PATCH',
  path: string,
  query: Readonly<Record<string, string>>,
  body?: unknown,
): Promise<Response> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined || server === '') throw new Error('the kubeconfig context names no server');
  const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const ctx = new RequestContext(url.toString(), HttpMethod[method]);
  ctx.setHeaderParam('Accept', 'application/json');
  if (body !== undefined) {
    ctx.setHeaderParam('Content-Type', APPLY_PATCH);
    ctx.setBody(JSON.stringify(body));
  }
  await kubeConfig.applySecurityAuthentication(ctx);
  const response = await http.send(ctx).toPromise();
  const text = await response.body.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page); kept as text for the message.
  }
  return { status: response.httpStatusCode, body: parsed };
}

/** Where a policy lives in the API, and how to name it in messages. */
export interface PolicyResource {
  readonly kind: PolicyManifest['kind'];
  /** `networking.k8s.io/v1`, `policy.networking.k8s.io/v1beta1`, ... */
  readonly apiVersion: string;
  /** '' for a cluster-scoped policy. */
  readonly namespace: string;
  readonly name: string;
  /** The collection URL path. */
  readonly collection: string;
  /** `NetworkPolicy shop/web`, `ClusterNetworkPolicy deny-cross-namespace`. */
  readonly label: string;
}

export function policyResource(manifest: PolicyManifest): PolicyResource {
  const name = manifest.metadata.name;
  if (manifest.kind === 'ClusterNetworkPolicy') {
    return {
      kind: manifest.kind,
      apiVersion: manifest.apiVersion,
      namespace: '',
      name,
      collection: `/apis/${manifest.apiVersion}/${CLUSTER_POLICY_RESOURCE}`,
      label: `ClusterNetworkPolicy ${name}`,
    };
  }
  const namespace = manifest.metadata.namespace;
  return {
    kind: manifest.kind,
    apiVersion: manifest.apiVersion,
    namespace,
    name,
    collection: `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/networkpolicies`,
    label: `NetworkPolicy ${namespace}/${name}`,
  };
}

/** The resource (plural) name of ClusterNetworkPolicy. */
export const CLUSTER_POLICY_RESOURCE = 'clusternetworkpolicies';

function objectPath(resource: PolicyResource): string {
  return `${resource.collection}/${encodeURIComponent(resource.name)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function metadataString(object: JsonObject, key: string): string | undefined {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const value = metadata[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const resourceVersionOf = (object: JsonObject): string | undefined =>
  metadataString(object, 'resourceVersion');
const uidOf = (object: JsonObject): string | undefined => metadataString(object, 'uid');

// ---------------------------------------------------------------- the apply request

function applyQuery(force: boolean, dryRun: boolean): Record<string, string> {
  return {
    fieldManager: FIELD_MANAGER,
    fieldValidation: 'Strict',
    ...(force ? { force: 'true' } : {}),
    ...(dryRun ? { dryRun: 'All' } : {}),
  };
}

/**
 * The apply configuration: the manifest, plus the live uid and resourceVersion for an update.
 * Server-side apply takes both as preconditions (409 when the object changed or is gone; without the
 * uid a deleted policy would be created again) and records neither as a field `netglass` owns.
 */
function applyBody(manifest: PolicyManifest, plan: ApplyPlan): JsonObject {
  if (plan.operation === 'create') return manifest as unknown as JsonObject;
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      ...(plan.uid !== undefined ? { uid: plan.uid } : {}),
      ...(plan.resourceVersion !== undefined ? { resourceVersion: plan.resourceVersion } : {}),
    },
  };
}

interface Written {
  readonly status: number;
  readonly object: JsonObject;
}

async function applyRequest(
  kubeConfig: KubeConfig,
  manifest: PolicyManifest,
  plan: ApplyPlan,
  dryRun: boolean,
): Promise<ClusterResult<Written>> {
  const resource = policyResource(manifest);
  let response: Response;
  try {
    response = await request(
      kubeConfig,
      'PATCH',
      objectPath(resource),
      applyQuery(plan.force, dryRun),
      applyBody(manifest, plan),
    );
  } catch (error) {
    return { ok: false, failure: unreachable(error) };
  }
  if (response.status === 200 || response.status === 201) {
    return isRecord(response.body)
      ? { ok: true, value: { status: response.status, object: withoutManagedFields(response.body) } }
      : {
          ok: false,
          failure: {
            reason: 'rejected',
            message: 'The API server answered with no object.',
            status: response.status,
            serverMessage: '',
          },
        };
  }
  const failure = failureFromResponse(response, resource);
  if (failure.reason !== 'conflict') return { ok: false, failure };
  // A failed precondition: the policy changed or went away after it was read.
  const gone = /uid mismatch: .*no existing object was found/.test(failure.serverMessage);
  const what = gone ? 'was deleted' : 'was changed in the cluster';
  return {
    ok: false,
    failure: {
      ...failure,
      message: dryRun
        ? `${resource.label} ${what} while the dry-run ran; run it again.`
        : gone
          ? `${resource.label} was deleted since the dry-run; run the dry-run again.`
          : failure.message,
    },
  };
}

/** GET the policy: the live object, undefined when absent, or why it cannot be read. */
async function readLive(
  kubeConfig: KubeConfig,
  resource: PolicyResource,
): Promise<ClusterResult<JsonObject | undefined>> {
  try {
    const current = await request(kubeConfig, 'GET', objectPath(resource), {});
    if (current.status === 200 && isRecord(current.body))
      return { ok: true, value: withoutManagedFields(current.body) };
    if (current.status !== 404) return { ok: false, failure: failureFromResponse(current, resource) };
    if (resource.kind === 'ClusterNetworkPolicy') {
      const missing = await notServed(kubeConfig, resource, current);
      if (missing !== undefined) return { ok: false, failure: missing };
    }
    return { ok: true, value: undefined };
  } catch (error) {
    return { ok: false, failure: unreachable(error) };
  }
}

// ---------------------------------------------------------------- is the resource served?

/** The resources a group version serves (discovery), or undefined when the version is not served. */
async function servedResources(kubeConfig: KubeConfig, groupVersion: string): Promise<string[] | undefined> {
  const response = await request(kubeConfig, 'GET', `/apis/${groupVersion}`, {});
  if (response.status !== 200 || !isRecord(response.body)) return undefined;
  const resources = Array.isArray(response.body['resources']) ? response.body['resources'] : [];
  return resources.filter(isRecord).flatMap((r) => (typeof r['name'] === 'string' ? [r['name']] : []));
}

/** The versions of policy.networking.k8s.io that serve ClusterNetworkPolicy, preferred first. */
async function servedClusterPolicyVersions(kubeConfig: KubeConfig): Promise<string[]> {
  const group = await request(kubeConfig, 'GET', `/apis/${CLUSTER_POLICY_GROUP}`, {});
  if (group.status !== 200 || !isRecord(group.body)) return [];
  const versions = (Array.isArray(group.body['versions']) ? group.body['versions'] : [])
    .filter(isRecord)
    .flatMap((v) => (typeof v['groupVersion'] === 'string' ? [v['groupVersion']] : []));
  const out: string[] = [];
  for (const groupVersion of versions) {
    if ((await servedResources(kubeConfig, groupVersion))?.includes(CLUSTER_POLICY_RESOURCE))
      out.push(groupVersion);
  }
  return out;
}

/**
 * After a 404 on a ClusterNetworkPolicy: undefined when the cluster serves the resource at this
 * version (the object is merely absent), else the failure that says which versions it does serve.
 */
async function notServed(
  kubeConfig: KubeConfig,
  resource: PolicyResource,
  response: Response,
): Promise<ApplyFailure | undefined> {
  if ((await servedResources(kubeConfig, resource.apiVersion))?.includes(CLUSTER_POLICY_RESOURCE))
    return undefined;
  const served = await servedClusterPolicyVersions(kubeConfig);
  const serverMessage = readStatus(response.body, response.status).message;
  return {
    reason: 'not-found',
    message:
      served.length === 0
        ? `This cluster does not serve ClusterNetworkPolicy (404 on ${resource.collection}): the ${CLUSTER_POLICY_GROUP} CRDs of sigs.k8s.io/network-policy-api are not installed, so ${resource.label} cannot be written here.`
        : `This cluster does not serve ClusterNetworkPolicy at ${resource.apiVersion} (404 on ${resource.collection}); it serves ${served.join(', ')}. Change the draft's apiVersion to one of those.`,
    serverMessage,
  };
}

/**
 * A conflict with `netglass` itself: a field an earlier netglass wrote by create/replace (operation
 * Update, before apply was server-side), which its Apply does not own yet. Taking it over changes no
 * one else's field, so it needs no force from the user; the result still lists it.
 */
function isOwnEarlierWrite(conflict: FieldConflict): boolean {
  return conflict.manager === FIELD_MANAGER;
}

/**
 * Server-side dry-run of the apply: what the API server would store for `manifest`, a create or an
 * update, and every field that changes against the live object. Nothing is stored.
 *
 * With `force`, the same apply is first tried without it, so the result lists the conflicts the
 * force overrides; a dry-run with nothing to take over is planned without force.
 */
export async function dryRunPolicy(
  kubeConfig: KubeConfig,
  manifest: PolicyManifest,
  options: DryRunOptions = {},
): Promise<ClusterResult<DryRunOutcome>> {
  const resource = policyResource(manifest);
  const { namespace, name } = resource;
  const current = await readLive(kubeConfig, resource);
  if (!current.ok) return current;
  const live = current.value;
  const resourceVersion = live === undefined ? undefined : resourceVersionOf(live);
  const uid = live === undefined ? undefined : uidOf(live);
  const plan: ApplyPlan = {
    operation: live === undefined ? 'create' : 'update',
    namespace,
    name,
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
    ...(uid !== undefined ? { uid } : {}),
    force: false,
  };
  let stored = await applyRequest(kubeConfig, manifest, plan, true);
  let conflicts: readonly FieldConflict[] = [];
  let forced = plan;
  if (
    !stored.ok &&
    stored.failure.reason === 'field-conflict' &&
    (options.force === true || stored.failure.conflicts.every(isOwnEarlierWrite))
  ) {
    conflicts = stored.failure.conflicts;
    forced = { ...plan, force: true };
    stored = await applyRequest(kubeConfig, manifest, forced, true);
  }
  if (!stored.ok) return stored;
  const changes = diffObjects(live, stored.value.object);
  return {
    ok: true,
    value: {
      ...forced,
      stored: stored.value.object,
      ...(live !== undefined ? { live } : {}),
      changes,
      unchanged: forced.operation === 'update' && changes.length === 0,
      conflicts,
    },
  };
}

/**
 * Applies `manifest` as a dry-run planned it. An update carries the resourceVersion the dry-run saw,
 * so a change in between is a `conflict`, not an overwrite; a create is refused (`conflict`) when
 * the policy appeared in between. Only the fields the manifest names are written.
 */
export async function applyPolicy(
  kubeConfig: KubeConfig,
  manifest: PolicyManifest,
  plan: ApplyPlan,
): Promise<ClusterResult<ApplyOutcome>> {
  const resource = policyResource(manifest);
  if (resource.namespace !== plan.namespace || resource.name !== plan.name) {
    throw new Error('applyPolicy: the plan is for another policy');
  }
  if (plan.operation === 'create') {
    // Server-side apply creates or updates alike and takes no "must not exist" precondition: check.
    const current = await readLive(kubeConfig, resource);
    if (!current.ok) return current;
    if (current.value !== undefined) {
      return {
        ok: false,
        failure: {
          reason: 'conflict',
          message: `${resource.label} was created by someone else since the dry-run; run the dry-run again to see what it would change.`,
          serverMessage: `${resource.label} exists (resourceVersion ${resourceVersionOf(current.value) ?? '?'})`,
        },
      };
    }
  }
  const written = await applyRequest(kubeConfig, manifest, plan, false);
  if (!written.ok) return written;
  return {
    ok: true,
    value: {
      operation: written.value.status === 201 ? 'create' : 'update',
      namespace: plan.namespace,
      name: plan.name,
      stored: written.value.object,
      resourceVersion: resourceVersionOf(written.value.object) ?? '',
    },
  };
}
