/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field quoted when
 * it holds a comma, a double quote, CR or LF (a double quote inside is doubled). Fields that start
 * with a character a spreadsheet would run as a formula are not altered: that would change the data,
 * and what netglass exports (namespace names, counts) cannot start with one.
 */
export type CsvValue = string | number;

export function csvField(value: CsvValue): string {
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Records to CSV text, each ended by CRLF (the last one too). */
export function toCsv(records: readonly (readonly CsvValue[])[]): string {
  return records.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
