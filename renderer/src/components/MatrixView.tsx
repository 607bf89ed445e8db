/**
 * Namespace × namespace reachability from the evaluator's `summary()`: every connection from pods of
 * the row to pods of the column flows (all), some do, none do, or it depends on what could not be read
 * (unknown). A click on a cell selects it: the panel lists its pod pairs and the graph highlights them.
 */
import type { Coverage, NamespaceCell } from '../../../shared/eval/index.ts';
import { namespaceColors } from '../model/summary.ts';
import { useAnalysis, useSource, useView } from '../store/context.tsx';
import { NsDot, Spinner } from './parts.tsx';

const MAX_NAMESPACES = 60;

const COVERAGE_TEXT: Record<Coverage, string> = {
  all: 'all connections flow',
  some: 'some connections flow',
  none: 'no connection flows',
  empty: 'no connection to check',
  unknown: 'depends on what could not be read',
};

export function MatrixView() {
  const summary = useAnalysis((s) => s.summary);
  const snapshot = useSource((s) => s.snapshot);
  const hidden = useView((s) => s.hidden);
  const selection = useView((s) => s.selection);
  const select = useView((s) => s.select);
  const setStage = useView((s) => s.setStage);
  if (summary === undefined || summary.value === undefined) {
    return (
      <div className="matrix-stage">
        {summary?.status === 'failed' ? (
          <div className="callout callout-danger">{summary.error}</div>
        ) : (
          <Spinner label="Computing the namespace matrix…" />
        )}
      </div>
    );
  }
  const s = summary.value;
  const colors = snapshot !== undefined ? namespaceColors(snapshot) : new Map<string, number>();
  const all = s.namespaces.filter((n) => !hidden.includes(n));
  const names = all.slice(0, MAX_NAMESPACES);
  const cells = new Map<string, NamespaceCell>();
  for (const c of s.matrix) cells.set(`${c.from}\u0000${c.to}`, c);
  return (
    <div className="matrix-stage" data-testid="matrix">
      <div className="matrix-card">
        <div className="matrix-head">
          <div>
            <h2 className="matrix-title">Namespace reachability</h2>
            <p className="fine-print">
              Rows: from · columns: to · over {s.universe.ports.length} probed ports
              {s.partial && ' · partial: some objects could not be read'}
            </p>
          </div>
          <div className="matrix-legend" aria-label="Matrix legend">
            {(['all', 'some', 'none', 'unknown'] as const).map((c) => (
              <span key={c} className="legend-item">
                <span className={`matrix-swatch cov-${c}`} aria-hidden="true" />
                {c}
              </span>
            ))}
          </div>
        </div>
        {all.length > names.length && (
          <p className="fine-print">
            Showing {names.length} of {all.length} namespaces; hide some to see the rest.
          </p>
        )}
        <div className="matrix-scroll">
          <table className="matrix" role="grid" aria-label="Namespace reachability matrix">
            <thead>
              <tr>
                <th className="matrix-corner" scope="col">
                  <span className="sr-only">from \ to</span>
                </th>
                {names.map((n) => (
                  <th key={n} scope="col" className="matrix-col">
                    <span className="matrix-col-label">
                      <NsDot color={colors.get(n) ?? 0} />
                      {n}
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {names.map((from) => (
                <tr key={from}>
                  <th scope="row" className="matrix-row">
                    <NsDot color={colors.get(from) ?? 0} />
                    {from}
                  </th>
                  {names.map((to) => {
                    const c = cells.get(`${from}\u0000${to}`);
                    const coverage = c?.coverage ?? 'empty';
                    const selected =
                      selection?.kind === 'cell' && selection.from === from && selection.to === to;
                    const label = `${from} to ${to}: ${COVERAGE_TEXT[coverage]}${c !== undefined && c.total > 0 ? ` (${c.allowed} of ${c.total})` : ''}`;
                    return (
                      <td key={to}>
                        <button
                          type="button"
                          className={`matrix-cell cov-${coverage} ${selected ? 'selected' : ''}`}
                          aria-label={label}
                          title={label}
                          aria-pressed={selected}
                          data-testid="matrix-cell"
                          data-from={from}
                          data-to={to}
                          data-coverage={coverage}
                          disabled={coverage === 'empty'}
                          onClick={() => select({ kind: 'cell', from, to })}
                          onDoubleClick={() => {
                            select({ kind: 'cell', from, to });
                            setStage('graph');
                          }}
                        >
                          {coverage === 'some' && c !== undefined && c.total > 0
                            ? `${Math.round((100 * c.allowed) / c.total)}%`
                            : ''}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {selection?.kind === 'cell' && (
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              data-testid="cell-show-graph"
              onClick={() => setStage('graph')}
            >
              Show these pairs on the graph
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
