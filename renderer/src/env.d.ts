import type { NetglassApi } from '../../shared/api/api.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode, where a WebSocket client takes its place. */
    readonly netglass?: NetglassApi;
  }
}
