import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, runJob, startJob, tempDir, waitFor, withDeadline } from '../core/helpers.js';
import { pyJob } from './helpers.js';

// Python tasks in the joblog and --resume / --resume-failed, as module tasks.
afterEach(cleanup);

describe('python tasks and the joblog', () => {
  it('--resume runs the interrupted tasks again; --resume-failed the failed one', async () => {
    const dir = tempDir();
    const log = join(dir, 'log.tsv');
    const flag = join(dir, 'flaky');
    const job = pyJob(['ok:a', `flaky:${flag}`, `hang:${join(dir, 'pid')}`, 'ok:d'], 'concurrency: 3\n');
    const first = await startJob(job, { joblog: log });
    await waitFor('tasks 1 and 2 ended, 3 running', () => first.task(1).outcome && first.task(2).outcome && first.task(3).pid);
    expect((await first.sup.call('stopJob', { mode: 'graceful' })).ok).toBe(true);
    await withDeadline(first.finished, 60_000, 'the first run to stop');
    const rows = parseJoblog(readFileSync(log, 'utf8'));
    expect(rows.map((r) => [r.seq, r.outcome]).sort()).toEqual(expect.arrayContaining([[1, 'ok'], [2, 'failed'], [3, 'interrupted']]));
    expect(rows.find((r) => r.seq === 2)?.exitval).toBe(1);

    // The hang is over now: task 3's input names the pid file again, so make it end at once.
    const second = await runJob(job.replace(`hang:${join(dir, 'pid')}`, 'ok:c'), { joblog: log, resume: 'resume' });
    expect(second.task(1).state).toBe('skipped');
    expect(second.task(2).state).toBe('skipped'); // --resume skips what ended, failed or not
    expect(second.task(3).outcome).toBe('ok');

    const third = await runJob(job.replace(`hang:${join(dir, 'pid')}`, 'ok:c'), { joblog: log, resume: 'resume-failed' });
    expect(third.task(2).outcome).toBe('ok');
    expect(third.sup.taskResult(2)).toBe('second time');
    expect(third.task(1).state).toBe('skipped');
  });
});
