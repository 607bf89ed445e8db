/**
 * Admin-tier conformance (test/fixtures/conformance-admin/README.md): ClusterNetworkPolicy (both tiers)
 * and the legacy AdminNetworkPolicy / BaselineAdminNetworkPolicy with NetworkPolicies, on the shared
 * "houses" cluster. Each case is a folder with `policies.yaml` (loaded with `houses.yaml`) and, written by
 * hand from the network-policy-api spec and the upstream conformance scenarios:
 * - `expected.txt`: truth tables (format: test/conformance/README.md), checked through the library
 *   (loadManifests + reach()), the CLI (`netglass reach --format json`) and the naive oracle
 *   (test/oracle), which must all agree with the table;
 * - `checks.txt`: single connections with their verdict and both sides, `unknown` included, checked
 *   through the library (check()), the CLI (`netglass check --format json` and its exit status) and
 *   the oracle.
 * Verdicts only: the wording of explanations is not asserted here.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../electron/manifests/load.ts';
import { createAnalyzer, sideAllows, type Peer, type SideResult } from '../../shared/eval/index.ts';
import { podKey, type Snapshot } from '../../shared/model/snapshot.ts';
import { oracleCheck, type OraclePeer, type Tri } from '../oracle/naive.ts';
import { parseChecks, type Check, type Outcome } from './admin-checks.ts';
import { cellOf, diffReport, isPod, parseExpected, probed, type Cell, type Expectation } from './expected.ts';

const run = promisify(execFile);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/conformance-admin');
const HOUSES = path.join(FIXTURES, 'houses.yaml');
const CLI = path.join(ROOT, 'bin/netglass.js');
/** Spawns node once per probe file and per check: generous, as CPUs are shared. */
const CLI_TIMEOUT = 120_000;

interface Case {
  readonly name: string;
  readonly dir: string;
  readonly expected?: Expectation;
  readonly checks: readonly Check[];
}

function readCase(name: string): Case {
  const dir = path.join(FIXTURES, name);
  const rel = (f: string) => path.relative(ROOT, path.join(dir, f));
  const expectedFile = path.join(dir, 'expected.txt');
  const checksFile = path.join(dir, 'checks.txt');
  return {
    name,
    dir,
    ...(existsSync(expectedFile)
      ? { expected: parseExpected(readFileSync(expectedFile, 'utf8'), rel('expected.txt')) }
      : {}),
    checks: existsSync(checksFile) ? parseChecks(readFileSync(checksFile, 'utf8'), rel('checks.txt')) : [],
  };
}

const caseNames = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

type Grid = Map<string, Map<string, Map<string, Cell>>>;

function setCell(grid: Grid, port: string, from: string, to: string, cell: Cell): void {
  let byFrom = grid.get(port);
  if (!byFrom) grid.set(port, (byFrom = new Map<string, Map<string, Cell>>()));
  let byTo = byFrom.get(from);
  if (!byTo) byFrom.set(from, (byTo = new Map<string, Cell>()));
  byTo.set(to, cell);
}

function toPeer(name: string): Peer {
  if (!isPod(name)) return { kind: 'external', ip: name };
  const [namespace, podName] = name.split('/') as [string, string];
  return { kind: 'pod', namespace, name: podName };
}

function toOraclePeer(s: Snapshot, name: string): OraclePeer {
  if (!isPod(name)) return { kind: 'external', ip: name };
  const pod = s.pods.find((p) => podKey(p) === name);
  if (!pod) throw new Error(`no pod ${name} in the loaded manifests`);
  return { kind: 'pod', pod };
}

const outcomeOfTri = (t: Tri): Outcome => (t === 'unknown' ? 'unknown' : t ? 'allowed' : 'denied');
const outcomeOfSide = (side: SideResult): Outcome => outcomeOfTri(sideAllows(side));

async function load(c: Case): Promise<Snapshot> {
  const snapshot = await loadManifests([HOUSES, c.dir]);
  const errors = snapshot.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0)
    throw new Error(
      `${c.name}: the manifests did not load cleanly:\n${errors.map((i) => `  ${i.message}`).join('\n')}`,
    );
  if (snapshot.clusterPolicies.length === 0) throw new Error(`${c.name}: no admin policy was loaded`);
  return snapshot;
}

function failOnDiff(
  c: Case,
  via: string,
  expected: Expectation,
  actual: Grid,
  problems: readonly string[],
): void {
  const report = diffReport(expected, actual);
  if (report || problems.length > 0)
    throw new Error(
      [`${c.name} via ${via}: ${expected.description}`, ...problems.map((p) => `  ${p}`), report ?? ''].join(
        '\n',
      ),
    );
}

