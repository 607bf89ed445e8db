/** The details panel's heading per selection kind: what it is, its name, and a sub-line. */
import type { ReactNode } from 'react';
import type { Snapshot } from '../../../../shared/model/snapshot.ts';
import { CALICO_KIND_SHORT, findCalicoPolicy } from '../../model/calico.ts';
import { CILIUM_KIND_SHORT, findCiliumPolicy, policyKeyKind } from '../../model/cilium.ts';
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
      const keyKind = policyKeyKind(selection.key);
      const cilium = keyKind === 'cilium' ? findCiliumPolicy(snapshot, selection.key) : undefined;
      if (cilium !== undefined) {
        const colors = namespaceColors(snapshot);
        return {
          kind: cilium.kind,
          title: cilium.name,
          sub: (
            <span className="sub-line">
              {cilium.namespace !== undefined ? (
                <>
                  <NsDot color={colors.get(cilium.namespace) ?? 0} />
                  {cilium.namespace}
                </>
              ) : (
                <span>cluster-wide</span>
              )}
              <span className="tag tag-kind">{CILIUM_KIND_SHORT[cilium.kind]}</span>
            </span>
          ),
        };
      }
      if (keyKind === 'cilium') return { kind: 'Cilium policy', title: selection.key };
      const calico = keyKind === 'calico' ? findCalicoPolicy(snapshot, selection.key) : undefined;
      if (calico !== undefined) {
        const colors = namespaceColors(snapshot);
        return {
          kind: `Calico ${calico.kind}`,
          title: calico.name,
          sub: (
            <span className="sub-line sub-line-calico">
              {calico.namespace !== undefined ? (
                <span>
                  <NsDot color={colors.get(calico.namespace) ?? 0} /> {calico.namespace}
                </span>
              ) : (
                <span>global</span>
              )}
              <span className="calico-tier-name" data-testid="header-tier">
                tier {calico.tier}
              </span>
              <span data-testid="header-order">
                {calico.order !== undefined ? `order ${calico.order}` : 'no order'}
              </span>
              <span className="tag tag-kind">{CALICO_KIND_SHORT[calico.kind]}</span>
              {calico.staged && <span className="tag tag-staged">staged</span>}
            </span>
          ),
        };
      }
      if (keyKind === 'calico') return { kind: 'Calico policy', title: selection.key };
      const admin = keyKind === 'admin' ? findClusterPolicy(snapshot, selection.key) : undefined;
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
