/**
 * The `expected.txt` format of the conformance fixtures (test/conformance/README.md): parsing, and
 * rendering grids back for failure messages.
 *
 *   # one-line description: what the case proves, which upstream test it mirrors
 *   #   optional further comment lines
 *   ports: 80/TCP 81/UDP
 *   ips: 192.0.2.10                      (optional: external addresses, probed as peers)
 *
 *   grid 80/TCP 81/UDP                   (one or more ports sharing this grid)
 *   from\to     x/a  x/b  192.0.2.10
 *   x/a         -    I    .
 *   x/b         .    -    E
 *   192.0.2.10  B    .    -
 *
 * Cells: `.` allowed (both sides allow), `E` the source's egress denies (the destination's ingress
 * allows), `I` the destination's ingress denies (the source's egress allows), `B` both deny, `-` no
 * probe (a peer to itself, external to external).
 */
import type { Protocol } from '../../shared/model/snapshot.ts';

export type Cell = '.' | 'E' | 'I' | 'B';

export interface Probe {
  readonly port: number;
  readonly protocol: Protocol;
  /** `80/TCP` */
  readonly text: string;
}

export interface Expectation {
  readonly description: string;
  readonly ports: readonly Probe[];
  readonly ips: readonly string[];
  /** Grid order: pods (`namespace/name`) and external addresses as the grids list them. */
  readonly peers: readonly string[];
  readonly pods: readonly string[];
  /** `cells.get(port text)?.get(from)?.get(to)`; only probed pairs are present. */
  readonly cells: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, Cell>>>;
}

export interface SideVerdicts {
  readonly allowed: boolean;
  readonly egress: boolean;
  readonly ingress: boolean;
}

export function cellOf(v: { readonly egress: boolean; readonly ingress: boolean }): Cell {
  if (v.egress && v.ingress) return '.';
  if (!v.egress && !v.ingress) return 'B';
  return v.egress ? 'I' : 'E';
}

export function sidesOf(cell: Cell): SideVerdicts {
  const egress = cell === '.' || cell === 'I';
  const ingress = cell === '.' || cell === 'E';
  return { allowed: egress && ingress, egress, ingress };
}

export const CELL_MEANING: Readonly<Record<Cell | '-', string>> = {
  '.': 'allowed',
  E: 'egress side denies',
  I: 'ingress side denies',
  B: 'both sides deny',
  '-': 'no probe',
};

const PROTOCOLS = new Set<string>(['TCP', 'UDP', 'SCTP']);

export function parseProbe(text: string): Probe {
  const m = /^(\d{1,5})\/([A-Z]+)$/.exec(text);
  const port = m ? Number(m[1]) : NaN;
  if (!m || !PROTOCOLS.has(m[2]!) || port < 1 || port > 65535) {
    throw new Error(`bad port ${JSON.stringify(text)}: expected <1-65535>/<TCP|UDP|SCTP>, e.g. 80/TCP`);
  }
  return { port, protocol: m[2] as Protocol, text };
}

export function isPod(peer: string): boolean {
  return peer.includes('/');
}

/** Whether a (from, to) pair is probed: distinct peers, at least one of them a pod. */
export function probed(from: string, to: string): boolean {
  return from !== to && (isPod(from) || isPod(to));
}

