import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, startJob, waitFor, withDeadline } from './helpers.js';

// The supervisor's own footprint: memory under a task writing 1 GiB, descriptors over 1000 tasks.
afterEach(cleanup);

const fdCount = () => readdirSync('/proc/self/fd').length;

describe('supervisor footprint', () => {
  it('a task writing 1 GiB to stdout grows the supervisor RSS by less than 100 MiB', async () => {
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      const h = await startJob('name: firehose\ncommand: "head -c 1073741824 /dev/zero; echo {} >/dev/null"\ninputs:\n  list: [x]\n');
      // While it runs, the last 256 KiB are kept…
      const running = await waitFor('a few MiB of output', async () => {
        const r = await h.sup.call('getTaskOutput', { seq: 1 });
        return r.ok && r.value.total > 4 * 2 ** 20 && h.task(1).state === 'running' ? r.value : null;
      }, 60_000);
      expect(running.text.length).toBe(256 * 1024);
      await withDeadline(h.finished, 110_000, 'the firehose to end');
      expect(h.task(1).outcome).toBe('ok');
      // …and once it ended, the last 16 KiB.
      const out = await h.sup.call('getTaskOutput', { seq: 1 });
      expect(out.ok && out.value.total).toBe(1024 ** 3);
      expect(out.ok && out.value.text.length).toBe(16 * 1024);
    } finally {
      clearInterval(timer);
    }
    console.log(`supervisor RSS growth during 1 GiB of output: ${((peak - base) / 2 ** 20).toFixed(1)} MiB`);
    expect(peak - base).toBeLessThan(100 * 1024 * 1024);
  });

  it('keeps the open descriptor count flat over 1000 short tasks', async () => {
    const h = await startJob('name: many\ncommand: "true {}"\nconcurrency: 4\ninputs:\n  range: { from: 1, to: 1000 }\n');
    // Baseline once the run is under way (modules loaded, sampler warm), in the same supervisor.
    const base = await waitFor('50 tasks done', () => (h.sup.run!.info().counts.done >= 50 ? fdCount() : 0), 60_000);
    await withDeadline(h.finished, 110_000, 'the job to finish');
    expect(h.tasks().filter((t) => t.outcome === 'ok')).toHaveLength(1000);
    const after = fdCount();
    console.log(`fds: ${base} after 50 tasks, ${after} after 1000`);
    // The baseline may include running tasks' pipes; a leak of one per task would be hundreds.
    expect(after - base).toBeLessThanOrEqual(2);
  });
});
