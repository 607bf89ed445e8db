import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

/** Spawning Node and type-stripping the CLI takes seconds on a loaded machine. */
const PROCESS_TIMEOUT = 60_000;
const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'netglass.js');
let dir: string;

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {ns: x}}
---
apiVersion: v1
kind: Namespace
metadata: {name: "y", labels: {ns: "y"}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec: {containers: [{name: c, ports: [{containerPort: 80, name: serve-80-tcp}]}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {pod: b}}
status: {podIP: 10.0.1.2}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: "y", labels: {pod: a}}
status: {podIP: 10.0.2.1}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-x-to-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {ns: x}}}]
    ports: [{port: serve-80-tcp}]
`;

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-cli-'));
  file('cluster.yaml', CLUSTER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reach', () => {
  it('prints every ordered pair with at least one pod, per port, as JSON', async () => {
    const r = await cli(
      'reach',
      '--manifests',
      join(dir, 'cluster.yaml'),
      '--port',
      '80',
      '--port',
      '81/udp',
      '--ip',
      '8.8.8.8',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out) as { ports: string[]; peers: string[]; results: Record<string, unknown>[] };
    expect(Object.keys(j)).toEqual(['ports', 'peers', 'results']);
    expect(j.ports).toEqual(['80/TCP', '81/UDP']);
    expect(j.peers).toEqual(['x/a', 'x/b', 'y/a', '8.8.8.8']);
    expect(j.results).toHaveLength(4 * 3 * 2); // 12 ordered pairs, none external→external here
    expect(j.results[0]).toEqual({
      from: 'x/a',
      to: 'x/b',
      port: '80/TCP',
      allowed: true,
      egress: true,
      ingress: true,
    });
    const ya = j.results.find((x) => x['from'] === 'y/a' && x['to'] === 'x/a' && x['port'] === '80/TCP');
    expect(ya).toEqual({
      from: 'y/a',
      to: 'x/a',
      port: '80/TCP',
      allowed: false,
      egress: true,
      ingress: false,
    });
    const ext = j.results.find((x) => x['from'] === '8.8.8.8' && x['to'] === 'x/a' && x['port'] === '80/TCP');
    expect(ext).toMatchObject({ allowed: false, egress: true, ingress: false });
  });

  it('defaults to the ports the policies mention, and prints a table', async () => {
    const r = await cli('reach', '-f', join(dir, 'cluster.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('ports: 80/TCP (ports the policies mention)');
    expect(r.out).toMatch(
      /from \\ to x\/a x\/b y\/a\nx\/a\s+-\s+\.\s+\.\nx\/b\s+\.\s+-\s+\.\ny\/a\s+I\s+\.\s+-\n/,
    );
    expect(r.out).toContain('5 of 6 allowed');
  });

  it('--namespace keeps the pods of those namespaces; an unknown one is bad input', async () => {
    const r = await cli(
      'reach',
      '-f',
      join(dir, 'cluster.yaml'),
      '-n',
      'y',
      '--port',
      '80',
      '--ip',
      '1.2.3.4',
      '-o',
      'json',
    );
    expect((JSON.parse(r.out) as { peers: string[] }).peers).toEqual(['y/a', '1.2.3.4']);
    const bad = await cli('reach', '-f', join(dir, 'cluster.yaml'), '-n', 'yy');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown namespace yy (did you mean y?)');
  });

  it('takes several paths after one --manifests', async () => {
    const extra = file('extra.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: "y"}\n');
    const r = await cli(
      'reach',
      '--manifests',
      join(dir, 'cluster.yaml'),
      extra,
      '--format',
      'json',
      '--port',
      '80',
    );
    expect((JSON.parse(r.out) as { peers: string[] }).peers).toEqual(['x/a', 'x/b', 'y/a', 'y/c']);
  });
});

describe('check', () => {
  it('explains an allowed connection (exit 0)', async () => {
    const r = await cli(
      'check',
      '-f',
      join(dir, 'cluster.yaml'),
      '--from',
      'x/b',
      '--to',
      'x/a',
      '--port',
      '80',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('x/b -> x/a on 80/TCP: ALLOWED');
    expect(r.out).toContain('x/allow-x-to-a ingress[0] (from[0], ports[0])');
  });

  it('explains a denied connection (exit 1), in JSON too', async () => {
    const r = await cli(
      'check',
      '-f',
      join(dir, 'cluster.yaml'),
      '--from',
      'y/a',
      '--to',
      'x/a',
      '--port',
      '80/TCP',
      '--format',
      'json',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j).toMatchObject({ from: 'y/a', to: 'x/a', port: '80/TCP', verdict: 'denied', allowed: false });
    expect(j['egress']).toEqual({ allows: true, kind: 'not-isolated' });
    expect(j['ingress']).toEqual({ allows: false, kind: 'denied', policies: ['x/allow-x-to-a'] });
  });

  it('accepts an IP address as one end', async () => {
    const r = await cli(
      'check',
      '-f',
      join(dir, 'cluster.yaml'),
      '--from',
      'x/a',
      '--to',
      '1.1.1.1',
      '--port',
      '443',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('1.1.1.1 is an address outside the cluster');
  });

  it('an unknown pod is bad input with a suggestion', async () => {
    const r = await cli(
      'check',
      '-f',
      join(dir, 'cluster.yaml'),
      '--from',
      'x/bb',
      '--to',
      'x/a',
      '--port',
      '80',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown pod x/bb for --from (did you mean x/b?)');
    const r2 = await cli(
      'check',
      '-f',
      join(dir, 'cluster.yaml'),
      '--from',
      'b',
      '--to',
      'x/a',
      '--port',
      '80',
    );
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('(did you mean x/b?)');
  });
});

describe('analyze and policy', () => {
  it('analyze: counts, isolation, matrix, pairs, timings', async () => {
    const r = await cli('analyze', '-f', join(dir, 'cluster.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pods\s+3/);
    expect(r.out).toMatch(/ingress\s+1\s+33%/);
    expect(r.out).toContain('namespace reachability');
    expect(r.out).toMatch(/timings: load \d+ ms .*analysis \d+ ms/);
    const j = JSON.parse((await cli('analyze', '-f', join(dir, 'cluster.yaml'), '-o', 'json')).out) as Record<
      string,
      unknown
    >;
    expect(j['counts']).toMatchObject({ pods: 3, namespaces: 2, policies: 1 });
    expect(j['namespaces']).toEqual(['x', 'y']);
    expect(j['matrix']).toEqual([
      ['some', 'all'],
      ['some', 'empty'],
    ]);
  });

  it('policy: selects, isolates, permitted/denied; the key may follow --manifests', async () => {
    const r = await cli('policy', '--manifests', join(dir, 'cluster.yaml'), 'x/allow-x-to-a');
    expect(r.code).toBe(0);
    expect(r.out).toContain('selects 1 pod: x/a');
    expect(r.out).toContain('isolates: ingress');
    expect(r.out).toContain('x/b -> x/a 80/TCP');
    const j = JSON.parse(
      (await cli('policy', 'x/allow-x-to-a', '-f', join(dir, 'cluster.yaml'), '--format', 'json')).out,
    ) as Record<string, unknown>;
    expect(j).toMatchObject({
      policy: 'x/allow-x-to-a',
      selects: ['x/a'],
      isolates: { ingress: true, egress: false },
    });
    expect(j['permittedFlowing']).toContainEqual({ from: 'x/b', to: 'x/a', port: '80/TCP' });
  });

  it('an unknown policy is bad input with a suggestion', async () => {
    const r = await cli('policy', '-f', join(dir, 'cluster.yaml'), 'x/allow-x-to-b');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown policy x/allow-x-to-b (did you mean x/allow-x-to-a?)');
  });
});

describe('bad flags', () => {
  const cases: [string[], RegExp][] = [
    [['reach'], /no input: give --manifests/],
    [['reach', '--manifests'], /--manifests needs a value/],
    [['reach', '-f', 'x', '--prot', '80'], /unknown option --prot/],
    [['reach', '-f', 'x', '--port', '80/ICMP'], /unknown protocol ICMP/],
    [['reach', '-f', 'x', '--port', '0'], /between 1 and 65535/],
    [
      ['reach', '-f', 'x', '--port', 'Http_1'],
      /expected <number>\[\/TCP\|UDP\|SCTP\] or a container port name/,
    ],
    [['reach', '-f', 'x', '--port', 'a-very-long-port-name'], /or a container port name/],
    [['reach', '-f', 'x', '--format', 'yaml'], /--format must be one of table, json/],
    [['reach', '-f', 'x', '--ip', '10.0.0.300'], /invalid --ip "10.0.0.300"/],
    [['check', '-f', 'x', '--to', 'x/a', '--port', '80'], /--from is required/],
    [
      ['check', '-f', 'x', '--from', 'x/a', '--to', 'x/b', '--port', '80', '--port', '81'],
      /--port may be given only once/,
    ],
    [['policy', '-f', 'x'], /which policy\?/],
    [['reahc'], /unknown command "reahc" \(did you mean reach\?\)/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    });
  }

  it('--help for each command', async () => {
    for (const c of ['reach', 'check', 'analyze', 'policy']) {
      const r = await cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`usage: netglass ${c}`);
      expect(r.out).toContain('--manifests');
    }
    expect((await cli('--help')).out).toContain('commands:');
  });
});

describe('bad input: exit 2, one line per error as file:line:col: field: message', () => {
  const NP =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: x}\nspec:\n';
  const cases: [string, string, string][] = [
    [
      'malformed.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n',
      'malformed.yaml:4:1: malformed YAML: ',
    ],
    ['malformed.json', '{"apiVersion": "v1",\n "kind": }', 'malformed.json:2:10: malformed JSON: '],
    ['list.yaml', '- a\n', 'list.yaml:1:1: a manifest document must be a mapping'],
    ['nokind.yaml', 'apiVersion: v1\nmetadata: {name: a}\n', 'nokind.yaml:1:1: kind: kind is missing'],
    [
      'noname.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {}\n',
      'noname.yaml:3:11: metadata.name: metadata.name is missing',
    ],
    ['type.yaml', `${NP}  podSelector: "app=web"\n`, 'type.yaml:5:16: spec.podSelector: must be a mapping'],
    [
      'op.yaml',
      `${NP}  podSelector: {matchExpressions: [{key: a, operator: in, values: [b]}]}\n`,
      'op.yaml:5:55: spec.podSelector.matchExpressions[0].operator: "in" is not a valid selector operator (did you mean In?)',
    ],
    [
      'novalues.yaml',
      `${NP}  podSelector: {matchExpressions: [{key: a, operator: In}]}\n`,
      'novalues.yaml:5:36: spec.podSelector.matchExpressions[0].values: must be a non-empty list when operator is In',
    ],
    [
      'exists.yaml',
      `${NP}  podSelector: {matchExpressions: [{key: a, operator: Exists, values: [b]}]}\n`,
      'exists.yaml:5:71: spec.podSelector.matchExpressions[0].values: must be empty when operator is Exists',
    ],
    [
      'cidr.yaml',
      `${NP}  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0/8}}]}]\n`,
      "cidr.yaml:6:35: spec.egress[0].to[0].ipBlock.cidr: '10.0.0' is not a valid IPv4 address",
    ],
    [
      'except.yaml',
      `${NP}  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}]}]\n`,
      'except.yaml:6:56: spec.egress[0].to[0].ipBlock.except[0]: 11.0.0.0/16 must be a strict subset of cidr 10.0.0.0/8',
    ],
    [
      'port.yaml',
      `${NP}  podSelector: {}\n  ingress: [{ports: [{port: 99999}]}]\n`,
      'port.yaml:6:29: spec.ingress[0].ports[0].port: 99999 must be between 1 and 65535, inclusive',
    ],
    [
      'endport.yaml',
      `${NP}  podSelector: {}\n  ingress: [{ports: [{port: 90, endPort: 80}]}]\n`,
      'endport.yaml:6:42: spec.ingress[0].ports[0].endPort: must be greater than or equal to port (90), got 80',
    ],
    [
      'named.yaml',
      `${NP}  podSelector: {}\n  ingress: [{ports: [{port: web, endPort: 80}]}]\n`,
      'named.yaml:6:43: spec.ingress[0].ports[0].endPort: may not be specified when port is a named port',
    ],
    [
      'portname.yaml',
      `${NP}  podSelector: {}\n  ingress: [{ports: [{port: -web}]}]\n`,
      'portname.yaml:6:29: spec.ingress[0].ports[0].port: "-web" is not a valid port name',
    ],
    [
      'proto.yaml',
      `${NP}  podSelector: {}\n  ingress: [{ports: [{port: 80, protocol: HTTP}]}]\n`,
      'proto.yaml:6:43: spec.ingress[0].ports[0].protocol: unsupported protocol "HTTP"',
    ],
    [
      'mixed.yaml',
      `${NP}  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]\n`,
      'mixed.yaml:6:21: spec.ingress[0].from[0]: may not specify both ipBlock and another peer',
    ],
  ];
  for (const [name, text, line] of cases) {
    it(name, async () => {
      const p = file(name, text);
      const r = await cli('reach', '--manifests', p, '--format', 'json');
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      const first = r.err.split('\n')[0] ?? '';
      expect(first.startsWith(`${join(dir, line.split(':')[0] ?? '')}:`)).toBe(true);
      expect(first.slice(dir.length + 1)).toContain(line);
      expect(r.err).toMatch(/netglass: \d+ errors? in the input; nothing was analysed\n$/);
    });
  }

  it('duplicate objects across files name both places', async () => {
    const one = file('dup1.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n');
    const two = file('dup2.yaml', '\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n');
    const r = await cli('analyze', '-f', one, two);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${two}:2:1: duplicate Pod x/a: already defined at ${one}:1:1`);
  });

  it('missing files name the path', async () => {
    const r = await cli('analyze', '-f', join(dir, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'missing.yaml')}: no such file or directory`);
  });

  it('warnings go to stderr and keep exit 0; info only with --verbose', async () => {
    const p = file(
      'warn.yaml',
      `${CLUSTER}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: w, namespace: "y"}\nspec:\n  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.1/8}}]}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: z, namespace: undeclared}\n`,
    );
    const r = await cli('analyze', '-f', p);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /warn\.yaml:\d+:\d+: warning: spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: 10\.0\.0\.1\/8 has host bits set/,
    );
    expect(r.err).not.toContain('info');
    const v = await cli('analyze', '-f', p, '--verbose');
    expect(v.err).toMatch(/: info: namespace undeclared is not declared/);
  });
});

describe('the launcher (child process)', () => {
  const run = promisify(execFile);
  it(
    'exits 2 with the message and no stack trace on bad input',
    async () => {
      const p = file('proc.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n');
      const r = await run(process.execPath, [BIN, 'reach', '--manifests', p]).catch(
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect('code' in r ? r.code : 0).toBe(2);
      expect(r.stderr).toContain(`${p}:4:1: malformed YAML`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    PROCESS_TIMEOUT,
  );

  it(
    'prints JSON and exits 0',
    async () => {
      const r = await run(process.execPath, [
        BIN,
        'reach',
        '--manifests',
        join(dir, 'cluster.yaml'),
        '--format',
        'json',
        '--port',
        '80',
      ]);
      expect((JSON.parse(r.stdout) as { peers: string[] }).peers).toEqual(['x/a', 'x/b', 'y/a']);
    },
    PROCESS_TIMEOUT,
  );
});
