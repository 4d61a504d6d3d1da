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

describe('CursorQueue.grow (streamed inputs)', () => {
  it('new seqs join after the ones known; a removed one past the old end stays removed; bits grow past a word', () => {
    const q = new CursorQueue(2);
    expect(q.shift()).toBe(1);
    q.grow(100);
    expect(q.size).toBe(99);
    expect(q.remove(70)).toBe(true);
    expect(q.remove(70)).toBe(false);
    const rest: number[] = [];
    for (let s = q.shift(); s !== undefined; s = q.shift()) rest.push(s);
    expect(rest).toEqual(Array.from({ length: 99 }, (_, i) => i + 2).filter((s) => s !== 70));
    q.grow(101);
    expect([q.size, q.shift(), q.size]).toEqual([1, 101, 0]);
  });
  it('refuses a dispatch order or a skip set: a stream has neither', () => {
    expect(() => new CursorQueue(2, new Uint32Array([2, 1])).grow(3)).toThrow('CursorQueue.grow: a streamed job has no dispatch order or skip set');
  });
});
