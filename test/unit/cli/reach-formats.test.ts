/**
 * `netglass reach` output formats and named ports: ndjson, csv and compact-json carry exactly the
 * results of `--format json` (compact-json expanded back to rows), named ports resolve per destination
 * pod and agree with `check` on the number, and the output streams in bounded chunks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { computeReach, hugeNote } from '../../../electron/cli/commands/reach.ts';
import { CSV_HEADER } from '../../../electron/cli/format/reach.ts';
import type { CliIO } from '../../../electron/cli/io.ts';
import { runCli } from '../../../electron/cli/main.ts';
import { parsePortSpec } from '../../../electron/cli/targets.ts';
import { resolveNamedPort } from '../../../shared/eval/named-ports.ts';
import { cli } from './run-cli.ts';

let dir: string;

interface JsonRow {
  from: string;
  to: string;
  port: string;
  portName?: string;
  allowed: boolean;
  egress: boolean;
  ingress: boolean;
  unknown?: boolean;
}
interface ReachJson {
  ports: string[];
  peers: string[];
  results: JsonRow[];
}
interface CompactJson {
  ports: string[];
  results: number;
  groups: { peers: string[]; ports?: Record<string, string | null> }[];
  pairs: [number, number, string][];
}

const NAMED = `apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {ns: x}}
---
apiVersion: v1
kind: Namespace
metadata: {name: "y", labels: {ns: "y"}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
spec: {containers: [{name: c, ports: [{containerPort: 80, name: http}, {containerPort: 53, name: dns, protocol: UDP}]}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
status: {podIP: 10.0.1.2}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: "y", labels: {app: c}}
status: {podIP: 10.0.2.1}
---
apiVersion: v1
kind: Pod
metadata: {name: twice, namespace: "y", labels: {app: twice}}
spec:
  containers:
  - {name: one, ports: [{containerPort: 81, name: web}]}
  - {name: two, ports: [{containerPort: 80, name: web}]}
status: {podIP: 10.0.2.2}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: http-from-x, namespace: x}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {ns: x}}}]
    ports: [{port: http}]
`;

/** Pods in 3 namespaces, 4 labels, a few policies: enough rows to span several output chunks. */
function generated(pods: number): string {
  const docs: string[] = [];
  for (const ns of ['a', 'b', 'c']) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${ns}}}`);
  }
  for (let i = 0; i < pods; i++) {
    const ns = ['a', 'b', 'c'][i % 3] ?? 'a';
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${ns}, labels: {role: r${i % 4}}}\n` +
        `spec: {containers: [{name: c, ports: [{containerPort: ${i % 2 === 0 ? 80 : 8080}, name: http}]}]}\n` +
        `status: {podIP: 10.1.${Math.floor(i / 250)}.${(i % 250) + 1}}`,
    );
  }
  docs.push(
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: r0, namespace: a}\n' +
      'spec:\n  podSelector: {matchLabels: {role: r0}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {role: r1}}}]\n    ports: [{port: 80}]',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: eg, namespace: b}\n' +
      'spec:\n  podSelector: {matchLabels: {role: r2}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{namespaceSelector: {matchLabels: {team: c}}}]',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: named, namespace: c}\n' +
      'spec:\n  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.1.0.0/24}}]\n    ports: [{port: http}]',
  );
  return `${docs.join('\n---\n')}\n`;
}

function rowKey(r: JsonRow): string {
  return `${r.from}>${r.to}@${r.port}`;
}

