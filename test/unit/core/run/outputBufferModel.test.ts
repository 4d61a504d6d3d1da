import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../../../main/core/run/outputBuffer.js';

// The ring against the obvious model (keep everything, slice the end), over random writes.
describe('OutputBuffer ring', () => {
  it('holds exactly the last `capacity` bytes after any sequence of writes, reads and shrinks', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const cap of [1, 7, 64, 1000]) {
      const b = new OutputBuffer(cap);
      let all = Buffer.alloc(0);
      let keep = cap; // shrinkTo lowers what is kept until the next writes refill it
      for (let i = 0; i < 400; i++) {
        const len = rnd(3) === 0 ? rnd(cap * 3 + 1) : rnd(Math.max(2, cap >> 1));
        const chunk = Buffer.from(Array.from({ length: len }, () => 97 + rnd(26)));
        b.push(chunk);
        all = Buffer.concat([all, chunk]);
        keep = Math.min(cap, keep + len, all.length);
        if (rnd(20) === 0) {
          const n = rnd(cap + 1);
          keep = Math.min(keep, n);
          b.shrinkTo(n);
        }
        const expected = all.subarray(Math.max(0, all.length - keep));
        expect(b.total).toBe(all.length);
        expect(b.held).toBe(expected.length);
        expect(b.read().bytes.equals(expected)).toBe(true);
        const off = all.length - rnd(expected.length + 1);
        expect(b.read(off, 5).bytes.equals(all.subarray(off, off + 5))).toBe(true);
        expect(b.tail(3)).toBe(expected.subarray(Math.max(0, expected.length - 3)).toString());
      }
    }
  });
});
