import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../renderer/store/seriesStore.js';
import { blockItem, blockLabel, endedAfter, keepUnchanged, sliceItems } from '../../../../renderer/views/streamItems.js';
import { nextBar } from '../../../../renderer/views/streamKeys.js';
import { formatClock } from '../../../../renderer/lib/format.js';

const block = { slot: 2, from: 1_000_000, to: 1_029_000, count: 312, ok: 309, failed: 3, killed: 0, other: 0 };

describe('task stream items', () => {
  it('names a block by its count, its outcomes and its time span', () => {
    expect(blockLabel(block)).toBe(`312 attempts, 3 failed, ${formatClock(1_000_000)}–${formatClock(1_029_000)}`);
    expect(blockLabel({ ...block, failed: 0, ok: 312 })).toBe(`312 attempts, ${formatClock(1_000_000)}–${formatClock(1_029_000)}`);
    expect(blockItem(block)).toMatchObject({ slot: 2, start: 1_000_000, end: 1_029_000, status: 'failed', seq: 0 });
  });

  it('reaches blocks by keyboard like bars', () => {
    const items = sliceItems({ from: 0, to: 2_000_000, through: 0, bars: [{ seq: 1, attempt: 1, slot: 1, start: 900_000, end: 990_000, outcome: 'ok' }], blocks: [block] });
    const sorted = items.sort((a, b) => a.start - b.start);
    expect(nextBar(sorted, sorted[0], 'ArrowRight')?.block).toEqual(block);
    expect(nextBar(sorted, sorted[0], 'ArrowDown')?.block).toEqual(block);
  });

  it('reuses the object of an item that did not change between two slices', () => {
    const first = sliceItems({ from: 0, to: 2_000_000, through: 0, bars: [], blocks: [block] });
    const prev = new Map(first.map((i) => [i.key, i]));
    expect(keepUnchanged(sliceItems({ from: 0, to: 2_000_000, through: 5, bars: [], blocks: [{ ...block }] }), prev)[0]).toBe(first[0]);
    expect(keepUnchanged(sliceItems({ from: 0, to: 2_000_000, through: 5, bars: [], blocks: [{ ...block, failed: 4, ok: 308 }] }), prev)[0]).not.toBe(first[0]);
  });

  it('keeps from ticks only the ended bars the slice does not hold, as the same array when all are newer', () => {
    const bar = (seq: number, end: number): Bar => ({ key: `${seq}:1`, seq, attempt: 1, slot: 1, start: end - 10, end, status: 'ok' });
    const bars = [bar(1, 100), bar(2, 200)];
    expect(endedAfter(bars, 150).map((b) => b.seq)).toEqual([2]);
    expect(endedAfter(bars, 50)).toBe(bars);
  });
});
