/**
 * Electron IPC transport for the typed API: one `invoke` channel for requests (its return value is
 * the response) and one `send` channel for events. Every message's sender frame is checked against
 * the app's origin first. Electron's objects are described structurally so tests can pass fakes.
 */
import { EVENT_CHANNEL, REQUEST_CHANNEL, type ResponseMessage } from '../../shared/api/protocol.ts';
import type { Dispatcher, Peer } from './dispatcher.ts';
import { isTrustedSender, type SenderFrameLike } from './sender.ts';

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, message: unknown): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface InvokeEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: SenderFrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  readonly ipcMain: IpcMainLike;
  readonly dispatcher: Dispatcher;
  readonly origin?: string;
  readonly log?: (message: string) => void;
}

/** Registers the handlers; returns a function that removes them. */
export function registerIpc(options: RegisterOptions): () => void {
  const { ipcMain, dispatcher } = options;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const peers = new Map<number, Peer>();

  function peerFor(contents: WebContentsLike): Peer {
    let peer = peers.get(contents.id);
    if (peer === undefined) {
      const created: Peer = {
        send(message) {
          if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, message);
        },
      };
      peers.set(contents.id, created);
      contents.once('destroyed', () => {
        peers.delete(contents.id);
        dispatcher.detach(created);
      });
      peer = created;
    }
    return peer;
  }

  ipcMain.handle(REQUEST_CHANNEL, async (event, ...args): Promise<ResponseMessage> => {
    if (!isTrustedSender(event.senderFrame, options.origin)) {
      log(`netglass: refused an IPC request from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      return {
        kind: 'response',
        id: null,
        result: {
          ok: false,
          error: { code: 'invalid-request', message: 'Requests are accepted only from the netglass window.' },
        },
      };
    }
    if (args.length !== 1) {
      return {
        kind: 'response',
        id: null,
        result: {
          ok: false,
          error: { code: 'invalid-request', message: 'Expected exactly one request message.' },
        },
      };
    }
    return dispatcher.handle(peerFor(event.sender), args[0]);
  });

  return () => {
    ipcMain.removeHandler(REQUEST_CHANNEL);
    for (const peer of peers.values()) dispatcher.detach(peer);
    peers.clear();
  };
}
