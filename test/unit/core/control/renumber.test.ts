import { describe, expect, it } from 'vitest';
import type { Snapshot, Tick } from '../../../../main/contract/types.js';
import { TickRenumber } from '../../../../main/core/control/renumber.js';

const tick = (n: number) => ({ n }) as Tick;
const snap = (tick: number) => ({ tick }) as Snapshot;

describe('TickRenumber', () => {
  it('passes the first source through, then leaves a gap of one at each switch', () => {
    const r = new TickRenumber();
    expect([1, 2, 3].map((n) => r.tick(tick(n)).n)).toEqual([1, 2, 3]);
    r.switched();
    // The other supervisor counts from its own 40: its first tick skips a number here.
    expect([40, 41].map((n) => r.tick(tick(n)).n)).toEqual([5, 6]);
    r.switched();
    expect(r.snapshot(snap(7)).tick).toBe(7);
    expect(r.tick(tick(8)).n).toBe(8);
  });
  it('a snapshot taken after a switch sits just above what clients saw, so its next tick follows on', () => {
    const r = new TickRenumber();
    r.tick(tick(10));
    r.switched();
    expect(r.snapshot(snap(100)).tick).toBe(11);
    expect(r.tick(tick(101)).n).toBe(12);
  });
});
