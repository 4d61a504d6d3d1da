import { describe, expect, it } from 'vitest';
import { stuckAge } from '../../../../renderer/views/StuckTasks.js';

describe('stuckAge', () => {
  it('says "just now" under a second (the page clock can trail the verdict), never "0 ms"', () => {
    expect(stuckAge(10_000, 10_000)).toBe('just now');
    expect(stuckAge(10_000, 9_400)).toBe('just now');
    expect(stuckAge(10_000, 10_999)).toBe('just now');
  });

  it('gives the age as a duration from a second on', () => {
    expect(stuckAge(10_000, 18_000)).toBe('8.0 s');
  });
});
