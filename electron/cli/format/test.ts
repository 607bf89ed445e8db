/** Text output of `netglass test`: one line per assertion, failures explained as `check` explains them. */
import type { AssertionFailure, AssertionResult } from '../../../shared/assertions/index.ts';
import { portText } from '../../../shared/assertions/index.ts';
import type { ClusterNetworkPolicy, NetworkPolicy } from '../../../shared/model/snapshot.ts';
import type { CheckResult } from '../commands/check.ts';
import { checkText } from './check.ts';
import type { JunitCase } from './junit.ts';
import { plural } from './text.ts';

/** Where the policies are written, for the explanations (as `check` has them). */
export interface PolicyIndex {
  readonly policies: ReadonlyMap<string, NetworkPolicy>;
  readonly clusterPolicies: ReadonlyMap<string, ClusterNetworkPolicy>;
}

function at(r: AssertionResult): string {
  return `${r.assertion.location.file}:${r.assertion.location.line}`;
}

/** One line: why the assertion did not hold. */
export function failureMessage(r: AssertionResult): string | undefined {
  switch (r.kind) {
    case 'passed':
      return undefined;
    case 'no-match':
      return `nothing to check: ${r.reason}`;
    case 'failed': {
      const a = r.assertion;
      const other = a.expect === 'allowed' ? 'denied' : 'allowed';
      const of = `${r.failing} of ${plural(r.checked, 'connection')}`;
      if (r.unknown === 0) return `expected ${a.expect}: ${of} ${other}`;
      return `expected ${a.expect}: ${of} not ${a.expect} (${r.failing - r.unknown} ${other}, ${r.unknown} unknown)`;
    }
  }
}

function explanation(f: AssertionFailure, index: PolicyIndex): string {
  const result: CheckResult = {
    verdict: f.verdict,
    policies: index.policies,
    clusterPolicies: index.clusterPolicies,
    ...(f.portName !== undefined ? { portName: f.portName } : {}),
  };
  return checkText(result);
}

/** The explanations of a failed assertion's first failing connections, and how many more there are. */
export function failureDetail(r: AssertionResult, index: PolicyIndex): string | undefined {
  if (r.kind === 'passed') return undefined;
  if (r.kind === 'no-match') return `${failureMessage(r) ?? ''}\n`;
  const parts = r.examples.map((f) => explanation(f, index));
  const rest = r.failing - r.examples.length;
  if (rest > 0) parts.push(`... and ${plural(rest, 'more connection')}\n`);
  return parts.join('\n');
}

function indent(text: string, by: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (l === '' ? '' : `${by}${l}`))
    .join('\n');
}

export function testText(results: readonly AssertionResult[], index: PolicyIndex): string {
  const out: string[] = [];
  for (const r of results) {
    const a = r.assertion;
    const port = portText(a.port);
    if (r.kind === 'passed') {
      out.push(`PASS  ${a.name}  (${at(r)}; ${plural(r.checked, 'connection')} on ${port})`);
      continue;
    }
    out.push(`FAIL  ${a.name}  (${at(r)})`, `      ${failureMessage(r) ?? ''}`);
    if (r.kind === 'failed') out.push('', indent(failureDetail(r, index) ?? '', '      '), '');
  }
  const passed = results.filter((r) => r.kind === 'passed').length;
  const failed = results.length - passed;
  out.push('', `${plural(results.length, 'assertion')}: ${passed} passed, ${failed} failed`);
  return `${out.join('\n')}\n`;
}

export function junitCases(results: readonly AssertionResult[], index: PolicyIndex): JunitCase[] {
  return results.map((result) => {
    const message = failureMessage(result);
    const detail = failureDetail(result, index);
    return {
      result,
      ...(message !== undefined ? { message } : {}),
      ...(detail !== undefined ? { detail } : {}),
    };
  });
}
