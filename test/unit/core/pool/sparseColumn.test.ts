import { describe, expect, it } from 'vitest';
import { SparseColumn } from '../../../../main/core/pool/sparseColumn.js';

describe('SparseColumn', () => {
  it('costs nothing where every value is the default', () => {
    const c = new SparseColumn(Float64Array, NaN);
    for (let i = 0; i < 1_000_000; i++) c.set(i, NaN);
    expect(c.bytes).toBe(0);
    expect(c.get(999_999)).toBeNaN();
  });

  it('keeps a few values per chunk in a Map, not a 512 KB array (a task sampled now and then)', () => {
    const c = new SparseColumn(Float64Array, NaN);
    for (let i = 0; i < 10_000_000; i += 1000) c.set(i, i * 2); // one in a thousand
    expect(c.bytes).toBeLessThan(10_000 * 64);
    expect(c.get(5_000_000)).toBe(10_000_000);
    expect(c.get(5_000_001)).toBeNaN();
  });

  it('becomes a typed chunk once a chunk has many values, keeping them all', () => {
    const c = new SparseColumn(Uint16Array, 0);
    for (let i = 0; i < 65_536; i++) c.set(i, (i % 1024) + 1);
    expect(c.bytes).toBe(65_536 * 2);
    expect([c.get(0), c.get(1), c.get(65_535)]).toEqual([1, 2, 1024]);
    c.set(5, 0);
    expect(c.get(5)).toBe(0);
  });
});
