import { describe, expect, it } from 'vitest';
import { OrderedRecords } from '../../../main/cli/orderedRecords.js';

/** Records as text, each `seq:attempt`; a tiny memory budget makes most of them spill to the file. */
function setup(memoryBytes = 1024 * 1024, skipped: (seq: number) => boolean = () => false) {
  const out: string[] = [];
  const o = new OrderedRecords((b) => out.push(b.toString()), skipped, memoryBytes);
  const add = (seq: number, attempt: number, last = true) => o.add(seq, Buffer.from(`${seq}:${attempt}`), last);
  return { o, out, add };
}

describe('OrderedRecords', () => {
  it('writes records in seq order, a task\'s attempts together, whatever order the tasks end in', () => {
    const { o, out, add } = setup();
    add(3, 1);
    add(2, 1, false);
    add(2, 2);
    expect(out).toEqual([]);
    add(1, 1, false); // the due task writes as it comes
    expect(out).toEqual(['1:1']);
    add(1, 2);
    expect(out).toEqual(['1:1', '1:2', '2:1', '2:2', '3:1']);
    expect([o.waiting, o.inMemory]).toEqual([0, 0]);
    o.close();
  });

  it('beyond its memory budget it holds records in a file, and memory stays at the budget', () => {
    const { o, out, add } = setup(8);
    for (let seq = 1000; seq >= 2; seq--) add(seq, 1);
    expect(o.inMemory).toBeLessThanOrEqual(8);
    expect(out).toEqual([]);
    add(1, 1);
    expect(out).toEqual(Array.from({ length: 1000 }, (_, i) => `${i + 1}:1`));
    // The file started over once emptied: the next spill is read back right.
    for (let seq = 1100; seq >= 1002; seq--) add(seq, 1);
    add(1001, 1);
    expect(out.slice(1000)).toEqual(Array.from({ length: 100 }, (_, i) => `${i + 1001}:1`));
    o.close();
  });

  it('goes past seqs that never run (--resume), and flush writes what waits behind a gap in order', () => {
    const { o, out, add } = setup(1024, (seq) => seq === 1);
    add(2, 1);
    expect(out).toEqual(['2:1']);
    add(5, 1);
    add(4, 1);
    o.flush(); // 3 never ended (a stopped run)
    expect(out).toEqual(['2:1', '4:1', '5:1']);
    o.close();
  });
});
