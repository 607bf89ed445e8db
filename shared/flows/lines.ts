/**
 * Splits text arriving in chunks (a file or stdin read piece by piece) into lines, numbered from 1,
 * without ever holding more than one chunk and one partial line: a million-record capture streams
 * through in constant memory. CRLF line ends are accepted.
 */
export class LineSplitter {
  #rest = '';
  #line = 0;
  readonly #onLine: (text: string, line: number) => void;

  constructor(onLine: (text: string, line: number) => void) {
    this.#onLine = onLine;
  }

  /** Lines emitted so far (blank ones too). */
  get lines(): number {
    return this.#line;
  }

  push(chunk: string): void {
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      this.#rest += chunk;
      return;
    }
    // The first line of the chunk completes what the previous chunk left over.
    this.#emit(this.#rest + chunk.slice(0, nl));
    this.#rest = '';
    let start = nl + 1;
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      this.#emit(chunk.slice(start, nl));
      start = nl + 1;
    }
    this.#rest = chunk.slice(start);
  }

  /** Emits the last line when the text does not end with a newline. */
  end(): void {
    if (this.#rest !== '') this.#emit(this.#rest);
    this.#rest = '';
  }

  #emit(text: string): void {
    this.#line++;
    this.#onLine(text.endsWith('\r') ? text.slice(0, -1) : text, this.#line);
  }
}
