/** The isolation report as JSON: the model itself, keys in a fixed order, nothing that varies by run. */
import type { Report } from './model.ts';

export function reportJson(r: Report): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
