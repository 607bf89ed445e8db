/**
 * The web-mode server bundle (electron/web/vite.config.ts) and the freshness record that lets
 * `npm run web` use it (bin/fresh-build.js). The bundle is built into a folder beside out/web, at the
 * same depth, because it finds package.json, the demo and the built renderer relative to itself.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WEBSOCKET_PATH } from '../../../shared/api/protocol.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Building takes seconds, and minutes on a loaded 2-core machine. */
const BUILD_TIMEOUT = 240_000;
const PROCESS_TIMEOUT = 60_000;
let out: string;
let scratch: string;

function run(args: readonly string[], timeout = PROCESS_TIMEOUT): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout }, (error, stdout) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) reject(error ?? new Error('no exit status'));
      else resolve({ code, stdout });
    });
  });
}

const CLUSTER = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
status: {podIP: 10.0.1.1}
`;

beforeAll(async () => {
  out = join(ROOT, 'out', `web-test-${process.pid}`);
  scratch = mkdtempSync(join(tmpdir(), 'netglass-web-bundle-'));
  const build = await run(
    [
      '--input-type=module',
      '-e',
      "const { build } = await import('vite'); const { webBundleConfig } = await import('./electron/web/vite.config.ts'); await build(webBundleConfig(process.argv[1]));",
      out,
    ],
    BUILD_TIMEOUT,
  );
  if (build.code !== 0) throw new Error('web bundle build failed');
}, BUILD_TIMEOUT);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** Starts the bundled server and resolves with its URL once printed. */
function startBundle(args: readonly string[]): Promise<{ url: URL; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(out, 'main.js'), '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no URL within the timeout:\n${output}`)),
      PROCESS_TIMEOUT,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ url: new URL(match[0]), child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)}:\n${output}`)));
  });
}

/** Sends requests over the server's WebSocket, as the renderer does, and collects the answers. */
async function ask(url: URL, methods: readonly string[]): Promise<unknown[]> {
  const ws = new WebSocket(`ws://${url.host}${WEBSOCKET_PATH}?token=${url.searchParams.get('token') ?? ''}`, {
    origin: url.origin,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const answers = new Map<number, unknown>();
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { kind: string; id: number; result: unknown };
      if (message.kind !== 'response') return;
      answers.set(message.id, message.result);
      if (answers.size === methods.length) resolve();
    });
  });
  methods.forEach((method, id) => ws.send(JSON.stringify({ kind: 'request', id, method, params: null })));
  await done;
  ws.close();
  return methods.map((_, id) => answers.get(id));
}

