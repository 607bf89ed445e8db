/**
 * Cilium endpoint selectors → the model's namespace + pod selector pair.
 *
 * Cilium selects endpoints by labels with a source prefix (`k8s:app`, `any:app`, plain `app`) and
 * encodes the namespace as labels too: `io.kubernetes.pod.namespace` is the namespace's name and
 * `io.cilium.k8s.namespace.labels.<key>` its labels. Those become a namespaceSelector (on
 * `kubernetes.io/metadata.name` for the name), the rest a podSelector. A CiliumNetworkPolicy scopes
 * what it selects to its own namespace: its endpointSelector always, and a peer selector unless the
 * peer names a namespace (by name or by namespace labels). Labels of other sources (`reserved:`, `cidr:`)
 * and keys netglass cannot know for a pod (service account, cluster name) are reported and make the
 * selector unsupported.
 */
import type { LabelSelector, LabelSelectorRequirement, SelectorOperator } from '../model/snapshot.ts';
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.ts';
import { quoteHint } from './common-fields.ts';
import type { FieldPath } from './documents.ts';
import { describe } from './fields.ts';
import type { ObjectContext } from './fields.ts';
import { closest, labelValue, qualifiedName } from './names.ts';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS = 'io.cilium.k8s.namespace.labels.';
/** Label sources that stand for pod labels. */
const POD_SOURCES = new Set(['k8s', 'any']);
/** Cilium identity labels a pod of the model does not carry. */
const UNKNOWABLE: Readonly<Record<string, string>> = {
  'io.cilium.k8s.policy.serviceaccount': 'the pod service account',
  'io.cilium.k8s.policy.cluster': 'the Cluster Mesh cluster name',
};

export type ScopedSelector =
  | {
      readonly kind: 'selector';
      readonly namespaceSelector: LabelSelector;
      readonly podSelector: LabelSelector;
    }
  /** The selector reads labels netglass does not model; `why` says which. */
  | { readonly kind: 'unsupported'; readonly why: string };

interface Split {
  readonly ns: { labels: Record<string, string>; exprs: LabelSelectorRequirement[] };
  readonly pod: { labels: Record<string, string>; exprs: LabelSelectorRequirement[] };
  namesNamespace: boolean;
  unsupported?: string;
}

/** Where a (prefixed) Cilium label key goes. */
function route(
  split: Split,
  ctx: ObjectContext,
  raw: string,
  path: FieldPath,
): { side: 'ns' | 'pod'; key: string } | undefined {
  let key = raw;
  const colon = raw.indexOf(':');
  if (colon >= 0) {
    const source = raw.slice(0, colon);
    key = raw.slice(colon + 1);
    if (!POD_SOURCES.has(source)) {
      split.unsupported ??= `the label ${JSON.stringify(raw)} of source ${source}: (${source === 'reserved' ? 'use fromEntities/toEntities for reserved identities' : 'only k8s: and any: labels describe pods'})`;
      return undefined;
    }
  }
  const unknowable = UNKNOWABLE[key];
  if (unknowable !== undefined) {
    split.unsupported ??= `the label ${key} (${unknowable}), which netglass does not know for a pod`;
    return undefined;
  }
  if (key === POD_NAMESPACE) {
    split.namesNamespace = true;
    return { side: 'ns', key: NAMESPACE_NAME_LABEL };
  }
  if (key.startsWith(NAMESPACE_LABELS)) {
    split.namesNamespace = true;
    key = key.slice(NAMESPACE_LABELS.length);
    if (key === '') {
      ctx.error(path, `${JSON.stringify(raw)} names no namespace label after ${NAMESPACE_LABELS}`);
      return undefined;
    }
    return checkedKey(ctx, raw, key, path) ? { side: 'ns', key } : undefined;
  }
  return checkedKey(ctx, raw, key, path) ? { side: 'pod', key } : undefined;
}

function checkedKey(ctx: ObjectContext, raw: string, key: string, path: FieldPath): boolean {
  const errs = qualifiedName(key);
  if (errs.length === 0) return true;
  ctx.error(path, `key ${JSON.stringify(raw)} is not a valid label key: ${errs.join('; ')}`);
  return false;
}

function checkedValue(ctx: ObjectContext, value: unknown, path: FieldPath): string | undefined {
  if (typeof value !== 'string') {
    ctx.error(path, `must be a string, got ${describe(value)}${quoteHint(value)}`);
    return undefined;
  }
  const errs = labelValue(value);
  if (errs.length > 0) {
    ctx.error(path, `${JSON.stringify(value)} is not a valid label value: ${errs.join('; ')}`);
    return undefined;
  }
  return value;
}

