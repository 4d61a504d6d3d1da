import { afterAll, describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../../main/contract/types.js';
import { cleanup, sleep, startJob, waitFor, withDeadline } from './helpers.js';

afterAll(cleanup);

describe('task detail', () => {
  it('reads the last tick, so a dashboard polling one task leaves every other task\'s CPU reading intact', async () => {
    // Two busy loops for 4 s each; the dashboard polls task 1's detail far more often than it ticks.
    const h = await startJob(
      'name: detail\ncommand: [sh, -c, "end=$(($(date +%s)+4)); while [ $(date +%s) -lt $end ]; do :; done"]\ninputs:\n  list: [a, b]\nconcurrency: 2\n',
    );
    await waitFor('both tasks running', () => h.tasks().every((t) => t.state === 'running' || t.state === 'suspect'));
    let detail: TaskDetail | null = null;
    const polling = (async () => {
      while (h.task(1).state !== 'done') {
        const r = await h.sup.call('getTaskDetail', { seq: 1 });
        if (r.ok && r.value.tree.length) detail = r.value;
        await sleep(40);
      }
    })();
    await withDeadline(h.finished, 60_000, 'the busy loops to end');
    await polling;
    // Task 2 was busy the whole time: some tick must have read it as busy (the bug read 0 % every
    // time). On a loaded 2-core machine a busy loop may get only a sliver of a core, so any clear
    // reading counts.
    const task2 = h.ticks.flatMap((t) => t.tasks.filter((x) => x.seq === 2 && x.state !== 'done').map((x) => x.cpuPercent ?? 0));
    expect(Math.max(...task2)).toBeGreaterThan(2);
    expect(detail!.tree.map((p) => p.pid)).toContain(detail!.task.pid);
    // After the end: a downsampled history, no live tree.
    const ended = await h.sup.call('getTaskDetail', { seq: 1 });
    expect(ended.ok && ended.value.tree).toEqual([]);
    expect(ended.ok && ended.value.history.length).toBeGreaterThan(0);
    expect(ended.ok && ended.value.history.length).toBeLessThanOrEqual(60);
  });

  it('keeps the last 16 KiB of an ended task\'s output, and says how much there was', async () => {
    const h = await startJob('name: chatty\ncommand: [sh, -c, "head -c 40000 /dev/zero | tr \'\\\\0\' x; echo; echo end-{}"]\ninputs:\n  list: [1]\n');
    await withDeadline(h.finished, 30_000, 'the task to end');
    const out = await h.sup.call('getTaskOutput', { seq: 1 });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.value.total).toBe(40_000 + 1 + 6);
    expect(out.value.text.length).toBe(16 * 1024);
    expect(out.value.text.endsWith('x\nend-1\n')).toBe(true);
    expect(out.value.truncated).toBe(true);
  });
});
