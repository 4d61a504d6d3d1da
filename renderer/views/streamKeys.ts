import type { Bar } from '../store/seriesStore.js';

// Keyboard moves over the task stream's bars (sorted by start, then slot): Left/Right to the
// previous/next bar in time, Up/Down to the nearest bar in the lane above/below, Home/End.

export function nextBar<T extends Bar>(bars: readonly T[], current: T | null, key: string): T | undefined {
  if (bars.length === 0) return undefined;
  if (key === 'Home') return bars[0];
  if (key === 'End') return bars[bars.length - 1];
  if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(key)) return undefined;
  if (current === null) return bars[bars.length - 1];
  const i = bars.findIndex((b) => b.key === current.key);
  if (key === 'ArrowLeft') return bars[Math.max(0, i - 1)];
  if (key === 'ArrowRight') return bars[Math.min(bars.length - 1, i + 1)];
  const lane = current.slot + (key === 'ArrowUp' ? -1 : 1);
  let best: T | undefined;
  for (const b of bars) {
    if (b.slot !== lane) continue;
    if (!best || Math.abs(b.start - current.start) < Math.abs(best.start - current.start)) best = b;
  }
  return best ?? current;
}
