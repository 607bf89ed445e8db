/** Output sinks for the CLI: real streams (with back-pressure) or strings (tests). */
import type { Writable } from 'node:stream';

export interface CliIO {
  /** Writes to standard output; await it for large outputs. */
  out(text: string): Promise<void> | void;
  err(text: string): void;
}

/** Buffers small writes and respects back-pressure, so a huge table streams instead of piling up. */
export class StreamWriter {
  private buffer: string[] = [];
  private size = 0;
  private readonly stream: Writable;

  constructor(stream: Writable) {
    this.stream = stream;
  }

  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
        this.stream.on('close', done);
      });
    }
  }
}

export function processIO(): { io: CliIO; flush: () => Promise<void> } {
  const writer = new StreamWriter(process.stdout);
  return {
    io: {
      out: (text) => writer.write(text),
      err: (text) => {
        process.stderr.write(text);
      },
    },
    flush: () => writer.flush(),
  };
}

/** Collects output in strings (unit tests run commands in-process). */
export function memoryIO(): CliIO & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => {
      out.push(t);
    },
    err: (t) => {
      err.push(t);
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
