/** `netglass lint` in-process: formats, the severity threshold, exit statuses, and SARIF's structure. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINT_EXIT, lintExitStatus } from '../../../electron/cli/commands/lint.ts';
import { lintSarif } from '../../../electron/cli/format/lint-sarif.ts';
import { LINT_RULES } from '../../../shared/lint/index.ts';
import type { LintFinding } from '../../../shared/lint/index.ts';
import { PLANTED, plantedMarkers } from './planted.ts';
import { cli } from '../cli/run-cli.ts';

let dir = '';
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-lint-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NS = (name: string): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {kubernetes.io/metadata.name: ${name}}}\n---\n`;
const POD = (ns: string, name: string, app: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}\nspec: {containers: [{name: c, image: i}]}\n---\n`;
const DENY_ALL = (ns: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${ns}}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n---\n`;
/** One namespace, one pod, denied both ways, plus `extra`. */
const TIDY = `${NS('a')}${POD('a', 'p', 'web')}${DENY_ALL('a')}`;
const ORPHAN = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: orphan, namespace: a}\nspec: {podSelector: {matchLabels: {app: nope}}}\n`;

describe('exit status by the worst finding at or above --severity', () => {
  it('0 and "no problems found" on a tidy input', async () => {
    expect(await cli('lint', '-f', file('tidy.yaml', TIDY))).toEqual({
      code: 0,
      out: 'no problems found\n',
      err: '',
    });
  });

  it('1 on warnings; 0 with --severity error, which still prints them', async () => {
    const p = file('warn.yaml', `${TIDY}${ORPHAN}`);
    const r = await cli('lint', '-f', p);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /warn\.yaml:\d+:1: warning: spec\.podSelector: NetworkPolicy `a\/orphan` does not select the only pod of namespace a, .*\[np-selects-no-pod\]\n {2}fix: /,
    );
    expect(r.out).toMatch(/\n1 warning\n$/);
    const lenient = await cli('lint', '-f', p, '--severity', 'error');
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain('[np-selects-no-pod]');
  });

  it('4 on errors (the planted cluster); its leading-zero policy is a finding, not a load error', async () => {
    const r = await cli('lint', '-f', PLANTED);
    expect(r.code).toBe(LINT_EXIT.error);
    for (const [id] of plantedMarkers(PLANTED)) expect(r.out).toContain(`[${id}]`);
    expect(r.out).toMatch(/\n2 errors, 12 warnings, 1 note\n$/);
    // Other load messages are still printed; the two the address rules report are not.
    expect(r.err).not.toMatch(/leading zero|host bits/);
    expect(r.err).toMatch(/no field netglass recognises/);
  });

  it('2 on a load error lint does not report, with nothing linted', async () => {
    const bad = `${TIDY}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: a}\nspec: {podSelector: "app=web"}\n`;
    const r = await cli('lint', '-f', file('bad.yaml', bad));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/nothing was linted/);
  });

  it('2 on a bad --severity', async () => {
    const r = await cli('lint', '-f', file('tidy2.yaml', TIDY), '--severity', 'fatal');
    expect(r.code).toBe(2);
  });

  it('maps every severity to its own status, notes only when asked', () => {
    const f = (severity: LintFinding['severity']): LintFinding => ({
      id: 'x',
      severity,
      object: 'a/b',
      message: 'm',
      fix: 'f',
    });
    expect(lintExitStatus([], 'info')).toBe(0);
    expect(lintExitStatus([f('info')], 'warning')).toBe(0);
    expect(lintExitStatus([f('info')], 'info')).toBe(5);
    expect(lintExitStatus([f('info'), f('warning')], 'info')).toBe(1);
    expect(lintExitStatus([f('warning'), f('error')], 'warning')).toBe(4);
    expect(lintExitStatus([f('warning')], 'error')).toBe(0);
  });

  it('documents the statuses and every rule in --help', async () => {
    const help = await cli('lint', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/0 none, 1 a warning, 4 an error,\s+5 only notes/);
    for (const r of LINT_RULES) expect(help.out).toContain(`${r.id} (${r.severity})`);
  });
});

describe('--format json', () => {
  it('lists the findings in order with counts per severity', async () => {
    const r = await cli('lint', '-f', PLANTED, '--format', 'json');
    const j = JSON.parse(r.out) as {
      findings: { id: string; severity: string; location: { line: number } | null }[];
      errors: number;
      warnings: number;
      notes: number;
    };
    expect({ errors: j.errors, warnings: j.warnings, notes: j.notes }).toEqual({
      errors: 2,
      warnings: 12,
      notes: 1,
    });
    const lines = j.findings.map((f) => f.location?.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});

/** The parts of SARIF 2.1.0 the output uses, checked as the schema states them. */
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
      };
    };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation?: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn: number };
        };
        logicalLocations: { fullyQualifiedName: string }[];
      }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

describe('--format sarif', () => {
  it('is a SARIF 2.1.0 log: rules from the registry, results pointing at rule, file and line', async () => {
    const r = await cli('lint', '-f', PLANTED, '--format', 'sarif');
    expect(r.code).toBe(4);
    const log = JSON.parse(r.out) as SarifLog;
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    if (!run) throw new Error('no run');
    expect(run.tool.driver.name).toBe('netglass');
    expect(run.tool.driver.rules.map((x) => x.id)).toEqual(LINT_RULES.map((x) => x.id));
    for (const [i, rule] of run.tool.driver.rules.entries()) {
      expect(rule.shortDescription.text).toBe(LINT_RULES[i]?.summary);
      expect(rule.defaultConfiguration.level).toBe(
        { error: 'error', warning: 'warning', info: 'note' }[LINT_RULES[i]?.severity ?? 'info'],
      );
    }
    const markers = plantedMarkers(PLANTED);
    expect(run.results).toHaveLength(markers.length);
    const absolute = PLANTED.startsWith('/');
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text).toMatch(/\. Fix: .+\.$/);
      const [loc, ...more] = result.locations;
      expect(more).toEqual([]);
      const physical = loc?.physicalLocation;
      if (!physical) throw new Error(`${result.ruleId}: no physical location`);
      expect(physical.artifactLocation.uri).toBe(absolute ? pathToFileURL(PLANTED).href : PLANTED);
      expect(markers).toContainEqual([result.ruleId, physical.region.startLine]);
      expect(physical.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(loc?.logicalLocations[0]?.fullyQualifiedName).toBeTruthy();
      expect(Object.values(result.partialFingerprints)[0]).toContain(result.ruleId);
    }
    expect(
      run.results
        .filter((x) => x.level === 'error')
        .map((x) => x.ruleId)
        .sort(),
    ).toEqual(['ip-cidr-host-bits', 'ip-leading-zero']);
  });

  it('keeps a relative path relative to %SRCROOT%, percent-encoded, and a cluster object logical only', () => {
    const at = (file: string): LintFinding => ({
      id: 'np-selects-no-pod',
      severity: 'warning',
      object: 'a/b',
      location: { file, line: 3, column: 1 },
      message: 'm',
      fix: 'f',
    });
    const live: LintFinding = {
      id: 'np-selects-no-pod',
      severity: 'warning',
      object: 'a/c',
      message: 'm',
      fix: 'f',
    };
    const rel = relative('/work', '/work/k8s/my policies/np.yaml');
    const log = lintSarif([at(rel), live], LINT_RULES, { cwd: '/work' });
    const run = log.runs[0];
    expect(run?.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe('file:///work/');
    expect(run?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation).toEqual({
      uri: 'k8s/my%20policies/np.yaml',
      uriBaseId: '%SRCROOT%',
    });
    expect(run?.results?.[1]?.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: 'a/c' }] }]);
  });
});
