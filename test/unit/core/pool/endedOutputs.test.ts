import { describe, expect, it } from 'vitest';
import { ENTRY_OVERHEAD, EndedOutputs } from '../../../../main/core/pool/endedOutputs.js';
import { TaskRecord } from '../../../../main/core/pool/task.js';

const ended = (seq: number, bytes: number, fill = 120) => {
  const t = new TaskRecord(seq, String(seq), `cmd ${seq}`);
  t.output.push(Buffer.alloc(bytes, fill));
  return t;
};

describe('EndedOutputs', () => {
  it("keeps each ended task's tail by seq, and drops the oldest once the budget (bytes + overhead) is spent", () => {
    const kept = new EndedOutputs(10, 25 + 3 * ENTRY_OVERHEAD);
    for (const t of [ended(1, 40), ended(2, 5), ended(3, 10), ended(4, 10)]) kept.retain(t);
    // 10 + 5 + 10 (+ 3 overheads) fits; the fourth goes over, so task 1 (the oldest) loses its output.
    expect(kept.read(1)).toBeNull();
    expect([2, 3, 4].map((s) => kept.read(s)?.bytes.length)).toEqual([5, 10, 10]);
    expect(kept.held).toBe(25 + 3 * ENTRY_OVERHEAD);
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
    expect(kept.size).toBe(Math.floor(budget / (5 + ENTRY_OVERHEAD)));
    expect(kept.read(20_000)?.bytes.toString()).toBe('xxxxx');
  });

  it("keeps the tail after the task's record (and its ring) is gone, and a retry's end replaces it", () => {
    const kept = new EndedOutputs(10, 1 << 20);
    kept.retain(ended(7, 3, 97));
    kept.retain(ended(7, 2, 98));
    expect(kept.read(7)?.bytes.toString()).toBe('bb');
    expect(kept.size).toBe(1);
    kept.drop(7);
    expect(kept.held).toBe(0);
  });
});
