/**
 * Addresses Kubernetes 1.36's strict IP/CIDR validation refuses in new objects: CIDRs with host bits set
 * (`10.0.0.1/8`) and IPv4 addresses with a leading zero in an octet (`010.0.0.0/8`; the legacy parser read
 * it as decimal, other tools as octal). Objects already stored keep working, so the same manifest that an
 * old cluster took fails on `kubectl apply` to a new one.
 *
 * The loader sees these first (the snapshot keeps only the canonical address, and drops an object it
 * cannot parse), and tags its issue with a `detail`; these rules turn those issues into findings with
 * the issue's own field and line, so `netglass lint` reports them (and SARIF carries them) like any other.
 */
import { parseCIDR, withoutLeadingZeros } from '../net/address.ts';
import { issueRule } from './issue-rule.ts';
import type { LintRule } from './types.ts';

export const cidrHostBits = issueRule(
  {
    id: 'ip-cidr-host-bits',
    severity: 'error',
    summary:
      'a CIDR with host bits set (10.0.0.1/8): Kubernetes 1.36 refuses it in new objects, as the admin-policy CRDs do',
  },
  'cidr-host-bits',
  (d, issue) => ({
    message:
      issue.severity === 'error'
        ? `${d.written} has host bits set: the API server refuses it (the CRD requires the network address), and netglass did not load this object`
        : `${d.written} has host bits set: Kubernetes 1.36's strict validation refuses it in new objects, so applying it to a new cluster fails (netglass reads it as ${d.canonical}, as older API servers did)`,
    fix: `write the network address ${d.canonical}${d.canonical.endsWith('/32') || d.canonical.endsWith('/128') ? '' : ' (or a longer prefix if only part of it was meant)'}`,
  }),
);

export const leadingZero = issueRule(
  {
    id: 'ip-leading-zero',
    severity: 'error',
    summary:
      'an IPv4 address with a leading zero in an octet (010.0.0.1): ambiguous (decimal or octal), refused by Kubernetes 1.36 in new objects',
  },
  'ip-leading-zero',
  (d) => {
    const decimal = withoutLeadingZeros(d.written);
    // `010.0.0.1/8` read as decimal still has host bits set: suggest what the API server will take.
    const parsed = decimal?.includes('/') ? parseCIDR(decimal) : undefined;
    const fixed = parsed !== undefined && typeof parsed !== 'string' ? parsed.canonical : decimal;
    return {
      message: `${d.written} has a leading zero in an IPv4 octet: older API servers read it as decimal and other tools as octal, Kubernetes 1.36's strict validation refuses it in new objects, and netglass did not load this object`,
      fix:
        fixed !== undefined
          ? `write ${fixed} (the decimal reading, as the API server had it), or the octal value if that was meant`
          : 'write every octet without leading zeros',
    };
  },
);

export const ADDRESS_LINT_RULES: readonly LintRule[] = [cidrHostBits, leadingZero];
