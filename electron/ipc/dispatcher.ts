/**
 * Transport-neutral request handling for the Node side. Electron IPC (ipc/register.ts) and the
 * web-mode WebSocket (web/server.ts) both hand every incoming message to `handle`, which validates it
 * (shape and size, shared/api/protocol.ts) before acting, and answer with the returned response.
 * Events reach a client through its `Peer` after it subscribed.
 */
import { API_VERSION, err, ok, type AppInfo, type Capability, type Result } from '../../shared/api/api.ts';
import {
  parseRequest,
  requestIdOf,
  type RequestMessage,
  type ResponseMessage,
  type ServerMessage,
} from '../../shared/api/protocol.ts';
import type { SourceManager } from '../source/manager.ts';

/** One connected renderer: a window's webContents or a WebSocket. */
export interface Peer {
  send(message: ServerMessage): void;
}

export interface DispatcherOptions {
  readonly manager: SourceManager;
  readonly appName?: string;
  readonly appVersion: string;
  readonly capabilities?: readonly Capability[];
  readonly log?: (message: string) => void;
}

export class Dispatcher {
  readonly #manager: SourceManager;
  readonly #info: AppInfo;
  readonly #log: (message: string) => void;
  readonly #subscriptions = new Map<Peer, () => void>();

  constructor(options: DispatcherOptions) {
    this.#manager = options.manager;
    this.#info = {
      name: options.appName ?? 'netglass',
      version: options.appVersion,
      apiVersion: API_VERSION,
      capabilities: options.capabilities ?? ['demo', 'manifests'],
    };
    this.#log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
  }

  /** Validates and runs one request; never throws. */
  async handle(peer: Peer, raw: unknown): Promise<ResponseMessage> {
    const parsed = parseRequest(raw);
    if (!parsed.ok) return { kind: 'response', id: requestIdOf(raw), result: parsed };
    const request = parsed.value;
    try {
      return { kind: 'response', id: request.id, result: await this.#run(peer, request) };
    } catch (e) {
      this.#log(
        `netglass: ${request.method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return {
        kind: 'response',
        id: request.id,
        result: err({
          code: 'internal',
          message: `Internal error in ${request.method}; see the netglass log.`,
        }),
      };
    }
  }

  /** Forgets a peer that went away (window closed, socket closed). */
  detach(peer: Peer): void {
    this.#subscriptions.get(peer)?.();
    this.#subscriptions.delete(peer);
  }

  get peerCount(): number {
    return this.#subscriptions.size;
  }

  async #run(peer: Peer, request: RequestMessage): Promise<Result<unknown>> {
    switch (request.method) {
      case 'getInfo':
        return ok(this.#info);
      case 'getStatus':
        return ok(this.#manager.status);
      case 'openSource':
        return this.#manager.open(request.params);
      case 'reload':
        return this.#manager.reload();
      case 'listContexts':
        return this.#manager.listContexts();
      case 'subscribe':
        if (!this.#subscriptions.has(peer)) {
          // The current status and snapshot go out at once; clients accept them before or after the
          // response to `subscribe` (the two may travel on different channels).
          this.#subscriptions.set(
            peer,
            this.#manager.subscribe((event) => peer.send({ kind: 'event', event })),
          );
        }
        return ok(null);
      case 'unsubscribe':
        this.detach(peer);
        return ok(null);
    }
  }
}
