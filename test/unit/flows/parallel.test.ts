/**
 * Reading one JSON-lines file with worker threads (electron/cli/commands/flows-parallel.ts) gives
 * what reading it on one thread gives: the same flows, counts, windows, rule usage and errors, with
 * the errors' line numbers those of the whole file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFlows, flowSource } from '../../../electron/cli/commands/flows.ts';
import { lineCuts, workersFor } from '../../../electron/cli/commands/flows-parallel.ts';
import type { FlowComparison } from '../../../shared/flows/index.ts';
import { FIXTURES, fixtureSnapshot } from './fixtures.ts';

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-flows-parallel-'));
  file = join(dir, 'many.jsonl');
  const hubble = readFileSync(join(FIXTURES, 'hubble.jsonl'), 'utf8').trimEnd();
  // Copies of the fixture with a broken line in each, and blank lines: errors land in every part.
  const parts: string[] = [];
  for (let i = 0; i < 40; i++) parts.push(hubble, `{"flow": {"verdict": "FORWARDED", broken ${i}`, '');
  writeFileSync(file, `${parts.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compareWith(workers: string): Promise<{ c: FlowComparison; threads: number }> {
  const before = process.env['NETGLASS_FLOW_WORKERS'];
  process.env['NETGLASS_FLOW_WORKERS'] = workers;
  process.env['NETGLASS_FLOW_WORKERS_ANY_SIZE'] = '1';
  try {
    const run = await computeFlows(fixtureSnapshot(), [flowSource(file)], {
      since: Date.parse('2026-12-02T09:00:03Z'),
    });
    return { c: run.comparison, threads: run.threads };
  } finally {
    delete process.env['NETGLASS_FLOW_WORKERS_ANY_SIZE'];
    if (before === undefined) delete process.env['NETGLASS_FLOW_WORKERS'];
    else process.env['NETGLASS_FLOW_WORKERS'] = before;
  }
}

/** Everything a user sees of a comparison, as plain data. */
function seen(c: FlowComparison): unknown {
  return {
    window: c.window,
    selected: c.selected,
    outside: c.outsideWindow,
    read: c.read,
    errors: c.errors,
    flows: c.flows,
    mapping: c.mapping,
    unmapped: c.unmapped,
    counts: c.counts,
    rules: c.rules,
    findings: c.findings.map((f) => ({
      status: f.status,
      count: f.count,
      from: f.flow.src.label,
      to: f.flow.dst.label,
      port: f.flow.port,
      at: f.flow.location,
      records: f.flow.records,
      first: f.flow.first,
      last: f.flow.last,
      cause: f.cause?.kind,
      rules: f.rules,
    })),
  };
}

describe('reading a flow file with worker threads', () => {
  it('cuts the file at line starts', async () => {
    const text = readFileSync(file, 'utf8');
    const cuts = await lineCuts(file, Buffer.byteLength(text), 3);
    expect(cuts).toHaveLength(4);
    for (const at of cuts.slice(1, -1)) expect(text[at - 1]).toBe('\n');
  });

  it('gives what one thread gives, line numbers of the whole file included', async () => {
    const one = await compareWith('0');
    const many = await compareWith('3');
    expect(one.threads).toBe(0);
    expect(many.threads).toBe(3);
    expect(seen(many.c)).toEqual(seen(one.c));
    // 40 broken lines, one per copy: the 40th is near the end of the file.
    expect(one.c.read.errorCount).toBe(40);
    expect(one.c.errors.at(-1)?.location.line).toBe(40 * 26 - 1);
  }, 60_000);

  it('uses workers only when asked, and then for big files', () => {
    expect(workersFor(1 << 30, {})).toBe(0);
    expect(workersFor(1024, { NETGLASS_FLOW_WORKERS: '2' })).toBe(0);
    expect(workersFor(1024, { NETGLASS_FLOW_WORKERS: '2', NETGLASS_FLOW_WORKERS_ANY_SIZE: '1' })).toBe(2);
    expect(workersFor(1 << 30, { NETGLASS_FLOW_WORKERS: '2' })).toBe(2);
    expect(workersFor(1 << 30, { NETGLASS_FLOW_WORKERS: '1' })).toBe(0);
  });
});
