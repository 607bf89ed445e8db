/**
 * A selected workload (replicas with the same labels, drawn as one node): its pods, the policies that
 * apply to them per direction and whether they are isolated, and their allowed connections. Policies
 * treat the replicas alike, so the worker's answer for one of them (the store's `workload` query)
 * stands for all.
 */
import { useMemo } from 'react';
import { podKey, type Snapshot } from '../../../../shared/model/snapshot.ts';
import { workloadPods } from '../../store/analysis-store.ts';
import { useAnalysis, useView } from '../../store/context.tsx';
import { PodLink, QueryState } from '../detail-parts.tsx';
import { Field, LabelChips, plural, Section } from '../parts.tsx';
import { IsolationSection } from './isolation.tsx';
import { PodConnections } from './PodDetails.tsx';

export function WorkloadDetails({ id, snapshot }: { id: string; snapshot: Snapshot }) {
  const toggleExpanded = useView((s) => s.toggleExpanded);
  const select = useView((s) => s.select);
  const query = useAnalysis((s) => s.workload);
  const load = useAnalysis((s) => s.load);
  const pods = useMemo(() => workloadPods(snapshot, id), [snapshot, id]);
  const hash = id.indexOf('#');
  const [, kind] = id.slice(0, hash).split('/');
  const first = pods[0];
  const subject = first === undefined ? undefined : podKey(first);
  const current = query !== undefined && query.subject === subject ? query : undefined;
  return (
    <>
      <Section title={`${kind ?? 'Workload'} · ${plural(pods.length, 'pod')}`} testId="workload-pods">
        <p className="fine-print">
          Replicas with the same labels, shown as one node. Policies treat them alike.
        </p>
        <dl className="fields">
          <Field label="Pods">
            <span className="chips">
              {pods.map((p) => (
                <PodLink key={podKey(p)} podKey={podKey(p)} snapshot={snapshot} />
              ))}
            </span>
          </Field>
          {first !== undefined && (
            <Field label="Labels">
              <LabelChips labels={first.labels} />
            </Field>
          )}
        </dl>
        <div className="button-row">
          <button
            type="button"
            className="button"
            onClick={() => {
              toggleExpanded(id);
              select(undefined);
            }}
          >
            Show each pod
          </button>
        </div>
      </Section>
      {first !== undefined && (
        <div data-testid="workload-isolation">
          <IsolationSection hostNetwork={first.hostNetwork} view={current?.value} snapshot={snapshot} />
        </div>
      )}
      <QueryState query={current}>
        {(v) => (
          <PodConnections view={v} mentioned={load?.mentionedPorts ?? []} totalPods={snapshot.pods.length} />
        )}
      </QueryState>
    </>
  );
}
