import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runJob, startJob, waitFor, withDeadline } from '../core/helpers.js';

// Durations past Node's 2^31-1 ms timer limit (24.8 days) must not fire after 1 ms.
afterEach(cleanup);

describe('durations over 24.8 days on real tasks', () => {
  it('timeout: 25d does not time out a 1 s task', async () => {
    const h = await runJob('command: sleep {}\ntimeout: 25d\ninputs:\n  list: [1]\n');
    expect([h.task(1).outcome, h.task(1).error]).toEqual(['ok', null]);
  });

  it('timeout: 25d still holds after the task is paused and resumed', async () => {
    const h = await startJob('command: sleep {}\ntimeout: 25d\ninputs:\n  list: [2]\n');
    await waitFor('the task to run', () => h.task(1).state === 'running' && h.task(1).pids.length > 0);
    expect((await h.sup.call('pauseTask', { seq: 1 })).ok).toBe(true);
    expect((await h.sup.call('resumeTask', { seq: 1 })).ok).toBe(true);
    await withDeadline(h.finished, 60_000, 'the job to finish');
    expect([h.task(1).outcome, h.task(1).error]).toEqual(['ok', null]);
  });

  it('retryDelay: 25d holds the retry while another task runs to its end', async () => {
    const h = await startJob('command: [sh, -c, "{}"]\nconcurrency: 2\nretries: 1\nretryDelay: 25d\ninputs:\n  list: ["exit 3", "sleep 2"]\n');
    await waitFor('the second task to end', () => h.task(2).state === 'done', 60_000);
    // The first task failed long before the second ended; its retry is still waiting.
    expect([h.task(1).state, h.task(1).attempt]).toEqual(['queued', 1]);
    expect((await h.sup.call('stopJob', { mode: 'graceful' })).ok).toBe(true);
    await withDeadline(h.finished, 60_000, 'the job to stop');
    expect(h.task(1).attempt).toBe(1);
  });
});
