/**
 * A selected pod: where it runs, the policies that apply to it per direction, the policies that name
 * it as a peer, and its allowed connections (each peer once, grouped by the ports it may use).
 */
import { useMemo } from 'react';
import type { PortProbe } from '../../../../shared/eval/index.ts';
import { podKey, type Pod, type Snapshot } from '../../../../shared/model/snapshot.ts';
import type { PodView } from '../../analysis/protocol.ts';
import { policiesNamingPod } from '../../model/describe.ts';
import { useAnalysis } from '../../store/context.tsx';
import { PolicyLink, QueryState } from '../detail-parts.tsx';
import { Field, LabelChips, Location, Section } from '../parts.tsx';
import { Connections } from './Connections.tsx';
import { IsolationSection } from './isolation.tsx';
import { PodFlowsSection } from '../../flows/FlowsDetails.tsx';

/** Allowed inbound and outbound, from the worker's view of one pod (a workload shows its first pod's). */
export function PodConnections({
  view,
  mentioned,
  totalPods,
}: {
  view: PodView;
  mentioned: readonly PortProbe[];
  totalPods: number;
}) {
  return (
    <>
      <Connections
        title="Allowed inbound"
        list={view.inbound}
        view={view}
        mentioned={mentioned}
        totalPods={totalPods}
        direction="in"
      />
      <Connections
        title="Allowed outbound"
        list={view.outbound}
        view={view}
        mentioned={mentioned}
        totalPods={totalPods}
        direction="out"
      />
    </>
  );
}

export function PodDetails({ pod, snapshot }: { pod: Pod; snapshot: Snapshot }) {
  const key = podKey(pod);
  const query = useAnalysis((s) => s.pod);
  const load = useAnalysis((s) => s.load);
  const naming = useMemo(() => policiesNamingPod(snapshot, pod), [snapshot, pod]);
  const view = query?.subject === key ? query.value : undefined;
  return (
    <>
      <Section title="Pod">
        <dl className="fields">
          <Field label="Namespace">{pod.namespace}</Field>
          <Field label="Phase">{pod.phase ?? 'unknown'}</Field>
          <Field label="IP">
            <span className="mono">
              {pod.hostNetwork ? 'host network (not subject to policies)' : pod.ips.join(', ') || 'none yet'}
            </span>
          </Field>
          {pod.owner !== undefined && (
            <Field label="Owner">
              {pod.owner.kind} {pod.owner.name}
            </Field>
          )}
          <Field label="Ports">
            {pod.ports.length === 0 ? (
              <span className="muted">none declared</span>
            ) : (
              <span className="chips">
                {pod.ports.map((p, i) => (
                  <span key={i} className="chip mono">
                    {p.name !== undefined ? `${p.name} ` : ''}
                    {p.containerPort}/{p.protocol}
                  </span>
                ))}
              </span>
            )}
          </Field>
          <Field label="Labels">
            <LabelChips labels={pod.labels} />
          </Field>
          <Location location={pod.location} />
        </dl>
      </Section>
      <IsolationSection hostNetwork={pod.hostNetwork} view={view} snapshot={snapshot} />
      <Section title="Policies that name it as a peer" aside={String(naming.length)} testId="pod-named-by">
        {naming.length === 0 ? (
          <p className="fine-print">No rule names this pod (rules open to everyone are not listed).</p>
        ) : (
          <ul className="plain-list">
            {naming.map((r) => (
              <li key={`${r.policy}:${r.direction}:${r.rule}`}>
                <PolicyLink policy={r.policy} />
                <span className={`tag tag-${r.direction}`}>
                  {r.direction}[{r.rule}]
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <QueryState query={query?.subject === key ? query : undefined}>
        {(v) => (
          <PodConnections view={v} mentioned={load?.mentionedPorts ?? []} totalPods={snapshot.pods.length} />
        )}
      </QueryState>
      <PodFlowsSection pod={key} snapshot={snapshot} />
    </>
  );
}
