/**
 * Keeps the last `capacity` bytes a task wrote (stdout and stderr interleaved), so a task
 * writing gigabytes costs the supervisor a fixed amount of memory. The bytes live in one ring
 * that grows up to the capacity and is then overwritten in place: pushing allocates nothing,
 * however fast the task writes; only reads copy.
 */
export class OutputBuffer {
  readonly #capacity: number;
  #ring: Buffer | null = null;
  #head = 0; // index in #ring of the oldest byte held
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

  /** Told every chunk a task's own stdout or stderr wrote (not Corral's notes), before the ring may drop it */
  tee: ((chunk: Buffer, stream: 'stdout' | 'stderr') => void) | null = null;

  /** `stream` is given for what the task wrote; Corral's own notes (attempt headers) have none. */
  push(chunk: Buffer, stream?: 'stdout' | 'stderr'): void {
    if (stream && this.tee) this.tee(chunk, stream);
    this.#total += chunk.length;
    if (chunk.length === 0 || this.#capacity === 0) return;
    if (chunk.length >= this.#capacity) {
      this.#reset(chunk.subarray(chunk.length - this.#capacity), this.#capacity);
      return;
    }
    this.#reserve(Math.min(this.#capacity, this.#held + chunk.length));
    const ring = this.#ring!;
    const size = ring.length;
    const tail = (this.#head + this.#held) % size;
    const first = Math.min(chunk.length, size - tail);
    chunk.copy(ring, tail, 0, first);
    if (first < chunk.length) chunk.copy(ring, 0, first);
    const over = this.#held + chunk.length - size;
    if (over > 0) {
      // Full: the oldest bytes were just overwritten.
      this.#head = (this.#head + over) % size;
      this.#held = size;
    } else {
      this.#held += chunk.length;
    }
  }

  /** Bytes [offset, offset+length) of the whole stream, clipped to what is still held. */
  read(offset = this.start, length = this.#capacity): { offset: number; bytes: Buffer; truncated: boolean } {
    const from = Math.max(offset, this.start);
    const end = Math.min(this.#total, from + length);
    return { offset: from, bytes: this.#copy(from - this.start, Math.max(0, end - from)), truncated: from > offset || this.start > 0 };
  }

  /** Last `n` bytes as text, for error messages. */
  tail(n = 2048): string {
    const k = Math.min(n, this.#held);
    return this.#copy(this.#held - k, k).toString('utf8');
  }

  /** Keep only the last `n` bytes (an ended task needs its tail, not 256 KiB). */
  shrinkTo(n: number): void {
    if (this.#held <= n) return;
    if (n <= 0) {
      this.#ring = null;
      this.#head = 0;
      this.#held = 0;
      return;
    }
    this.#reset(this.#copy(this.#held - n, n), n);
  }

  /** A copy of `length` held bytes starting `rel` bytes after the oldest. */
  #copy(rel: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    if (length === 0 || !this.#ring) return out;
    const size = this.#ring.length;
    const from = (this.#head + rel) % size;
    const first = Math.min(length, size - from);
    this.#ring.copy(out, 0, from, from + first);
    if (first < length) this.#ring.copy(out, first, 0, length - first);
    return out;
  }

  /** Make the ring at least `need` bytes (never above the capacity), keeping what it holds. */
  #reserve(need: number): void {
    const size = this.#ring?.length ?? 0;
    if (size >= need) return;
    // From 256 bytes: most tasks write a line or nothing, and a small ring is a slice of Node's shared
    // 8 KiB pool, not a 4 KiB malloc of its own for each of a run's millions of tasks.
    const grown = Math.min(this.#capacity, Math.max(need, size * 2, 256));
    const ring = Buffer.allocUnsafe(grown);
    const held = this.#copy(0, this.#held);
    held.copy(ring, 0);
    this.#ring = ring;
    this.#head = 0;
  }

  #reset(bytes: Buffer, size: number): void {
    this.#ring = Buffer.allocUnsafe(size);
    bytes.copy(this.#ring, 0);
    this.#head = 0;
    this.#held = bytes.length;
  }
}