function markOf(r: JsonRow): string {
  if (r.unknown) return '?';
  if (r.allowed) return '.';
  return !r.egress && !r.ingress ? 'X' : !r.egress ? 'E' : 'I';
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-reach-'));
  writeFileSync(join(dir, 'named.yaml'), NAMED);
  writeFileSync(join(dir, 'generated.yaml'), generated(120));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('row formats carry the results of --format json', () => {
  const cases: [string, string[]][] = [
    ['numeric ports and an address', ['--port', '80', '--port', '53/UDP', '--ip', '10.1.0.7']],
    ['a named port', ['--port', 'http']],
    ['the ports the policies mention', []],
  ];
  for (const [name, extra] of cases) {
    it(name, async () => {
      const args = ['reach', '-f', join(dir, 'generated.yaml'), ...extra];
      const json = JSON.parse((await cli(...args, '--format', 'json')).out) as ReachJson;
      expect(json.results.length).toBeGreaterThan(10_000);

      const nd = await cli(...args, '--format', 'ndjson');
      expect(nd.code).toBe(0);
      const ndRows = nd.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as JsonRow);
      expect(ndRows).toEqual(json.results);

      const csv = (await cli(...args, '--format', 'csv')).out.trimEnd().split('\n');
      expect(csv[0]).toBe(CSV_HEADER);
      expect(csv.length - 1).toBe(json.results.length);
      const csvRows = csv.slice(1).map((line): JsonRow => {
        const [from, to, port, portName, allowed, egress, ingress, unknown] = line.split(',');
        return {
          from: from ?? '',
          to: to ?? '',
          port: port ?? '',
          ...(portName ? { portName } : {}),
          allowed: allowed === 'true',
          egress: egress === 'true',
          ingress: ingress === 'true',
          ...(unknown === 'true' ? { unknown: true } : {}),
        };
      });
      expect(csvRows).toEqual(json.results);

      // compact-json, expanded back: every member of `from` to every other member of `to`.
      const compact = JSON.parse((await cli(...args, '--format', 'compact-json')).out) as CompactJson;
      expect(compact.results).toBe(json.results.length);
      expect(compact.ports).toEqual(json.ports);
      const grouped = compact.groups.flatMap((g) => g.peers);
      expect([...grouped].sort()).toEqual([...json.peers].sort());
      expect(compact.groups.length).toBeLessThan(json.peers.length / 4);
      const byKey = new Map(json.results.map((r) => [rowKey(r), r] as const));
      let expanded = 0;
      for (const [a, b, marks] of compact.pairs) {
        const ga = compact.groups[a];
        const gb = compact.groups[b];
        if (!ga || !gb) throw new Error('pair names a missing group');
        for (const from of ga.peers) {
          for (const to of gb.peers) {
            if (from === to) continue;
            [...marks].forEach((m, k) => {
              if (m === ' ') return;
              const spec = json.ports[k] ?? '';
              const port = gb.ports?.[spec] ?? spec;
              const row = byKey.get(`${from}>${to}@${port}`);
              expect(row, `${from} -> ${to} on ${port}`).toBeDefined();
              if (row) expect(markOf(row)).toBe(m);
              expanded++;
            });
          }
        }
      }
      expect(expanded).toBe(json.results.length);
    });
  }

  it('hands the output over in bounded chunks, waiting for each', async () => {
    const sizes: number[] = [];
    let waiting = false;
    const io: CliIO = {
      out: async (text) => {
        expect(waiting).toBe(false); // never written to while the last write is pending
        waiting = true;
        sizes.push(text.length);
        await new Promise((r) => setTimeout(r, 1));
        waiting = false;
      },
      err: () => undefined,
    };
    const code = await runCli(
      ['reach', '-f', join(dir, 'generated.yaml'), '--port', '80', '--port', '81', '--format', 'ndjson'],
      io,
    );
    expect(code).toBe(0);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThan(2 << 20);
  });
});

