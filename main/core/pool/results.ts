import { OldestFirstMap } from './oldestFirst.js';
import { formatBytes } from '../run/bytes.js';

/** What the kept results of one job may cost, counted in serialised bytes. */
// 32 MiB: two results of the largest size a task may return (maxResultSize 16 MiB); with the ended
// outputs' 32 MiB, what a 10 M-task run keeps of its tasks' words stays a fixed 64 MiB.
export const RESULT_BUDGET_BYTES = 32 * 1024 * 1024;
/** What keeping one more result costs besides its bytes (map entry, record), measured (~122 bytes for a small number): a million tiny results are not free. */
export const RESULT_ENTRY_BYTES = 120;

/** Answer for a result that was dropped to stay within the budget (recognised by its brand). */
export interface EvictedResult {
  corralResult: 'evicted';
  message: string;
}

/**
 * Module-task results, oldest dropped first once their serialised sizes pass the budget. The
 * newest is always kept, so a budget below maxResultSize still answers the task that just ended.
 */
export class ResultStore {
  readonly budgetBytes: number;
  #kept = new OldestFirstMap<{ value: unknown; bytes: number }>();
  #bytes = 0;

  constructor(budgetBytes = RESULT_BUDGET_BYTES) {
    this.budgetBytes = budgetBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#kept.size;
  }

  keep(seq: number, value: unknown, serialisedBytes: number): void {
    this.forget(seq); // a newer attempt's value goes to the back
    const bytes = serialisedBytes + RESULT_ENTRY_BYTES;
    this.#kept.set(seq, { value, bytes });
    this.#bytes += bytes;
    while (this.#bytes > this.budgetBytes && this.#kept.size > 1) this.#bytes -= this.#kept.shift()![1].bytes;
  }

  has(seq: number): boolean {
    return this.#kept.has(seq);
  }

  get(seq: number): unknown {
    return this.#kept.get(seq)?.value;
  }

  forget(seq: number): void {
    const r = this.#kept.get(seq);
    if (!r) return;
    this.#kept.delete(seq);
    this.#bytes -= r.bytes;
  }

  /** The value, or for a task that had one (a module task that ended ok) but lost it, why. */
  answer(seq: number, hadResult: boolean): unknown {
    if (this.#kept.has(seq)) return this.get(seq);
    if (!hadResult) return undefined;
    return {
      corralResult: 'evicted',
      message: `the result of task ${seq} was dropped: kept results are limited to ${formatBytes(this.budgetBytes)}, oldest first`,
    } satisfies EvictedResult;
  }
}
