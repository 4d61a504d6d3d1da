import { describe, expect, it } from 'vitest';
import type { StreamSlice } from '../../../../main/contract/stream.js';
import type { TaskInfo } from '../../../../main/contract/types.js';
import { mockStream } from '../../../../renderer/dev/mockStream.js';
import { MAX_MERGED_ITEMS, mergeSlices } from '../../../../renderer/views/streamBuckets.js';
import { fetchSlice } from '../../../../renderer/views/streamSlice.js';
import { groupItems, sliceItems } from '../../../../renderer/views/streamItems.js';

// 8 lanes of back-to-back attempts of 1..700 ms: at 200 px over 60 s a bucket is 600 ms, so
// both bars and blocks.
function run(n: number): TaskInfo[] {
  const ends = new Array(8).fill(0);
  return Array.from({ length: n }, (_, i) => {
    const slot = 1 + (i % 8);
    const start = ends[slot - 1];
    ends[slot - 1] = start + 1 + ((i * 7919) % 700);
    return { seq: i + 1, attempt: 1, slot, startedAt: start, endedAt: ends[slot - 1], outcome: i % 50 === 0 ? 'failed' : 'ok' } as TaskInfo;
  });
}

const sameDrawing = (s: StreamSlice) => ({
  bars: s.bars.map((b) => `${b.seq}:${b.slot}:${b.start}`).sort(),
  blocks: s.blocks.map((b) => `${b.slot}:${b.from}:${b.to}:${b.count}:${b.failed}`).sort(),
});

describe('merging an answer of what ended since', () => {
  it('draws the same bars and blocks as asking for the whole stretch again', () => {
    const tasks = run(2000);
    const q = { from: 0, to: 60_000, px: 200 };
    const through = 20_000;
    const before = tasks.filter((t) => t.endedAt! <= through);
    const first = mockStream(before, q, through);
    const since = mockStream(tasks, { ...q, since: through, bucketMs: first.bucketMs }, 60_000);
    const merged = mergeSlices(first, since);
    expect(merged).not.toBeNull();
    expect(sameDrawing(merged!)).toEqual(sameDrawing(mockStream(tasks, q, 60_000)));
    expect(merged!.through).toBe(60_000);
  });

  it('gives up (null) when the buckets do not line up or the stretch moved', () => {
    const tasks = run(100);
    const q = { from: 0, to: 60_000, px: 200 };
    const first = mockStream(tasks, q, 1);
    expect(mergeSlices(first, { ...first, bucketMs: first.bucketMs! * 2 })).toBeNull();
    expect(mergeSlices(first, { ...first, to: 70_000 })).toBeNull();
  });

  it('asks for what ended since the last answer, and for the whole stretch when the merge gives up', async () => {
    const asked: unknown[] = [];
    const tasks = run(500);
    const api = {
      getStream: async (q: Parameters<typeof mockStream>[1]) => {
        asked.push(q);
        return { ok: true as const, value: mockStream(tasks, q, 99_000) };
      },
    };
    const q = { from: 0, to: 60_000, px: 200 };
    const first = (await fetchSlice(api, q, null))!;
    expect(asked).toEqual([q]);
    await fetchSlice(api, q, first);
    expect(asked[1]).toEqual({ ...q, since: 99_000, bucketMs: first.bucketMs });
    asked.length = 0;
    await fetchSlice(api, q, { ...first, bucketMs: 1 }); // the answer's buckets are wider: ask again in full
    expect(asked).toEqual([{ ...q, since: 99_000, bucketMs: 1 }, q]);
  });

  it('keeps the groups a merge did not touch as the same arrays', () => {
    const tasks = run(2000);
    const q = { from: 0, to: 60_000, px: 200 };
    const first = mockStream(tasks.filter((t) => t.endedAt! <= 50_000), q, 50_000);
    const a = sliceItems(first);
    const groupsA = groupItems(a, 0, 60_000, []);
    const byKey = new Map(a.map((i) => [i.key, i]));
    const merged = mergeSlices(first, mockStream(tasks, { ...q, since: 50_000, bucketMs: first.bucketMs }, 60_000))!;
    const b = sliceItems(merged).map((i) => byKey.get(i.key) ?? i);
    const groupsB = groupItems(b, 0, 60_000, groupsA);
    expect(groupsB[0]).toBe(groupsA[0]);
    expect(groupsB[15]).not.toBe(groupsA[15]);
  });
});

describe('merge size', () => {
  it('asks again in full rather than merge past MAX_MERGED_ITEMS', () => {
    const bar = (seq: number) => ({ seq, attempt: 1, slot: 1 + (seq % 8), start: seq * 1000, end: seq * 1000 + 900, outcome: 'ok' as const });
    const slice = (bars: ReturnType<typeof bar>[], through: number): StreamSlice => ({ from: 0, to: 10_000_000, through, bars, blocks: [], bucketMs: 100 });
    const prev = slice(Array.from({ length: MAX_MERGED_ITEMS - 1 }, (_, i) => bar(i + 1)), 1);
    expect(mergeSlices(prev, slice([bar(5000)], 2))?.bars).toHaveLength(MAX_MERGED_ITEMS);
    expect(mergeSlices(prev, slice([bar(5000), bar(5001)], 2))).toBeNull();
  });
});
