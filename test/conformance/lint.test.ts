/**
 * Lint conformance: small hand-written clusters (test/conformance/lint-cases/*.yaml), each with the
 * findings it must produce, derived by hand from the Kubernetes NetworkPolicy semantics (and the
 * network-policy-api's for the admin case), never by running netglass. A case file's header says what it
 * proves and lists its findings:
 *
 *   # proves: one sentence
 *   # expect: <rule id> <severity> <object> <line> <field or -> [says:<word>]
 *   # expect: none
 *
 * `line` is the line of the finding in the case file (the object's `apiVersion` line, or the field's
 * for address findings); `says:` names a word the message must hold (the direction of a namespace
 * finding). Every case is checked
 *   1. through the library: `loadManifests` then `lintSnapshot`;
 *   2. through the CLI: `netglass lint --manifests <case> --format json`, and its exit status by the
 *      worst finding (0 none, 1 a warning, 4 an error), and with `--severity error` (4 with an error, else 0).
 * Findings are compared as a set of (id, severity, object, file, line, field): nothing missing, nothing
 * extra. A clean case (`expect: none`) must yield no finding at all.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../electron/manifests/load.ts';
import { LINT_RULES, lintSnapshot, type LintSeverity } from '../../shared/lint/index.ts';

const run = promisify(execFile);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CASES = path.join(ROOT, 'test/conformance/lint-cases');
const CLI = path.join(ROOT, 'bin/netglass.js');
/** One node process per run, on CPUs shared with other work: generous, not a timing assertion. */
const CLI_TIMEOUT = 120_000;

interface Expected {
  readonly id: string;
  readonly severity: LintSeverity;
  readonly object: string;
  readonly line: number;
  readonly field: string | undefined;
  readonly says: string | undefined;
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly proves: string;
  readonly findings: readonly Expected[];
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'info'];

function parseCase(name: string): Case {
  const file = path.join(CASES, name);
  const lines = readFileSync(file, 'utf8').split('\n');
  let proves = '';
  let none = false;
  const findings: Expected[] = [];
  lines.forEach((text, i) => {
    const where = `${name}:${i + 1}`;
    if (text.startsWith('# proves: ')) proves = text.slice('# proves: '.length).trim();
    if (!text.startsWith('# expect: ')) return;
    const words = text.slice('# expect: '.length).trim().split(/\s+/);
    if (words.length === 1 && words[0] === 'none') {
      none = true;
      return;
    }
    const [id, severity, object, line, field, says, ...rest] = words;
    if (!id || !severity || !object || !line || !field || rest.length > 0)
      throw new Error(
        `${where}: expected "# expect: <id> <severity> <object> <line> <field|-> [says:<word>]"`,
      );
    if (!SEVERITIES.includes(severity)) throw new Error(`${where}: unknown severity ${severity}`);
    if (!LINT_RULES.some((r) => r.id === id)) throw new Error(`${where}: no lint rule ${id}`);
    if (!/^\d+$/.test(line)) throw new Error(`${where}: line must be a number (got ${line})`);
    if (says !== undefined && !says.startsWith('says:'))
      throw new Error(`${where}: "${says}" is not says:<word>`);
    findings.push({
      id,
      severity: severity as LintSeverity,
      object,
      line: Number(line),
      field: field === '-' ? undefined : field,
      says: says?.slice('says:'.length),
    });
  });
  if (!proves) throw new Error(`${name}: no "# proves:" line`);
  if (none === findings.length > 0) throw new Error(`${name}: list its findings, or say "# expect: none"`);
  return { name, file, proves, findings };
}

const cases = readdirSync(CASES)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map(parseCase);

/** What a finding is compared on, as one line (the message only through `says`). */
interface Actual {
  readonly id: string;
  readonly severity: string;
  readonly object: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly message: string;
}

function keyOf(f: { id: string; severity: string; object: string; line?: number; field?: string }): string {
  return `${f.id} ${f.severity} ${f.object} ${String(f.line)} ${f.field ?? '-'}`;
}

