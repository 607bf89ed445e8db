/**
 * Admin network policy objects → ClusterNetworkPolicy (the model's one form for every admin kind):
 * - ClusterNetworkPolicy, policy.networking.k8s.io/v1alpha2 and /v1beta1 (one schema);
 * - legacy v1alpha1 AdminNetworkPolicy (tier Admin; Allow is read as Accept) and
 *   BaselineAdminNetworkPolicy (tier Baseline, Allow or Deny only, the singleton `default`; priority
 *   1000 in the model, after every Baseline ClusterNetworkPolicy).
 * Validation follows the CRDs (OpenAPI limits and CEL rules of both channels), so what loads is what
 * an API server would accept; as for NetworkPolicy, an object with an error is not loaded.
 * A ClusterNetworkPolicy of another API group (Amazon EKS's networking.k8s.aws, Antrea's
 * crd.antrea.io) is a different API: it is skipped with a warning, counted as `Kind (group)`.
 */
import type {
  AdminAction,
  AdminPeer,
  AdminPolicyKind,
  AdminRule,
  AdminTier,
  ClusterNetworkPolicy,
  LoadIssue,
} from '../model/snapshot.ts';
import { checkName, markNotLoaded, readAnnotations, readLabels } from './common-fields.ts';
import type { RawObject } from './common-fields.ts';
import type { FieldPath } from './documents.ts';
import { formatPath } from './documents.ts';
import { checkUnknownFields } from './field-schema.ts';
import { describe } from './fields.ts';
import type { JsonObject, ObjectContext } from './fields.ts';
import { foreignApiWarning, splitApiVersion } from './foreign-api.ts';
import { closest } from './names.ts';
import { readPeers, readSubject } from './admin-peers.ts';
import { readRulePorts } from './admin-ports.ts';
import type { AdminDirection, AdminReadState, AdminSchema } from './admin-schema.ts';
import {
  ADMIN_GROUP,
  ADMIN_SCHEMAS,
  andList,
  boundedInteger,
  boundedList,
  orList,
  unknownSetFields,
} from './admin-schema.ts';

/** Where the reader puts what it read. */
export interface AdminCollector {
  readonly clusterPolicies: ClusterNetworkPolicy[];
  readonly skippedKinds: Record<string, number>;
}

/** A BaselineAdminNetworkPolicy has no priority; it goes after every Baseline ClusterNetworkPolicy. */
export const BANP_PRIORITY = 1000;

const TIERS: readonly AdminTier[] = ['Admin', 'Baseline'];

export function readAdminPolicy(
  out: AdminCollector,
  ctx: ObjectContext,
  obj: RawObject,
  kind: AdminPolicyKind,
): void {
  const schema = ADMIN_SCHEMAS[kind];
  const what = `${kind} ${obj.name}`;
  ctx.object = what;
  const { group, version } = splitApiVersion(obj.apiVersion);
  const foreign = foreignApiWarning(what, kind, obj.apiVersion, ADMIN_GROUP);
  if (foreign !== undefined) {
    const key = `${kind} (${group})`;
    out.skippedKinds[key] = (out.skippedKinds[key] ?? 0) + 1;
    ctx.warn(['apiVersion'], foreign);
    return;
  }
  if (group !== ADMIN_GROUP || !schema.versions.includes(version)) {
    const expected = orList(schema.versions.map((v) => `${ADMIN_GROUP}/${v}`));
    let hint = '';
    if (group === ADMIN_GROUP && !schema.legacy && version === 'v1alpha1')
      hint = ' (v1alpha1 has AdminNetworkPolicy and BaselineAdminNetworkPolicy instead)';
    else if (group === ADMIN_GROUP && schema.legacy)
      hint = ` (from v1alpha2 on, write a ClusterNetworkPolicy with tier: ${kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline'})`;
    ctx.error(
      ['apiVersion'],
      `apiVersion ${JSON.stringify(obj.apiVersion)} is not supported for ${kind}; expected ${expected}${hint}; ${what} was not loaded`,
    );
    return;
  }

  const start = ctx.issues.length;
  const state: AdminReadState = { ctx, schema, experimental: new Map() };
  checkName(ctx, obj, 'subdomain');
  if (kind === 'BaselineAdminNetworkPolicy' && obj.name !== 'default') {
    ctx.error(
      ['metadata', 'name'],
      `must be "default", got ${JSON.stringify(obj.name)}: the CRD allows one BaselineAdminNetworkPolicy per cluster, named default`,
    );
  }
  const ns = obj.metadata['namespace'];
  if (ns !== undefined && ns !== null && ns !== '') {
    // The API server clears metadata.namespace of cluster-scoped objects (and kubectl drops it) silently.
    ctx.warn(
      ['metadata', 'namespace'],
      `is ignored: ${kind} is cluster-scoped, so the API server drops the namespace (${describe(ns)})`,
    );
  }
  if (ctx.strictFields) checkUnknownFields(ctx, obj.value, obj.apiVersion, kind);
  const labels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const annotations = readAnnotations(ctx, obj.metadata['annotations'], ['metadata', 'annotations']);
  const policy = readSpec(state, obj);
  noteExperimentalUse(state);
  if (ctx.failed || !policy) {
    markNotLoaded(ctx, start, what);
    return;
  }
  out.clusterPolicies.push({
    kind,
    apiVersion: obj.apiVersion,
    name: obj.name,
    ...policy,
    labels,
    annotations,
    location: ctx.location([]),
  });
}

