import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, runJob, startJob, tempDir, waitFor, withDeadline } from './helpers.js';

// --resume after a stop: a task a stop, halt or quit interrupted has not ended and runs again.
afterEach(cleanup);

describe('--resume after an interrupted run', () => {
  it('runs the interrupted tasks again and skips only those that ended', async () => {
    const dir = tempDir();
    const log = join(dir, 'log.tsv');
    // The second run finds `resumed` and ends each task at once.
    const job = `name: resumable\ncommand: [sh, -c, 'echo {#} >> ran.txt; test -e resumed || sleep {}']\nconcurrency: 2\ncwd: ${JSON.stringify(dir)}\ninputs:\n  list: [0.1, 0.2, 30, 30, 0.1, 0.1]\n`;
    const first = await startJob(job, { joblog: log });
    await waitFor('tasks 3 and 4 running', () => first.task(1).outcome && first.task(2).outcome && first.task(3).pid && first.task(4).pid);
    expect((await first.sup.call('stopJob', { mode: 'graceful' })).ok).toBe(true);
    await withDeadline(first.finished, 60_000, 'the first run to stop');
    expect(parseJoblog(readFileSync(log, 'utf8')).map((r) => [r.seq, r.outcome]).sort()).toEqual([[1, 'ok'], [2, 'ok'], [3, 'interrupted'], [4, 'interrupted']]);

    writeFileSync(join(dir, 'resumed'), '');
    writeFileSync(join(dir, 'ran.txt'), '');
    const second = await runJob(job, { joblog: log, resume: 'resume' });
    expect(second.tasks().map((t) => t.state)).toEqual(['skipped', 'skipped', 'done', 'done', 'done', 'done']);
    expect(readFileSync(join(dir, 'ran.txt'), 'utf8').split('\n').filter(Boolean).map(Number).sort()).toEqual([3, 4, 5, 6]);
    expect(second.sup.run!.info().counts).toMatchObject({ done: 4, skipped: 2, interrupted: 0, failed: 0 });
  });
});
