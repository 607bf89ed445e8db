/**
 * Opening manifests from the browser side: reading files and folders dropped on the window, and
 * sending their text to the Node side (`uploadManifests`, in parts small enough for one request each)
 * before opening them as a `dropped` source. The Node side parses; nothing here reads YAML.
 */
import type { NetglassApi, Result, SourceStatus, UploadPart } from '../../../shared/api/api.ts';
import {
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_FILES,
  UPLOAD_PART_CHARS,
  UPLOAD_PART_OVERHEAD,
} from '../../../shared/api/protocol.ts';

export interface DroppedFile {
  /** With its folders as dropped (`manifests/web.yaml`), so load issues say which file. */
  readonly name: string;
  readonly text: string;
}

export type ReadResult =
  | { readonly ok: true; readonly files: readonly DroppedFile[] }
  | { readonly ok: false; readonly message: string };

/** What a folder contributes; a file dropped by itself is taken whatever its name (as the loader does). */
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

const MIB = 1024 * 1024;

/** The parts of a file system entry (Chromium, Firefox, Safari: `webkitGetAsEntry`). */
interface EntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
}
interface FileEntryLike extends EntryLike {
  file(success: (file: File) => void, failure: (e: unknown) => void): void;
}
interface DirectoryEntryLike extends EntryLike {
  createReader(): {
    readEntries(success: (entries: EntryLike[]) => void, failure: (e: unknown) => void): void;
  };
}

/** One thing dropped: a file system entry where the browser gives one, else just the file. */
export type DroppedItem =
  { readonly kind: 'entry'; readonly entry: EntryLike } | { readonly kind: 'file'; readonly file: File };

/**
 * What was dropped, taken at once: the browser empties a DataTransfer when the drop handler returns,
 * so this runs synchronously inside it and the reading follows.
 */
export function droppedItems(data: DataTransfer): DroppedItem[] {
  const out: DroppedItem[] = [];
  const items = Array.from(data.items ?? []).filter((i) => i.kind === 'file');
  for (const item of items) {
    const entry = (item.webkitGetAsEntry?.() ?? null) as EntryLike | null;
    if (entry !== null) out.push({ kind: 'entry', entry });
    else {
      const file = item.getAsFile();
      if (file !== null) out.push({ kind: 'file', file });
    }
  }
  // No items list (older engines): the flat file list, without folders.
  if (items.length === 0) for (const file of Array.from(data.files)) out.push({ kind: 'file', file });
  return out;
}

/** True when a drag carries files (not text or a link dragged within the page). */
export function dragHasFiles(data: DataTransfer | null): boolean {
  return data !== null && Array.from(data.types).includes('Files');
}

function entryFile(entry: FileEntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function directoryEntries(entry: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = entry.createReader();
  const all: EntryLike[] = [];
  // readEntries answers in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

class TooMany extends Error {}

/**
 * The files of what was dropped, with their text: folders recursively (their .yaml, .yml and .json
 * files, skipping names that start with '.'), refused beyond MAX_UPLOAD_FILES files or
 * MAX_UPLOAD_BYTES in all, before any is read.
 */
export async function readDropped(items: readonly DroppedItem[]): Promise<ReadResult> {
  const found: { name: string; file: File }[] = [];
  const add = (name: string, file: File): void => {
    if (found.length >= MAX_UPLOAD_FILES) throw new TooMany();
    found.push({ name, file });
  };
  const walk = async (entry: EntryLike, top: boolean): Promise<void> => {
    if (entry.isDirectory) {
      if (!top && entry.name.startsWith('.')) return;
      const children = await directoryEntries(entry as DirectoryEntryLike);
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) await walk(child, false);
    } else if (entry.isFile && (top || (!entry.name.startsWith('.') && MANIFEST_FILE.test(entry.name)))) {
      add(entry.fullPath.replace(/^\/+/, '') || entry.name, await entryFile(entry as FileEntryLike));
    }
  };
  try {
    for (const item of items) {
      if (item.kind === 'file') add(item.file.name, item.file);
      else await walk(item.entry, true);
    }
  } catch (e) {
    if (e instanceof TooMany)
      return { ok: false, message: `Too many files: at most ${MAX_UPLOAD_FILES} can be dropped at once.` };
    return {
      ok: false,
      message: `Could not read what was dropped: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (found.length === 0) {
    return {
      ok: false,
      message: 'Nothing to open: drop manifest files, or folders holding .yaml, .yml or .json files.',
    };
  }
  const total = found.reduce((sum, f) => sum + f.file.size, 0);
  if (total > MAX_UPLOAD_BYTES) {
    return {
      ok: false,
      message: `Too much: ${(total / MIB).toFixed(1)} MiB dropped, at most ${MAX_UPLOAD_BYTES / MIB} MiB at once.`,
    };
  }
  const files: DroppedFile[] = [];
  const seen = new Map<string, number>();
  for (const f of found) {
    let text: string;
    try {
      text = await f.file.text();
    } catch (e) {
      return { ok: false, message: `Cannot read ${f.name}: ${e instanceof Error ? e.message : String(e)}` };
    }
    // Two dropped folders may hold the same relative path: keep both, told apart.
    const count = (seen.get(f.name) ?? 0) + 1;
    seen.set(f.name, count);
    files.push({ name: count === 1 ? f.name : `${f.name} (${count})`, text });
  }
  return { ok: true, files };
}

/**
 * The requests that carry `files`, in order: each within UPLOAD_PART_CHARS as `uploadPartCost`
 * counts it (names, text and a per-part overhead), small files several to a request, a big one over
 * several. A cut never splits a surrogate pair.
 */
export function uploadBatches(files: readonly DroppedFile[]): UploadPart[][] {
  const batches: UploadPart[][] = [];
  let batch: UploadPart[] = [];
  let room = UPLOAD_PART_CHARS;
  const flush = (): void => {
    if (batch.length > 0) batches.push(batch);
    batch = [];
    room = UPLOAD_PART_CHARS;
  };
  for (const file of files) {
    // The name and the overhead are paid by every part of the file.
    const fixed = file.name.length + UPLOAD_PART_OVERHEAD;
    let at = 0;
    do {
      // Room for the name and two code units (a whole surrogate pair), or for what is left.
      if (room < fixed + Math.min(2, file.text.length - at)) flush();
      let end = Math.min(file.text.length, at + room - fixed);
      const last = file.text.charCodeAt(end - 1);
      if (end < file.text.length && end - at > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
      batch.push({ name: file.name, text: file.text.slice(at, end) });
      room -= fixed + (end - at);
      at = end;
    } while (at < file.text.length);
  }
  flush();
  return batches;
}

/** A random upload id (the Node side accepts 16 to 64 letters, digits and dashes). */
export function newUploadId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Sends `files` to the Node side and opens them as the current source. */
export async function openDropped(
  api: Pick<NetglassApi, 'openSource' | 'uploadManifests'>,
  files: readonly DroppedFile[],
  upload: string = newUploadId(),
): Promise<Result<SourceStatus>> {
  if (api.uploadManifests === undefined) {
    return {
      ok: false,
      error: {
        code: 'not-supported',
        message: 'This netglass cannot open dropped files.',
        feature: 'dropped',
      },
    };
  }
  for (const parts of uploadBatches(files)) {
    const sent = await api.uploadManifests({ upload, parts });
    if (!sent.ok) return sent;
  }
  return api.openSource({ kind: 'dropped', upload, files: files.map((f) => f.name) });
}

/** Paths typed one per line (blank lines ignored). */
export function parsePathList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
