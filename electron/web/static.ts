/**
 * Serving the built renderer (out/renderer) safely, for both the web-mode HTTP server and Electron's
 * `app://` protocol: only files under the root (no traversal, no symlink escapes, no dotfiles), the
 * right MIME types, and the security headers including the Content-Security-Policy.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.yaml': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string | undefined {
  return MIME_TYPES[extname(file).toLowerCase()];
}

/**
 * The renderer's policy. No inline scripts, no eval, styles only from files: React's `style` props and
 * cytoscape's canvas styling go through the CSSOM, which CSP does not restrict, so `'unsafe-inline'`
 * is not needed (renderer/src/graph/cytoscape-setup.ts pre-empts the one <style> element cytoscape
 * would inject). Workers (the evaluator, later) come from 'self' too.
 */
export function contentSecurityPolicy(options: { readonly connectSrc?: readonly string[] } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...(options.connectSrc ?? [])].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(options: {
  readonly csp: string;
  readonly cache: 'no-store' | 'immutable' | 'no-cache';
}): Record<string, string> {
  return {
    'Content-Security-Policy': options.csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
    'Cache-Control':
      options.cache === 'immutable'
        ? 'public, max-age=31536000, immutable'
        : options.cache === 'no-store'
          ? 'no-store'
          : 'no-cache',
  };
}

export type StaticLookup =
  | { readonly ok: true; readonly file: string; readonly mimeType: string; readonly size: number }
  | { readonly ok: false; readonly status: 400 | 403 | 404 };

/**
 * Maps a URL path (`/assets/index-abc.js`) to a file under `root`. `root` must be absolute and
 * already resolved with realpath.
 */
export async function lookupStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\'))
    return { ok: false, status: 400 };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return { ok: false, status: 403 };
  const candidate = resolve(root, ...segments);
  if (candidate !== root && !candidate.startsWith(root + sep)) return { ok: false, status: 403 };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { ok: false, status: 404 };
  }
  if (!real.startsWith(root + sep)) return { ok: false, status: 403 };
  const mimeType = mimeTypeFor(real);
  if (mimeType === undefined) return { ok: false, status: 404 };
  try {
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, status: 404 };
    return { ok: true, file: real, mimeType, size: info.size };
  } catch {
    return { ok: false, status: 404 };
  }
}
