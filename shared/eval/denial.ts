/**
 * Who denies a set of connections: the policies that decide the denying side of each, as `check`
 * explains it. Used for a namespace pair where no connection flows, so the matrix can say "denied by
 * billing/default-deny-ingress" rather than only "none".
 */
import type { Analyzer, Direction, Peer, PortProbe, SideResult } from './types.ts';

export interface Denial {
  /** A side was denied by NetworkPolicy isolation with no matching rule: the isolating policies. */
  readonly isolating: readonly { readonly direction: Direction; readonly policy: string }[];
  /** A side was denied by an admin-tier Deny rule: those policies. */
  readonly adminDeny: readonly string[];
  /** Connections asked (a sample when the set is large). */
  readonly sampled: number;
}

function denyingPolicies(side: SideResult): { isolating: string[]; admin: string[] } {
  if (side.kind !== 'denied') return { isolating: [], admin: [] };
  const t = side.tiers;
  if (t?.decidedBy === 'Admin' && t.admin) return { isolating: [], admin: [t.admin.policy] };
  if (t?.decidedBy === 'Baseline' && t.baseline) return { isolating: [], admin: [t.baseline.policy] };
  return { isolating: [...side.policies], admin: [] };
}

/** The deciders of the denied ones among `pairs × ports` (at most `limit` connections are asked). */
export function denialOf(
  analyzer: Analyzer,
  pairs: readonly (readonly [Peer, Peer])[],
  ports: readonly PortProbe[],
  limit = 400,
): Denial {
  const isolating = new Map<string, { direction: Direction; policy: string }>();
  const adminDeny = new Set<string>();
  let sampled = 0;
  outer: for (const [from, to] of pairs)
    for (const probe of ports) {
      if (sampled >= limit) break outer;
      sampled++;
      const v = analyzer.check({ from, to, ...probe });
      for (const [direction, side] of [
        ['egress', v.egress],
        ['ingress', v.ingress],
      ] as const) {
        const d = denyingPolicies(side);
        for (const policy of d.isolating) isolating.set(`${direction} ${policy}`, { direction, policy });
        for (const policy of d.admin) adminDeny.add(policy);
      }
    }
  const sorted = [...isolating.values()].sort((a, b) =>
    a.direction === b.direction ? a.policy.localeCompare(b.policy) : a.direction === 'ingress' ? -1 : 1,
  );
  return { isolating: sorted, adminDeny: [...adminDeny].sort(), sampled };
}
