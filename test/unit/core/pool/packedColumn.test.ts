import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedColumn } from '../../../../main/core/pool/packedColumn.js';

describe('PackedColumn', () => {
  it('costs nothing where every value is the default', () => {
    const c = new PackedColumn(NaN);
    for (let i = 0; i < 1_000_000; i++) c.set(i, NaN);
    expect(c.bytes).toBe(0);
    expect(c.get(999_999)).toBeNaN();
  });

  it('keeps a few values per chunk in a Map (a task sampled now and then)', () => {
    const c = new PackedColumn(NaN);
    for (let i = 0; i < 10_000_000; i += 1000) c.set(i, i * 2.5); // one in a thousand
    expect(c.bytes).toBeLessThan(10_000 * 64);
    expect(c.get(5_000_000)).toBe(12_500_000);
    expect(c.get(5_000_001)).toBeNaN();
  });

  it('stores times of tasks started close together in 2 bytes each, exactly', () => {
    const c = new PackedColumn(NaN);
    const t0 = 1_800_000_000_000;
    for (let i = 0; i < 65_536; i++) c.set(i, t0 + i * 3);
    expect(c.bytes).toBe(65_536 * 2);
    expect([c.get(0), c.get(4095), c.get(65_535)]).toEqual([t0, t0 + 4095 * 3, t0 + 65_535 * 3]);
  });

  it('stores page-sized RSS in pages and µs CPU times as integers, exactly', () => {
    const rss = new PackedColumn(NaN, 1 / 4096);
    const cpu = new PackedColumn(NaN, 1e6);
    for (let i = 0; i < 4096; i++) {
      rss.set(i, 40_000_000 + (i % 500) * 4096 - (40_000_000 % 4096));
      cpu.set(i, (1234 + i) / 1e6);
    }
    expect(rss.bytes).toBe(4096 * 2);
    expect(cpu.bytes).toBe(4096 * 2);
    expect(cpu.get(7)).toBe(1241 / 1e6);
    rss.set(9, 12_345); // not a whole page: the chunk keeps raw values from then on
    expect(rss.bytes).toBe(4096 * 8);
    expect([rss.get(9), rss.get(10)]).toEqual([12_345, 40_000_000 + 10 * 4096 - (40_000_000 % 4096)]);
  });

  it('a value equal to the default, set over another, reads back as the default', () => {
    const c = new PackedColumn(0);
    for (let i = 0; i < 4096; i++) c.set(i, (i % 1024) + 1);
    c.set(5, 0);
    expect([c.get(4), c.get(5), c.get(6)]).toEqual([5, 0, 7]);
  });

  it('reads back every value it was given, in any order, with any mix of sizes (model)', () => {
    const value = fc.oneof(
      fc.constant(NaN),
      fc.integer({ min: -5, max: 300 }),
      fc.integer({ min: 0, max: 70_000 }),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.double({ noNaN: false }),
      fc.integer({ min: 0, max: 10_000 }).map((n) => n * 4096),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(NaN, 0, 1),
        fc.constantFrom(1, 1 / 4096, 1e6),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9000 }), value), { maxLength: 600 }),
        (dflt, scale, writes) => {
          const c = new PackedColumn(dflt, scale);
          const model = new Map<number, number>();
          for (const [i, v] of writes) {
            c.set(i, v);
            model.set(i, v);
            expect(Object.is(c.get(i), v) || (v === 0 && c.get(i) === 0)).toBe(true);
          }
          for (let i = 0; i < 9001; i++) {
            const want = model.has(i) ? model.get(i)! : dflt;
            const got = c.get(i);
            if (!(Object.is(got, want) || (got === 0 && want === 0))) throw new Error(`seq ${i}: want ${want}, got ${got}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with maxChunks, keeps the chunks written most recently and reads the others as the default (against a model)', () => {
    const chunk = PackedColumn.CHUNK;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8 * chunk - 1 }), fc.integer({ min: 1, max: 5000 })), { maxLength: 400 }),
        (max, writes) => {
          const c = new PackedColumn(NaN, 1, max);
          const model = new Map<number, Map<number, number>>(); // chunk -> values; insertion order = last written
          for (const [i, v] of writes) {
            const ci = Math.floor(i / chunk);
            const m = model.get(ci) ?? new Map<number, number>();
            model.delete(ci);
            m.set(i, v);
            model.set(ci, m);
            if (model.size > max) model.delete(model.keys().next().value!);
            c.set(i, v);
          }
          for (let i = 0; i < 8 * chunk; i += 7) {
            const want = model.get(Math.floor(i / chunk))?.get(i) ?? NaN;
            if (!Object.is(c.get(i), want)) throw new Error(`seq ${i}: want ${want}, got ${c.get(i)}`);
          }
          for (const m of model.values()) for (const [i, v] of m) if (c.get(i) !== v) throw new Error(`seq ${i}: want ${v}, got ${c.get(i)}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
