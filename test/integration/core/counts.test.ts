import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobCounts } from '../../../main/contract/types.js';
import type { JoblogRow, JoblogWriter } from '../../../main/core/log/joblog.js';
import { commandExpander, displayCommand, loadSpec } from '../../../main/core/pool/jobLoader.js';
import { JobRun } from '../../../main/core/pool/jobRun.js';
import { ResultStore } from '../../../main/core/pool/results.js';
import { cleanup, startJob, tempDir, waitFor, withDeadline, yamlList } from './helpers.js';

// The bookkeeping users read: running equals busy slots, stops are not failures, a retry wait is
// part of the running job, and an attempt has ended the moment its slot is free.
afterEach(cleanup);

const sum = (c: JobCounts) => c.queued + c.running + c.done + c.failed + c.killed + c.interrupted + c.skipped;

/** A JobRun on real processes whose joblog rows reach "disk" only when the test says so. */
async function withHeldJoblog(text: string, poolSize: number) {
  const { spec, inputs } = await loadSpec({ text, baseDir: tempDir() });
  const held: { row: JoblogRow; write: () => void }[] = [];
  // The writer's row callback, held until the test lets the row reach the disk.
  const joblog = { path: 'held.tsv', add: (row: JoblogRow, done: (err: Error | null) => void) => held.push({ row, write: () => done(null) }) };
  const run = new JobRun({
    spec,
    inputs,
    poolSize,
    joblog: joblog as unknown as JoblogWriter,
    env: { taskEnv: process.env, hostScript: '', results: new ResultStore(), expand: commandExpander(spec, process.env) },
    display: displayCommand(spec),
    hooks: { changed: () => {}, notice: () => {}, groupStarted: () => {}, groupEnded: () => {} },
  });
  let finished = false;
  void run.finished.then(() => (finished = true));
  return { run, held, isFinished: () => finished };
}