type SpecPart = Pick<ClusterNetworkPolicy, 'tier' | 'priority' | 'subject' | 'ingress' | 'egress'>;

function readSpec(state: AdminReadState, obj: RawObject): SpecPart | undefined {
  const { ctx, schema } = state;
  const raw = obj.value['spec'];
  if (raw === undefined || raw === null) {
    ctx.error(['spec'], `spec is missing: it is required (${andList(requiredSpecFields(schema))})`);
    return undefined;
  }
  const spec = ctx.object_(raw, ['spec'], 'the policy spec');
  if (!spec) return undefined;
  unknownSetFields(ctx, spec, ['spec'], schema.specFields, specRenames(schema));
  const tier = readTier(state, spec);
  const priority =
    schema.kind === 'BaselineAdminNetworkPolicy'
      ? BANP_PRIORITY
      : boundedInteger(
          ctx,
          spec['priority'],
          ['spec', 'priority'],
          'the precedence within the tier; lower goes first',
          0,
          1000,
        );
  const subject = readSubject(state, spec['subject'], ['spec', 'subject']);
  const ingress = readRules(state, spec['ingress'], ['spec', 'ingress'], 'ingress');
  const egress = readRules(state, spec['egress'], ['spec', 'egress'], 'egress');
  if (tier === undefined || priority === undefined || !subject) return undefined;
  return { tier, priority, subject, ingress, egress };
}

function requiredSpecFields(schema: AdminSchema): string[] {
  switch (schema.kind) {
    case 'ClusterNetworkPolicy':
      return ['tier', 'priority', 'subject'];
    case 'AdminNetworkPolicy':
      return ['priority', 'subject'];
    case 'BaselineAdminNetworkPolicy':
      return ['subject'];
  }
}

function specRenames(schema: AdminSchema): Record<string, string> {
  switch (schema.kind) {
    case 'ClusterNetworkPolicy':
      return {};
    case 'AdminNetworkPolicy':
      return {
        tier: 'an AdminNetworkPolicy is always in the Admin tier; tier is a ClusterNetworkPolicy field',
      };
    case 'BaselineAdminNetworkPolicy':
      return {
        tier: 'a BaselineAdminNetworkPolicy is always in the Baseline tier; tier is a ClusterNetworkPolicy field',
        priority:
          'a BaselineAdminNetworkPolicy has no priority; use ClusterNetworkPolicy with tier: Baseline for several',
      };
  }
}

function readTier(state: AdminReadState, spec: JsonObject): AdminTier | undefined {
  const { ctx, schema } = state;
  if (schema.kind === 'AdminNetworkPolicy') return 'Admin';
  if (schema.kind === 'BaselineAdminNetworkPolicy') return 'Baseline';
  const raw = spec['tier'];
  const path = ['spec', 'tier'];
  if (raw === undefined || raw === null) {
    ctx.error(path, 'tier is missing: it is required (Admin: before NetworkPolicies; Baseline: after them)');
    return undefined;
  }
  if (typeof raw === 'string' && (TIERS as readonly string[]).includes(raw)) return raw as AdminTier;
  const hint = typeof raw === 'string' ? closest(raw, TIERS) : undefined;
  ctx.error(
    path,
    `${typeof raw === 'string' ? JSON.stringify(raw) : describe(raw)} is not a tier${hint ? ` (did you mean ${hint}?)` : ''}; expected Admin or Baseline`,
  );
  return undefined;
}

// ---------------------------------------------------------------- rules

function readRules(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  direction: AdminDirection,
): AdminRule[] {
  const list = boundedList(state.ctx, value, path, `${direction} rules`, {
    min: 0,
    max: state.schema.maxRules,
    required: false,
  });
  const rules: AdminRule[] = [];
  list?.forEach((r, i) => {
    const rule = readRule(state, r, [...path, i], direction);
    if (rule) rules.push(rule);
  });
  return rules;
}

function readAction(state: AdminReadState, rule: JsonObject, path: FieldPath): AdminAction | undefined {
  const { ctx, schema } = state;
  const written = Object.keys(schema.actions);
  const raw = rule['action'];
  if (raw === undefined || raw === null) {
    ctx.error(path, `action is missing: it is required (${orList(written)})`);
    return undefined;
  }
  if (typeof raw === 'string') {
    const action = schema.actions[raw];
    if (action !== undefined) return action;
  }
  let hint = '';
  if (typeof raw === 'string') {
    if (raw === 'Allow' && !schema.legacy) hint = ' (v1alpha2 renamed Allow to Accept)';
    else if (raw === 'Accept' && schema.legacy) hint = ' (v1alpha1 calls it Allow)';
    else if (raw === 'Pass' && schema.kind === 'BaselineAdminNetworkPolicy')
      hint =
        ' (a BaselineAdminNetworkPolicy can only Allow or Deny; a Baseline ClusterNetworkPolicy can Pass)';
    else {
      const near = closest(raw, written);
      if (near) hint = ` (did you mean ${near}?)`;
    }
  }
  ctx.error(
    path,
    `${typeof raw === 'string' ? JSON.stringify(raw) : describe(raw)} is not a ${schema.kind} action${hint}; expected ${orList(written)}`,
  );
  return undefined;
}

