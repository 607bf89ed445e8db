/**
 * Namespace × namespace reachability from the evaluator's `summary()`: every connection from pods of
 * the row to pods of the column flows (all), some do, none do, or it depends on what could not be read
 * (unknown). A click on a cell selects it: the panel lists its pod pairs and the graph highlights them;
 * below the matrix a "none" cell names the policies that deny. Namespaces are in natural order
 * (app-2 before app-10); more than a page of them is paged by rows and by columns, never cut.
 */
import { useState } from 'react';
import type { Coverage, NamespaceCell } from '../../../shared/eval/index.ts';
import type { Denial } from '../../../shared/eval/denial.ts';
import { compareNamespaces, namespaceColors } from '../model/summary.ts';
import { useAnalysis, useSource, useView } from '../store/context.tsx';
import { NsDot, Spinner } from './parts.tsx';
import { ExportMatrixButton } from '../export/ExportButtons.tsx';

/** Rows and columns on one page: 40 × 40 buttons stay quick to draw and readable. */
export const MATRIX_PAGE = 40;

/** A "some" cell's share: never "0 %" or "100 %", which would read as none or all. */
export function someShare(allowed: number, total: number): string {
  const p = (100 * allowed) / total;
  if (p < 1) return '<1%';
  if (p > 99) return '>99%';
  return `${Math.round(p)}%`;
}

function denialText(d: Denial): string {
  const parts: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const names = d.isolating.filter((i) => i.direction === direction).map((i) => i.policy);
    if (names.length > 0)
      parts.push(`${direction} isolation by ${names.join(', ')} with no rule that matches (default deny)`);
  }
  if (d.adminDeny.length > 0) parts.push(`an admin-tier Deny of ${d.adminDeny.join(', ')}`);
  return parts.length > 0 ? `Denied by ${parts.join('; ')}.` : 'Denied.';
}

function Pager({
  label,
  start,
  count,
  onMove,
  testId,
}: {
  label: string;
  start: number;
  count: number;
  onMove: (start: number) => void;
  testId: string;
}) {
  const end = Math.min(start + MATRIX_PAGE, count);
  return (
    <div className="matrix-pager" data-testid={testId}>
      <span className="fine-print">
        {label} {start + 1}–{end} of {count}
      </span>
      <button
        type="button"
        className="button"
        disabled={start === 0}
        aria-label={`Previous ${label.toLowerCase()}`}
        onClick={() => onMove(Math.max(0, start - MATRIX_PAGE))}
      >
        Previous
      </button>
      <button
        type="button"
        className="button"
        disabled={end >= count}
        aria-label={`Next ${label.toLowerCase()}`}
        onClick={() => onMove(start + MATRIX_PAGE)}
      >
        Next
      </button>
    </div>
  );
}

const COVERAGE_TEXT: Record<Coverage, string> = {
  all: 'all connections flow',
  some: 'some connections flow',
  none: 'no connection flows',
  empty: 'no connection to check',
  unknown: 'not decided: depends on what could not be read, or on conditional (L7, DNS) rules',
};

