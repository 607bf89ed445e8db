/**
 * The admin network policy APIs of sig-network's network-policy-api, as data the readers consult:
 * served versions, field names, actions and the CRDs' list limits. Three schemas share one reader:
 * - ClusterNetworkPolicy, policy.networking.k8s.io/v1alpha2 and /v1beta1 (identical schemas; CRDs of
 *   bundle v0.3.0, standard and experimental channels);
 * - the legacy v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, in both released shapes:
 *   v0.1.1 (`namespaces: {namespaceSelector | sameLabels | notSameLabels}` peers) and v0.1.7
 *   (`namespaces: <LabelSelector>` peers, plus `networks`, `nodes`, `domainNames`).
 * Plus the helpers every admin reader uses (set fields, bounded lists, the reading state).
 */
import type { AdminAction, AdminPolicyKind } from '../model/snapshot.ts';
import type { FieldPath } from './documents.ts';
import { describe } from './fields.ts';
import type { JsonObject, ObjectContext } from './fields.ts';
import { closest } from './names.ts';

export const ADMIN_GROUP = 'policy.networking.k8s.io';

export type AdminDirection = 'ingress' | 'egress';

export interface AdminSchema {
  readonly kind: AdminPolicyKind;
  /** v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy. */
  readonly legacy: boolean;
  readonly versions: readonly string[];
  readonly specFields: readonly string[];
  /** Written action → the model's action. */
  readonly actions: Readonly<Record<string, AdminAction>>;
  readonly maxRules: number;
  readonly maxPeers: number;
  /** `protocols` (v1alpha2/v1beta1) or `ports` (v1alpha1). */
  readonly portsField: 'protocols' | 'ports';
  /** The CRD's minItems for the ports list (v1alpha1 v0.1.1 allowed an empty list). */
  readonly minPorts: number;
  readonly maxPorts: number;
  readonly ingressPeers: readonly string[];
  readonly egressPeers: readonly string[];
  /** Peer and port fields that exist only in the experimental channel of the CRDs. */
  readonly experimental: readonly string[];
}

export const CNP_SCHEMA: AdminSchema = {
  kind: 'ClusterNetworkPolicy',
  legacy: false,
  versions: ['v1alpha2', 'v1beta1'],
  specFields: ['tier', 'priority', 'subject', 'ingress', 'egress'],
  actions: { Accept: 'Accept', Deny: 'Deny', Pass: 'Pass' },
  maxRules: 25,
  maxPeers: 25,
  portsField: 'protocols',
  minPorts: 1,
  maxPorts: 25,
  ingressPeers: ['namespaces', 'pods'],
  egressPeers: ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'],
  experimental: ['nodes', 'domainNames', 'destinationNamedPort'],
};

export const ANP_SCHEMA: AdminSchema = {
  kind: 'AdminNetworkPolicy',
  legacy: true,
  versions: ['v1alpha1'],
  specFields: ['priority', 'subject', 'ingress', 'egress'],
  actions: { Allow: 'Accept', Deny: 'Deny', Pass: 'Pass' },
  maxRules: 100,
  maxPeers: 100,
  portsField: 'ports',
  minPorts: 0,
  maxPorts: 100,
  ingressPeers: ['namespaces', 'pods'],
  egressPeers: ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'],
  experimental: ['nodes', 'domainNames'],
};

export const BANP_SCHEMA: AdminSchema = {
  ...ANP_SCHEMA,
  kind: 'BaselineAdminNetworkPolicy',
  specFields: ['subject', 'ingress', 'egress'],
  actions: { Allow: 'Accept', Deny: 'Deny' },
  egressPeers: ['namespaces', 'pods', 'networks', 'nodes'],
  experimental: ['nodes'],
};

export const ADMIN_SCHEMAS: Readonly<Record<AdminPolicyKind, AdminSchema>> = {
  ClusterNetworkPolicy: CNP_SCHEMA,
  AdminNetworkPolicy: ANP_SCHEMA,
  BaselineAdminNetworkPolicy: BANP_SCHEMA,
};

/** Every peer field any schema knows, to tell "wrong direction" from "unknown". */
export const ALL_PEER_FIELDS: readonly string[] = ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];

/** What one admin object's readers share while it is read. */
export interface AdminReadState {
  readonly ctx: ObjectContext;
  readonly schema: AdminSchema;
  /** Experimental-channel fields the object uses, with where each first appears. */
  readonly experimental: Map<string, FieldPath>;
}

export function noteExperimental(state: AdminReadState, field: string, path: FieldPath): void {
  if (state.schema.experimental.includes(field) && !state.experimental.has(field))
    state.experimental.set(field, path);
}

/**
 * The fields of `obj` that are set. A null value counts as unset: the API server prunes nulls of
 * non-nullable CRD fields before validating, so `{tcp: null}` is `{}` to it.
 */
export function setFields(obj: JsonObject): string[] {
  return Object.keys(obj).filter((k) => obj[k] !== null && obj[k] !== undefined);
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/** "a", "a and b", "a, b and c". */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/**
 * Errors for set fields of `obj` outside `known`, with a "did you mean" hint, or the explanation in
 * `renamed` (fields another version of the API spells differently).
 */
export function unknownSetFields(
  ctx: ObjectContext,
  obj: JsonObject,
  path: FieldPath,
  known: readonly string[],
  renamed: Readonly<Record<string, string>> = {},
): string[] {
  const unknown = setFields(obj).filter((k) => !known.includes(k));
  for (const key of unknown) {
    const why = renamed[key];
    const hint = closest(key, known);
    ctx.error(
      [...path, key],
      `unknown field ${JSON.stringify(key)}${why ? ` (${why})` : hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; expected ${orList(known)}`,
    );
  }
  return unknown;
}

/**
 * A list field with the CRD's minItems/maxItems. Absent (or null) gives undefined, with an error when
 * the field is required. `what` describes one item ("peers", "rules").
 */
export function boundedList(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  what: string,
  limits: {
    readonly min: number;
    readonly max: number;
    readonly required: boolean;
    /** Appended to the "at least min items" error: what to write instead. */
    readonly hint?: string;
  },
): unknown[] | undefined {
  if (value === undefined || value === null) {
    if (limits.required) {
      const field = String(path[path.length - 1] ?? '');
      ctx.error(path, `${field} is missing: it is required (a list of ${what})`);
    }
    return undefined;
  }
  const list = ctx.list(value, path, what);
  if (!list) return undefined;
  if (list.length < limits.min)
    ctx.error(
      path,
      `must have at least ${limits.min} item${limits.min === 1 ? '' : 's'} (${what}), got an empty list${limits.hint ?? ''}`,
    );
  if (list.length > limits.max)
    ctx.error(path, `must have at most ${limits.max} items (the CRD's limit), got ${list.length}`);
  return list;
}

/** A required integer within [min, max]. */
export function boundedInteger(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  what: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) {
    ctx.error(path, `${String(path[path.length - 1] ?? '')} is missing (${what}, ${min} to ${max})`);
    return undefined;
  }
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) {
    ctx.error(
      path,
      `must be an integer (${what}), got ${describe(value)} (a number must not be quoted: ${value})`,
    );
    return undefined;
  }
  const n = ctx.integer(value, path, what);
  if (n === undefined) return undefined;
  if (n < min || n > max) {
    ctx.error(path, `must be between ${min} and ${max}, inclusive, got ${n}`);
    return undefined;
  }
  return n;
}
