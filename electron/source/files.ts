/**
 * Saving a policy's YAML: atomically (a temporary file in the same folder, then a rename, so a
 * reader never sees half a file and a crash leaves the old file whole), never over an existing file
 * unless asked, and, for a manifest source, next to the files that were loaded.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ApiError, Result, SavePathSuggestion, SavePolicyResult } from '../../shared/api/api.ts';
import { err, ok } from '../../shared/api/api.ts';
import { parseManifestText } from '../../shared/manifest/index.ts';

function errorCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function writeError(file: string, e: unknown): ApiError {
  const code = errorCode(e);
  const why =
    code === 'ENOENT'
      ? 'the folder does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : code === 'EROFS'
              ? 'the file system is read-only'
              : e instanceof Error
                ? e.message
                : String(e);
  return { code: 'write-failed', message: `Cannot write ${file}: ${why}.`, path: file };
}

/** Whether a parsed text is policy documents only (NetworkPolicy and the admin kinds), error-free. */
function onlyPolicies(text: string, file: string): boolean {
  const parse = parseManifestText(text, file);
  return (
    parse.policies.length + parse.clusterPolicies.length > 0 &&
    parse.namespaces.length + parse.pods.length + parse.workloads.length === 0 &&
    Object.keys(parse.skippedKinds).length === 0 &&
    !parse.issues.some((i) => i.severity === 'error')
  );
}

/** The real path of `file`'s folder joined with its name (a symlinked folder must not lead outside). */
async function realTarget(file: string): Promise<string> {
  return path.join(await fs.realpath(path.dirname(file)), path.basename(file));
}

/**
 * What `savePolicy` may write, checked on the Node side because the request comes from the renderer
 * (or a WebSocket), which must not be able to turn "save a policy" into "write any file": an absolute
 * `.yaml`/`.yml` path under one of `roots` (the loaded manifest folders, or a path the user picked in
 * a native dialog), holding a policy document and nothing else, replacing only a file that itself
 * holds only policies.
 */
async function checkSave(
  file: string,
  yaml: string,
  roots: readonly string[],
): Promise<ApiError | undefined> {
  if (!/\.ya?ml$/i.test(file)) {
    return {
      code: 'invalid-request',
      message: `Policies are saved as .yaml or .yml files, not ${file}.`,
      field: 'params.path',
    };
  }
  if (!onlyPolicies(yaml, file)) {
    return {
      code: 'invalid-request',
      message: 'Only a NetworkPolicy or ClusterNetworkPolicy document (and nothing else) can be saved.',
      field: 'params.yaml',
    };
  }
  const outside: ApiError = {
    code: 'write-failed',
    message:
      roots.length === 0
        ? `Cannot write ${file}: policies are saved next to loaded manifests; open a manifest folder first.`
        : `Cannot write ${file}: policies are saved only under the loaded manifest folders (${roots.join(', ')}).`,
    path: file,
  };
  if (!within(path.resolve(file), roots)) return outside;
  let real: string;
  try {
    real = await realTarget(file);
  } catch (e) {
    return writeError(file, e);
  }
  const realRoots = await Promise.all(roots.map((r) => fs.realpath(r).catch(() => r)));
  if (!within(real, realRoots)) return outside;
  try {
    const stat = await fs.lstat(file);
    if (stat.isSymbolicLink()) {
      return { code: 'write-failed', message: `Cannot write ${file}: it is a symbolic link.`, path: file };
    }
    if (stat.isFile() && !onlyPolicies(await fs.readFile(file, 'utf8'), file)) {
      return {
        code: 'write-failed',
        message: `Cannot write ${file}: it holds something other than policies, and saving would replace it.`,
        path: file,
      };
    }
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') return writeError(file, e);
  }
  return undefined;
}

/** The folders a manifest source's loaded paths allow writing in: each folder, and each file's folder. */
export async function writableRoots(loadedPaths: readonly string[]): Promise<string[]> {
  return Promise.all(
    loadedPaths.map(async (p) => {
      const abs = path.resolve(p);
      return (await isDirectory(abs)) ? abs : path.dirname(abs);
    }),
  );
}

