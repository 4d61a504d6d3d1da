import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, cliBin, repoRoot, tempDir, waitFor, withDeadline } from '../core/helpers.js';
import { expectNoCrash, spawnCli } from './cli.js';

// How `corral run` ends when it is told to (signals) or its reader goes away (| head), and
// what a bug looks like to the user: one line, never a stack trace.
afterEach(cleanup);

const LONG_JOB = 'name: held\ncommand: sleep {}\nconcurrency: 2\nkill: TERM,2s,KILL\ninputs:\n  list: [0.1, 0.1, 60, 60, 60]\n';

function rows(dir: string) {
  return parseJoblog(readFileSync(join(dir, 'log.tsv'), 'utf8')).map((r) => [r.seq, r.outcome]).sort();
}

describe('corral run: signals stop the job gracefully and say which in the exit code', () => {
  it.each([
    ['SIGTERM', 143, 'corral: terminated — stopping running tasks gracefully (SIGTERM again to kill them)'],
    ['SIGHUP', 129, 'corral: hangup — stopping running tasks gracefully'],
  ] as const)('%s: summary, a joblog row for every started task, exit %i', async (signal, code, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'job.yaml'), LONG_JOB);
    const cli = spawnCli(['run', 'job.yaml', '--joblog', 'log.tsv', '--tick', '250ms'], { cwd: dir });
    await waitFor('two tasks to finish', () => /\[1\] ok/.test(cli.stdout) && /\[2\] ok/.test(cli.stdout));
    cli.child.kill(signal);
    const r = await withDeadline(cli.result, 30_000, 'the CLI to exit');
    expect([r.code, r.signal]).toEqual([code, null]);
    expect(r.stdout).toContain(message);
    expect(r.stdout).toMatch(/held: stopped — 2 ok, 2 interrupted, 1 not run of 5/);
    expect(rows(dir)).toEqual([[1, 'ok'], [2, 'ok'], [3, 'interrupted'], [4, 'interrupted']]);
  });
});

describe('corral run: a second signal', () => {
  it('a second SIGTERM kills a task that ignores TERM; a hangup in between does not escalate', async () => {
    const dir = tempDir();
    // The task ignores TERM and the kill sequence would wait a minute before KILL.
    writeFileSync(join(dir, 'job.yaml'), 'name: stubborn\ncommand: [sh, -c, "trap \'\' TERM; touch started; sleep {} & wait; sleep {}"]\nkill: TERM,60s,KILL\ninputs:\n  list: [60]\n');
    const cli = spawnCli(['run', 'job.yaml', '--joblog', 'log.tsv', '--tick', '250ms'], { cwd: dir });
    await waitFor('the task to start', () => existsSync(join(dir, 'started')));
    cli.child.kill('SIGTERM');
    await waitFor('the graceful stop to begin', () => cli.stdout.includes('corral: terminated'));
    cli.child.kill('SIGHUP');
    cli.child.kill('SIGTERM');
    const r = await withDeadline(cli.result, 40_000, 'the CLI to exit');
    expect(r.code).toBe(143);
    expect(r.stdout.match(/corral: killing running tasks/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/stubborn: stopped — 0 ok, 1 interrupted of 1 /);
    expect(rows(dir)).toEqual([[1, 'interrupted']]);
  });
});

describe('corral serve: signals', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s stops the running tasks and exits %i', async (signal, code) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'job.yaml'), 'command: [sh, -c, "touch started && exec sleep {}"]\nkill: TERM,2s,KILL\ninputs:\n  list: [60]\n');
    const cli = spawnCli(['serve', 'job.yaml', '--port', '0'], { cwd: dir });
    await waitFor('the dashboard line', () => cli.stdout.includes('corral: dashboard at http://127.0.0.1:'));
    await waitFor('the task to start', () => existsSync(join(dir, 'started')));
    cli.child.kill(signal);
    const r = await withDeadline(cli.result, 30_000, 'corral serve to exit');
    expect([r.code, r.signal]).toEqual([code, null]);
  });
});

