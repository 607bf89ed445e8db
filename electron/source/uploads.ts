/**
 * The text of files dropped on the window, received part by part (`uploadManifests`) until an
 * `openSource` of kind `dropped` takes it. Held in memory only, with caps on files, bytes and the
 * number of uploads in flight, so a client cannot make the Node side hold more than a few of them.
 */
import { err, ok, type Result, type UploadPart, type UploadProgress } from '../../shared/api/api.ts';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, utf8Length } from '../../shared/api/protocol.ts';

/** A dropped file: its name (with its folders) and its whole text. */
export interface DroppedText {
  readonly name: string;
  readonly text: string;
}

/** Uploads not yet opened; the oldest is dropped beyond this. */
const MAX_PENDING = 4;
/** An upload nobody opened within this time is forgotten. */
const PENDING_MS = 10 * 60 * 1000;

interface Pending {
  readonly files: Map<string, string[]>;
  bytes: number;
  touched: number;
}

export class UploadStore {
  readonly #pending = new Map<string, Pending>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Appends each part's text to its file in `upload` (created on first use). */
  append(upload: string, parts: readonly UploadPart[]): Result<UploadProgress> {
    this.#expire();
    let pending = this.#pending.get(upload);
    if (pending === undefined) {
      if (this.#pending.size >= MAX_PENDING) {
        const oldest = this.#pending.keys().next().value;
        if (oldest !== undefined) this.#pending.delete(oldest);
      }
      pending = { files: new Map(), bytes: 0, touched: this.#now() };
      this.#pending.set(upload, pending);
    }
    const added = parts.reduce((sum, p) => sum + utf8Length(p.text), 0);
    const names = new Set([...pending.files.keys(), ...parts.map((p) => p.name)]);
    if (names.size > MAX_UPLOAD_FILES || pending.bytes + added > MAX_UPLOAD_BYTES) {
      // The whole upload is refused: half a set of files would load as a misleading snapshot.
      this.#pending.delete(upload);
      return err({
        code: 'invalid-request',
        message:
          names.size > MAX_UPLOAD_FILES
            ? `Too many files: at most ${MAX_UPLOAD_FILES} can be dropped at once.`
            : `Too much text: at most ${MAX_UPLOAD_BYTES / (1024 * 1024)} MiB of manifests can be dropped at once.`,
        field: 'params.parts',
      });
    }
    for (const part of parts) {
      const chunks = pending.files.get(part.name);
      if (chunks === undefined) pending.files.set(part.name, [part.text]);
      else chunks.push(part.text);
    }
    pending.bytes += added;
    pending.touched = this.#now();
    return ok({ files: pending.files.size, bytes: pending.bytes });
  }

  /**
   * The upload's files in the order of `names` (each must be there), and the upload is forgotten.
   * Undefined names a problem a user can act on.
   */
  take(upload: string, names: readonly string[]): Result<DroppedText[]> {
    this.#expire();
    const pending = this.#pending.get(upload);
    if (pending === undefined) {
      return err({
        code: 'invalid-request',
        message: 'The dropped files did not reach netglass (or waited too long): drop them again.',
        field: 'params.upload',
      });
    }
    const missing = names.find((n) => !pending.files.has(n));
    if (missing !== undefined || names.length !== pending.files.size) {
      return err({
        code: 'invalid-request',
        message: `The dropped files arrived incomplete${missing !== undefined ? ` (${missing} is missing)` : ''}: drop them again.`,
        field: 'params.files',
      });
    }
    this.#pending.delete(upload);
    return ok(names.map((name) => ({ name, text: (pending.files.get(name) ?? []).join('') })));
  }

  get size(): number {
    return this.#pending.size;
  }

  #expire(): void {
    const now = this.#now();
    for (const [id, p] of this.#pending) if (now - p.touched > PENDING_MS) this.#pending.delete(id);
  }
}
