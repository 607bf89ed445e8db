/**
 * Writing a policy to a live cluster, the careful way. Two kinds: a NetworkPolicy
 * (networking.k8s.io/v1, namespaced) and a ClusterNetworkPolicy (policy.networking.k8s.io v1beta1 or
 * v1alpha2, cluster-scoped: no namespace in its URL, and served only where its CRD is installed).
 *
 * 1. `dryRunPolicy`: GET the policy; POST (absent) or PUT (present, with its resourceVersion) with
 *    `dryRun=All`. The server validates and admits it fully and stores nothing; its answer is the
 *    object it would store, compared field by field with the live one.
 * 2. The user confirms that list of changes.
 * 3. `applyPolicy`: the same request without `dryRun`, bound to what the dry-run saw: an update carries
 *    the resourceVersion read in step 1, so a change made in between is a conflict, not an overwrite.
 *
 * A 404 on a ClusterNetworkPolicy is told apart through discovery: the object is absent (a create),
 * or the cluster does not serve the resource at that version (the failure names the versions it
 * does serve, if any).
 *
 * `DryRunLedger` ties 1 to 3 for the app: a dry-run returns a single-use token naming the context,
 * the exact manifest and the plan; apply refuses anything else.
 *
 * Requests are plain JSON over client-node's authentication (certificates, tokens, exec plugins):
 * its typed models rename `from` to `_from`, and a manifest must reach the server as written.
 * `fieldValidation=Strict` makes unknown fields errors, as kubectl does.
 */
import { randomBytes } from 'node:crypto';
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { ApplyFailure, FieldCause, FieldChange } from '../../shared/api/api.ts';
import type { PolicyManifest } from '../../shared/editor/draft.ts';
import { CLUSTER_POLICY_GROUP } from '../../shared/editor/cluster-draft.ts';
import { formatPath } from '../../shared/manifest/index.ts';
import { describeRequestError } from './reflector.ts';

export const FIELD_MANAGER = 'netglass';

export type ClusterResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ApplyFailure };

export type JsonObject = Readonly<Record<string, unknown>>;

/** What a dry-run decided, to be repeated for real by `applyPolicy`. */
export interface ApplyPlan {
  readonly operation: 'create' | 'update';
  /** '' for a cluster-scoped policy (ClusterNetworkPolicy). */
  readonly namespace: string;
  readonly name: string;
  /** The live object's version the update is based on (update only). */
  readonly resourceVersion?: string;
}

export interface DryRunOutcome extends ApplyPlan {
  /** The object the server would store, without managedFields. */
  readonly stored: JsonObject;
  /** The live object (update only), without managedFields. */
  readonly live?: JsonObject;
  readonly changes: readonly FieldChange[];
  readonly unchanged: boolean;
}

export interface ApplyOutcome {
  readonly operation: 'create' | 'update';
  /** '' for a cluster-scoped policy. */
  readonly namespace: string;
  readonly name: string;
  readonly stored: JsonObject;
  readonly resourceVersion: string;
}

// ---------------------------------------------------------------- HTTP

interface Response {
  readonly status: number;
  readonly body: unknown;
}

const http = new IsomorphicFetchHttpLibrary();

