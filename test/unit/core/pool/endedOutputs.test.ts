import { describe, expect, it } from 'vitest';
import { EndedOutputs } from '../../../../main/core/pool/endedOutputs.js';
import { TaskRecord } from '../../../../main/core/pool/task.js';

const ended = (seq: number, bytes: number) => {
  const t = new TaskRecord(seq, String(seq), `cmd ${seq}`);
  t.output.push(Buffer.alloc(bytes, 120));
  return t;
};

describe('EndedOutputs', () => {
  it('keeps each ended task\'s tail, and drops the oldest outputs once the budget is spent', () => {
    const kept = new EndedOutputs(10, 25);
    const tasks = [ended(1, 40), ended(2, 5), ended(3, 10), ended(4, 10)];
    for (const t of tasks) kept.retain(t);
    // 10 + 5 + 10 = 25 fits; the fourth pushes it to 35, so task 1 (the oldest) loses its output.
    expect(tasks.map((t) => t.output.held)).toEqual([0, 5, 10, 10]);
    expect(tasks.map((t) => t.output.total)).toEqual([40, 5, 10, 10]);
  });

  it('never drops the output of a task that is running again (a retry)', () => {
    const kept = new EndedOutputs(10, 15);
    const retried = ended(1, 10);
    kept.retain(retried);
    retried.retryTimer = setTimeout(() => {}, 0);
    kept.retain(ended(2, 10));
    clearTimeout(retried.retryTimer);
    expect(retried.output.held).toBe(10);
  });
});