describe('corral run | head -1', () => {
  it('ends quietly with 141 once its stdout is closed: running tasks stopped gracefully, their rows written', async () => {
    const dir = tempDir();
    // Slot 1 holds a long task; slot 2 keeps finishing short ones, so Corral keeps writing lines.
    const shorts = Array.from({ length: 40 }, () => '0.2').join(', ');
    writeFileSync(join(dir, 'job.yaml'), `name: piped\ncommand: sleep {}\nconcurrency: 2\ninputs:\n  list: [60, ${shorts}]\n`);
    const script = `node ${JSON.stringify(cliBin)} run job.yaml --joblog log.tsv --tick 250ms | head -1; echo "corral exit \${PIPESTATUS[0]}" >&2`;
    const sh = spawn('bash', ['-c', script], { cwd: dir, env: { ...process.env, CORRAL_STATE_DIR: join(dir, 'state') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    sh.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    sh.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await withDeadline(new Promise((r) => sh.once('close', r)), 45_000, 'the pipeline to end');
    expect(stdout).toMatch(/^\[\d+\] ok \d+s .* sleep 0\.2\n$/);
    expect(stderr).toBe('corral exit 141\n');
    // The long task and the short one running beside it at the stop are killed; the rest never ran.
    const log = rows(dir);
    expect(log[0]).toEqual([1, 'interrupted']);
    expect(log.filter(([, outcome]) => outcome !== 'ok').length).toBeLessThanOrEqual(2);
    expect(log.every(([, outcome]) => outcome === 'ok' || outcome === 'interrupted')).toBe(true);
    expect(log.length).toBeLessThan(41);
  });
});

describe('corral run > /dev/full', () => {
  it('a stdout that fails with ENOSPC stops the run gracefully, says why once, exits 141', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'job.yaml'), 'command: sleep {}\nconcurrency: 2\nkill: TERM,2s,KILL\ninputs:\n  list: [0.1, 60, 60]\n');
    const script = `node ${JSON.stringify(cliBin)} run job.yaml --joblog log.tsv --tick 250ms > /dev/full; echo "corral exit $?" >&2`;
    const sh = spawn('bash', ['-c', script], { cwd: dir, env: { ...process.env, CORRAL_STATE_DIR: join(dir, 'state') }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    sh.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await withDeadline(new Promise((r) => sh.once('close', r)), 45_000, 'the run to end');
    expect(stderr).toBe('corral: cannot write to stdout (ENOSPC); stopping running tasks gracefully\ncorral exit 141\n');
    expect(rows(dir)).toEqual([[1, 'ok'], [2, 'interrupted'], [3, 'interrupted']]); // 3 took the slot 1 freed, before the write failed
  });
});

describe('a bug in the CLI process', () => {
  it('an unhandled rejection ends it with one line and exit 70, no stack trace', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'job.yaml'), 'command: [sh, -c, "touch started && exec sleep {}"]\ninputs:\n  list: [30]\n');
    const child = spawn(process.execPath, ['-r', join(repoRoot, 'test/fixtures/cli/rejectLater.cjs'), cliBin, 'run', 'job.yaml'], {
      cwd: dir,
      env: { ...process.env, CORRAL_STATE_DIR: join(dir, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await withDeadline(new Promise<number | null>((r) => child.once('close', r)), 30_000, 'the CLI to exit');
    // The orphan reaper then kills the running task, and says so.
    expect(code).toBe(70);
    expect(stderr.split('\n')).toEqual([
      'corral: internal error: boom from a test fixture',
      expect.stringMatching(/^corral reaper\[\d+\]: supervisor pipe closed without bye; reaping 1 task group\(s\)$/),
      '',
    ]);
  });

  it('the crash check of these tests catches a stack trace', () => {
    expect(() => expectNoCrash('Error: x\n    at main (/a.js:1:1)\n')).toThrow();
    expect(() => expectNoCrash('[UnhandledPromiseRejection: x]\n')).toThrow();
    expect(() => expectNoCrash('corral: 1 process group(s) from an earlier run …\n')).not.toThrow();
  });
});

