import { describe, expect, it } from 'vitest';
import { bucketRows, minMaxBuckets } from '../../../../renderer/lib/downsample.js';
import { Ring } from '../../../../renderer/lib/ring.js';

describe('minMaxBuckets', () => {
  it('returns short input unchanged', () => {
    const pts = [1, 2, 3];
    expect(minMaxBuckets(pts, 10, (x) => x)).toEqual([1, 2, 3]);
  });
  it('keeps at most two points per bucket and every spike', () => {
    const pts = Array.from({ length: 10_000 }, (_, i) => ({ t: i, v: i === 4321 ? 999 : i === 8765 ? -999 : 0 }));
    const out = minMaxBuckets(pts, 100, (p) => p.v);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.some((p) => p.v === 999)).toBe(true);
    expect(out.some((p) => p.v === -999)).toBe(true);
    // time order is preserved
    for (let i = 1; i < out.length; i++) expect(out[i].t).toBeGreaterThan(out[i - 1].t);
  });
});

describe('bucketRows', () => {
  it('decimates to about the bucket count and keeps both ends', () => {
    const rows = Array.from({ length: 1000 }, (_, t) => ({ t }));
    const out = bucketRows(rows, 50);
    expect(out.length).toBeLessThanOrEqual(51);
    expect(out[0].t).toBe(0);
    expect(out[out.length - 1].t).toBe(999);
  });
});

describe('Ring', () => {
  it('keeps only the newest capacity items, oldest first', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.size).toBe(3);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.at(0)).toBe(3);
    expect(r.last()).toBe(5);
    expect(r.at(3)).toBeUndefined();
    r.clear();
    expect(r.toArray()).toEqual([]);
  });
  it('refuses a bad capacity', () => {
    expect(() => new Ring(0)).toThrow('Ring capacity must be a positive integer');
  });
});
