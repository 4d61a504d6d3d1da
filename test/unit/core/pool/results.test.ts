import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESULT_ENTRY_BYTES as ENTRY, ResultStore } from '../../../../main/core/pool/results.js';

// The store against a plain Map that keeps everything, in insertion order: what is still kept
// must equal the newest entries whose sizes fit the budget (and always the newest).
type Op = { kind: 'keep'; seq: number; bytes: number } | { kind: 'forget'; seq: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('keep' as const), seq: fc.integer({ min: 1, max: 12 }), bytes: fc.integer({ min: 0, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), seq: fc.integer({ min: 1, max: 12 }) }) },
);

function expected(all: Map<number, number>, budget: number): Map<number, number> {
  const newestFirst = [...all].reverse();
  const kept: [number, number][] = [];
  let total = 0;
  for (const [seq, bytes] of newestFirst) {
    // Eviction is oldest first and stops once the rest fits: the kept ones are a newest-first run.
    if (kept.length > 0 && total + bytes > budget) break;
    kept.push([seq, bytes]);
    total += bytes;
  }
  return new Map(kept.reverse()); // oldest first again, like `all`
}

describe('ResultStore', () => {
  it('keeps the newest results that fit the budget, like a Map trimmed oldest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.array(op, { maxLength: 60 }), (budget, ops) => {
        const store = new ResultStore(budget);
        let all = new Map<number, number>(); // seq → bytes, insertion order = age, never trimmed
        for (const o of ops) {
          if (o.kind === 'keep') {
            all.delete(o.seq);
            all.set(o.seq, o.bytes + ENTRY); // every entry costs its bookkeeping too
            store.keep(o.seq, `v${o.seq}:${o.bytes}`, o.bytes);
            // What the model would keep now becomes its history: evicted entries are gone for good.
            all = expected(all, budget);
          } else {
            all.delete(o.seq);
            store.forget(o.seq);
          }
          const want = expected(all, budget);
          expect(store.size).toBe(want.size);
          expect(store.bytes).toBe([...want.values()].reduce((a, b) => a + b, 0));
          for (const [seq, bytes] of want) expect(store.get(seq)).toBe(`v${seq}:${bytes - ENTRY}`);
          expect(store.bytes <= budget || store.size === 1).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers a dropped result of a task that ended ok with why, and nothing for others', () => {
    const store = new ResultStore(2 * ENTRY + 10);
    store.keep(1, 'a', 8);
    store.keep(2, 'b', 8);
    expect(store.answer(2, true)).toBe('b');
    expect(store.answer(1, true)).toEqual({
      corralResult: 'evicted',
      message: 'the result of task 1 was dropped: kept results are limited to 250 B, oldest first',
    });
    expect(store.answer(3, false)).toBeUndefined();
  });

  it('keeps the newest result even when it alone is over the budget', () => {
    const store = new ResultStore(ENTRY + 10);
    store.keep(1, 'a', 4);
    store.keep(2, 'huge', 50);
    expect([store.has(1), store.get(2), store.bytes]).toEqual([false, 'huge', ENTRY + 50]);
  });
});
