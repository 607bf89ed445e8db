/**
 * The sandboxed preload: exposes the typed API as `window.netglass` through contextBridge, implemented
 * over two IPC channels (shared/api/protocol.ts). It exposes no Electron object, no ipcRenderer and no
 * generic `send`: the page can only make the API's requests, which the main process validates again.
 * Bundled to CommonJS (out/electron/preload.cjs) because sandboxed preloads cannot load modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApiClient, type ClientTransport, type TransportHandlers } from '../shared/api/client.ts';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../shared/api/protocol.ts';

let handlers: TransportHandlers | undefined;

const transport: ClientTransport = {
  start(h) {
    handlers = h;
    ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => h.message(message));
  },
  send(message) {
    ipcRenderer.invoke(REQUEST_CHANNEL, message).then(
      (response: unknown) => handlers?.message(response),
      (e: unknown) =>
        handlers?.message({
          kind: 'response',
          id: message.id,
          result: {
            ok: false,
            error: {
              code: 'transport',
              message: `IPC failed: ${e instanceof Error ? e.message : String(e)}`,
            },
          },
        }),
    );
  },
};

const api = createApiClient(transport, {
  timers: {
    set: (callback, ms) => setTimeout(callback, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
});

contextBridge.exposeInMainWorld('netglass', api);
