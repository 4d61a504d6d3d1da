// A FIFO of bytes that keeps up to `memoryBytes` in memory and spills the rest to a temporary
// file until it is taken: a task's grouped output waiting for its end, or a backlog waiting for
// a slow reader of Corral's stdout. Memory stays bounded however much is written.
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SPOOL_MEMORY_BYTES = 1024 * 1024;

export class Spool {
  #chunks: Buffer[] = [];
  #inMemory = 0;
  #file: { dir: string; fd: number; readAt: number; writeAt: number } | null = null;

  constructor(private readonly memoryBytes = SPOOL_MEMORY_BYTES) {}

  /** Bytes waiting to be taken. */
  get size(): number {
    return this.#inMemory + (this.#file ? this.#file.writeAt - this.#file.readAt : 0);
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
    if (!this.#file) {
      const dir = mkdtempSync(join(tmpdir(), 'corral-output-'));
      this.#file = { dir, fd: openSync(join(dir, 'spool'), 'w+'), readAt: 0, writeAt: 0 };
    }
    const f = this.#file;
    let done = 0;
    while (done < chunk.length) done += writeSync(f.fd, chunk, done, chunk.length - done, f.writeAt + done);
    f.writeAt += chunk.length;
  }

  /** The next bytes (at most `max`, from memory first), or null when empty. */
  take(max = 64 * 1024): Buffer | null {
    const head = this.#chunks.shift();
    if (head) {
      this.#inMemory -= head.length;
      return head;
    }
    const f = this.#file;
    if (!f || f.readAt >= f.writeAt) return null;
    const buf = Buffer.allocUnsafe(Math.min(max, f.writeAt - f.readAt));
    const n = readSync(f.fd, buf, 0, buf.length, f.readAt);
    f.readAt += n;
    if (f.readAt >= f.writeAt) {
      // Drained: the file starts over instead of growing for the whole run.
      ftruncateSync(f.fd, 0);
      f.readAt = f.writeAt = 0;
    }
    return n === buf.length ? buf : buf.subarray(0, n);
  }

  /** Drops what is left and removes the temporary file. */
  close(): void {
    this.#chunks = [];
    this.#inMemory = 0;
    if (this.#file) {
      closeSync(this.#file.fd);
      rmSync(this.#file.dir, { recursive: true, force: true });
      this.#file = null;
    }
  }
}
