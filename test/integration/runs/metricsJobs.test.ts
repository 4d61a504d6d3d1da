import { afterEach, describe, expect, it } from 'vitest';
import { JobRegistry, createJobView } from '../../../main/core/jobs/index.js';
import { createMetrics } from '../../../main/serve/metrics.js';
import { cleanup, sleepers, tempDir, waitFor } from '../core/helpers.js';

// `corral serve --metrics` covers every live job of the process, each sample labelled `job`, not
// only the job the dashboard shows.

let reg: JobRegistry | null = null;
afterEach(async () => {
  await reg?.closeAll({ graceMs: 2_000 });
  reg = null;
  await cleanup();
});

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

describe('metrics of every live job', () => {
  it('labels two running jobs apart, the one not shown included, and drops a closed one', async () => {
    reg = new JobRegistry({ stateDir: tempDir(), joblog: null, settings: { tickMs: 250 } });
    const view = createJobView(reg);
    const metrics = createMetrics(view, reg);
    await ok(view.call('loadJob', { text: 'name: first\ncommand: sleep {}\nconcurrency: 1\ninputs:\n  list: [343.1]\n' }));
    await ok(view.call('startJob', {}));
    const second = (await ok(view.call('newJob', {}))).jobId;
    await ok(view.call('loadJob', { text: 'name: second\ncommand: sleep {}\nconcurrency: 2\ninputs:\n  list: ["0", 343.2, 343.2]\n' }));
    await ok(view.call('startJob', {}));
    expect(second).toBe('job-2');
    await waitFor('both jobs running', () => sleepers('343.1').length === 1 && sleepers('343.2').length === 2, 60_000);
    // The dashboard shows job-2; job-1's figures are there too.
    const text = await waitFor('both jobs in the metrics', async () => {
      const t = await metrics.text();
      return sample(t, 'corral_pool_busy_slots{job="job-1"}') === 1 && sample(t, 'corral_pool_busy_slots{job="job-2"}') === 2 && sample(t, 'corral_tasks{job="job-2",state="done"}') === 1 && t.includes('corral_slot_rss_bytes{job="job-1"') ? t : null;
    }, 30_000);
    expect(sample(text, 'corral_pool_size{job="job-1"}')).toBe(1);
    expect(sample(text, 'corral_pool_size{job="job-2"}')).toBe(2);
    expect(sample(text, 'corral_job_info{job="job-1",name="first",state="running"}')).toBe(1);
    expect(sample(text, 'corral_job_info{job="job-2",name="second",state="running"}')).toBe(1);
    expect(sample(text, 'corral_attempts_total{job="job-2",outcome="ok"}')).toBe(1);
    expect(text.split('\n').filter((l) => l.startsWith('corral_slot_cpu_percent{job="job-1"'))).toHaveLength(1);

    // Stopped and closed, job-2 leaves the metrics.
    await ok(view.call('stopJob', { mode: 'force' }));
    await waitFor('job-2 to end', () => sleepers('343.2').length === 0, 60_000);
    await waitFor('job-2 closed', async () => (await view.call('closeJob', { jobId: second })).ok, 30_000);
    const after = await metrics.text();
    expect(after).not.toContain('job="job-2"');
    expect(sample(after, 'corral_pool_size{job="job-1"}')).toBe(1);
    metrics.close();
    view.close();
  });
});
