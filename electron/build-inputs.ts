/**
 * Build-time only (imported by the Vite configs of the CLI bundle, the web-mode server bundle and the
 * renderer): writes beside a build the record that bin/fresh-build.js reads to decide whether that
 * build still matches the sources. The record holds the time the build started and its inputs,
 * relative to the repository: every source module the bundle was made of, plus whole folders (a
 * trailing `/`) where the module list cannot see everything (the renderer's worker is bundled by a
 * build of its own). A source saved after the start makes the build stale, so a build that raced an
 * edit is never taken for fresh.
 */
import path from 'node:path';
import type { Plugin } from 'vite';

export interface RecordOptions {
  /** The repository root; inputs are recorded relative to it. */
  readonly root: string;
  /** When the build started (ms since the epoch): the config's load time. */
  readonly started: number;
  /** The record's name in the output folder. */
  readonly fileName?: string;
  /** Inputs besides the bundled modules: files, or folders ending in `/` (walked when checked). */
  readonly extra?: readonly string[];
}

export const RECORD_FILE = 'inputs.json';

/** The repository-relative, `/`-separated form of a module id, or undefined when it is not a source. */
function sourcePath(root: string, id: string): string | undefined {
  if (id.startsWith('\0') || !path.isAbsolute(id)) return undefined;
  const rel = path
    .relative(root, id.split('?')[0] ?? id)
    .split(path.sep)
    .join('/');
  // Files from node_modules change only with `npm install`, which rebuilds (the `prepare` script).
  if (rel.startsWith('..') || rel.startsWith('node_modules/')) return undefined;
  return rel;
}

export function recordInputs(options: RecordOptions): Plugin {
  return {
    name: 'netglass-record-inputs',
    apply: 'build',
    generateBundle(_output, bundle) {
      const files = new Set<string>(['package.json', ...(options.extra ?? [])]);
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        for (const id of item.moduleIds) {
          const rel = sourcePath(options.root, id);
          if (rel !== undefined) files.add(rel);
        }
      }
      const record = { builtAt: options.started, files: [...files].sort() };
      this.emitFile({
        type: 'asset',
        fileName: options.fileName ?? RECORD_FILE,
        source: `${JSON.stringify(record, null, 1)}\n`,
      });
    },
  };
}
