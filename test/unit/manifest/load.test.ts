import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listManifestFiles, loadManifests } from '../../../electron/manifests/load.ts';
import { parseCIDR, parseIP } from '../../../shared/net/address.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-load-'));
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
  writeFileSync(
    join(dir, 'sub', 'pods.yml'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n',
  );
  writeFileSync(
    join(dir, 'sub', 'deeper', 'np.json'),
    JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'x' },
      spec: { podSelector: {} },
    }),
  );
  writeFileSync(join(dir, 'README.md'), '# not a manifest');
  writeFileSync(join(dir, '.git', 'hidden.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: hidden}\n');
  symlinkSync(dir, join(dir, 'sub', 'loop'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadManifests', () => {
  it('walks directories recursively, .yaml/.yml/.json only, sorted, skipping dot entries and symlink loops', async () => {
    const { files, issues } = await listManifestFiles([dir]);
    expect(issues).toEqual([]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'ns.yaml',
      'sub/deeper/np.json',
      'sub/pods.yml',
    ]);
  });

  it('loads everything into one snapshot', async () => {
    const s = await loadManifests([dir]);
    expect(s.source).toEqual({ kind: 'manifests', paths: [dir] });
    expect(s.namespaces.map((n) => [n.name, n.declared])).toEqual([['x', true]]);
    expect(s.pods.map((p) => p.name)).toEqual(['a']);
    expect(s.policies.map((p) => p.name)).toEqual(['p']);
    expect(s.issues).toEqual([]);
  });

  it('takes a file given explicitly whatever its extension, once', async () => {
    const { files } = await listManifestFiles([
      join(dir, 'README.md'),
      join(dir, 'ns.yaml'),
      join(dir, 'ns.yaml'),
    ]);
    expect(files).toHaveLength(2);
  });

  it('reports missing paths as errors naming the path, and still loads the rest', async () => {
    const missing = join(dir, 'nope.yaml');
    const s = await loadManifests([missing, join(dir, 'ns.yaml')]);
    expect(s.issues).toEqual([
      { severity: 'error', message: `${missing}: no such file or directory`, object: missing },
    ]);
    expect(s.namespaces).toHaveLength(1);
  });
});

describe('addresses', () => {
  it('parses IPv4/IPv6 and CIDRs strictly', () => {
    expect(parseIP('10.0.0.1')).toEqual({ family: 4, bytes: [10, 0, 0, 1] });
    expect(typeof parseIP('010.0.0.1')).toBe('string');
    expect(typeof parseIP('1.2.3')).toBe('string');
    expect(parseIP('::ffff:1.2.3.4')).toMatchObject({ family: 6 });
    expect(typeof parseIP('1::2::3')).toBe('string');
    expect(parseCIDR('fd00:0:0:0::1/64')).toMatchObject({ canonical: 'fd00::/64', hostBitsSet: true });
    expect(parseCIDR('2001:db8::/32')).toMatchObject({ canonical: '2001:db8::/32', hostBitsSet: false });
    expect(parseCIDR('0.0.0.0/0')).toMatchObject({ canonical: '0.0.0.0/0', hostBitsSet: false });
    expect(typeof parseCIDR('10.0.0.0/8/8')).toBe('string');
    expect(typeof parseCIDR('10.0.0.0/08')).toBe('string');
  });
});
