import { describe, expect, it } from 'vitest';
import { runCountsText, runDurationText, runtimeChange } from '../../../../renderer/views/runs/runFormat.js';

describe('run history wording', () => {
  it('counts leave out zeros but ok', () => {
    expect(runCountsText({ ok: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 })).toBe('0 ok');
    expect(runCountsText({ ok: 3, failed: 1, killed: 2, interrupted: 0, skipped: 4 })).toBe('3 ok, 1 failed, 2 killed, 4 skipped');
  });
  it('a duration only when both ends are known', () => {
    expect(runDurationText({ startedAt: 1000, endedAt: 3500, live: false })).toBe('2.5 s');
    expect(runDurationText({ startedAt: 1000, endedAt: null, live: false })).toBe('duration unknown');
    expect(runDurationText({ startedAt: 1000, endedAt: null, live: true })).toBe('running');
  });
  it('runtime change against the previous run, with a real minus sign', () => {
    expect([runtimeChange(1.2, 1), runtimeChange(0.6, 1), runtimeChange(1, 1), runtimeChange(1, null), runtimeChange(1, 0)]).toEqual(['+20 %', '−40 %', '±0 %', 'new', '—']);
  });
});
