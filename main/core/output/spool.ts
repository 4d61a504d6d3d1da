// A FIFO of bytes that keeps up to `memoryBytes` in memory and spills the rest to a temporary
// file until it is taken: a task's grouped output waiting for its end, or a backlog waiting for
// a slow reader of Corral's stdout. Memory stays bounded however much is written.
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SPOOL_MEMORY_BYTES = 1024 * 1024;

/** A temporary file bytes are appended to and read back from by offset; removed on close. */
export class SpillFile {
  readonly #dir = mkdtempSync(join(tmpdir(), 'corral-output-'));
  readonly #fd = openSync(join(this.#dir, 'spool'), 'w+');
  /** Bytes written so far (the next append's offset) */
  end = 0;

  append(chunk: Buffer): number {
    const at = this.end;
    let done = 0;
    while (done < chunk.length) done += writeSync(this.#fd, chunk, done, chunk.length - done, at + done);
    this.end += chunk.length;
    return at;
  }

  read(at: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    let n = 0;
    while (n < length) {
      const got = readSync(this.#fd, buf, n, length - n, at + n);
      if (got === 0) break;
      n += got;
    }
    return n === length ? buf : buf.subarray(0, n);
  }

  /** Nothing in the file is needed any more: it starts over instead of growing for the whole run. */
  reset(): void {
    ftruncateSync(this.#fd, 0);
    this.end = 0;
  }

  close(): void {
    closeSync(this.#fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

export class Spool {
  #chunks: Buffer[] = [];
  #inMemory = 0;
  #file: SpillFile | null = null;
  #readAt = 0;

  constructor(private readonly memoryBytes = SPOOL_MEMORY_BYTES) {}

  /** Bytes waiting to be taken. */
  get size(): number {
    return this.#inMemory + (this.#file ? this.#file.end - this.#readAt : 0);
  }

  /** Whether bytes went to the temporary file (for tests and the --json record). */
  get spilled(): boolean {
    return this.#file !== null;
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    // Once spilling, everything goes to the file so the order stays: memory first, then file.
    if (!this.#file && this.#inMemory + chunk.length <= this.memoryBytes) {
      this.#chunks.push(Buffer.from(chunk)); // a copy: the caller may reuse its buffer
      this.#inMemory += chunk.length;
      return;
    }
    (this.#file ??= new SpillFile()).append(chunk);
  }

  /** The next bytes (at most `max`, from memory first), or null when empty. */
  take(max = 64 * 1024): Buffer | null {
    const head = this.#chunks.shift();
    if (head) {
      this.#inMemory -= head.length;
      return head;
    }
    const f = this.#file;
    if (!f || this.#readAt >= f.end) return null;
    const buf = f.read(this.#readAt, Math.min(max, f.end - this.#readAt));
    this.#readAt += buf.length;
    if (this.#readAt >= f.end) {
      f.reset();
      this.#readAt = 0;
    }
    return buf;
  }

  /** Drops what is left and removes the temporary file. */
  close(): void {
    this.#chunks = [];
    this.#inMemory = 0;
    this.#file?.close();
    this.#file = null;
    this.#readAt = 0;
  }
}
