import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, tempDir } from '../core/helpers.js';
import { runCli } from './cli.js';

afterAll(cleanup);

describe('order: longest-first', () => {
  it('dispatches by the runtimes of earlier runs of the same job, and says so', async () => {
    const dir = tempDir();
    const state = join(dir, 'state');
    writeFileSync(
      join(dir, 'job.yaml'),
      'name: ordered\ncommand: [sleep, "{}"]\ninputs:\n  list: ["0.05", "1.6", "0.8", "0.4"]\nconcurrency: 1\norder: longest-first\n',
    );
    const first = await runCli(['run', 'job.yaml'], { cwd: dir, env: { CORRAL_STATE_DIR: state } });
    expect(first.code).toBe(0);
    const second = await runCli(['run', 'job.yaml', '--joblog', 'second.tsv'], { cwd: dir, env: { CORRAL_STATE_DIR: state } });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('corral: dispatching longest first, by the runtimes in earlier joblogs of this job (tasks without history go first)');
    // One slot: start times give the dispatch order.
    const rows = (await readJoblog(join(dir, 'second.tsv'))).sort((a, b) => a.startTime - b.startTime);
    expect(rows.map((r) => r.seq)).toEqual([2, 3, 4, 1]);
    // The first run had no history: input order.
    const [firstLog] = readdirSync(join(state, 'joblogs', 'ordered')).filter((f) => f.endsWith('.tsv')); // beside it: its run manifest
    const firstRows = (await readJoblog(join(state, 'joblogs', 'ordered', firstLog))).sort((a, b) => a.startTime - b.startTime);
    expect(firstRows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });
});
