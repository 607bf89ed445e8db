/**
 * Web mode: the renderer and the typed API served to a browser on 127.0.0.1.
 *
 * Who can drive it: only someone holding the per-run token in the printed URL. The page (`/`) and the
 * WebSocket upgrade (`/api`) require it, compared in constant time. Every request must name this
 * server in its Host header (stops DNS rebinding), and the WebSocket upgrade must come from this
 * server's own Origin (stops cross-site WebSocket hijacking). The hashed static assets under
 * /assets/ are the same files the app ships, carry no data, and are served without the token so the
 * page can load them; they still need the right Host.
 */
import { createReadStream } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { MAX_REQUEST_BYTES, WEBSOCKET_PATH, type ServerMessage } from '../../shared/api/protocol.ts';
import type { Dispatcher, Peer } from '../ipc/dispatcher.ts';
import { contentSecurityPolicy, lookupStatic, securityHeaders } from './static.ts';
import { createToken, tokenMatches } from './token.ts';

export const LOOPBACK = '127.0.0.1';
const MAX_SOCKETS = 16;
const PING_INTERVAL_MS = 30_000;

/** What answers the WebSocket's requests: the Dispatcher, or a stand-in while it loads (main.ts). */
export type RequestHandler = Pick<Dispatcher, 'handle' | 'detach'>;

export interface WebServerOptions {
  /** The built renderer (out/renderer). */
  readonly rootDir: string;
  readonly dispatcher: RequestHandler;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** For tests; a fresh random token otherwise. */
  readonly token?: string;
  readonly log?: (message: string) => void;
}

export interface WebServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

function hostsFor(port: number): readonly string[] {
  return [`${LOOPBACK}:${port}`, `localhost:${port}`];
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = await realpath(options.rootDir);
  const indexFile = `${root}/index.html`;
  await readFile(indexFile).catch(() => {
    throw new Error(`The renderer is not built: ${indexFile} is missing. Run "npm run build:renderer".`);
  });
  const token = options.token ?? createToken();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const dispatcher = options.dispatcher;
  let port = 0;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES, clientTracking: true });

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res).catch((e: unknown) => {
      log(`netglass web: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) plain(res, 500, 'Internal error.');
      else res.destroy();
    });
  });

  const csp = (): string => contentSecurityPolicy({ connectSrc: hostsFor(port).map((h) => `ws://${h}`) });

  function plain(
    res: ServerResponse,
    status: number,
    text: string,
    extra: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      ...securityHeaders({ csp: "default-src 'none'; frame-ancestors 'none'", cache: 'no-store' }),
      'Content-Type': 'text/plain; charset=utf-8',
      ...extra,
    });
    res.end(`${text}\n`);
  }

  function hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    return typeof host === 'string' && hostsFor(port).includes(host.toLowerCase());
  }

  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return typeof origin === 'string' && hostsFor(port).some((h) => origin.toLowerCase() === `http://${h}`);
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) return plain(res, 403, 'Forbidden: unexpected Host header.');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    const path = url.pathname;
    if (path === '/' || path === '/index.html') {
      if (!tokenMatches(token, url.searchParams.get('token'))) {
        return plain(
          res,
          403,
          'Forbidden: open netglass with the full URL it printed at start (it carries a token).',
        );
      }
      const body = await readFile(indexFile);
      res.writeHead(200, {
        ...securityHeaders({ csp: csp(), cache: 'no-store' }),
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(body.length),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === WEBSOCKET_PATH) return plain(res, 426, 'Upgrade required.', { Upgrade: 'websocket' });
    const found = await lookupStatic(root, path);
    if (!found.ok) {
      return plain(
        res,
        found.status,
        found.status === 404 ? 'Not found.' : found.status === 403 ? 'Forbidden.' : 'Bad request.',
      );
    }
    res.writeHead(200, {
      ...securityHeaders({ csp: csp(), cache: path.startsWith('/assets/') ? 'immutable' : 'no-cache' }),
      'Content-Type': found.mimeType,
      'Content-Length': String(found.size),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404 | 503, reason: string): void {
    const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[
      status
    ];
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`,
    );
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (!hostAllowed(req)) return refuseUpgrade(socket, 403, 'Forbidden: unexpected Host header.');
    if (!originAllowed(req)) return refuseUpgrade(socket, 403, 'Forbidden: cross-origin WebSocket.');
    if (url.pathname !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, 'Not found.');
    if (!tokenMatches(token, url.searchParams.get('token')))
      return refuseUpgrade(socket, 403, 'Forbidden: missing or wrong token.');
    if (wss.clients.size >= MAX_SOCKETS) return refuseUpgrade(socket, 503, 'Too many connections.');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const alive = new WeakMap<WebSocket, boolean>();
  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    const peer: Peer = {
      send(message: ServerMessage) {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      },
    };
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void onMessage(peer, data, isBinary);
    });
    ws.on('close', () => dispatcher.detach(peer));
    ws.on('error', () => ws.terminate());
  });

  async function onMessage(peer: Peer, data: RawData, isBinary: boolean): Promise<void> {
    const fail = (message: string): void =>
      peer.send({
        kind: 'response',
        id: null,
        result: { ok: false, error: { code: 'invalid-request', message } },
      });
    if (isBinary) return fail('Binary frames are not accepted; send JSON text.');
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.from(data).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return fail('Request is not valid JSON.');
    }
    peer.send(await dispatcher.handle(peer, value));
  }

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
