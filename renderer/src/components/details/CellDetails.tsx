/** A selected matrix cell (a namespace pair): how many connections are allowed, and which pod pairs. */
import type { PortProbe } from '../../../../shared/eval/index.ts';
import { formatProbe } from '../../model/describe.ts';
import { useAnalysis } from '../../store/context.tsx';
import { QueryState } from '../detail-parts.tsx';
import { plural, Section } from '../parts.tsx';

export function CellDetails({ from, to }: { from: string; to: string }) {
  const query = useAnalysis((s) => s.cell);
  const summary = useAnalysis((s) => s.summary);
  const load = useAnalysis((s) => s.load);
  const cell = summary?.value?.matrix.find((c) => c.from === from && c.to === to);
  return (
    <Section title="Connections" testId="cell-details">
      {cell !== undefined && (
        <p className="fine-print">
          {cell.coverage === 'empty'
            ? 'No connection between these namespaces.'
            : `${plural(cell.allowed, 'connection')} of ${cell.total.toLocaleString('en-US')} allowed (${cell.coverage})`}
        </p>
      )}
      <QueryState query={query}>
        {(c) =>
          c.pairs.length === 0 ? (
            <p className="fine-print">
              No pod of {from} can reach a pod of {to}.
            </p>
          ) : (
            <ul className="pair-list" data-testid="cell-pairs">
              {c.pairs.slice(0, 200).map((p) => (
                <li key={`${p.from}>${p.to}`} className="pair">
                  <span className="mono pair-ends">
                    {p.from.split('/')[1]} → {p.to.split('/')[1]}
                  </span>
                  <span className="muted mono">
                    {p.allowed.length === c.ports.length
                      ? 'all ports'
                      : p.allowed
                          .map((i) => formatProbe(c.ports[i] as PortProbe, load?.mentionedPorts ?? []))
                          .join(', ')}
                  </span>
                </li>
              ))}
              {c.pairs.length > 200 && <li className="muted">+{c.pairs.length - 200} more pairs</li>}
            </ul>
          )
        }
      </QueryState>
    </Section>
  );
}