const CLIENT_IMPORT = /from ["']@kubernetes\/client-node["']|import ["']@kubernetes\/client-node["']/;

function importsClient(chunk: string): boolean {
  return CLIENT_IMPORT.test(readFileSync(join(out, chunk), 'utf8'));
}

/** The chunks `roots` load through static imports (`import … from "./x.js"`), the roots included. */
function staticClosure(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let chunk = queue.pop(); chunk !== undefined; chunk = queue.pop()) {
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    const text = readFileSync(join(out, chunk), 'utf8');
    for (const m of text.matchAll(/^import\s+(?:[^'"]*\s+from\s+)?["']\.\/([^"']+)["']/gm)) {
      if (m[1] !== undefined) queue.push(m[1]);
    }
  }
  return [...seen];
}

describe('the web-mode server bundle', () => {
  it(
    'prints the help the sources print',
    async () => {
      const [bundled, source] = await Promise.all([
        run([join(out, 'main.js'), '--help']),
        run([join(ROOT, 'electron', 'web', 'main.ts'), '--help']),
      ]);
      expect(bundled.code).toBe(0);
      expect(bundled.stdout).toContain('--manifests');
      expect(bundled).toEqual(source);
    },
    PROCESS_TIMEOUT,
  );

  it('keeps the app out of the first module, and the Kubernetes client out of both', () => {
    const main = readFileSync(join(out, 'main.js'), 'utf8');
    const app = readdirSync(out).find((f) => /^app-.*\.js$/.test(f));
    expect(app).toBeDefined();
    expect(main).toMatch(new RegExp(`import\\(["']\\./${(app ?? '').replace('.', '\\.')}["']\\)`));
    // Everything the app loads before a live source is asked for: main, the app, and what they
    // import statically. The client comes only through a dynamic import (the first live source).
    const atStart = staticClosure(['main.js', app ?? '']);
    expect(atStart.some((f) => importsClient(f))).toBe(false);
    const withClient = readdirSync(out).filter((f) => f.endsWith('.js') && importsClient(f));
    expect(withClient.length).toBeGreaterThan(0);
  });

  it(
    'answers requests sent right after the URL, once the app has loaded the source',
    async () => {
      const file = join(scratch, 'cluster.yaml');
      writeFileSync(file, CLUSTER);
      const { url, child } = await startBundle(['--manifests', file]);
      try {
        // Sent at once: the server holds them until the app is loaded, then answers in order.
        const [info] = (await ask(url, ['getInfo'])) as [{ ok: boolean; value: { version: string } }];
        const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
        expect(info).toMatchObject({ ok: true, value: { version: pkg.version } });
        let status: { ok: boolean; value: { state: string; source?: { kind: string } } } | undefined;
        for (let i = 0; i < 200; i++) {
          [status] = (await ask(url, ['getStatus'])) as [NonNullable<typeof status>];
          if (status.value.state !== 'loading' && status.value.state !== 'idle') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(status).toMatchObject({ ok: true, value: { state: 'ready', source: { kind: 'manifests' } } });
      } finally {
        child.kill('SIGTERM');
      }
    },
    PROCESS_TIMEOUT,
  );

  it('records its inputs, the build configuration included', () => {
    const record = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as { files: string[] };
    expect(record.files).toEqual(
      expect.arrayContaining([
        'electron/web/main.ts',
        'electron/web/app.ts',
        'electron/web/vite.config.ts',
        'electron/build-inputs.ts',
        'package.json',
      ]),
    );
    expect(record.files.some((f) => f.startsWith('node_modules/') || f.startsWith('..'))).toBe(false);
  });
});

describe('bin/fresh-build.js with folders as inputs (the renderer)', () => {
  type Fresh = (root: string, name: string) => string | undefined;
  async function freshBuild(): Promise<Fresh> {
    const mod: unknown = await import(pathToFileURL(join(ROOT, 'bin', 'fresh-build.js')).href);
    const f: unknown = typeof mod === 'object' && mod !== null ? Reflect.get(mod, 'freshBuild') : undefined;
    if (typeof f !== 'function') throw new Error('bin/fresh-build.js exports no freshBuild');
    return (root, name) => {
      const r: unknown = Reflect.apply(f, undefined, [root, name]);
      return typeof r === 'string' ? r : undefined;
    };
  }

  it('is stale when any file below a recorded folder changed, appeared or went', async () => {
    const fresh = await freshBuild();
    const root = join(scratch, 'fake-root');
    const built = join(root, 'out', 'renderer');
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    mkdirSync(built, { recursive: true });
    writeFileSync(join(root, 'src', 'deep', 'a.ts'), '');
    writeFileSync(join(root, 'src', 'node_modules'), ''); // never an input
    writeFileSync(join(built, 'index.html'), '');
    const builtAt = Date.now();
    writeFileSync(join(built, '.inputs.json'), JSON.stringify({ builtAt, files: ['src/'] }));
    const past = new Date(builtAt - 60_000);
    const age = (...parts: string[]): void => utimesSync(join(root, ...parts), past, past);
    age('src', 'deep', 'a.ts');
    age('src', 'node_modules');
    age('src', 'deep');
    age('src');
    expect(fresh(root, 'renderer')).toBe(join(built, 'index.html'));
    expect(fresh(root, 'cli')).toBeUndefined(); // another build, not there

    const later = new Date(builtAt + 60_000);
    utimesSync(join(root, 'src', 'deep', 'a.ts'), later, later); // edited after the build
    expect(fresh(root, 'renderer')).toBeUndefined();
    age('src', 'deep', 'a.ts');
    expect(fresh(root, 'renderer')).toBe(join(built, 'index.html'));

    unlinkSync(join(root, 'src', 'deep', 'a.ts')); // a source removed: its folder changed
    expect(fresh(root, 'renderer')).toBeUndefined();
    age('src', 'deep');
    expect(fresh(root, 'renderer')).toBe(join(built, 'index.html'));
    unlinkSync(join(built, 'index.html'));
    expect(fresh(root, 'renderer')).toBeUndefined();
  });
});
