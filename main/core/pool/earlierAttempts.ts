import type { Outcome, TaskInfo } from '../../contract/types.js';

// The earlier attempts of retried tasks, for the task stream: the ended columns keep one row per
// task (its last attempt). Retries are few, so they sit in a side table of typed arrays — 30 bytes
// an attempt — kept in the order they ended. Past a byte budget the oldest go, and are counted:
// the stream says how many it no longer has.

const OUTCOMES: readonly Outcome[] = ['ok', 'failed', 'timeout', 'killed', 'stuck-killed', 'memory-killed', 'interrupted', 'skipped'];
/** seq 4, attempt 2, slot 2, start 8, end 8, outcome 1, exit code 4, signal 1 */
export const ATTEMPT_BYTES = 30;
/** 4 MiB: ~140 000 earlier attempts */
export const DEFAULT_ATTEMPTS_BUDGET = 4 * 1024 * 1024;
const NO_EXIT = -0x80000000;

export interface EarlierAttempt {
  seq: number;
  attempt: number;
  slot: number;
  start: number;
  end: number;
  outcome: Outcome;
  exitCode: number | null;
  signal: string | null;
}

export class EarlierAttempts {
  readonly #max: number;
  #seq = new Uint32Array(0);
  #attempt = new Uint16Array(0);
  #slot = new Uint16Array(0);
  #start = new Float64Array(0);
  #end = new Float64Array(0);
  #outcome = new Uint8Array(0);
  #exit = new Int32Array(0);
  #signal = new Uint8Array(0);
  readonly #signals: string[] = [];
  /** Index of the oldest kept attempt (a ring once the budget is reached) */
  #head = 0;
  #size = 0;
  #dropped = 0;

  constructor(budgetBytes = DEFAULT_ATTEMPTS_BUDGET) {
    this.#max = Math.max(1, Math.floor(budgetBytes / ATTEMPT_BYTES));
  }

  get size(): number {
    return this.#size;
  }

  /** Attempts let go to stay within the budget, oldest first. */
  get dropped(): number {
    return this.#dropped;
  }

  get bytes(): number {
    return this.#seq.length * ATTEMPT_BYTES;
  }

  /** Keeps an attempt that ended and is followed by another (a retry); one that never started is not kept. */
  keep(t: TaskInfo, outcome: Outcome): void {
    if (t.startedAt === null || t.endedAt === null || t.slot === null || t.attempt === 0) return;
    if (this.#size === this.#seq.length && this.#size < this.#max) this.#grow(Math.min(this.#max, Math.max(64, this.#size * 2)));
    let i: number;
    if (this.#size < this.#max) i = (this.#head + this.#size++) % this.#seq.length;
    else {
      i = this.#head; // full: the oldest makes room
      this.#head = (this.#head + 1) % this.#seq.length;
      this.#dropped++;
    }
    this.#seq[i] = t.seq;
    this.#attempt[i] = Math.min(t.attempt, 0xffff);
    this.#slot[i] = Math.min(t.slot, 0xffff);
    this.#start[i] = t.startedAt;
    this.#end[i] = t.endedAt;
    this.#outcome[i] = OUTCOMES.indexOf(outcome);
    this.#exit[i] = t.exitCode ?? NO_EXIT;
    this.#signal[i] = t.signal === null ? 0 : this.#signalCode(t.signal);
  }

  /** The kept attempts that ended after `since` (all without it), oldest first. */
  *ended(since = -Infinity): Generator<EarlierAttempt> {
    const n = this.#seq.length;
    for (let k = 0; k < this.#size; k++) {
      const i = (this.#head + k) % n;
      if (this.#end[i] <= since) continue;
      const sig = this.#signal[i];
      yield {
        seq: this.#seq[i],
        attempt: this.#attempt[i],
        slot: this.#slot[i],
        start: this.#start[i],
        end: this.#end[i],
        outcome: OUTCOMES[this.#outcome[i]],
        exitCode: this.#exit[i] === NO_EXIT ? null : this.#exit[i],
        signal: sig ? this.#signals[sig - 1] : null,
      };
    }
  }

  /** Only before the budget is reached, so the ring has not wrapped: head is 0. */
  #grow(capacity: number): void {
    const grown = <T extends { length: number; set(a: ArrayLike<number>): void }>(old: T, make: new (n: number) => T): T => {
      const a = new make(capacity);
      a.set(old as unknown as ArrayLike<number>);
      return a;
    };
    this.#seq = grown(this.#seq, Uint32Array);
    this.#attempt = grown(this.#attempt, Uint16Array);
    this.#slot = grown(this.#slot, Uint16Array);
    this.#start = grown(this.#start, Float64Array);
    this.#end = grown(this.#end, Float64Array);
    this.#outcome = grown(this.#outcome, Uint8Array);
    this.#exit = grown(this.#exit, Int32Array);
    this.#signal = grown(this.#signal, Uint8Array);
  }

  #signalCode(name: string): number {
    let i = this.#signals.indexOf(name);
    if (i < 0) {
      if (this.#signals.length >= 255) return 0;
      i = this.#signals.push(name) - 1;
    }
    return i + 1;
  }
}
