import { describe, expect, it } from 'vitest';
import { Bitset } from '../../../../main/core/pool/bitset.js';
import { CursorQueue } from '../../../../main/core/pool/queue.js';

describe('CursorQueue', () => {
  it('hands out seqs in input order, retries in front, skips resumed seqs and removed ones', () => {
    const q = new CursorQueue(6, null, Bitset.from([2, 5], 6));
    expect(q.size).toBe(4);
    expect(q.shift()).toBe(1);
    q.unshift(1); // a retry goes ahead of the untouched inputs
    expect(q.remove(4)).toBe(true); // killed while queued
    expect(q.remove(4)).toBe(false);
    expect(q.remove(5)).toBe(false); // skipped: never queued
    expect(q.toArray()).toEqual([1, 3, 6]);
    expect(q.size).toBe(3);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([1, 3, 6, undefined]);
    expect(q.size).toBe(0);
  });

  it('follows a permutation (longest-first) and refuses to remove what already left', () => {
    const q = new CursorQueue(4, Uint32Array.of(3, 1, 4, 2));
    expect(q.shift()).toBe(3);
    expect(q.remove(3)).toBe(false);
    expect(q.remove(4)).toBe(true);
    expect(q.toArray()).toEqual([1, 2]);
  });

  it('queues 10 M inputs with no entry per input', () => {
    const before = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    const q = new CursorQueue(10_000_000);
    const grew = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed - before;
    expect(q.size).toBe(10_000_000);
    expect(grew).toBeLessThan(4 * 1024 * 1024); // one bit per input: 1.25 MB
    expect(q.shift()).toBe(1);
    expect(q.size).toBe(9_999_999);
  });
});
