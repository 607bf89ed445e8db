import { describe, expect, it } from 'vitest';
import { FlowReader, FlowReadTally, MAX_KEPT_ERRORS } from '../../../shared/flows/reader.ts';
import type { FlowLocation, FlowRecord } from '../../../shared/flows/index.ts';

function read(
  text: string,
  chunk = text.length || 1,
): { records: [FlowRecord, FlowLocation][]; tally: FlowReadTally } {
  const tally = new FlowReadTally();
  const records: [FlowRecord, FlowLocation][] = [];
  const r = new FlowReader('f.json', tally, (rec, loc) => records.push([rec, loc]));
  for (let i = 0; i < text.length; i += chunk) r.push(text.slice(i, i + chunk));
  r.end();
  return { records, tally };
}

const hubble = JSON.stringify({
  flow: {
    verdict: 'FORWARDED',
    IP: { source: '10.0.0.1', destination: '10.0.0.2' },
    l4: { TCP: { source_port: 1, destination_port: 80 } },
    source: { namespace: 'a', pod_name: 'x' },
    destination: { namespace: 'a', pod_name: 'y' },
  },
});
const calico = JSON.stringify({
  source_name: 'x-*',
  source_namespace: 'a',
  dest_name: 'y-*',
  dest_namespace: 'a',
  protocol: 'tcp',
  dest_port: 80,
  action: 'Allow',
  reporter: 'Src',
});

describe('FlowReader', () => {
  it('reads JSON lines of either format in one file, with their line numbers', () => {
    const { records, tally } = read(`${hubble}\n\n${calico}\r\n${hubble}`, 7);
    expect(records.map(([r, l]) => [r.format, l.line])).toEqual([
      ['hubble', 1],
      ['calico', 3],
      ['hubble', 4],
    ]);
    expect(tally.stats()).toEqual({
      lines: 3,
      records: { hubble: 2, calico: 1 },
      skipped: {},
      errorCount: 0,
    });
  });

  it('reads one pretty-printed document: an array, a FlowListResult, a Whisker list', () => {
    const pretty = (v: unknown): string => JSON.stringify(v, null, 2);
    expect(read(pretty([JSON.parse(calico), JSON.parse(calico)]), 5).records).toHaveLength(2);
    const list = read(
      `\n${pretty({ meta: { totalPages: 1 }, flows: [{ id: '1', flow: { Key: JSON.parse(calico) as unknown } }] })}`,
    );
    expect(list.records.map(([r, l]) => [r.format, l.line])).toEqual([['calico', 2]]);
    expect(read(pretty({ items: [JSON.parse(calico)] })).records).toHaveLength(1);
    expect(read(pretty(JSON.parse(hubble))).records).toHaveLength(1);
  });

  it('reports lines that are no flow record at their line and goes on', () => {
    const { records, tally } = read(`${hubble}\nnot json\n[1, 2]\n{"kind": "Pod"}\n${hubble}\n`);
    expect(records).toHaveLength(2);
    expect(tally.errors.map((e) => [e.location.line, e.message.slice(0, 20)])).toEqual([
      [2, 'not valid JSON: Unex'],
      [3, 'expected a JSON obje'],
      [3, 'expected a JSON obje'],
      [4, 'not a Hubble flow (n'],
    ]);
  });

  it('a broken pretty document is one error at its first line', () => {
    const { tally } = read('\n\n{\n  "flows": [\n');
    expect(tally.errors.map((e) => e.location.line)).toEqual([3]);
  });

  it('keeps the first errors and counts them all', () => {
    const { tally } = read(Array.from({ length: MAX_KEPT_ERRORS + 10 }, () => 'x').join('\n'));
    expect(tally.errors).toHaveLength(MAX_KEPT_ERRORS);
    expect(tally.errorCount).toBe(MAX_KEPT_ERRORS + 10);
  });
});
