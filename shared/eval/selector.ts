/** Label selector semantics (apimachinery `labels.Selector`), on plain label maps. */
import type { LabelSelector, Labels } from '../model/snapshot.ts';

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
