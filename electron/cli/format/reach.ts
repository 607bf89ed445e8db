/**
 * Rendering of `netglass reach` results. Every format walks the results in one order (source, then
 * destination, in peer order, then port) and hands text to `io.out` in chunks of about a megabyte,
 * which waits while the output stream is full: memory stays flat however many results there are.
 */
import {
  CELL_ALLOWED,
  CELL_EGRESS_ALLOWS,
  CELL_INGRESS_ALLOWS,
  CELL_UNKNOWN,
} from '../../../shared/eval/index.ts';
import type { ReachResult } from '../commands/reach.ts';
import type { CliIO } from '../io.ts';
import { formatPeer, formatPort, formatPortSpec } from '../targets.ts';

export type ReachFormat = 'table' | 'json' | 'ndjson' | 'csv' | 'compact-json';

const CHUNK = 1 << 20;

/** Collects text and hands it to `io.out` a chunk at a time (awaiting back-pressure). */
class Chunks {
  #buf = '';
  readonly #io: CliIO;
  constructor(io: CliIO) {
    this.#io = io;
  }
  async add(text: string): Promise<void> {
    this.#buf += text;
    if (this.#buf.length >= CHUNK) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#buf === '') return;
    const text = this.#buf;
    this.#buf = '';
    await this.#io.out(text);
  }
}

/** One result, as the row formats need it. */
interface Row {
  readonly from: number;
  readonly to: number;
  /** The port's index in `specs`. */
  readonly spec: number;
  /** The numeric port it is at the destination, as `80/TCP`. */
  readonly port: string;
  readonly bits: number;
}

/**
 * Calls `emit` for every result in order. `emit` returns a promise only when it flushed, so the loop
 * awaits rarely (a million awaits would cost more than the rows).
 */
async function eachResult(r: ReachResult, emit: (row: Row) => Promise<void> | undefined): Promise<void> {
  const g = r.grouped;
  const n = r.peers.length;
  const portNames = g.ports.map(formatPort);
  for (let f = 0; f < n; f++) {
    const a = g.groupOf[f] ?? 0;
    for (let t = 0; t < n; t++) {
      if (f === t) continue;
      const b = g.groupOf[t] ?? 0;
      if (r.external[a] && r.external[b]) continue;
      for (let k = 0; k < r.specs.length; k++) {
        const c = r.column[k]?.[b] ?? -1;
        if (c < 0) continue;
        const pending = emit({ from: f, to: t, spec: k, port: portNames[c] ?? '', bits: g.cell(a, b, c) });
        if (pending !== undefined) await pending;
      }
    }
  }
}

/**
 * Holds row texts and hands them to `chunks` once they make a chunk: `add` returns a promise only
 * then, so most rows cost no promise.
 */
class RowBuffer {
  #parts: string[] = [];
  #size = 0;
  readonly #chunks: Chunks;
  constructor(chunks: Chunks) {
    this.#chunks = chunks;
  }
  add(text: string): Promise<void> | undefined {
    this.#parts.push(text);
    this.#size += text.length;
    return this.#size < CHUNK ? undefined : this.drain();
  }
  drain(): Promise<void> {
    const joined = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    return this.#chunks.add(joined);
  }
}

/** Renders each result with `line`, after `head`, before `tail` (told whether any result came). */
async function writeRows(
  r: ReachResult,
  io: CliIO,
  head: string,
  line: (row: Row, first: boolean) => string,
  tail: (any: boolean) => string,
): Promise<void> {
  const chunks = new Chunks(io);
  await chunks.add(head);
  const rows = new RowBuffer(chunks);
  let first = true;
  await eachResult(r, (row) => {
    const text = line(row, first);
    first = false;
    return rows.add(text);
  });
  await rows.drain();
  await chunks.add(tail(!first));
  await chunks.flush();
}

function jsonFields(r: ReachResult, peers: readonly string[], row: Row): string {
  const spec = r.specs[row.spec];
  const name =
    spec !== undefined && spec.kind === 'named'
      ? `, "portName": ${JSON.stringify(formatPortSpec(spec))}`
      : '';
  return (
    `{"from": ${peers[row.from]}, "to": ${peers[row.to]}, "port": "${row.port}"${name}, ` +
    `"allowed": ${(row.bits & CELL_ALLOWED) !== 0}, "egress": ${(row.bits & CELL_EGRESS_ALLOWS) !== 0}, ` +
    `"ingress": ${(row.bits & CELL_INGRESS_ALLOWS) !== 0}${(row.bits & CELL_UNKNOWN) !== 0 ? ', "unknown": true' : ''}}`
  );
}

/**
 * `{"ports": [...], "peers": [...], "results": [...]}`, one result per line, ordered by source, then
 * destination (peer order), then port (port order). A result carries `"unknown": true` only when the
 * verdict is unknown or conditional (partial read access, a CNI-dependent match, Cilium L7), and
 * `"portName"` when its port was given by name (`port` is then the number it is at the destination).
 */
export async function writeReachJson(r: ReachResult, io: CliIO): Promise<void> {
  const peers = r.peers.map((p) => JSON.stringify(formatPeer(p)));
  const head = `{"ports": ${JSON.stringify(r.specs.map(formatPortSpec))}, "peers": [${peers.join(', ')}], "results": [`;
  await writeRows(
    r,
    io,
    head,
    (row, first) => `${first ? '\n' : ',\n'}${jsonFields(r, peers, row)}`,
    (any) => `${any ? '\n' : ''}]}\n`,
  );
}

/** One JSON object per line, the objects of `results` in `--format json`; nothing else. */
export async function writeReachNdjson(r: ReachResult, io: CliIO): Promise<void> {
  const peers = r.peers.map((p) => JSON.stringify(formatPeer(p)));
  await writeRows(
    r,
    io,
    '',
    (row) => `${jsonFields(r, peers, row)}\n`,
    () => '',
  );
}

export const CSV_HEADER = 'from,to,port,portName,allowed,egress,ingress,unknown';

/** A header line, then one line per result (peer names and ports never need quoting). */
export async function writeReachCsv(r: ReachResult, io: CliIO): Promise<void> {
  const peers = r.peers.map(formatPeer);
  const names = r.specs.map((s) => (s.kind === 'named' ? formatPortSpec(s) : ''));
  await writeRows(
    r,
    io,
    `${CSV_HEADER}\n`,
    (row) =>
      `${peers[row.from]},${peers[row.to]},${row.port},${names[row.spec]},${(row.bits & CELL_ALLOWED) !== 0},` +
      `${(row.bits & CELL_EGRESS_ALLOWS) !== 0},${(row.bits & CELL_INGRESS_ALLOWS) !== 0},${(row.bits & CELL_UNKNOWN) !== 0}\n`,
    () => '',
  );
}

export const TABLE_LEGEND =
  '. allowed   X denied at both ends   E denied by egress at the source   I denied by ingress at the destination';

/** The one-character verdict of the table and of compact-json. */
export function mark(bits: number): string {
  if ((bits & CELL_UNKNOWN) !== 0) return '?';
  if ((bits & CELL_ALLOWED) !== 0) return '.';
  const egress = (bits & CELL_EGRESS_ALLOWS) !== 0;
  const ingress = (bits & CELL_INGRESS_ALLOWS) !== 0;
  return !egress && !ingress ? 'X' : !egress ? 'E' : 'I';
}

/**
 * `{"ports", "legend", "results", "groups": [{"peers": [...], "ports"?: {...}}], "pairs": [[from, to,
 * "marks"], ...]}`: the peers no policy tells apart are listed once, as a group; each pair line gives,
 * for sources of group `from` and destinations of group `to` (distinct peers), one mark per port as in
 * the table (` ` where a port name is not declared at the destination). Pairs with no connection are
 * left out, as are pairs where no port resolves. `results` is the number of results the row formats would give. With port names, a group
 * gives `ports`: what each name is at its pods (null when they do not declare it).
 */
export async function writeReachCompact(r: ReachResult, io: CliIO): Promise<void> {
  const g = r.grouped;
  const G = g.groupCount;
  const members: string[][] = Array.from({ length: G }, () => []);
  r.peers.forEach((p, i) => members[g.groupOf[i] ?? 0]?.push(formatPeer(p)));
  const named = r.specs.some((s) => s.kind === 'named');
  const groupText = members.map((peers, b) => {
    if (!named) return `{"peers": ${JSON.stringify(peers)}}`;
    const ports: Record<string, string | null> = {};
    r.specs.forEach((s, k) => {
      if (s.kind !== 'named') return;
      const c = r.column[k]?.[b] ?? -1;
      const probe = g.ports[c];
      ports[formatPortSpec(s)] = probe !== undefined ? formatPort(probe) : null;
    });
    return `{"peers": ${JSON.stringify(peers)}, "ports": ${JSON.stringify(ports)}}`;
  });
  const chunks = new Chunks(io);
  await chunks.add(
    `{"ports": ${JSON.stringify(r.specs.map(formatPortSpec))}, "legend": ${JSON.stringify(TABLE_LEGEND)}, ` +
      `"results": ${r.results}, "groups": [\n${groupText.join(',\n')}\n], "pairs": [`,
  );
  let first = true;
  for (let a = 0; a < G; a++) {
    const sizeA = members[a]?.length ?? 0;
    for (let b = 0; b < G; b++) {
      if ((a === b && sizeA < 2) || (r.external[a] && r.external[b])) continue;
      let marks = '';
      for (let k = 0; k < r.specs.length; k++) {
        const c = r.column[k]?.[b] ?? -1;
        marks += c < 0 ? ' ' : mark(g.cell(a, b, c));
      }
      if (marks.trim() === '') continue; // no port resolves at these destinations
      await chunks.add(`${first ? '\n' : ',\n'}[${a}, ${b}, "${marks}"]`);
      first = false;
    }
  }
  await chunks.add(`${first ? '' : '\n'}]}\n`);
  await chunks.flush();
}

/**
 * Upstream-e2e-style probe matrices, one per port: rows = from, columns = to. Peer names head the
 * columns when short; otherwise columns are numbered and rows carry the numbers.
 */
export async function writeReachTable(r: ReachResult, io: CliIO): Promise<void> {
  const names = r.peers.map(formatPeer);
  const n = names.length;
  if (n === 0) {
    await io.out('no pods in the input\n');
    return;
  }
  const g = r.grouped;
  const numbered = n > 30 || names.some((s) => s.length > 12);
  const rowLabels = numbered
    ? names.map((s, i) => `${String(i + 1).padStart(String(n).length)} ${s}`)
    : names;
  const heads = numbered ? names.map((_, i) => String(i + 1)) : names;
  const labelWidth = Math.max(...rowLabels.map((s) => s.length), 'from \\ to'.length);
  const sourceNote =
    r.portSource === 'mentioned'
      ? ' (ports the policies mention)'
      : r.portSource === 'universe'
        ? ' (no policy mentions a port: one probe per class of ports the rules treat alike)'
        : '';
  const chunks = new Chunks(io);
  await chunks.add(`${TABLE_LEGEND}\n`);
  await chunks.add(`ports: ${r.specs.map(formatPortSpec).join(', ')}${sourceNote}\n`);
  for (let k = 0; k < r.specs.length; k++) {
    const spec = r.specs[k];
    const col = r.column[k];
    if (spec === undefined || col === undefined) continue;
    let allowed = 0;
    let total = 0;
    await chunks.add(
      `\n${formatPortSpec(spec)}${spec.kind === 'named' ? ' (blank: the destination does not declare it)' : ''}\n`,
    );
    await chunks.add(`${'from \\ to'.padEnd(labelWidth)} ${heads.join(' ')}\n`);
    for (let f = 0; f < n; f++) {
      const a = g.groupOf[f] ?? 0;
      const cells: string[] = [];
      for (let t = 0; t < n; t++) {
        const b = g.groupOf[t] ?? 0;
        const c = col[b] ?? -1;
        let m: string;
        if (f === t) m = '-';
        else if ((r.external[a] && r.external[b]) || c < 0) m = ' ';
        else {
          m = mark(g.cell(a, b, c));
          total++;
          if (m === '.') allowed++;
        }
        cells.push(m.padStart((heads[t] ?? '').length));
      }
      await chunks.add(`${(rowLabels[f] ?? '').padEnd(labelWidth)} ${cells.join(' ')}\n`);
    }
    await chunks.add(`${allowed} of ${total} allowed\n`);
  }
  await chunks.flush();
}

export const REACH_WRITERS: { readonly [F in ReachFormat]: (r: ReachResult, io: CliIO) => Promise<void> } = {
  table: writeReachTable,
  json: writeReachJson,
  ndjson: writeReachNdjson,
  csv: writeReachCsv,
  'compact-json': writeReachCompact,
};
