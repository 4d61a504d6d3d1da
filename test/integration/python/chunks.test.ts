import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runJob, startJob, taskOutput, tempDir, trackPid, waitFor, withDeadline } from '../core/helpers.js';
import { pyJob } from './helpers.js';

// Python hosts hold prefetched starts and take chunks of inputs; every task is still its own.
afterEach(cleanup);

const notRun = (t: { state: string; attempt: number; startedAt: number | null }) => t.state === 'queued' && t.attempt === 0 && t.startedAt === null;

describe('Python tasks in chunks', () => {
  it('chunksize 5 with one failing input: only that task fails, one host runs them all', async () => {
    const h = await runJob(pyJob(['ok:1', 'ok:2', 'throw:bad three', 'ok:4', 'ok:5', 'ok:6'], 'chunksize: 5\n'));
    expect(h.tasks().map((t) => t.outcome)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok', 'ok']);
    expect(h.task(3).error).toBe('ValueError: bad three');
    expect(new Set(h.tasks().map((t) => t.pid)).size).toBe(1);
    expect(h.tasks().every((t) => t.attempt === 1 && t.cpuSeconds !== null)).toBe(true);
  });

  it('a host SIGKILLed mid-chunk fails only its begun task; the rest of the chunk runs later with attempt 1', async () => {
    const pidFile = join(tempDir(), 'pid');
    const h = await startJob(pyJob(['ok:1', `hang:${pidFile}`, 'ok:3', 'ok:4'], 'chunksize: 4\n'));
    const pid = Number(await waitFor('the host pid', () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') || null : null)));
    trackPid(pid);
    expect(h.tasks().slice(2).every(notRun)).toBe(true); // sent in the chunk, not begun: queued
    process.kill(pid, 'SIGKILL');
    await withDeadline(h.finished, 60_000, 'the job to end');
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['failed', 1], ['ok', 1], ['ok', 1]]);
    expect(h.task(2).error).toBe('host killed by SIGKILL');
    expect(h.task(3).pid).not.toBe(pid);
  });

  // Whatever the host holds back to write fewer times, what it knew before user code ran reaches
  // the supervisor: the tasks that ended before it died are neither lost nor run twice.
  it.each([
    ['exit:3', 'host exited with code 3'],
    ['segv:', 'host killed by SIGSEGV'],
  ])('%s mid-chunk: the tasks before it keep their results from the dead host, it fails once', async (kind, error) => {
    const h = await runJob(pyJob(['ok:1', 'ok:2', kind, 'ok:4'], 'chunksize: 4\n'));
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['ok', 1], ['failed', 1], ['ok', 1]]);
    expect(h.task(3).error).toBe(error);
    const pids = [1, 2, 4].map((s) => (h.sup.taskResult(s) as { pid: number }).pid);
    expect(pids[1]).toBe(pids[0]);
    expect(h.task(3).pid).toBe(pids[0]); // it died in the first host: not given back and run in the next one
    expect(pids[2]).not.toBe(pids[0]);
    expect(h.task(1).cpuSeconds).not.toBeNull();
  });

  it('a task stuck in C code holding the GIL after quick ones is seen to begin: its timeout ends it', async () => {
    const pidFile = join(tempDir(), 'pid');
    const h = await startJob(pyJob(['ok:1', 'ok:2', `gilhang:${pidFile}`, 'ok:4'], 'chunksize: 4\ntimeout: 3s\nkill: TERM,1s,KILL\n'));
    trackPid(Number(await waitFor('the host pid', () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') || null : null))));
    await withDeadline(h.finished, 60_000, 'the job to end');
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['ok', 1], ['timeout', 1], ['ok', 1]]);
  });

  it('a large result crosses whole, between quick ones in a chunk', async () => {
    const h = await runJob(pyJob(['ok:1', 'big:200000', 'ok:3', 'big:70000'], 'chunksize: 4\n'));
    expect(h.tasks().map((t) => t.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(h.sup.taskResult(2)).toBe('x'.repeat(200_000));
    expect(h.sup.taskResult(4)).toBe('x'.repeat(70_000));
    expect(h.sup.taskResult(3)).toMatchObject({ value: '3' });
  });

  it('a long task does not hold back the results of the quick ones before it, nor its own begin', async () => {
    const pidFile = join(tempDir(), 'pid');
    const h = await startJob(pyJob(['ok:1', 'ok:2', `hang:${pidFile}`, 'ok:4'], 'chunksize: 4\nkill: TERM,2s,KILL\n'));
    trackPid(Number(await waitFor('the host pid', () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') || null : null))));
    await waitFor('tasks 1 and 2 done, task 3 running', () => (h.task(1).outcome === 'ok' && h.task(2).outcome === 'ok' && h.task(3).state === 'running') || null, 30_000);
    expect((await h.sup.call('killTask', { seq: 3, mode: 'force' })).ok).toBe(true);
    await withDeadline(h.finished, 60_000, 'the job to end');
    expect(h.tasks().map((t) => t.outcome)).toEqual(['ok', 'ok', 'killed', 'ok']);
  });

  it('pausing dispatch takes the prefetched starts back from a busy host; they run after resume', async () => {
    const gate = join(tempDir(), 'gate');
    const h = await startJob(pyJob([`gate:${gate}`, 'ok:2', 'ok:3']));
    const host = () => h.sup.run!.slots[0].host;
    await waitFor('a prefetched start', () => (host()?.waiting ?? 0) > 0 || null);
    expect((await h.sup.call('pauseDispatch', {})).ok).toBe(true);
    await waitFor('the recall to come back', () => host()?.waiting === 0 || null);
    writeFileSync(gate, '');
    await waitFor('task 1 to end and the slot to be free', () => (h.task(1).state === 'done' && h.sup.run!.slots[0].taskSeq === null && host()?.outstanding === 0) || null);
    expect(h.tasks().slice(1).every(notRun)).toBe(true);
    expect((await h.sup.call('resumeDispatch', {})).ok).toBe(true);
    await withDeadline(h.finished, 60_000, 'the job to end');
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['ok', 1], ['ok', 1]]);
  });

  it('output is per task: a print in task k never lands in task k+1', async () => {
    const n = 200;
    const h = await runJob(pyJob(Array.from({ length: n }, (_, i) => `echo:v${i + 1}`), 'concurrency: 2\nchunksize: 7\n'));
    expect(h.sup.run!.info().counts.done).toBe(n);
    for (let seq = 1; seq <= n; seq++) {
      const out = await taskOutput(h.sup, seq);
      const lines = out.split('\n').filter((l) => l.startsWith('print ') || l.startsWith('fd1 '));
      expect(lines.sort(), `task ${seq}: ${JSON.stringify(out)}`).toEqual([`fd1 v${seq}`, `print v${seq}`]);
    }
  });

  // The first task's time includes its host's start-up (a loaded machine may take seconds): 4 s.
  it('a timeout ends only the task of the chunk that ran over', async () => {
    const pidFile = join(tempDir(), 'pid');
    const h = await runJob(pyJob(['ok:1', `hang:${pidFile}`, 'ok:3', 'ok:4'], 'chunksize: 4\ntimeout: 4s\nkill: TERM,500ms,KILL\n'));
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['timeout', 1], ['ok', 1], ['ok', 1]]);
  });
});
