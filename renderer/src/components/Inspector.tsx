/** Details of the selected namespace, pod or policy, floating over the graph. */
import type { ReactNode } from 'react';
import type { Labels, SourceLocation } from '../../../shared/model/snapshot.ts';
import {
  describeSelector,
  findPod,
  findPolicy,
  policyNotes,
  POLICY_NOTE_TEXT,
  summarizeNamespaces,
} from '../model/summary.ts';
import { useSource, useView } from '../store/context.tsx';
import { IconClose } from './icons.tsx';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function LabelChips({ labels }: { labels: Labels }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <span className="chips">
      {entries.map(([k, v]) => (
        <span key={k} className="chip mono">
          {k}={v}
        </span>
      ))}
    </span>
  );
}

function Location({ location }: { location: SourceLocation | undefined }) {
  if (location === undefined) return null;
  const file = location.file.split(/[\\/]/).pop() ?? location.file;
  return (
    <Field label="Defined in">
      <span className="mono" title={location.file}>
        {file}:{location.line}
      </span>
    </Field>
  );
}

export function Inspector() {
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const select = useView((s) => s.select);
  if (snapshot === undefined || selection === undefined) return null;

  let kind = '';
  let title = '';
  let body: ReactNode = null;
  switch (selection.kind) {
    case 'namespace': {
      const ns = snapshot.namespaces.find((n) => n.name === selection.name);
      const summary = summarizeNamespaces(snapshot).find((n) => n.name === selection.name);
      if (ns === undefined || summary === undefined) return null;
      kind = 'Namespace';
      title = ns.name;
      body = (
        <>
          <Field label="Pods">{summary.podCount}</Field>
          <Field label="Policies">{summary.policyCount}</Field>
          <Field label="Isolation">
            {summary.defaultDenyIngress || summary.defaultDenyEgress
              ? [
                  summary.defaultDenyIngress && 'default-deny ingress',
                  summary.defaultDenyEgress && 'default-deny egress',
                ]
                  .filter(Boolean)
                  .join(', ')
              : 'no namespace-wide default deny'}
          </Field>
          <Field label="Labels">
            <LabelChips labels={ns.labels} />
          </Field>
          <Location location={ns.location} />
        </>
      );
      break;
    }
    case 'pod': {
      const pod = findPod(snapshot, selection.key);
      if (pod === undefined) return null;
      kind = 'Pod';
      title = pod.name;
      body = (
        <>
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
        </>
      );
      break;
    }
    case 'policy': {
      const policy = findPolicy(snapshot, selection.key);
      if (policy === undefined) return null;
      kind = 'NetworkPolicy';
      title = policy.name;
      const notes = policyNotes(policy);
      body = (
        <>
          <Field label="Namespace">{policy.namespace}</Field>
          <Field label="Selects">
            <span className="mono">{describeSelector(policy.podSelector, 'every pod in the namespace')}</span>
          </Field>
          <Field label="Types">
            {policy.policyTypes.join(' + ') || 'none'}
            {!policy.policyTypesDeclared && <span className="muted"> (defaulted)</span>}
          </Field>
          <Field label="Rules">
            {policy.ingress.length} ingress · {policy.egress.length} egress
          </Field>
          {notes.length > 0 && (
            <Field label="Notes">
              {notes.map((n) => (
                <div key={n}>{POLICY_NOTE_TEXT[n]}</div>
              ))}
            </Field>
          )}
          <Location location={policy.location} />
        </>
      );
      break;
    }
  }

  return (
    <section className="inspector" aria-label={`${kind} details`} data-testid="inspector">
      <div className="inspector-header">
        <div>
          <div className="eyebrow">{kind}</div>
          <h2 className="inspector-title">{title}</h2>
        </div>
        <button
          type="button"
          className="icon-button"
          aria-label="Clear selection"
          onClick={() => select(undefined)}
        >
          <IconClose />
        </button>
      </div>
      <dl className="fields">{body}</dl>
    </section>
  );
}
