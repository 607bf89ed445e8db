/** Rendering of `netglass reach` results. */
import type { ReachResult } from '../commands/reach.ts';
import type { CliIO } from '../io.ts';
import { formatPeer, formatPort } from '../targets.ts';

/**
 * `{"ports": [...], "peers": [...], "results": [...]}`, one result per line, ordered by source, then
 * destination (peer order), then port (port order). A result carries `"unknown": true` only when the
 * verdict is unknown (live sources with partial read access).
 */
export async function writeReachJson(r: ReachResult, io: CliIO): Promise<void> {
  const peers = r.peers.map(formatPeer);
  const ports = r.ports.map(formatPort);
  await io.out(`{"ports": ${JSON.stringify(ports)}, "peers": ${JSON.stringify(peers)}, "results": [`);
  let first = true;
  let buf = '';
  for (let f = 0; f < peers.length; f++) {
    for (let t = 0; t < peers.length; t++) {
      if (f === t) continue;
      if (r.peers[f]?.kind === 'external' && r.peers[t]?.kind === 'external') continue;
      const prefix = `{"from": ${JSON.stringify(peers[f])}, "to": ${JSON.stringify(peers[t])}, "port": `;
      for (let p = 0; p < ports.length; p++) {
        const c = r.table.cell(f, t, p);
        buf += `${first ? '\n' : ',\n'}${prefix}${JSON.stringify(ports[p])}, "allowed": ${c.allowed}, "egress": ${c.egress}, "ingress": ${c.ingress}${c.unknown ? ', "unknown": true' : ''}}`;
        first = false;
      }
      if (buf.length > 1 << 20) {
        await io.out(buf);
        buf = '';
      }
    }
  }
  await io.out(`${buf}${first ? '' : '\n'}]}\n`);
}

export const TABLE_LEGEND =
  '. allowed   X denied at both ends   E denied by egress at the source   I denied by ingress at the destination';

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
        ? ' (no policy mentions a port: one probe per class of ports the policies treat alike)'
        : '';
  await io.out(`${TABLE_LEGEND}\n`);
  await io.out(`ports: ${r.ports.map(formatPort).join(', ')}${sourceNote}\n`);
  for (let p = 0; p < r.ports.length; p++) {
    const port = r.ports[p];
    if (!port) continue;
    let allowed = 0;
    let total = 0;
    let out = '';
    out += `\n${formatPort(port)}\n`;
    out += `${'from \\ to'.padEnd(labelWidth)} ${heads.join(' ')}\n`;
    for (let f = 0; f < n; f++) {
      const cells: string[] = [];
      for (let t = 0; t < n; t++) {
        let mark: string;
        if (f === t) mark = '-';
        else if (r.peers[f]?.kind === 'external' && r.peers[t]?.kind === 'external') mark = ' ';
        else {
          const c = r.table.cell(f, t, p);
          total++;
          if (c.unknown) mark = '?';
          else if (c.allowed) {
            mark = '.';
            allowed++;
          } else if (!c.egress && !c.ingress) mark = 'X';
          else if (!c.egress) mark = 'E';
          else mark = 'I';
        }
        cells.push(mark.padStart((heads[t] ?? '').length));
      }
      out += `${(rowLabels[f] ?? '').padEnd(labelWidth)} ${cells.join(' ')}\n`;
    }
    out += `${allowed} of ${total} allowed\n`;
    await io.out(out);
  }
}