function expectFindings(c: Case, via: string, actual: readonly Actual[]): void {
  for (const f of actual) {
    expect(f.file === undefined ? undefined : path.basename(f.file), `${via}: file of ${keyOf(f)}`).toBe(
      path.basename(c.file),
    );
  }
  const want = c.findings.map((f) => keyOf(f)).sort();
  const got = actual.map((f) => keyOf({ ...f, line: f.line, field: f.field })).sort();
  expect(got, `${c.name} via ${via}: ${c.proves}`).toEqual(want);
  for (const e of c.findings) {
    if (e.says === undefined) continue;
    const matching = actual.filter((f) => keyOf(f) === keyOf(e));
    expect(
      matching.some((f) => f.message.includes(e.says ?? '')),
      `${c.name} via ${via}: a ${e.id} finding at line ${e.line} saying "${e.says}"`,
    ).toBe(true);
  }
}

/** The exit status `netglass lint` must give: the worst finding at or above the threshold. */
function exitFor(findings: readonly Expected[], threshold: 'warning' | 'error'): number {
  if (findings.some((f) => f.severity === 'error')) return 4;
  if (threshold === 'warning' && findings.some((f) => f.severity === 'warning')) return 1;
  return 0;
}

interface CliFinding {
  id: string;
  severity: string;
  object: string;
  location: { file: string; line: number } | null;
  field: string | null;
  message: string;
}

async function lintCli(
  file: string,
  ...extra: string[]
): Promise<{ code: number; json: { findings: CliFinding[] } }> {
  const args = [CLI, 'lint', '--manifests', file, '--format', 'json', ...extra];
  try {
    const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: CLI_TIMEOUT });
    return { code: 0, json: JSON.parse(stdout) as { findings: CliFinding[] } };
  } catch (e) {
    // A finding makes the exit status non-zero: execFile rejects, with stdout and the code attached.
    const err = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number' || err.stdout === undefined) throw e;
    if (err.stdout === '')
      throw new Error(`netglass lint exited ${err.code}: ${err.stderr ?? ''}`, { cause: e });
    return { code: err.code, json: JSON.parse(err.stdout) as { findings: CliFinding[] } };
  }
}

it('finds the lint cases, with clean ones and every severity that fails a run', () => {
  expect(cases.length).toBeGreaterThanOrEqual(8);
  expect(cases.some((c) => c.findings.length === 0)).toBe(true);
  expect(cases.some((c) => c.findings.some((f) => f.severity === 'error'))).toBe(true);
  expect(cases.some((c) => c.findings.length > 0 && c.findings.every((f) => f.severity === 'warning'))).toBe(
    true,
  );
});

describe.each(cases)('$name', (c) => {
  it('library: loadManifests + lintSnapshot give the expected findings', async () => {
    const snapshot = await loadManifests([c.file]);
    const findings = lintSnapshot(snapshot);
    expectFindings(
      c,
      'the library',
      findings.map((f) => ({
        id: f.id,
        severity: f.severity,
        object: f.object,
        file: f.location?.file,
        line: f.location?.line,
        field: f.field,
        message: f.message,
      })),
    );
  });

  it(
    'CLI: netglass lint --format json gives them, with the exit status of the worst',
    async () => {
      const { code, json } = await lintCli(c.file);
      expectFindings(
        c,
        'the CLI',
        json.findings.map((f) => ({
          id: f.id,
          severity: f.severity,
          object: f.object,
          file: f.location?.file,
          line: f.location?.line,
          field: f.field ?? undefined,
          message: f.message,
        })),
      );
      expect(code, `${c.name}: exit status`).toBe(exitFor(c.findings, 'warning'));
      const strict = await lintCli(c.file, '--severity', 'error');
      expect(strict.code, `${c.name}: exit status with --severity error`).toBe(exitFor(c.findings, 'error'));
      expect(strict.json.findings.length, 'every finding is printed whatever the threshold').toBe(
        json.findings.length,
      );
    },
    CLI_TIMEOUT * 3,
  );
});
