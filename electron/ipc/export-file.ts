/**
 * Writes an exported file (a matrix CSV, a policy report, a graph image) where the user chose in the
 * native save dialog. That path is the only one allowed: the page names a file name (the dialog's
 * suggestion) and the bytes, never a folder. The content appears at once or not at all.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { err, ok, type ExportExtension, type Result, type SaveExportAsResult } from '../../shared/api/api.ts';
import { MAX_EXPORT_BYTES } from '../../shared/api/protocol.ts';

/** Asks where to save `fileName` with a filter for its extension; undefined when cancelled. */
export type ExportPathChooser = (fileName: string, extension: ExportExtension) => Promise<string | undefined>;

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}

function failed(file: string, e: unknown): Result<never> {
  const reason =
    errorCode(e) === 'EACCES' || errorCode(e) === 'EPERM'
      ? 'permission denied'
      : errorCode(e) === 'ENOENT'
        ? 'the folder does not exist'
        : errorCode(e) === 'ENOSPC'
          ? 'the disk is full'
          : errorCode(e) === 'EISDIR'
            ? 'it is a folder'
            : e instanceof Error
              ? e.message
              : String(e);
  return err({ code: 'write-failed', message: `Cannot write ${file}: ${reason}.`, path: file });
}

/**
 * Asks `choose` for a path and writes `data` there. A name typed without the extension gets it; the
 * dialog did not confirm replacing that other file, so an existing one is then refused.
 */
export async function saveExportTo(
  choose: ExportPathChooser,
  request: { readonly fileName: string; readonly extension: ExportExtension; readonly bytes: Uint8Array },
): Promise<Result<SaveExportAsResult>> {
  if (request.bytes.byteLength > MAX_EXPORT_BYTES) {
    return err({
      code: 'invalid-request',
      message: `The file is larger than ${MAX_EXPORT_BYTES / (1024 * 1024)} MiB.`,
      field: 'params.data',
    });
  }
  const chosen = await choose(request.fileName, request.extension);
  if (chosen === undefined) return ok({ outcome: 'cancelled' });
  if (!path.isAbsolute(chosen)) {
    return err({ code: 'invalid-request', message: `Not an absolute path: ${chosen}`, field: 'path' });
  }
  const confirmed = path.extname(chosen).toLowerCase() === `.${request.extension}`;
  const file = confirmed ? chosen : `${chosen}.${request.extension}`;
  try {
    if ((await fs.lstat(file)).isDirectory())
      return failed(file, Object.assign(new Error(), { code: 'EISDIR' }));
    if (!confirmed) {
      return err({
        code: 'exists',
        message: `${file} exists already; choose it in the dialog to replace it.`,
        path: file,
      });
    }
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') return failed(file, e);
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // `wx`: never follow or reuse a file someone else put at the temporary name.
    await fs.writeFile(tmp, request.bytes, { flag: 'wx', mode: 0o644 });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    return failed(file, e);
  }
  return ok({ outcome: 'saved', path: file, bytes: request.bytes.byteLength });
}
