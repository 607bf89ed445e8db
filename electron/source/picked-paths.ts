/**
 * Checks paths the user picked in the UI (typed in web mode, chosen in a native dialog in Electron)
 * before they load, so a typo gets a clear refusal instead of an empty graph: the path must exist,
 * be readable, and hold at least one manifest (a file, or a folder with .yaml/.yml/.json files).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiError } from '../../shared/api/api.ts';
import { listManifestFiles } from '../manifests/load.ts';

function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}

/** Absolute paths for `paths`: relative ones are taken from the Node side's working directory. */
export function resolvePicked(paths: readonly string[], cwd: string = process.cwd()): string[] {
  return paths.map((p) => path.resolve(cwd, p));
}

/** The first problem with `paths` (absolute), or undefined when every one holds manifests. */
export async function checkPickedPaths(paths: readonly string[]): Promise<ApiError | undefined> {
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
      await access(p, isDir ? constants.R_OK | constants.X_OK : constants.R_OK);
    } catch (e) {
      const code = codeOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR')
        return {
          code: 'not-found',
          message: `Not found: ${p}. Check the path (on the machine netglass runs on).`,
          path: p,
        };
      return {
        code: 'unreadable',
        message: `Cannot read ${p}${code === 'EACCES' || code === 'EPERM' ? ': permission denied' : code !== undefined ? ` (${code})` : ''}.`,
        path: p,
      };
    }
    if (!isDir) continue;
    const { files } = await listManifestFiles([p]);
    if (files.length === 0) {
      return {
        code: 'load-failed',
        message: `No manifests in ${p}: the folder (and its subfolders) holds no .yaml, .yml or .json file.`,
        source: 'manifests',
      };
    }
  }
  return undefined;
}
