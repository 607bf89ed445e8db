/**
 * The prebuilt CLI bundle (electron/cli/vite.config.ts) against the sources: built into a temporary
 * folder, it prints what the sources print, byte for byte, and leaves the Kubernetes client to a chunk
 * loaded only for live sources. bin/fresh-build.js picks the bundle only while it is fresh.
 */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Building takes seconds, and minutes on a loaded 2-core machine. */
const BUILD_TIMEOUT = 240_000;
const PROCESS_TIMEOUT = 60_000;
let dir: string;
let out: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeout = PROCESS_TIMEOUT): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, timeout, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
        if (code === undefined) reject(error ?? new Error('no exit status'));
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {ns: x}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec: {containers: [{name: c, ports: [{containerPort: 80, name: http}]}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {pod: b}}
status: {podIP: 10.0.1.2}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-to-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {pod: b}}}]
    ports: [{port: http}]
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-bundle-'));
  out = join(dir, 'cli');
  writeFileSync(join(dir, 'cluster.yaml'), CLUSTER);
  const build = await run(
    [
      '--input-type=module',
      '-e',
      "const { build } = await import('vite'); const { cliBundleConfig } = await import('./electron/cli/vite.config.ts'); await build(cliBundleConfig(process.argv[1]));",
      out,
    ],
    {},
    BUILD_TIMEOUT,
  );
  if (build.code !== 0) throw new Error(`bundle build failed:\n${build.stderr}`);
}, BUILD_TIMEOUT);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI bundle', () => {
  const cases: string[][] = [
    ['check', '--from', 'x/b', '--to', 'x/a', '--port', 'http'],
    ['check', '--from', 'x/a', '--to', 'x/b', '--port', '80', '--format', 'json'],
    ['reach', '--format', 'json', '--ip', '8.8.8.8'],
    ['reach', '--port', 'http', '--format', 'compact-json'],
    ['policy', 'x/b-to-a', '--format', 'json'],
    ['lint'],
    ['check', '--from', 'x/zz', '--to', 'x/a', '--port', '80'],
    ['--version'],
  ];
  for (const argv of cases) {
    it(
      `prints what the sources print: ${argv.join(' ')}`,
      async () => {
        const args = argv[0] === '--version' ? argv : [...argv, '--manifests', join(dir, 'cluster.yaml')];
        const [bundled, source] = await Promise.all([
          run([
            '--input-type=module',
            '-e',
            'const { main } = await import(process.argv[1]); await main(process.argv.slice(2));',
            pathToFileURL(join(out, 'main.js')).href,
            ...args,
          ]),
          run([join(ROOT, 'bin', 'netglass.js'), ...args], { NETGLASS_FROM_SOURCES: '1' }),
        ]);
        expect(source.stdout.length + source.stderr.length).toBeGreaterThan(0);
        expect(bundled).toEqual(source);
      },
      PROCESS_TIMEOUT,
    );
  }

  it('loads @kubernetes/client-node only from the live-source chunk', () => {
    const main = readFileSync(join(out, 'main.js'), 'utf8');
    expect(main).not.toMatch(/from ["']@kubernetes\/client-node["']/);
    const chunks = readdirSync(out).filter((f) => f.endsWith('.js') && f !== 'main.js');
    const live = chunks.filter((f) =>
      /from ["']@kubernetes\/client-node["']/.test(readFileSync(join(out, f), 'utf8')),
    );
    expect(live.length).toBe(1);
    expect(main).toContain(live[0]);
  });

  it('records the sources it was built from', () => {
    const record = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as {
      builtAt: number;
      files: string[];
    };
    expect(record.files).toContain('electron/cli/main.ts');
    expect(record.files).toContain('shared/eval/reach-groups.ts');
    expect(record.files).toContain('electron/cluster/read-once.ts');
    expect(record.files).toContain('package.json');
    expect(record.files.some((f) => f.startsWith('node_modules/') || f.startsWith('..'))).toBe(false);
  });
});

describe('bin/fresh-build.js: the launcher runs the bundle only while it is fresh', () => {
  type Fresh = (root: string) => string | undefined;
  async function freshBundle(): Promise<Fresh> {
    const mod: unknown = await import(pathToFileURL(join(ROOT, 'bin', 'fresh-build.js')).href);
    const f: unknown = typeof mod === 'object' && mod !== null ? Reflect.get(mod, 'freshBuild') : undefined;
    if (typeof f !== 'function') throw new Error('bin/fresh-build.js exports no freshBuild');
    return (root) => {
      const r: unknown = Reflect.apply(f, undefined, [root, 'cli']);
      return typeof r === 'string' ? r : undefined;
    };
  }

  it('compares the sources with the build time', async () => {
    const fresh = await freshBundle();
    const root = join(dir, 'fake-root');
    mkdirSync(join(root, 'out', 'cli'), { recursive: true });
    mkdirSync(join(root, 'src'));
    const entry = join(root, 'out', 'cli', 'main.js');
    expect(fresh(root)).toBeUndefined(); // no bundle
    writeFileSync(entry, 'export async function main() {}\n');
    expect(fresh(root)).toBeUndefined(); // no record
    const builtAt = Date.now();
    writeFileSync(join(root, 'out', 'cli', 'inputs.json'), JSON.stringify({ builtAt, files: ['src/a.ts'] }));
    expect(fresh(root)).toBeUndefined(); // a source is missing
    writeFileSync(join(root, 'src', 'a.ts'), '');
    const past = new Date(builtAt - 60_000);
    utimesSync(join(root, 'src', 'a.ts'), past, past);
    expect(fresh(root)).toBe(entry);
    const later = new Date(builtAt + 60_000);
    utimesSync(join(root, 'src', 'a.ts'), later, later); // edited after the build
    expect(fresh(root)).toBeUndefined();
    writeFileSync(join(root, 'out', 'cli', 'inputs.json'), '{"builtAt": "soon"}');
    expect(fresh(root)).toBeUndefined();
  });
});
