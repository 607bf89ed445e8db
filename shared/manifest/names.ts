/**
 * Name and value syntax checks, following k8s.io/apimachinery/pkg/util/validation. Each check returns
 * the problems as messages ("must be ..."); an empty list means valid.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function dns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    errs.push(
      "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
    );
  }
  return errs;
}

export function dns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (value === '' || !value.split('.').every((part) => DNS1123_LABEL.test(part))) {
    errs.push(
      "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
  }
  return errs;
}

/** A label key or annotation key: optional DNS-subdomain prefix and '/', then a name of up to 63 characters. */
export function qualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix === '') return ['prefix part must be non-empty'];
    const p = dns1123Subdomain(prefix);
    if (p.length > 0) return p.map((m) => `prefix part ${m}`);
  } else {
    return [
      "must be a qualified name: a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/my-name')",
    ];
  }
  if (name === '') return ['name part must be non-empty'];
  const errs: string[] = [];
  if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME_PART.test(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return errs;
}

export function labelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return errs;
}

/** IANA_SVC_NAME, as the API server checks named ports (validation.IsValidPortName). */
export function portName(value: string): string[] {
  const errs: string[] = [];
  if (value.length < 1 || value.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]*$/.test(value)) errs.push("must contain only lowercase letters, digits and '-'");
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter');
  if (value.includes('--')) errs.push('must not contain consecutive hyphens');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function portNumber(value: number): string[] {
  return value >= 1 && value <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate within a small edit distance (case-insensitive), or undefined. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const v = value.toLowerCase();
  const limit = Math.max(2, Math.floor(value.length / 3));
  for (const c of candidates) {
    const d = editDistance(v, c.toLowerCase());
    if (d < bestDist && d <= limit) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}
