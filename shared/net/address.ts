/**
 * The one IPv4/IPv6 address and CIDR parser: strict like the API server's StrictIPCIDRValidation (no
 * leading zeros in IPv4 octets, no zone suffixes), with a message saying what is wrong. The manifest
 * loader validates ipBlocks and pod IPs with it; the evaluator puts what it parses on its number line
 * (eval/ip.ts); both print addresses with `formatIP` (RFC 5952 for IPv6).
 */

export interface ParsedIP {
  readonly family: 4 | 6;
  /** 4 or 16 bytes. */
  readonly bytes: readonly number[];
}

export interface ParsedCIDR {
  readonly ip: ParsedIP;
  readonly prefix: number;
  /** Canonical text: host bits cleared, IPv6 compressed (RFC 5952). */
  readonly canonical: string;
  /** True when the input had host bits set (e.g. 10.0.0.1/24). */
  readonly hostBitsSet: boolean;
}

function parseIPv4(text: string): number[] | string {
  const parts = text.split('.');
  if (parts.length !== 4) return 'must have 4 dot-separated octets';
  const out: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return `octet '${part}' is not a number from 0 to 255`;
    if (part.length > 1 && part.startsWith('0'))
      return `octet '${part}' has a leading zero (ambiguous, not allowed)`;
    const n = Number(part);
    if (n > 255) return `octet '${part}' is greater than 255`;
    out.push(n);
  }
  return out;
}

function parseIPv6(text: string): number[] | string {
  if (text.includes('%')) return 'zone suffixes are not allowed';
  let head = text;
  let v4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const r = parseIPv4(text.slice(lastColon + 1));
    if (typeof r === 'string') return r;
    v4 = r;
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = v4.length > 0 ? 6 : 8;
  const dbl = head.split('::');
  if (dbl.length > 2) return "'::' may appear only once";
  const parseGroups = (s: string): number[] | string => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return `group '${g}' is not 1 to 4 hexadecimal digits`;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl.length === 2) {
    const a = parseGroups(dbl[0] ?? '');
    const b = parseGroups(dbl[1] ?? '');
    if (typeof a === 'string') return a;
    if (typeof b === 'string') return b;
    const fill = groupsWanted - a.length - b.length;
    if (fill < 1) return 'has too many groups';
    groups = [...a, ...new Array<number>(fill).fill(0), ...b];
  } else {
    const a = parseGroups(head);
    if (typeof a === 'string') return a;
    if (a.length !== groupsWanted) return `must have ${groupsWanted} groups`;
    groups = a;
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 255);
  return [...bytes, ...v4];
}

/** Parses an IP address; returns a message on failure. */
export function parseIP(text: string): ParsedIP | string {
  if (text.includes(':')) {
    const r = parseIPv6(text);
    return typeof r === 'string' ? `'${text}' is not a valid IPv6 address: ${r}` : { family: 6, bytes: r };
  }
  const r = parseIPv4(text);
  return typeof r === 'string' ? `'${text}' is not a valid IPv4 address: ${r}` : { family: 4, bytes: r };
}

export function formatIP(ip: ParsedIP): string {
  const b = ip.bytes;
  if (ip.family === 4) return b.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function masked(ip: ParsedIP, prefix: number): ParsedIP {
  const bytes = ip.bytes.map((byte, i) => {
    const bitsLeft = prefix - i * 8;
    if (bitsLeft >= 8) return byte;
    if (bitsLeft <= 0) return 0;
    return byte & (0xff << (8 - bitsLeft)) & 0xff;
  });
  return { family: ip.family, bytes };
}

/** Parses `addr/prefix`; returns a message on failure. */
export function parseCIDR(text: string): ParsedCIDR | string {
  const slash = text.indexOf('/');
  if (slash < 0) return `'${text}' is not a CIDR: expected an address and a prefix length, like 10.0.0.0/16`;
  const ip = parseIP(text.slice(0, slash));
  if (typeof ip === 'string') return ip;
  const prefixText = text.slice(slash + 1);
  const max = ip.family === 4 ? 32 : 128;
  if (
    !/^[0-9]{1,3}$/.test(prefixText) ||
    (prefixText.length > 1 && prefixText.startsWith('0')) ||
    Number(prefixText) > max
  ) {
    return `'${text}' has an invalid prefix length '${prefixText}' (expected 0 to ${max})`;
  }
  const prefix = Number(prefixText);
  const net = masked(ip, prefix);
  const hostBitsSet = net.bytes.some((b, i) => b !== ip.bytes[i]);
  return { ip: net, prefix, canonical: `${formatIP(net)}/${prefix}`, hostBitsSet };
}

/** Whether `inner` lies inside `outer` and is strictly smaller (the API server's rule for `except`). */
export function isStrictSubset(inner: ParsedCIDR, outer: ParsedCIDR): boolean {
  if (inner.ip.family !== outer.ip.family) return false;
  if (inner.prefix <= outer.prefix) return false;
  const m = masked(inner.ip, outer.prefix);
  return m.bytes.every((b, i) => b === outer.ip.bytes[i]);
}

/**
 * The text with leading zeros dropped from its IPv4 octets (`010.0.0.1/32` → `10.0.0.1/32`), when that
 * is all that keeps an address or CIDR from parsing; undefined otherwise. The API server's legacy parser
 * reads such octets as decimal, which is what this spells out.
 */
export function withoutLeadingZeros(text: string): string | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const colon = address.lastIndexOf(':');
  const v4 = address.slice(colon + 1);
  const octets = v4.split('.');
  if (octets.length !== 4 || !octets.some((o) => /^0[0-9]+$/.test(o))) return undefined;
  const fixed = `${address.slice(0, colon + 1)}${octets.map((o) => o.replace(/^0+(?=[0-9])/, '')).join('.')}`;
  const result = slash < 0 ? fixed : `${fixed}${text.slice(slash)}`;
  return typeof (slash < 0 ? parseIP(result) : parseCIDR(result)) === 'string' ? undefined : result;
}
