import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runJob, startJob, waitFor } from './helpers.js';

// What the operator's dashboard asks of the supervisor: text search over inputs and output,
// "Start remaining" after a drain or a stop, and the recent notices in the snapshot.
afterEach(cleanup);

describe('searchTasks', () => {
  it('finds tasks by a string in their input, and in their output (running and ended)', async () => {
    // Task 3 prints a marker and ends; task 5 prints one and keeps running.
    const h = await startJob(
      'name: search\ncommand: [sh, -c, \'case $0 in c) echo "needle-$0 found";; e) echo "NEEDLE-$0"; sleep 30;; *) echo hay;; esac\', "{}"]\n' +
        'concurrency: 5\ninputs:\n  list: [a, b, c, d, e, apple]\n',
    );
    await waitFor('task 3 ended, task 5 printed', async () => {
      const out = await h.sup.call('getTaskOutput', { seq: 5 });
      return h.task(3).state === 'done' && out.ok && out.value.text.includes('NEEDLE');
    });
    const byOutput = await h.sup.call('searchTasks', { text: 'needle', in: 'output' });
    expect(byOutput.ok && byOutput.value.tasks.map((t) => t.seq)).toEqual([3, 5]);
    const byInput = await h.sup.call('searchTasks', { text: 'A', in: 'input' });
    expect(byInput.ok && byInput.value.tasks.map((t) => t.seq)).toEqual([1, 6]);
    const limited = await h.sup.call('searchTasks', { text: 'a', in: 'input', limit: 1 });
    expect(limited.ok && limited.value).toMatchObject({ more: true, tasks: [{ seq: 1 }] });
    const none = await h.sup.call('searchTasks', { text: 'zzz', in: 'output' });
    expect(none.ok && none.value).toEqual({ tasks: [], more: false });
    const empty = await h.sup.call('searchTasks', { text: '', in: 'output' });
    expect(!empty.ok && empty.error.message).toBe('searchTasks: text: Too small: expected string to have >=1 characters');
  });
});

describe('startRemaining', () => {
  it('runs the tasks a drain left queued, to the end', async () => {
    const h = await startJob('name: remaining\ncommand: [sleep, "0.3"]\nconcurrency: 1\ninputs:\n  range: { from: 1, to: 4 }\n');
    await waitFor('task 1 running', () => h.task(1).state === 'running');
    expect((await h.sup.call('stopJob', { mode: 'drain' })).ok).toBe(true);
    await waitFor('the drained job to stop', () => h.sup.run?.info().state === 'stopped');
    const stranded = h.tasks().filter((t) => t.state === 'queued').length;
    expect(stranded).toBe(3);
    expect((await h.sup.call('startRemaining', {})).ok).toBe(true);
    await h.sup.finished();
    expect(h.sup.run?.info().state).toBe('finished');
    expect(h.tasks().map((t) => t.state)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('refuses while the job runs, and when nothing is left', async () => {
    const h = await startJob('name: refuse\ncommand: [sleep, "0.5"]\nconcurrency: 1\ninputs:\n  range: { from: 1, to: 2 }\n');
    const running = await h.sup.call('startRemaining', {});
    expect(!running.ok && running.error.message).toBe('the job is running; start remaining works after a drain or a stop');
    await h.sup.finished();
    const over = await h.sup.call('startRemaining', {});
    expect(!over.ok && over.error.message).toBe('the job is finished; start remaining works after a drain or a stop');
  });

  it('says why a halted job is not resumed', async () => {
    const h = await runJob('name: halts\ncommand: [sh, -c, "exit 1"]\nconcurrency: 1\nhalt: soon,fail=1\ninputs:\n  range: { from: 1, to: 3 }\n');
    const r = await h.sup.call('startRemaining', {});
    expect(!r.ok && r.error.message).toMatch(/^the job halted \(.+\); load it again with resume to run the rest$/);
  });
});

describe('notices in the snapshot', () => {
  it('carries the notices sent so far, so a page opened late reads the event log', async () => {
    const h = await runJob('name: late\ncommand: [sh, -c, "exit 3", "{}"]\nconcurrency: 2\ninputs:\n  range: { from: 1, to: 4 }\n');
    const snap = await h.sup.call('getSnapshot', {});
    expect(snap.ok).toBe(true);
    const notices = snap.ok ? (snap.value.notices ?? []) : [];
    expect(notices.filter((n) => n.kind === 'task-failed').map((n) => n.taskSeq).sort()).toEqual([1, 2, 3, 4]);
    expect(notices.map((n) => n.message)).toEqual(h.notices.map((n) => n.message));
  });
});
