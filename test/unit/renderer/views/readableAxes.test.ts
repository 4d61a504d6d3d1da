import { describe, expect, it } from 'vitest';
import { valueTicks } from '../../../../renderer/views/chartData.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('valueTicks', () => {
  it('puts CPU ticks on round percentages (0, 50 … 250 %), not quarters of the top (63 %, 188 %)', () => {
    expect(valueTicks(210, 100, 1)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(valueTicks(0, 100, 1)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(valueTicks(730, 100, 1)).toEqual([0, 200, 400, 600, 800]);
  });

  it('puts memory ticks on round MiB/GiB (0, 100 … 300 MiB), not decimal bytes (95.4 MiB, 286 MiB)', () => {
    expect(valueTicks(290 * MiB, MiB, 1024)).toEqual([0, 100, 200, 300].map((v) => v * MiB));
    expect(valueTicks(0, MiB, 1024)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => v * MiB));
    expect(valueTicks(3.3 * GiB, MiB, 1024)).toEqual([0, 1, 2, 3, 4].map((v) => v * GiB));
  });

  it('always reaches the data and the floor, with at most five intervals', () => {
    for (const max of [1, 7, 99, 101, 333, 1234, 98765]) {
      const t = valueTicks(max, 10, 1);
      expect(t[0]).toBe(0);
      expect(t.at(-1)!).toBeGreaterThanOrEqual(Math.max(max, 10));
      expect(t.length).toBeLessThanOrEqual(6);
    }
  });
});
