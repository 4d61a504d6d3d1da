import type { TaskRecord } from './task.js';

const ENDED_OUTPUT_BYTES = 16 * 1024;
const ENDED_OUTPUT_BUDGET = 64 * 1024 * 1024;

/**
 * Output of ended tasks: the last 16 KiB each, and at most 64 MiB over all of them (oldest
 * dropped first), so a long run of chatty tasks cannot grow the supervisor without bound.
 */
export class EndedOutputs {
  #kept: { t: TaskRecord; held: number }[] = [];
  #held = 0;

  constructor(
    private readonly perTask = ENDED_OUTPUT_BYTES,
    private readonly budget = ENDED_OUTPUT_BUDGET,
  ) {}

  retain(t: TaskRecord): void {
    t.output.shrinkTo(this.perTask);
    if (t.output.held === 0) return;
    this.#kept.push({ t, held: t.output.held });
    this.#held += t.output.held;
    while (this.#held > this.budget && this.#kept.length > 0) {
      const old = this.#kept.shift()!;
      this.#held -= old.held;
      // A task running again (a retry) keeps its output: it is accounted anew when it ends.
      if (!old.t.live && old.t.retryTimer === null) old.t.output.shrinkTo(0);
    }
  }
}
