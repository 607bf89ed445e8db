// Whether a build under out/ may be used instead of the sources: the CLI bundle (bin/netglass.js), the
// web-mode server bundle and the built renderer (bin/web.js). Each build leaves a record of its start
// time and inputs (electron/build-inputs.ts writes it); the build is fresh while its entry exists and
// no input changed since the start. Development needs no watcher: an edited source makes the launchers
// run from sources (or rebuild the renderer) until the next build.
// Plain JavaScript on purpose: this runs on every call, before anything could be type-stripped.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The builds this repository makes, relative to its root. The renderer's record is a dotfile because
 * out/renderer is served to the browser and the static server never serves dotfiles.
 * @type {Readonly<Record<'cli' | 'web' | 'renderer', { dir: string, entry: string, record: string }>>}
 */
export const BUILDS = {
  cli: { dir: 'out/cli', entry: 'main.js', record: 'inputs.json' },
  web: { dir: 'out/web', entry: 'main.js', record: 'inputs.json' },
  renderer: { dir: 'out/renderer', entry: 'index.html', record: '.inputs.json' },
};

/**
 * A build's record, or undefined when absent or unreadable.
 * @param {string} file
 * @returns {{ builtAt: number, files: string[] } | undefined}
 */
function readRecord(file) {
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
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
 * Whether a folder, or anything below it (dotfiles and node_modules aside), changed at or after
 * `since`. The folders' own times count too, so a deleted or renamed source is noticed.
 * @param {string} dir
 * @param {number} since
 * @returns {boolean}
 */
function changedBelow(dir, since) {
  if (statSync(dir).mtimeMs >= since) return true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = path.join(dir, entry.name);
    if (entry.isDirectory() ? changedBelow(child, since) : statSync(child).mtimeMs >= since) return true;
  }
  return false;
}

/**
 * The absolute path of a build's entry when the build may be used, else undefined: the entry and the
 * record exist, and every recorded input exists and is older than the build's start.
 * @param {string} root the repository root
 * @param {keyof typeof BUILDS} name
 * @returns {string | undefined}
 */
export function freshBuild(root, name) {
  const build = BUILDS[name];
  const record = readRecord(path.join(root, build.dir, build.record));
  if (record === undefined) return undefined;
  const entry = path.join(root, build.dir, build.entry);
  try {
    statSync(entry);
    for (const input of record.files) {
      const file = path.join(root, input);
      const changed = input.endsWith('/')
        ? changedBelow(file, record.builtAt)
        : statSync(file).mtimeMs >= record.builtAt;
      if (changed) return undefined;
    }
  } catch {
    return undefined;
  }
  return entry;
}
