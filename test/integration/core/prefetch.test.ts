import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Supervisor } from '../../../main/core/supervisor.js';
import { cleanup, fixtures, pidAlive, runJob, startJob, taskOutput, tempDir, trackPid, waitFor, withDeadline, yamlList } from './helpers.js';

// Module hosts hold prefetched starts (sent, not begun): such a task is queued until its host
// begins it, comes back unbegun when recalled or when the host dies, and never uses an attempt.
afterEach(cleanup);

const esm = join(fixtures, 'behave.mjs');
const job = (inputs: string[], extra = '') => `name: prefetch\nmodule: ${JSON.stringify(esm)}\nconcurrency: 1\ninputs:\n  list: ${yamlList(inputs)}\n${extra}`;
const slotHost = (sup: Supervisor, slot = 1) => sup.run!.slots.find((s) => s.index === slot)?.host ?? null;
/** Waits until the slot's host runs a task and holds at least one more, sent but not begun. */
const prefetched = (sup: Supervisor, slot = 1) => waitFor(`slot ${slot}'s host to hold a prefetched start`, () => (slotHost(sup, slot)?.waiting ?? 0) > 0 || null);
const notRun = (t: { state: string; attempt: number; startedAt: number | null }) => t.state === 'queued' && t.attempt === 0 && t.startedAt === null;

