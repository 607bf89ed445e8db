/** Plain-text layout helpers: aligned columns, percentages. */

/** Left-aligns every column except those listed in `right`; two spaces between columns. */
export function columns(
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
  indent = '',
): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) =>
            right.includes(i)
              ? cell.padStart(widths[i] ?? 0)
              : i === row.length - 1
                ? cell
                : cell.padEnd(widths[i] ?? 0),
          )
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

export function percent(part: number, total: number): string {
  if (total === 0) return '-';
  const p = (100 * part) / total;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
