/**
 * Who may call the API over IPC: only the app's own top-level page, served from the `app://netglass`
 * origin (electron/main.ts). A frame from anywhere else (a navigation that slipped through, an
 * embedded frame, devtools extensions) is refused before its message is even parsed.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'netglass';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The parts of Electron's WebFrameMain the check reads. */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export function isTrustedSenderUrl(url: string, origin: string = APP_ORIGIN): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // For non-special schemes URL.origin is "null"; compare scheme and host explicitly.
  const expected = new URL(origin);
  return (
    parsed.protocol === expected.protocol &&
    parsed.host === expected.host &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export function isTrustedSender(
  frame: SenderFrameLike | null | undefined,
  origin: string = APP_ORIGIN,
): boolean {
  if (frame === null || frame === undefined) return false;
  if (frame.parent !== null) return false; // only the top-level frame
  return isTrustedSenderUrl(frame.url, origin);
}
