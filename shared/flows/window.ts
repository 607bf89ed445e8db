/**
 * Time windows over observed flows. A record is in a window when its time span (Hubble: one instant;
 * Calico: the aggregation interval) overlaps it: an aggregate cannot be split, so one that straddles
 * a bound counts whole. Records without a time are in no window once one is chosen.
 */

/** Milliseconds since the epoch, both bounds inclusive; an absent bound is open. */
export interface TimeWindow {
  readonly since?: number;
  readonly until?: number;
}

export function isOpenWindow(w: TimeWindow | undefined): boolean {
  return w === undefined || (w.since === undefined && w.until === undefined);
}

export function inWindow(start: number, end: number, w: TimeWindow): boolean {
  return (w.since === undefined || end >= w.since) && (w.until === undefined || start <= w.until);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * An RFC 3339 date-time (`2026-12-03T10:00:00Z`, `2026-12-03T11:00:00.5+01:00`) in ms since the
 * epoch, or why it is not one. Checked field by field: `Date.parse` alone takes February 31 and
 * hour 24, and times without a zone in local time.
 */
export function parseRfc3339(text: string): { ok: true; ms: number } | { ok: false; error: string } {
  const m = RFC3339.exec(text.trim());
  if (m === null)
    return {
      ok: false,
      error: 'not an RFC 3339 time: expected YYYY-MM-DDThh:mm:ss[.fraction] with Z or ±hh:mm',
    };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return { ok: false, error: `month ${month} is not 01-12` };
  if (day < 1 || day > daysIn(year, month))
    return { ok: false, error: `day ${day} is not in ${m[1]}-${m[2]}` };
  if (hour > 23 || minute > 59 || second > 59)
    return { ok: false, error: `${m[4]}:${m[5]}:${m[6]} is not a time of day` };
  const offsetH = m[9] !== undefined ? Number(m[9]) : 0;
  const offsetM = m[10] !== undefined ? Number(m[10]) : 0;
  if (offsetH > 23 || offsetM > 59)
    return { ok: false, error: `${m[8]}${m[9]}:${m[10]} is not a zone offset` };
  const fraction = m[7] !== undefined ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const sign = m[8] === '-' ? -1 : 1;
  const ms =
    Date.UTC(year, month - 1, day, hour, minute, second, fraction) - sign * (offsetH * 60 + offsetM) * 60_000;
  return { ok: true, ms };
}
