/**
 * The `checks.txt` format of the admin-tier conformance cases (test/fixtures/conformance-admin/README.md):
 * single connections with their expected verdict and both sides, including `unknown`, which the grids
 * of expected.txt cannot express.
 *
 *   # comment
 *   # from      to          port     verdict  egress   ingress
 *   sly/a       gry/a       80/TCP   denied   allowed  denied
 *   gry/a       192.0.2.10  80/TCP   unknown  unknown  allowed
 */
import type { Probe } from './expected.ts';
import { isPod, parseProbe } from './expected.ts';

export type Outcome = 'allowed' | 'denied' | 'unknown';

export interface Check {
  readonly line: number;
  readonly from: string;
  readonly to: string;
  readonly probe: Probe;
  readonly verdict: Outcome;
  readonly egress: Outcome;
  readonly ingress: Outcome;
}

const OUTCOMES = new Set<string>(['allowed', 'denied', 'unknown']);

function outcome(text: string, fail: (m: string) => never): Outcome {
  if (!OUTCOMES.has(text)) fail(`"${text}" is not one of allowed, denied, unknown`);
  return text as Outcome;
}

/** The verdict both sides call for: denied if one denies, allowed if both allow, else unknown. */
export function combine(egress: Outcome, ingress: Outcome): Outcome {
  if (egress === 'denied' || ingress === 'denied') return 'denied';
  return egress === 'allowed' && ingress === 'allowed' ? 'allowed' : 'unknown';
}

/** Parses a checks.txt; throws an Error naming the line for anything malformed or inconsistent. */
export function parseChecks(text: string, file = 'checks.txt'): Check[] {
  const checks: Check[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fail = (m: string): never => {
      throw new Error(`${file}:${i + 1}: ${m}`);
    };
    const parts = line.split(/\s+/);
    if (parts.length !== 6) fail('expected: <from> <to> <port>/<protocol> <verdict> <egress> <ingress>');
    const [from, to, port, verdict, egress, ingress] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!isPod(from) && !isPod(to)) fail('one end must be a pod (namespace/name)');
    if (from === to) fail('a connection needs two different ends');
    let probe: Probe;
    try {
      probe = parseProbe(port);
    } catch (e) {
      return fail((e as Error).message);
    }
    const check: Check = {
      line: i + 1,
      from,
      to,
      probe,
      verdict: outcome(verdict, fail),
      egress: outcome(egress, fail),
      ingress: outcome(ingress, fail),
    };
    if (combine(check.egress, check.ingress) !== check.verdict)
      fail(
        `verdict ${check.verdict} does not follow from egress ${check.egress} and ingress ${check.ingress}`,
      );
    checks.push(check);
  });
  return checks;
}