/**
 * Writes `yaml` to `file` (absolute) after `checkSave`. An existing file is replaced only with
 * `overwrite: true`; without it the answer is `exists`. The new content appears at once or not at all.
 */
export async function savePolicyFile(
  file: string,
  yaml: string,
  options: { readonly overwrite: boolean; readonly roots: readonly string[] },
): Promise<Result<SavePolicyResult>> {
  if (!path.isAbsolute(file)) {
    return err({ code: 'invalid-request', message: `Not an absolute path: ${file}`, field: 'params.path' });
  }
  const refused = await checkSave(file, yaml, options.roots);
  if (refused !== undefined) return err(refused);
  let replaced = false;
  try {
    const stat = await fs.lstat(file);
    if (stat.isDirectory()) return err(writeError(file, Object.assign(new Error(), { code: 'EISDIR' })));
    if (!options.overwrite) {
      return err({
        code: 'exists',
        message: `${file} exists already; confirm to replace it.`,
        path: file,
      });
    }
    replaced = true;
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') return err(writeError(file, e));
  }
  const text = yaml.endsWith('\n') ? yaml : `${yaml}\n`;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // `wx`: never follow or reuse a file someone else put at the temporary name.
    await fs.writeFile(tmp, text, { encoding: 'utf8', flag: 'wx', mode: 0o644 });
    if (!options.overwrite) {
      // Refuse a file that appeared since the check: link fails on an existing target, rename would not.
      try {
        await fs.link(tmp, file);
        await fs.unlink(tmp);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        if (errorCode(e) === 'EEXIST') {
          return err({
            code: 'exists',
            message: `${file} exists already; confirm to replace it.`,
            path: file,
          });
        }
        if (errorCode(e) === 'EPERM' || errorCode(e) === 'ENOTSUP' || errorCode(e) === 'EXDEV') {
          // File systems without hard links: the plain rename, the check above having passed.
          await fs.writeFile(tmp, text, { encoding: 'utf8', flag: 'wx', mode: 0o644 });
          await fs.rename(tmp, file);
        } else {
          throw e;
        }
      }
    } else {
      await fs.rename(tmp, file);
    }
  } catch (e) {
    await fs.rm(tmp, { force: true });
    return err(writeError(file, e));
  }
  return ok({ path: file, bytes: Buffer.byteLength(text), replaced });
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function within(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = path.relative(root, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/**
 * Where "save" writes a policy for a manifest source loaded from `loadedPaths`:
 * - the policy's own file (`originFile`, one of the loaded files) when it holds that policy alone:
 *   saving replaces it;
 * - else `<name>.yaml` in that file's folder, or in the first loaded folder (the folder of the
 *   first loaded file), with a note when the original stays behind (the loader would then report
 *   the policy twice).
 */
export async function suggestedPath(
  loadedPaths: readonly string[],
  policy: { readonly namespace: string; readonly name: string },
  originFile?: string,
): Promise<SavePathSuggestion> {
  const roots = loadedPaths.map((p) => path.resolve(p));
  let folder: string | undefined;
  let note: string | undefined;
  if (originFile !== undefined && path.isAbsolute(originFile) && within(path.resolve(originFile), roots)) {
    const origin = path.resolve(originFile);
    try {
      const text = await fs.readFile(origin, 'utf8');
      const parse = parseManifestText(text, origin);
      const alone =
        parse.policies.length === 1 &&
        parse.namespaces.length + parse.pods.length + parse.workloads.length === 0 &&
        Object.keys(parse.skippedKinds).length === 0;
      const holds = parse.policies.some((p) => p.namespace === policy.namespace && p.name === policy.name);
      if (alone && holds && /\.ya?ml$/i.test(origin)) return { path: origin, exists: true };
      folder = path.dirname(origin);
      if (holds) {
        note = `${origin} holds other objects too and still defines this policy; remove it there, or the loader reports the policy twice.`;
      }
    } catch {
      folder = path.dirname(origin);
    }
  }
  if (folder === undefined) {
    const first = roots[0];
    if (first === undefined) return { exists: false };
    folder = (await isDirectory(first)) ? first : path.dirname(first);
  }
  const file = path.join(folder, `${policy.name}.yaml`);
  return { path: file, exists: await exists(file), ...(note !== undefined ? { note } : {}) };
}
