/**
 * Conformance truth tables (DESIGN.md "Test layers"): every case in test/fixtures/conformance/<case>/ is
 * a `manifests.yaml` and an `expected.txt` written by hand from the Kubernetes spec (format:
 * test/conformance/README.md, parser: expected.ts). Each case is checked
 *   1. through the library: the manifest loader, then `createAnalyzer(snapshot).reach(peers, ports)`;
 *   2. through the CLI: `node bin/netglass.js reach --manifests <dir> --port ... --ip ... --format json`,
 *      whose results must hold exactly one entry per ordered pair of distinct peers (at least one a
 *      pod) per port.
 * Every probe is compared on both sides (egress at the source, ingress at the destination), and a
 * failure shows the expected and actual grids side by side.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../electron/manifests/load.ts';
import { createAnalyzer } from '../../shared/eval/index.ts';
import type { Peer } from '../../shared/eval/index.ts';
import { podKey } from '../../shared/model/snapshot.ts';
import { cellOf, diffReport, isPod, parseExpected, probed } from './expected.ts';
import type { Cell, Expectation } from './expected.ts';

const run = promisify(execFile);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/conformance');
const CLI = path.join(ROOT, 'bin/netglass.js');

interface Case {
  readonly name: string;
  readonly dir: string;
  readonly expectedFile: string;
}

const cases: Case[] = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => ({
    name: e.name,
    dir: path.join(FIXTURES, e.name),
    expectedFile: path.join(FIXTURES, e.name, 'expected.txt'),
  }))
  .sort((a, b) => (a.name < b.name ? -1 : 1));

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

function expectationOf(c: Case): Expectation {
  return parseExpected(readFileSync(c.expectedFile, 'utf8'), path.relative(ROOT, c.expectedFile));
}

function sameSet(what: string, expected: readonly string[], actual: readonly string[]): void {
  const missing = expected.filter((e) => !actual.includes(e));
  const extra = actual.filter((a) => !expected.includes(a));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `${what} differ from the expectation's grid: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`,
    );
  }
}

function failOnDiff(c: Case, via: string, expected: Expectation, actual: Grid): void {
  const report = diffReport(expected, actual);
  if (report) throw new Error(`${c.name} via ${via}: ${expected.description}\n${report}`);
}

it('finds the conformance cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(30);
  for (const c of cases) {
    expect(existsSync(path.join(c.dir, 'manifests.yaml')), `${c.name}/manifests.yaml`).toBe(true);
    expect(existsSync(c.expectedFile), `${c.name}/expected.txt`).toBe(true);
  }
});

describe.each(cases)('$name', (c) => {
  it('has a well-formed expectation', () => {
    const e = expectationOf(c);
    expect(e.ports.length).toBeGreaterThan(0);
    expect(e.pods.length).toBeGreaterThan(0);
  });

  it('library: loadManifests + createAnalyzer().reach() match the truth table', async () => {
    const expected = expectationOf(c);
    const snapshot = await loadManifests([c.dir]);
    const errors = snapshot.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      throw new Error(
        `${c.name}: the manifests did not load cleanly:\n${errors.map((i) => `  ${i.message}`).join('\n')}`,
      );
    }
    sameSet('the loaded pods', expected.pods, snapshot.pods.map(podKey));

    const peers = expected.peers.map(toPeer);
    const ports = expected.ports.map((p) => ({ port: p.port, protocol: p.protocol }));
    const table = createAnalyzer(snapshot).reach(peers, ports);
    const actual: Grid = new Map();
    expected.ports.forEach((probe, k) => {
      expected.peers.forEach((from, i) => {
        expected.peers.forEach((to, j) => {
          if (!probed(from, to)) return;
          const cell = table.cell(i, j, k);
          if (cell.allowed !== (cell.egress && cell.ingress)) {
            throw new Error(
              `${c.name}: ${probe.text} ${from} -> ${to}: allowed=${cell.allowed} but egress=${cell.egress}, ingress=${cell.ingress}`,
            );
          }
          setCell(actual, probe.text, from, to, cellOf(cell));
        });
      });
    });
    failOnDiff(c, 'the library', expected, actual);
  });

  it('CLI: netglass reach --format json matches the truth table', async () => {
    if (!existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} does not exist yet`);
    const expected = expectationOf(c);
    const args = [CLI, 'reach', '--manifests', c.dir];
    for (const p of expected.ports) args.push('--port', p.text);
    for (const ip of expected.ips) args.push('--ip', ip);
    args.push('--format', 'json');
    const command = `netglass ${args
      .slice(1)
      .map((a) => (path.isAbsolute(a) ? path.relative(ROOT, a) : a))
      .join(' ')}`;

    let stdout: string;
    try {
      ({ stdout } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }));
    } catch (e) {
      const err = e as { code?: number; stderr?: string; message: string };
      throw new Error(`${command} failed (exit ${String(err.code)}):\n${err.stderr ?? err.message}`, {
        cause: e,
      });
    }
    let out: unknown;
    try {
      out = JSON.parse(stdout);
    } catch {
      throw new Error(`${command} did not print JSON:\n${stdout.slice(0, 2000)}`);
    }
    const json = out as { ports?: unknown; peers?: unknown; results?: unknown };
    expect(json.ports, `${command}: "ports"`).toEqual(expected.ports.map((p) => p.text));
    if (!Array.isArray(json.peers)) throw new Error(`${command}: "peers" is not a list`);
    const peers = json.peers.map((p) => (typeof p === 'string' ? p : JSON.stringify(p)));
    sameSet(`${command}: "peers"`, expected.peers, peers);
    if (!Array.isArray(json.results)) throw new Error(`${command}: "results" is not a list`);

    const actual: Grid = new Map();
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const r of json.results as unknown[]) {
      const res = r as {
        from?: unknown;
        to?: unknown;
        port?: unknown;
        allowed?: unknown;
        egress?: unknown;
        ingress?: unknown;
      };
      const { from, to, port, allowed, egress, ingress } = res;
      if (
        typeof from !== 'string' ||
        typeof to !== 'string' ||
        typeof port !== 'string' ||
        typeof allowed !== 'boolean' ||
        typeof egress !== 'boolean' ||
        typeof ingress !== 'boolean'
      ) {
        problems.push(`malformed result ${JSON.stringify(r)}`);
        continue;
      }
      const key = `${port} ${from} -> ${to}`;
      if (
        !expected.peers.includes(from) ||
        !expected.peers.includes(to) ||
        !expected.ports.some((p) => p.text === port)
      ) {
        problems.push(`result for an unknown peer or port: ${key}`);
      } else if (!probed(from, to)) {
        problems.push(`result for a pair that must not be listed (same peer, or address to address): ${key}`);
      } else if (seen.has(key)) {
        problems.push(`duplicate result: ${key}`);
      } else if (allowed !== (egress && ingress)) {
        problems.push(`${key}: allowed=${allowed} but egress=${egress}, ingress=${ingress}`);
      }
      seen.add(key);
      if (expected.peers.includes(from) && expected.peers.includes(to))
        setCell(actual, port, from, to, cellOf({ egress, ingress }));
    }
    let wanted = 0;
    for (const p of expected.ports)
      for (const from of expected.peers)
        for (const to of expected.peers) {
          if (!probed(from, to)) continue;
          wanted++;
          if (!seen.has(`${p.text} ${from} -> ${to}`))
            problems.push(`missing result: ${p.text} ${from} -> ${to}`);
        }
    if (json.results.length !== wanted)
      problems.unshift(`${json.results.length} results, expected exactly ${wanted}`);
    if (problems.length > 0) {
      throw new Error(
        `${command}: the results are not one per probe:\n${problems
          .slice(0, 40)
          .map((p) => `  ${p}`)
          .join('\n')}`,
      );
    }
    failOnDiff(c, `the CLI (${command})`, expected, actual);
  });
});
