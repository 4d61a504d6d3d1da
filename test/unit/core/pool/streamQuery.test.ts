import { describe, expect, it } from 'vitest';
import { MAX_STREAM_ITEMS, streamSlice, type StreamAttempt } from '../../../../main/core/pool/streamQuery.js';

const attempt = (seq: number, slot: number, start: number, end: number, outcome: StreamAttempt['outcome'] = 'ok'): StreamAttempt => ({ seq, attempt: 1, slot, start, end, outcome });

describe('streamSlice', () => {
  it('keeps attempts at least two pixels wide as bars and gathers thinner ones into blocks per lane', () => {
    // 1 000 ms over 100 px: a bucket is 20 ms.
    const a = [attempt(1, 1, 0, 500), ...Array.from({ length: 10 }, (_, i) => attempt(2 + i, 2, 600 + i, 601 + i, i === 3 ? 'failed' : 'ok'))];
    const s = streamSlice(a, { from: 0, to: 1000, px: 100 }, 5000);
    expect(s.bars.map((b) => b.seq)).toEqual([1]);
    expect(s.blocks).toEqual([{ slot: 2, from: 600, to: 610, count: 10, ok: 9, failed: 1, killed: 0, other: 0 }]);
    expect(s.through).toBe(5000);
  });

  it('draws a lone thin attempt as its bar, not a block of one: no gaps at any zoom', () => {
    const s = streamSlice([attempt(1, 1, 100, 101, 'killed')], { from: 0, to: 1000, px: 100 }, 0);
    expect(s.blocks).toEqual([]);
    expect(s.bars).toEqual([{ seq: 1, attempt: 1, slot: 1, start: 100, end: 101, outcome: 'killed' }]);
  });

  it('shows a block\'s attempts as bars once zoomed in on it', () => {
    const a = Array.from({ length: 10 }, (_, i) => attempt(1 + i, 1, 600 + 2 * i, 601 + 2 * i));
    expect(streamSlice(a, { from: 0, to: 1000, px: 100 }, 0).blocks).toHaveLength(1);
    const zoomed = streamSlice(a, { from: 595, to: 625, px: 300 }, 0);
    expect(zoomed.blocks).toEqual([]);
    expect(zoomed.bars.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('answers with at most one bar or block per two pixels of each lane, however many attempts', () => {
    const a: StreamAttempt[] = [];
    for (let i = 0; i < 1_000_000; i++) a.push(attempt(i + 1, 1 + (i % 8), i * 3, i * 3 + 2, i % 1000 === 0 ? 'failed' : 'ok'));
    const s = streamSlice(a, { from: 0, to: 3_000_000, px: 800 }, 0);
    expect(s.bars.length + s.blocks.length).toBeLessThanOrEqual(Math.min(MAX_STREAM_ITEMS, 8 * 400 + 8));
    expect(s.blocks.reduce((n, b) => n + b.count, 0) + s.bars.length).toBe(1_000_000);
    expect(s.blocks.reduce((n, b) => n + b.failed, 0)).toBe(1000);
  });

  it('widens the blocks until the answer fits MAX_STREAM_ITEMS, taking in bars thinner than them', () => {
    // 64 lanes of 30 000 attempts of 1..8 s over 30 minutes on 1 400 px: ~20 000 would be bars.
    const a: StreamAttempt[] = [];
    const ends = new Array(64).fill(0);
    for (let i = 0; i < 30_000; i++) {
      const slot = i % 64;
      const start = ends[slot];
      ends[slot] = start + 1000 + (i % 8) * 1000;
      a.push(attempt(i + 1, slot + 1, start, ends[slot]));
    }
    const to = Math.max(...ends);
    const s = streamSlice(a, { from: 0, to, px: 1400 }, 0);
    expect(s.bars.length + s.blocks.length).toBeLessThanOrEqual(MAX_STREAM_ITEMS);
    expect(s.blocks.reduce((n, b) => n + b.count, 0) + s.bars.length).toBe(30_000);
    // Zoomed on a minute, the same attempts are bars again.
    const minute = streamSlice(a, { from: 600_000, to: 660_000, px: 1400 }, 0);
    expect(minute.blocks).toEqual([]);
  });

  it('leaves out attempts outside the stretch and counts those that overlap its edges', () => {
    const s = streamSlice([attempt(1, 1, 0, 90), attempt(2, 1, 95, 205), attempt(3, 1, 300, 400)], { from: 100, to: 200, px: 100 }, 0);
    expect(s.bars.map((b) => b.seq)).toEqual([2]);
  });
});

describe('streamSlice: what changed since an answer, and every attempt', () => {
  it('answers only what ended after `since`, on the earlier answer\'s buckets', () => {
    const a = [attempt(1, 1, 0, 500), ...Array.from({ length: 10 }, (_, i) => attempt(2 + i, 2, 600 + i, 601 + i))];
    const first = streamSlice(a.slice(0, 6), { from: 0, to: 1000, px: 100 }, 604);
    expect(first.bucketMs).toBe(20);
    const next = streamSlice(a, { from: 0, to: 1000, px: 100, since: 604, bucketMs: first.bucketMs }, 700);
    expect(next.since).toBe(604);
    expect(next.blocks.reduce((n, b) => n + b.count, 0) + next.bars.length).toBe(6); // seqs 6..11 ended after 604
    expect(next.bucketMs).toBe(20);
  });

  it('never takes buckets narrower than two pixels from the asker', () => {
    const s = streamSlice([attempt(1, 1, 0, 5), attempt(2, 1, 6, 9)], { from: 0, to: 1000, px: 100, bucketMs: 0.001 }, 0);
    expect(s.bucketMs).toBe(20);
    expect(s.blocks).toHaveLength(1);
  });

  it('names a retried task\'s attempts with their number of the task\'s attempts and how each ended', () => {
    const s = streamSlice(
      [
        { seq: 4, attempt: 1, slot: 1, start: 0, end: 400, outcome: 'failed', exitCode: 3, signal: null, of: 3 },
        { seq: 4, attempt: 2, slot: 1, start: 400, end: 800, outcome: 'timeout', exitCode: null, signal: 'SIGTERM', of: 3 },
        { seq: 4, attempt: 3, slot: 1, start: 800, end: 900, outcome: 'ok', exitCode: 0, signal: null },
        { seq: 5, attempt: 1, slot: 2, start: 0, end: 900, outcome: 'ok', exitCode: 0, signal: null },
      ],
      { from: 0, to: 1000, px: 100 },
      1000,
    );
    expect(s.bars.map((b) => [b.seq, b.attempt, b.of, b.ended])).toEqual([
      [4, 1, 3, 'failed, exit 3'],
      [5, 1, undefined, undefined],
      [4, 2, 3, 'timeout, killed by SIGTERM'],
      [4, 3, 3, undefined],
    ]);
  });
});
