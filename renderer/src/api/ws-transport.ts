/**
 * Web mode's transport: the protocol over a WebSocket to the server that served this page. The token
 * the server printed is in the page's URL (`?token=`); it is passed on the upgrade request, where the
 * server checks it together with the Origin. Reconnects with backoff when the link drops.
 */
import type { ClientTransport, TransportHandlers } from '../../../shared/api/client.ts';
import { WEBSOCKET_PATH, type RequestMessage } from '../../../shared/api/protocol.ts';

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((this: WebSocketLike, ev: Event) => unknown) | null;
  onclose: ((this: WebSocketLike, ev: CloseEvent) => unknown) | null;
  onmessage: ((this: WebSocketLike, ev: MessageEvent) => unknown) | null;
  onerror: ((this: WebSocketLike, ev: Event) => unknown) | null;
}

export interface WebSocketTransportOptions {
  readonly url: string;
  readonly createSocket?: (url: string) => WebSocketLike;
  /** Delays between reconnect attempts, in ms; the last one repeats. */
  readonly backoffMs?: readonly number[];
}

const OPEN = 1;

/** The WebSocket URL for a page served by web mode, or undefined when the page has no token. */
export function webSocketUrlFor(location: {
  readonly protocol: string;
  readonly host: string;
  readonly search: string;
}): string | undefined {
  const token = new URLSearchParams(location.search).get('token');
  if (token === null || token === '') return undefined;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WEBSOCKET_PATH}?token=${encodeURIComponent(token)}`;
}

export function createWebSocketTransport(options: WebSocketTransportOptions): ClientTransport {
  const createSocket =
    options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  const backoff = options.backoffMs ?? [250, 500, 1000, 2000, 5000];
  let handlers: TransportHandlers | undefined;
  let socket: WebSocketLike | undefined;
  let attempt = 0;
  let wasOpen = false;
  /** Requests made before the socket opened; sent on open. */
  const queue: string[] = [];

  function connect(): void {
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      wasOpen = true;
      for (const data of queue.splice(0)) ws.send(data);
      handlers?.connection('connected');
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch {
        return;
      }
      handlers?.message(value);
    };
    ws.onerror = () => {
      // onclose follows and handles it.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      if (wasOpen) {
        wasOpen = false;
        handlers?.connection('lost');
      }
      const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 5000;
      attempt++;
      setTimeout(connect, delay);
    };
  }

  return {
    start(h) {
      handlers = h;
      connect();
    },
    send(message: RequestMessage) {
      const data = JSON.stringify(message);
      if (socket?.readyState === OPEN) socket.send(data);
      else if (!wasOpen && attempt === 0) queue.push(data);
      else throw new Error('not connected');
    },
  };
}
