/**
 * Saves an exported file (a CSV, a report, a graph image) the way this app can: in Electron the Node
 * side shows a native save dialog and writes where the user chose (`saveExport`, capability
 * `export-dialog`); in web mode the browser downloads it and the server writes nothing.
 */
import type { NetglassApi } from '../../../shared/api/api.ts';

export interface ExportFile {
  /** A plain file name whose extension says the type (`matrix.csv`, `graph.png`). */
  readonly fileName: string;
  readonly mime: string;
  /** Text (written as UTF-8) or bytes. */
  readonly data: string | Uint8Array;
}

export type SaveExportResult =
  /** Written by the Node side where the user chose in the native dialog. */
  | { readonly outcome: 'saved'; readonly path: string; readonly bytes: number }
  /** Handed to the browser, which saves it where it keeps downloads. */
  | { readonly outcome: 'downloaded'; readonly fileName: string }
  | { readonly outcome: 'cancelled' }
  | { readonly outcome: 'failed'; readonly message: string };

/** How a save reaches the user; tests pass their own. */
export interface SaveEnvironment {
  /** The native dialog, when the app has one (Electron). */
  readonly saveExport?: NetglassApi['saveExport'];
  /** A browser download of `blob` named `fileName`. */
  readonly download: (fileName: string, blob: Blob) => void;
}

/**
 * Starts a browser download without navigating: an object URL on a hidden link. The URL is revoked
 * later, because some browsers read the blob after click() returns.
 */
export function browserDownload(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Base64 of bytes, in slices so a big image does not overflow the argument list of fromCharCode. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let i = 0; i < bytes.length; i += slice) {
    binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  }
  return btoa(binary);
}

/**
 * A name the Node side accepts (a plain file name: letters, digits, `. _ -` and spaces, with a known
 * extension in lower case): anything else becomes `-`, so a policy or context name with odd characters
 * still saves.
 */
export function safeFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const ext = dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  const stem = (dot >= 0 ? fileName.slice(0, dot) : fileName)
    .replace(/[^A-Za-z0-9._ -]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 200);
  return `${stem === '' ? 'export' : stem}${ext === '' ? '' : `.${ext}`}`;
}

function defaultEnvironment(): SaveEnvironment {
  // `window.netglass` exists only in Electron (the preload); web mode has no native dialog.
  const api =
    typeof window !== 'undefined' ? (window as Window & { netglass?: NetglassApi }).netglass : undefined;
  const saveExport = api?.saveExport?.bind(api);
  return saveExport !== undefined ? { saveExport, download: browserDownload } : { download: browserDownload };
}

export async function saveExportFile(
  file: ExportFile,
  env: SaveEnvironment = defaultEnvironment(),
): Promise<SaveExportResult> {
  file = { ...file, fileName: safeFileName(file.fileName) };
  if (env.saveExport !== undefined) {
    const result = await env.saveExport(
      typeof file.data === 'string'
        ? { fileName: file.fileName, data: file.data, encoding: 'utf8' }
        : { fileName: file.fileName, data: toBase64(file.data), encoding: 'base64' },
    );
    if (result.ok) return result.value;
    // A Node side without the dialog (an older or web build behind this window): download instead.
    if (result.error.code !== 'not-supported') return { outcome: 'failed', message: result.error.message };
  }
  try {
    // A copy into a plain ArrayBuffer: Blob wants no SharedArrayBuffer-backed views.
    const part = typeof file.data === 'string' ? file.data : new Uint8Array(file.data);
    env.download(file.fileName, new Blob([part], { type: file.mime }));
    return { outcome: 'downloaded', fileName: file.fileName };
  } catch (e) {
    return {
      outcome: 'failed',
      message: `Could not download ${file.fileName}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** A short sentence for a status line after a save. */
export function describeSaveResult(result: SaveExportResult): string {
  switch (result.outcome) {
    case 'saved':
      return `Saved ${result.path.split(/[\\/]/).pop() ?? result.path}`;
    case 'downloaded':
      return `Downloaded ${result.fileName}`;
    case 'cancelled':
      return 'Not saved';
    case 'failed':
      return result.message;
  }
}
