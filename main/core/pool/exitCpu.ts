/** The reaping process (the spawn helper) and the CPU of the children it has reaped so far. */
export interface ReapedCpu {
  pid: number;
  ms: number;
}

/**
 * The pool's CPU that no sample saw: short command tasks end between two 1 Hz samples, so the
 * sampled trees miss them (and the children a task reaped itself). Each tick takes the growth
 * of the spawn helper's reaped-children CPU — every ended task tree's whole CPU, measured at
 * exit — less what samples already counted for the tasks that ended, and adds it to that tick.
 */
export class ExitCpu {
  #last: ReapedCpu | null = null;
  /** Sampled CPU of ended tasks not yet matched by reaped CPU (a task seen ended before its reaping is read) */
  #counted = 0;

  /** CPU (ms) to add to this tick. `sampledEndedMs`: what samples counted for the command tasks that ended since the last call. */
  take(reaped: ReapedCpu | null, sampledEndedMs: number): number {
    const last = this.#last;
    this.#last = reaped;
    // No helper, or a new one (the old one died): its counter starts over; this interval is lost, not doubled.
    if (!reaped || !last || last.pid !== reaped.pid || reaped.ms < last.ms) {
      this.#counted = 0;
      return 0;
    }
    this.#counted += sampledEndedMs;
    const grown = reaped.ms - last.ms;
    const unseen = Math.max(0, grown - this.#counted);
    this.#counted = Math.max(0, this.#counted - grown);
    return unseen;
  }

  reset(): void {
    this.#last = null;
    this.#counted = 0;
  }
}
