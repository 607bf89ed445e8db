/**
 * Node side of manifest loading: files and directories (recursively: .yaml, .yml, .json) → text →
 * the shared parser → one Snapshot. Never throws for bad input: a missing path or an unreadable file
 * is a LoadIssue like any other.
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadIssue, Snapshot } from '../../shared/model/snapshot.ts';
import { buildSnapshot, parseManifestText } from '../../shared/manifest/index.ts';
import type { ManifestParse } from '../../shared/manifest/index.ts';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface LoadTimings {
  /** Reading files from disk, ms. */
  readonly readMs: number;
  /** Parsing and building the snapshot, ms. */
  readonly parseMs: number;
  readonly files: number;
  readonly bytes: number;
}

export interface LoadResult {
  readonly snapshot: Snapshot;
  readonly files: readonly string[];
  readonly timings: LoadTimings;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links',
  };
  return (err.code !== undefined ? known[err.code] : undefined) ?? err.message;
}

function fileIssue(file: string, message: string): LoadIssue {
  return { severity: 'error', message: `${file}: ${message}`, object: file };
}

/**
 * Lists the manifest files under `paths`: a file is taken whatever its extension; a directory gives
 * its .yaml/.yml/.json files, recursively, sorted, skipping entries whose name starts with '.'.
 */
export async function listManifestFiles(
  paths: readonly string[],
): Promise<{ files: string[]; issues: LoadIssue[] }> {
  const files: string[] = [];
  const issues: LoadIssue[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const addFile = async (file: string): Promise<void> => {
    let real = file;
    try {
      real = await realpath(file);
    } catch {
      // keep the given path
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(file);
  };
  const walk = async (dir: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (e) {
      issues.push(fileIssue(dir, `cannot read directory: ${errorText(e)}`));
      return;
    }
    if (seenDirs.has(real)) return; // symlink loop or repeated argument
    seenDirs.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      issues.push(fileIssue(dir, `cannot read directory: ${errorText(e)}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const s = await stat(full);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch (e) {
          issues.push(fileIssue(full, `cannot follow symbolic link: ${errorText(e)}`));
          continue;
        }
      }
      if (isDir) await walk(full);
      else if (isFile && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) await addFile(full);
    }
  };
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      issues.push(fileIssue(p, errorText(e)));
      continue;
    }
    if (s.isDirectory()) await walk(p);
    else await addFile(p);
  }
  return { files, issues };
}

/** One file's parse; a failure of the reader itself becomes an error naming the file, never a crash. */
function parseFile(text: string, file: string): ManifestParse {
  try {
    return parseManifestText(text, file);
  } catch (e) {
    return {
      ...parseManifestText('', file),
      issues: [fileIssue(file, `could not read this file: ${errorText(e)}; nothing in it was loaded`)],
    };
  }
}

/** Reads manifests from files and directories into one Snapshot, with timings. */
export async function loadManifestsWithTimings(paths: readonly string[]): Promise<LoadResult> {
  const t0 = performance.now();
  const { files, issues } = await listManifestFiles(paths);
  const texts = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, text: await readFile(file, 'utf8') };
      } catch (e) {
        issues.push(fileIssue(file, `cannot read file: ${errorText(e)}`));
        return undefined;
      }
    }),
  );
  const t1 = performance.now();
  const parses: ManifestParse[] = [];
  let bytes = 0;
  for (const t of texts) {
    if (!t) continue;
    bytes += t.text.length;
    parses.push(parseFile(t.text, t.file));
  }
  const snapshot = buildSnapshot(parses, { kind: 'manifests', paths: [...paths] }, issues);
  const t2 = performance.now();
  return { snapshot, files, timings: { readMs: t1 - t0, parseMs: t2 - t1, files: files.length, bytes } };
}

/** Reads manifests from files and directories into one Snapshot. */
export async function loadManifests(paths: readonly string[]): Promise<Snapshot> {
  return (await loadManifestsWithTimings(paths)).snapshot;
}

/**
 * Parses the text of dropped files into one Snapshot, each under its own name so load issues say
 * which file and line. No disk is involved: the browser read the files.
 */
export function loadManifestTexts(
  files: readonly { readonly name: string; readonly text: string }[],
): Snapshot {
  const parses = files.map((f) => parseFile(f.text, f.name));
  return buildSnapshot(parses, { kind: 'dropped', files: files.map((f) => f.name) }, []);
}
