// Which CLI entry the launcher loads: the bundle built by `npm run build:cli` (out/cli/main.js, built
// on `npm install`) when it is there and no source it was built from changed since, else the
// TypeScript sources (development: edits take effect at once, with no watcher and no message).
// Plain JavaScript on purpose: this runs on every call, before anything could be type-stripped.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * A file's JSON, or undefined when it is absent or not JSON.
 * @param {string} file
 * @returns {unknown}
 */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The bundle's record (written by electron/cli/vite.config.ts), or undefined when absent or unreadable.
 * @param {string} root the repository root
 * @returns {{ builtAt: number, files: string[] } | undefined}
 */
function readRecord(root) {
  const parsed = readJson(path.join(root, 'out', 'cli', 'inputs.json'));
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  /** @type {unknown} */
  const builtAt = Reflect.get(parsed, 'builtAt');
  /** @type {unknown} */
  const files = Reflect.get(parsed, 'files');
  if (typeof builtAt !== 'number' || !Array.isArray(files) || files.length === 0) return undefined;
  if (!files.every((f) => typeof f === 'string')) return undefined;
  return { builtAt, files: /** @type {string[]} */ (files) };
}

/**
 * The path of the bundle's entry when it may be used, or undefined to run from sources: it must exist
 * and every source it was built from must exist and be older than the build's start.
 * @param {string} root the repository root
 * @returns {string | undefined}
 */
export function freshBundle(root) {
  const record = readRecord(root);
  if (record === undefined) return undefined;
  const entry = path.join(root, 'out', 'cli', 'main.js');
  try {
    statSync(entry);
    for (const file of record.files) {
      if (statSync(path.join(root, file)).mtimeMs >= record.builtAt) return undefined;
    }
  } catch {
    return undefined;
  }
  return entry;
}
