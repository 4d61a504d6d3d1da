import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { JobInfo, TaskInfo } from '../../main/contract/types.js';
import { formatRow, JOBLOG_COLUMNS, type JoblogRow } from '../../main/core/log/joblog.js';
import { ProcessBook, recordSignals, type SentSignal } from '../support/processWatch.js';
import { waitFor } from '../support/wait.js';
import { attemptKey, checkCounts, checkJoblogText, checkPrefetched, checkSessionRows, checkSlots, expectedResumed } from './checks.js';
import { Violations } from './violations.js';

// The model's checks must be able to fail: each is fed a hand-made breach and a clean case.

const task = (seq: number, state: TaskInfo['state'], extra: Partial<TaskInfo> = {}): TaskInfo =>
  ({ seq, state, slot: null, attempt: 1, outcome: null, ...extra }) as TaskInfo;
const job = (counts: Partial<JobInfo['counts']>): JobInfo =>
  ({ counts: { total: 3, queued: 0, running: 0, stuck: 0, done: 0, failed: 0, skipped: 0, ...counts } }) as JobInfo;
const row = (seq: number, attempt: number, outcome: string, exitval = 0, signal = 0): JoblogRow => ({
  seq, host: ':', startTime: 1, runtime: 1, send: 0, receive: 0, exitval, signal, command: 'x', attempt, peakRss: 0, cpuSeconds: 0, outcome: outcome as JoblogRow['outcome'],
});
const names = (v: Violations) => [...v.failing, ...v.known].map((x) => x.invariant).sort();

describe('the model checks', () => {
  it('counts: they add up, match the states, and failed holds no user-stopped task', () => {
    const v = new Violations();
    const tasks = [task(1, 'running', { slot: 1 }), task(2, 'done'), task(3, 'failed')];
    checkCounts(v, job({ running: 1, done: 1, failed: 1 }), tasks, 'ok');
    expect(names(v)).toEqual([]);
    checkCounts(v, job({ running: 1, done: 1 }), tasks, 'short');
    checkCounts(v, job({ running: 1, done: 1, failed: 1 }), [tasks[0], tasks[1], task(3, 'killed')], 'killed as failed');
    expect(names(v)).toEqual(['counts-add-up', 'user-stopped-not-failed', 'user-stopped-not-failed']);
  });

  it('slots: running = busy slots, one task per slot', () => {
    const v = new Violations();
    const slot = (n: number, seq: number | null) => ({ slot: n, taskSeq: seq, cpuPercent: 0, rss: 0, procs: 0 });
    checkSlots(v, job({ running: 1, queued: 2 }), [slot(1, 1), slot(2, null)], [task(1, 'running', { slot: 1 })], 'ok');
    expect(names(v)).toEqual([]);
    checkSlots(v, job({ running: 2 }), [slot(1, 2)], [task(1, 'running', { slot: 1 }), task(2, 'running', { slot: 1 })], 'fsync wait');
    expect(names(v)).toEqual(['no-two-tasks-on-one-slot', 'running-equals-busy-slots']);
  });

  it('prefetched tasks: queued, on no slot, one host; running within the pool', () => {
    const v = new Violations();
    const slot = (n: number, seq: number | null) => ({ slot: n, taskSeq: seq, cpuPercent: 0, rss: 0, procs: 0 });
    checkPrefetched(v, { ...job({ running: 1, queued: 2 }), poolSize: 1 }, [slot(1, 1)], [task(2, 'queued', { pids: [] }), task(3, 'queued', { pids: [] })], 'ok');
    expect(names(v)).toEqual([]);
    checkPrefetched(v, { ...job({ running: 2, queued: 1 }), poolSize: 1 }, [slot(1, 1)], [task(2, 'running', { slot: 1, pids: [5] }), task(2, 'queued', { pids: [] })], 'begun twice');
    expect(names(v)).toEqual(['prefetched-is-queued', 'running-within-pool']);
  });

  it('joblog: torn rows, one row per attempt, outcomes that agree, interrupted attempts not final', () => {
    const v = new Violations();
    const head = JOBLOG_COLUMNS.join('\t') + '\n';
    expect(checkJoblogText(v, head + formatRow(row(1, 1, 'ok')))).toHaveLength(1);
    expect(names(v)).toEqual([]);
    checkJoblogText(v, head + formatRow(row(1, 1, 'ok')).slice(0, 12));
    expect(names(v)).toEqual(['no-torn-row', 'no-torn-row']);

    const w = new Violations();
    const tasks = [task(1, 'done', { outcome: 'ok' }), task(2, 'failed', { attempt: 2, outcome: 'failed' }), task(3, 'killed', { outcome: 'killed' })];
    checkSessionRows(w, [row(1, 1, 'ok'), row(2, 1, 'failed', 1), row(2, 2, 'failed', 2), row(3, 1, 'interrupted', -1, 15)], tasks, new Map([[attemptKey(3, 1), 'job-stop']]), 'clean');
    expect(names(w)).toEqual(['row-matches-task']); // task 3 shows killed, its row interrupted
    const x = new Violations();
    // Task 3 was stopped by quit but its row carries a final outcome (timeout): --resume would skip it.
    const xTasks = [tasks[0], tasks[1], task(3, 'timeout', { outcome: 'timeout' })];
    checkSessionRows(x, [row(1, 1, 'ok', 1), row(1, 1, 'ok'), row(2, 1, 'failed'), row(3, 1, 'timeout', -1, 15)], xTasks, new Map([[attemptKey(3, 1), 'quit']]), 'broken');
    expect(names(x)).toEqual(['failed-means-unclean-exit', 'interrupted-not-final', 'ok-means-clean-exit', 'one-row-per-attempt', 'one-row-per-attempt']);
  });

  it('resume: no final row runs again; resume-failed adds the failed ones', () => {
    const rows = [row(1, 1, 'ok'), row(2, 1, 'failed', 1), row(3, 1, 'interrupted', -1, 15), row(4, 1, 'killed', -1, 9)];
    // killed (by the user) and interrupted (by the job) are not final: both run again.
    expect(expectedResumed(rows, 5, 'resume')).toEqual([3, 4, 5]);
    expect(expectedResumed(rows, 5, 'resume-failed')).toEqual([2, 3, 4, 5]);
  });

  it('processes: signals are reported with the target\'s start time; a dead process is not alive', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid!;
    const book = new ProcessBook();
    const seen = book.note(pid);
    expect(seen).toBeTruthy();
    const sent: SentSignal[] = [];
    const restore = recordSignals((s) => sent.push(s));
    try {
      process.kill(pid, 0); // probes are not signals
      process.kill(pid, 'SIGTERM');
    } finally {
      restore();
    }
    expect(sent).toEqual([expect.objectContaining({ target: pid, signal: 'SIGTERM', startTime: seen })]);
    await new Promise((r) => child.once('exit', r));
    await waitFor('the pid to be gone', () => book.stillAlive().length === 0, 10_000);
  });
});
