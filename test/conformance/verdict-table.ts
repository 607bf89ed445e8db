/**
 * The harness of the CNI conformance tables (Cilium, Calico, CNI profiles): each case is a cluster
 * (the table's base objects plus the case's policies, read under a CNI profile if it names one) and
 * the verdicts it must give, checked through the library
 * (`createAnalyzer().check`) and through `netglass check --format json` with its exit code. One
 * harness, so both tables ask the same questions the same way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Peer, type Verdict } from '../../shared/eval/index.ts';
import { buildSnapshot } from '../../shared/manifest/build.ts';
import { parseManifestText } from '../../shared/manifest/parse.ts';
import type { CniProfile, Protocol, Snapshot } from '../../shared/model/snapshot.ts';

export const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'bin/netglass.js');
export const CLI_TIMEOUT = 120_000;

/** `from`, `to` (`namespace/pod` or an address), `port` (`80/TCP`) and the verdict expected. */
export type Expect = readonly [from: string, to: string, port: string, verdict: Verdict];

export interface VerdictCase {
  readonly name: string;
  /** The CNI profile the case is read under (library: the snapshot's `cni`; CLI: `--cni`). */
  readonly cni?: CniProfile;
  /** The policies (and any other objects) the case adds to the table's base cluster. */
  readonly objects: string;
  readonly expect: readonly Expect[];
}

/** `netglass check`'s exit status per verdict. */
export const EXIT: Readonly<Record<Verdict, number>> = { allowed: 0, denied: 1, unknown: 3, conditional: 3 };

export function peerOf(text: string): Peer {
  const slash = text.indexOf('/');
  if (slash < 0) return { kind: 'external', ip: text };
  return { kind: 'pod', namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

export function protocolOf(text: string | undefined): Protocol {
  return text === 'UDP' ? 'UDP' : text === 'SCTP' ? 'SCTP' : 'TCP';
}

/** The case's manifest text (base cluster, then its objects) and the snapshot read from it. */
export function snapshotOf(base: string, c: VerdictCase): { text: string; snap: Snapshot } {
  const text = `${base}---${c.objects}\n`;
  const snap = buildSnapshot([parseManifestText(text, 'cluster.yaml')], { kind: 'manifests', paths: [] });
  return { text, snap: c.cni ? { ...snap, cni: c.cni } : snap };
}

/** One `describe` per case with a library test and a CLI test, under `title`. */
export function verdictTable(title: string, base: string, cases: readonly VerdictCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      describe(c.name, () => {
        it('library', () => {
          const { snap } = snapshotOf(base, c);
          expect(snap.issues.filter((i) => i.severity === 'error')).toEqual([]);
          const analyzer = createAnalyzer(snap);
          const got = c.expect.map(([from, to, port]) => {
            const [num, protocol] = port.split('/');
            const v = analyzer.check({
              from: peerOf(from),
              to: peerOf(to),
              port: Number(num),
              protocol: protocolOf(protocol),
            });
            return [from, to, port, v.verdict];
          });
          expect(got).toEqual(c.expect.map((e) => [...e]));
        });

        it('CLI', { timeout: CLI_TIMEOUT * 2 }, async () => {
          const { text } = snapshotOf(base, c);
          const dir = mkdtempSync(path.join(tmpdir(), 'netglass-table-'));
          const file = path.join(dir, 'cluster.yaml');
          writeFileSync(file, text);
          for (const [from, to, port, verdict] of c.expect) {
            const args = [CLI, 'check', '--manifests', file, '--from', from, '--to', to, '--port', port];
            if (c.cni) args.push('--cni', c.cni.cni);
            const modes = c.cni?.ciliumCidrMatch ?? [];
            if (modes.length > 0) args.push('--cilium-cidr-match-mode', modes.join(','));
            args.push('--format', 'json');
            const result = await run(process.execPath, args, { timeout: CLI_TIMEOUT }).then(
              (r) => ({ code: 0, stdout: r.stdout }),
              (e: { code?: number; stdout?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '' }),
            );
            const parsed = JSON.parse(result.stdout) as { verdict: string };
            expect([from, to, port, parsed.verdict, result.code]).toEqual([
              from,
              to,
              port,
              verdict,
              EXIT[verdict],
            ]);
          }
        });
      });
    }
  });
}