export function MatrixView() {
  const summary = useAnalysis((s) => s.summary);
  const snapshot = useSource((s) => s.snapshot);
  const hidden = useView((s) => s.hidden);
  const selection = useView((s) => s.selection);
  const select = useView((s) => s.select);
  const setStage = useView((s) => s.setStage);
  const cell = useAnalysis((s) => s.cell);
  const [rowStart, setRowStart] = useState(0);
  const [colStart, setColStart] = useState(0);
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
  const all = s.namespaces.filter((n) => !hidden.includes(n)).sort(compareNamespaces);
  const paged = all.length > MATRIX_PAGE;
  // A page start past the end (namespaces hidden since) falls back to the last page.
  const lastStart = Math.max(0, Math.floor((all.length - 1) / MATRIX_PAGE) * MATRIX_PAGE);
  const rows = all.slice(Math.min(rowStart, lastStart), Math.min(rowStart, lastStart) + MATRIX_PAGE);
  const cols = all.slice(Math.min(colStart, lastStart), Math.min(colStart, lastStart) + MATRIX_PAGE);
  const probes = s.universe.ports.length;
  const selectedCell =
    selection?.kind === 'cell'
      ? s.matrix.find((c) => c.from === selection.from && c.to === selection.to)
      : undefined;
  const cells = new Map<string, NamespaceCell>();
  for (const c of s.matrix) cells.set(`${c.from}\u0000${c.to}`, c);
  return (
    <div className="matrix-stage" data-testid="matrix">
      <div className="matrix-card">
        <div className="matrix-head">
          <div>
            <h2 className="matrix-title">Namespace reachability</h2>
            <p className="fine-print" data-testid="matrix-probes">
              Rows: from · columns: to · over{' '}
              <abbr
                title={`Every port the policies name is probed, plus one port for each range of ports they all treat alike (for example "any other port"): ${probes} probes stand for all 65535 ports of each protocol.`}
              >
                {probes} probed ports
              </abbr>
              {s.partial && ' · partial: some objects could not be read'}
            </p>
            <p className="fine-print">
              One probe per port the policies name and one per range of ports they treat alike, so percentages
              count pod pairs × probes.
            </p>
            {/* Under the text, not beside it: beside it, it squeezed the text into a narrow column. */}
            <div className="matrix-legend" aria-label="Matrix legend">
              {(['all', 'some', 'none', 'unknown'] as const).map((c) => (
                <span key={c} className="legend-item">
                  <span className={`matrix-swatch cov-${c}`} aria-hidden="true" />
                  {c}
                </span>
              ))}
            </div>
          </div>
          <ExportMatrixButton input={{ namespaces: all, cells: s.matrix, probedPorts: probes }} />
        </div>
        {paged && (
          <div className="matrix-pagers">
            <Pager
              label="Rows"
              start={Math.min(rowStart, lastStart)}
              count={all.length}
              onMove={setRowStart}
              testId="matrix-rows-pager"
            />
            <Pager
              label="Columns"
              start={Math.min(colStart, lastStart)}
              count={all.length}
              onMove={setColStart}
              testId="matrix-cols-pager"
            />
          </div>
        )}
        <div className="matrix-scroll">
          <table className="matrix" role="grid" aria-label="Namespace reachability matrix">
            <thead>
              <tr>
                <th className="matrix-corner" scope="col">
                  <span className="sr-only">from \ to</span>
                </th>
                {cols.map((n) => (
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
              {rows.map((from) => (
                <tr key={from}>
                  <th scope="row" className="matrix-row">
                    <NsDot color={colors.get(from) ?? 0} />
                    {from}
                  </th>
                  {cols.map((to) => {
                    const c = cells.get(`${from}\u0000${to}`);
                    const coverage = c?.coverage ?? 'empty';
                    const selected =
                      selection?.kind === 'cell' && selection.from === from && selection.to === to;
                    const share =
                      coverage === 'some' && c !== undefined && c.total > 0
                        ? someShare(c.allowed, c.total)
                        : '';
                    // The visible share starts the name, so speech and sight agree (WCAG 2.5.3).
                    const label = `${share === '' ? '' : `${share}: `}${from} to ${to}: ${COVERAGE_TEXT[coverage]}${c !== undefined && c.total > 0 ? ` (${c.allowed} of ${c.total} connections over ${probes} probed ports)` : ''}`;
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
                          {share}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {selection?.kind === 'cell' && selectedCell !== undefined && (
          <div className="matrix-cell-detail" data-testid="matrix-cell-detail">
            <strong>
              {selectedCell.from} → {selectedCell.to}:
            </strong>{' '}
            {COVERAGE_TEXT[selectedCell.coverage]}
            {selectedCell.total > 0 &&
              ` (${selectedCell.allowed} of ${selectedCell.total} connections)`}.{' '}
            {selectedCell.coverage === 'none' &&
              (cell?.value?.denial !== undefined &&
              cell.value.from === selectedCell.from &&
              cell.value.to === selectedCell.to ? (
                <span data-testid="matrix-denial">{denialText(cell.value.denial)}</span>
              ) : (
                <Spinner label="Finding the denying policies…" />
              ))}
          </div>
        )}
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