describe('named ports', () => {
  it('parses names and numbers', () => {
    expect(parsePortSpec('http')).toEqual({ kind: 'named', name: 'http' });
    expect(parsePortSpec('dns/udp')).toEqual({ kind: 'named', name: 'dns', protocol: 'UDP' });
    expect(parsePortSpec('80')).toEqual({ kind: 'number', probe: { port: 80, protocol: 'TCP' } });
    expect(() => parsePortSpec('-web')).toThrow(/container port name/);
    expect(() => parsePortSpec('web--x')).toThrow(/container port name/);
    expect(() => parsePortSpec('1234567890123456')).toThrow(/between 1 and 65535/);
  });

  it('resolve on the pod as policies do: by name, and protocol when given', () => {
    const pod = {
      ports: [
        { name: 'http', containerPort: 8080, protocol: 'TCP' as const },
        { name: 'dns', containerPort: 53, protocol: 'UDP' as const },
        { containerPort: 9000, protocol: 'TCP' as const },
      ],
    };
    expect(resolveNamedPort(pod, { name: 'http' })).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(resolveNamedPort(pod, { name: 'dns' })).toEqual([{ port: 53, protocol: 'UDP' }]);
    expect(resolveNamedPort(pod, { name: 'dns', protocol: 'TCP' })).toEqual([]);
    expect(resolveNamedPort(pod, { name: 'grpc' })).toEqual([]);
  });

  it('reach resolves a name per destination and leaves out destinations without it', async () => {
    const r = await cli('reach', '-f', join(dir, 'named.yaml'), '--port', 'http', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as ReachJson;
    expect(json.ports).toEqual(['http']);
    const rows = json.results.map((x) => `${x.from}>${x.to}@${x.port}:${x.allowed}`);
    expect(rows).toEqual([
      'x/a>x/b@8080/TCP:true',
      'x/b>x/a@80/TCP:true',
      'y/c>x/a@80/TCP:false',
      'y/c>x/b@8080/TCP:false',
      'y/twice>x/a@80/TCP:false',
      'y/twice>x/b@8080/TCP:false',
    ]);
    expect(json.results.every((x) => x.portName === 'http')).toBe(true);
    // The same verdicts as asking `check` with the number.
    for (const x of json.results) {
      const c = await cli(
        'check',
        '-f',
        join(dir, 'named.yaml'),
        '--from',
        x.from,
        '--to',
        x.to,
        '--port',
        x.port,
      );
      expect(c.code === 0, `${x.from} -> ${x.to}`).toBe(x.allowed);
    }
    const udp = JSON.parse(
      (await cli('reach', '-f', join(dir, 'named.yaml'), '--port', 'dns/UDP', '--format', 'json')).out,
    ) as ReachJson;
    expect(udp.results.map((x) => `${x.to}@${x.port}`)).toEqual(['x/a@53/UDP', 'x/a@53/UDP', 'x/a@53/UDP']);
    // A pod whose containers repeat a name is asked about its lowest port.
    const web = JSON.parse(
      (await cli('reach', '-f', join(dir, 'named.yaml'), '--port', 'web', '--format', 'json')).out,
    ) as ReachJson;
    expect(new Set(web.results.map((x) => `${x.to}@${x.port}`))).toEqual(new Set(['y/twice@80/TCP']));
  });

  it('check resolves the name on the destination, or says why it cannot', async () => {
    const f = join(dir, 'named.yaml');
    const ok = await cli('check', '-f', f, '--from', 'x/a', '--to', 'x/b', '--port', 'http');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^x\/a -> x\/b on 8080\/TCP \(http\): ALLOWED/);
    const json = JSON.parse(
      (await cli('check', '-f', f, '--from', 'y/c', '--to', 'x/a', '--port', 'http', '-o', 'json')).out,
    ) as { port: string; portName: string; verdict: string };
    expect(json).toMatchObject({ port: '80/TCP', portName: 'http', verdict: 'denied' });
    const none = await cli('check', '-f', f, '--from', 'x/a', '--to', 'y/c', '--port', 'http');
    expect(none.code).toBe(2);
    expect(none.err).toContain('y/c declares no container port named http (it declares no named ports)');
    const other = await cli('check', '-f', f, '--from', 'x/b', '--to', 'x/a', '--port', 'grpc');
    expect(other.err).toContain('x/a declares no container port named grpc (it declares dns/UDP, http/TCP)');
    const ip = await cli('check', '-f', f, '--from', 'x/a', '--to', '10.9.9.9', '--port', 'http');
    expect(ip.code).toBe(2);
    expect(ip.err).toContain('only a destination pod can resolve');
    const twice = await cli('check', '-f', f, '--from', 'x/a', '--to', 'y/twice', '--port', 'web');
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('declares web on several ports (80/TCP, 81/TCP); give the number');
  });
});

describe('huge tables', () => {
  it('say what is coming, suggesting only the narrowing not yet used', async () => {
    const snapshot = await loadManifests([join(dir, 'generated.yaml')]);
    const result = computeReach(snapshot, [parsePortSpec('80')], [], []);
    expect(result.results).toBe(120 * 119);
    const withPort = hugeNote(result, true, false);
    expect(withPort).toContain('streaming 14,280 results (120 pods, 1 port)');
    expect(withPort).toContain('--format compact-json');
    expect(withPort).toContain('--namespace');
    expect(withPort).not.toContain('--port');
    expect(hugeNote(result, false, true)).toContain('--port');
    expect(hugeNote(result, false, true)).not.toContain('--namespace');
  });
});
