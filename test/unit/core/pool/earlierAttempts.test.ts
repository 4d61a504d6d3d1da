import { describe, expect, it } from 'vitest';
import { ATTEMPT_BYTES, EarlierAttempts } from '../../../../main/core/pool/earlierAttempts.js';
import { TaskRecord } from '../../../../main/core/pool/task.js';
import type { TaskInfo } from '../../../../main/contract/types.js';

const ended = (seq: number, attempt: number, start: number, extra: Partial<TaskInfo> = {}): TaskInfo =>
  Object.assign(new TaskRecord(seq, `in${seq}`, `cmd ${seq}`).info, { attempt, slot: 1 + (seq % 4), startedAt: start, endedAt: start + 100, exitCode: 3, ...extra });

describe('EarlierAttempts', () => {
  it('keeps each ended attempt with its outcome, exit code and signal, oldest first', () => {
    const a = new EarlierAttempts();
    a.keep(ended(7, 1, 1000), 'failed');
    a.keep(ended(7, 2, 2000, { exitCode: null, signal: 'SIGKILL' }), 'timeout');
    expect([...a.ended()]).toEqual([
      { seq: 7, attempt: 1, slot: 4, start: 1000, end: 1100, outcome: 'failed', exitCode: 3, signal: null },
      { seq: 7, attempt: 2, slot: 4, start: 2000, end: 2100, outcome: 'timeout', exitCode: null, signal: 'SIGKILL' },
    ]);
    expect([...a.ended(1100)].map((x) => x.attempt)).toEqual([2]); // only what ended after
  });

  it('does not keep an attempt that never started (a skipped task retried)', () => {
    const a = new EarlierAttempts();
    a.keep(ended(1, 0, 0, { startedAt: null }), 'skipped');
    expect(a.size).toBe(0);
  });

  it('stays within its byte budget: the oldest attempts go and are counted', () => {
    const a = new EarlierAttempts(ATTEMPT_BYTES * 100);
    for (let i = 1; i <= 250; i++) a.keep(ended(i, 1, i * 1000), 'failed');
    expect(a.size).toBe(100);
    expect(a.dropped).toBe(150);
    expect(a.bytes).toBeLessThanOrEqual(ATTEMPT_BYTES * 100);
    const kept = [...a.ended()].map((x) => x.seq);
    expect(kept[0]).toBe(151);
    expect(kept.at(-1)).toBe(250);
  });
});
