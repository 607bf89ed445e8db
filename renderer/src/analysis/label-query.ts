/**
 * A label search as kubectl's `-l` writes it (`app=web,tier!=db`, `env in (prod,stage)`, `!canary`,
 * `team`), read into a LabelSelector. Only reading happens here: which pods match is answered by the
 * analysis worker with the evaluator's own `selectorMatches` (no selector matching in the view).
 */
import type { LabelSelector, LabelSelectorRequirement } from '../../../shared/model/snapshot.ts';

export type LabelQuery =
  | { readonly ok: true; readonly selector: LabelSelector; readonly text: string }
  | { readonly ok: false; readonly error: string };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/**
 * Whether a search box's text is meant as a label selector rather than words: it has an operator
 * (`=`, `!=`, `in (`, `notin (`) or a leading `!`. A bare word stays a text search.
 */
export function looksLikeLabelQuery(text: string): boolean {
  const t = text.trim();
  return /[=]/.test(t) || /^!\S/.test(t) || /\s(not)?in\s*\(/.test(t);
}

/** Splits at commas outside parentheses. */
function requirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

export function parseLabelQuery(text: string): LabelQuery {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  const badKey = (k: string): LabelQuery => ({ ok: false, error: `“${k}” is not a label key` });
  const badValue = (v: string): LabelQuery => ({ ok: false, error: `“${v}” is not a label value` });
  for (const part of requirements(text.trim())) {
    if (part === '') return { ok: false, error: 'an empty requirement (two commas in a row?)' };
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (set !== null) {
      const [, key = '', op, list = ''] = set;
      if (!KEY.test(key)) return badKey(key);
      const values = list.split(',').map((v) => v.trim());
      const wrong = values.find((v) => v === '' || !VALUE.test(v));
      if (wrong !== undefined) return badValue(wrong);
      matchExpressions.push({ key, operator: op === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (cmp !== null) {
      const [, key = '', op, value = ''] = cmp;
      if (!KEY.test(key)) return badKey(key);
      if (!VALUE.test(value)) return badValue(value);
      if (op === '!=') matchExpressions.push({ key, operator: 'NotIn', values: [value] });
      else if (matchLabels[key] !== undefined && matchLabels[key] !== value)
        // Two values for one key match nothing; kept as an expression so the answer is "no pod".
        matchExpressions.push({ key, operator: 'In', values: [value] });
      else matchLabels[key] = value;
      continue;
    }
    const absent = /^!\s*(\S+)$/.exec(part);
    if (absent !== null) {
      const key = absent[1] ?? '';
      if (!KEY.test(key)) return badKey(key);
      matchExpressions.push({ key, operator: 'DoesNotExist', values: [] });
      continue;
    }
    if (KEY.test(part)) {
      matchExpressions.push({ key: part, operator: 'Exists', values: [] });
      continue;
    }
    return { ok: false, error: `cannot read “${part}”: write key=value, key!=value, key in (a,b) or !key` };
  }
  return { ok: true, selector: { matchLabels, matchExpressions }, text: text.trim() };
}
