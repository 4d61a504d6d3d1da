import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, runCli, spawnCli, tempDir, waitFor, withDeadline } from '../core/helpers.js';

// The scenario: Ctrl-C, then --resume runs the interrupted tasks again.
afterEach(cleanup);

describe('corral run --resume after Ctrl-C', () => {
  it('the interrupted tasks are rows `interrupted`, and --resume runs them and the ones never started', async () => {
    const dir = tempDir();
    // Each task notes it started; once `resumed` exists a task ends at once.
    writeFileSync(
      join(dir, 'job.yaml'),
      "name: resumable\ncommand: [sh, -c, 'echo {#} >> ran.txt; test -e resumed || sleep {}']\nconcurrency: 2\ninputs:\n  list: [0.1, 0.2, 30, 30, 0.1, 0.1]\n",
    );
    const ran = () => readFileSync(join(dir, 'ran.txt'), 'utf8').split('\n').filter(Boolean).map(Number).sort();
    const cli = spawnCli(['run', 'job.yaml', '--joblog', 'log.tsv', '--tick', '250ms'], { cwd: dir });
    await waitFor('tasks 3 and 4 to start', () => /\[2\] ok/.test(cli.stdout) && ran().includes(3) && ran().includes(4));
    cli.child.kill('SIGINT');
    const first = await withDeadline(cli.result, 60_000, 'the CLI to exit');
    expect(first.code).toBe(130);
    expect(first.stdout).toMatch(/resumable: stopped — 2 ok, 2 interrupted, 2 not run of 6/);
    expect(parseJoblog(readFileSync(join(dir, 'log.tsv'), 'utf8')).map((r) => [r.seq, r.outcome]).sort()).toEqual([[1, 'ok'], [2, 'ok'], [3, 'interrupted'], [4, 'interrupted']]);

    writeFileSync(join(dir, 'resumed'), '');
    writeFileSync(join(dir, 'ran.txt'), '');
    const again = await runCli(['run', 'job.yaml', '--joblog', 'log.tsv', '--resume'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/resumable: finished — 4 ok, 2 skipped of 6/);
    expect(ran()).toEqual([3, 4, 5, 6]);
  });
});
