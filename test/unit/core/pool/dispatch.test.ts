import { describe, expect, it } from 'vitest';
import { FifoQueue } from '../../../../main/core/pool/queue.js';
import { dropRetired, pickFreeSlot, resizeSlots, type Slot } from '../../../../main/core/pool/slots.js';
import { shouldHalt } from '../../../../main/core/pool/halt.js';

describe('slots', () => {
  it('picks the lowest free slot within the pool size', () => {
    const slots: Slot[] = [];
    resizeSlots(slots, 3);
    slots[0].taskSeq = 1;
    expect(pickFreeSlot(slots, 3)?.index).toBe(2);
    slots[1].taskSeq = 2;
    slots[2].taskSeq = 3;
    expect(pickFreeSlot(slots, 3)).toBeNull();
  });

  it('shrinking retires busy slots (never drops them) and removes idle ones', () => {
    const slots: Slot[] = [];
    resizeSlots(slots, 4);
    slots[1].taskSeq = 7; // slot 2 busy
    slots[3].taskSeq = 9; // slot 4 busy
    const { removed } = resizeSlots(slots, 1);
    expect(removed).toEqual([]); // slot 4 is busy: nothing above it can go yet
    expect(slots.map((s) => [s.index, s.retiring])).toEqual([[1, false], [2, true], [3, true], [4, true]]);
    expect(pickFreeSlot(slots, 1)?.index).toBe(1);
    slots[3].taskSeq = null;
    expect(dropRetired(slots).map((s) => s.index)).toEqual([4, 3]);
    expect(slots.map((s) => s.index)).toEqual([1, 2]);
    resizeSlots(slots, 3); // growing un-retires and adds
    expect(slots.map((s) => [s.index, s.retiring])).toEqual([[1, false], [2, false], [3, false]]);
  });
});

describe('FifoQueue', () => {
  it('keeps input order, puts retries in front, removes from the middle', () => {
    const q = new FifoQueue([1, 2, 3, 4]);
    expect(q.shift()).toBe(1);
    q.unshift(1);
    expect(q.remove(3)).toBe(true);
    expect(q.toArray()).toEqual([1, 2, 4]);
    expect(q.size).toBe(3);
  });
});

describe('shouldHalt', () => {
  it('counts failures against a number or a percentage (with 3 ended at least)', () => {
    expect(shouldHalt({ when: 'soon', on: 'fail', count: 1 }, { failed: 1, ok: 0, total: 10 })).toBe('1 task failed (halt soon,fail=1)');
    expect(shouldHalt({ when: 'soon', on: 'fail', count: 2 }, { failed: 1, ok: 5, total: 10 })).toBeNull();
    expect(shouldHalt({ when: 'now', on: 'fail', percent: 10 }, { failed: 1, ok: 1, total: 10 })).toBeNull();
    expect(shouldHalt({ when: 'now', on: 'fail', percent: 10 }, { failed: 1, ok: 2, total: 10 })).toBe('10% of tasks failed (halt now,fail=10%)');
    expect(shouldHalt({ when: 'never' }, { failed: 9, ok: 0, total: 9 })).toBeNull();
  });
});
