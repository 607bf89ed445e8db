/**
 * The namespace matrix as CSV: one record per cell of the matrix as shown (its namespaces, hidden ones
 * left out, in the order on screen; every page, not only the one in view), rows before columns, with
 * the cell's state and its counts. A cell with no connection to check is listed as `empty`.
 */
import type { Coverage, NamespaceCell } from '../../../shared/eval/index.ts';
import { toCsv, type CsvValue } from './csv.ts';

export const MATRIX_CSV_HEADER = [
  'from',
  'to',
  'state',
  'allowed',
  'denied',
  'unknown',
  'total',
  'allowed_percent',
  'probed_ports',
] as const;

export interface MatrixExport {
  /** The namespaces shown, in display order (rows and columns alike). */
  readonly namespaces: readonly string[];
  readonly cells: readonly NamespaceCell[];
  /** Ports probed per pod pair: the counts are pod pairs × probes. */
  readonly probedPorts: number;
}

/** Percent with one decimal, '' when there is nothing to count. */
function percent(allowed: number, total: number): string {
  return total === 0 ? '' : ((100 * allowed) / total).toFixed(1);
}

export function matrixCsv(input: MatrixExport): string {
  const byPair = new Map<string, NamespaceCell>();
  for (const c of input.cells) byPair.set(`${c.from}\u0000${c.to}`, c);
  const records: CsvValue[][] = [[...MATRIX_CSV_HEADER]];
  for (const from of input.namespaces) {
    for (const to of input.namespaces) {
      const c = byPair.get(`${from}\u0000${to}`);
      const state: Coverage = c?.coverage ?? 'empty';
      const allowed = c?.allowed ?? 0;
      const unknown = c?.unknown ?? 0;
      const total = c?.total ?? 0;
      records.push([
        from,
        to,
        state,
        allowed,
        total - allowed - unknown,
        unknown,
        total,
        percent(allowed, total),
        input.probedPorts,
      ]);
    }
  }
  return toCsv(records);
}

/** `namespace-matrix.csv`, or with the source's name when it makes a usable file name. */
export function matrixFileName(sourceName: string | undefined): string {
  const slug = (sourceName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug === '' ? 'namespace-matrix.csv' : `namespace-matrix-${slug}.csv`;
}
