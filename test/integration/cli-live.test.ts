/**
 * `netglass --kubeconfig` against a real API server prints what `--manifests` prints for the same
 * objects: conformance fixtures applied with kubectl (pod IPs patched in, as a kubelet would) and
 * read back through the CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPodIP, startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string): string =>
  path.join(repo, 'test/fixtures/conformance', name, 'manifests.yaml');
// Disjoint namespaces, so both live in one cluster: x/y/z with port ranges and ipBlocks, and a seed example.
const FIXTURES = [
  fixture('35-ipblock-ingress-pods-and-externals'),
  fixture('45-seed-database-access-api-only'),
];

function netglass(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(repo, 'bin/netglass.js'), ...args], {
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the CLI on a live cluster', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane();
    for (const file of FIXTURES) {
      execFileSync(cp.kubectl ?? 'kubectl', ['--kubeconfig', cp.adminKubeconfig, 'apply', '-f', file], {
        encoding: 'utf8',
      });
      // The API server ignores status on create; give pods the IPs their manifests record.
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const o = doc.toJS() as {
          kind?: string;
          metadata?: { name?: string; namespace?: string };
          status?: { podIP?: string };
        };
        if (o.kind === 'Pod' && o.status?.podIP !== undefined && o.metadata?.name !== undefined) {
          await setPodIP(
            cp.adminKubeconfig,
            o.metadata.namespace ?? 'default',
            o.metadata.name,
            o.status.podIP,
          );
        }
      }
    }
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('reach prints the same JSON as for the manifests', () => {
    const extra = [
      '--ip',
      '192.0.2.10',
      '--ip',
      '10.0.1.1',
      '--port',
      '80/TCP',
      '--port',
      '81/UDP',
      '--port',
      '3306/TCP',
    ];
    const live = netglass('reach', '--kubeconfig', cp.adminKubeconfig, '--format', 'json', ...extra);
    const files = netglass('reach', '--manifests', ...FIXTURES, '--format', 'json', ...extra);
    expect(files.status, files.stderr).toBe(0);
    expect(live.status, live.stderr).toBe(0);
    expect(JSON.parse(live.stdout)).toEqual(JSON.parse(files.stdout));
  });

  it('reach without --port probes the same mentioned ports', () => {
    const live = netglass('reach', '--kubeconfig', cp.adminKubeconfig, '--format', 'json');
    const files = netglass('reach', '--manifests', ...FIXTURES, '--format', 'json');
    expect(live.status, live.stderr).toBe(0);
    expect(live.stdout).toBe(files.stdout);
  });

  it('check and policy agree too', () => {
    const check = [
      'check',
      '--from',
      'shop/orders-api',
      '--to',
      'shop/orders-db',
      '--port',
      '3306/TCP',
      '--format',
      'json',
    ];
    const a = netglass(...check, '--kubeconfig', cp.adminKubeconfig);
    const b = netglass(...check, '--manifests', ...FIXTURES);
    expect(a.status).toBe(b.status);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
  });

  it('a restricted user gets unknown where policies are hidden, and exit code 3', () => {
    const restricted = netglass(
      'check',
      '--kubeconfig',
      cp.restrictedKubeconfig,
      '--from',
      'x/a',
      '--to',
      'x/b',
      '--port',
      '80/TCP',
    );
    expect(restricted.status, restricted.stderr).toBe(3);
    expect(restricted.stdout).toMatch(/UNKNOWN/);
    expect(restricted.stdout).toMatch(/NetworkPolicies in namespace x could not be read/);
  });

  it('an unknown context is bad input: exit 2 and the contexts that exist', () => {
    const run = netglass('analyze', '--kubeconfig', cp.adminKubeconfig, '--context', 'nope');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/context "nope" not found .*\(contexts: netglass-test-admin\)/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
