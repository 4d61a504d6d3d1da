import { ByteRing } from './byteRing.js';
import type { TaskRecord } from './task.js';

const ENDED_OUTPUT_BYTES = 16 * 1024;
const ENDED_OUTPUT_BUDGET = 32 * 1024 * 1024;
/** Before the tail in an entry: bytes written in all (f64), then the count of stderr ranges (u32, padded to 8). */
const META = 16;
const RANGE_BYTES = 16;

/** Arena bytes one kept tail takes: its bytes, its stderr ranges and the entry's header, at least MIN_ENTRY. */
export const tailFootprint = (bytes: number, stderrRanges = 0) => ByteRing.footprint(META + stderrRanges * RANGE_BYTES + bytes);

/**
 * Output of ended tasks by seq: each task's last 16 KiB copied out of its ring (dropped with its
 * record) into one 32 MiB arena outside V8's heap (ByteRing: oldest dropped when the head wraps
 * onto them), so a long run cannot grow the supervisor and a kept tail is no JS object. Each
 * entry is [total bytes written f64][stderr range count u32, pad][ranges: from, to as f64…][tail].
 */
export class EndedOutputs {
  readonly #ring: ByteRing;

  constructor(
    private readonly perTask = ENDED_OUTPUT_BYTES,
    budget = ENDED_OUTPUT_BUDGET,
  ) {
    this.#ring = new ByteRing(budget);
  }

  /** Arena bytes the kept tails take now (within the budget). */
  get held(): number {
    return this.#ring.held;
  }

  get size(): number {
    return this.#ring.count;
  }

  retain(t: TaskRecord): void {
    this.drop(t.seq);
    const n = Math.min(this.perTask, t.output.held);
    if (n === 0) return;
    const r = t.output.read(t.output.total - n, n);
    const at = this.#ring.put(t.seq, META + r.stderr.length * RANGE_BYTES + r.bytes.length);
    if (!at) return; // one tail larger than the whole budget: not kept (as when it was evicted at once)
    at.writeDoubleLE(t.output.total, 0);
    at.writeUInt32LE(r.stderr.length, 8);
    let p = META;
    for (const [from, to] of r.stderr) {
      at.writeDoubleLE(from, p);
      at.writeDoubleLE(to, p + 8);
      p += RANGE_BYTES;
    }
    r.bytes.copy(at, p);
  }

  drop(seq: number): void {
    this.#ring.delete(seq);
  }

  /** Every kept tail by seq, oldest first (output search); each a copy. */
  *tails(): Generator<[number, Buffer]> {
    for (const [seq, e] of this.#ring.entries()) yield [seq, Buffer.from(e.subarray(META + e.readUInt32LE(8) * RANGE_BYTES))];
  }

  /** Bytes [offset, offset+length) of a task's whole output, clipped to the kept tail; null if none kept. */
  read(seq: number, offset?: number, length = this.perTask): { offset: number; bytes: Buffer; total: number; truncated: boolean; stderr?: [number, number][] } | null {
    const e = this.#ring.get(seq);
    if (!e) return null;
    const total = e.readDoubleLE(0);
    const ranges = e.readUInt32LE(8);
    const tail = e.subarray(META + ranges * RANGE_BYTES);
    const start = total - tail.length;
    const from = Math.max(offset ?? start, start);
    const end = Math.min(total, from + length);
    const stderr: [number, number][] = [];
    for (let p = META; p < META + ranges * RANGE_BYTES; p += RANGE_BYTES) {
      const a = e.readDoubleLE(p);
      const b = e.readDoubleLE(p + 8);
      if (b > from && a < end) stderr.push([Math.max(from, a), Math.min(end, b)]);
    }
    return { offset: from, bytes: Buffer.from(tail.subarray(from - start, Math.max(from, end) - start)), total, truncated: from > (offset ?? start) || start > 0, ...(stderr.length > 0 && { stderr }) };
  }
}
