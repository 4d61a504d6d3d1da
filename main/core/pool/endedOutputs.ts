import { OldestFirstMap } from './oldestFirst.js';
import type { TaskRecord } from './task.js';

const ENDED_OUTPUT_BYTES = 16 * 1024;
const ENDED_OUTPUT_BUDGET = 32 * 1024 * 1024;
/**
 * What one kept tail costs beyond its bytes: the string's header, the entry object and the Map
 * slot (measured: 146 bytes for a 10-byte tail; it was 346 as a Buffer). Counted in the budget so a million tiny outputs cannot
 * hide behind a count of bytes used (issue 9, item 24: a 4 KiB ring behind 5 bytes of output).
 */
export const ENTRY_OVERHEAD = 136;

interface Kept {
  /**
   * The tail's bytes as a latin1 string (one char per byte, exact for any bytes): it lives in V8's
   * heap, which compacts. A Buffer per tail cost a malloc and ~200 bytes more per ended task.
   */
  tail: string;
  /** Bytes the task wrote in all (the tail is the end of them) */
  total: number;
  /** Stderr ranges inside the tail, flat [from, to, …] stream offsets; absent when it wrote none */
  stderr?: number[];
}

const RANGE_BYTES = 16;

/**
 * Output of ended tasks by seq: each task's last 16 KiB copied into a string of exactly that
 * size (its ring is dropped with its record), and at most 32 MiB over all of them, counting
 * each entry's overhead (oldest dropped first), so a long run cannot grow the supervisor.
 */
const cost = (k: Kept) => k.tail.length + ENTRY_OVERHEAD + (k.stderr?.length ?? 0) * (RANGE_BYTES / 2);

export class EndedOutputs {
  readonly #kept = new OldestFirstMap<Kept>();
  #held = 0;

  constructor(
    private readonly perTask = ENDED_OUTPUT_BYTES,
    private readonly budget = ENDED_OUTPUT_BUDGET,
  ) {}

  /** Memory counted against the budget now. */
  get held(): number {
    return this.#held;
  }

  get size(): number {
    return this.#kept.size;
  }

  retain(t: TaskRecord): void {
    this.drop(t.seq);
    const n = Math.min(this.perTask, t.output.held);
    if (n === 0) return;
    const r = t.output.read(t.output.total - n, n);
    const tail = r.bytes.toString('latin1');
    const k: Kept = { tail, total: t.output.total };
    if (r.stderr.length > 0) k.stderr = r.stderr.flat();
    this.#kept.set(t.seq, k);
    this.#held += cost(k);
    while (this.#held > this.budget && this.#kept.size > 0) this.#held -= cost(this.#kept.shift()![1]);
  }

  drop(seq: number): void {
    const k = this.#kept.get(seq);
    if (!k) return;
    this.#kept.delete(seq);
    this.#held -= cost(k);
  }

  /** Every kept tail by seq, oldest first (output search). */
  *tails(): Generator<[number, Buffer]> {
    for (const [seq, k] of this.#kept.entries()) yield [seq, Buffer.from(k.tail, 'latin1')];
  }

  /** Bytes [offset, offset+length) of a task's whole output, clipped to the kept tail; null if none kept. */
  read(seq: number, offset?: number, length = this.perTask): { offset: number; bytes: Buffer; total: number; truncated: boolean; stderr?: [number, number][] } | null {
    const k = this.#kept.get(seq);
    if (!k) return null;
    const start = k.total - k.tail.length;
    const from = Math.max(offset ?? start, start);
    const end = Math.min(k.total, from + length);
    const stderr: [number, number][] = [];
    const r = k.stderr ?? [];
    for (let i = 0; i < r.length; i += 2) if (r[i + 1] > from && r[i] < end) stderr.push([Math.max(from, r[i]), Math.min(end, r[i + 1])]);
    return { offset: from, bytes: Buffer.from(k.tail.slice(from - start, Math.max(from, end) - start), 'latin1'), total: k.total, truncated: from > (offset ?? start) || start > 0, ...(stderr.length > 0 && { stderr }) };
  }
}
