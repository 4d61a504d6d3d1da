import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, groupPids, pidAlive, runJob, startJob, taskOutput, tempDir, trackPid, waitFor, withDeadline } from '../core/helpers.js';
import { pyJob } from './helpers.js';

// A Python host that dies fails only its task; the slot gets a fresh host; stops reach the whole tree.
afterEach(cleanup);

const pidOf = (r: unknown) => (r as { pid: number }).pid;

async function pidFrom(file: string): Promise<number> {
  const pid = Number(await waitFor(`a pid in ${file}`, () => existsSync(file) && readFileSync(file, 'utf8')));
  trackPid(pid);
  return pid;
}

describe('python hosts', () => {
  it('os._exit(3) fails only its task (code 3); the next task gets a fresh host', async () => {
    const h = await runJob(pyJob(['ok:a', 'exit:3', 'ok:b']));
    const t = h.task(2);
    expect(t.outcome).toBe('failed');
    expect(t.exitCode).toBe(3);
    expect(t.error).toBe('host exited with code 3');
    expect(h.task(3).outcome).toBe('ok');
    expect(pidOf(h.sup.taskResult(3))).not.toBe(pidOf(h.sup.taskResult(1)));
  });

  it('a segfault in C code (ctypes.string_at(0)) fails only its task, and retries apply', async () => {
    const h = await runJob(pyJob(['segv:', 'ok:after'], 'retries: 1\n'));
    const t = h.task(1);
    expect(t.outcome).toBe('failed');
    expect(t.attempt).toBe(2);
    expect(t.signal).toBe('SIGSEGV');
    expect(t.error).toBe('host killed by SIGSEGV');
    expect(h.task(2).outcome).toBe('ok');
  });

  it('a host killed by SIGKILL fails only its task; the slot runs the next one — no hang', async () => {
    const dir = tempDir();
    const h = await startJob(pyJob([`hang:${join(dir, 'pid')}`, 'ok:next']));
    const pid = await pidFrom(join(dir, 'pid'));
    expect(h.task(1).pid).toBe(pid);
    process.kill(pid, 'SIGKILL');
    await withDeadline(h.finished, 30_000, 'the job to end');
    expect(h.task(1)).toMatchObject({ outcome: 'failed', signal: 'SIGKILL', error: 'host killed by SIGKILL' });
    expect(h.task(2).outcome).toBe('ok');
    expect(pidOf(h.sup.taskResult(2))).not.toBe(pid);
  });

  it('a host over the memory limit is killed (memory-killed), only its task fails, the slot gets a fresh host', async () => {
    const h = await runJob(pyJob(['ok:a', 'grow:300', 'ok:b'], 'memoryLimit: 150MiB\nkill: TERM,2s,KILL\n'));
    expect(h.task(2).outcome).toBe('memory-killed');
    expect(h.task(2).error).toMatch(/^memory limit exceeded/);
    expect(h.task(3).outcome).toBe('ok');
    expect(pidOf(h.sup.taskResult(3))).not.toBe(pidOf(h.sup.taskResult(1)));
  });

  it('maxTasksPerWorker recycles the host', async () => {
    const h = await runJob(pyJob(['ok:1', 'ok:2', 'ok:3', 'ok:4', 'ok:5'], 'maxTasksPerWorker: 2\n'));
    const pids = [1, 2, 3, 4, 5].map((s) => pidOf(h.sup.taskResult(s)));
    expect(pids[1]).toBe(pids[0]);
    expect(pids[3]).toBe(pids[2]);
    expect(new Set(pids).size).toBe(3);
    await waitFor('recycled hosts to exit', () => !pidAlive(pids[0]) && !pidAlive(pids[2]));
  });

  it('a timeout ends the task through the kill sequence; the host is replaced', async () => {
    const dir = tempDir();
    const h = await runJob(pyJob([`hang:${join(dir, 'pid')}`, 'ok:next'], 'timeout: 2s\nkill: TERM,2s,KILL\n'));
    expect(h.task(1).outcome).toBe('timeout');
    expect(h.task(1).error).toMatch(/^timed out after \d+\.\d s$/);
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    expect(pidAlive(pid)).toBe(false);
    expect(h.task(2).outcome).toBe('ok');
  });

  it('a graceful stop sets ctx.cancelled() first: the task sees it and ends on its own', async () => {
    const dir = tempDir();
    const h = await startJob(pyJob([`cancel:${join(dir, 'pid')}`, 'ok:next'], 'kill: TERM,30s,KILL\n'));
    const pid = await pidFrom(join(dir, 'pid'));
    expect((await h.sup.call('killTask', { seq: 1, mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the task to end');
    expect(h.task(1).outcome).toBe('killed');
    expect(await taskOutput(h.sup, 1)).toContain('RuntimeError: cancelled as asked');
    // It ended through ctx.cancelled(), before TERM's 30 s: the host was not signalled and ran the next task.
    expect(h.task(2).outcome).toBe('ok');
    expect(pidOf(h.sup.taskResult(2))).toBe(pid);
  });

  it('a task running its own multiprocessing.Pool: the tree\'s CPU is counted and the whole tree is killed', async () => {
    const dir = tempDir();
    const h = await startJob(pyJob([`pool:${join(dir, 'pid')}`], 'kill: TERM,2s,KILL\n'), { settings: { tickMs: 250 } });
    const pid = await pidFrom(join(dir, 'pid'));
    // The host waits in pool.map; its two workers spin: the task's CPU grows faster than one core could.
    await waitFor('the pool workers in the task\'s tree', () => h.task(1).pids.length >= 3, 30_000);
    const members = groupPids(pid);
    members.forEach(trackPid);
    expect(members.length).toBeGreaterThanOrEqual(3);
    await waitFor('tree CPU above the host\'s own', () => (h.task(1).cpuSeconds ?? 0) >= 1.5, 60_000);
    expect((await h.sup.call('killTask', { seq: 1, mode: 'force' })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the task to end');
    expect(h.task(1).outcome).toBe('killed');
    for (const p of members) expect(pidAlive(p)).toBe(false);
  });
});
