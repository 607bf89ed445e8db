/**
 * What every part of the oracle shares: three-valued truth, label selectors, CIDRs, namespace labels
 * under partial visibility. Written from the Kubernetes API reference, sharing no code with shared/eval
 * (not even IP parsing) so that a bug in one is not silently the other's.
 */
import type { IPBlock, LabelSelector, Labels, Pod, Snapshot } from '../../shared/model/snapshot.ts';

/** One end of a connection as the oracle sees it. */
export type OraclePeer = { kind: 'pod'; pod: Pod } | { kind: 'external'; ip: string };

/** Three-valued truth: a match that depends on what netglass cannot know is 'unknown'. */
export type Tri = boolean | 'unknown';

export function all(xs: readonly Tri[]): Tri {
  if (xs.some((x) => x === false)) return false;
  if (xs.some((x) => x === 'unknown')) return 'unknown';
  return true;
}

export function any(xs: readonly Tri[]): Tri {
  if (xs.some((x) => x === true)) return true;
  if (xs.some((x) => x === 'unknown')) return 'unknown';
  return false;
}

/** The values a Tri may take. */
export function possible(t: Tri): boolean[] {
  return t === 'unknown' ? [true, false] : [t];
}

/** One Tri for a set of possible booleans: the value when there is only one, else 'unknown'. */
export function triOf(values: ReadonlySet<boolean>): Tri {
  if (values.size === 0) throw new Error('oracle: a side with no possible outcome');
  if (values.size > 1) return 'unknown';
  return values.has(true);
}

function has(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

export function labelsMatch(sel: LabelSelector, labels: Labels): boolean {
  for (const [key, v] of Object.entries(sel.matchLabels))
    if (!has(labels, key) || labels[key] !== v) return false;
  for (const e of sel.matchExpressions) {
    const present = has(labels, e.key);
    if (e.operator === 'In' && !(present && e.values.includes(labels[e.key] as string))) return false;
    if (e.operator === 'NotIn' && present && e.values.includes(labels[e.key] as string)) return false;
    if (e.operator === 'Exists' && !present) return false;
    if (e.operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

/** [family, 128-bit value as bigint] */
function ipValue(ip: string): [4 | 6, bigint] | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const o = ip.split('.').map(Number);
    if (o.some((x) => x > 255)) return undefined;
    return [4, o.reduce((acc, x) => acc * 256n + BigInt(x), 0n)];
  }
  if (!ip.includes(':')) return undefined;
  let s = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v = ipValue(dotted[1] as string);
    if (!v) return undefined;
    const n = v[1];
    s = s.slice(0, -dotted[1]!.length) + ((n >> 16n).toString(16) + ':' + (n & 0xffffn).toString(16));
  }
  let groups: string[];
  if (s.includes('::')) {
    const [a, b] = s.split('::') as [string, string];
    const left = a === '' ? [] : a.split(':');
    const right = b === '' ? [] : b.split(':');
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  } else groups = s.split(':');
  if (groups.length !== 8) return undefined;
  return [6, groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n)];
}

export function inCidr(ip: string, cidr: string): boolean {
  const [addr, bitsText] = cidr.split('/') as [string, string];
  const a = ipValue(ip);
  const c = ipValue(addr);
  if (!a || !c || a[0] !== c[0]) return false;
  const width = a[0] === 4 ? 32n : 128n;
  const shift = width - BigInt(Number(bitsText));
  return a[1] >> shift === c[1] >> shift;
}

export function inBlock(ip: string, block: IPBlock): boolean {
  return inCidr(ip, block.cidr) && !block.except.some((e) => inCidr(ip, e));
}

export function namespaceLabels(snapshot: Snapshot, name: string): Labels {
  return snapshot.namespaces.find((n) => n.name === name)?.labels ?? { 'kubernetes.io/metadata.name': name };
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** The NetworkPolicies of this namespace could not be listed. */
export function policiesUnreadable(snapshot: Snapshot, namespace: string): boolean {
  const hidden = snapshot.visibility?.policiesUnreadable;
  if (hidden === undefined) return false;
  return hidden === 'all' || hidden.includes(namespace);
}

/** Does the namespace called `name` match? Only its name is known when namespaces could not be listed. */
export function namespaceMatches(snapshot: Snapshot, sel: LabelSelector, name: string): Tri {
  if (!snapshot.visibility?.namespacesUnreadable) return labelsMatch(sel, namespaceLabels(snapshot, name));
  const known: Labels = { [NAME_LABEL]: name };
  const parts: Tri[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels))
    parts.push(key === NAME_LABEL ? known[key] === value : 'unknown');
  for (const e of sel.matchExpressions)
    parts.push(
      e.key === NAME_LABEL ? labelsMatch({ matchLabels: {}, matchExpressions: [e] }, known) : 'unknown',
    );
  return all(parts);
}