/** The command line the CLI tests run, for messages. */
function shown(args: readonly string[]): string {
  return `netglass ${args
    .slice(1)
    .map((a) => (path.isAbsolute(a) ? path.relative(ROOT, a) : a))
    .join(' ')}`;
}

async function cli(args: readonly string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as { code?: unknown; stdout?: string; stderr?: string; message: string };
    if (typeof err.code === 'number' && err.stdout) return { stdout: err.stdout, code: err.code };
    throw new Error(`${shown(args)} failed (exit ${String(err.code)}):\n${err.stderr ?? err.message}`, {
      cause: e,
    });
  }
}

it('finds the admin-tier conformance cases', () => {
  expect(existsSync(HOUSES)).toBe(true);
  expect(caseNames.length).toBeGreaterThanOrEqual(15);
  for (const name of caseNames) {
    expect(existsSync(path.join(FIXTURES, name, 'policies.yaml')), `${name}/policies.yaml`).toBe(true);
    const c = readCase(name);
    expect(c.expected !== undefined || c.checks.length > 0, `${name} has expected.txt or checks.txt`).toBe(
      true,
    );
  }
});

describe.each(caseNames.map((name) => ({ name })))('$name', ({ name }) => {
  const c = readCase(name);
  const e = c.expected;

  it.runIf(e)('library: loadManifests + createAnalyzer().reach() match the truth table', async () => {
    const expected = e!;
    const snapshot = await load(c);
    expect([...snapshot.pods.map(podKey)].sort(), "the loaded pods are the grid's pods").toEqual(
      [...expected.pods].sort(),
    );
    const table = createAnalyzer(snapshot).reach(
      expected.peers.map(toPeer),
      expected.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    );
    const actual: Grid = new Map();
    const problems: string[] = [];
    expected.ports.forEach((probe, k) =>
      expected.peers.forEach((from, i) =>
        expected.peers.forEach((to, j) => {
          if (!probed(from, to)) return;
          const cell = table.cell(i, j, k);
          if (cell.unknown || cell.egressUnknown || cell.ingressUnknown)
            problems.push(`${probe.text} ${from} -> ${to}: unknown, expected a definite verdict`);
          setCell(actual, probe.text, from, to, cellOf(cell));
        }),
      ),
    );
    failOnDiff(c, 'the library', expected, actual, problems);
  });

  it.runIf(e)('oracle: the naive oracle (test/oracle) gives the same truth table', async () => {
    const expected = e!;
    const snapshot = await load(c);
    const actual: Grid = new Map();
    const problems: string[] = [];
    for (const probe of expected.ports)
      for (const from of expected.peers)
        for (const to of expected.peers) {
          if (!probed(from, to)) continue;
          const o = oracleCheck(
            snapshot,
            toOraclePeer(snapshot, from),
            toOraclePeer(snapshot, to),
            probe.protocol,
            probe.port,
          );
          if (o.verdict === 'unknown')
            problems.push(`${probe.text} ${from} -> ${to}: unknown, expected a definite verdict`);
          setCell(
            actual,
            probe.text,
            from,
            to,
            cellOf({ egress: o.egress === true, ingress: o.ingress === true }),
          );
        }
    failOnDiff(c, 'the oracle', expected, actual, problems);
  });

  it.runIf(e)(
    'CLI: netglass reach --format json matches the truth table',
    async () => {
      const expected = e!;
      const args = [CLI, 'reach', '--manifests', HOUSES, c.dir];
      for (const p of expected.ports) args.push('--port', p.text);
      for (const ip of expected.ips) args.push('--ip', ip);
      args.push('--format', 'json');
      const { stdout, code } = await cli(args);
      expect(code, `${shown(args)} exit status`).toBe(0);
      const json = JSON.parse(stdout) as { ports?: unknown; peers?: unknown; results?: unknown };
      expect(json.ports).toEqual(expected.ports.map((p) => p.text));
      expect([...(json.peers as string[])].sort()).toEqual([...expected.peers].sort());
      if (!Array.isArray(json.results)) throw new Error(`${shown(args)}: "results" is not a list`);
      const actual: Grid = new Map();
      const seen = new Set<string>();
      const problems: string[] = [];
      for (const r of json.results as {
        from: string;
        to: string;
        port: string;
        allowed: boolean;
        egress: boolean;
        ingress: boolean;
        unknown?: boolean;
      }[]) {
        const key = `${r.port} ${r.from} -> ${r.to}`;
        if (seen.has(key)) problems.push(`duplicate result: ${key}`);
        seen.add(key);
        if (!probed(r.from, r.to)) problems.push(`a pair that must not be listed: ${key}`);
        if (r.unknown) problems.push(`${key}: unknown, expected a definite verdict`);
        if (r.allowed !== (r.egress && r.ingress))
          problems.push(`${key}: allowed=${r.allowed} but egress=${r.egress}, ingress=${r.ingress}`);
        setCell(actual, r.port, r.from, r.to, cellOf(r));
      }
      const pairs = expected.peers.flatMap((from) => expected.peers.filter((to) => probed(from, to)));
      const wanted = pairs.length * expected.ports.length;
      if (seen.size !== wanted) problems.push(`${seen.size} results, expected exactly ${wanted}`);
      failOnDiff(c, `the CLI (${shown(args)})`, expected, actual, problems);
    },
    CLI_TIMEOUT,
  );

  it.runIf(c.checks.length > 0)(
    'library and oracle: check() gives each connection of checks.txt',
    async () => {
      const snapshot = await load(c);
      const a = createAnalyzer(snapshot);
      const problems: string[] = [];
      for (const k of c.checks) {
        const want = `${k.verdict} (egress ${k.egress}, ingress ${k.ingress})`;
        const v = a.check({
          from: toPeer(k.from),
          to: toPeer(k.to),
          protocol: k.probe.protocol,
          port: k.probe.port,
        });
        const got = `${v.verdict} (egress ${outcomeOfSide(v.egress)}, ingress ${outcomeOfSide(v.ingress)})`;
        if (got !== want)
          problems.push(
            `checks.txt:${k.line} ${k.from} -> ${k.to} ${k.probe.text}: library says ${got}, expected ${want}`,
          );
        const o = oracleCheck(
          snapshot,
          toOraclePeer(snapshot, k.from),
          toOraclePeer(snapshot, k.to),
          k.probe.protocol,
          k.probe.port,
        );
        const said = `${o.verdict} (egress ${outcomeOfTri(o.egress)}, ingress ${outcomeOfTri(o.ingress)})`;
        if (said !== want)
          problems.push(
            `checks.txt:${k.line} ${k.from} -> ${k.to} ${k.probe.text}: the oracle says ${said}, expected ${want}`,
          );
      }
      if (problems.length > 0) throw new Error(`${c.name}:\n${problems.join('\n')}`);
    },
  );

  it.runIf(c.checks.length > 0)(
    'CLI: netglass check --format json gives each connection of checks.txt, with its exit status',
    async () => {
      const status: Record<Outcome, number> = { allowed: 0, denied: 1, unknown: 3 };
      // One process per check, a few at a time (node's start-up dominates).
      const one = async (k: Check): Promise<string | undefined> => {
        const args = [
          CLI,
          'check',
          '--manifests',
          HOUSES,
          c.dir,
          '--from',
          k.from,
          '--to',
          k.to,
          '--port',
          k.probe.text,
          '--format',
          'json',
        ];
        const { stdout, code } = await cli(args);
        const json = JSON.parse(stdout) as {
          verdict?: unknown;
          egress?: { allows?: unknown };
          ingress?: { allows?: unknown };
        };
        const side = (s: { allows?: unknown } | undefined): string =>
          s?.allows === 'unknown'
            ? 'unknown'
            : s?.allows === true
              ? 'allowed'
              : s?.allows === false
                ? 'denied'
                : `?${JSON.stringify(s)}`;
        const want = `${k.verdict} (egress ${k.egress}, ingress ${k.ingress}) exit ${status[k.verdict]}`;
        const got = `${String(json.verdict)} (egress ${side(json.egress)}, ingress ${side(json.ingress)}) exit ${code}`;
        return got === want ? undefined : `checks.txt:${k.line} ${shown(args)}: got ${got}, expected ${want}`;
      };
      const problems: string[] = [];
      for (let i = 0; i < c.checks.length; i += 3) {
        const batch = await Promise.all(c.checks.slice(i, i + 3).map(one));
        problems.push(...batch.filter((p): p is string => p !== undefined));
      }
      if (problems.length > 0) throw new Error(`${c.name}:\n${problems.join('\n')}`);
    },
    CLI_TIMEOUT,
  );
});
