/**
 * Isolation badges drawn on pod nodes (and in the legend): two small squares stacked at the pod's right
 * edge, the upper for ingress (arrow in), the lower for egress (arrow out). A filled square means a
 * policy isolates that direction; an outlined one that it is open; amber outlines mark a pod no policy
 * selects at all (unprotected); a question mark, that unreadable policies may isolate it. SVG data URLs
 * (the CSP allows `img-src data:`).
 */
export type BadgeKind = 'both' | 'in' | 'out' | 'open' | 'unknown' | 'in-unknown' | 'out-unknown';

export const BADGE_KINDS: readonly BadgeKind[] = [
  'both',
  'in',
  'out',
  'open',
  'unknown',
  'in-unknown',
  'out-unknown',
];

export interface BadgeColors {
  readonly ingress: string;
  readonly egress: string;
  readonly idle: string;
  readonly open: string;
  readonly unknown: string;
  readonly surface: string;
}

export const BADGE_WIDTH = 14;
export const BADGE_HEIGHT = 30;

type Slot = 'on' | 'idle' | 'open' | 'unknown';

function square(y: number, state: Slot, color: string, colors: BadgeColors, up: boolean): string {
  const x = 1;
  const size = 12;
  const stroke =
    state === 'open'
      ? colors.open
      : state === 'unknown'
        ? colors.unknown
        : state === 'idle'
          ? colors.idle
          : color;
  const fill = state === 'on' ? color : colors.surface;
  const glyph = state === 'on' ? colors.surface : stroke;
  const cx = x + size / 2;
  const top = y + 3;
  const bottom = y + size - 3;
  const arrow =
    state === 'unknown'
      ? `<path d="M${cx - 2} ${y + 4.6}a2 2 0 1 1 2.6 1.9c-.5.2-.6.5-.6 1v.5M${cx} ${y + 9.4}h.01" fill="none" stroke="${glyph}" stroke-width="1.4" stroke-linecap="round"/>`
      : up
        ? `<path d="M${cx} ${bottom}V${top}M${cx - 2.6} ${top + 2.6}L${cx} ${top}l2.6 2.6" fill="none" stroke="${glyph}" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/>`
        : `<path d="M${cx} ${top}V${bottom}M${cx - 2.6} ${bottom - 2.6}L${cx} ${bottom}l2.6-2.6" fill="none" stroke="${glyph}" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/>`;
  const dash = state === 'open' ? ' stroke-dasharray="2 1.5"' : '';
  return `<rect x="${x + 0.5}" y="${y + 0.5}" width="${size - 1}" height="${size - 1}" rx="3.5" fill="${fill}" stroke="${stroke}"${dash}/>${arrow}`;
}

export function badgeSvg(kind: BadgeKind, colors: BadgeColors): string {
  const slots: Record<BadgeKind, [Slot, Slot]> = {
    both: ['on', 'on'],
    in: ['on', 'idle'],
    out: ['idle', 'on'],
    open: ['open', 'open'],
    unknown: ['unknown', 'unknown'],
    'in-unknown': ['on', 'unknown'],
    'out-unknown': ['unknown', 'on'],
  };
  const [inSlot, outSlot] = slots[kind];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${BADGE_WIDTH}" height="${BADGE_HEIGHT}" viewBox="0 0 ${BADGE_WIDTH} ${BADGE_HEIGHT}">` +
    square(1, inSlot, colors.ingress, colors, false) +
    square(17, outSlot, colors.egress, colors, true) +
    '</svg>'
  );
}

export function badgeDataUrl(kind: BadgeKind, colors: BadgeColors): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(badgeSvg(kind, colors))}`;
}
