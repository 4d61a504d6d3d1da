// Node's timers hold at most 2^31-1 ms (24.8 days); a longer delay fires after 1 ms with a
// TimeoutOverflowWarning. Timers armed from user durations go through longTimeout instead.

/** The longest delay one Node timer can hold. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * setTimeout for any delay: past MAX_TIMER_MS it chains equal legs on one interval, so the
 * handle stays a NodeJS.Timeout that clearTimeout cancels at any leg, and unref() still works.
 */
export function longTimeout(fn: () => void, ms: number): NodeJS.Timeout {
  if (!(ms > MAX_TIMER_MS)) return setTimeout(fn, ms);
  const legs = Math.ceil(ms / MAX_TIMER_MS);
  let left = legs; // Infinity: never fires, one wake-up per 24.8 days
  const timer = setInterval(() => {
    if (--left > 0) return;
    clearInterval(timer);
    fn();
  }, Number.isFinite(legs) ? Math.ceil(ms / legs) : MAX_TIMER_MS);
  return timer;
}
