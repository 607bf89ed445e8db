/** Counts per namespace from the worker's pod badges (the evaluator's answers, no matching here). */
import type { PodBadge } from '../analysis/protocol.ts';

/** Per namespace: how many of its pods have a badge that `holds` says yes to. */
export function badgedPodsPerNamespace(
  badges: Readonly<Record<string, PodBadge>> | undefined,
  holds: (badge: PodBadge) => boolean,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, badge] of Object.entries(badges ?? {})) {
    if (!holds(badge)) continue;
    const ns = key.slice(0, key.indexOf('/'));
    out.set(ns, (out.get(ns) ?? 0) + 1);
  }
  return out;
}

/** Per namespace: how many of the objects live in it (cluster-scoped ones, without one, count nowhere). */
export function countPerNamespace(
  objects: readonly { readonly namespace?: string | undefined }[] | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects ?? [])
    if (o.namespace !== undefined) out.set(o.namespace, (out.get(o.namespace) ?? 0) + 1);
  return out;
}
