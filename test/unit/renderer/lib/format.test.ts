import { describe, expect, it } from 'vitest';
import {
  formatBytes, formatCount, formatCountdown, formatCpuSeconds, formatDuration, formatPercent, formatRate, middleEllipsis,
} from '../../../../renderer/lib/format.js';

describe('formatBytes', () => {
  it('uses binary units with about three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(700 * 1024 * 1024)).toBe('700 MiB');
    expect(formatBytes(12.5 * 1024 * 1024)).toBe('12.5 MiB');
    expect(formatBytes(3.2 * 1024 ** 3)).toBe('3.20 GiB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2.00 TiB');
  });
  it('shows a dash for nonsense', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('scales from ms to days', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1_250)).toBe('1.3 s');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(75_000)).toBe('1m 15s');
    expect(formatDuration(3_723_000)).toBe('1h 02m');
    expect(formatDuration(26 * 3_600_000)).toBe('1d 02h');
  });
  it('shows a dash for null', () => {
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatCountdown', () => {
  it('rounds up and never goes negative', () => {
    expect(formatCountdown(6_200)).toBe('7 s');
    expect(formatCountdown(7_000)).toBe('7 s');
    expect(formatCountdown(-500)).toBe('0 s');
  });
});

describe('formatPercent and friends', () => {
  it('formats CPU percent of one core', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(3.14)).toBe('3.1%');
    expect(formatPercent(187.4)).toBe('187%');
    expect(formatPercent(null)).toBe('—');
  });
  it('formats CPU seconds, rates and counts', () => {
    expect(formatCpuSeconds(0.42)).toBe('0.42 s');
    expect(formatCpuSeconds(12.345)).toBe('12.3 s');
    expect(formatCpuSeconds(4000)).toBe('1h 06m');
    expect(formatRate(0.05)).toBe('0.05/s');
    expect(formatRate(12.34)).toBe('12.3/s');
    expect(formatRate(120.4)).toBe('120/s');
    expect(formatCount(100000)).toBe('100\u2009000');
    expect(formatCount(999)).toBe('999');
  });
});

describe('middleEllipsis', () => {
  it('keeps the start and the end of a long path, the end longer', () => {
    const p = '/data/experiments/2024-06/run-17/raw/part-00042.log';
    const cut = middleEllipsis(p, 30);
    expect(Array.from(cut)).toHaveLength(30);
    expect(cut.startsWith('/data/experi')).toBe(true);
    expect(cut.endsWith('/part-00042.log')).toBe(true);
    expect(cut).toContain('…');
  });
  it('leaves short text alone and does not split a character', () => {
    expect(middleEllipsis('a.log', 30)).toBe('a.log');
    expect(middleEllipsis('😀'.repeat(40), 10)).toBe(`${'😀'.repeat(4)}…${'😀'.repeat(5)}`);
  });
});
