import { join } from 'node:path';
import { serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fixtures, runJob, startJob, withDeadline, yamlList } from './helpers.js';

// Module results cost the supervisor memory: a per-task cap enforced in the host, and a budget
// for the results kept (issue 9, item 23).
afterEach(cleanup);

const tasks = join(fixtures, 'hostTasks.mjs');
const MiB = 1 << 20;
const job = (inputs: string[], extra = '') =>
  `name: results\nmodule: ${JSON.stringify(tasks)}\nconcurrency: 1\ninputs:\n  list: ${yamlList(inputs)}\n${extra}`;

describe('module results within a budget', () => {
  for (const size of [50, 200]) {
    it(`a ${size} MiB result fails its task in the host; the supervisor's memory does not grow with it`, async () => {
      const before = process.memoryUsage.rss();
      let peak = before;
      const probe = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
      const h = await startJob(job([`big:${size}`, 'ok']));
      await withDeadline(h.finished, 120_000, 'the job to end').finally(() => clearInterval(probe));
      peak = Math.max(peak, process.memoryUsage.rss());
      const [big, next] = [h.task(1), h.task(2)];
      expect(big.outcome).toBe('failed');
      expect(big.error).toBe(`result too large: ${size}.0 MiB > 16.0 MiB (maxResultSize)`);
      expect(h.sup.taskResult(1)).toBeUndefined();
      // The host refused it and lives on: the next task ran in the same process.
      expect(next.outcome).toBe('ok');
      expect(next.pid).toBe(big.pid);
      console.log(`${size} MiB result: supervisor RSS ${(before / MiB).toFixed(0)} → ${(peak / MiB).toFixed(0)} MiB`);
      expect(peak - before).toBeLessThan(48 * MiB);
    }, 150_000);
  }

  it('maxResultSize from the job file, measured as the serialised value', async () => {
    const bytes = serialize('ok').length;
    const h = await runJob(job(['ok'], `maxResultSize: ${bytes - 1}\n`));
    expect(h.task(1).outcome).toBe('failed');
    expect(h.task(1).error).toBe(`result too large: ${bytes} B > ${bytes - 1} B (maxResultSize)`);
    const fits = await runJob(job(['ok'], `maxResultSize: ${bytes}\n`));
    expect(fits.task(1).outcome).toBe('ok');
    expect(fits.sup.taskResult(1)).toBe('ok');
  });

  it('a command task has no result to answer (not a dropped one)', async () => {
    const h = await runJob('name: cmd\ncommand: echo {}\ninputs:\n  list: [a]\n');
    expect(h.task(1).outcome).toBe('ok');
    expect(h.sup.taskResult(1)).toBeUndefined();
  });

  it('keeps results within 32 MiB, oldest first; a dropped one answers why', async () => {
    const h = await runJob(job(['big:15', 'big:15', 'big:15']), { deadlineMs: 120_000 });
    expect(h.tasks().map((t) => t.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(h.sup.taskResult(1)).toEqual({
      corralResult: 'evicted',
      message: 'the result of task 1 was dropped: kept results are limited to 32.0 MiB, oldest first',
    });
    for (const seq of [2, 3]) expect((h.sup.taskResult(seq) as string).length).toBe(15 * MiB);
  }, 150_000);
});
