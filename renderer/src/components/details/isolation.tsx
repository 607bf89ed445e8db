/** How a pod is isolated per direction: by which NetworkPolicies, and (with admin tiers) by which tier. */
import type { Direction, DirectionIsolation } from '../../../../shared/eval/index.ts';
import type { Snapshot } from '../../../../shared/model/snapshot.ts';
import { findClusterPolicy } from '../../model/admin.ts';
import type { PodView } from '../../analysis/protocol.ts';
import { PolicyLink } from '../detail-parts.tsx';
import { Section, Spinner } from '../parts.tsx';

export function IsolationLine({
  direction,
  isolated,
  policies,
  tiered,
}: {
  direction: Direction;
  isolated: boolean | 'unknown';
  policies: readonly string[];
  /** Admin-tier policies also apply in this direction: "not isolated" is then no warning. */
  tiered?: boolean;
}) {
  return (
    <div className="iso-line" data-testid={`isolation-${direction}`} data-isolated={String(isolated)}>
      {tiered === undefined ? (
        <span className={`tag tag-${direction}`}>{direction === 'ingress' ? 'Ingress' : 'Egress'}</span>
      ) : (
        <span className="iso-tier-label">NetworkPolicy</span>
      )}
      {isolated === true ? (
        <span className="chips">
          isolated by
          {policies.map((p) => (
            <PolicyLink key={p} policy={p} />
          ))}
        </span>
      ) : isolated === 'unknown' ? (
        <span className="muted">may be isolated: this namespace's policies could not all be read</span>
      ) : tiered === true ? (
        <span className="muted">none isolates it</span>
      ) : (
        <span className="warn-text">
          not isolated: {direction === 'ingress' ? 'accepts from anywhere' : 'may connect anywhere'}
        </span>
      )}
    </div>
  );
}

/**
 * The policies that apply to a pod in one direction, in the order they are read: the Admin tier (by
 * priority), its NetworkPolicies, the Baseline tier. The admin lists are the evaluator's
 * (`isolation(pod)`), split by tier.
 */
export function DirectionPolicies({
  direction,
  iso,
  snapshot,
}: {
  direction: Direction;
  iso: DirectionIsolation;
  snapshot: Snapshot;
}) {
  const byTier = (tier: 'Admin' | 'Baseline'): string[] =>
    iso.adminPolicies.filter((k) => findClusterPolicy(snapshot, k)?.tier === tier);
  const tierLine = (tier: 'Admin' | 'Baseline') => {
    const keys = byTier(tier);
    return (
      <div
        className={`iso-line iso-tier iso-tier-${tier.toLowerCase()}`}
        data-testid={`${tier.toLowerCase()}-${direction}`}
        data-count={keys.length}
      >
        <span className="iso-tier-label">{tier}</span>
        {keys.length === 0 ? (
          <span className="muted">none applies</span>
        ) : (
          <span className="chips">
            {keys.map((k) => (
              <PolicyLink key={k} policy={k} snapshot={snapshot} />
            ))}
          </span>
        )}
      </div>
    );
  };
  return (
    <div className="iso-block" data-testid={`direction-${direction}`}>
      <span className={`tag tag-${direction}`}>{direction === 'ingress' ? 'Ingress' : 'Egress'}</span>
      <div className="iso-tiers">
        {tierLine('Admin')}
        <IsolationLine
          direction={direction}
          isolated={iso.isolated}
          policies={iso.policies}
          tiered={iso.adminPolicies.length > 0}
        />
        {tierLine('Baseline')}
      </div>
    </div>
  );
}

/** The policies that apply to a pod (or a workload's pods) per direction, from the worker's answer. */
export function IsolationSection({
  hostNetwork,
  view,
  snapshot,
}: {
  hostNetwork: boolean;
  view: PodView | undefined;
  snapshot: Snapshot;
}) {
  return (
    <Section
      title={snapshot.clusterPolicies.length > 0 ? 'Policies that apply to it' : 'Policies that select it'}
      testId="pod-isolation"
    >
      {hostNetwork ? (
        <p className="fine-print">
          Host-network pods are not subject to NetworkPolicy
          {snapshot.clusterPolicies.length > 0 && ' nor to admin-tier policies'}.
        </p>
      ) : view === undefined ? (
        <Spinner />
      ) : (
        <>
          {(['ingress', 'egress'] as const).map((d) =>
            snapshot.clusterPolicies.length > 0 ? (
              <DirectionPolicies key={d} direction={d} iso={view.isolation[d]} snapshot={snapshot} />
            ) : (
              <IsolationLine
                key={d}
                direction={d}
                isolated={view.isolation[d].isolated}
                policies={view.isolation[d].policies}
              />
            ),
          )}
        </>
      )}
    </Section>
  );
}
