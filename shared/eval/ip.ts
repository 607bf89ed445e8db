/**
 * Addresses and CIDRs on one number line, so IPv4 and IPv6 share a single partition: IPv6 occupies
 * [0, 2^128) and IPv4 sits above it at [2^128, 2^128 + 2^32). A CIDR of one family can then never
 * contain an address of the other. Parsing and printing are shared/net/address.ts's.
 */
import { formatIP, parseCIDR, parseIP, type ParsedIP } from '../net/address.ts';

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

/** An address's place on the number line. */
function toValue(ip: ParsedIP): bigint {
  let value = 0n;
  for (const byte of ip.bytes) value = (value << 8n) | BigInt(byte);
  return ip.family === 4 ? V4_BASE + value : value;
}

/** The address on the shared number line, or undefined when `text` is not an IP literal. */
export function parseAddress(text: string): bigint | undefined {
  const ip = parseIP(text.trim());
  return typeof ip === 'string' ? undefined : toValue(ip);
}

/** Host bits are ignored (as net.ParseCIDR's network does). Undefined when `text` is not a CIDR. */
export function parseCidr(text: string): AddressRange | undefined {
  const cidr = parseCIDR(text.trim());
  if (typeof cidr === 'string') return undefined;
  const start = toValue(cidr.ip);
  const hostBits = BigInt((cidr.ip.family === 4 ? 32 : 128) - cidr.prefix);
  return { start, end: start + (1n << hostBits) - 1n };
}

export function formatAddress(value: bigint): string {
  const v4 = isIPv4Value(value);
  const local = v4 ? value - V4_BASE : value;
  const count = v4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = count - 1; i >= 0; i--) bytes.push(Number((local >> BigInt(8 * i)) & 255n));
  return formatIP({ family: v4 ? 4 : 6, bytes });
}

/** The two families' whole ranges, used as the outer boundaries of every partition. */
export const IPV6_SPACE: AddressRange = { start: 0n, end: V4_BASE - 1n };
export const IPV4_SPACE: AddressRange = { start: V4_BASE, end: V4_END - 1n };
