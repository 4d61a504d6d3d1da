import { describe, expect, it } from 'vitest';
import { SeriesStore } from '../../../../renderer/store/seriesStore.js';
import { slotStack } from '../../../../renderer/views/chartData.js';
import { pool, snapshot, tick } from '../fixtures.js';

const limits = { poolPoints: 10, slotPoints: 5, barWindowMs: 60_000, maxBars: 50 };

// Pool CPU that no slot sample holds (tasks that ended between samples, measured at exit) is
// drawn as a band of its own on top of the slots', so the chart's total is the pool's.
describe('Pool CPU of tasks that ended between samples', () => {
  it('keeps the pool figure above the slots\' sum as its own series, and stacks it on top', () => {
    const s = new SeriesStore(limits);
    // Slots sample 10 % + 20 %; the pool says 90 %: 60 % came from tasks that ended between samples.
    s.applyTick(tick(1, { pool: pool(1_001_000, { cpuPercent: 90 }) }));
    s.applyTick(tick(2, { pool: pool(1_002_000, { cpuPercent: 30 }) }));
    expect(s.exitCpu.toArray().map((p) => p.cpu)).toEqual([60, 0]);
    const st = slotStack(s.slots, 'cpu', 100, s.exitCpu);
    expect(st.keys).toEqual(['s1', 's2', 'ended']);
    expect(st.tops.at(-1)).toEqual(Float64Array.from([90, 30]));
    expect(st.max).toBe(90);
  });

  it('adds no band while nothing ended between samples, and none to the memory chart', () => {
    const s = new SeriesStore(limits);
    s.applyTick(tick(1, { pool: pool(1_001_000, { cpuPercent: 30 }) }));
    expect(slotStack(s.slots, 'cpu', 100, s.exitCpu).keys).toEqual(['s1', 's2']);
    expect(slotStack(s.slots, 'rss', 100).keys).toEqual(['s1', 's2']);
  });

  it('rebuilds the band from a snapshot\'s pool and slot histories (a page opened late)', () => {
    const s = new SeriesStore(limits);
    s.applySnapshot(
      snapshot(3, {
        pool: [pool(1000, { cpuPercent: 50 }), pool(2000, { cpuPercent: 5 })],
        slotHistory: { 1: [{ t: 1000, cpu: 10, rss: 0, procs: 1 }, { t: 2000, cpu: 5, rss: 0, procs: 1 }] },
      }),
    );
    expect(s.exitCpu.toArray().map((p) => p.cpu)).toEqual([40, 0]);
  });
});
