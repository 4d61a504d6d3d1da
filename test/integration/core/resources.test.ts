import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, startJob, waitFor, withDeadline } from './helpers.js';

// The supervisor's own footprint: memory under a task writing 1 GiB, descriptors over 1000 tasks.
afterEach(cleanup);

const fdCount = () => readdirSync('/proc/self/fd').length;

describe('supervisor footprint', () => {
  it('a task writing 1 GiB to stdout keeps 256 KiB of it, and the supervisor\'s memory does not grow with the volume', async () => {
    const base = process.memoryUsage().rss;
    /** Runs one task writing `bytes` to stdout; returns the peak RSS growth over `base` while it ran. */
    const firehose = async (bytes: number) => {
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      try {
        const h = await startJob(`name: firehose\ncommand: "head -c ${bytes} /dev/zero; echo {} >/dev/null"\ninputs:\n  list: [x]\n`);
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
        expect(out.ok && out.value.total).toBe(bytes);
        expect(out.ok && out.value.text.length).toBe(16 * 1024);
      } finally {
        clearInterval(timer);
      }
      return peak - base;
    };
    const MiB = 2 ** 20;
    const quarter = await firehose(256 * MiB);
    const whole = await firehose(1024 * MiB);
    console.log(`supervisor peak RSS growth: ${(quarter / MiB).toFixed(1)} MiB during 256 MiB of output, ${(whole / MiB).toFixed(1)} MiB during 1 GiB`);
    // Reading a pipe allocates a fresh 64 KiB buffer per read, collected when V8's external-memory
    // trigger fires, so tens of MiB of garbage come and go whatever the volume. Kept output would
    // grow with it: 768 MiB more between the two runs.
    expect(whole - quarter).toBeLessThan(48 * MiB);
    expect(whole).toBeLessThan(192 * MiB);
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
