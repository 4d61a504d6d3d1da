import { describe, expect, it } from 'vitest';
import { SeriesRing, downsample } from '../../../../main/core/monitor/ringBuffer.js';

const pt = (t: number, cpu = t) => ({ t, cpu, rss: t * 10, procs: t % 7 });

describe('SeriesRing', () => {
  it('keeps points oldest first until full', () => {
    const r = new SeriesRing(3);
    expect(r.length).toBe(0);
    expect(r.last()).toBeUndefined();
    r.push(pt(1));
    r.push(pt(2));
    expect(r.toArray()).toEqual([pt(1), pt(2)]);
    expect(r.last()).toEqual(pt(2));
  });

  it('overwrites the oldest after wrapping around, many times', () => {
    const r = new SeriesRing(3);
    for (let t = 1; t <= 10; t++) r.push(pt(t));
    expect(r.length).toBe(3);
    expect(r.toArray()).toEqual([pt(8), pt(9), pt(10)]);
    expect(r.last()).toEqual(pt(10));
    r.clear();
    expect(r.toArray()).toEqual([]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new SeriesRing(0)).toThrow('capacity must be a positive integer');
  });
});

describe('downsample', () => {
  it('returns short series unchanged', () => {
    expect(downsample([pt(1), pt(2)], 10)).toEqual([pt(1), pt(2)]);
  });

  it('keeps the ends, the time order, and each bucket’s spike and dip', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => pt(i, 50));
    pts[500] = pt(500, 400);
    pts[700] = pt(700, 0);
    const out = downsample(pts, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out[0]).toEqual(pts[0]);
    expect(out.at(-1)).toEqual(pts[999]);
    expect(out.map((p) => p.cpu)).toContain(400);
    expect(out.map((p) => p.cpu)).toContain(0);
    expect(out.map((p) => p.t)).toEqual([...out.map((p) => p.t)].sort((a, b) => a - b));
  });

  it('handles tiny budgets', () => {
    const pts = [pt(1), pt(2), pt(3), pt(4), pt(5)];
    expect(downsample(pts, 0)).toEqual([]);
    expect(downsample(pts, 1)).toEqual([pt(5)]);
    expect(downsample(pts, 2)).toEqual([pt(1), pt(5)]);
  });
});
