// GNU parallel's --delay: a task may start only `delayMs` after the previous start. The gate is
// asked before each start; when closed it arms one timer that re-runs dispatch once it opens.
import { longTimeout } from '../timers.js';
export class StartGate {
  #lastStart = -Infinity;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly wake: () => void,
  ) {}

  /** Whether a task may start now; if not, dispatch is woken when one may. */
  open(now = Date.now()): boolean {
    if (this.delayMs <= 0) return true;
    const wait = this.#lastStart + this.delayMs - now;
    if (wait <= 0) return true;
    this.#timer ??= longTimeout(() => {
      this.#timer = null;
      this.wake();
    }, wait); // a delay past Node's 24.8-day timer limit waits, not fires at once
    return false;
  }

  /** A task started: read after its start time was taken, so starts are never closer than the delay. */
  started(now = Date.now()): void {
    this.#lastStart = now;
  }

  /** Stop, pause and halt: no wake-up is pending (a later dispatch asks again). */
  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
