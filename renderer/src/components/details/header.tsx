/** The details panel's heading per selection kind: what it is, its name, and a sub-line. */
import type { ReactNode } from 'react';
import { isClusterPolicyKey, type Snapshot } from '../../../../shared/model/snapshot.ts';
import { findClusterPolicy, KIND_SHORT } from '../../model/admin.ts';
import { findPod, findPolicy, namespaceColors } from '../../model/summary.ts';
import type { Selection } from '../../store/view-store.ts';
import { TierChip } from '../detail-parts.tsx';
import { NsDot } from '../parts.tsx';

export function detailsHeader(
  selection: Selection,
  snapshot: Snapshot,
): { kind: string; title: string; sub?: ReactNode } {
  switch (selection.kind) {
    case 'policy': {
      const admin = isClusterPolicyKey(selection.key)
        ? findClusterPolicy(snapshot, selection.key)
        : undefined;
      if (admin !== undefined)
        return {
          kind: admin.kind,
          title: admin.name,
          sub: (
            <span className="sub-line">
              <TierChip tier={admin.tier} />
              <span data-testid="header-priority">priority {admin.priority}</span>
              {admin.kind !== 'ClusterNetworkPolicy' && (
                <span className="tag tag-kind">{KIND_SHORT[admin.kind]}</span>
              )}
            </span>
          ),
        };
      const p = findPolicy(snapshot, selection.key);
      const colors = namespaceColors(snapshot);
      return {
        kind: 'NetworkPolicy',
        title: p?.name ?? selection.key,
        sub: p !== undefined && (
          <span className="sub-line">
            <NsDot color={colors.get(p.namespace) ?? 0} />
            {p.namespace}
          </span>
        ),
      };
    }
    case 'pod':
      return { kind: 'Pod', title: findPod(snapshot, selection.key)?.name ?? selection.key };
    case 'namespace':
      return { kind: 'Namespace', title: selection.name };
    case 'workload': {
      const hash = selection.id.indexOf('#');
      const parts = selection.id.slice(0, hash).split('/');
      return {
        kind: 'Workload',
        title: parts[2] ?? selection.id,
        sub: <span className="sub-line">{parts[0]}</span>,
      };
    }
    case 'cell':
      return { kind: 'Namespace pair', title: `${selection.from} → ${selection.to}` };
  }
}
