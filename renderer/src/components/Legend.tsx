/** The legend: every colour, dash and badge the graph uses. */
import type { ReactNode } from 'react';
import { useView } from '../store/context.tsx';

function Line({ cls }: { cls: string }) {
  return (
    <svg className={`legend-line ${cls}`} width="26" height="10" viewBox="0 0 26 10" aria-hidden="true">
      <line x1="1" y1="5" x2="19" y2="5" />
      <path d="M18 1.5 24 5l-6 3.5z" />
    </svg>
  );
}

type Slot = 'on-in' | 'on-out' | 'idle' | 'open';

function Badge({ top, bottom }: { top: Slot; bottom: Slot }) {
  return (
    <svg className="legend-badge" width="10" height="21" viewBox="0 0 14 30" aria-hidden="true">
      <rect x="1.5" y="1.5" width="11" height="11" rx="3.5" className={`b-${top}`} />
      <rect x="1.5" y="17.5" width="11" height="11" rx="3.5" className={`b-${bottom}`} />
    </svg>
  );
}

/** The shield a pod gets when an admin-tier policy applies to it (graph/badges.ts draws the same). */
function TierMark({ tier }: { tier: 'admin' | 'baseline' }) {
  return (
    <svg
      className={`legend-tier legend-tier-${tier}`}
      width="12"
      height="14"
      viewBox="0 0 12 14"
      aria-hidden="true"
    >
      <path d="M6 .8l5.2 1.9v4c0 3.3-2.3 5.6-5.2 6.6C3.1 12.3.8 10 .8 6.7v-4z" />
      {tier === 'admin' && <path className="legend-tier-tick" d="M3.6 7.4l1.7 1.7 3.2-3.4" />}
    </svg>
  );
}

function Item({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <li className="legend-item">
      <span className="legend-icon">{icon}</span>
      <span>{children}</span>
    </li>
  );
}

/**
 * `tiers`: the source has admin-tier policies, so their marks and the passed edge are explained too.
 * `cilium`: it has Cilium policies, whose L7, DNS-name and Service rules make connections conditional.
 * `calico`: it has Calico policies, whose Pass rules send a side on to the next tier and whose HTTP,
 * service account and Service matches make connections conditional.
 */
export function Legend({
  tiers = false,
  cilium = false,
  calico = false,
}: {
  tiers?: boolean;
  cilium?: boolean;
  calico?: boolean;
}) {
  const conditional = cilium || calico;
  const open = useView((s) => s.legendOpen);
  const setOpen = useView((s) => s.setLegendOpen);
  return (
    <details
      className="legend-box"
      open={open}
      data-testid="legend-box"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="legend-summary">Legend</summary>
      <ul className="legend" aria-label="Legend" data-testid="legend">
        <Item icon={<span className="legend-swatch" />}>Pod</Item>
        <Item icon={<span className="legend-swatch legend-workload" />}>Replicas grouped</Item>
        <Item icon={<span className="legend-swatch legend-host" />}>Host network (no policies)</Item>
        <Item icon={<span className="legend-swatch legend-external" />}>Outside address</Item>
        <Item icon={<Badge top="on-in" bottom="idle" />}>Ingress isolated</Item>
        <Item icon={<Badge top="idle" bottom="on-out" />}>Egress isolated</Item>
        <Item icon={<Badge top="open" bottom="open" />}>Unprotected (no policy)</Item>
        {tiers && <Item icon={<TierMark tier="admin" />}>Admin-tier policy applies</Item>}
        {tiers && <Item icon={<TierMark tier="baseline" />}>Only Baseline-tier policies apply</Item>}
        <Item icon={<span className="legend-ring" />}>Selected by the policy</Item>
        <Item icon={<Line cls="edge-flowing" />}>Permitted, flows</Item>
        <Item icon={<Line cls="edge-blocked" />}>Permitted, blocked at the other end</Item>
        <Item icon={<Line cls="edge-denied" />}>Denied by the policy</Item>
        {(tiers || calico) && <Item icon={<Line cls="edge-passed" />}>Passed on to the next tier</Item>}
        <Item icon={<Line cls="edge-allowed" />}>Allowed (pod, matrix cell)</Item>
        <Item icon={<Line cls="edge-unknown" />}>
          {conditional
            ? 'Unknown or conditional (not decided for every request)'
            : 'Unknown (unreadable objects, or up to the CNI)'}
        </Item>
        {conditional && (
          <Item icon={<Line cls="edge-conditional" />}>Checked path: allowed for some requests only</Item>
        )}
        <Item icon={<span className="legend-dim" />}>Not concerned (dimmed)</Item>
      </ul>
    </details>
  );
}
