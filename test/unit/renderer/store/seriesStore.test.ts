import { describe, expect, it } from 'vitest';
import { barFromTask, SeriesStore } from '../../../../renderer/store/seriesStore.js';
import { pool, snapshot, task, tick } from '../fixtures.js';

const limits = { poolPoints: 10, slotPoints: 5, barWindowMs: 60_000, maxBars: 50 };

describe('barFromTask', () => {
  it('colours running, suspect, stuck, stopping and ended attempts; only the task\'s own failures as failed', () => {
    expect(barFromTask(task(1), 0)).toBeNull();
    const base = { slot: 1, attempt: 1, startedAt: 100 };
    expect(barFromTask(task(1, { ...base, state: 'running' }), 500)).toMatchObject({ key: '1:1', end: null, status: 'running' });
    expect(barFromTask(task(1, { ...base, state: 'suspect' }), 500)?.status).toBe('suspect');
    expect(barFromTask(task(1, { ...base, state: 'stuck' }), 500)?.status).toBe('stuck');
    expect(barFromTask(task(1, { ...base, state: 'stopping' }), 500)?.status).toBe('stopping');
    expect(barFromTask(task(1, { ...base, state: 'done', outcome: 'ok', endedAt: 400 }), 500)).toMatchObject({ end: 400, status: 'ok' });
    expect(barFromTask(task(1, { ...base, state: 'timeout', outcome: 'timeout', endedAt: 400 }), 500)?.status).toBe('failed');
    expect(barFromTask(task(1, { ...base, state: 'memory-killed', outcome: 'memory-killed', endedAt: 400 }), 500)?.status).toBe('failed');
    expect(barFromTask(task(1, { ...base, state: 'failed', outcome: 'stuck-killed', endedAt: 400 }), 500)?.status).toBe('failed');
    expect(barFromTask(task(1, { ...base, state: 'killed', outcome: 'killed', endedAt: 400 }), 500)?.status).toBe('killed');
    expect(barFromTask(task(1, { ...base, state: 'interrupted', outcome: 'interrupted', endedAt: 400 }), 500)?.status).toBe('interrupted');
    expect(barFromTask(task(1, { ...base, state: 'skipped', outcome: 'skipped', endedAt: 400 }), 500)?.status).toBe('skipped');
  });
});

describe('SeriesStore', () => {
  it('keeps pool and slot history bounded', () => {
    const s = new SeriesStore(limits);
    s.applySnapshot(snapshot(0, { pool: Array.from({ length: 30 }, (_, i) => pool(i)) }));
    expect(s.pool.size).toBe(10);
    for (let n = 1; n <= 100; n++) s.applyTick(tick(n));
    expect(s.pool.size).toBe(10);
    expect(s.pool.last()?.time).toBe(tick(100).time);
    expect(s.slots.get(1)?.size).toBe(5);
    expect(s.slots.get(2)?.toArray().map((p) => p.cpu)).toEqual([20, 20, 20, 20, 20]);
  });

  it('drops a slot that left the pool', () => {
    const s = new SeriesStore(limits);
    s.applyTick(tick(1));
    expect([...s.slots.keys()]).toEqual([1, 2]);
    s.applyTick(tick(2, { slots: [{ slot: 1, taskSeq: null, cpuPercent: 0, rss: 0, procs: 0 }] }));
    expect([...s.slots.keys()]).toEqual([1]);
  });

  it('keeps bars of the last window only, and at most maxBars', () => {
    const s = new SeriesStore(limits);
    const t0 = tick(1).time;
    s.applyTick(tick(1, { tasks: [task(1, { state: 'done', outcome: 'ok', slot: 1, attempt: 1, startedAt: t0 - 5000, endedAt: t0 })] }));
    expect(s.barCount).toBe(1);
    s.applyTick(tick(70)); // 69 s later: past the 60 s window
    expect(s.barCount).toBe(0);
    const now = tick(71).time;
    const many = Array.from({ length: 80 }, (_, i) =>
      task(i + 2, { state: 'done', outcome: 'ok', slot: 1 + (i % 2), attempt: 1, startedAt: now - 1000, endedAt: now }),
    );
    s.applyTick(tick(71, { tasks: many }));
    expect(s.barCount).toBe(50);
    s.bump();
    const lanes = s.barsBySlot();
    expect((lanes.get(1)?.length ?? 0) + (lanes.get(2)?.length ?? 0)).toBe(50);
  });

  it('closes the previous attempt when a retry starts', () => {
    const s = new SeriesStore(limits);
    const t = tick(1).time;
    s.applyTick(tick(1, { tasks: [task(3, { state: 'running', slot: 1, attempt: 1, startedAt: t - 2000 })] }));
    s.applyTick(tick(2, { tasks: [task(3, { state: 'running', slot: 2, attempt: 2, startedAt: t + 500 })] }));
    s.bump();
    expect(s.barsBySlot().get(1)?.[0]).toMatchObject({ key: '3:1', end: t + 500, status: 'failed' });
    expect(s.barsBySlot().get(2)?.[0]).toMatchObject({ key: '3:2', end: null, status: 'running' });
  });

  it('groups ended bars in chunks that keep their array until one of their bars changes', () => {
    const s = new SeriesStore({ ...limits, barWindowMs: 10 * 60_000, maxBars: 1000 });
    const t = tick(1).time;
    const ended = (seq: number, start: number) => task(seq, { state: 'done', outcome: 'ok', slot: 1, attempt: 1, startedAt: start, endedAt: start + 1000 });
    s.applyTick(tick(1, { tasks: [ended(1, t - 100_000), ended(2, t - 2000), task(3, { state: 'running', slot: 2, attempt: 1, startedAt: t - 500 })] }));
    s.bump();
    const a = s.barLayers();
    expect(a.running.map((b) => b.seq)).toEqual([3]);
    expect(a.chunks).toHaveLength(2);
    const [old, recent] = a.chunks;
    // Task 3 ends and lands in the recent chunk; the old chunk keeps its array; a resent bar changes nothing.
    s.applyTick(tick(2, { tasks: [ended(1, t - 100_000), task(3, { state: 'done', outcome: 'ok', slot: 2, attempt: 1, startedAt: t - 500, endedAt: t + 900 })] }));
    s.bump();
    const b = s.barLayers();
    expect(b.running).toEqual([]);
    expect(b.chunks[0][1]).toBe(old[1]);
    expect(b.chunks[1][1]).not.toBe(recent[1]);
    expect(b.chunks[1][1].map((x) => x.seq).sort()).toEqual([2, 3]);
    expect(s.barLayers()).toBe(b);
  });
});
