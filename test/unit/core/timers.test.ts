import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, longTimeout } from '../../../main/core/timers.js';
import { runKillSequence } from '../../../main/core/stop/killSequence.js';

const DAY = 86_400_000;

describe('longTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a 25-day delay once, at 25 days, not after 1 ms', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    longTimeout(fn, 25 * DAY);
    vi.advanceTimersByTime(1_000);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(25 * DAY - MAX_TIMER_MS - 1_000 - 10);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100 * DAY);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a 400-day delay fires once, not before 400 days (legs round up by under 1 ms each)', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    longTimeout(fn, 400 * DAY);
    vi.advanceTimersByTime(400 * DAY - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('clearTimeout cancels it in its first and in a later leg', () => {
    vi.useFakeTimers();
    const first = vi.fn();
    const later = vi.fn();
    clearTimeout(longTimeout(first, 30 * DAY));
    const t = longTimeout(later, 30 * DAY);
    vi.advanceTimersByTime(MAX_TIMER_MS + 1);
    clearTimeout(t);
    vi.advanceTimersByTime(60 * DAY);
    expect(first).not.toHaveBeenCalled();
    expect(later).not.toHaveBeenCalled();
  });

  it('Infinity never fires and wakes once per leg, not every millisecond', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const t = longTimeout(fn, Infinity);
    const before = Date.now();
    vi.advanceTimersToNextTimer();
    expect(Date.now() - before).toBe(MAX_TIMER_MS);
    vi.advanceTimersByTime(1_000 * DAY);
    expect(fn).not.toHaveBeenCalled();
    clearTimeout(t);
  });

  it('short delays are plain timers: exact time, and the exact limit', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    longTimeout(fn, 1_500);
    longTimeout(fn, MAX_TIMER_MS);
    vi.advanceTimersByTime(1_499);
    expect(fn).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(MAX_TIMER_MS - 1_500);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('on real timers, 25 days does not fire while a 300 ms timer armed after it does', async () => {
    const long = vi.fn();
    const t = longTimeout(long, 25 * DAY);
    // A plain setTimeout of 25 days would have fired after 1 ms, long before this one.
    await new Promise((r) => setTimeout(r, 300));
    clearTimeout(t);
    expect(long).not.toHaveBeenCalled();
  });

  it('unref() works on the handle of a long delay', () => {
    const t = longTimeout(() => {}, 25 * DAY);
    expect(t.unref().hasRef()).toBe(false);
    clearTimeout(t);
  });
});

describe('kill-sequence waits past 24.8 days', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('TERM,25d,KILL sends KILL after 25 days, not after 1 ms (waits are polled in short sleeps)', async () => {
    vi.useFakeTimers();
    const sent: [string, number][] = [];
    let checks = 0;
    const start = Date.now();
    const done = runKillSequence({
      steps: [{ signal: 'TERM', waitMs: 25 * DAY }, { signal: 'KILL', waitMs: 0 }],
      send: (s) => void sent.push([s, Date.now() - start]),
      isGone: () => {
        checks++;
        return sent.some(([s]) => s === 'KILL');
      },
      pollMs: 3_600_000, // an hour per poll keeps 25 fake days to 600 wake-ups
    });
    await vi.advanceTimersByTimeAsync(25 * DAY - 3_600_000);
    expect(sent).toEqual([['TERM', 0]]);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(await done).toMatchObject({ stepsSent: ['TERM', 'KILL'], gone: true, endedBy: 'KILL' });
    expect(sent).toEqual([['TERM', 0], ['KILL', 25 * DAY]]);
    expect(checks).toBeLessThan(610); // one per poll: an overflowed 1 ms sleep would spin
  });
});
