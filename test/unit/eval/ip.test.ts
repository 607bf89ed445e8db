/**
 * The evaluator's number line over the one address parser (shared/net/address.ts): both families,
 * RFC 5952 printing, host bits ignored in CIDRs, and the loader's strictness (no leading zeros).
 */
import { describe, expect, it } from 'vitest';
import { formatAddress, isIPv4Value, parseAddress, parseCidr } from '../../../shared/eval/ip.ts';

describe('addresses on the number line', () => {
  it('round-trips IPv4 and IPv6, printed as the API server would', () => {
    for (const [text, printed] of [
      ['10.0.0.1', '10.0.0.1'],
      ['0.0.0.0', '0.0.0.0'],
      ['255.255.255.255', '255.255.255.255'],
      ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
      ['::', '::'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      [' 192.0.2.7 ', '192.0.2.7'],
    ] as const) {
      const value = parseAddress(text);
      expect(value, text).toBeDefined();
      expect(formatAddress(value ?? 0n)).toBe(printed);
    }
    expect(isIPv4Value(parseAddress('10.0.0.1') ?? 0n)).toBe(true);
    expect(isIPv4Value(parseAddress('::1') ?? 0n)).toBe(false);
  });

  it('refuses what the API server refuses', () => {
    for (const bad of ['010.0.0.1', '10.0.0', '256.0.0.1', 'fe80::1%eth0', '1::2::3', 'pod-a', ''])
      expect(parseAddress(bad), bad).toBeUndefined();
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '::/129', 'x/8'])
      expect(parseCidr(bad), bad).toBeUndefined();
  });

  it('turns a CIDR into its range, ignoring host bits, and keeps the families apart', () => {
    const r = parseCidr('10.1.2.3/16');
    expect(r && [formatAddress(r.start), formatAddress(r.end)]).toEqual(['10.1.0.0', '10.1.255.255']);
    const all4 = parseCidr('0.0.0.0/0');
    const all6 = parseCidr('::/0');
    expect(all4 && all6 && all6.end < all4.start).toBe(true);
    const one = parseCidr('2001:db8::1/128');
    expect(one && one.start === one.end && formatAddress(one.start)).toBe('2001:db8::1');
  });
});
