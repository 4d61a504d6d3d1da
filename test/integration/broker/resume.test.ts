// Issue 12, test 6: SIGKILL the supervisor mid-run, then --resume with the same joblog: tasks that
// ended while it was down are recorded once, nothing runs twice, nothing is lost.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../core/helpers.js';
import { MARK, useCluster, finalRows, join, joblogRows } from './cluster.js';
import { existsSync, readdirSync } from 'node:fs';

describe('a supervisor killed mid-run', () => {
  const c = useCluster();

  it('--resume with the same joblog: one final row per task, every task run exactly once', async () => {
    const log = join(c.dir, 'joblog.tsv');
    const marks = join(c.dir, 'marks');
    const inputs = Array.from({ length: 40 }, (_, i) => String(i + 1));
    const first = c.run(['--joblog', log, MARK, marks, '{}', '0.5', ':::', ...inputs]);
    await waitFor('ten rows', () => existsSync(log) && joblogRows(log).length >= 10);
    first.child.kill('SIGKILL');
    await first.result;
    const before = joblogRows(log).length;
    expect(before).toBeLessThan(40);
    const again = await c.run(['--resume', '--joblog', log, MARK, marks, '{}', '0.5', ':::', ...inputs]).result;
    expect(again.code).toBe(0);
    const rows = joblogRows(log);
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(inputs.map(Number));
    expect(finalRows(rows)).toHaveLength(40);
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['ok']));
    // Each task ran once: one start mark per input, whichever supervisor was reading.
    const ran = readdirSync(marks).map((m) => m.split('.')[0]);
    expect(ran.sort()).toEqual([...inputs].sort());
    // The resumed run prints what ended after the first supervisor died.
    const printed = again.stdout.trim().split('\n').filter(Boolean);
    expect(printed).toHaveLength(40 - before);
  });
});