describe('prefetched module tasks', () => {
  it('a prefetched task is queued, not running; pausing dispatch takes it back and nothing starts until resumed', async () => {
    const gate = join(tempDir(), 'gate');
    const h = await startJob(job([`gate:${gate}`, 'ok:2', 'ok:3', 'ok:4']));
    await prefetched(h.sup);
    expect(h.task(1).state).toBe('running');
    expect(h.tasks().slice(1).every(notRun)).toBe(true);
    expect(h.sup.run!.info().counts).toMatchObject({ running: 1, queued: 3 });
    expect((await h.sup.call('pauseDispatch', {})).ok).toBe(true);
    await waitFor('the recall to come back', () => slotHost(h.sup)?.waiting === 0 || null);
    writeFileSync(gate, '');
    await waitFor('task 1 to end', () => h.task(1).state === 'done' || null);
    await waitFor('the slot to be free', () => (h.sup.run!.slots[0].taskSeq === null && slotHost(h.sup)?.outstanding === 0) || null);
    expect(h.tasks().slice(1).every(notRun)).toBe(true);
    expect(h.sup.run!.info().counts).toMatchObject({ running: 0, queued: 3, done: 1 });
    expect((await h.sup.call('resumeDispatch', {})).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the job to end');
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['ok', 1], ['ok', 1], ['ok', 1]]);
  });

  it('closing the supervisor with the job paused ends the idle host (it was left running)', async () => {
    const gate = join(tempDir(), 'gate');
    const h = await startJob(job([`gate:${gate}`, 'ok:2']));
    await prefetched(h.sup);
    const pid = slotHost(h.sup)!.pid!;
    trackPid(pid);
    expect((await h.sup.call('pauseDispatch', {})).ok).toBe(true);
    writeFileSync(gate, '');
    await waitFor('task 1 to end and the host to hold nothing', () => (h.task(1).state === 'done' && slotHost(h.sup)?.outstanding === 0 && h.sup.run!.slots[0].taskSeq === null) || null);
    expect(pidAlive(pid)).toBe(true);
    await h.sup.close({ graceMs: 1000 });
    await waitFor('the host to exit', () => !pidAlive(pid) || null);
  });

  it('a graceful stop never starts the prefetched tasks: they end the job not run', async () => {
    const gate = join(tempDir(), 'gate');
    const h = await startJob(job([`gate:${gate}`, 'ok:2', 'ok:3'], 'kill: TERM,1s,KILL\n'));
    await prefetched(h.sup);
    expect((await h.sup.call('stopJob', { mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the job to stop');
    expect(h.task(1).outcome).toBe('interrupted'); // a job stop ended it (not final: --resume runs it again)
    expect(h.tasks().slice(1).every(notRun)).toBe(true);
    expect(h.sup.run!.info().counts).toMatchObject({ running: 0, queued: 2, interrupted: 1 });
  });

  it('halt now: the prefetched tasks of the failed host and of the busy one are never started', async () => {
    const dir = tempDir();
    const [failGate, longGate] = [join(dir, 'fail'), join(dir, 'long')];
    const h = await startJob(job([`gatexit:${failGate}`, `gate:${longGate}`, 'ok:3', 'ok:4', 'ok:5', 'ok:6'], 'concurrency: 2\nhalt: now,fail=1\nkill: TERM,1s,KILL\n').replace('concurrency: 1\n', ''));
    await prefetched(h.sup, 1);
    await prefetched(h.sup, 2);
    writeFileSync(failGate, ''); // task 1's host exits 3: its prefetched start comes back; the halt recalls slot 2's
    await withDeadline(h.finished, 30_000, 'the job to halt');
    expect(h.sup.run!.state).toBe('halted');
    expect(h.task(1).outcome).toBe('failed');
    expect(h.task(2).outcome).toBe('interrupted');
    expect(h.tasks().slice(2).every(notRun)).toBe(true);
  });

  it('a host SIGKILLed with a prefetched queue fails only its begun task; the others run later with attempt 1', async () => {
    const pidFile = join(tempDir(), 'pid');
    const h = await startJob(job([`hang:${pidFile}`, 'ok:2', 'ok:3']));
    await prefetched(h.sup);
    const pid = Number(await waitFor('the host pid', () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') || null : null)));
    trackPid(pid);
    process.kill(pid, 'SIGKILL');
    await withDeadline(h.finished, 30_000, 'the job to end');
    expect(h.task(1)).toMatchObject({ outcome: 'failed', attempt: 1, error: 'host killed by SIGKILL' });
    expect(h.tasks().slice(1).map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['ok', 1]]);
    expect(h.task(2).pid).not.toBe(pid);
  });

  it('an idle slot takes back a start another host holds behind a long task (the tail is not serialised)', async () => {
    const gate = join(tempDir(), 'gate');
    const h = await startJob(job([`gate:${gate}`, 'ok:2', 'ok:3', 'ok:4'], 'concurrency: 2\n').replace('concurrency: 1\n', ''));
    await waitFor('tasks 2-4 to end while task 1 still runs', () => h.tasks().slice(1).every((t) => t.outcome === 'ok') || null);
    expect(h.task(1).state).toBe('running');
    expect(h.tasks().slice(1).every((t) => t.slot === 2 && t.attempt === 1)).toBe(true);
    writeFileSync(gate, '');
    await withDeadline(h.finished, 30_000, 'the job to end');
    expect(h.task(1).outcome).toBe('ok');
  });

  it('maxTasksPerWorker counts begun tasks: every host runs exactly that many, none is lost or run twice', async () => {
    const h = await runJob(job(['ok:1', 'ok:2', 'ok:3', 'ok:4', 'ok:5', 'ok:6', 'ok:7'], 'maxTasksPerWorker: 2\n'));
    expect(h.tasks().every((t) => t.outcome === 'ok' && t.attempt === 1)).toBe(true);
    const pids = h.tasks().map((t) => t.pid);
    const perHost = [...new Set(pids)].map((p) => pids.filter((x) => x === p).length);
    expect(perHost).toEqual([2, 2, 2, 1]);
  });

  it('output is per task: what task k prints never lands in task k+1 (many tiny tasks on two hosts)', async () => {
    const n = 300;
    const inputs = Array.from({ length: n }, (_, i) => `echo:v${i + 1}`);
    const h = await runJob(job(inputs, 'concurrency: 2\n').replace('concurrency: 1\n', ''));
    expect(h.sup.run!.info().counts.done).toBe(n);
    for (let seq = 1; seq <= n; seq++) {
      const out = await taskOutput(h.sup, seq);
      const lines = out.split('\n').filter((l) => l.startsWith('console ') || l.startsWith('write '));
      expect(lines.sort(), `task ${seq}: ${JSON.stringify(out)}`).toEqual([`console v${seq}`, `write v${seq}`]);
    }
  });
});

describe('chunksize', () => {
  it('sends inputs in chunks; one failing input fails only its own task', async () => {
    const inputs = ['ok:1', 'ok:2', 'throw:bad 3', 'ok:4', 'ok:5', 'ok:6', 'ok:7'];
    const h = await runJob(job(inputs, 'chunksize: 5\n'));
    expect(h.tasks().map((t) => t.outcome)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok', 'ok', 'ok']);
    expect(h.task(3).error).toBe('RangeError: bad 3');
    expect(new Set(h.tasks().map((t) => t.pid)).size).toBe(1); // one host ran the whole chunk, and the next
    expect(h.tasks().every((t) => t.attempt === 1 && t.startedAt !== null && t.endedAt !== null)).toBe(true);
  });

  it('a host that dies mid-chunk fails only its current task; the rest of the chunk runs on a fresh host, attempt 1', async () => {
    const h = await runJob(job(['ok:1', 'exit:3', 'ok:3', 'ok:4', 'ok:5'], 'chunksize: 5\n'));
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['failed', 1], ['ok', 1], ['ok', 1], ['ok', 1]]);
    expect(h.task(2).error).toBe('host exited with code 3');
    expect(h.task(3).pid).not.toBe(h.task(1).pid);
  });

  // The first task's time includes its host's start-up (a loaded machine may take seconds): 4 s.
  it('a timeout ends only the task of the chunk that ran over', async () => {
    const pidFile = join(tempDir(), 'pid');
    const h = await runJob(job(['ok:1', `hang:${pidFile}`, 'ok:3', 'ok:4'], 'chunksize: 4\ntimeout: 4s\nkill: TERM,500ms,KILL\n'));
    expect(h.tasks().map((t) => [t.outcome, t.attempt])).toEqual([['ok', 1], ['timeout', 1], ['ok', 1], ['ok', 1]]);
  });
});
