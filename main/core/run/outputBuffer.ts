/**
 * Keeps the last `capacity` bytes a task wrote (stdout and stderr interleaved), so a task
 * writing gigabytes costs the supervisor a fixed amount of memory.
 */
export class OutputBuffer {
  readonly #capacity: number;
  #chunks: Buffer[] = [];
  #held = 0;
  #total = 0;

  constructor(capacity = 256 * 1024) {
    this.#capacity = capacity;
  }

  get total(): number {
    return this.#total;
  }

  /** Offset in the whole stream of the first byte still held. */
  get start(): number {
    return this.#total - this.#held;
  }

  /** Bytes held in memory now. */
  get held(): number {
    return this.#held;
  }

  /** Keep only the last `n` bytes (an ended task needs its tail, not 256 KiB). */
  shrinkTo(n: number): void {
    if (this.#held <= n) return;
    const all = Buffer.concat(this.#chunks);
    this.#chunks = n > 0 ? [Buffer.from(all.subarray(all.length - n))] : [];
    this.#held = n;
  }

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    if (chunk.length >= this.#capacity) {
      this.#chunks = [Buffer.from(chunk.subarray(chunk.length - this.#capacity))];
      this.#held = this.#capacity;
      return;
    }
    this.#chunks.push(chunk);
    this.#held += chunk.length;
    while (this.#held > this.#capacity) {
      const head = this.#chunks[0];
      const excess = this.#held - this.#capacity;
      if (head.length <= excess) {
        this.#chunks.shift();
        this.#held -= head.length;
      } else {
        this.#chunks[0] = Buffer.from(head.subarray(excess));
        this.#held -= excess;
      }
    }
    // Many tiny chunks cost more than their bytes; fold them now and then.
    if (this.#chunks.length > 256) this.#chunks = [Buffer.concat(this.#chunks)];
  }

  /** Bytes [offset, offset+length) of the whole stream, clipped to what is still held. */
  read(offset = this.start, length = this.#capacity): { offset: number; bytes: Buffer; truncated: boolean } {
    const from = Math.max(offset, this.start);
    const all = Buffer.concat(this.#chunks);
    const rel = from - this.start;
    const bytes = all.subarray(rel, Math.min(all.length, rel + length));
    return { offset: from, bytes, truncated: from > offset || this.start > 0 };
  }

  /** Last `n` bytes as text, for error messages. */
  tail(n = 2048): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - n)).toString('utf8');
  }
}
