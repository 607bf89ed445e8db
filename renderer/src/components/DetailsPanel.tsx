/**
 * The panel beside the graph: what the selection is and what it does. A dispatcher: the heading and
 * actions are shared, the body is one module per selection kind under details/ (policy, admin policy,
 * pod, namespace, workload, namespace pair). Reach mode (ReachPanel) takes the panel's place.
 */
import { podKey } from '../../../shared/model/snapshot.ts';
import { findPod } from '../model/summary.ts';
import { useSource, useStores, useView } from '../store/context.tsx';
import { EditCopyButton } from '../editor/entry.tsx';
import { IconClose, IconRoute } from './icons.tsx';
import { ReachPanel } from './ReachPanel.tsx';
import { CellDetails } from './details/CellDetails.tsx';
import { detailsHeader } from './details/header.tsx';
import { NamespaceDetails } from './details/NamespaceDetails.tsx';
import { PodDetails } from './details/PodDetails.tsx';
import { AnyPolicyDetails } from './details/PolicyDetails.tsx';
import { WorkloadDetails } from './details/WorkloadDetails.tsx';

export function DetailsPanel() {
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const reachActive = useView((s) => s.reach.active);
  const select = useView((s) => s.select);
  const { view } = useStores();
  if (snapshot === undefined) return null;
  if (reachActive) return <ReachPanel snapshot={snapshot} />;
  if (selection === undefined) return null;
  const pod = selection.kind === 'pod' ? findPod(snapshot, selection.key) : undefined;
  if (selection.kind === 'pod' && pod === undefined) return null;
  const h = detailsHeader(selection, snapshot);
  return (
    <aside
      className="details"
      aria-label={`${h.kind} details`}
      data-testid="inspector"
      data-kind={selection.kind}
    >
      <div className="details-header">
        <div className="details-heading">
          <div className="eyebrow">{h.kind}</div>
          <h2 className="details-title">{h.title}</h2>
          {h.sub}
        </div>
        <div className="details-actions">
          {selection.kind === 'policy' && <EditCopyButton policyKey={selection.key} />}
          {pod !== undefined && (
            <button
              type="button"
              className="icon-button"
              aria-label="Check what this pod can reach"
              title="Can it reach…?"
              onClick={() => view.getState().openReach({ kind: 'pod', key: podKey(pod) })}
            >
              <IconRoute />
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Clear selection"
            onClick={() => select(undefined)}
          >
            <IconClose />
          </button>
        </div>
      </div>
      {/* Keyed by the selection: a new one starts at the top, not where the last was scrolled to. */}
      <div className="details-body" key={JSON.stringify(selection)}>
        {selection.kind === 'policy' && <AnyPolicyDetails policyKey={selection.key} snapshot={snapshot} />}
        {pod !== undefined && <PodDetails pod={pod} snapshot={snapshot} />}
        {selection.kind === 'namespace' && <NamespaceDetails name={selection.name} snapshot={snapshot} />}
        {selection.kind === 'workload' && <WorkloadDetails id={selection.id} snapshot={snapshot} />}
        {selection.kind === 'cell' && <CellDetails from={selection.from} to={selection.to} />}
      </div>
    </aside>
  );
}
