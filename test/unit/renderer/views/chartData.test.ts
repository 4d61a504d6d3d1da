import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../../../main/contract/types.js';
import { Ring } from '../../../../renderer/lib/ring.js';
import { axisTop, maxSlotLines, niceCeil, slotStack, timeTicks } from '../../../../renderer/views/chartData.js';

function slots(count: number, points: number, value: (slot: number, i: number) => number): Map<number, Ring<SeriesPoint>> {
  const m = new Map<number, Ring<SeriesPoint>>();
  for (let s = 1; s <= count; s++) {
    const r = new Ring<SeriesPoint>(points);
    for (let i = 0; i < points; i++) r.push({ t: 1000 * i, cpu: value(s, i), rss: 10 * value(s, i), procs: 1 });
    m.set(s, r);
  }
  return m;
}

describe('slotStack', () => {
  it('stacks every slot per column; past maxSlotLines the rest add up as "other"', () => {
    const st = slotStack(slots(64, 10, (s) => s), 'cpu', 100);
    expect(st.keys).toHaveLength(maxSlotLines);
    expect(st.keys.at(-1)).toBe('other');
    expect(st.times).toHaveLength(10);
    const total = (64 * 65) / 2;
    expect(st.tops.at(-1)?.[0]).toBe(total);
    expect(st.tops[0][0]).toBe(1);
    expect(st.tops[1][0]).toBe(3);
    expect(st.max).toBe(total);
    expect([st.t0, st.t1]).toEqual([0, 9000]);
  });

  it('draws at most one column per pixel, the last sample standing for its column', () => {
    const st = slotStack(slots(2, 600, (_s, i) => i), 'rss', 60);
    expect(st.times.length).toBeLessThanOrEqual(60);
    expect(st.times.at(-1)).toBe(599_000);
    expect(st.tops[1].at(-1)).toBe(2 * 10 * 599);
  });

  it('counts a slot without samples in a column as 0, and is empty without data', () => {
    const m = slots(1, 10, () => 5);
    const late = new Ring<SeriesPoint>(10);
    late.push({ t: 9000, cpu: 7, rss: 0, procs: 1 });
    m.set(2, late);
    const st = slotStack(m, 'cpu', 100);
    expect(st.tops[1][0]).toBe(5);
    expect(st.tops[1].at(-1)).toBe(12);
    expect(slotStack(new Map(), 'cpu', 100)).toMatchObject({ times: [], max: 0 });
  });
});

describe('axis helpers', () => {
  it('rounds the y top up to a round number', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(840)).toBe(1000);
    expect(niceCeil(210)).toBe(250);
    expect(niceCeil(1.1e9)).toBeCloseTo(1.2e9);
    expect(niceCeil(800)).toBe(800);
  });

  it('puts time ticks on round steps inside the span', () => {
    expect(timeTicks(0, 600_000)).toEqual([0, 120_000, 240_000, 360_000, 480_000, 600_000]);
    expect(timeTicks(61_000, 119_000)).toEqual([75_000, 90_000, 105_000]);
    expect(timeTicks(5, 5)).toEqual([5]);
  });
});

describe('axisTop', () => {
  it('never scales a flat zero series up to fake units (an idle task\'s CPU axis is 0–10 %, not 1 %…4 %)', () => {
    expect(axisTop(0, 10)).toBe(10);
    expect(axisTop(0, 1024 * 1024)).toBe(1_200_000);
    expect(axisTop(37, 10)).toBe(40);
    expect(axisTop(Number.NaN, 10)).toBe(10);
  });
});
