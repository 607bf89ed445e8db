/**
 * `netglass test` against the hand-written truth tables: every probed cell of every conformance case
 * (test/fixtures/conformance and conformance-admin) becomes an assertion with the table's verdict,
 * run through the CLI in-process. The file as written must pass (exit 0); the same file with every
 * expectation flipped must fail every assertion (exit 1, one JUnit failure per assertion).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../../electron/cli/io.ts';
import { runCli } from '../../electron/cli/main.ts';
import { parseExpected, probed, sidesOf } from './expected.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NP = path.join(ROOT, 'test/fixtures/conformance');
const ADMIN = path.join(ROOT, 'test/fixtures/conformance-admin');

interface Case {
  readonly name: string;
  readonly manifests: readonly string[];
  readonly expectedFile: string;
}

const dirs = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, 'expected.txt')))
    .map((e) => e.name)
    .sort();

const cases: Case[] = [
  ...dirs(NP).map((name) => ({
    name,
    manifests: [path.join(NP, name)],
    expectedFile: path.join(NP, name, 'expected.txt'),
  })),
  ...dirs(ADMIN).map((name) => ({
    name: `admin/${name}`,
    manifests: [path.join(ADMIN, 'houses.yaml'), path.join(ADMIN, name, 'policies.yaml')],
    expectedFile: path.join(ADMIN, name, 'expected.txt'),
  })),
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'netglass-assertions-conformance-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** YAML for one assertion per probed cell; `flip` expects the opposite of the table. */
function assertionsFor(c: Case, flip: boolean): { text: string; count: number } {
  const e = parseExpected(readFileSync(c.expectedFile, 'utf8'), c.expectedFile);
  const lines = ['assertions:'];
  let count = 0;
  for (const port of e.ports)
    for (const from of e.peers)
      for (const to of e.peers) {
        if (!probed(from, to)) continue;
        const cell = e.cells.get(port.text)?.get(from)?.get(to);
        if (cell === undefined) throw new Error(`${c.name}: no cell ${from} -> ${to} on ${port.text}`);
        const allowed = sidesOf(cell).allowed !== flip;
        lines.push(
          `  - from: "${from}"`,
          `    to: "${to}"`,
          `    port: ${port.text}`,
          `    expect: ${allowed ? 'allowed' : 'denied'}`,
        );
        count++;
      }
  return { text: `${lines.join('\n')}\n`, count };
}

async function test(
  c: Case,
  flip: boolean,
): Promise<{ code: number; out: string; err: string; junit: string; count: number }> {
  const slug = `${c.name.replace(/\W/g, '_')}-${flip ? 'flipped' : 'table'}`;
  const file = path.join(dir, `${slug}.yaml`);
  const junit = path.join(dir, `${slug}.xml`);
  const { text, count } = assertionsFor(c, flip);
  writeFileSync(file, text);
  const io = memoryIO();
  const code = await runCli(
    ['test', '--assertions', file, '--manifests', ...c.manifests, '--junit', junit, '--examples', '0'],
    io,
  );
  return { code, out: io.stdout(), err: io.stderr(), junit: readFileSync(junit, 'utf8'), count };
}

it('finds the conformance cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(60);
});

describe.each(cases)('$name', (c) => {
  it('netglass test: the truth table as assertions passes', async () => {
    const r = await test(c, false);
    // Load warnings (a case may plant one) are fine; nothing else may go to stderr.
    expect(r.err.split('\n').filter((l) => l !== '' && !l.includes(': warning: '))).toEqual([]);
    expect(r.out.match(/^FAIL .*$/gm) ?? []).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.junit).toContain(`tests="${r.count}" failures="0"`);
  });

  it('netglass test: every flipped assertion fails', async () => {
    const r = await test(c, true);
    expect(r.code).toBe(1);
    expect(r.out.match(/^PASS .*$/gm) ?? []).toEqual([]);
    expect(r.junit).toContain(`tests="${r.count}" failures="${r.count}"`);
  });
});
