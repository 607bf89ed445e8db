/**
 * Every field that differs between two Kubernetes objects, as a list of paths with their values
 * before and after. It compares the whole object (metadata beyond name and labels, spec, status,
 * anything a server or a controller put there) because the list is what a person confirms before an
 * apply: a field missing from it must be a field that does not change. Only the server's own
 * bookkeeping, which changes on every write and which no manifest sets, is left out.
 *
 * Lists are compared position by position, as the API server stores them.
 */
import type { FieldChange } from '../../shared/api/api.ts';
import { formatPath } from '../../shared/manifest/index.ts';

/** Metadata the API server maintains itself on every write; never a user's change. */
export const SERVER_MANAGED_METADATA: readonly string[] = [
  'resourceVersion',
  'generation',
  'managedFields',
  'creationTimestamp',
  'uid',
  'selfLink',
];

type Segment = string | number;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyContainer(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0;
}

/** `metadata.resourceVersion` and the like: at depth 2 under `metadata` of the object itself. */
function isServerManaged(path: readonly Segment[]): boolean {
  return (
    path.length === 2 &&
    path[0] === 'metadata' &&
    typeof path[1] === 'string' &&
    SERVER_MANAGED_METADATA.includes(path[1])
  );
}

/**
 * The leaves of an added or removed value, each its own change, so that a created object lists
 * every field it sets; an empty object or list is a leaf itself (it is set, to nothing).
 */
function leaves(value: unknown, path: Segment[], change: 'added' | 'removed', out: FieldChange[]): void {
  if (isServerManaged(path)) return;
  if ((Array.isArray(value) || isRecord(value)) && !isEmptyContainer(value)) {
    const entries: [Segment, unknown][] = Array.isArray(value)
      ? value.map((v, i): [Segment, unknown] => [i, v])
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

function sameScalar(a: unknown, b: unknown): boolean {
  // Numbers, strings, booleans and null from JSON; anything else compared by its JSON text.
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function diffValues(before: unknown, after: unknown, path: Segment[], out: FieldChange[]): void {
  if (isServerManaged(path)) return;
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
  // Different kinds (a list became a mapping, a mapping a string) or different scalars.
  if (!sameScalar(before, after)) out.push({ path: formatPath(path), change: 'changed', before, after });
}

/**
 * Field-level differences from `before` to `after` over the whole object, server bookkeeping
 * (`SERVER_MANAGED_METADATA`) aside. `before` undefined (a create): every field of `after` is added.
 * Paths read like `spec.ingress[0].ports[0].port` or `metadata.annotations["example.com/owner"]`.
 */
export function diffObjects(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): FieldChange[] {
  const out: FieldChange[] = [];
  diffValues(before, after, [], out);
  return out;
}

/** `object` without `metadata.managedFields` (long, and the server's business), for showing it. */
export function withoutManagedFields(
  object: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const metadata = object['metadata'];
  if (!isRecord(metadata) || !('managedFields' in metadata)) return object;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...object, metadata: rest };
}
