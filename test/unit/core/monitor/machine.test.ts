import { describe, expect, it } from 'vitest';
import { parseSwap, readSwap } from '../../../../main/core/monitor/machine.js';

const meminfo = 'MemTotal:       16314200 kB\nMemAvailable:    9000000 kB\nSwapCached:            0 kB\nSwapTotal:       2097148 kB\nSwapFree:        1048574 kB\n';

describe('swap', () => {
  it('reads total and used bytes from /proc/meminfo', () => {
    expect(parseSwap(meminfo)).toEqual({ total: 2097148 * 1024, used: (2097148 - 1048574) * 1024 });
    expect(parseSwap('SwapTotal: 0 kB\nSwapFree: 0 kB\n')).toEqual({ total: 0, used: 0 });
  });
  it('is not sampled (null) off Linux, on an unreadable file, or without the fields', () => {
    expect(readSwap('darwin', () => meminfo)).toBeNull();
    expect(readSwap('linux', () => { throw new Error('EACCES'); })).toBeNull();
    expect(readSwap('linux', () => 'MemTotal: 1 kB\n')).toBeNull();
    expect(readSwap('linux', () => meminfo)).toEqual({ total: 2097148 * 1024, used: 1048574 * 1024 });
  });
  it('reads this machine (Linux)', () => {
    const s = readSwap();
    if (process.platform !== 'linux') return expect(s).toBeNull();
    expect(s).not.toBeNull();
    expect(s!.used).toBeLessThanOrEqual(s!.total);
  });
});
