/**
 * Addresses and CIDRs on one number line, so IPv4 and IPv6 share a single partition: IPv6 occupies
 * [0, 2^128) and IPv4 sits above it at [2^128, 2^128 + 2^32). A CIDR of one family can then never
 * contain an address of the other.
 */
const V4_BASE = 1n << 128n;
const V4_END = V4_BASE + (1n << 32n);

export interface AddressRange {
  readonly start: bigint;
  /** Inclusive. */
  readonly end: bigint;
}

export function isIPv4Value(value: bigint): boolean {
  return value >= V4_BASE;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  let body = text;
  let tailV4: bigint | undefined;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    tailV4 = parseV4(body.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] ?? '').split(':')) : [];
  const groups = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (halves.length === 2 ? groups < 1 : head.length !== 8) return undefined;
  const all = [...head, ...Array<string>(groups).fill('0'), ...tail];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** The address on the shared number line, or undefined when `text` is not an IP literal. */
export function parseAddress(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) return parseV6(trimmed);
  const v4 = parseV4(trimmed);
  return v4 === undefined ? undefined : V4_BASE + v4;
}

/** Host bits are ignored (as net.ParseCIDR's network does). Undefined when `text` is not a CIDR. */
export function parseCidr(text: string): AddressRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (addr === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = isIPv4Value(addr) ? 32 : 128;
  if (prefix > bits) return undefined;
  const base = isIPv4Value(addr) ? V4_BASE : 0n;
  const hostBits = BigInt(bits - prefix);
  const local = addr - base;
  const start = base + ((local >> hostBits) << hostBits);
  return { start, end: start + (1n << hostBits) - 1n };
}

export function formatAddress(value: bigint): string {
  if (isIPv4Value(value)) {
    const v = value - V4_BASE;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 asks.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

/** The two families' whole ranges, used as the outer boundaries of every partition. */
export const IPV6_SPACE: AddressRange = { start: 0n, end: V4_BASE - 1n };
export const IPV4_SPACE: AddressRange = { start: V4_BASE, end: V4_END - 1n };