/** Parses an expected.txt; throws an Error naming the line for anything malformed or incomplete. */
export function parseExpected(text: string, file = 'expected.txt'): Expectation {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, message: string): never => {
    throw new Error(`${file}:${line + 1}: ${message}`);
  };
  const first = lines[0] ?? '';
  if (!first.startsWith('# ') || first.trim().length < 10)
    fail(0, 'the first line must be "# <what this case proves>"');
  const description = first.slice(2).trim();

  let ports: Probe[] | undefined;
  let ips: string[] = [];
  let peers: string[] | undefined;
  const cells = new Map<string, Map<string, Map<string, Cell>>>();

  let i = 1;
  while (i < lines.length) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const [keyword, ...rest] = line.split(/\s+/);
    if (keyword === 'ports:') {
      if (ports) fail(i, 'ports: given twice');
      if (rest.length === 0) fail(i, 'ports: needs at least one port');
      ports = rest.map((r) => {
        try {
          return parseProbe(r);
        } catch (e) {
          return fail(i, (e as Error).message);
        }
      });
      if (new Set(rest).size !== rest.length) fail(i, 'ports: lists a port twice');
      i++;
    } else if (keyword === 'ips:') {
      ips = rest;
      if (new Set(rest).size !== rest.length) fail(i, 'ips: lists an address twice');
      for (const ip of rest) if (isPod(ip)) fail(i, `ips: ${ip} is not an address`);
      i++;
    } else if (keyword === 'grid') {
      if (!ports) fail(i, 'grid before ports:');
      const gridLine = i;
      const gridPorts = rest;
      if (gridPorts.length === 0) fail(i, 'grid needs the port(s) it describes');
      for (const p of gridPorts) {
        if (!ports!.some((q) => q.text === p)) fail(i, `grid port ${p} is not in ports:`);
        if (cells.has(p)) fail(i, `port ${p} has two grids`);
      }
      i++;
      const header = (lines[i] ?? '').trim().split(/\s+/);
      if (header.length < 2) fail(i, 'a grid starts with a header row: from\\to <peer> <peer> ...');
      const columns = header.slice(1);
      if (new Set(columns).size !== columns.length) fail(i, 'a grid column appears twice');
      if (peers && columns.join(' ') !== peers.join(' '))
        fail(i, 'every grid must list the same peers in the same order');
      peers = columns;
      i++;
      const rows = new Map<string, Map<string, Cell>>();
      while (i < lines.length && lines[i]!.trim() !== '' && !lines[i]!.trim().startsWith('grid')) {
        const [from, ...row] = lines[i]!.trim().split(/\s+/);
        if (!from || !columns.includes(from)) fail(i, `row ${from ?? ''} is not a column peer`);
        if (rows.has(from!)) fail(i, `row ${from!} given twice`);
        if (row.length !== columns.length)
          fail(i, `row ${from!} has ${row.length} cells for ${columns.length} columns`);
        const byTo = new Map<string, Cell>();
        row.forEach((c, j) => {
          const to = columns[j]!;
          if (!probed(from!, to)) {
            if (c !== '-') fail(i, `${from!} -> ${to} is not probed and must be '-', found '${c}'`);
            return;
          }
          if (c !== '.' && c !== 'E' && c !== 'I' && c !== 'B') {
            fail(i, `${from!} -> ${to}: cell '${c}' is not one of . E I B`);
          }
          byTo.set(to, c as Cell);
        });
        rows.set(from!, byTo);
        i++;
      }
      for (const c of columns)
        if (!rows.has(c)) fail(gridLine, `grid ${gridPorts.join(' ')} has no row for ${c}`);
      for (const p of gridPorts) cells.set(p, rows);
    } else {
      fail(i, `unexpected line ${JSON.stringify(line)}`);
    }
  }
  if (!ports) return fail(lines.length - 1, 'no ports: line');
  for (const p of ports) if (!cells.has(p.text)) fail(lines.length - 1, `port ${p.text} has no grid`);
  const gridPeers = peers ?? [];
  const gridExternals = gridPeers.filter((p) => !isPod(p));
  if (gridExternals.length !== ips.length || gridExternals.some((e) => !ips.includes(e))) {
    fail(
      lines.length - 1,
      `the grids' external peers (${gridExternals.join(' ') || 'none'}) must be exactly ips: (${ips.join(' ') || 'none'})`,
    );
  }
  return { description, ports, ips, peers: gridPeers, pods: gridPeers.filter(isPod), cells };
}

/** Renders a grid for messages. `cell(from, to)` gives the cell of a probed pair. */
export function renderGrid(peers: readonly string[], cell: (from: string, to: string) => string): string[] {
  const corner = 'from\\to';
  const w0 = Math.max(corner.length, ...peers.map((p) => p.length));
  const out = [[corner.padEnd(w0), ...peers].join('  ')];
  for (const from of peers) {
    out.push(
      [from.padEnd(w0), ...peers.map((to) => (probed(from, to) ? cell(from, to) : '-').padEnd(to.length))]
        .join('  ')
        .trimEnd(),
    );
  }
  return out;
}

/**
 * A readable report of the differences between the expected cells and the actual ones (same keys):
 * one line per differing probe, then, per differing port, the expected and actual grids side by side,
 * the differing cells starred in the actual one.
 */
export function diffReport(
  expected: Expectation,
  actual: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, Cell>>>,
): string | undefined {
  const lines: string[] = [];
  const grids: string[] = [];
  let differing = 0;
  let total = 0;
  for (const probe of expected.ports) {
    const exp = expected.cells.get(probe.text)!;
    const act = actual.get(probe.text);
    const bad = new Set<string>();
    for (const from of expected.peers)
      for (const to of expected.peers) {
        if (!probed(from, to)) continue;
        total++;
        const e = exp.get(from)?.get(to);
        const a = act?.get(from)?.get(to);
        if (e === a) continue;
        differing++;
        bad.add(`${from}\u0000${to}`);
        lines.push(
          `  ${probe.text}  ${from} -> ${to}: expected ${e ?? '?'} (${e ? CELL_MEANING[e] : 'missing'}), got ${a ?? '?'} (${a ? CELL_MEANING[a] : 'missing'})`,
        );
      }
    if (bad.size === 0) continue;
    const left = renderGrid(expected.peers, (f, t) => exp.get(f)?.get(t) ?? '?');
    const right = renderGrid(
      expected.peers,
      (f, t) => `${act?.get(f)?.get(t) ?? '?'}${bad.has(`${f}\u0000${t}`) ? '*' : ''}`,
    );
    const width = Math.max(...left.map((l) => l.length));
    grids.push('', `grid ${probe.text}: expected (left) | actual (right, * = differs)`);
    left.forEach((l, k) => grids.push(`${l.padEnd(width)}  |  ${right[k]!}`.trimEnd()));
  }
  if (differing === 0) return undefined;
  return [
    `${differing} of ${total} probes differ (cells: . allowed, E egress denies, I ingress denies, B both deny):`,
    ...lines,
    ...grids,
  ].join('\n');
}
