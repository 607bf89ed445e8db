/**
 * What a CI step sees on bad input: exit 2, the reason on stderr (which file, option or name, and what
 * to do), and nothing on stdout that a JSON, NDJSON or CSV consumer would take for a result.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

let dir: string;

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, ports: [{containerPort: 9090, name: grpc}]}]}
status: {podIP: 10.0.0.2}
`;

const HUBBLE = `{"flow":{"time":"2026-12-02T09:00:01Z","verdict":"FORWARDED","IP":{"source":"10.0.0.1","destination":"10.0.0.2"},"l4":{"TCP":{"destination_port":9090}},"source":{"namespace":"shop","pod_name":"web"},"destination":{"namespace":"shop","pod_name":"api"},"traffic_direction":"INGRESS"}}
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-ci-errors-'));
  writeFileSync(join(dir, 'cluster.yaml'), CLUSTER);
  writeFileSync(join(dir, 'flows.jsonl'), HUBBLE);
  writeFileSync(join(dir, 'a-file'), '');
  mkdirSync(join(dir, 'empty', 'nested'), { recursive: true });
  writeFileSync(join(dir, 'empty', 'nested', 'README.md'), 'not a manifest');
  writeFileSync(join(dir, 'empty', '.hidden.yaml'), CLUSTER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a directory with no manifest file', () => {
  it('is bad input for every command, not an empty cluster that passes', async () => {
    const empty = join(dir, 'empty');
    for (const argv of [
      ['lint', '-f', empty, '--format', 'json'],
      ['reach', '-f', empty, '--format', 'ndjson'],
      ['report', '-f', empty, '--format', 'json'],
      ['analyze', '-f', join(dir, 'cluster.yaml'), empty],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`${empty}: no manifest files (.yaml, .yml or .json) in this directory`);
    }
  });

  it('is bad input as the state after of diff', async () => {
    const r = await cli('diff', '-f', join(dir, 'cluster.yaml'), '--against', join(dir, 'empty'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/no manifest files .*\n.*in the --against input; nothing was compared/);
  });
});

describe('manifest files with no object', () => {
  it('are bad input (an empty render), but a file of skipped kinds is not', async () => {
    writeFileSync(join(dir, 'rendered.yaml'), '# helm template wrote nothing\n---\n');
    const r = await cli('lint', '-f', join(dir, 'rendered.yaml'), '--format', 'sarif');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      `${join(dir, 'rendered.yaml')}: no Kubernetes object in this file (empty, or only comments)`,
    );

    writeFileSync(
      join(dir, 'services.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\n',
    );
    const s = await cli('lint', '-f', join(dir, 'services.yaml'));
    expect(s.code).toBe(0);
  });
});

describe('reach --port with a name no pod declares', () => {
  it('exits 2 naming the names the pods declare, with nothing on stdout', async () => {
    const r = await cli('reach', '-f', join(dir, 'cluster.yaml'), '--port', 'grcp', '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('--port grcp: no pod in the table declares a container port of that name');
    expect(r.err).toContain('(did you mean grpc?)');
    expect(r.err).toContain('grpc/TCP, http/TCP');
  });

  it('still answers for a name only some destinations declare', async () => {
    const r = await cli('reach', '-f', join(dir, 'cluster.yaml'), '--port', 'grpc', '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { to: string }).to),
    ).toEqual(['shop/api']);
  });
});

describe('a Helm chart given as manifests', () => {
  it('ends its errors with how to render it; a plain templates folder gets no such hint', async () => {
    const chart = join(dir, 'chart');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.1.0\n');
    writeFileSync(
      join(chart, 'templates', 'np.yaml'),
      '{{- if .Values.enabled }}\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n{{- end }}\n',
    );
    const r = await cli('lint', '-f', join(chart, 'templates'), '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      `hint: ${chart} looks like a Helm chart: netglass reads manifests, not templates; render it first (helm template <release> ${chart} > rendered.yaml)`,
    );

    const plain = join(dir, 'plain');
    mkdirSync(join(plain, 'templates'), { recursive: true });
    writeFileSync(join(plain, 'templates', 'bad.yaml'), 'metadata: {name: x\n');
    const p = await cli('lint', '-f', plain);
    expect(p.code).toBe(2);
    expect(p.err).toContain('malformed YAML');
    expect(p.err).not.toContain('Helm');
  });
});

describe('policy without its key', () => {
  it('says the policy was left out when the last argument is a manifest path', async () => {
    const cluster = join(dir, 'cluster.yaml');
    const r = await cli('policy', '-f', cluster, cluster);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `which policy? ${cluster}, the last argument after --manifests, is a manifest path`,
    );
  });
});

describe('--manifests -', () => {
  it('says standard input is not read and what to do, before loading anything', async () => {
    const r = await cli('lint', '-f', '-');
    expect(r.code).toBe(2);
    expect(r.err).toContain('manifests are not read from standard input; save them to a file first');
  });
});

describe("check with a pod's own address as an end", () => {
  it('checks that pod (the policies allow it), says so on stderr, and keeps JSON on stdout', async () => {
    const np = `${CLUSTER}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]\n`;
    writeFileSync(join(dir, 'np.yaml'), np);
    const r = await cli(
      'check',
      '-f',
      join(dir, 'np.yaml'),
      '--from',
      '10.0.0.1',
      '--to',
      'shop/api',
      '--port',
      'grpc',
      '-o',
      'json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ from: 'shop/web', to: 'shop/api', verdict: 'allowed' });
    expect(r.err).toBe(
      'netglass check: --from 10.0.0.1 is the address of pod shop/web: checked as that pod\n',
    );

    const outside = await cli(
      'check',
      '-f',
      join(dir, 'np.yaml'),
      '--from',
      '10.0.0.9',
      '--to',
      'shop/api',
      '--port',
      '9090',
    );
    expect(outside.code).toBe(1);
    expect(outside.err).toBe('');
  });
});

describe('reach --ip with a pod address', () => {
  it('warns on stderr that it is taken as an outside address', async () => {
    const r = await cli('reach', '-f', join(dir, 'cluster.yaml'), '--ip', '10.0.0.2', '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .every((l) => typeof JSON.parse(l) === 'object'),
    ).toBe(true);
    expect(r.err).toContain('--ip 10.0.0.2 is the address of pod shop/api');
  });
});

describe('report -o', () => {
  it('refuses a format name, which every other command reads as --format', async () => {
    const cwdFile = join(process.cwd(), 'json');
    const before = existsSync(cwdFile);
    const r = await cli('report', '-f', join(dir, 'cluster.yaml'), '-o', 'json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('give --format json');
    expect(existsSync(cwdFile)).toBe(before);
  });

  it('says why a file cannot be written, without the syscall', async () => {
    const r = await cli('report', '-f', join(dir, 'cluster.yaml'), '-o', dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`netglass: cannot write ${dir}: is a directory\n`);
  });
});

describe('flows --generate into a path that cannot be a directory', () => {
  it('exits 2 with the reason, not as an internal error', async () => {
    for (const target of [join(dir, 'a-file'), join(dir, 'a-file', 'drafts')]) {
      const r = await cli(
        'flows',
        '-f',
        join(dir, 'cluster.yaml'),
        '--flows',
        join(dir, 'flows.jsonl'),
        '--generate',
        target,
        '--format',
        'json',
      );
      expect(r.code, target).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(
        new RegExp(
          `cannot write the drafts to ${target}: (exists and is not a directory|a part of the path is not a directory)`,
        ),
      );
      expect(r.err).not.toContain('internal error');
    }
  });
});

describe('test --assertions', () => {
  it('names a directory given as the assertions file', async () => {
    const r = await cli('test', '-a', dir, '-f', join(dir, 'cluster.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`netglass: cannot read the assertions file ${dir}: is a directory\n`);
  });
});

describe('usage slips', () => {
  it('help for an unknown command exits 2 with a hint', async () => {
    const r = await cli('help', 'chek');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('unknown command "chek" (did you mean check?)');
  });

  it('a misspelt option gets the closest one', async () => {
    const r = await cli('lint', '-f', join(dir, 'cluster.yaml'), '--severty', 'error');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --severty (did you mean --severity?)');
  });

  it('the main help gives every exit status, flows and conditional included', async () => {
    const r = await cli('--help');
    expect(r.out).toContain('flows: contradictions');
    expect(r.out).toContain('3 check: unknown or conditional');
  });

  it('a misspelt kind warns on stderr; lint reports it as a finding (exit 1), stdout stays JSON', async () => {
    writeFileSync(
      join(dir, 'typo.yaml'),
      `${CLUSTER}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicyy\nmetadata: {name: np, namespace: shop}\nspec: {podSelector: {}}\n`,
    );
    const analyze = await cli('analyze', '-f', join(dir, 'typo.yaml'), '--format', 'json');
    expect(() => JSON.parse(analyze.out) as unknown).not.toThrow();
    expect(analyze.err).toContain(
      `${join(dir, 'typo.yaml')}:18:7: warning: kind: unknown kind "NetworkPolicyy" (did you mean NetworkPolicy?)`,
    );
    const lint = await cli('lint', '-f', join(dir, 'typo.yaml'), '--format', 'json');
    expect(lint.code).toBe(1);
    expect(lint.err).toBe('');
    const findings = (JSON.parse(lint.out) as { findings: { id: string; location: { line: number } }[] })
      .findings;
    expect(findings.filter((f) => f.id === 'unknown-kind').map((f) => f.location.line)).toEqual([18]);
  });
});
