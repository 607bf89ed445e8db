/** Small building blocks shared by the panels. */
import type { ReactNode } from 'react';
import type { Labels, SourceLocation } from '../../../shared/model/snapshot.ts';

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function LabelChips({ labels }: { labels: Labels }) {
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

export function locationText(location: SourceLocation | undefined): string | undefined {
  if (location === undefined) return undefined;
  const file = location.file.split(/[\\/]/).pop() ?? location.file;
  return `${file}:${location.line}`;
}

export function Location({ location }: { location: SourceLocation | undefined }) {
  const text = locationText(location);
  if (text === undefined) return null;
  return (
    <Field label="Defined in">
      <span className="mono" title={location?.file}>
        {text}
      </span>
    </Field>
  );
}

export function Section({
  title,
  aside,
  children,
  testId,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="detail-section" data-testid={testId}>
      <h3 className="section-title">
        <span>{title}</span>
        {aside !== undefined && <span className="section-aside">{aside}</span>}
      </h3>
      {children}
    </section>
  );
}

export function NsDot({ color }: { color: number }) {
  return <span className={`ns-dot ns-bg-${color}`} aria-hidden="true" />;
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="inline-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? 'Analysing…'}
    </span>
  );
}

export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