function readRule(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  direction: AdminDirection,
): AdminRule | undefined {
  const { ctx, schema } = state;
  const peersField = direction === 'ingress' ? 'from' : 'to';
  if (value === null || value === undefined) {
    ctx.error(path, `must be an ${direction} rule with action and ${peersField}, got null`);
    return undefined;
  }
  const rule = ctx.object_(value, path, `an ${direction} rule with action and ${peersField}`);
  if (!rule) return undefined;
  const renamed: Record<string, string> = schema.legacy
    ? { protocols: 'v1alpha1 rules list ports, with portNumber, portRange or namedPort' }
    : { ports: 'v1alpha2 rules list protocols, with tcp, udp, sctp or destinationNamedPort' };
  renamed[direction === 'ingress' ? 'to' : 'from'] =
    direction === 'ingress'
      ? 'ingress rules name their sources in from'
      : 'egress rules name their destinations in to';
  unknownSetFields(ctx, rule, path, ['name', 'action', peersField, schema.portsField], renamed);
  const name = ctx.string(rule['name'], [...path, 'name'], 'a rule name');
  if (name !== undefined && [...name].length > 100)
    ctx.error([...path, 'name'], `must be no more than 100 characters, got ${[...name].length}`);
  const action = readAction(state, rule, [...path, 'action']);
  const writtenAction = typeof rule['action'] === 'string' ? rule['action'] : undefined;
  const peers = readPeers(state, rule[peersField], [...path, peersField], {
    direction,
    action,
    written: writtenAction,
  });
  const ports = readRulePorts(state, rule[schema.portsField], [...path, schema.portsField]);
  checkNamedPortPeers(state, peers, ports.namedAt);
  if (action === undefined || !peers) return undefined;
  return { ...(name !== undefined && name !== '' ? { name } : {}), action, peers, ports: ports.ports };
}

/** The CRDs' CEL rule: named ports only exist on pods, so they cannot go with networks/nodes/domainNames. */
function checkNamedPortPeers(
  state: AdminReadState,
  peers: readonly AdminPeer[] | undefined,
  namedAt: readonly FieldPath[],
): void {
  const first = namedAt[0];
  if (!peers || first === undefined) return;
  const kinds = [...new Set(peers.map((p) => p.kind))].filter(
    (k) => k === 'networks' || k === 'nodes' || k === 'domainNames',
  );
  if (kinds.length === 0) return;
  state.ctx.error(
    first,
    `a named port cannot be combined with ${andList(kinds)} peers in one rule: they have no named ports (the CRD refuses it); use port numbers, or put the ${andList(kinds)} peers in a rule of their own`,
  );
}

/** One info per object: creating it needs the experimental-channel CRDs. */
function noteExperimentalUse(state: AdminReadState): void {
  const first = [...state.experimental.values()][0];
  if (first === undefined) return;
  const where = [...state.experimental.entries()].map(([f, p]) => `${f} (${formatPath(p)})`);
  state.ctx.info(
    first,
    `uses ${where.length === 1 ? 'a field' : 'fields'} of the experimental channel of network-policy-api: ${andList(where)}; creating it needs the experimental CRDs (the standard ones do not have ${where.length === 1 ? 'this field' : 'these fields'} and refuse the object)`,
  );
}

/**
 * Info issues for a tier that holds both legacy v1alpha1 objects and ClusterNetworkPolicies: most
 * implementations enforce only one of the two APIs, so the snapshot may mix policies that never run
 * together in one cluster.
 */
export function mixedAdminApiIssues(policies: readonly ClusterNetworkPolicy[]): LoadIssue[] {
  const issues: LoadIssue[] = [];
  for (const tier of TIERS) {
    const legacy = policies.filter((p) => p.tier === tier && p.kind !== 'ClusterNetworkPolicy');
    const current = policies.filter((p) => p.tier === tier && p.kind === 'ClusterNetworkPolicy');
    const first = legacy[0];
    if (!first || current.length === 0) continue;
    const legacyKind = tier === 'Admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy';
    issues.push({
      severity: 'info',
      message: `the ${tier} tier holds both v1alpha1 ${legacyKind} objects (${legacy.length}) and ClusterNetworkPolicies (${current.length}, e.g. ${current[0]?.name ?? ''}); most implementations enforce only one of these APIs (Calico 3.32 dropped v1alpha1, OVN-Kubernetes has only v1alpha1), so a cluster may not run both sets, while netglass evaluates them together by priority`,
      ...(first.location ? { location: first.location } : {}),
      object: `${first.kind} ${first.name}`,
    });
  }
  return issues;
}
