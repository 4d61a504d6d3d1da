import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, longTimeout } from '../../../main/core/timers.js';

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
