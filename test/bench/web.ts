/**
 * Web mode for `npm run bench` (issue 10): command to URL on the L cluster's manifests, `npm run web`
 * as a user types it (bin/web.js: the built renderer reused, the server bundle while fresh) against
 * the same from sources (NETGLASS_FROM_SOURCES=1), paired so a busy machine slows both alike. The
 * cluster loads after the URL is printed (the page shows its progress), so the time to the server's
 * source being ready is given too, asked over the page's WebSocket; `npm run bench:ui` times the
 * first graph. Nothing here asserts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WEBSOCKET_PATH } from '../../shared/api/protocol.ts';
import { generateCluster, SIZES, writeManifests } from './generate.ts';
import { buildIsFresh, ensureBundle, median, ROOT, RUNS, type RowFn } from './process.ts';

const URL_LINE = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/;
const POLL_MS = 25;
const TIMEOUT_MS = 120_000;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Timings {
  /** Spawn to the URL on stdout. */
  readonly url: number;
  /** Spawn to the server's source being ready (the cluster read and analysable), when asked for. */
  readonly ready?: number;
}

/** Asks the server for its source status over the page's WebSocket until it is no longer loading. */
async function readyAfter(url: URL, started: number): Promise<number> {
  const ws = new WebSocket(`ws://${url.host}${WEBSOCKET_PATH}?token=${url.searchParams.get('token') ?? ''}`, {
    origin: url.origin,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  try {
    for (let id = 0; ; id++) {
      const state = await new Promise<string>((resolve) => {
        const onMessage = (data: Buffer): void => {
          const message = JSON.parse(data.toString('utf8')) as {
            kind?: string;
            id?: number;
            result?: { value?: { state?: string } };
          };
          if (message.kind !== 'response' || message.id !== id) return;
          ws.off('message', onMessage);
          resolve(message.result?.value?.state ?? 'unknown');
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ kind: 'request', id, method: 'getStatus', params: null }));
      });
      if (state === 'ready') return performance.now() - started;
      if (state !== 'loading' && state !== 'idle') throw new Error(`the source ended ${state}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    ws.close();
  }
}

/**
 * Times `npm run web` from spawning it: to the URL on its stdout and, with `untilReady`, to the
 * source being ready. npm runs the server in a child process of its own, so the whole process group
 * is killed afterwards.
 */
function timeWebMode(args: readonly string[], env: NodeJS.ProcessEnv, untilReady: boolean): Promise<Timings> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(NPM, ['run', '--silent', 'web', '--', '--port', '0', ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let stdout = '';
    let stderr = '';
    let timings: Timings | undefined;
    let failure: Error | undefined;
    const timer = setTimeout(killGroup, TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = URL_LINE.exec(stdout);
      if (timings !== undefined || match === null) return;
      const url = performance.now() - started;
      timings = { url };
      if (!untilReady) return killGroup();
      readyAfter(new URL(match[0]), started).then(
        (ready) => {
          timings = { url, ready };
          killGroup();
        },
        (e: unknown) => {
          failure = e instanceof Error ? e : new Error(String(e));
          killGroup();
        },
      );
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (failure !== undefined) reject(new Error(`${failure.message}:\n${stderr}`));
      else if (timings !== undefined) resolve(timings);
      else reject(new Error(`npm run web printed no URL (${signal ?? `exit ${String(code)}`}):\n${stderr}`));
    });
  });
}

export async function benchWeb(row: RowFn): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netglass-bench-web-'));
  try {
    const cluster = join(dir, 'L');
    const snapshot = generateCluster(SIZES.L);
    writeManifests(snapshot, cluster);
    const server = await ensureBundle('web');
    const args = ['--manifests', cluster];
    // One untimed start: it builds the renderer if its sources changed, so the timed runs reuse it.
    await timeWebMode(args, {}, false);
    const renderer = (await buildIsFresh('renderer')) ? 'built renderer reused' : 'renderer stale: rebuilt';
    const launcher: Timings[] = [];
    const sources: Timings[] = [];
    for (let i = 0; i < RUNS; i++) {
      launcher.push(await timeWebMode(args, {}, true));
      sources.push(await timeWebMode(args, { NETGLASS_FROM_SOURCES: '1' }, false));
    }
    const scenario = `web mode, L manifests (${snapshot.pods.length} pods)`;
    row(
      scenario,
      'command to URL (npm run web)',
      median(launcher.map((t) => t.url)),
      'ms',
      3000,
      undefined,
      `server ${server}; ${renderer}`,
    );
    row(scenario, 'command to URL (npm run web, sources)', median(sources.map((t) => t.url)), 'ms');
    row(
      scenario,
      'command to source ready (server side)',
      median(launcher.map((t) => t.ready ?? 0)),
      'ms',
      undefined,
      undefined,
      'the cluster read into a snapshot; its analysis and first graph: bench:ui',
    );
  } catch (e) {
    console.log(`web bench failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
