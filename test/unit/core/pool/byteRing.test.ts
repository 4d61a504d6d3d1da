import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRing, MIN_ENTRY } from '../../../../main/core/pool/byteRing.js';

const put = (r: ByteRing, seq: number, text: string) => {
  const at = r.put(seq, text.length);
  at?.write(text, 'latin1');
  return at !== null;
};
const text = (r: ByteRing, seq: number) => r.get(seq)?.toString('latin1') ?? null;
const fp = ByteRing.footprint;

describe('ByteRing', () => {
  it('pads an entry to 8 bytes with its 8-byte header, and takes at least MIN_ENTRY', () => {
    expect([fp(0), fp(120), fp(121), fp(200)]).toEqual([MIN_ENTRY, 128, 136, 208]);
  });

  it('evicts the oldest when the head wraps onto them, and keeps an entry that ends exactly at the end', () => {
    const r = new ByteRing(4 * MIN_ENTRY);
    for (let seq = 1; seq <= 4; seq++) expect(put(r, seq, `e${seq}`)).toBe(true);
    // The fourth ends exactly at the arena's end: nothing was evicted for it.
    expect([1, 2, 3, 4].map((s) => text(r, s))).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(r.held).toBe(4 * MIN_ENTRY);
    put(r, 5, 'e5'); // wraps to 0, over task 1 only
    expect([1, 2, 3, 4, 5].map((s) => text(r, s))).toEqual([null, 'e2', 'e3', 'e4', 'e5']);
    expect([...r.entries()].map(([s]) => s)).toEqual([2, 3, 4, 5]);
  });

  it('wraps an entry larger than the room left before the end, evicting what lies under it at the front', () => {
    const r = new ByteRing(5 * MIN_ENTRY);
    for (let seq = 1; seq <= 4; seq++) put(r, seq, 'x');
    const big = 'y'.repeat(2 * MIN_ENTRY - 8); // two MIN_ENTRY: one is left at the end, so it starts at 0
    expect(put(r, 5, big)).toBe(true);
    expect([1, 2, 3, 4].map((s) => r.has(s))).toEqual([false, false, true, true]);
    expect(text(r, 5)).toBe(big);
    expect([...r.entries()].map(([s]) => s)).toEqual([3, 4, 5]);
    // The gap left at the end is skipped when the head comes round again.
    for (let seq = 6; seq <= 8; seq++) put(r, seq, `e${seq}`);
    expect([...r.entries()].map(([s]) => s)).toEqual([5, 6, 7, 8]);
    expect(text(r, 8)).toBe('e8');
  });

  it('refuses one entry larger than the whole arena and keeps nothing for its seq', () => {
    const r = new ByteRing(2 * MIN_ENTRY);
    put(r, 1, 'old');
    expect(put(r, 2, 'z'.repeat(2 * MIN_ENTRY))).toBe(false);
    expect(put(r, 1, 'z'.repeat(2 * MIN_ENTRY))).toBe(false); // a replacement too big drops the earlier entry
    expect([r.has(1), r.has(2), r.count, r.held]).toEqual([false, false, 0, 0]);
    expect(new ByteRing(0).put(1, 0)).toBeNull();
  });

  it('replacing or deleting an entry frees its count at once and its room when the head passes', () => {
    const r = new ByteRing(3 * MIN_ENTRY);
    put(r, 1, 'a');
    put(r, 2, 'b');
    put(r, 1, 'c'); // 1 moves to the back; its first copy is dead space
    expect([r.count, r.held, [...r.entries()].map(([s]) => s)]).toEqual([2, 2 * MIN_ENTRY, [2, 1]]);
    expect(r.delete(2)).toBe(true);
    expect(r.delete(2)).toBe(false);
    put(r, 3, 'd');
    put(r, 4, 'e');
    expect([1, 3, 4].map((s) => text(r, s))).toEqual(['c', 'd', 'e']);
  });

  it('behaves as the newest entries of a Map: the right payload for every seq it has, a newest-first run of them', () => {
    const op = fc.record({ seq: fc.integer({ min: 1, max: 40 }), len: fc.integer({ min: 0, max: 300 }), del: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.array(op, { maxLength: 120 }), (size, ops) => {
        const r = new ByteRing(size);
        const all = new Map<number, string>(); // every live put, insertion order = age
        const puts: [number, number][] = []; // every put (seq, footprint), dead ones too: they hold room
        ops.forEach(({ seq, len, del }, n) => {
          all.delete(seq);
          if (del) return void r.delete(seq);
          const v = `${n}:`.padEnd(len, String.fromCharCode(97 + (n % 26)));
          if (put(r, seq, v)) all.set(seq, v);
          puts.push([seq, fp(v.length)]);
        });
        const kept = [...r.entries()].map(([s]) => s);
        expect(kept).toEqual([...all.keys()].filter((s) => r.has(s))); // ring order is age order
        expect(kept).toEqual([...all.keys()].slice(all.size - kept.length)); // the newest run
        for (const s of kept) expect(text(r, s)).toBe(all.get(s));
        expect(r.count).toBe(kept.length);
        expect(r.held).toBe(kept.reduce((a, s) => a + fp(all.get(s)!.length), 0));
        expect(r.held).toBeLessThanOrEqual(size);
        // Whatever was put within the last half of the arena (dead bytes counted) is still there.
        let room = 0;
        for (let i = puts.length - 1; i >= 0; i--) {
          room += puts[i][1];
          if (room > size / 2) break;
          if (all.has(puts[i][0])) expect(r.has(puts[i][0])).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('finds every entry through a crowded index: 60 000 puts and deletes of seqs that collide, checked against a Map', () => {
    const r = new ByteRing(1 << 16); // at most 1 024 entries, an index of up to 2 048 slots
    const all = new Map<number, string>();
    let x = 12345;
    const rand = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n) + 1;
    for (let n = 0; n < 60_000; n++) {
      const seq = rand(3000);
      all.delete(seq);
      if (rand(4) === 1) r.delete(seq);
      else if (put(r, seq, `v${n}`)) all.set(seq, `v${n}`);
      if (n % 997 === 0 || n === 59_999) {
        const kept = [...r.entries()].map(([s]) => s);
        expect(kept.length).toBe(r.count);
        expect(kept).toEqual([...all.keys()].slice(all.size - kept.length));
        for (const s of kept) expect(text(r, s)).toBe(all.get(s));
      }
    }
  });

  it('1 M tiny entries: the count and the index stay bounded by the arena, the newest readable', () => {
    const size = 1 << 20;
    const r = new ByteRing(size);
    for (let seq = 1; seq <= 1_000_000; seq++) put(r, seq, 'ok');
    expect(r.count).toBe(size / MIN_ENTRY);
    expect(r.held).toBe(size);
    expect(r.indexSlots).toBe((2 * size) / MIN_ENTRY); // load ≤ 1/2, never grown past what the arena can hold
    expect([text(r, 1_000_000), text(r, 1_000_000 - size / MIN_ENTRY), text(r, 1_000_000 - size / MIN_ENTRY + 1)]).toEqual(['ok', null, 'ok']);
  });
});
