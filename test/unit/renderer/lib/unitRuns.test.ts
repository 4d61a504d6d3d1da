import { describe, expect, it } from 'vitest';
import { unitRuns } from '../../../../renderer/lib/format.js';

describe('unitRuns', () => {
  it('finds each number with its unit, so the view keeps them on one line ("13 s", never "13 / s")', () => {
    const parts = unitRuns('CPU 0.0 s in 5 s; no output for 13 s');
    expect(parts.filter((_, i) => i % 2 === 1)).toEqual(['0.0 s', '5 s', '13 s']);
    expect(parts.join('')).toBe('CPU 0.0 s in 5 s; no output for 13 s');
    expect(unitRuns('RSS 1.2 GiB over 512 MiB, 300 % of the median, 40 ms').filter((_, i) => i % 2 === 1)).toEqual(['1.2 GiB', '512 MiB', '300 %', '40 ms']);
  });

  it('leaves words that only start like a unit alone', () => {
    expect(unitRuns('task 3 slept 2 seconds in 4 steps')).toEqual(['task 3 slept 2 seconds in 4 steps']);
  });
});
