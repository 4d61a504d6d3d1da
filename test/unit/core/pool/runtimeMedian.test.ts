import { describe, expect, it } from 'vitest';
import { RuntimeMedian } from '../../../../main/core/pool/runtimeMedian.js';
import { medianOf } from '../../../../main/core/pool/stats.js';

describe('RuntimeMedian', () => {
  it('is exact for the first 10 000 runtimes (odd and even counts)', () => {
    const m = new RuntimeMedian();
    expect(m.median()).toBeNaN();
    const values = [5, 1, 9, 3];
    for (const v of values) m.push(v);
    expect(m.median()).toBe(4);
    m.push(100);
    expect(m.median()).toBe(5);
    const more = Array.from({ length: 9000 }, (_, i) => (i * 7919) % 10_007);
    for (const v of more) m.push(v);
    expect(m.length).toBe(9005);
    expect(m.median()).toBe(medianOf([...values, 100, ...more]));
  });

  it('past 10 000 stays within 1 % of the true median in a fixed size', () => {
    const m = new RuntimeMedian();
    const all: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const v = 50 + ((i * 2_654_435_761) % 100_000) / 10; // 50..10 050 ms, spread
      all.push(v);
      m.push(v);
    }
    const exact = medianOf(all);
    expect(Math.abs(m.median() - exact) / exact).toBeLessThan(0.01);
    expect(m.length).toBe(200_000);
  });
});
