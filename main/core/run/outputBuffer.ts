/** Where stderr bytes sit in a task's whole output: [from, to) pairs of stream offsets, ascending. */
export type StreamRanges = [number, number][];

/** Stderr ranges kept per buffer; a task alternating streams on every byte loses the oldest marks first. */
export const MAX_STDERR_RANGES = 1024;

/**
 * Keeps the last `capacity` bytes a task wrote (stdout and stderr interleaved), so a task
 * writing gigabytes costs the supervisor a fixed amount of memory. The bytes live in one ring
 * that grows up to the capacity and is then overwritten in place: pushing allocates nothing,
 * however fast the task writes; only reads copy. Which bytes came from stderr is kept as ranges
 * beside the ring (adjacent stderr chunks merge; ranges go with the bytes they cover).
 */
export class OutputBuffer {
  readonly #capacity: number;
  #ring: Buffer | null = null;
  #head = 0; // index in #ring of the oldest byte held
  #held = 0;
  #total = 0;
  /** Flat [from, to, from, to, …] stream offsets of stderr bytes, oldest first */
  #stderr: number[] = [];
  /** Stderr marks before this offset were dropped by the range cap (their bytes may still be held) */
  #unmarkedBefore = 0;

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
    if (stream === 'stderr' && chunk.length > 0) this.#markStderr(this.#total, this.#total + chunk.length);
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

  /** Bytes [offset, offset+length) of the whole stream, clipped to what is still held, and which of them are stderr. */
  read(offset = this.start, length = this.#capacity): { offset: number; bytes: Buffer; truncated: boolean; stderr: StreamRanges } {
    const from = Math.max(offset, this.start);
    const end = Math.min(this.#total, from + length);
    return { offset: from, bytes: this.#copy(from - this.start, Math.max(0, end - from)), truncated: from > offset || this.start > 0, stderr: this.stderrIn(from, end) };
  }

  /** Stderr ranges clipped to [from, to) of the whole stream. */
  stderrIn(from: number, to: number): StreamRanges {
    this.#dropMarks();
    const out: StreamRanges = [];
    const r = this.#stderr;
    for (let i = 0; i < r.length; i += 2) {
      if (r[i + 1] <= from) continue;
      if (r[i] >= to) break;
      out.push([Math.max(from, r[i]), Math.min(to, r[i + 1])]);
    }
    return out;
  }

  /** True when the range cap dropped marks of bytes still held (they then read as stdout). */
  get stderrMarksLost(): boolean {
    return this.#unmarkedBefore > this.start;
  }

  #markStderr(from: number, to: number): void {
    const r = this.#stderr;
    if (r.length > 0 && r[r.length - 1] === from) r[r.length - 1] = to;
    else r.push(from, to);
    this.#dropMarks();
    if (r.length > MAX_STDERR_RANGES * 2) {
      const cut = r.length - MAX_STDERR_RANGES * 2;
      this.#unmarkedBefore = r[cut - 1];
      r.splice(0, cut);
    }
  }

  /** Ranges whose bytes the ring no longer holds go with them. */
  #dropMarks(): void {
    const r = this.#stderr;
    const start = this.start;
    let n = 0;
    while (n < r.length && r[n + 1] <= start) n += 2;
    if (n > 0) r.splice(0, n);
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

/**
 * Output bytes as text, with the stderr ranges (stream offsets) turned into [from, to) indexes of
 * that text. Each stretch is decoded on its own so the indexes are exact even where the bytes are
 * not UTF-8 (one invalid byte becomes one U+FFFD, not a shifted offset).
 */
export function outputText(offset: number, bytes: Buffer, stderr: readonly [number, number][]): { text: string; stderr: [number, number][] } {
  if (stderr.length === 0) return { text: bytes.toString('utf8'), stderr: [] };
  let text = '';
  let at = 0; // bytes consumed
  const marks: [number, number][] = [];
  for (const [from, to] of stderr) {
    const a = Math.max(at, from - offset);
    const b = Math.min(bytes.length, to - offset);
    if (b <= a) continue;
    text += bytes.toString('utf8', at, a);
    const start = text.length;
    text += bytes.toString('utf8', a, b);
    marks.push([start, text.length]);
    at = b;
  }
  text += bytes.toString('utf8', at);
  return { text, stderr: marks };
}
