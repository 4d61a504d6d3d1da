import { describe, expect, it } from 'vitest';
import { holdsEntry, parseProcStat } from '../../../../main/core/monitor/platform/procfs.js';

describe('parseProcStat', () => {
  it('reads state, pgid and start time even when comm holds spaces and parentheses', () => {
    const tail = Array.from({ length: 30 }, (_, i) => String(i + 5)).join(' ');
    const text = `4242 (my (odd) cmd) S 1 4240 4240 ${tail}`;
    // Fields: 3 state, 4 ppid, 5 pgrp, 6 session, then 7.. from the tail; field 22 is tail[15].
    expect(parseProcStat(text)).toMatchObject({ pid: 4242, ppid: 1, state: 'S', pgid: 4240, startTime: '20', name: 'my (odd) cmd' });
  });
  it('returns null for truncated text', () => {
    expect(parseProcStat('12 (x) S 1')).toBeNull();
    expect(parseProcStat('garbage')).toBeNull();
  });
});

describe('holdsEntry', () => {
  const env = (...entries: string[]) => Buffer.from(`${entries.join('\0')}\0`);
  const needle = Buffer.from('CORRAL_SUPERVISOR=42-abcdef01');
  it('finds the entry first, in the middle, last, and without a final NUL', () => {
    expect(holdsEntry(env('CORRAL_SUPERVISOR=42-abcdef01', 'A=1'), needle)).toBe(true);
    expect(holdsEntry(env('A=1', 'CORRAL_SUPERVISOR=42-abcdef01', 'B=2'), needle)).toBe(true);
    expect(holdsEntry(env('A=1', 'CORRAL_SUPERVISOR=42-abcdef01'), needle)).toBe(true);
    expect(holdsEntry(Buffer.from('A=1\0CORRAL_SUPERVISOR=42-abcdef01'), needle)).toBe(true);
  });
  it('does not take a longer value, another name ending the same, or the text inside a value', () => {
    expect(holdsEntry(env('CORRAL_SUPERVISOR=42-abcdef012'), needle)).toBe(false);
    expect(holdsEntry(env('X_CORRAL_SUPERVISOR=42-abcdef01'), needle)).toBe(false);
    expect(holdsEntry(env('OLD=CORRAL_SUPERVISOR=42-abcdef01'), needle)).toBe(false);
    expect(holdsEntry(env('CORRAL_SUPERVISOR=41-abcdef01', 'X_CORRAL_SUPERVISOR=42-abcdef01', 'CORRAL_SUPERVISOR=42-abcdef01'), needle)).toBe(true);
    expect(holdsEntry(Buffer.alloc(0), needle)).toBe(false);
  });
});
