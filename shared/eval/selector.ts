/** Label selector semantics (apimachinery `labels.Selector`), on plain label maps. */
import type { LabelSelector, Labels } from '../model/snapshot.ts';
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.ts';

/** matchLabels AND every expression; NotIn and DoesNotExist match an absent key; `{}` matches all. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const key of Object.keys(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== selector.matchLabels[key]) return false;
  }
  for (const req of selector.matchExpressions) {
    const present = Object.hasOwn(labels, req.key);
    const value = present ? labels[req.key] : undefined;
    switch (req.operator) {
      case 'In':
        if (!present || !req.values.includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (present && req.values.includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}

/** Equal keys ⇔ equal selectors (order of labels, expressions and values does not matter). */
export function selectorKey(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => [k, selector.matchLabels[k] ?? '']);
  const exprs = selector.matchExpressions
    .map((e) => [e.key, e.operator, [...new Set(e.values)].sort()] as const)
    .sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : a[0] + a[1] > b[0] + b[1] ? 1 : 0));
  return JSON.stringify([labels, exprs]);
}

export function selectorLabelKeys(selector: LabelSelector): string[] {
  return [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((e) => e.key)];
}

/**
 * Three-valued match of a namespace selector when only the namespace's name is known (Namespaces could
 * not be listed): a requirement on `kubernetes.io/metadata.name` is decided from the name, any other
 * requirement is unknown. Kleene AND: `false` if some requirement surely fails, `true` if all surely
 * hold (`{}`, or name requirements only), else `'unknown'`. Unknown requirements are not checked
 * against each other (a contradictory selector still "possibly matches"); that is imprecise, never wrong.
 */
export function selectorMatchesByName(selector: LabelSelector, name: string): boolean | 'unknown' {
  let unknown = false;
  for (const key of Object.keys(selector.matchLabels)) {
    if (key !== NAMESPACE_NAME_LABEL) unknown = true;
    else if (selector.matchLabels[key] !== name) return false;
  }
  for (const req of selector.matchExpressions) {
    if (req.key !== NAMESPACE_NAME_LABEL) {
      unknown = true;
      continue;
    }
    const hit = req.values.includes(name);
    if (req.operator === 'In' && !hit) return false;
    if (req.operator === 'NotIn' && hit) return false;
    if (req.operator === 'DoesNotExist') return false;
  }
  return unknown ? 'unknown' : true;
}
