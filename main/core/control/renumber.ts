import type { Snapshot, Tick } from '../../contract/index.js';

/**
 * Tick numbers of whichever supervisor a UI is shown, renumbered: after a switch the next tick
 * skips a number, so every client sees a gap and takes a fresh snapshot of the one it now watches.
 */
export class TickRenumber {
  #lastOut = 0;
  #shift: number | null = 0;

  /** The next tick or snapshot comes from another supervisor. */
  switched(): void {
    this.#shift = null;
  }

  tick(t: Tick): Tick {
    this.#shift ??= this.#lastOut + 2 - t.n;
    this.#lastOut = t.n + this.#shift;
    return { ...t, n: this.#lastOut };
  }

  snapshot(s: Snapshot): Snapshot {
    this.#shift ??= this.#lastOut + 1 - s.tick;
    this.#lastOut = Math.max(this.#lastOut, s.tick + this.#shift);
    return { ...s, tick: s.tick + this.#shift };
  }
}
