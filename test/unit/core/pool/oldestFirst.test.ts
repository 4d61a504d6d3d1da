import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OldestFirstMap } from '../../../../main/core/pool/oldestFirst.js';

describe('OldestFirstMap', () => {
  it('behaves as an insertion-ordered list under random set, delete and shift', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('shift' as const), key: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const m = new OldestFirstMap<number>();
        let model: [number, number][] = [];
        ops.forEach((o, i) => {
          if (o.kind === 'set') {
            m.set(o.key, i);
            model = [...model.filter(([k]) => k !== o.key), [o.key, i]];
          } else if (o.kind === 'delete') {
            expect(m.delete(o.key)).toBe(model.some(([k]) => k === o.key));
            model = model.filter(([k]) => k !== o.key);
          } else {
            expect(m.shift()).toEqual(model.shift());
          }
          expect(m.size).toBe(model.length);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('evicts the oldest after a million inserts and shifts (the pattern that was quadratic)', () => {
    // Checked for order, not timed (speed is in bench/memory.mjs): each shift returns the entry 1 000 back.
    const m = new OldestFirstMap<number>();
    for (let i = 0; i < 1_000; i++) m.set(i, i);
    let wrong = 0;
    for (let i = 1_000; i < 1_000_000; i++) {
      m.set(i, i);
      if (m.shift()?.[0] !== i - 1_000) wrong++;
    }
    expect(wrong).toBe(0);
    expect(m.size).toBe(1_000);
  });
});
