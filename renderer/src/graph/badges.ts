/**
 * Isolation badges drawn on pod nodes (and in the legend): two small squares stacked at the pod's right
 * edge, the upper for ingress (arrow in), the lower for egress (arrow out). A filled square means a
 * policy isolates that direction; an outlined one that it is open; amber outlines mark a pod no policy
 * selects at all (unprotected); a question mark, that unreadable policies may isolate it. A pod an
 * admin-tier policy applies to also gets a shield left of the squares: filled for the Admin tier,
 * outlined when only Baseline-tier policies apply (one image per node: images are what big graphs pay
 * for on every redraw). SVG data URLs (the CSP allows `img-src data:`).
 */
export type BadgeKind = 'both' | 'in' | 'out' | 'open' | 'idle' | 'unknown' | 'in-unknown' | 'out-unknown';

export const BADGE_KINDS: readonly BadgeKind[] = [
  'both',
  'in',
  'out',
  'open',
  'idle',
  'unknown',
  'in-unknown',
  'out-unknown',
];

/** The tier mark: which admin tier applies to the pod (Admin wins when both do). */
export type TierMark = 'admin' | 'baseline';
export const TIER_MARKS: readonly TierMark[] = ['admin', 'baseline'];

export interface BadgeColors {
  readonly ingress: string;
  readonly egress: string;
  readonly idle: string;
  readonly open: string;
  readonly unknown: string;
  readonly surface: string;
  /** The shield of pods an Admin-tier (filled) or Baseline-tier (outlined) policy applies to. */
  readonly tierAdmin: string;
  readonly tierBaseline: string;
}

export const BADGE_WIDTH = 14;
export const BADGE_HEIGHT = 30;
/** A badge with a tier mark: the shield, a gap, the squares. */
export const TIER_BADGE_WIDTH = 28;

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

/** A shield 12 wide at x, vertically centred: filled (Admin tier) or outlined (Baseline tier). */
function shield(x: number, mark: TierMark, colors: BadgeColors): string {
  const y = 8.5;
  const color = mark === 'admin' ? colors.tierAdmin : colors.tierBaseline;
  const d = `M${x + 6} ${y}l5.2 1.9v4c0 3.3-2.3 5.6-5.2 6.6c-2.9-1-5.2-3.3-5.2-6.6v-4z`;
  const fill = mark === 'admin' ? color : colors.surface;
  const tick =
    mark === 'admin'
      ? `<path d="M${x + 3.6} ${y + 6.6}l1.7 1.7l3.2-3.4" fill="none" stroke="${colors.surface}" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/>`
      : '';
  return `<path d="${d}" fill="${fill}" stroke="${color}" stroke-width="1.3" stroke-linejoin="round"/>${tick}`;
}

export function badgeSvg(kind: BadgeKind, colors: BadgeColors, mark?: TierMark): string {
  const slots: Record<BadgeKind, [Slot, Slot]> = {
    both: ['on', 'on'],
    in: ['on', 'idle'],
    out: ['idle', 'on'],
    open: ['open', 'open'],
    idle: ['idle', 'idle'],
    unknown: ['unknown', 'unknown'],
    'in-unknown': ['on', 'unknown'],
    'out-unknown': ['unknown', 'on'],
  };
  const [inSlot, outSlot] = slots[kind];
  const width = mark === undefined ? BADGE_WIDTH : TIER_BADGE_WIDTH;
  const squares = `<g transform="translate(${width - BADGE_WIDTH} 0)">${square(1, inSlot, colors.ingress, colors, false)}${square(17, outSlot, colors.egress, colors, true)}</g>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${BADGE_HEIGHT}" viewBox="0 0 ${width} ${BADGE_HEIGHT}">` +
    (mark === undefined ? '' : shield(0.8, mark, colors)) +
    squares +
    '</svg>'
  );
}

export function badgeDataUrl(kind: BadgeKind, colors: BadgeColors, mark?: TierMark): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(badgeSvg(kind, colors, mark))}`;
}
