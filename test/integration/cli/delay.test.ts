// --delay (GNU parallel's): each task starts at least the delay after the previous start, with
// the pool free to run them all at once; a stop during the wait ends the run without waiting it out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, tempDir } from '../core/helpers.js';
import { waitFor } from '../../support/wait.js';
import { runCli, spawnCli } from './cli.js';
import { parseJoblog } from '../../../main/core/log/joblog.js';

afterEach(cleanup);

/** Starttimes (epoch seconds) of a joblog's rows, in seq order. */
function starts(file: string): number[] {
  return parseJoblog(readFileSync(file, 'utf8')).sort((a, b) => a.seq - b.seq).map((r) => r.startTime);
}

/** Each start is at least `seconds` after the one before (the joblog keeps milliseconds). */
function expectApart(times: number[], seconds: number): void {
  for (let i = 1; i < times.length; i++) expect(Math.round((times[i] - times[i - 1]) * 1000)).toBeGreaterThanOrEqual(seconds * 1000);
}

describe('--delay', () => {
  it('starts each task at least the delay after the previous one, though -j4 has a slot for every task', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '-j4', '-k', '--delay', '0.4', '--joblog', 'log.tsv', 'echo {}', ':::', 'a', 'b', 'c', 'd'], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([0, 'a\nb\nc\nd\n']);
    const times = starts(join(dir, 'log.tsv'));
    expect(times).toHaveLength(4);
    expectApart(times, 0.4);
  });

  it('module tasks too: each begins at least the delay after the previous, whatever the start-up of its host', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'twice.mjs'), 'export default async (x) => Number(x) * 2;\n');
    writeFileSync(join(dir, 'job.yaml'), 'module: ./twice.mjs\ninputs: { list: [1, 2, 3, 4] }\nconcurrency: 4\ndelay: 400ms\n');
    const r = await runCli(['run', '--joblog', 'log.tsv', 'job.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    const times = starts(join(dir, 'log.tsv'));
    expect(times).toHaveLength(4);
    expectApart(times, 0.4);
  });

  it('the job file key `delay` does the same, and --delay overrides it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'job.yaml'), 'command: echo {}\ninputs: { list: [a, b, c] }\nconcurrency: 3\ndelay: 300ms\n');
    const fromFile = await runCli(['run', '--joblog', 'file.tsv', 'job.yaml'], { cwd: dir });
    expect(fromFile.code).toBe(0);
    expectApart(starts(join(dir, 'file.tsv')), 0.3);
    const overridden = await runCli(['run', '--delay', '700ms', '--joblog', 'flag.tsv', 'job.yaml'], { cwd: dir });
    expect(overridden.code).toBe(0);
    expectApart(starts(join(dir, 'flag.tsv')), 0.7);
  });

  it('Ctrl-C while the next start waits out a long delay ends the run at once; the waiting task never runs', async () => {
    const dir = tempDir();
    const cli = spawnCli(['run', '-j2', '--delay', '1h', '--joblog', 'log.tsv', 'echo ran {}', ':::', 'first', 'second'], { cwd: dir });
    await waitFor('the first task to print', () => cli.stdout.includes('ran first'));
    cli.child.kill('SIGINT');
    // An hour's wait would hit the helper's 90 s kill (code null) instead.
    const r = await cli.result;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('ran first\n');
    expect(parseJoblog(readFileSync(join(dir, 'log.tsv'), 'utf8')).map((row) => row.seq)).toEqual([1]);
  });
});