describe('running equals busy slots', () => {
  it('ended attempts leave running when their slot is freed, not when their row is on disk', async () => {
    const { run, held, isFinished } = await withHeldJoblog('name: held\ncommand: [sh, -c, "exit {}"]\ninputs:\n  list: [0, 0, 3, 0]\n', 2);
    run.start();
    await waitFor('all four rows to be waiting for the disk', () => held.length === 4);
    const c = run.info().counts;
    expect(run.slots.filter((s) => s.taskSeq !== null)).toHaveLength(0);
    expect(c).toMatchObject({ running: 0, done: 3, failed: 1, queued: 0 });
    // Until the rows are on disk the job is not over.
    expect(isFinished()).toBe(false);
    expect(run.state).toBe('running');
    // killTask in that window answers with the task's real ended state.
    expect(() => run.killTask(3, 'force')).toThrow('task 3 is failed, not running');
    for (const h of held) h.write();
    await withDeadline(run.finished, 30_000, 'the job to finish');
    expect(run.state).toBe('finished');
  });

  it('a stop (or quit) while only rows are on their way to disk leaves the job to finish', async () => {
    const { run, held } = await withHeldJoblog('name: held\ncommand: [sh, -c, "exit 0"]\ninputs:\n  list: [a, b]\n', 2);
    run.start();
    await waitFor('both rows to be waiting for the disk', () => held.length === 2);
    expect(run.hasRunningTasks()).toBe(false);
    expect(run.hasWorkInFlight()).toBe(true);
    run.stop('graceful', 'quit');
    for (const h of held) h.write();
    await withDeadline(run.finished, 30_000, 'the job to finish');
    expect([run.state, run.info().counts.done]).toEqual(['finished', 2]);
  });

  it('holds at every moment of a run of short commands with a real joblog', async () => {
    const dir = tempDir();
    const h = await startJob(`name: many\ncommand: [sh, -c, "exit 0"]\nconcurrency: 4\ninputs:\n  range: { from: 1, to: 300 }\n`, { joblog: join(dir, 'log.tsv') });
    const run = h.sup.run!;
    const bad: string[] = [];
    let done = false;
    void h.finished.then(() => (done = true));
    // Check between every turn of the event loop, where ticks and transports read the counts.
    while (!done) {
      const c = run.info().counts;
      const busy = run.slots.filter((s) => s.taskSeq !== null).length;
      if (c.running !== busy || c.running > 4 || sum(c) !== c.total) bad.push(`running ${c.running}, busy ${busy}, sum ${sum(c)}`);
      await new Promise((r) => setImmediate(r));
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(run.info().counts).toMatchObject({ total: 300, done: 300, running: 0 });
    for (const t of h.ticks) if (t.job) expect(t.job.counts.running).toBeLessThanOrEqual(4);
  });
});

describe('stops are not failures', () => {
  it('a user kill is killed, a job stop interrupts, queued tasks are not run, nothing failed', async () => {
    const dir = tempDir();
    const log = join(dir, 'log.tsv');
    const h = await startJob(
      `name: counts\ncommand: [sh, -c, "{}"]\nconcurrency: 2\nkill: TERM,2s,KILL\ninputs:\n  list: ${yamlList(['exit 0', 'sleep 30', 'sleep 30', 'sleep 30', 'exit 0'])}\n`,
      { joblog: log },
    );
    await waitFor('task 1 done, 2 and 3 running', () => h.task(1).state === 'done' && h.task(2).pid && h.task(3).pid);
    expect((await h.sup.call('killTask', { seq: 2, mode: 'force' })).ok).toBe(true);
    await waitFor('task 4 running', () => h.task(4).pid);
    expect(h.task(2).state).toBe('killed');
    expect((await h.sup.call('stopJob', { mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 60_000, 'the job to stop');
    expect(h.tasks().map((t) => t.state)).toEqual(['done', 'killed', 'interrupted', 'interrupted', 'queued']);
    expect(h.sup.run!.info().counts).toEqual({ total: 5, queued: 1, running: 0, suspect: 0, stuck: 0, done: 1, failed: 0, killed: 1, interrupted: 2, skipped: 0 });
    const end = h.notices.find((n) => n.kind === 'job-finished')!;
    expect(end.message).toBe('counts stopped: 1 ok, 0 failed, 1 killed, 2 interrupted, 1 not run');
    expect(end.level).toBe('info');
    expect(h.notices.filter((n) => n.kind === 'task-failed')).toEqual([]);
    for (const t of h.ticks) if (t.job) expect(t.job.counts.failed).toBe(0);
  });
});

describe('a retry waiting out its delay belongs to the running job', () => {
  const job = 'name: flaky\ncommand: [sh, -c, "exit 1"]\nretries: 1\nretryDelay: 60s\ninputs:\n  list: [x]\n';

  it('loading another job is refused until the job is stopped; the stop ends the task as its attempt did', async () => {
    const h = await startJob(job);
    await waitFor('the retry to be announced', () => h.notices.some((n) => n.message.includes('retrying')));
    const refused = await h.sup.call('loadJob', { text: 'name: other\ncommand: "true"\ninputs:\n  list: [a]\n' });
    expect(refused.ok ? null : [refused.error.code, refused.error.message]).toEqual(['JOB_RUNNING', 'a job is running; stop it before loading another']);
    expect((await h.sup.call('stopJob', { mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 30_000, 'the job to stop');
    expect([h.task(1).state, h.task(1).outcome, h.task(1).attempt]).toEqual(['failed', 'failed', 1]);
    expect((await h.sup.call('loadJob', { text: 'name: other\ncommand: "true"\ninputs:\n  list: [a]\n' })).ok).toBe(true);
  });

  it('closing the supervisor cancels the retry: no attempt starts after close', async () => {
    const h = await startJob(job);
    await waitFor('the retry to be announced', () => h.notices.some((n) => n.message.includes('retrying')));
    const run = h.sup.run!;
    await withDeadline(h.sup.close({ graceMs: 5_000 }), 30_000, 'close');
    expect([run.task(1).state, run.task(1).info.attempt, run.task(1).retryTimer]).toEqual(['failed', 1, null]);
    expect(run.state).toBe('stopped');
  });
});
