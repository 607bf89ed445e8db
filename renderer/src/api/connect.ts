/**
 * Chooses the API implementation at startup: the Electron preload's `window.netglass`, or a WebSocket
 * client to the web-mode server. Everything after this sees only `NetglassApi`.
 */
import type { NetglassApi } from '../../../shared/api/api.ts';
import { createApiClient } from '../../../shared/api/client.ts';
import { createWebSocketTransport, webSocketUrlFor } from './ws-transport.ts';

export type ApiChoice =
  { readonly ok: true; readonly api: NetglassApi } | { readonly ok: false; readonly reason: string };

export function chooseApi(win: Pick<Window, 'netglass' | 'location'> = window): ApiChoice {
  if (win.netglass !== undefined) return { ok: true, api: win.netglass };
  const url = webSocketUrlFor(win.location);
  if (url === undefined) {
    return {
      ok: false,
      reason: 'This page was opened without its access token. Open the full URL that `npm run web` printed.',
    };
  }
  const api = createApiClient(createWebSocketTransport({ url }), {
    timers: {
      set: (callback, ms) => window.setTimeout(callback, ms),
      clear: (handle) => window.clearTimeout(handle as number),
    },
  });
  return { ok: true, api };
}
