import { deserialize, serialize } from 'node:v8';
import { ByteRing } from './byteRing.js';
import { formatBytes } from '../run/bytes.js';

/** What the kept results of one job may cost, counted in arena bytes. */
// 32 MiB: two results of the largest size a task may return (maxResultSize 16 MiB); with the ended
// outputs' 32 MiB, what a 10 M-task run keeps of its tasks' words stays a fixed 64 MiB.
export const RESULT_BUDGET_BYTES = 32 * 1024 * 1024;

/** Answer for a result that was dropped to stay within the budget (recognised by its brand). */
export interface EvictedResult {
  corralResult: 'evicted';
  message: string;
}

/** The value in its structured-clone form (what crossed from the host); one that cannot be cloned is kept as its text. */
function serialized(value: unknown): Buffer {
  try {
    return serialize(value);
  } catch {
    return serialize(String(value));
  }
}

/**
 * Module-task results in one arena outside V8's heap (ByteRing: each value in its v8.serialize form,
 * the oldest dropped when the head wraps onto them), so a million kept results are no JS objects.
 * The newest is always kept: one larger than the whole arena (a budget below maxResultSize) is held
 * alone as it came, and the arena is emptied, as a byte count trimmed oldest first would do.
 */
export class ResultStore {
  readonly budgetBytes: number;
  readonly #ring: ByteRing;
  #big: { seq: number; value: unknown; bytes: number } | null = null;

  constructor(budgetBytes = RESULT_BUDGET_BYTES) {
    this.budgetBytes = budgetBytes;
    this.#ring = new ByteRing(budgetBytes);
  }

  /** Bytes the kept results take (arena footprints, and the one kept over the budget). */
  get bytes(): number {
    return this.#ring.held + (this.#big?.bytes ?? 0);
  }

  get size(): number {
    return this.#ring.count + (this.#big ? 1 : 0);
  }

  /** serialisedBytes: the host's measure of the value; one over the whole budget is not copied into the arena. */
  keep(seq: number, value: unknown, serialisedBytes: number): void {
    this.forget(seq);
    this.#big = null; // the newest takes its place: a result kept over the budget goes first
    const data = ByteRing.footprint(serialisedBytes) <= this.budgetBytes ? serialized(value) : null;
    const at = data ? this.#ring.put(seq, data.length) : null;
    if (data && at) {
      data.copy(at);
      return;
    }
    this.#ring.clear();
    this.#big = { seq, value, bytes: ByteRing.footprint(data?.length ?? serialisedBytes) };
  }

  has(seq: number): boolean {
    return this.#big?.seq === seq || this.#ring.has(seq);
  }

  get(seq: number): unknown {
    if (this.#big?.seq === seq) return this.#big.value;
    const e = this.#ring.get(seq);
    return e ? deserialize(e) : undefined;
  }

  forget(seq: number): void {
    if (this.#big?.seq === seq) this.#big = null;
    else this.#ring.delete(seq);
  }

  /** The value, or for a task that had one (a module task that ended ok) but lost it, why. */
  answer(seq: number, hadResult: boolean): unknown {
    if (this.has(seq)) return this.get(seq);
    if (!hadResult) return undefined;
    return {
      corralResult: 'evicted',
      message: `the result of task ${seq} was dropped: kept results are limited to ${formatBytes(this.budgetBytes)}, oldest first`,
    } satisfies EvictedResult;
  }
}
