import { describe, expect, it } from 'vitest';
import { EndedOutputs, tailFootprint } from '../../../../main/core/pool/endedOutputs.js';
import { TaskRecord } from '../../../../main/core/pool/task.js';

const ended = (seq: number, bytes: number, fill = 120) => {
  const t = new TaskRecord(seq, String(seq), `cmd ${seq}`);
  t.output.push(Buffer.alloc(bytes, fill));
  return t;
};

describe('EndedOutputs', () => {
  it("keeps each ended task's tail by seq, and drops the oldest once the budget (arena bytes) is spent", () => {
    const kept = new EndedOutputs(100, 3 * tailFootprint(100));
    for (const t of [ended(1, 400), ended(2, 50), ended(3, 100), ended(4, 100)]) kept.retain(t);
    // Three entries fill the arena; the fourth wraps onto task 1 (the oldest), which loses its output.
    expect(kept.read(1)).toBeNull();
    expect([2, 3, 4].map((s) => kept.read(s)?.bytes.length)).toEqual([50, 100, 100]);
    expect(kept.held).toBe(tailFootprint(50) + 2 * tailFootprint(100));
  });

  it('keeps stderr ranges and the total beyond 4 GiB, and refuses a tail larger than the whole budget', () => {
    const kept = new EndedOutputs(64, 1 << 20);
    const t = new TaskRecord(1, '1', 'c');
    t.output.push(Buffer.from('out'));
    t.output.push(Buffer.from('err'), 'stderr');
    t.output.push(Buffer.from('!'));
    kept.retain(t);
    expect(kept.read(1)).toEqual({ offset: 0, bytes: Buffer.from('outerr!'), total: 7, truncated: false, stderr: [[3, 6]] });
    expect(kept.read(1, 4, 1)).toEqual({ offset: 4, bytes: Buffer.from('r'), total: 7, truncated: false, stderr: [[4, 5]] });
    const small = new EndedOutputs(1024, tailFootprint(104));
    small.retain(ended(1, 104));
    small.retain(ended(2, 105)); // one byte (eight, padded) over the arena
    expect([small.read(1)?.bytes.length, small.read(2), small.size]).toEqual([104, null, 1]);
  });

  it('reads a range of the whole stream, clipped to the kept tail', () => {
    const kept = new EndedOutputs(4, 1 << 20);
    const t = new TaskRecord(1, '1', 'c');
    t.output.push(Buffer.from('abcdefgh'));
    kept.retain(t);
    expect(kept.read(1)).toEqual({ offset: 4, bytes: Buffer.from('efgh'), total: 8, truncated: true });
    expect(kept.read(1, 5, 2)).toEqual({ offset: 5, bytes: Buffer.from('fg'), total: 8, truncated: true }); // bytes before 4 are gone
    expect(kept.read(1, 0, 2)).toEqual({ offset: 4, bytes: Buffer.from('ef'), total: 8, truncated: true }); // as OutputBuffer.read
  });

  it('counts what a tail costs, not the bytes used: 20 000 five-byte outputs stay within the budget', () => {
    // Item 24: every ended task kept a 4 KiB ring while the budget counted the 5 bytes in it.
    const budget = 1 << 20;
    const kept = new EndedOutputs(16 * 1024, budget);
    for (let seq = 1; seq <= 20_000; seq++) kept.retain(ended(seq, 5));
    expect(kept.held).toBeLessThanOrEqual(budget);
    expect(kept.size).toBe(budget / tailFootprint(5));
    expect(kept.read(20_000 - budget / tailFootprint(5))).toBeNull();
    expect(kept.read(20_000)?.bytes.toString()).toBe('xxxxx');
  });

  it("keeps the tail after the task's record (and its ring) is gone, and a retry's end replaces it", () => {
    const kept = new EndedOutputs(10, 1 << 20);
    kept.retain(ended(7, 3, 97));
    kept.retain(ended(7, 2, 98));
    expect(kept.read(7)?.bytes.toString()).toBe('bb');
    expect(kept.size).toBe(1);
    expect([...kept.tails()]).toEqual([[7, Buffer.from('bb')]]);
    kept.drop(7);
    expect(kept.held).toBe(0);
  });
});
