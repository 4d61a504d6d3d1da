import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serialize } from 'node:v8';
import { ByteRing } from '../../../../main/core/pool/byteRing.js';
import { ResultStore } from '../../../../main/core/pool/results.js';

// The store against a plain Map that keeps everything, in insertion order: what it still has is a
// newest-first run of it (the arena evicts oldest first), each value as it was kept, within the
// budget — and always the newest, even one larger than the whole budget.
type Op = { kind: 'keep'; seq: number; bytes: number } | { kind: 'forget'; seq: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('keep' as const), seq: fc.integer({ min: 1, max: 12 }), bytes: fc.integer({ min: 0, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), seq: fc.integer({ min: 1, max: 12 }) }) },
);
const valueOf = (seq: number, bytes: number) => ({ seq, text: 'v'.repeat(bytes), at: new Date(0) });
const cost = (bytes: number) => ByteRing.footprint(serialize(valueOf(0, bytes)).length);

describe('ResultStore', () => {
  it('keeps the newest results that fit the budget, like a Map trimmed oldest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.array(op, { maxLength: 60 }), (budget, ops) => {
        const store = new ResultStore(budget);
        const all = new Map<number, number>(); // seq → bytes, insertion order = age, never trimmed
        let newest = 0;
        for (const o of ops) {
          all.delete(o.seq);
          if (o.kind === 'keep') {
            all.set(o.seq, o.bytes);
            store.keep(o.seq, valueOf(o.seq, o.bytes), serialize(valueOf(o.seq, o.bytes)).length);
            newest = o.seq;
          } else store.forget(o.seq);
          const has = [...all.keys()].filter((s) => store.has(s));
          expect(has).toEqual([...all.keys()].slice(all.size - has.length));
          if (o.kind === 'keep') expect(store.has(newest)).toBe(true);
          for (const s of has) expect(store.get(s)).toEqual(valueOf(s, all.get(s)!));
          expect(store.size).toBe(has.length);
          expect(store.bytes).toBe(has.reduce((a, s) => a + cost(all.get(s)!), 0));
          expect(store.bytes <= budget || store.size === 1).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers a dropped result of a task that ended ok with why, and nothing for others', () => {
    const store = new ResultStore(2 * ByteRing.footprint(8) + 10);
    store.keep(1, 'a', 8);
    store.keep(2, 'b', 8);
    store.keep(3, 'c', 8);
    expect(store.answer(2, true)).toBe('b');
    expect(store.answer(1, true)).toEqual({
      corralResult: 'evicted',
      message: 'the result of task 1 was dropped: kept results are limited to 266 B, oldest first',
    });
    expect(store.answer(4, false)).toBeUndefined();
  });

  it('keeps the newest result even when it alone is over the budget', () => {
    const store = new ResultStore(ByteRing.footprint(10));
    store.keep(1, 'a', 4);
    store.keep(2, 'huge', 50);
    expect([store.has(1), store.get(2), store.answer(2, true), store.bytes]).toEqual([false, 'huge', 'huge', ByteRing.footprint(50)]);
    store.keep(3, 'c', 4); // the next one takes its place
    expect([store.has(2), store.get(3), store.size]).toEqual([false, 'c', 1]);
  });
});
