import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAttachable } from '../../../main/core/control/index.js';
import { JobRegistry, createJobView } from '../../../main/core/jobs/index.js';
import { cleanup, sleepers, spawnCli, tempDir, waitFor } from '../core/helpers.js';

// The page's jobs stay listed while it watches another process; picking one of them comes back.

let reg: JobRegistry | null = null;
afterEach(async () => {
  await reg?.closeAll({ graceMs: 2_000 });
  reg = null;
  await cleanup();
});

describe('jobs here while attached to another supervisor', () => {
  it('lists this process\'s jobs with none on show, and selecting one detaches', async () => {
    const state = tempDir();
    const job = join(tempDir(), 'far.yaml');
    writeFileSync(job, 'name: far\ncommand: sleep {}\ninputs:\n  list: [371.1]\n');
    const run = spawnCli(['run', job], { env: { CORRAL_STATE_DIR: state } });
    await waitFor('the far run to start', () => sleepers('371.1').length === 1, 60_000);

    reg = new JobRegistry({ stateDir: state, joblog: null, orphanGuard: false });
    const page = createAttachable(createJobView(reg), state);
    const far = await waitFor('the far supervisor listed', async () => {
      const l = await page.call('listSupervisors', {});
      return l.ok ? l.value.find((e) => e.jobName === 'far') : null;
    }, 30_000);
    expect(await page.call('attachSupervisor', { pid: far.pid })).toMatchObject({ ok: true });
    const snap = await page.call('getSnapshot', {});
    expect(snap.ok && snap.value.job?.name).toBe('far');

    const listed = await page.call('listJobs', {});
    expect(listed.ok && listed.value.jobs.map((j) => [j.jobId, j.selected])).toEqual([['job-1', false]]);
    expect(await page.call('selectJob', { jobId: 'job-1' })).toMatchObject({ ok: true, value: { jobId: 'job-1', selected: true } });
    expect(page.attachedPid).toBeNull();
    const own = await page.call('getSnapshot', {});
    expect(own.ok && own.value.job).toBeNull();
    page.close();
    run.child.kill('SIGINT');
    await run.result;
  });
});
