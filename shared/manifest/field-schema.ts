/**
 * Unknown fields, refused as kubectl refuses them: `kubectl apply` validates strictly by default
 * (`--validate=strict`, the API server's `fieldValidation=Strict`), and the server answers
 * `strict decoding error: unknown field "spec.ingress[0].form"`. The field names come from the
 * schemas in field-schema.data.ts (generated from Kubernetes' OpenAPI and the network-policy-api
 * CRDs by test/schema/generate-field-schema.ts).
 *
 * What is checked, per kind:
 * - every kind: the top level, `metadata` (ObjectMeta, ownerReferences, managedFields) and `status`;
 * - Namespace: everything;
 * - Pod: the objects on the paths netglass reads (the pod, its spec, containers, container ports,
 *   status, pod IPs), each field by field. Deeper parts (volumes, probes, env, security contexts...)
 *   are the server's business: netglass never reads them, and a check there would only refuse dumps
 *   of clusters newer than the schema for fields that cannot change a verdict.
 * - NetworkPolicy and the admin kinds: the `spec` is checked by the kind's own reader (parse.ts,
 *   admin-*.ts), with hints this generic check cannot give ("ingress rules name their sources in
 *   from"); test/unit/manifest/strict-fields.test.ts holds the two to the same schema.
 *
 * A field whose value is null is not unknown: kubectl and the server accept `foo: null` anywhere.
 * Objects that come from a live cluster are not checked: the server took them, and its schema may be
 * newer than netglass's.
 */
import { orList } from './admin-schema.ts';
import type { FieldPath } from './documents.ts';
import { FIELD_SCHEMA_KUBERNETES, FIELD_SCHEMA_ROOTS, FIELD_SCHEMA_TYPES } from './field-schema.data.ts';
import { isObject } from './fields.ts';
import type { ObjectContext } from './fields.ts';
import { closest } from './names.ts';

/** Top-level parts a kind's own reader checks field by field. */
const READER_CHECKED: Readonly<Record<string, readonly string[]>> = {
  NetworkPolicy: ['spec'],
  ClusterNetworkPolicy: ['spec'],
  AdminNetworkPolicy: ['spec'],
  BaselineAdminNetworkPolicy: ['spec'],
};

/** Lists of known fields this long are named in the message; longer ones are not. */
const LISTED_FIELDS = 10;

/** The table as maps: a field named `constructor` or `__proto__` must not find Object.prototype's. */
const TYPES: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  Object.entries(FIELD_SCHEMA_TYPES).map(([type, fields]) => [type, new Map(Object.entries(fields))]),
);
const ROOTS: ReadonlyMap<string, string> = new Map(Object.entries(FIELD_SCHEMA_ROOTS));

/** The schema's root type for an apiVersion and kind, if netglass knows it. */
export function schemaRoot(apiVersion: string, kind: string): string | undefined {
  return ROOTS.get(`${apiVersion} ${kind}`);
}

/** The fields of a schema type (for tests and hints). */
export function schemaFields(type: string): ReadonlyMap<string, string> | undefined {
  return TYPES.get(type);
}

/**
 * Records an error for every unknown field of `value` (an object of `kind` in `apiVersion`); objects of
 * kinds and versions the schema does not have are left alone.
 */
export function checkUnknownFields(
  ctx: ObjectContext,
  value: unknown,
  apiVersion: string,
  kind: string,
): void {
  const root = schemaRoot(apiVersion, kind);
  if (root === undefined) return;
  walkType(ctx, value, root, [], READER_CHECKED[kind] ?? []);
}

function walk(ctx: ObjectContext, value: unknown, ref: string, path: FieldPath): void {
  if (value === null || typeof value !== 'object') return;
  if (ref.startsWith('[]')) {
    const item = ref.slice(2);
    if (item !== '' && Array.isArray(value)) value.forEach((v, i) => walk(ctx, v, item, [...path, i]));
    return;
  }
  if (ref.startsWith('{}')) {
    const item = ref.slice(2);
    if (item !== '' && isObject(value))
      for (const [k, v] of Object.entries(value)) walk(ctx, v, item, [...path, k]);
    return;
  }
  walkType(ctx, value, ref, path, []);
}

function walkType(
  ctx: ObjectContext,
  value: unknown,
  type: string,
  path: FieldPath,
  skip: readonly string[],
): void {
  const fields = TYPES.get(type);
  if (fields === undefined || !isObject(value)) return;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === null || v === undefined) continue;
    const ref = fields.get(key);
    if (ref === undefined) {
      ctx.error([...path, key], unknownFieldMessage(key, [...fields.keys()], type));
      continue;
    }
    // Scalars and unchecked parts first: most fields are, and they need no path.
    if (ref === '' || typeof v !== 'object' || skip.includes(key)) continue;
    walk(ctx, v, ref, [...path, key]);
  }
}

/** `unknown field "labls" (did you mean "labels"?); …` in the words the kinds' readers use too. */
export function unknownFieldMessage(key: string, known: readonly string[], type: string): string {
  const hint = closest(key, known);
  const head = `unknown field ${JSON.stringify(key)}${hint !== undefined ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
  if (known.length <= LISTED_FIELDS) return `${head}; expected ${orList([...known].sort())}`;
  // Built-in types are named (ObjectMeta, PodSpec); generated CRD type names are paths, not names.
  const where = /^[A-Z][A-Za-z]*$/.test(type)
    ? `${type} (Kubernetes ${FIELD_SCHEMA_KUBERNETES})`
    : 'this object';
  return `${head}: ${where} has no such field, and the API server refuses unknown fields`;
}
