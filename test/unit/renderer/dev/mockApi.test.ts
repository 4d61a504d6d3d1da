import { describe, expect, it } from 'vitest';
import { soakParams } from '../../../../renderer/dev/mockApi.js';

describe('soakParams', () => {
  it('reads the accelerated soak from the query string, with defaults for what is missing or bad', () => {
    expect(soakParams('?mock')).toBeNull();
    expect(soakParams('?mock=empty')).toBeNull();
    expect(soakParams('?mock=soak')).toEqual({ slots: 64, ticks: 1800, intervalMs: 50, tasks: 30_000 });
    expect(soakParams('?mock=soak&slots=8&ticks=20&interval=10&tasks=x')).toEqual({ slots: 8, ticks: 20, intervalMs: 10, tasks: 30_000 });
    expect(soakParams('?mock=soak&slots=0')).toMatchObject({ slots: 64 });
  });
});
