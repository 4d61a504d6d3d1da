import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWsApi } from '../../support/wsClient.js';
import { cleanup, sleepers, spawnCli, tempDir, waitFor, withDeadline } from '../core/helpers.js';

// `corral serve` with several jobs: Ctrl-C stops every one of them with its kill sequence.

afterEach(cleanup);

describe('corral serve with several jobs', () => {
  it('Ctrl-C stops the tasks of every live job, then exits 130 leaving no ledger behind', async () => {
    const dir = tempDir();
    const state = join(dir, 'state');
    writeFileSync(join(dir, 'first.yaml'), 'name: first\ncommand: sleep {}\nconcurrency: 2\nkill: TERM,2s,KILL\ninputs:\n  list: [361.1, 361.2]\n');
    const cli = spawnCli(['serve', 'first.yaml', '--port', '0'], { cwd: dir, env: { CORRAL_STATE_DIR: state } });
    const url = await waitFor('the dashboard URL', () => /dashboard at (\S+)/.exec(cli.stdout)?.[1], 60_000);
    const client = await connectWsApi(url);
    try {
      const added = await client.api.newJob(undefined);
      expect(added).toMatchObject({ ok: true, value: { jobId: 'job-2', state: 'empty', selected: true } });
      expect(await client.api.loadJob({ text: 'name: second\ncommand: sleep {}\ninputs:\n  list: [362.1]\n' })).toMatchObject({ ok: true });
      expect(await client.api.startJob(undefined)).toEqual({ ok: true, value: null });
      await waitFor('three sleeps over two jobs', () => sleepers('361.1').length + sleepers('361.2').length + sleepers('362.1').length === 3, 60_000);
      const jobs = await client.api.listJobs(undefined);
      expect(jobs.ok && jobs.value.jobs.map((j) => [j.name, j.state])).toEqual([
        ['first', 'running'],
        ['second', 'running'],
      ]);
    } finally {
      await client.close();
    }
    cli.child.kill('SIGINT');
    const r = await withDeadline(cli.result, 60_000, 'corral serve to exit');
    expect([r.code, r.signal]).toEqual([130, null]);
    expect(['361.1', '361.2', '362.1'].flatMap(sleepers)).toEqual([]);
    expect(existsSync(state) ? readdirSync(state).filter((n) => n.startsWith('ledger-')) : []).toEqual([]);
  });
});