async function request(
  kubeConfig: KubeConfig,
  method: 'GET' | 'POST' | 'PUT',
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
    ctx.setHeaderParam('Content-Type', 'application/json');
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
  /** The collection URL path (POST here). */
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

// ---------------------------------------------------------------- errors

interface Status {
  readonly message: string;
  readonly reason?: string;
  readonly causes: readonly FieldCause[];
}

function readStatus(body: unknown, status: number): Status {
  if (!isRecord(body)) {
    const text = typeof body === 'string' ? body.trim().split('\n')[0] : '';
    return { message: text !== undefined && text !== '' ? text : `HTTP ${status}`, causes: [] };
  }
  const details = isRecord(body['details']) ? body['details'] : {};
  const causes = Array.isArray(details['causes'])
    ? (details['causes'] as unknown[]).filter(isRecord).map((c): FieldCause => ({
        ...(typeof c['field'] === 'string' && c['field'] !== '' ? { field: c['field'] } : {}),
        message:
          typeof c['message'] === 'string'
            ? c['message']
            : typeof c['reason'] === 'string'
              ? c['reason']
              : 'invalid',
        ...(typeof c['reason'] === 'string' ? { reason: c['reason'] } : {}),
      }))
    : [];
  return {
    message: typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`,
    ...(typeof body['reason'] === 'string' ? { reason: body['reason'] } : {}),
    causes,
  };
}

const FORBIDDEN =
  /User "([^"]*)" cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

/** Who is refused: a policy of a kind (NetworkPolicy when not said), namespaced or not (`namespace` ''). */
export interface FailureSubject {
  readonly kind?: PolicyManifest['kind'];
  readonly namespace: string;
  readonly name: string;
}

function subjectLabel(what: FailureSubject): string {
  const kind = what.kind ?? 'NetworkPolicy';
  return what.namespace === '' ? `${kind} ${what.name}` : `${kind} ${what.namespace}/${what.name}`;
}

/** The API server's refusal as an ApplyFailure a person can act on. */
export function failureFromResponse(response: Response, what: FailureSubject): ApplyFailure {
  const status = readStatus(response.body, response.status);
  const object = subjectLabel(what);
  switch (response.status) {
    case 401:
      return {
        reason: 'unauthorized',
        message: `The cluster did not accept the credentials of this context (401): ${status.message}`,
        serverMessage: status.message,
      };
    case 403: {
      const m = FORBIDDEN.exec(status.message);
      if (!m) {
        return {
          reason: 'forbidden',
          message: `Forbidden by the cluster: ${status.message}`,
          serverMessage: status.message,
        };
      }
      const [, user, verb, resource, , namespace] = m;
      const where = namespace !== undefined ? ` in namespace "${namespace}"` : ' cluster-wide';
      // A namespaced grant is a Role; a cluster-scoped resource needs a ClusterRole.
      const role = namespace !== undefined ? 'a Role' : 'a ClusterRole';
      return {
        reason: 'forbidden',
        message: `RBAC: user "${user ?? '?'}" may not ${verb ?? '?'} ${resource ?? '?'}${where}, so ${object} cannot be written with this context. A cluster administrator can grant it with ${role} that allows "${verb ?? '?'}" on ${resource ?? '?'}.`,
        ...(verb !== undefined ? { verb } : {}),
        ...(resource !== undefined ? { resource } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
        ...(user !== undefined ? { user } : {}),
        serverMessage: status.message,
      };
    }
    case 404:
      return {
        reason: 'not-found',
        message:
          what.namespace !== '' && /namespaces? "[^"]+" not found/.test(status.message)
            ? `Namespace "${what.namespace}" does not exist in this cluster.`
            : `Not found: ${status.message}`,
        serverMessage: status.message,
      };
    case 409:
      return {
        reason: 'conflict',
        message:
          status.reason === 'AlreadyExists'
            ? `${object} was created by someone else since the dry-run; run the dry-run again to see what it would change.`
            : `${object} was changed in the cluster since the dry-run; run the dry-run again to see the current differences.`,
        serverMessage: status.message,
      };
    case 400:
    case 422: {
      const causes =
        status.causes.length > 0
          ? status.causes
          : [...status.message.matchAll(/unknown field "([^"]+)"/g)].map((u): FieldCause => ({
              field: u[1] ?? '',
              message: `unknown field "${u[1] ?? ''}"`,
              reason: 'FieldValueInvalid',
            }));
      return {
        reason: 'invalid',
        message: `The API server rejected ${object}: ${status.message}`,
        causes: causes.length > 0 ? causes : [{ message: status.message }],
      };
    }
    default:
      return {
        reason: 'rejected',
        message: `The API server refused ${object} (HTTP ${response.status}): ${status.message}`,
        status: response.status,
        serverMessage: status.message,
      };
  }
}

function unreachable(error: unknown): ApplyFailure {
  const detail = describeRequestError(error);
  return { reason: 'unreachable', message: `The API server could not be reached: ${detail}`, detail };
}

// ---------------------------------------------------------------- diff

const SERVER_METADATA = ['managedFields'];

function withoutManagedFields(object: JsonObject): JsonObject {
  const metadata = isRecord(object['metadata']) ? { ...object['metadata'] } : undefined;
  if (metadata === undefined) return object;
  for (const key of SERVER_METADATA) delete metadata[key];
  return { ...object, metadata };
}

/** The part of an object a user writes: name, namespace, labels, annotations and spec. */
function userFields(object: JsonObject | undefined): Record<string, unknown> {
  if (object === undefined) return {};
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const meta: Record<string, unknown> = {};
  for (const key of ['name', 'namespace', 'labels', 'annotations']) {
    if (metadata[key] !== undefined) meta[key] = metadata[key];
  }
  return { metadata: meta, ...(object['spec'] !== undefined ? { spec: object['spec'] } : {}) };
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isEmptyContainer(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0;
}

function leaves(
  value: unknown,
  path: (string | number)[],
  change: 'added' | 'removed',
  out: FieldChange[],
): void {
  if (isContainer(value) && !isEmptyContainer(value)) {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v] as [number, unknown])
      : Object.entries(value);
    for (const [k, v] of entries) leaves(v, [...path, k], change, out);
    return;
  }
  out.push({
    path: formatPath(path),
    change,
    ...(change === 'added' ? { after: value } : { before: value }),
  });
}

function diffValues(before: unknown, after: unknown, path: (string | number)[], out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) return leaves(after, path, 'added', out);
  if (after === undefined) return leaves(before, path, 'removed', out);
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) diffValues(before[i], after[i], [...path, i], out);
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const k of keys) diffValues(before[k], after[k], [...path, k], out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    out.push({ path: formatPath(path), change: 'changed', before, after });
  }
}

/**
 * Field-level differences between two policy objects, limited to what a user writes (name,
 * namespace, labels, annotations, spec); server bookkeeping (resourceVersion, generation, uid,
 * timestamps, managedFields) is left out. `before` undefined: everything is added.
 */
export function diffPolicies(before: JsonObject | undefined, after: JsonObject): FieldChange[] {
  const out: FieldChange[] = [];
  diffValues(before === undefined ? undefined : userFields(before), userFields(after), [], out);
  return out;
}

// ---------------------------------------------------------------- dry-run and apply

const WRITE_QUERY = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' } as const;

function body(manifest: PolicyManifest, resourceVersion: string | undefined): JsonObject {
  if (resourceVersion === undefined) return manifest as unknown as JsonObject;
  return { ...manifest, metadata: { ...manifest.metadata, resourceVersion } };
}

async function write(
  kubeConfig: KubeConfig,
  manifest: PolicyManifest,
  plan: ApplyPlan,
  dryRun: boolean,
): Promise<ClusterResult<JsonObject>> {
  const resource = policyResource(manifest);
  const query = dryRun ? { ...WRITE_QUERY, dryRun: 'All' } : WRITE_QUERY;
  let response: Response;
  try {
    response =
      plan.operation === 'create'
        ? await request(kubeConfig, 'POST', resource.collection, query, body(manifest, undefined))
        : await request(kubeConfig, 'PUT', objectPath(resource), query, body(manifest, plan.resourceVersion));
  } catch (error) {
    return { ok: false, failure: unreachable(error) };
  }
  if (response.status === 200 || response.status === 201) {
    return isRecord(response.body)
      ? { ok: true, value: withoutManagedFields(response.body) }
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
  // An update whose object vanished since the dry-run is a conflict too.
  if (response.status === 404 && plan.operation === 'update' && !dryRun) {
    const status = readStatus(response.body, response.status);
    if (!/namespaces? "[^"]+" not found/.test(status.message)) {
      return {
        ok: false,
        failure: {
          reason: 'conflict',
          message: `${resource.label} was deleted since the dry-run; run the dry-run again.`,
          serverMessage: status.message,
        },
      };
    }
  }
  return { ok: false, failure: failureFromResponse(response, resource) };
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
 * Server-side dry-run: what the API server would store for `manifest`, a create or an update, and
 * the changes against the live object. Nothing is stored.
 */
export async function dryRunPolicy(
  kubeConfig: KubeConfig,
  manifest: PolicyManifest,
): Promise<ClusterResult<DryRunOutcome>> {
  const resource = policyResource(manifest);
  const { namespace, name } = resource;
  let current: Response;
  let missing: ApplyFailure | undefined;
  try {
    current = await request(kubeConfig, 'GET', objectPath(resource), {});
    if (current.status === 404 && resource.kind === 'ClusterNetworkPolicy') {
      missing = await notServed(kubeConfig, resource, current);
    }
  } catch (error) {
    return { ok: false, failure: unreachable(error) };
  }
  if (missing !== undefined) return { ok: false, failure: missing };
  let plan: ApplyPlan;
  let live: JsonObject | undefined;
  if (current.status === 404) {
    plan = { operation: 'create', namespace, name };
  } else if (current.status === 200 && isRecord(current.body)) {
    live = withoutManagedFields(current.body);
    const metadata = isRecord(live['metadata']) ? live['metadata'] : {};
    const resourceVersion =
      typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : undefined;
    plan = {
      operation: 'update',
      namespace,
      name,
      ...(resourceVersion !== undefined ? { resourceVersion } : {}),
    };
  } else {
    return { ok: false, failure: failureFromResponse(current, resource) };
  }
  const stored = await write(kubeConfig, manifest, plan, true);
  if (!stored.ok) return stored;
  const changes = diffPolicies(live, stored.value);
  return {
    ok: true,
    value: {
      ...plan,
      stored: stored.value,
      ...(live !== undefined ? { live } : {}),
      changes,
      unchanged: plan.operation === 'update' && changes.length === 0,
    },
  };
}

/**
 * Applies `manifest` as a dry-run planned it: create, or update of the very version the dry-run saw
 * (a change in between is a `conflict`).
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
  const stored = await write(kubeConfig, manifest, plan, false);
  if (!stored.ok) return stored;
  const metadata = isRecord(stored.value['metadata']) ? stored.value['metadata'] : {};
  return {
    ok: true,
    value: {
      operation: plan.operation,
      namespace: plan.namespace,
      name: plan.name,
      stored: stored.value,
      resourceVersion: typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : '',
    },
  };
}

// ---------------------------------------------------------------- the dry-run → apply handshake

/** JSON with object keys sorted: equal manifests give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface LedgerEntry {
  readonly context: string;
  readonly manifest: string;
  readonly plan: ApplyPlan;
  readonly expires: number;
}

export interface DryRunLedgerOptions {
  /** How long a dry-run may be applied (default 10 minutes). */
  readonly ttlMs?: number;
  readonly now?: () => number;
  /** Tokens kept at most; the oldest go first (default 64). */
  readonly max?: number;
}

/**
 * Single-use tokens binding a dry-run to the apply that follows it: same context, same manifest
 * (canonical JSON), the plan the dry-run made, within the time limit.
 */
export class DryRunLedger {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #max: number;

  constructor(options: DryRunLedgerOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
    this.#max = options.max ?? 64;
  }

  record(context: string, manifest: PolicyManifest, plan: ApplyPlan): { token: string; expiresAt: number } {
    const now = this.#now();
    for (const [token, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(token);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    const token = randomBytes(24).toString('base64url');
    const expiresAt = now + this.#ttlMs;
    this.#entries.set(token, { context, manifest: canonicalJson(manifest), plan, expires: expiresAt });
    return { token, expiresAt };
  }

  /** Consumes a token: the plan when it matches, else why not. A token works once, match or not. */
  take(
    token: string,
    context: string,
    manifest: PolicyManifest,
  ): { readonly ok: true; readonly plan: ApplyPlan } | { readonly ok: false; readonly message: string } {
    const entry = this.#entries.get(token);
    this.#entries.delete(token);
    if (entry === undefined) {
      return {
        ok: false,
        message: 'No dry-run with this token (it was used already, or never made): run the dry-run first.',
      };
    }
    if (entry.expires <= this.#now()) {
      return {
        ok: false,
        message: 'The dry-run is too old to apply; run it again to see the current changes.',
      };
    }
    if (entry.context !== context) {
      return {
        ok: false,
        message: `The dry-run was made on context "${entry.context}", not "${context}"; run it again here.`,
      };
    }
    if (entry.manifest !== canonicalJson(manifest)) {
      return {
        ok: false,
        message: 'The policy changed since its dry-run; run the dry-run again before applying.',
      };
    }
    return { ok: true, plan: entry.plan };
  }
}
