import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, tempDir } from '../core/helpers.js';
import { runCli } from './cli.js';

// Exit codes of a halted job, as GNU parallel's (in Corral's 0/1 terms), and flags that take
// what the job file takes.
afterEach(cleanup);

function job(text: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'job.yaml'), text);
  return dir;
}

// Task 1 fails at once; task 2 succeeds; task 3 would run a minute.
const MIXED = 'command: [sh, -c, "{}"]\nconcurrency: 2\nkill: TERM,2s,KILL\ninputs:\n  list: ["exit 3", "sleep 0.3", "sleep 60"]\n';

describe('corral run: halt exit codes', () => {
  it('halt: now,success=1 exits 0 after a failure, as GNU parallel does', async () => {
    const r = await runCli(['run', 'job.yaml'], { cwd: job(`${MIXED}halt: now,success=1\n`) });
    expect(r.stdout).toMatch(/halted — 1 ok, 1 failed, 1 interrupted of 3 .*\(halt: 1 task succeeded \(halt now,success=1\)\)/);
    expect(r.code).toBe(0);
  });

  it('halt: now,fail=1 exits 1', async () => {
    const r = await runCli(['run', 'job.yaml'], { cwd: job(`${MIXED}halt: now,fail=1\n`) });
    expect(r.stdout).toMatch(/\(halt: 1 task failed \(halt now,fail=1\)\)/);
    expect(r.code).toBe(1);
  });

  it('halt: now,done=1 exits as the task that ended first: 1 when it failed, 0 when it succeeded', async () => {
    const failedFirst = await runCli(['run', 'job.yaml'], { cwd: job(`${MIXED}halt: now,done=1\n`) });
    expect(failedFirst.code).toBe(1);
    const okFirst = await runCli(['run', 'job.yaml'], {
      cwd: job('command: [sh, -c, "{}"]\nconcurrency: 2\nkill: TERM,2s,KILL\nhalt: now,done=1\ninputs:\n  list: ["true", "sleep 60"]\n'),
    });
    expect(okFirst.stdout).toMatch(/halted — 1 ok, 1 interrupted of 2/);
    expect(okFirst.code).toBe(0);
  });
});

describe('corral run: flags take the job file\'s values', () => {
  it('--jobs 50% and --timeout 300% run the job', async () => {
    const r = await runCli(['run', 'job.yaml', '--jobs', '50%', '--timeout', '300%'], { cwd: job('command: "true {}"\ninputs:\n  list: [a, b, c]\n') });
    expect(r.stdout).toMatch(/finished — 3 ok of 3/);
    expect(r.code).toBe(0);
  });

  it('--timeout 25d does not time a 1 s task out (Node timers overflow past 24.8 days)', async () => {
    const r = await runCli(['run', 'job.yaml', '--timeout', '25d'], { cwd: job('command: sleep {}\ntimeout: 1s\ninputs:\n  list: [1.5]\n') });
    expect(r.stdout).toMatch(/^\[1\] ok /);
    expect(r.code).toBe(0);
  });

  it('--timeout off lifts the job file\'s timeout', async () => {
    const r = await runCli(['run', 'job.yaml', '--timeout', 'off'], { cwd: job('command: sleep {}\ntimeout: 100ms\ninputs:\n  list: [1]\n') });
    expect(r.stdout).toMatch(/^\[1\] ok /);
    expect(r.code).toBe(0);
  });
});
