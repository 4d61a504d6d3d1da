import { describe, expect, it } from 'vitest';
import type { Tick, TaskInfo } from '../../../main/contract/index.js';
import { mergeTicks } from '../../../main/serve/ws.js';
import { createFakeService } from '../../support/fakeService.js';

describe('mergeTicks', () => {
  const fake = createFakeService();
  const base = fake.tick();
  const task = (seq: number, state: TaskInfo['state']) => ({ seq, state }) as TaskInfo;
  const tick = (n: number, tasks: TaskInfo[]): Tick => ({ ...base, n, time: n, tasks });

  it('keeps the latest record per task and the newest everything else', () => {
    const a = tick(1, [task(1, 'running'), task(2, 'running')]);
    const b = tick(2, [task(2, 'done'), task(3, 'running')]);
    const m = mergeTicks(mergeTicks(null, a), b);
    expect(m.n).toBe(2);
    expect(m.time).toBe(2);
    expect(m.tasks.map((t) => [t.seq, t.state])).toEqual([[1, 'running'], [2, 'done'], [3, 'running']]);
  });

  it('returns the tick itself when nothing is held', () => {
    const a = tick(5, []);
    expect(mergeTicks(null, a)).toBe(a);
  });
});
