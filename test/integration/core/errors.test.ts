import { afterAll, describe, expect, it } from 'vitest';
import { createSupervisor } from '../../../main/core/supervisor.js';
import { cleanup, startJob, tempDir, waitFor, withDeadline } from './helpers.js';

afterAll(cleanup);

// Every refusal the supervisor gives a UI, with its code and exact words, as plain data.
describe('supervisor refusals', () => {
  it('names what was wrong and where', async () => {
    const empty = createSupervisor({ stateDir: tempDir(), orphanGuard: false, joblog: null });
    expect(await empty.call('startJob', {})).toEqual({ ok: false, error: { code: 'JOB_NOT_LOADED', message: 'no job is loaded' } });
    expect(await empty.call('exportJoblog', {})).toEqual({ ok: false, error: { code: 'JOB_NOT_LOADED', message: 'no job is loaded' } });
    const bad = await empty.call('killTask', { seq: 'x', mode: 'force' });
    expect(bad.ok === false && bad.error.code).toBe('INVALID_ARGUMENT');
    expect(bad.ok === false && bad.error.message).toMatch(/^killTask: seq: /);
    await empty.close();
    expect(await empty.call('getSnapshot', {})).toEqual({ ok: false, error: { code: 'BAD_STATE', message: 'the supervisor is shut down' } });

    // Task 1 ends at once, task 2 runs until stopped.
    const h = await startJob('name: refusals\ncommand: [sh, -c, "{}"]\ninputs:\n  list: ["true", "sleep 300"]\nconcurrency: 2\n', { joblog: null });
    await waitFor('task 1 done and task 2 running', () => h.task(1).state === 'done' && h.task(2).state === 'running');
    const refusal = async (method: Parameters<typeof h.sup.call>[0], args: unknown) => {
      const r = await h.sup.call(method, args);
      return r.ok ? 'accepted' : `${r.error.code}: ${r.error.message}`;
    };
    expect(await refusal('startJob', {})).toBe('BAD_STATE: the job is running, not ready to start');
    expect(await refusal('killTask', { seq: 99, mode: 'force' })).toBe('NOT_FOUND: no task 99 (the job has 2 tasks)');
    expect(await refusal('killTask', { seq: 1, mode: 'graceful' })).toBe('BAD_STATE: task 1 is done, not running');
    expect(await refusal('pauseTask', { seq: 1 })).toBe('BAD_STATE: task 1 is done, not running');
    expect(await refusal('resumeTask', { seq: 2 })).toBe('BAD_STATE: task 2 is running, not paused');
    expect(await refusal('retryTask', { seq: 2 })).toBe('BAD_STATE: task 2 is running; only ended tasks (failed, timed out, memory-killed, killed, interrupted or skipped) can be retried');
    expect(await refusal('retryTask', { seq: 1 })).toBe('BAD_STATE: task 1 is done; only ended tasks (failed, timed out, memory-killed, killed, interrupted or skipped) can be retried');
    expect(await refusal('killSlot', { slot: 9, mode: 'force' })).toBe('NOT_FOUND: no slot 9 (the pool has 2)');
    const idleSlot = h.task(2).slot === 1 ? 2 : 1;
    expect(await refusal('killSlot', { slot: idleSlot, mode: 'force' })).toBe(`BAD_STATE: slot ${idleSlot} is idle`);
    expect(await refusal('loadJob', { demo: true })).toBe('JOB_RUNNING: a job is running; stop it before loading another');
    expect(await refusal('exportJoblog', {})).toBe('NOT_FOUND: this run keeps no joblog');
    expect(await refusal('getTaskOutput', { seq: 3 })).toBe('NOT_FOUND: no task 3 (the job has 2 tasks)');

    expect(await refusal('stopJob', { mode: 'force' })).toBe('accepted');
    await withDeadline(h.finished, 30_000, 'the job to stop');
    expect(await refusal('pauseDispatch', {})).toBe('BAD_STATE: the job is stopped');
    expect(await refusal('resumeDispatch', {})).toBe('BAD_STATE: the job is stopped');
  });
});