function readRequirement(ctx: ObjectContext, split: Split, e: unknown, path: FieldPath): void {
  const req = ctx.object_(e, path, 'a requirement with key, operator and values');
  if (!req) {
    if (e === null || e === undefined)
      ctx.error(path, 'must be a requirement with key, operator and values, got null');
    return;
  }
  ctx.unknownFields(req, path, ['key', 'operator', 'values']);
  const rawKey = ctx.string(req['key'], [...path, 'key'], 'a label key');
  if (rawKey === undefined && (req['key'] === undefined || req['key'] === null))
    ctx.error([...path, 'key'], 'key is missing');
  const opRaw = req['operator'];
  let operator: SelectorOperator | undefined;
  if (typeof opRaw === 'string' && (OPERATORS as readonly string[]).includes(opRaw))
    operator = opRaw as SelectorOperator;
  else {
    const hint = typeof opRaw === 'string' ? closest(opRaw, OPERATORS) : undefined;
    ctx.error(
      [...path, 'operator'],
      opRaw === undefined || opRaw === null
        ? 'operator is missing; expected In, NotIn, Exists or DoesNotExist'
        : `${typeof opRaw === 'string' ? JSON.stringify(opRaw) : describe(opRaw)} is not a valid selector operator${hint ? ` (did you mean ${hint}?)` : ''}; expected In, NotIn, Exists or DoesNotExist`,
    );
  }
  const values: string[] = [];
  const list = ctx.list(req['values'], [...path, 'values'], 'label values');
  list?.forEach((v, j) => {
    const value = checkedValue(ctx, v, [...path, 'values', j]);
    if (value !== undefined) values.push(value);
  });
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0 && (list?.length ?? 0) === 0)
    ctx.error([...path, 'values'], `must be a non-empty list when operator is ${operator}`);
  if ((operator === 'Exists' || operator === 'DoesNotExist') && (list?.length ?? 0) > 0)
    ctx.error([...path, 'values'], `must be empty when operator is ${operator}`);
  if (rawKey === undefined || operator === undefined) return;
  const to = route(split, ctx, rawKey, [...path, 'key']);
  if (to) split[to.side].exprs.push({ key: to.key, operator, values });
}

/**
 * Reads an endpoint selector. `scope`: the namespace a CiliumNetworkPolicy confines it to — always
 * (`force`, the endpointSelector) or unless it names a namespace (peer selectors); undefined for a
 * cluster-wide policy.
 */
export function readEndpointSelector(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  scope: { readonly namespace: string; readonly force: boolean } | undefined,
): ScopedSelector | undefined {
  const sel = ctx.object_(
    value === null ? {} : value,
    path,
    'an endpoint selector with matchLabels and/or matchExpressions',
  );
  if (!sel) return undefined;
  ctx.unknownFields(sel, path, ['matchLabels', 'matchExpressions']);
  const split: Split = {
    ns: { labels: {}, exprs: [] },
    pod: { labels: {}, exprs: [] },
    namesNamespace: false,
  };
  const labels = ctx.object_(sel['matchLabels'], [...path, 'matchLabels'], 'label key: value pairs');
  for (const [raw, v] of Object.entries(labels ?? {})) {
    const lpath = [...path, 'matchLabels', raw];
    const value = checkedValue(ctx, v, lpath);
    const to = route(split, ctx, raw, lpath);
    if (value === undefined || !to) continue;
    const side = split[to.side];
    const prior = side.labels[to.key];
    // `k8s:app` and `app` may both be written: two values for one key is a selector that matches nothing.
    if (prior !== undefined && prior !== value)
      side.exprs.push({ key: to.key, operator: 'In', values: [value] });
    else side.labels[to.key] = value;
  }
  const exprs = ctx.list(sel['matchExpressions'], [...path, 'matchExpressions'], 'selector requirements');
  exprs?.forEach((e, i) => readRequirement(ctx, split, e, [...path, 'matchExpressions', i]));
  if (split.unsupported !== undefined) return { kind: 'unsupported', why: split.unsupported };
  if (scope && (scope.force || !split.namesNamespace)) {
    // Cilium sets the namespace label of a CiliumNetworkPolicy's endpointSelector to the policy's
    // namespace, replacing one written there.
    const written = split.ns.labels[NAMESPACE_NAME_LABEL];
    if (written !== undefined && written !== scope.namespace)
      ctx.warn(
        path,
        `names namespace ${written}, but a CiliumNetworkPolicy applies in its own namespace only: Cilium replaces it with ${scope.namespace}`,
      );
    split.ns.labels[NAMESPACE_NAME_LABEL] = scope.namespace;
  }
  return {
    kind: 'selector',
    namespaceSelector: { matchLabels: split.ns.labels, matchExpressions: split.ns.exprs },
    podSelector: { matchLabels: split.pod.labels, matchExpressions: split.pod.exprs },
  };
}
