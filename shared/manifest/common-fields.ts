/**
 * Readers for the fields every kind shares: the object's identity, metadata labels and annotations,
 * names, label selectors and protocols. Each records its problems on the ObjectContext at the field's
 * path, following apimachinery's validation (labels, selectors, names).
 */
import type {
  LabelSelector,
  LabelSelectorRequirement,
  Protocol,
  SelectorOperator,
} from '../model/snapshot.ts';
import { PROTOCOLS } from '../model/snapshot.ts';
import type { FieldPath } from './documents.ts';
import { describe } from './fields.ts';
import type { JsonObject, ObjectContext } from './fields.ts';
import { closest, dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from './names.ts';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A document whose kind, apiVersion and metadata.name were read. */
export interface RawObject {
  readonly value: JsonObject;
  readonly metadata: JsonObject;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
}

/** Marks every error recorded since `from` with "<what> was not loaded". */
export function markNotLoaded(ctx: ObjectContext, from: number, what: string): void {
  for (let i = from; i < ctx.issues.length; i++) {
    const issue = ctx.issues[i];
    if (issue && issue.severity === 'error' && !issue.message.includes('was not loaded')) {
      ctx.issues[i] = { ...issue, message: `${issue.message}; ${what} was not loaded` };
    }
  }
}

export function readLabels(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  what: string,
  checkValues: boolean,
): Record<string, string> {
  const map = ctx.object_(value, path, what);
  const out: Record<string, string> = {};
  if (!map) return out;
  for (const [k, v] of Object.entries(map)) {
    const keyErrs = qualifiedName(k);
    if (keyErrs.length > 0)
      ctx.error([...path, k], `key ${JSON.stringify(k)} is not a valid label key: ${keyErrs.join('; ')}`);
    if (typeof v !== 'string') {
      ctx.error([...path, k], `must be a string, got ${describe(v)}${quoteHint(v)}`);
      continue;
    }
    if (checkValues) {
      const errs = labelValue(v);
      if (errs.length > 0)
        ctx.error([...path, k], `${JSON.stringify(v)} is not a valid label value: ${errs.join('; ')}`);
    }
    out[k] = v;
  }
  return out;
}

/** What to do about a number or boolean where a string belongs: quote it, as kubectl would need too. */
export function quoteHint(v: unknown): string {
  if (typeof v === 'number') return ` (quote it: "${String(v)}")`;
  if (typeof v === 'boolean')
    return ' (quote it: unquoted true, false, yes, no, on, off, y and n are booleans to kubectl)';
  return '';
}

export function readAnnotations(ctx: ObjectContext, value: unknown, path: FieldPath): Record<string, string> {
  const map = ctx.object_(value, path, 'annotations');
  const out: Record<string, string> = {};
  if (!map) return out;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string') {
      ctx.error([...path, k], `must be a string, got ${describe(v)}${quoteHint(v)}`);
      continue;
    }
    out[k] = v;
  }
  return out;
}

export function checkName(ctx: ObjectContext, obj: RawObject, rule: 'label' | 'subdomain'): void {
  const errs = rule === 'label' ? dns1123Label(obj.name) : dns1123Subdomain(obj.name);
  if (errs.length > 0)
    ctx.error(
      ['metadata', 'name'],
      `${JSON.stringify(obj.name)} is not a valid ${obj.kind} name: ${errs.join('; ')}`,
    );
}

export function readProtocol(ctx: ObjectContext, value: unknown, path: FieldPath): Protocol | undefined {
  if (value === undefined || value === null) return 'TCP';
  if (typeof value !== 'string') {
    ctx.error(path, `must be a string (TCP, UDP or SCTP), got ${describe(value)}`);
    return undefined;
  }
  if ((PROTOCOLS as readonly string[]).includes(value)) return value as Protocol;
  const upper = value.toUpperCase();
  const hint = (PROTOCOLS as readonly string[]).includes(upper)
    ? ` (protocols are upper case: ${upper})`
    : '';
  ctx.error(path, `unsupported protocol ${JSON.stringify(value)}${hint}; expected TCP, UDP or SCTP`);
  return undefined;
}

export function readSelector(ctx: ObjectContext, value: unknown, path: FieldPath): LabelSelector | undefined {
  const sel = ctx.object_(value, path, 'a label selector with matchLabels and/or matchExpressions');
  if (!sel) return undefined;
  ctx.unknownFields(sel, path, ['matchLabels', 'matchExpressions']);
  const matchLabels = readLabels(
    ctx,
    sel['matchLabels'],
    [...path, 'matchLabels'],
    'label key: value pairs',
    true,
  );
  const matchExpressions: LabelSelectorRequirement[] = [];
  const exprs = ctx.list(sel['matchExpressions'], [...path, 'matchExpressions'], 'selector requirements');
  exprs?.forEach((e, i) => {
    const epath = [...path, 'matchExpressions', i];
    const req = ctx.object_(e, epath, 'a requirement with key, operator and values');
    if (!req) {
      if (e === null || e === undefined)
        ctx.error(epath, 'must be a requirement with key, operator and values, got null');
      return;
    }
    ctx.unknownFields(req, epath, ['key', 'operator', 'values']);
    const key = ctx.string(req['key'], [...epath, 'key'], 'a label key');
    if (key === undefined) {
      if (req['key'] === undefined || req['key'] === null) ctx.error([...epath, 'key'], 'key is missing');
    } else {
      const errs = qualifiedName(key);
      if (errs.length > 0)
        ctx.error([...epath, 'key'], `${JSON.stringify(key)} is not a valid label key: ${errs.join('; ')}`);
    }
    const opRaw = req['operator'];
    let operator: SelectorOperator | undefined;
    if (opRaw === undefined || opRaw === null) {
      ctx.error([...epath, 'operator'], 'operator is missing; expected In, NotIn, Exists or DoesNotExist');
    } else if (typeof opRaw !== 'string' || !(OPERATORS as readonly string[]).includes(opRaw)) {
      const hint = typeof opRaw === 'string' ? closest(opRaw, OPERATORS) : undefined;
      ctx.error(
        [...epath, 'operator'],
        `${typeof opRaw === 'string' ? JSON.stringify(opRaw) : describe(opRaw)} is not a valid selector operator${hint ? ` (did you mean ${hint}?)` : ''}; expected In, NotIn, Exists or DoesNotExist`,
      );
    } else {
      operator = opRaw as SelectorOperator;
    }
    const values: string[] = [];
    const vlist = ctx.list(req['values'], [...epath, 'values'], 'label values');
    vlist?.forEach((v, j) => {
      if (typeof v !== 'string') {
        ctx.error([...epath, 'values', j], `must be a string, got ${describe(v)}${quoteHint(v)}`);
        return;
      }
      const errs = labelValue(v);
      if (errs.length > 0)
        ctx.error(
          [...epath, 'values', j],
          `${JSON.stringify(v)} is not a valid label value: ${errs.join('; ')}`,
        );
      values.push(v);
    });
    if (operator === 'In' || operator === 'NotIn') {
      if ((vlist?.length ?? 0) === 0)
        ctx.error([...epath, 'values'], `must be a non-empty list when operator is ${operator}`);
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if ((vlist?.length ?? 0) > 0)
        ctx.error([...epath, 'values'], `must be empty when operator is ${operator}`);
    }
    if (key !== undefined && operator !== undefined) matchExpressions.push({ key, operator, values });
  });
  return { matchLabels, matchExpressions };
}
